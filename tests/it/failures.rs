//! Every failure class ends in one behaviour the user can see: a refusal is an answer, a
//! filtered reply one sentence, a busy or broken provider a retry (within the delivery,
//! honouring retry-after), a stalled stream is cut and asked again, a long reply is not.

use shared::domain::Lang;
use std::time::Duration;

use shared::domain::texts;
use shared::error::Cause;
use testkit::StackOptions;
use testkit::openai_standin::{AiFault, Endpoint};

use crate::env::TestEnv;

#[tokio::test]
async fn a_refusal_is_the_reply_once() {
    let env = TestEnv::start().await;
    let ai = env.openai.as_ref().unwrap();
    ai.fail_next(AiFault::Refusal("I can't help with that request.".into()));
    let replies = env.chat(3401, "something I should not ask").await;
    assert_eq!(replies, ["I can't help with that request."]);
    assert_eq!(ai.count(Endpoint::Chat), 1, "a final answer: not retried");
    assert_eq!(env.usage_records(3401).await, 1);
    // It is part of the conversation like any reply.
    let next = env.chat(3401, "ok, something else").await;
    assert!(next[0].contains("I can see 2 earlier"), "{next:?}");
}

#[tokio::test]
async fn a_filtered_reply_gets_one_sentence_and_is_not_kept_for_a_redrive() {
    let env = TestEnv::start().await;
    let ai = env.openai.as_ref().unwrap();
    ai.fail_next(AiFault::ContentFilter);
    let replies = env.chat(3402, "hmm").await;
    assert_eq!(
        replies,
        [texts::gave_up(
            Lang::En,
            Some(Cause::ContentFilter),
            false,
            true
        )]
    );
    assert_eq!(ai.count(Endpoint::Chat), 1);
    assert!(
        env.dead_letters(&env.resources.work_dlq)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(env.queue_depths().await, 0);
}

#[tokio::test]
async fn busy_overloaded_and_reset_are_retried_within_the_delivery() {
    let env = TestEnv::start().await;
    let ai = env.openai.as_ref().unwrap();
    ai.fail_next(AiFault::RateLimitedFor(Duration::from_millis(300)));
    ai.fail_next(AiFault::Overloaded);
    let replies = env.chat(3403, "are you busy?").await;
    assert_eq!(
        replies.len(),
        1,
        "no notice: answered within the delivery: {replies:?}"
    );
    assert!(replies[0].contains("You said"), "{replies:?}");
    assert_eq!(ai.count(Endpoint::Chat), 3);
    ai.fail_next(AiFault::ConnectionReset);
    let replies = env.chat(3403, "and now?").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!(ai.count(Endpoint::Chat), 5);
}

#[tokio::test]
async fn a_stream_that_goes_quiet_is_cut_and_asked_again() {
    let env = TestEnv::with(StackOptions {
        extra_env: vec![("OPENAI_STREAM_IDLE_SECS".into(), "1".into())],
        ..StackOptions::default()
    })
    .await;
    let ai = env.openai.as_ref().unwrap();
    ai.fail_next(AiFault::StallMidStream(Duration::from_secs(30)));
    let replies = env.chat(3404, "tell me something").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(
        replies[0].ends_with("earlier messages of ours."),
        "whole: {replies:?}"
    );
    assert_eq!(ai.streams_started(), 2);
}

#[tokio::test]
async fn a_server_that_never_answers_is_cut_at_the_timeout_and_asked_again() {
    let env = TestEnv::with(StackOptions {
        openai_timeout_secs: 1,
        ..StackOptions::default()
    })
    .await;
    let ai = env.openai.as_ref().unwrap();
    ai.fail_next(AiFault::Hang(Duration::from_secs(30)));
    let replies = env.chat(3405, "hello?").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(replies[0].contains("You said"), "{replies:?}");
    assert_eq!(ai.count(Endpoint::Chat), 2);
}

#[tokio::test]
async fn a_reply_that_streams_longer_than_the_timeout_is_delivered() {
    // OPENAI_TIMEOUT_SECS bounds the wait for the first words, not the whole reply.
    let env = TestEnv::with(StackOptions {
        openai_timeout_secs: 1,
        ..StackOptions::default()
    })
    .await;
    let ai = env.openai.as_ref().unwrap();
    ai.set_stream_delay(Duration::from_millis(150));
    let long = "sea and ships and stars ".repeat(10);
    let replies = env.chat(3406, long.trim()).await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(
        replies[0].ends_with("earlier messages of ours."),
        "whole: {replies:?}"
    );
    assert_eq!(ai.streams_started(), 1, "never cut and restarted");
}

#[tokio::test]
async fn a_conversation_the_provider_lost_is_started_again_from_ours_and_the_user_told_once() {
    let env = TestEnv::with(StackOptions {
        extra_env: vec![("OPENAI_API_MODE".into(), "responses".into())],
        ..StackOptions::default()
    })
    .await;
    let user = 3407;
    env.chat(user, "my cat is called Miso").await;
    env.chat(user, "she is three").await;
    let ai = env.openai.as_ref().unwrap();
    ai.forget_conversations();
    let replies = env.chat(user, "what do you remember?").await;
    assert_eq!(replies.len(), 2, "{replies:?}");
    assert_eq!(replies[0], texts::conversation_restored(Lang::En));
    // The new conversation was seeded with our record of the old one.
    let seeded = ai
        .requests()
        .into_iter()
        .rfind(|r| r.get("items").is_some())
        .expect("a conversation created with items");
    let items = seeded["items"].to_string();
    assert!(
        items.contains("my cat is called Miso") && items.contains("she is three"),
        "{items}"
    );
    assert!(replies[1].contains("I can see 4 earlier"), "{replies:?}");
    // Later messages use the new conversation without another notice.
    let next = env.chat(user, "and now?").await;
    assert_eq!(next.len(), 1, "{next:?}");
}
