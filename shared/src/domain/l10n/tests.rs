//! Every language is complete: the same texts as English, with no argument English does
//! not pass; every English text is asked for by some code, and every text code asks for
//! exists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast;

use super::*;

/// (language, file) -> its entries' ids (`id` or `id.attribute`) and the variables each uses.
fn texts_of(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (code, name, source) in embedded::FILES {
        if *code != lang {
            continue;
        }
        let resource = fluent_syntax::parser::parse(*source)
            .unwrap_or_else(|(_, errors)| panic!("{lang}/{name} does not parse: {errors:?}"));
        for entry in resource.body {
            let ast::Entry::Message(message) = entry else {
                continue;
            };
            let id = message.id.name.to_string();
            if let Some(value) = &message.value {
                let mut vars = BTreeSet::new();
                pattern_vars(value, &mut vars);
                assert!(
                    out.insert(id.clone(), vars).is_none(),
                    "{lang}: {id} is defined twice"
                );
            }
            for attribute in &message.attributes {
                let mut vars = BTreeSet::new();
                pattern_vars(&attribute.value, &mut vars);
                out.insert(format!("{id}.{}", attribute.id.name), vars);
            }
        }
    }
    out
}

fn pattern_vars(pattern: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(expression: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for variant in variants {
                pattern_vars(&variant.value, vars);
            }
        }
        ast::Expression::Inline(inline) => inline_vars(inline, vars),
    }
}

fn inline_vars(inline: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for arg in &arguments.positional {
                inline_vars(arg, vars);
            }
            for arg in &arguments.named {
                inline_vars(&arg.value, vars);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        _ => {}
    }
}

#[test]
fn every_language_has_every_text_and_no_other() {
    let english = texts_of("en");
    assert!(!english.is_empty());
    let mut problems = Vec::new();
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
        let texts = texts_of(lang.code());
        for (id, vars) in &english {
            match texts.get(id) {
                None => problems.push(format!("{}: missing {id}", lang.code())),
                Some(used) => {
                    for var in used.difference(vars) {
                        problems.push(format!(
                            "{}: {id} uses ${var}, which English does not pass",
                            lang.code()
                        ));
                    }
                }
            }
        }
        for id in texts.keys().filter(|id| !english.contains_key(*id)) {
            problems.push(format!("{}: {id} is not an English text", lang.code()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_file_loads_into_its_bundle_without_errors() {
    for (code, name, source) in embedded::FILES {
        let resource = FluentResource::try_new((*source).to_string())
            .unwrap_or_else(|(_, e)| panic!("{code}/{name}: {e:?}"));
        let mut bundle: Bundle = FluentBundle::new_concurrent(vec![code.parse().unwrap()]);
        bundle
            .add_resource(resource)
            .unwrap_or_else(|e| panic!("{code}/{name}: {e:?}"));
    }
    for lang in Lang::ALL {
        // Whole bundles: no id is defined in two files of one language.
        let mut bundle: Bundle = FluentBundle::new_concurrent(vec![lang.code().parse().unwrap()]);
        for (code, name, source) in embedded::FILES.iter().filter(|f| f.0 == lang.code()) {
            let resource = FluentResource::try_new((*source).to_string()).unwrap();
            bundle
                .add_resource(resource)
                .unwrap_or_else(|e| panic!("{code}/{name} repeats an id: {e:?}"));
        }
    }
}

/// Every Rust file of this crate, as (path, text).
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !path.ends_with("l10n/tests.rs")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

/// The ids passed to `tr(` as a literal second argument.
fn asked_for(text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for (at, _) in text.match_indices("tr(") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &text[at + 3..];
        let Some(comma) = rest.find(',') else {
            continue;
        };
        let rest = rest[comma + 1..].trim_start();
        if let Some(literal) = rest.strip_prefix('"')
            && let Some(end) = literal.find('"')
        {
            ids.push(literal[..end].to_string());
        }
    }
    ids
}

#[test]
fn every_text_is_asked_for_and_every_text_asked_for_exists() {
    let english = texts_of("en");
    let sources = sources();
    let mut problems = Vec::new();
    for id in english.keys().filter(|id| !id.contains('.')) {
        let quoted = format!("\"{id}\"");
        if !sources.iter().any(|(_, text)| text.contains(&quoted)) {
            problems.push(format!("{id} is in en but no code asks for it"));
        }
    }
    for (path, text) in &sources {
        for id in asked_for(text) {
            if !english.contains_key(&id) {
                problems.push(format!("{path} asks for {id}, which en does not have"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn arguments_are_put_in_and_missing_texts_fall_back_to_english() {
    assert_eq!(tr(Lang::De, "language-name", &[]), "Deutsch");
    assert_eq!(tr(Lang::Tr, "no-such-text", &[]), "no-such-text");
}
