//! Whole (non-streamed) answers, built on recorded responses, and the HTTP helpers every
//! answer goes through.

use std::io;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::Response;
use serde_json::{Value, json};

use super::said::Said;
use super::text::{describe, prompt_tokens, reply_text, responses_input, tokens};
use crate::fixtures;

pub(crate) type ResponseBody = BoxBody<Bytes, io::Error>;

pub(crate) fn reply(
    status: u16,
    content_type: &str,
    body: impl Into<Bytes>,
) -> Response<ResponseBody> {
    let mut response = Response::new(
        Full::new(body.into())
            .map_err(|never| match never {})
            .boxed(),
    );
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(value) = hyper::header::HeaderValue::from_str(content_type) {
        response
            .headers_mut()
            .insert(hyper::header::CONTENT_TYPE, value);
    }
    response
}

pub(crate) fn json_reply(status: u16, body: &Value) -> Response<ResponseBody> {
    reply(status, "application/json", body.to_string())
}

pub(crate) fn recorded(status: u16, file: &str) -> Response<ResponseBody> {
    reply(
        status,
        "application/json",
        fixtures::text(&format!("openai/{file}")),
    )
}

pub(crate) fn invalid_request(message: &str) -> Response<ResponseBody> {
    json_reply(
        400,
        &json!({"error": {"message": message, "type": "invalid_request_error", "param": null, "code": null}}),
    )
}

pub(crate) fn server_error() -> Response<ResponseBody> {
    recorded(500, "32-error-500-server-error.json")
}

/// A chat.completion shaped exactly like the recorded gpt-4o-mini response.
pub fn completion_body(request: &Value) -> Value {
    chat_completion(
        request,
        &Said::Text {
            text: reply_text(request),
            cut: false,
        },
    )
}

/// A chat.completion saying `said`.
pub(crate) fn chat_completion(request: &Value, said: &Said) -> Value {
    let mut body = fixtures::json("openai/01-chat-completion-gpt-4o-mini-usage-details.json");
    let prompt = prompt_tokens(request);
    let completion = said.completion_tokens();
    let choice = &mut body["choices"][0];
    choice["message"]["content"] = json!(said.text());
    choice["message"]["refusal"] = json!(said.refusal());
    choice["finish_reason"] = json!(said.finish_reason());
    body["model"] = request["model"].clone();
    body["usage"]["prompt_tokens"] = json!(prompt);
    body["usage"]["completion_tokens"] = json!(completion);
    body["usage"]["total_tokens"] = json!(prompt + completion);
    body
}

/// The text a Responses API request gets, `earlier_items` being the conversation so far.
pub(crate) fn responses_text(request: &Value, earlier_items: usize) -> String {
    let (instructions, input) = responses_input(request);
    describe(&instructions, &input, earlier_items)
}

pub(crate) fn responses_input_tokens(request: &Value) -> u64 {
    let (instructions, input) = responses_input(request);
    tokens(&instructions) + tokens(&input) + 8
}

/// A Responses API `response`, shaped exactly like the recorded one.
pub fn response_body(request: &Value, earlier_items: usize) -> Value {
    let said = Said::Text {
        text: responses_text(request, earlier_items),
        cut: false,
    };
    response_saying(request, &said)
}

/// The output content part for what the model said (none when it was filtered).
pub(crate) fn output_part(said: &Said) -> Option<Value> {
    match said {
        Said::Text { text, .. } => {
            Some(json!({"type": "output_text", "annotations": [], "logprobs": [], "text": text}))
        }
        Said::Refusal(text) => Some(json!({"type": "refusal", "refusal": text})),
        Said::Filtered => None,
    }
}

/// A Responses API `response` saying `said`: `incomplete` with the reason the spec
/// names when the output limit cut it or the content filter stopped it.
pub(crate) fn response_saying(request: &Value, said: &Said) -> Value {
    let mut body = fixtures::json("openai/11-responses-response-output-text.json");
    let (instructions, _) = responses_input(request);
    let input_tokens = responses_input_tokens(request);
    let output_tokens = said.completion_tokens();
    let incomplete = match said {
        Said::Text { cut: true, .. } => Some("max_output_tokens"),
        Said::Filtered => Some("content_filter"),
        _ => None,
    };
    match output_part(said) {
        Some(part) => body["output"][0]["content"] = json!([part]),
        None => body["output"] = json!([]),
    }
    if let Some(reason) = incomplete {
        body["status"] = json!("incomplete");
        body["incomplete_details"] = json!({"reason": reason});
        if body["output"][0].is_object() {
            body["output"][0]["status"] = json!("incomplete");
        }
    }
    body["model"] = request["model"].clone();
    body["instructions"] = json!(instructions);
    body["max_output_tokens"] = request
        .get("max_output_tokens")
        .cloned()
        .unwrap_or(Value::Null);
    body["usage"]["input_tokens"] = json!(input_tokens);
    body["usage"]["output_tokens"] = json!(output_tokens);
    body["usage"]["total_tokens"] = json!(input_tokens + output_tokens);
    body
}
