//! multipart/form-data requests read as the JSON object they stand for, then checked
//! against the operation's multipart schema.

use serde_json::{Map, Value};

use super::operations::Operation;
use super::view::View;
use super::{OpenAiSpec, REQUEST};
use crate::spec::multipart::FormPart;
use crate::spec::report::union_error;

impl OpenAiSpec {
    /// Checks a multipart/form-data request (e.g. `POST /v1/audio/transcriptions`) against the
    /// operation's multipart schema: required fields present, no unknown fields, files only
    /// where the schema has a binary string, and every text field readable as its declared
    /// type. Form fields are always text, so each one is read the way the API reads it: as the
    /// string itself, as JSON (numbers, booleans, serialised objects), or, for `name[]` and
    /// repeated names, as an array of such items.
    pub fn check_multipart(
        &self,
        http_method: &str,
        path: &str,
        parts: &[FormPart],
    ) -> Result<(), String> {
        let Operation {
            label, operation, ..
        } = self.operation(http_method, path)?;
        let schema = operation
            .get("requestBody")
            .map(|body| self.deref(body))
            .and_then(|body| body.get("content"))
            .and_then(|content| content.get("multipart/form-data"))
            .and_then(|media| media.get("schema"))
            .ok_or_else(|| format!("{label}: takes no multipart/form-data body"))?;
        let mut grouped: Vec<(&str, bool, Vec<&FormPart>)> = Vec::new();
        for part in parts {
            let (name, listed) = match part.name.strip_suffix("[]") {
                Some(base) => (base, true),
                None => (part.name.as_str(), false),
            };
            match grouped.iter_mut().find(|(n, _, _)| *n == name) {
                Some((_, many, group)) => {
                    *many = true;
                    group.push(part);
                }
                None => grouped.push((name, listed, vec![part])),
            }
        }
        let mut failures = Vec::new();
        for view in self.expand(schema, None, 0) {
            let attempt = self
                .form_object(&view, &grouped)
                .and_then(|object| self.check_view(&view, &object, 0, REQUEST, ""));
            match attempt {
                Ok(()) => return Ok(()),
                Err(e) => failures.push((Some(0), e)),
            }
        }
        Err(format!(
            "{label}: {} (multipart)",
            union_error("", failures)
        ))
    }

    /// The JSON object a form stands for under one alternative of the schema.
    fn form_object(
        &self,
        view: &View<'_>,
        grouped: &[(&str, bool, Vec<&FormPart>)],
    ) -> Result<Value, String> {
        let mut object = Map::new();
        for (name, many, group) in grouped {
            let schema = view.props.get(name).copied();
            let binary = schema.is_some_and(|s| {
                self.deref(s).get("format").and_then(Value::as_str) == Some("binary")
            });
            for part in group {
                match (&part.file_name, binary) {
                    (Some(_), false) if schema.is_some() => {
                        return Err(format!("`{name}` must be a text field, not a file upload"));
                    }
                    (None, true) => {
                        return Err(format!("`{name}` must be a file upload, not a text field"));
                    }
                    _ => {}
                }
            }
            let value = if binary {
                let names: Vec<Value> = group
                    .iter()
                    .map(|p| Value::String(p.file_name.clone().unwrap_or_default()))
                    .collect();
                if *many {
                    Value::Array(names)
                } else {
                    names.into_iter().next().unwrap_or(Value::Null)
                }
            } else {
                let texts: Vec<String> = group.iter().map(|p| p.text()).collect();
                let candidates = form_candidates(&texts, *many);
                let fits = |candidate: &Value| {
                    schema.is_none_or(|s| {
                        self.check_schema(s, view.anchor, candidate, 1, REQUEST, name)
                            .is_ok()
                    })
                };
                let chosen = candidates.iter().position(fits).unwrap_or(0);
                candidates.into_iter().nth(chosen).unwrap_or(Value::Null)
            };
            object.insert((*name).to_owned(), value);
        }
        Ok(Value::Object(object))
    }
}

/// The readings of a text form field, most literal first.
fn form_candidates(texts: &[String], many: bool) -> Vec<Value> {
    let readings = |text: &String| {
        let mut values = vec![Value::String(text.clone())];
        if let Ok(parsed) = serde_json::from_str::<Value>(text) {
            values.push(parsed);
        }
        values
    };
    if many {
        let literal = texts.iter().map(|t| Value::String(t.clone())).collect();
        let parsed = texts
            .iter()
            .map(|t| serde_json::from_str(t).unwrap_or_else(|_| Value::String(t.clone())))
            .collect();
        return vec![Value::Array(literal), Value::Array(parsed)];
    }
    let Some(text) = texts.first() else {
        return vec![Value::Null];
    };
    let mut values = readings(text);
    let single: Vec<Value> = values
        .iter()
        .map(|v| Value::Array(vec![v.clone()]))
        .collect();
    values.extend(single);
    values
}
