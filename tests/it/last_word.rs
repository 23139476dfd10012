//! A message the processor gave up on stays given up on, on the local stack: DynamoDB
//! keeps the word, SQS brings the record back. The same flows on fakes are the processor's
//! unit tests (`shared/src/handlers/processor/tests/last_word.rs`).

use shared::domain::Lang;
use shared::domain::texts;
use shared::error::Cause;

/// The same on the local stack: DynamoDB keeps the word, SQS brings the record back.
#[tokio::test]
async fn on_the_stack_a_crash_after_the_last_word_is_not_answered_and_the_redrive_is() {
    let env = crate::env::TestEnv::start().await;
    let openai = env.openai.as_ref().unwrap();
    openai.fail_next(testkit::openai_standin::AiFault::InsufficientQuota);
    env.send(931, "are you there?").await;
    env.crash_after_next_batch(testkit::Stage::Processor);
    env.drain().await.unwrap();
    let told = texts::gave_up(Lang::En, Some(Cause::QuotaExhausted), false, true);
    assert_eq!(env.telegram.texts_to(931), std::slice::from_ref(&told));
    assert_eq!(env.model_calls(), 1, "the redelivery did not ask the model");
    assert!(
        env.invocations(testkit::Stage::Processor) >= 2,
        "redelivered"
    );
    // The operator redrives the parked copy: now it is answered, once.
    let parked = env.dead_letters(&env.resources.work_dlq).await.unwrap();
    assert_eq!(parked.len(), 1);
    env.clients
        .sqs
        .send_message()
        .queue_url(&env.resources.work)
        .message_body(&parked[0])
        .message_group_id("chat-931")
        .message_deduplication_id("redrive-931")
        .send()
        .await
        .unwrap();
    env.drain().await.unwrap();
    let texts = env.telegram.texts_to(931);
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert_eq!(texts[0], told);
    assert!(texts[1].contains("are you there?"), "{texts:?}");
    assert_eq!(env.model_calls(), 2);
}

/// The word is kept where the answer would be, among the conversation's turns: the next
/// message's history reads past it, and the message given up on is not part of it.
#[tokio::test]
async fn a_message_given_up_on_is_no_turn_and_the_next_one_is_answered() {
    let env = crate::env::TestEnv::start().await;
    let openai = env.openai.as_ref().unwrap();
    openai.fail_next(testkit::openai_standin::AiFault::InsufficientQuota);
    let told = env.chat(932, "first try").await;
    assert_eq!(
        told,
        [texts::gave_up(
            Lang::En,
            Some(Cause::QuotaExhausted),
            false,
            true
        )]
    );
    let replies = env.chat(932, "second try").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(replies[0].contains("second try"), "{replies:?}");
    let asked = openai.requests().last().cloned().expect("a model request");
    let history = asked["messages"].to_string();
    assert!(!history.contains("first try"), "{history}");
}
