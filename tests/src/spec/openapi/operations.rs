//! Finding the operation a request is for, and checking the query of operations that
//! take no body.

use serde_json::Value;

use super::OpenAiSpec;
use crate::spec::report::{describe_kind, list_names};

/// One operation of the description, found from a request's method and path.
pub(super) struct Operation<'a> {
    /// `METHOD /template`, the prefix of every error about this operation.
    pub(super) label: String,
    pub(super) template: &'a str,
    pub(super) operation: &'a Value,
    pub(super) path_item: &'a Value,
}

impl OpenAiSpec {
    /// The operation a request is for, by path template (literal segments win).
    pub(super) fn operation(&self, http_method: &str, path: &str) -> Result<Operation<'_>, String> {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let path = path
            .strip_prefix("/v1")
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
            .unwrap_or(path);
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let template = self
            .paths
            .iter()
            .filter(|(pattern, _)| {
                pattern.len() == segments.len()
                    && pattern
                        .iter()
                        .zip(&segments)
                        .all(|(p, s)| p.as_deref().is_none_or(|literal| literal == *s))
            })
            // A literal such as `/responses/compact` must beat `/responses/{response_id}`.
            .min_by_key(|(pattern, _)| pattern.iter().filter(|p| p.is_none()).count())
            .map(|(_, template)| template)
            .ok_or_else(|| format!("unknown OpenAI API path `{path}`"))?;
        let path_item = &self.root["paths"][template.as_str()];
        let method = http_method.to_lowercase();
        let operation = path_item.get(&method).ok_or_else(|| {
            let known = path_item
                .as_object()
                .map(|o| {
                    list_names(
                        o.keys()
                            .map(String::as_str)
                            .filter(|k| ["get", "post", "put", "patch", "delete"].contains(k)),
                    )
                })
                .unwrap_or_default();
            format!("{template} does not accept {http_method} (it accepts: {known})")
        })?;
        Ok(Operation {
            label: format!("{} {template}", http_method.to_uppercase()),
            template,
            operation,
            path_item,
        })
    }

    /// For operations without a request body: `body` read as the query parameters.
    pub(super) fn check_query(
        &self,
        label: &str,
        operation: &Value,
        path_item: &Value,
        body: &Value,
    ) -> Result<(), String> {
        fn name_of<'v>(parameter: &&'v Value) -> &'v str {
            parameter
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
        }

        let query = match body {
            Value::Null => return Ok(()),
            Value::Object(map) => map,
            other => {
                return Err(format!(
                    "{label}: takes no request body, got {}",
                    describe_kind(other)
                ));
            }
        };
        let parameters: Vec<&Value> = [operation, path_item]
            .iter()
            .filter_map(|o| o.get("parameters").and_then(Value::as_array))
            .flatten()
            .map(|p| self.deref(p))
            .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
            .collect();
        for p in &parameters {
            if p.get("required").and_then(Value::as_bool) == Some(true)
                && !query.contains_key(name_of(p))
            {
                return Err(format!(
                    "{label}: missing required query parameter `{}`",
                    name_of(p)
                ));
            }
        }
        for key in query.keys() {
            if !parameters.iter().any(|p| name_of(p) == key) {
                return Err(format!(
                    "{label}: takes no request body and has no query parameter `{key}` (known: {})",
                    list_names(parameters.iter().map(name_of))
                ));
            }
        }
        Ok(())
    }

    /// The schema of a request body or response, JSON preferred.
    pub(super) fn content_schema(holder: &Value) -> Option<&Value> {
        let content = holder.get("content")?.as_object()?;
        ["application/json", "multipart/form-data"]
            .iter()
            .find_map(|mime| content.get(*mime))
            .or_else(|| content.values().next())?
            .get("schema")
    }
}
