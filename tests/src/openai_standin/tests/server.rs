//! The server at the HTTP level: whole and streamed answers, clients that hang up,
//! conversations, counters.

use std::time::Duration;

use serde_json::{Value, json};

use super::super::{AiFault, Endpoint, OpenAiStandIn, reply_text, response_body, stream_pieces};
use super::{KEY, chat_request, post_json, spelled, sse_chunks, sse_data, whole_chat_request};
use crate::raw_http::{exchange, http, request_bytes};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_whole_and_streamed_completions_piece_by_piece() {
    let ai = OpenAiStandIn::start(KEY).await;
    // Limits the replies fit in, so nothing here breaks the output-limit rule.
    let mut plain = whole_chat_request();
    plain["max_completion_tokens"] = json!(1000);
    let whole = post_json(&ai, "/chat/completions", &plain).await;
    assert_eq!(whole.status, 200);
    assert_eq!(
        whole.json()["choices"][0]["message"]["content"],
        reply_text(&plain)
    );

    ai.set_stream_delay(Duration::from_millis(40));
    let mut request = chat_request(true);
    request["max_completion_tokens"] = json!(1000);
    let streamed = post_json(&ai, "/chat/completions", &request).await;
    assert_eq!(streamed.status, 200);
    assert!(streamed.complete);
    assert_eq!(
        streamed.header("content-type"),
        Some("text/event-stream; charset=utf-8")
    );
    let data = sse_data(&streamed.body);
    assert_eq!(data.last().map(String::as_str), Some("[DONE]"));
    let text = spelled(&sse_chunks(&streamed.body), "content");
    assert_eq!(text, reply_text(&request));
    // Written one event at a time, in order: each is its own chunk on the wire.
    let framed: Vec<String> = streamed
        .chunks
        .iter()
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let pieces = stream_pieces(&text).len();
    // The role chunk, the pieces, the finish chunk, the usage chunk and [DONE].
    assert_eq!(framed.len(), 1 + pieces + 3, "{framed:?}");
    assert_eq!(
        framed
            .concat()
            .split("\n\n")
            .filter(|e| !e.is_empty())
            .count(),
        framed.len()
    );
    assert_eq!((ai.streams_started(), ai.abandoned_streams()), (1, 0));
    assert_eq!(ai.requests().len(), 2);
    assert!(ai.violations().is_empty(), "{:?}", ai.violations());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_a_client_that_hangs_up_mid_stream() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let ai = OpenAiStandIn::start(KEY).await;
    ai.set_stream_delay(Duration::from_millis(100));
    let auth = format!("Bearer {KEY}");
    let (host, request) = request_bytes(
        "POST",
        &ai.base_url(),
        "/v1/chat/completions",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        chat_request(true).to_string().as_bytes(),
    );
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    stream.write_all(&request).await.unwrap();
    let mut buf = [0u8; 4096];
    let n = stream.read(&mut buf).await.unwrap();
    assert!(n > 0);
    drop(stream);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while ai.abandoned_streams() == 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!((ai.streams_started(), ai.abandoned_streams()), (1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_hit_streams_before_and_during_the_stream() {
    let ai = OpenAiStandIn::start(KEY).await;
    ai.fail_next(AiFault::RateLimited);
    let limited = post_json(&ai, "/chat/completions", &chat_request(true)).await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.json()["error"]["code"], "rate_limit_exceeded");
    assert_eq!(ai.streams_started(), 0);

    ai.fail_next(AiFault::CutStream);
    let cut = post_json(&ai, "/chat/completions", &chat_request(true)).await;
    assert_eq!(cut.status, 200);
    assert!(!cut.complete, "a cut stream has no terminating chunk");
    let data = sse_data(&cut.body);
    assert_eq!(data.len(), 2, "{data:?}");
    let first: Value = serde_json::from_str(&data[0]).unwrap();
    assert_eq!(first["choices"][0]["delta"]["role"], "assistant");
    let second: Value = serde_json::from_str(&data[1]).unwrap();
    let text = reply_text(&chat_request(true));
    assert_eq!(
        second["choices"][0]["delta"]["content"].as_str(),
        stream_pieces(&text).first().map(String::as_str)
    );
    assert_eq!(ai.abandoned_streams(), 0);

    ai.fail_next(AiFault::CutStream);
    let auth = format!("Bearer {KEY}");
    let (host, request) = request_bytes(
        "POST",
        &ai.base_url(),
        "/v1/chat/completions",
        &[("Authorization", &auth)],
        whole_chat_request().to_string().as_bytes(),
    );
    let raw = exchange(&host, &request).await.bytes;
    assert!(raw.is_empty(), "{}", String::from_utf8_lossy(&raw));

    let wrong = http(
        "POST",
        &ai.base_url(),
        "/v1/chat/completions",
        &[("Authorization", "Bearer nope")],
        chat_request(true).to_string().as_bytes(),
    )
    .await;
    assert_eq!(wrong.status, 401);
}

/// The `response` of a Responses API stream's last event.
fn final_response(body: &[u8]) -> Value {
    let body = String::from_utf8_lossy(body);
    assert!(
        body.starts_with("event: response.created\ndata: {"),
        "{body}"
    );
    body.split("\n\n")
        .filter(|e| !e.is_empty())
        .last()
        .and_then(|e| e.split_once("data: "))
        .map(|(_, d)| serde_json::from_str::<Value>(d).unwrap()["response"].clone())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_responses_and_keeps_the_conversation_count() {
    let ai = OpenAiStandIn::start(KEY).await;
    let conversation = post_json(&ai, "/conversations", &json!({})).await.json();
    let id = conversation["id"].as_str().unwrap();
    let request = json!({"model": "gpt-4o-mini", "conversation": id, "stream": true,
        "instructions": "You are their parent: caring", "input": "hi"});
    for earlier in [0, 2] {
        let streamed = post_json(&ai, "/responses", &request).await;
        assert_eq!(streamed.status, 200);
        assert!(streamed.complete);
        assert_eq!(
            final_response(&streamed.body),
            response_body(&request, earlier)
        );
    }
    let mut plain = request.clone();
    plain.as_object_mut().unwrap().remove("stream");
    let whole = post_json(&ai, "/responses", &plain).await.json();
    assert_eq!(whole, response_body(&plain, 4));
    assert_eq!(ai.streams_started(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgotten_conversations_are_not_found() {
    let ai = OpenAiStandIn::start(KEY).await;
    let first = post_json(&ai, "/conversations", &json!({})).await.json();
    let id = first["id"].as_str().unwrap().to_owned();
    let request = json!({"model": "gpt-4o-mini", "conversation": id, "input": "hi"});
    assert_eq!(post_json(&ai, "/responses", &request).await.status, 200);
    ai.forget_conversations();
    let gone = post_json(&ai, "/responses", &request).await;
    assert_eq!(gone.status, 404);
    assert_eq!(
        gone.json()["error"]["message"],
        format!("Conversation with id '{id}' not found.")
    );
    let second = post_json(&ai, "/conversations", &json!({})).await.json();
    assert_ne!(
        second["id"], first["id"],
        "a new conversation gets a new id"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aimed_faults_wait_for_their_endpoint_and_requests_are_counted() {
    let ai = OpenAiStandIn::start(KEY).await;
    ai.fail_next_on(Endpoint::Responses, AiFault::ServerError);
    ai.fail_next_on(Endpoint::Conversations, AiFault::Overloaded);
    // Neither fault is for chat completions.
    assert_eq!(
        post_json(&ai, "/chat/completions", &whole_chat_request())
            .await
            .status,
        200
    );
    assert_eq!(
        post_json(&ai, "/conversations", &json!({})).await.status,
        503
    );
    let conversation = post_json(&ai, "/conversations", &json!({})).await.json();
    let request = json!({"model": "gpt-4o-mini", "conversation": conversation["id"],
                         "input": "hi", "max_output_tokens": 64});
    assert_eq!(post_json(&ai, "/responses", &request).await.status, 500);
    assert_eq!(post_json(&ai, "/responses", &request).await.status, 200);
    // `fail_next` never hits a conversation: it waits for the next model request.
    ai.fail_next(AiFault::InsufficientQuota);
    assert_eq!(
        post_json(&ai, "/conversations", &json!({})).await.status,
        200
    );
    let mut limited = chat_request(false);
    limited["max_tokens"] = json!(200);
    assert_eq!(
        post_json(&ai, "/chat/completions", &limited).await.status,
        429
    );

    assert_eq!(ai.count(Endpoint::Chat), 2);
    assert_eq!(ai.count(Endpoint::Conversations), 3);
    assert_eq!(ai.count(Endpoint::Responses), 2);
    assert_eq!(ai.count(Endpoint::Speech), 0);
    let chat: Vec<(bool, Option<u64>)> = ai
        .model_requests()
        .into_iter()
        .filter(|r| r.endpoint == Endpoint::Chat)
        .map(|r| (r.streamed, r.output_limit))
        .collect();
    assert_eq!(chat, [(false, None), (true, Some(200))]);
    let responses: Vec<Option<u64>> = ai
        .model_requests()
        .iter()
        .filter(|r| r.endpoint == Endpoint::Responses)
        .map(|r| r.output_limit)
        .collect();
    assert_eq!(responses, [Some(64), Some(64)]);
}
