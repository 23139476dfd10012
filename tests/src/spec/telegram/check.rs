//! Checking requests and results against the Telegram description: required and unknown
//! parameters, JSON kinds, unions told apart by their `always "x"` fields.

use serde_json::{Map, Value};

use super::{TelegramSpec, TgType, tg_primitive_fits};
use crate::spec::report::{Distance, at, child, describe_kind, list_names, union_error};

impl TelegramSpec {
    /// `params` is the JSON object a client sends to `https://api.telegram.org/bot<token>/<method>`
    /// (method name is case-insensitive on Telegram's side; compare case-insensitively).
    /// Err explains exactly what is wrong: unknown method, missing required parameter,
    /// unknown parameter, or a value whose JSON type does not fit the declared types.
    /// A parameter of object or array type may also be sent JSON-serialised as a string.
    pub fn check_request(&self, method: &str, params: &Value) -> Result<(), String> {
        let spec = self
            .methods
            .get(&method.to_lowercase())
            .ok_or_else(|| format!("unknown Telegram Bot API method `{method}`"))?;
        let empty = Map::new();
        let params = match params {
            // A parameterless call (getMe) is commonly sent without a body.
            Value::Null => &empty,
            Value::Object(map) => map,
            other => {
                return Err(format!(
                    "{}: parameters must be a JSON object, got {}",
                    spec.name,
                    describe_kind(other)
                ));
            }
        };
        for field in spec.fields.iter().filter(|f| f.required) {
            if !params.contains_key(&field.name) {
                return Err(format!(
                    "{}: missing required parameter `{}`",
                    spec.name, field.name
                ));
            }
        }
        for (key, value) in params {
            let Some(field) = spec.fields.iter().find(|f| &f.name == key) else {
                return Err(format!(
                    "{}: unknown parameter `{key}` (known: {})",
                    spec.name,
                    list_names(spec.fields.iter().map(|f| f.name.as_str()))
                ));
            };
            let direct = self.check_alternatives(&field.types, value, key);
            let Err(direct_error) = direct else {
                continue;
            };
            // Telegram accepts "JSON-serialized" objects and arrays as string values, which is
            // how form-encoded clients (and some JSON ones) send reply_markup, entities, media.
            let structured = field
                .types
                .iter()
                .any(|t| tg_primitive_fits(t, &Value::Null).is_none());
            let (Value::String(text), true) = (value, structured) else {
                return Err(format!("{}: {direct_error}", spec.name));
            };
            match serde_json::from_str::<Value>(text) {
                Ok(inner) if inner.is_object() || inner.is_array() => self
                    .check_alternatives(&field.types, &inner, key)
                    .map_err(|e| format!("{}: {e} (in JSON-serialised string)", spec.name))?,
                _ => {
                    return Err(format!(
                        "{}: {key}: a string here must hold a JSON-serialised {}, got {value}",
                        spec.name,
                        field.types.join(" or ")
                    ));
                }
            }
        }
        Ok(())
    }

    /// Checks a result object returned to a client (e.g. the `result` of getChatMember) fits the
    /// named type; used to check our recorded payloads are realistic. Unknown fields in results
    /// ARE errors here too. `type_name` may also be an expression such as `Array of Update`.
    pub fn check_type(&self, type_name: &str, value: &Value) -> Result<(), String> {
        self.check_expr(type_name, value, "")
    }

    fn check_alternatives(
        &self,
        types: &[String],
        value: &Value,
        path: &str,
    ) -> Result<(), String> {
        let mut failures = Vec::new();
        for expr in types {
            match self.check_expr(expr, value, path) {
                Ok(()) => return Ok(()),
                Err(e) => failures.push((self.distance(expr, value), e)),
            }
        }
        Err(union_error(path, failures))
    }

    fn check_expr(&self, expr: &str, value: &Value, path: &str) -> Result<(), String> {
        if let Some(inner) = expr.strip_prefix("Array of ") {
            let Value::Array(items) = value else {
                return Err(format!(
                    "{}: expected {expr}, got {}",
                    at(path),
                    describe_kind(value)
                ));
            };
            return items
                .iter()
                .enumerate()
                .try_for_each(|(i, item)| self.check_expr(inner, item, &format!("{path}[{i}]")));
        }
        if let Some(fits) = tg_primitive_fits(expr, value) {
            return if fits {
                Ok(())
            } else {
                Err(format!(
                    "{}: expected {expr}, got {}",
                    at(path),
                    describe_kind(value)
                ))
            };
        }
        match self.types.get(expr) {
            None => Err(format!("{}: unknown Telegram type `{expr}`", at(path))),
            Some(TgType::Union(alternatives)) => self.check_alternatives(alternatives, value, path),
            Some(TgType::Object(fields)) => {
                let Value::Object(map) = value else {
                    return Err(format!(
                        "{}: expected {expr} object, got {}",
                        at(path),
                        describe_kind(value)
                    ));
                };
                for field in fields.iter().filter(|f| f.required) {
                    if !map.contains_key(&field.name) {
                        return Err(format!(
                            "{}: {expr} is missing required field `{}`",
                            at(path),
                            field.name
                        ));
                    }
                }
                for (key, item) in map {
                    let Some(field) = fields.iter().find(|f| &f.name == key) else {
                        return Err(format!(
                            "{}: unknown field `{key}` for {expr} (known: {})",
                            at(path),
                            list_names(fields.iter().map(|f| f.name.as_str()))
                        ));
                    };
                    let item_path = child(path, key);
                    if let Some(constant) = &field.constant
                        && item.as_str() != Some(constant.as_str())
                    {
                        return Err(format!(
                            "{item_path}: {expr} requires \"{constant}\", got {item}"
                        ));
                    }
                    self.check_alternatives(&field.types, item, &item_path)?;
                }
                Ok(())
            }
        }
    }

    /// How close `value` is to `expr`, used only to pick which failures of a union to report.
    fn distance(&self, expr: &str, value: &Value) -> Distance {
        if expr.starts_with("Array of ") {
            return value.is_array().then_some(0);
        }
        // A fractional number for an Integer is a near miss worth reporting, not another kind.
        let fits = match expr {
            "Integer" | "Float" => Some(value.is_number()),
            _ => tg_primitive_fits(expr, value),
        };
        if let Some(fits) = fits {
            return fits.then_some(0);
        }
        match (self.types.get(expr), value) {
            (Some(TgType::Union(alternatives)), _) => alternatives
                .iter()
                .filter_map(|a| self.distance(a, value))
                .min(),
            (Some(TgType::Object(fields)), Value::Object(map)) => {
                let discriminator_differs = fields.iter().any(|f| {
                    matches!((&f.constant, map.get(&f.name)),
                        (Some(constant), Some(actual)) if actual.as_str() != Some(constant.as_str()))
                });
                if discriminator_differs {
                    return None;
                }
                let unknown = map
                    .keys()
                    .filter(|k| !fields.iter().any(|f| &f.name == *k))
                    .count();
                let missing = fields
                    .iter()
                    .filter(|f| f.required && !map.contains_key(&f.name))
                    .count();
                Some(unknown + missing)
            }
            _ => None,
        }
    }
}
