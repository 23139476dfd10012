//! Unit tests: generated bodies against the OpenAPI description, and the server at the
//! HTTP level through the plain client in `raw_http`.

mod audio;
mod bodies;
mod faults;
mod limits;
mod llama;
mod server;
mod streams;

use serde_json::{Value, json};

use super::OpenAiStandIn;
use crate::raw_http::{RawResponse, http};

const KEY: &str = "sk-test";

async fn post_json(ai: &OpenAiStandIn, path: &str, body: &Value) -> RawResponse {
    let auth = format!("Bearer {KEY}");
    http(
        "POST",
        &ai.base_url(),
        &format!("/v1{path}"),
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        body.to_string().as_bytes(),
    )
    .await
}

/// The `data:` payloads of an SSE body, in order.
fn sse_data(body: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(body)
        .split("\n\n")
        .filter_map(|e| e.strip_prefix("data: "))
        .map(str::to_owned)
        .collect()
}

/// The chunks of a chat stream as JSON, without `[DONE]`.
fn sse_chunks(body: &[u8]) -> Vec<Value> {
    sse_data(body)
        .iter()
        .filter(|d| *d != "[DONE]")
        .map(|d| serde_json::from_str(d).unwrap_or_else(|e| panic!("{e}: {d}")))
        .collect()
}

fn chat_request(include_usage: bool) -> Value {
    json!({"model": "gpt-4o-mini", "stream": true,
    "stream_options": {"include_usage": include_usage},
    "messages": [
        {"role": "system", "content": "You are their friend: warm"},
        {"role": "user", "content": "tell me something nice about the weather today"}
    ]})
}

/// [`chat_request`] without streaming.
fn whole_chat_request() -> Value {
    let mut plain = chat_request(false);
    let map = plain.as_object_mut().unwrap();
    map.remove("stream");
    map.remove("stream_options");
    plain
}

fn responses_request(conversation: &str, streamed: bool) -> Value {
    let mut request = json!({"model": "gpt-4o-mini", "conversation": conversation,
        "instructions": "You are their parent: caring", "input": "how was your day"});
    if streamed {
        request["stream"] = json!(true);
    }
    request
}

fn data_of(event: &str) -> &str {
    event
        .strip_prefix("data: ")
        .and_then(|e| e.strip_suffix("\n\n"))
        .unwrap_or_else(|| panic!("not one SSE data event: {event:?}"))
}

/// A Responses API event written as `event:` + `data:`, parsed.
fn responses_event(raw: &str) -> (String, Value) {
    let (head, data) = raw.split_once('\n').unwrap();
    let kind = head.strip_prefix("event: ").unwrap().to_owned();
    let event: Value = serde_json::from_str(data_of(data)).unwrap();
    assert_eq!(event["type"], kind.as_str());
    (kind, event)
}

/// The text a chat stream spelled in `field` (`content` or `refusal`).
fn spelled(chunks: &[Value], field: &str) -> String {
    chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"][field].as_str())
        .collect()
}
