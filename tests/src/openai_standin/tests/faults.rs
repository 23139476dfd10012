//! Every fault at the HTTP level.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::super::{AiFault, Endpoint, OpenAiStandIn, reply_text, stream_pieces};
use super::{
    KEY, chat_request, post_json, responses_request, spelled, sse_chunks, sse_data,
    whole_chat_request,
};
use crate::raw_http::{RawResponse, exchange, parse, request_bytes};
use crate::spec;

fn chat_bytes(ai: &OpenAiStandIn, body: &Value) -> (String, Vec<u8>) {
    let auth = format!("Bearer {KEY}");
    request_bytes(
        "POST",
        &ai.base_url(),
        "/v1/chat/completions",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        body.to_string().as_bytes(),
    )
}

async fn conversation(ai: &OpenAiStandIn) -> String {
    let created = post_json(ai, "/conversations", &json!({})).await.json();
    created["id"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_say_how_long_to_wait_in_the_headers_the_sdks_read() {
    let ai = OpenAiStandIn::start(KEY).await;
    ai.fail_next(AiFault::RateLimitedFor(Duration::from_millis(1500)));
    ai.fail_next_on(
        Endpoint::Speech,
        AiFault::RateLimitedFor(Duration::from_secs(20)),
    );
    let limited = post_json(&ai, "/chat/completions", &chat_request(true)).await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.json()["error"]["code"], "rate_limit_exceeded");
    assert_eq!(limited.header("retry-after-ms"), Some("1500"));
    assert_eq!(
        limited.header("retry-after"),
        Some("2"),
        "seconds, rounded up"
    );
    let speech = json!({"model": "gpt-4o-mini-tts", "voice": "alloy", "input": "hi"});
    let spoken = post_json(&ai, "/audio/speech", &speech).await;
    assert_eq!(spoken.status, 429);
    assert_eq!(
        (
            spoken.header("retry-after-ms"),
            spoken.header("retry-after")
        ),
        (Some("20000"), Some("20"))
    );
    assert_eq!(ai.streams_started(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overloaded_server_answers_503() {
    let ai = OpenAiStandIn::start(KEY).await;
    ai.fail_next(AiFault::Overloaded);
    let busy = post_json(&ai, "/chat/completions", &chat_request(true)).await;
    assert_eq!(busy.status, 503);
    assert_eq!(
        busy.json(),
        json!({"error": {"message": "The server is overloaded or not ready yet.",
                         "type": "server_error", "param": null, "code": null}})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_connection_ends_in_rst_before_any_byte() {
    let ai = OpenAiStandIn::start(KEY).await;
    ai.fail_next(AiFault::ConnectionReset);
    let (host, request) = chat_bytes(&ai, &chat_request(true));
    let reset = exchange(&host, &request).await;
    assert!(
        reset.bytes.is_empty(),
        "{}",
        String::from_utf8_lossy(&reset.bytes)
    );
    assert_eq!(reset.error, Some(io::ErrorKind::ConnectionReset));
    // A cut (CutStream on a whole answer) closes in order instead.
    ai.fail_next(AiFault::CutStream);
    let (host, request) = chat_bytes(&ai, &whole_chat_request());
    let closed = exchange(&host, &request).await;
    assert_eq!((closed.bytes.len(), closed.error), (0, None));
    assert_eq!(ai.streams_started(), 0);
}

/// Sends `request`, and counts in `finished` when its answer has ended.
async fn timed_exchange(
    host: String,
    request: Vec<u8>,
    finished: Arc<AtomicUsize>,
) -> (usize, Vec<u8>) {
    let received = exchange(&host, &request).await;
    (finished.fetch_add(1, Ordering::SeqCst), received.bytes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hang_sends_nothing_then_closes_after_other_requests_were_served() {
    let ai = OpenAiStandIn::start(KEY).await;
    ai.fail_next_on(Endpoint::Chat, AiFault::Hang(Duration::from_millis(800)));
    let finished = Arc::new(AtomicUsize::new(0));
    let (host, request) = chat_bytes(&ai, &chat_request(true));
    let hung = tokio::spawn(timed_exchange(host, request, finished.clone()));
    // Once the hung request is in, another one is served while it waits.
    while ai.count(Endpoint::Chat) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let (host, request) = chat_bytes(&ai, &whole_chat_request());
    let (served_as, served) = timed_exchange(host, request, finished).await;
    let (hung_as, hung) = hung.await.unwrap();
    assert_eq!((served_as, hung_as), (0, 1), "the hung request ends last");
    assert_eq!(parse(&served).status, 200);
    assert!(hung.is_empty(), "{}", String::from_utf8_lossy(&hung));
}

/// A stream read as it arrives.
struct Incoming {
    stream: TcpStream,
    raw: Vec<u8>,
}

impl Incoming {
    async fn send(host: &str, request: &[u8]) -> Self {
        let mut stream = TcpStream::connect(host).await.unwrap();
        stream.write_all(request).await.unwrap();
        Self {
            stream,
            raw: Vec::new(),
        }
    }

    /// Reads until `events` SSE events (each ends in a blank line) have arrived.
    async fn until_events(&mut self, events: usize) {
        let mut buf = [0u8; 4096];
        while self.events() < events {
            let n = self.stream.read(&mut buf).await.unwrap();
            assert!(
                n > 0,
                "the stream ended early: {}",
                String::from_utf8_lossy(&self.raw)
            );
            self.raw.extend_from_slice(&buf[..n]);
        }
    }

    /// Takes what has arrived without waiting; returns how many events that added.
    fn drain_available(&mut self) -> usize {
        let before = self.events();
        let mut buf = [0u8; 4096];
        while let Ok(n) = self.stream.try_read(&mut buf) {
            if n == 0 {
                break;
            }
            self.raw.extend_from_slice(&buf[..n]);
        }
        self.events() - before
    }

    fn events(&self) -> usize {
        self.raw.windows(2).filter(|w| w == b"\n\n").count()
    }

    async fn rest(mut self) -> RawResponse {
        self.stream.read_to_end(&mut self.raw).await.unwrap();
        parse(&self.raw)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_stream_is_silent_after_its_first_piece_then_finishes() {
    let ai = OpenAiStandIn::start(KEY).await;
    ai.fail_next_on(
        Endpoint::Chat,
        AiFault::StallMidStream(Duration::from_millis(800)),
    );
    let request = chat_request(true);
    let (host, bytes) = chat_bytes(&ai, &request);
    let mut stalled = Incoming::send(&host, &bytes).await;
    stalled.until_events(2).await;
    // While it is silent, a whole request comes and goes.
    let (host, other) = chat_bytes(&ai, &whole_chat_request());
    assert_eq!(parse(&exchange(&host, &other).await.bytes).status, 200);
    assert_eq!(stalled.events(), 2, "the opening and the first piece");
    assert_eq!(
        stalled.drain_available(),
        0,
        "nothing more during the silence"
    );
    let answer = stalled.rest().await;
    assert!(answer.complete);
    let chunks = sse_chunks(&answer.body);
    assert_eq!(spelled(&chunks, "content"), reply_text(&request));
    assert_eq!(
        sse_data(&answer.body).last().map(String::as_str),
        Some("[DONE]")
    );
    assert_eq!(
        chunks.len(),
        1 + stream_pieces(&reply_text(&request)).len() + 2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_come_in_the_refusal_field_whole_and_streamed() {
    let ai = OpenAiStandIn::start(KEY).await;
    let refusal = "I'm sorry, I can't help with that.";
    ai.fail_next(AiFault::Refusal(refusal.into()));
    let whole = post_json(&ai, "/chat/completions", &whole_chat_request())
        .await
        .json();
    spec::openai()
        .check_response("POST", "/v1/chat/completions", &whole)
        .unwrap();
    let message = &whole["choices"][0]["message"];
    assert_eq!(
        (&message["content"], &message["refusal"]),
        (&Value::Null, &json!(refusal))
    );
    assert_eq!(whole["choices"][0]["finish_reason"], "stop");

    ai.fail_next(AiFault::Refusal(refusal.into()));
    let streamed = post_json(&ai, "/chat/completions", &chat_request(true)).await;
    let chunks = sse_chunks(&streamed.body);
    assert_eq!(spelled(&chunks, "refusal"), refusal);
    assert_eq!(spelled(&chunks, "content"), "");
    assert_eq!(
        chunks[chunks.len() - 2]["choices"][0]["finish_reason"],
        "stop"
    );

    let id = conversation(&ai).await;
    ai.fail_next(AiFault::Refusal(refusal.into()));
    let response = post_json(&ai, "/responses", &responses_request(&id, false))
        .await
        .json();
    assert_eq!(
        response["output"][0]["content"],
        json!([{"type": "refusal", "refusal": refusal}])
    );
    ai.fail_next(AiFault::Refusal(refusal.into()));
    let streamed = post_json(&ai, "/responses", &responses_request(&id, true)).await;
    let body = String::from_utf8(streamed.body).unwrap();
    assert!(body.contains("event: response.refusal.done\n"), "{body}");
    assert!(
        !body.contains("event: response.output_text.delta\n"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_content_filter_finishes_without_text() {
    let ai = OpenAiStandIn::start(KEY).await;
    ai.fail_next(AiFault::ContentFilter);
    let whole = post_json(&ai, "/chat/completions", &whole_chat_request())
        .await
        .json();
    assert_eq!(whole["choices"][0]["finish_reason"], "content_filter");
    assert_eq!(whole["choices"][0]["message"]["content"], Value::Null);

    ai.fail_next(AiFault::ContentFilter);
    let streamed = post_json(&ai, "/chat/completions", &chat_request(false)).await;
    let chunks = sse_chunks(&streamed.body);
    assert_eq!(chunks.len(), 2, "the role chunk and the finish chunk");
    assert_eq!(chunks[1]["choices"][0]["finish_reason"], "content_filter");
    assert_eq!(spelled(&chunks, "content"), "");

    let id = conversation(&ai).await;
    ai.fail_next(AiFault::ContentFilter);
    let response = post_json(&ai, "/responses", &responses_request(&id, false))
        .await
        .json();
    assert_eq!(response["status"], "incomplete");
    assert_eq!(response["incomplete_details"]["reason"], "content_filter");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_stream_has_headers_and_no_event() {
    let ai = OpenAiStandIn::start(KEY).await;
    ai.fail_next(AiFault::EmptyStream);
    let empty = post_json(&ai, "/chat/completions", &chat_request(true)).await;
    assert_eq!(empty.status, 200);
    assert_eq!(
        empty.header("content-type"),
        Some("text/event-stream; charset=utf-8")
    );
    assert!(empty.complete);
    assert!(empty.body.is_empty(), "{}", empty.text());
    assert_eq!(ai.streams_started(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_in_the_stream_follows_the_opening_and_ends_it() {
    let ai = OpenAiStandIn::start(KEY).await;
    ai.fail_next(AiFault::context_overflow_in_stream());
    let streamed = post_json(&ai, "/chat/completions", &chat_request(true)).await;
    assert_eq!(streamed.status, 200);
    assert!(streamed.complete);
    let data = sse_data(&streamed.body);
    assert_eq!(data.len(), 2, "{data:?}");
    let opening: Value = serde_json::from_str(&data[0]).unwrap();
    assert_eq!(opening["choices"][0]["delta"]["role"], "assistant");
    let error: Value = serde_json::from_str(&data[1]).unwrap();
    assert_eq!(
        error,
        json!({"error": {"code": 400,
            "message": "the request exceeds the available context size, try increasing it",
            "type": "exceed_context_size_error", "n_prompt_tokens": 5000, "n_ctx": 4096}})
    );
    // Not streamed, the same error is the whole answer, with its code as the status.
    ai.fail_next(AiFault::context_overflow_in_stream());
    let whole = post_json(&ai, "/chat/completions", &whole_chat_request()).await;
    assert_eq!(whole.status, 400);
    assert_eq!(whole.json(), error);
}
