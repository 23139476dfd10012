//! Schemas flattened into views: every `$ref`/`allOf` merged in and every `oneOf`/`anyOf`
//! choice made, so that checking a value is a walk over plain alternatives.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{MAX_EXPANSION_NESTING, OpenAiSpec};

/// Bounds the cross product of `allOf` branches that themselves are unions.
const MAX_VIEWS: usize = 512;

/// What an object schema says about keys it does not list.
#[derive(Clone, Copy, Default)]
pub(super) enum Additional<'a> {
    /// Not declared: most OpenAI schemas omit `additionalProperties` although the API
    /// rejects unknown keys, so this is strict unless no properties are declared at all.
    #[default]
    Unspecified,
    Forbidden,
    Allowed,
    Schema(&'a Value),
}

/// One alternative of a schema with all `$ref`/`allOf` flattened into it and every
/// `oneOf`/`anyOf` choice made. Property schemas stay unexpanded until a value needs them.
#[derive(Clone, Default)]
pub(super) struct View<'a> {
    pub(super) ty: Option<&'a str>,
    pub(super) props: BTreeMap<&'a str, &'a Value>,
    pub(super) required: BTreeSet<&'a str>,
    pub(super) additional: Additional<'a>,
    pub(super) allowed: Option<Vec<&'a Value>>,
    pub(super) items: Option<&'a Value>,
    /// The schema `$recursiveRef: "#"` points back to (used by the vector-store filters).
    pub(super) anchor: Option<&'a Value>,
}

fn merge_types<'a>(a: Option<&'a str>, b: Option<&'a str>) -> Option<Option<&'a str>> {
    match (a, b) {
        (None, t) | (t, None) => Some(t),
        (Some(x), Some(y)) if x == y => Some(Some(x)),
        (Some("integer"), Some("number")) | (Some("number"), Some("integer")) => {
            Some(Some("integer"))
        }
        _ => None,
    }
}

/// Conjunction of two alternatives, or None when no value could satisfy both.
fn merge<'a>(a: &View<'a>, b: &View<'a>) -> Option<View<'a>> {
    let ty = merge_types(a.ty, b.ty)?;
    let mut props = a.props.clone();
    // A later allOf branch re-declaring a property is the more specific schema
    // (e.g. CreateChatCompletionRequest narrowing ModelResponseProperties), so it wins.
    props.extend(b.props.iter().map(|(k, v)| (*k, *v)));
    let required = a.required.union(&b.required).copied().collect();
    let additional = match (a.additional, b.additional) {
        (Additional::Allowed, _) | (_, Additional::Allowed) => Additional::Allowed,
        (Additional::Schema(s), _) | (_, Additional::Schema(s)) => Additional::Schema(s),
        (Additional::Forbidden, _) | (_, Additional::Forbidden) => Additional::Forbidden,
        _ => Additional::Unspecified,
    };
    let allowed = match (&a.allowed, &b.allowed) {
        (Some(x), Some(y)) => {
            let both: Vec<&Value> = x.iter().copied().filter(|v| y.contains(v)).collect();
            if both.is_empty() {
                return None;
            }
            Some(both)
        }
        (x, y) => x.clone().or_else(|| y.clone()),
    };
    Some(View {
        ty,
        props,
        required,
        additional,
        allowed,
        items: b.items.or(a.items),
        anchor: b.anchor.or(a.anchor),
    })
}

impl OpenAiSpec {
    /// The views of a schema object's own keywords, one per type it lists.
    fn own_views<'a>(obj: &'a Map<String, Value>, anchor: Option<&'a Value>) -> Vec<View<'a>> {
        let mut base = View {
            anchor,
            ..View::default()
        };
        if let Some(Value::Object(props)) = obj.get("properties") {
            base.props = props.iter().map(|(k, v)| (k.as_str(), v)).collect();
        }
        if let Some(Value::Array(required)) = obj.get("required") {
            base.required = required.iter().filter_map(Value::as_str).collect();
        }
        base.additional = match obj.get("additionalProperties") {
            None => Additional::Unspecified,
            Some(Value::Bool(false)) => Additional::Forbidden,
            Some(Value::Bool(true)) => Additional::Allowed,
            Some(Value::Object(o)) if o.is_empty() => Additional::Allowed,
            Some(schema) => Additional::Schema(schema),
        };
        if let Some(constant) = obj.get("const") {
            base.allowed = Some(vec![constant]);
        } else if let Some(Value::Array(values)) = obj.get("enum") {
            base.allowed = Some(values.iter().collect());
        }
        base.items = obj.get("items");
        match obj.get("type") {
            Some(Value::String(t)) => {
                base.ty = Some(t.as_str());
                vec![base]
            }
            // OpenAPI 3.1 allows `type: [string, "null"]`.
            Some(Value::Array(types)) => types
                .iter()
                .filter_map(Value::as_str)
                .map(|t| View {
                    ty: Some(t),
                    ..base.clone()
                })
                .collect(),
            _ => vec![base],
        }
    }

    /// Every alternative `schema` allows, flattened; `anchor` is the innermost
    /// `$recursiveAnchor` schema, `nesting` how deep references have been followed.
    pub(super) fn expand<'a>(
        &'a self,
        schema: &'a Value,
        anchor: Option<&'a Value>,
        nesting: u32,
    ) -> Vec<View<'a>> {
        let obj = match schema {
            Value::Object(obj) if nesting < MAX_EXPANSION_NESTING => obj,
            Value::Bool(false) => return Vec::new(),
            _ => return vec![View::any(anchor)],
        };
        let anchor = if obj.get("$recursiveAnchor") == Some(&Value::Bool(true)) {
            Some(schema)
        } else {
            anchor
        };
        let mut views = product(self.conjuncts(obj, anchor, nesting), anchor);
        // Some schemas carry `nullable` with no `type` (or next to a `$ref`/`oneOf`); it must
        // admit null whatever the rest says, so it is an extra alternative, not a conjunct.
        if obj.get("nullable") == Some(&Value::Bool(true)) {
            views.push(View {
                ty: Some("null"),
                ..View::any(anchor)
            });
        }
        views
    }

    /// What a schema object requires all at once: its own keywords, the schemas it refers
    /// to and its `allOf` branches each as one conjunct; a `oneOf`/`anyOf` is one conjunct
    /// of alternatives.
    fn conjuncts<'a>(
        &'a self,
        obj: &'a Map<String, Value>,
        anchor: Option<&'a Value>,
        nesting: u32,
    ) -> Vec<Vec<View<'a>>> {
        const OWN_KEYWORDS: [&str; 7] = [
            "type",
            "properties",
            "required",
            "additionalProperties",
            "items",
            "enum",
            "const",
        ];
        let mut conjuncts: Vec<Vec<View<'a>>> = Vec::new();
        if OWN_KEYWORDS.iter().any(|k| obj.contains_key(*k)) {
            conjuncts.push(Self::own_views(obj, anchor));
        }
        if let Some(target) = obj
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| self.resolve(r))
        {
            conjuncts.push(self.expand(target, anchor, nesting + 1));
        }
        if obj.contains_key("$recursiveRef")
            && let Some(target) = anchor
        {
            conjuncts.push(self.expand(target, anchor, nesting + 1));
        }
        if let Some(Value::Array(branches)) = obj.get("allOf") {
            for branch in branches {
                conjuncts.push(self.expand(branch, anchor, nesting + 1));
            }
        }
        for union in ["oneOf", "anyOf"] {
            if let Some(Value::Array(alternatives)) = obj.get(union) {
                conjuncts.push(
                    alternatives
                        .iter()
                        .flat_map(|a| self.expand(a, anchor, nesting + 1))
                        .collect(),
                );
            }
        }
        conjuncts
    }
}

impl<'a> View<'a> {
    /// The view that allows anything.
    fn any(anchor: Option<&'a Value>) -> Self {
        View {
            anchor,
            ..View::default()
        }
    }
}

/// Every way to pick one alternative of each conjunct, merged; picks that contradict
/// each other drop out, and the count is capped at [`MAX_VIEWS`].
fn product<'a>(conjuncts: Vec<Vec<View<'a>>>, anchor: Option<&'a Value>) -> Vec<View<'a>> {
    let mut views = vec![View::any(anchor)];
    for conjunct in conjuncts {
        let mut next = Vec::new();
        'product: for a in &views {
            for b in &conjunct {
                if let Some(merged) = merge(a, b) {
                    next.push(merged);
                    if next.len() >= MAX_VIEWS {
                        break 'product;
                    }
                }
            }
        }
        views = next;
    }
    views
}
