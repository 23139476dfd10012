//! The llama.cpp profile against what llama-cpp-python 0.3.36's server was recorded
//! sending (`fixtures/openai/4x-llamacpp-*`).

use serde_json::{Value, json};

use super::super::llama::{context_error, testing};
use super::super::{Endpoint, OpenAiStandIn, Profile, reply_text, stream_pieces};
use super::{KEY, chat_request, post_json, spelled, sse_data, whole_chat_request};
use crate::fixtures;
use crate::raw_http::http;

async fn llama() -> OpenAiStandIn {
    let ai = OpenAiStandIn::start(KEY).await;
    ai.set_profile(Profile::LlamaCpp);
    ai
}

#[test]
fn the_writers_rebuild_the_recorded_bytes() {
    let recorded = fixtures::text("openai/41-llamacpp-chat-completion-stream-include-usage.sse");
    let line = recorded.split("\n\n").nth(1).unwrap();
    let chunk: Value = serde_json::from_str(line.strip_prefix("data: ").unwrap()).unwrap();
    let rebuilt = testing::chunk_line(
        chunk["id"].as_str().unwrap(),
        chunk["model"].as_str().unwrap(),
        chunk["created"].as_u64().unwrap(),
        chunk["choices"][0]["delta"]["content"].as_str().unwrap(),
    );
    assert_eq!(rebuilt, format!("{line}\n\n"));
    assert_eq!(
        context_error(4096, 4531, Some(50)),
        fixtures::text("openai/42-llamacpp-error-400-context-length-exceeded.json")
    );
    // json.dumps escapes outside ASCII in UTF-16 units.
    assert_eq!(
        testing::dumps_string("é😀\"\n"),
        r#""\u00e9\ud83d\ude00\"\n""#
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_carry_no_usage_even_when_asked() {
    let ai = llama().await;
    let request = chat_request(true);
    let streamed = post_json(&ai, "/chat/completions", &request).await;
    assert_eq!(
        streamed.header("content-type"),
        Some("text/event-stream; charset=utf-8")
    );
    let data = sse_data(&streamed.body);
    assert_eq!(data.last().map(String::as_str), Some("[DONE]"));
    let chunks: Vec<Value> = data[..data.len() - 1]
        .iter()
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    let recorded = fixtures::text("openai/41-llamacpp-chat-completion-stream-include-usage.sse");
    let recorded: Vec<Value> = sse_data(recorded.as_bytes())
        .iter()
        .filter(|d| *d != "[DONE]")
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    // Same keys in every chunk as recorded: no usage, obfuscation or fingerprint.
    let keys = |c: &Value| c.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert!(
        chunks.iter().all(|c| keys(c) == keys(&recorded[0])),
        "{chunks:?}"
    );
    assert_eq!(
        chunks[0]["choices"][0]["delta"],
        recorded[0]["choices"][0]["delta"]
    );
    assert_eq!(spelled(&chunks, "content"), reply_text(&request));
    assert_eq!(
        chunks.len(),
        1 + stream_pieces(&reply_text(&request)).len() + 1
    );
    let finish = &chunks[chunks.len() - 1]["choices"][0];
    assert_eq!(
        (&finish["delta"], &finish["finish_reason"]),
        (&json!({}), &json!("stop"))
    );
    // json.dumps escapes the quotation marks around the user's words.
    assert!(String::from_utf8_lossy(&streamed.body).contains(r"\u201ctell me"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whole_answers_carry_usage_and_only_max_tokens_limits_them() {
    let ai = llama().await;
    let mut request = whole_chat_request();
    request["max_completion_tokens"] = json!(3);
    let whole = post_json(&ai, "/chat/completions", &request).await;
    assert_eq!(whole.header("content-type"), Some("application/json"));
    let body = whole.json();
    let recorded = fixtures::json("openai/40-llamacpp-chat-completion-finish-length.json");
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&body), keys(&recorded));
    assert_eq!(keys(&body["usage"]), keys(&recorded["usage"]));
    assert_eq!(
        body["choices"][0]["message"]["content"],
        reply_text(&request).as_str()
    );
    assert_eq!(
        body["choices"][0]["finish_reason"], "stop",
        "max_completion_tokens is ignored"
    );
    assert!(
        whole.text().starts_with(r#"{"id":"chatcmpl-"#),
        "{}",
        whole.text()
    );

    request["max_tokens"] = json!(3);
    let cut = post_json(&ai, "/chat/completions", &request).await.json();
    assert_eq!(cut["choices"][0]["finish_reason"], "length");
    assert_eq!(cut["usage"]["completion_tokens"], 3);
}

fn with_image(mut request: Value) -> Value {
    request["messages"][1]["content"] = json!([
        {"type": "text", "text": "what is this?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
    ]);
    request
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_parts_end_a_stream_before_its_first_event_and_fail_a_whole_answer() {
    let ai = llama().await;
    let streamed = post_json(&ai, "/chat/completions", &with_image(chat_request(true))).await;
    assert_eq!(streamed.status, 200);
    assert_eq!(
        streamed.header("content-type"),
        Some("text/event-stream; charset=utf-8")
    );
    assert!(streamed.complete);
    assert!(streamed.body.is_empty(), "{}", streamed.text());
    let whole = post_json(&ai, "/chat/completions", &with_image(whole_chat_request())).await;
    assert_eq!(whole.status, 500);
    assert_eq!(
        whole.body,
        fixtures::text("openai/43-llamacpp-error-500-content-parts.json").into_bytes()
    );
    assert_eq!(ai.streams_started(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_prompt_empties_a_stream_and_is_refused_whole() {
    let ai = llama().await;
    let long = "word ".repeat(4000);
    let mut request = whole_chat_request();
    request["messages"][1]["content"] = json!(long);
    request["max_tokens"] = json!(50);
    let whole = post_json(&ai, "/chat/completions", &request).await;
    assert_eq!(whole.status, 400);
    let message = whole.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.starts_with(
            "This model's maximum context length is 4096 tokens. However, you requested "
        ),
        "{message}"
    );
    assert!(
        message.contains(" in the messages, 50 in the completion)"),
        "{message}"
    );
    request["stream"] = json!(true);
    let streamed = post_json(&ai, "/chat/completions", &request).await;
    assert_eq!((streamed.status, streamed.body.len()), (200, 0));
    // A wider window lets it through.
    ai.set_context_size(Some(100_000));
    assert!(
        !post_json(&ai, "/chat/completions", &request)
            .await
            .body
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_endpoints_are_not_found_whatever_the_key() {
    let ai = llama().await;
    let not_found = fixtures::text("openai/44-llamacpp-error-404-not-found.json");
    for path in [
        "/responses",
        "/conversations",
        "/conversations/conv_1/items",
        "/audio/speech",
        "/audio/transcriptions",
    ] {
        let answer = post_json(&ai, path, &json!({"model": "m", "input": "hi"})).await;
        assert_eq!(answer.status, 404, "{path}");
        assert_eq!(answer.header("content-type"), Some("application/json"));
        assert_eq!(answer.body, not_found.as_bytes(), "{path}");
    }
    let stranger = http("POST", &ai.base_url(), "/v1/audio/speech", &[], b"{}").await;
    assert_eq!(stranger.status, 404);
    let wrong_key = http(
        "POST",
        &ai.base_url(),
        "/v1/chat/completions",
        &[("Authorization", "Bearer nope")],
        b"{}",
    )
    .await;
    assert_eq!(
        (wrong_key.status, wrong_key.json()),
        (401, json!({"detail": "Invalid API key"}))
    );
    assert_eq!(ai.count(Endpoint::Responses), 1);
    assert_eq!(ai.count(Endpoint::Conversations), 2);
    assert!(ai.requests().is_empty());
}
