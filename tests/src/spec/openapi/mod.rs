//! The OpenAI API description (OpenAPI 3.1): requests, responses, named schemas and
//! streamed events checked against the schemas OpenAI publishes.
//!
//! A schema is first flattened into views ([`view`]), one per alternative, then a value
//! is checked against them ([`validate`]). Operations are found by path template
//! ([`operations`]); multipart forms are read as the JSON they stand for ([`form`]).

mod form;
mod operations;
mod validate;
mod view;

use serde_json::Value;

use self::operations::Operation;

/// How thoroughly a body is compared with its schema.
#[derive(Clone, Copy)]
pub(in crate::spec) struct Strictness {
    /// Objects and arrays nested deeper than this are taken as they are.
    max_depth: usize,
    /// The live API reports unset optional fields as `null` even where the schema (often
    /// shared with the request) does not say `nullable`, e.g. `user` in a Response.
    optional_may_be_null: bool,
}

/// Request bodies are what our own code sends, so they are checked thoroughly.
pub(in crate::spec) const REQUEST: Strictness = Strictness {
    max_depth: 6,
    optional_may_be_null: false,
};
/// Responses are checked at the top level only: the description lags behind what the live
/// API puts in nested objects (e.g. o3-mini omits `choices[].logprobs`, which it requires),
/// and the fakes only need the envelope to be right.
const RESPONSE: Strictness = Strictness {
    max_depth: 1,
    optional_may_be_null: true,
};
/// Whole objects we generate ourselves (streamed chunks) are checked as deep as requests;
/// only the live API's habit of sending `null` for unset optional fields is excused.
const COMPONENT: Strictness = Strictness {
    max_depth: 6,
    optional_may_be_null: true,
};

/// Bounds `$ref`/composition chains, which never legitimately nest this deep.
const MAX_EXPANSION_NESTING: u32 = 48;

/// Top-level keys the live API returns although the description omits them, by path
/// template. Each was seen in a real recorded response (shared fixtures
/// `openai/11-responses-response-output-text.json`, `openai/22-transcription-verbose-json.json`);
/// without this a faithful fake would be flagged as unrealistic.
const UNDOCUMENTED_RESPONSE_KEYS: &[(&str, &[&str])] = &[
    ("/responses", &["store"]),
    ("/responses/{response_id}", &["store"]),
    ("/responses/{response_id}/cancel", &["store"]),
    ("/audio/transcriptions", &["task"]),
];

/// The OpenAI API description (OpenAPI 3.1, as published by OpenAI, version 2.3.0).
pub struct OpenAiSpec {
    pub(super) root: Value,
    /// Path templates split into segments; `None` stands for a `{parameter}`.
    pub(super) paths: Vec<(Vec<Option<String>>, String)>,
}

/// The spec's one integer literal outside the i64 range (`seed`'s minimum/maximum) makes
/// the YAML reader fail; rewritten as a float it means the same to this checker.
fn patch_out_of_range_integers(text: &str) -> String {
    text.replace("9223372036854776000", "9.223372036854776e+18")
}

impl OpenAiSpec {
    /// Reads the description (the YAML of `tests/specs/`).
    pub(super) fn parse(text: &str) -> Result<Self, String> {
        let root: Value = serde_yaml_ng::from_str(&patch_out_of_range_integers(text))
            .map_err(|e| e.to_string())?;
        let paths = root
            .get("paths")
            .and_then(Value::as_object)
            .ok_or("no `paths` object")?
            .keys()
            // `/responses?beta=true` and the like duplicate a plain path for SDK generators.
            .filter(|template| !template.contains('?'))
            .map(|template| {
                let segments = template
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(|s| (!s.starts_with('{')).then(|| s.to_owned()))
                    .collect();
                (segments, template.clone())
            })
            .collect();
        Ok(Self { root, paths })
    }

    /// `path` as the client sends it, with or without the `/v1` prefix (e.g. "/v1/chat/completions");
    /// http_method "POST"/"GET". Err on: unknown path/method, missing required top-level property,
    /// unknown top-level property (when the schema does not allow additionalProperties), and
    /// likewise for nested objects and array items down to a fixed depth — so each element of
    /// `messages` must match one of the message variants by `role`, with no unknown keys and
    /// required keys present. For operations without a request body, an object `body` is read as
    /// the query parameters.
    pub fn check_request(&self, http_method: &str, path: &str, body: &Value) -> Result<(), String> {
        let Operation {
            label,
            operation,
            path_item,
            ..
        } = self.operation(http_method, path)?;
        let Some(request_body) = operation.get("requestBody") else {
            return self.check_query(&label, operation, path_item, body);
        };
        let request_body = self.deref(request_body);
        let required = request_body.get("required").and_then(Value::as_bool) == Some(true);
        if body.is_null() {
            return if required {
                Err(format!("{label}: a request body is required"))
            } else {
                Ok(())
            };
        }
        let schema = Self::content_schema(request_body)
            .ok_or_else(|| format!("{label}: the description has no request body schema"))?;
        self.check_schema(schema, None, body, 0, REQUEST, "")
            .map_err(|e| format!("{label}: {e}"))
    }

    /// Check a response body against the documented 200 response schema's top-level properties
    /// (e.g. CreateChatCompletionResponse): required present, no unknown top-level keys, and
    /// top-level values of the documented JSON type. Two gaps of the description that real
    /// responses show are excused: `null` for an optional key, and the few keys listed in
    /// `UNDOCUMENTED_RESPONSE_KEYS`.
    pub fn check_response(
        &self,
        http_method: &str,
        path: &str,
        body: &Value,
    ) -> Result<(), String> {
        let Operation {
            label,
            template,
            operation,
            ..
        } = self.operation(http_method, path)?;
        let responses = operation
            .get("responses")
            .and_then(Value::as_object)
            .ok_or_else(|| format!("{label}: the description lists no responses"))?;
        let success = responses
            .get("200")
            .or_else(|| {
                responses
                    .iter()
                    .find(|(code, _)| code.starts_with('2'))
                    .map(|(_, r)| r)
            })
            .ok_or_else(|| format!("{label}: the description has no success response"))?;
        let schema = Self::content_schema(self.deref(success))
            .ok_or_else(|| format!("{label}: the success response has no JSON schema"))?;
        let undocumented = UNDOCUMENTED_RESPONSE_KEYS
            .iter()
            .filter(|(t, _)| *t == template)
            .flat_map(|(_, keys)| keys.iter());
        let mut trimmed = body.clone();
        if let Value::Object(map) = &mut trimmed {
            for key in undocumented {
                map.remove(*key);
            }
        }
        self.check_schema(schema, None, &trimmed, 0, RESPONSE, "")
            .map_err(|e| format!("{label}: {e} (response)"))
    }

    /// Checks a value against one named schema of the description (e.g. the streamed
    /// `CreateChatCompletionStreamResponse`, which no operation's JSON response names), as
    /// thoroughly as a request but with the live API's `null` for unset optional fields.
    pub fn check_component(&self, schema_name: &str, value: &Value) -> Result<(), String> {
        let pointer = format!("#/components/schemas/{schema_name}");
        let schema = self
            .resolve(&pointer)
            .ok_or_else(|| format!("no schema `{schema_name}` in the description"))?;
        self.check_schema(schema, None, value, 0, COMPONENT, "")
            .map_err(|e| format!("{schema_name}: {e}"))
    }

    /// Checks one event of a streamed Responses API answer against `ResponseStreamEvent`,
    /// excusing what the live API sends undocumented (recorded `openai/14-responses-stream.sse`):
    /// `obfuscation` on text deltas and `store` on the response objects.
    pub fn check_response_stream_event(&self, event: &Value) -> Result<(), String> {
        let mut trimmed = event.clone();
        if let Some(map) = trimmed.as_object_mut() {
            map.remove("obfuscation");
            if let Some(response) = map.get_mut("response").and_then(Value::as_object_mut) {
                response.remove("store");
            }
        }
        self.check_component("ResponseStreamEvent", &trimmed)
    }

    /// The node a local `#/…` reference points at.
    pub(super) fn resolve(&self, reference: &str) -> Option<&Value> {
        self.root.pointer(reference.strip_prefix('#')?)
    }

    /// Follows `$ref`s of request bodies, responses and parameters.
    fn deref<'a>(&'a self, mut node: &'a Value) -> &'a Value {
        for _ in 0..MAX_EXPANSION_NESTING {
            match node
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| self.resolve(r))
            {
                Some(target) => node = target,
                None => break,
            }
        }
        node
    }
}
