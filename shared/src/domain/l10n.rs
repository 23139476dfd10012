//! Renders the bot's texts in a user's language with Fluent (`shared/locales/<code>/*.ftl`).
//!
//! Each language's bundle is built the first time a text in that language is asked for, so
//! a cold start parses no translations and a container parses only the languages its users
//! speak. A text missing from a translation falls back to English; the tests below fail
//! on a text missing from any language, and on one no code asks for.

use std::sync::OnceLock;

use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};

use super::Lang;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

type Bundle = FluentBundle<FluentResource>;

/// A text's argument: `("name", value.into())`, for strings and numbers alike.
pub type Arg<'a> = (&'a str, FluentValue<'a>);

static BUNDLES: [OnceLock<Bundle>; Lang::ALL.len()] = [const { OnceLock::new() }; Lang::ALL.len()];

fn bundle(lang: Lang) -> &'static Bundle {
    let slot = Lang::ALL
        .iter()
        .position(|l| *l == lang)
        .expect("every Lang is in Lang::ALL");
    BUNDLES[slot].get_or_init(|| build(lang))
}

fn build(lang: Lang) -> Bundle {
    let id = lang
        .code()
        .parse()
        .expect("every Lang code is a language identifier");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks around every argument would reach Telegram as invisible
    // characters, and every text here runs in one direction.
    bundle.set_use_isolating(false);
    for (code, name, source) in embedded::FILES {
        if *code != lang.code() {
            continue;
        }
        // The tests parse every file; a broken one fails them, not a user's message.
        let resource = FluentResource::try_new((*source).to_string())
            .unwrap_or_else(|(resource, errors)| {
                tracing::error!(file = %name, lang = code, errors = errors.len(), "unparsable locale file");
                resource
            });
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(file = %name, lang = code, errors = errors.len(), "duplicate texts in locale file");
        }
    }
    bundle
}

/// The text `id` in `lang`, with `args` put in; English when `lang` lacks it, and the id
/// itself if English lacks it too (which the tests rule out).
pub fn tr(lang: Lang, id: &str, args: &[Arg<'_>]) -> String {
    let args = (!args.is_empty()).then(|| {
        let mut fa = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fa.set(*name, value.clone());
        }
        fa
    });
    for lang in [lang, Lang::En] {
        let bundle = bundle(lang);
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, args.as_ref(), &mut errors);
            if !errors.is_empty() {
                tracing::warn!(
                    id,
                    lang = lang.code(),
                    errors = errors.len(),
                    "text formatted with errors"
                );
            }
            return text.into_owned();
        }
    }
    tracing::error!(id, "no such text");
    id.to_string()
}

#[cfg(test)]
mod tests;
