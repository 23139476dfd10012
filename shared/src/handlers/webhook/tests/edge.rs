//! The HTTP edge on fakes: the secret token, methods, health, unreadable bodies, and the
//! claim-then-enqueue that keeps every update single.

use http::StatusCode;
use lambda_http::Body;
use serde_json::json;

use super::private_text;
use crate::domain::UpdateId;
use crate::domain::jobs::InboundJob;
use crate::handlers::webhook::SECRET_HEADER;
use crate::testing::{WEBHOOK_SECRET, post, post_update, webhook};

fn request(method: &str, path: &str, secret: Option<&str>, body: &str) -> lambda_http::Request {
    let mut builder = http::Request::builder().method(method).uri(path);
    if let Some(secret) = secret {
        builder = builder.header(SECRET_HEADER, secret);
    }
    builder
        .body(Body::from(body.to_owned()))
        .expect("a valid request")
}

#[tokio::test]
async fn a_missing_or_wrong_secret_is_refused_and_nothing_is_done() {
    let state = webhook(None);
    for secret in [None, Some("wrong"), Some("")] {
        let (status, body) =
            post(&state, request("POST", "/", secret, &private_text(1, "hi"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{secret:?}");
        assert_eq!(body, json!({"ok": false, "error": "unauthorized"}));
    }
    assert!(state.inbound.sent().is_empty());
    assert_eq!(state.log.calls("claim_update"), 0);
}

#[tokio::test]
async fn only_post_is_an_update() {
    let state = webhook(None);
    let (status, _) = post(&state, request("PUT", "/", Some(WEBHOOK_SECRET), "{}")).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn health_is_bare_for_anyone_and_detailed_with_the_secret() {
    let state = webhook(None);
    state
        .health
        .answer(vec![("dynamodb", Ok("table ok".into()))]);
    let (status, bare) = post(&state, request("GET", "/health", None, "")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state.health.probes(), 0, "anyone gets no probe");
    assert!(bare.get("checks").is_none(), "{bare}");
    let (status, detailed) =
        post(&state, request("GET", "/health", Some(WEBHOOK_SECRET), "")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state.health.probes(), 1);
    assert!(detailed.to_string().contains("table ok"), "{detailed}");
    // A failing dependency makes the report a 503.
    let state = webhook(None);
    state
        .health
        .answer(vec![("sqs", Err("unreachable".into()))]);
    let (status, _) = post(&state, request("GET", "/health", Some(WEBHOOK_SECRET), "")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn an_unreadable_update_is_accepted_and_dropped() {
    let state = webhook(None);
    let (status, body) = post_update(&state, "{this is not json").await;
    assert_eq!((status, body), (StatusCode::OK, json!({"ok": true})));
    assert!(state.inbound.sent().is_empty());
}

#[tokio::test]
async fn a_message_is_claimed_enqueued_in_its_chat_and_marked() {
    let state = webhook(None);
    let (status, body) = post_update(&state, &private_text(7, "hello")).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"ok": true})));
    let sent = state.inbound.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].group_id, "chat-42");
    assert_eq!(sent[0].dedup_id, "upd-7");
    let job: InboundJob = serde_json::from_str(&sent[0].body).expect("an inbound job");
    match job {
        InboundJob::Message(m) => assert_eq!(m.text, "hello"),
        other => panic!("{other:?}"),
    }
    assert_eq!(state.log.claim_of(UpdateId(7)), Some(true));
}

#[tokio::test]
async fn a_redelivered_update_is_dropped_once_enqueued() {
    let state = webhook(None);
    post_update(&state, &private_text(7, "hello")).await;
    let (status, _) = post_update(&state, &private_text(7, "hello")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state.inbound.sent().len(), 1);
}

#[tokio::test]
async fn an_older_versions_pending_claim_is_enqueued_again_and_recorded() {
    let state = webhook(None);
    state.log.claim_pending(UpdateId(7));
    let (status, _) = post_update(&state, &private_text(7, "hello")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state.inbound.sent().len(), 1);
    assert_eq!(state.log.claim_of(UpdateId(7)), Some(true));
    post_update(&state, &private_text(7, "hello")).await;
    assert_eq!(state.inbound.sent().len(), 1);
}

#[tokio::test]
async fn a_failed_enqueue_is_a_500_and_telegrams_retry_enqueues_it() {
    let state = webhook(None);
    state.inbound.fail_sends(1);
    let (status, _) = post_update(&state, &private_text(7, "hello")).await;
    assert_eq!(
        status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "Telegram retries a 5xx"
    );
    assert_eq!(
        state.log.claim_of(UpdateId(7)),
        None,
        "nothing recorded before it is on the queue"
    );
    let (status, _) = post_update(&state, &private_text(7, "hello")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state.inbound.sent().len(), 1);
    assert_eq!(state.log.claim_of(UpdateId(7)), Some(true));
}

#[tokio::test]
async fn the_update_log_being_down_is_a_500() {
    let state = webhook(None);
    state.log.fail("claim_update", 1, true);
    let (status, _) = post_update(&state, &private_text(7, "hello")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(state.inbound.sent().is_empty());
}
