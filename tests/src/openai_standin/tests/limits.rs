//! Output limits and the context window.

use serde_json::{Value, json};

use super::super::{OpenAiStandIn, Profile, REQUIRE_OUTPUT_LIMIT_BY_DEFAULT, reply_text};
use super::{
    KEY, chat_request, post_json, responses_request, spelled, sse_chunks, whole_chat_request,
};
use crate::spec;

fn with(mut request: Value, key: &str, value: u64) -> Value {
    request[key] = json!(value);
    request
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_longer_than_the_limit_is_cut_with_finish_reason_length() {
    let ai = OpenAiStandIn::start(KEY).await;
    let whole = post_json(
        &ai,
        "/chat/completions",
        &with(whole_chat_request(), "max_completion_tokens", 6),
    )
    .await
    .json();
    spec::openai()
        .check_response("POST", "/v1/chat/completions", &whole)
        .unwrap();
    let choice = &whole["choices"][0];
    assert_eq!(choice["finish_reason"], "length");
    let full = reply_text(&whole_chat_request());
    let cut: String = full.chars().take(24).collect();
    assert_eq!(choice["message"]["content"], cut.as_str());
    assert_eq!(whole["usage"]["completion_tokens"], 6);

    let streamed = post_json(
        &ai,
        "/chat/completions",
        &with(chat_request(true), "max_tokens", 6),
    )
    .await;
    let chunks = sse_chunks(&streamed.body);
    assert_eq!(spelled(&chunks, "content"), cut);
    assert_eq!(
        chunks[chunks.len() - 2]["choices"][0]["finish_reason"],
        "length"
    );
    assert_eq!(chunks[chunks.len() - 1]["usage"]["completion_tokens"], 6);

    // A limit the reply fits in changes nothing.
    let roomy = post_json(
        &ai,
        "/chat/completions",
        &with(whole_chat_request(), "max_tokens", 500),
    )
    .await
    .json();
    assert_eq!(roomy["choices"][0]["message"]["content"], full.as_str());
    assert_eq!(roomy["choices"][0]["finish_reason"], "stop");
    assert!(ai.violations().is_empty(), "{:?}", ai.violations());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_longer_than_max_output_tokens_is_incomplete() {
    let ai = OpenAiStandIn::start(KEY).await;
    let created = post_json(&ai, "/conversations", &json!({})).await.json();
    let id = created["id"].as_str().unwrap();
    let request = with(responses_request(id, false), "max_output_tokens", 16);
    let whole = post_json(&ai, "/responses", &request).await.json();
    spec::openai()
        .check_response("POST", "/v1/responses", &whole)
        .unwrap();
    assert_eq!(whole["status"], "incomplete");
    assert_eq!(
        whole["incomplete_details"],
        json!({"reason": "max_output_tokens"})
    );
    assert_eq!(whole["usage"]["output_tokens"], 16);
    let streamed = post_json(
        &ai,
        "/responses",
        &with(responses_request(id, true), "max_output_tokens", 16),
    )
    .await;
    let body = String::from_utf8(streamed.body).unwrap();
    let last = body.split("\n\n").filter(|e| !e.is_empty()).last().unwrap();
    assert!(last.starts_with("event: response.incomplete\n"), "{last}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_without_an_output_limit_are_violations_when_limits_are_required() {
    let ai = OpenAiStandIn::start(KEY).await;
    ai.require_output_limit(false);
    assert_eq!(
        post_json(&ai, "/chat/completions", &whole_chat_request())
            .await
            .status,
        200
    );
    assert!(ai.violations().is_empty(), "{:?}", ai.violations());

    ai.require_output_limit(true);
    let unlimited = post_json(&ai, "/chat/completions", &whole_chat_request()).await;
    assert_eq!(unlimited.status, 200, "still answered");
    post_json(
        &ai,
        "/chat/completions",
        &with(chat_request(true), "max_completion_tokens", 300),
    )
    .await;
    post_json(
        &ai,
        "/chat/completions",
        &with(chat_request(true), "max_tokens", 300),
    )
    .await;
    let created = post_json(&ai, "/conversations", &json!({})).await.json();
    let id = created["id"].as_str().unwrap();
    post_json(&ai, "/responses", &responses_request(id, false)).await;
    post_json(
        &ai,
        "/responses",
        &with(responses_request(id, false), "max_output_tokens", 300),
    )
    .await;
    let violations = ai.violations();
    assert_eq!(violations.len(), 2, "{violations:#?}");
    assert!(
        violations[0].starts_with("POST /v1/chat/completions: no output limit"),
        "{violations:?}"
    );
    assert!(
        violations[1].starts_with("POST /v1/responses: no output limit"),
        "{violations:?}"
    );

    // llama.cpp reads `max_tokens` only.
    ai.set_profile(Profile::LlamaCpp);
    post_json(
        &ai,
        "/chat/completions",
        &with(whole_chat_request(), "max_completion_tokens", 300),
    )
    .await;
    post_json(
        &ai,
        "/chat/completions",
        &with(whole_chat_request(), "max_tokens", 300),
    )
    .await;
    let violations = ai.violations();
    assert_eq!(violations.len(), 3, "{violations:#?}");
    assert!(
        violations[2].contains("ignores `max_completion_tokens`"),
        "{violations:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_stand_in_requires_limits_as_the_default_says() {
    let ai = OpenAiStandIn::start(KEY).await;
    post_json(&ai, "/chat/completions", &whole_chat_request()).await;
    assert_eq!(
        ai.violations().len(),
        usize::from(REQUIRE_OUTPUT_LIMIT_BY_DEFAULT)
    );
}

/// A user message of about `tokens` tokens.
fn long_chat(tokens: usize, streamed: bool) -> Value {
    let mut request = if streamed {
        chat_request(true)
    } else {
        whole_chat_request()
    };
    request["messages"][1]["content"] = json!("word ".repeat(tokens * 4 / 5));
    request
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_refuses_what_outgrows_the_context_streamed_or_not() {
    let ai = OpenAiStandIn::start(KEY).await;
    assert_eq!(
        post_json(&ai, "/chat/completions", &long_chat(5000, false))
            .await
            .status,
        200
    );
    ai.set_context_size(Some(4096));
    for streamed in [false, true] {
        let refused = post_json(&ai, "/chat/completions", &long_chat(5000, streamed)).await;
        assert_eq!(refused.status, 400);
        assert_eq!(refused.json()["error"]["code"], "context_length_exceeded");
    }
    // The prompt fits, but not with the output it asks room for.
    let greedy = with(long_chat(3000, false), "max_completion_tokens", 2000);
    assert_eq!(
        post_json(&ai, "/chat/completions", &greedy).await.status,
        400
    );
    assert_eq!(
        post_json(&ai, "/chat/completions", &long_chat(3000, true))
            .await
            .status,
        200
    );
    assert_eq!(ai.streams_started(), 1);
}
