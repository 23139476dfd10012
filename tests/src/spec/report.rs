//! How a failed check is worded: kinds, paths, and the closest alternatives of a union.

use serde_json::Value;

/// Caps how many alternatives of an error are spelled out, so a failed match against a
/// wide union (e.g. 20 InlineQueryResult kinds) stays readable.
const MAX_REPORTED_ALTERNATIVES: usize = 4;

/// The JSON kind of a value, as error messages name it.
pub(super) fn describe_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A path for messages: the top level has none of its own.
pub(super) fn at(path: &str) -> &str {
    if path.is_empty() { "(top level)" } else { path }
}

/// The path of `key` inside the object at `path`.
pub(super) fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Names joined for a `(known: …)` hint.
pub(super) fn list_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

/// How far a value is from one alternative of a union: `None` when it plainly is
/// something else (another JSON kind, another discriminator value), otherwise the number
/// of unknown plus missing keys.
pub(super) type Distance = Option<usize>;

/// Keeps the most relevant failure reasons of a union: only the closest alternatives are
/// reported, because "user message has unknown key `foo`" is what a reader needs, not five
/// "role is not `system`" lines.
pub(super) fn union_error(path: &str, failures: Vec<(Distance, String)>) -> String {
    let closest = failures.iter().filter_map(|(distance, _)| *distance).min();
    let mut reasons: Vec<String> = Vec::new();
    for (distance, reason) in failures {
        if (closest.is_none() || distance == closest) && !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    match reasons.len() {
        0 => format!("{}: no value is allowed here", at(path)),
        1 => reasons.remove(0),
        n => {
            let shown = reasons
                .iter()
                .take(MAX_REPORTED_ALTERNATIVES)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" | ");
            let more = n.saturating_sub(MAX_REPORTED_ALTERNATIVES);
            let tail = if more > 0 {
                format!(" | … {more} more")
            } else {
                String::new()
            };
            format!("{}: fits none of {n} alternatives: {shown}{tail}", at(path))
        }
    }
}
