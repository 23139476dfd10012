//! Checking a value against a schema's views: kinds, allowed values, required and unknown
//! properties, array items, down to the depth a [`Strictness`] allows.

use serde_json::{Map, Value};

use super::view::{Additional, View};
use super::{OpenAiSpec, Strictness};
use crate::spec::report::{Distance, at, child, describe_kind, list_names, union_error};

/// Whether a value is of a JSON Schema `type`; unknown type names allow anything.
fn kind_fits(ty: &str, value: &Value) -> bool {
    match ty {
        "null" => value.is_null(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

impl OpenAiSpec {
    /// The single value a schema pins a property to (`enum: [x]` or `const: x`), which is
    /// how OpenAI discriminates `role`/`type` unions.
    fn pinned_value<'a>(&'a self, schema: &'a Value) -> Option<&'a Value> {
        let schema = self.deref(schema);
        if let Some(constant) = schema.get("const") {
            return Some(constant);
        }
        match schema
            .get("enum")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([only]) => Some(only),
            _ => None,
        }
    }

    /// How close `value` is to `view`, used only to pick which failures of a union to report.
    fn distance(&self, view: &View<'_>, value: &Value) -> Distance {
        // A fractional number for an integer is a near miss worth reporting, not another kind.
        let kind = view.ty.map(|t| if t == "integer" { "number" } else { t });
        if kind.is_some_and(|t| !kind_fits(t, value)) {
            return None;
        }
        let Value::Object(map) = value else {
            return Some(0);
        };
        let discriminator_differs = view.props.iter().any(|(key, schema)| {
            matches!((self.pinned_value(schema), map.get(*key)),
                (Some(pinned), Some(actual)) if pinned != actual)
        });
        if discriminator_differs {
            return None;
        }
        let strict = matches!(
            view.additional,
            Additional::Unspecified | Additional::Forbidden
        ) && !view.props.is_empty();
        let unknown = if strict {
            map.keys()
                .filter(|k| !view.props.contains_key(k.as_str()))
                .count()
        } else {
            0
        };
        let missing = view
            .required
            .iter()
            .filter(|k| !map.contains_key(**k))
            .count();
        Some(unknown + missing)
    }

    /// Checks `value` against every view of `schema`; fails with the closest views' reasons.
    pub(in crate::spec) fn check_schema(
        &self,
        schema: &Value,
        anchor: Option<&Value>,
        value: &Value,
        depth: usize,
        strictness: Strictness,
        path: &str,
    ) -> Result<(), String> {
        let views = self.expand(schema, anchor, 0);
        let mut failures = Vec::new();
        for view in &views {
            match self.check_view(view, value, depth, strictness, path) {
                Ok(()) => return Ok(()),
                Err(e) => failures.push((self.distance(view, value), e)),
            }
        }
        Err(union_error(path, failures))
    }

    /// Checks `value` against one view, descending into properties and items.
    pub(super) fn check_view(
        &self,
        view: &View<'_>,
        value: &Value,
        depth: usize,
        strictness: Strictness,
        path: &str,
    ) -> Result<(), String> {
        if let Some(ty) = view.ty
            && !kind_fits(ty, value)
        {
            return Err(format!(
                "{}: expected {ty}, got {}",
                at(path),
                describe_kind(value)
            ));
        }
        if let Some(allowed) = &view.allowed
            && !allowed.contains(&value)
        {
            let shown: Vec<String> = allowed.iter().map(ToString::to_string).collect();
            return Err(format!(
                "{}: {value} is not one of {}",
                at(path),
                shown.join(", ")
            ));
        }
        if depth >= strictness.max_depth {
            return Ok(());
        }
        match value {
            Value::Object(map) => self.check_object(view, map, depth, strictness, path),
            Value::Array(items) => match view.items {
                Some(schema) => items.iter().enumerate().try_for_each(|(i, item)| {
                    self.check_schema(
                        schema,
                        view.anchor,
                        item,
                        depth + 1,
                        strictness,
                        &format!("{path}[{i}]"),
                    )
                }),
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }

    /// An object's required keys, then each key against its property schema or, for keys
    /// the view does not list, against what it says about additional properties.
    fn check_object(
        &self,
        view: &View<'_>,
        map: &Map<String, Value>,
        depth: usize,
        strictness: Strictness,
        path: &str,
    ) -> Result<(), String> {
        for key in &view.required {
            if !map.contains_key(*key) {
                return Err(format!("{}: missing required property `{key}`", at(path)));
            }
        }
        for (key, item) in map {
            let item_path = child(path, key);
            if item.is_null()
                && strictness.optional_may_be_null
                && !view.required.contains(key.as_str())
            {
                continue;
            }
            let schema = match (view.props.get(key.as_str()).copied(), view.additional) {
                (Some(schema), _) | (None, Additional::Schema(schema)) => schema,
                (None, Additional::Allowed) => continue,
                (None, Additional::Unspecified) if view.props.is_empty() => continue,
                (None, Additional::Unspecified | Additional::Forbidden) => {
                    return Err(format!(
                        "{}: unknown property `{key}` (known: {})",
                        at(path),
                        list_names(view.props.keys().copied())
                    ));
                }
            };
            self.check_schema(schema, view.anchor, item, depth + 1, strictness, &item_path)?;
        }
        Ok(())
    }
}
