//! A message the processor gave up on stays given up on: the same message coming back
//! after the user was told (its function died before SQS heard, or SQS handed it over
//! twice) says the same again and is not answered after all, while a redrive of the
//! parked copy is answered once. On fakes and tokio's paused clock; `tests/it/last_word.rs`
//! runs the same on the stack.

use crate::domain::Lang;
use std::time::Duration;

use crate::domain::{GaveUp, texts};
use crate::error::Cause;
use crate::ports::{GiveUpLog, ReplySlot};
use crate::testing::{FakeProcessor, Script, deliver, deliver_body, message, processor};

const BUDGET: Duration = Duration::from_secs(120);

fn replies(state: &FakeProcessor) -> Vec<(String, String)> {
    state
        .outbox
        .outgoing()
        .into_iter()
        .map(|m| (m.delivery_id.to_string(), m.text))
        .collect()
}

fn out_of_quota() -> Script {
    Script::Fail {
        retryable: false,
        cause: Some(Cause::QuotaExhausted),
        retry_after: None,
    }
}

#[tokio::test(start_paused = true)]
async fn a_record_that_comes_back_after_the_user_was_told_says_the_same_and_nothing_more() {
    let state = processor(Duration::from_secs(1));
    state.model.script([out_of_quota()]);
    let hi = message(21, 42, "hi");
    assert!(deliver(&state, &hi, 1, BUDGET).await.is_empty());
    let told = texts::gave_up(Lang::En, Some(Cause::QuotaExhausted), false, true);
    assert_eq!(replies(&state), [("failed-21".to_owned(), told.clone())]);
    // The function died before SQS heard: the same record again. The model would answer
    // now, but the user has been told it cannot.
    assert!(deliver(&state, &hi, 2, BUDGET).await.is_empty());
    assert_eq!(state.model.calls().len(), 1, "no second model call");
    assert!(state.store.exchanges().is_empty(), "not answered after all");
    // Said again under the same deduplication ids, which FIFO queues drop.
    assert_eq!(replies(&state), [("failed-21".to_owned(), told)]);
    assert_eq!(state.dead_letters.sent().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_record_that_died_between_its_word_and_telling_it_tells_it() {
    let state = processor(Duration::from_secs(1));
    let word = GaveUp {
        notice: texts::gave_up(Lang::En, Some(Cause::Unauthorized), false, true),
        kept: true,
    };
    // The word was stored, then the function died: nothing told, nothing kept yet.
    let hi = message(24, 42, "hello?");
    state
        .store
        .record_gave_up(ReplySlot::of(&hi), &word)
        .await
        .unwrap();
    assert!(deliver(&state, &hi, 2, BUDGET).await.is_empty());
    assert_eq!(replies(&state), [("failed-24".to_owned(), word.notice)]);
    assert_eq!(state.dead_letters.sent().len(), 1);
    assert!(state.model.calls().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_redrive_of_the_parked_copy_is_answered_once() {
    let state = processor(Duration::from_secs(1));
    state.model.script([out_of_quota()]);
    let hi = message(22, 42, "still there?");
    deliver(&state, &hi, 1, BUDGET).await;
    let parked = state.dead_letters.sent();
    assert_eq!(parked.len(), 1);
    // The operator topped up the account and redrives the dead-letter queue; SQS may
    // hand the redriven record over more than once.
    assert!(
        deliver_body(&state, &parked[0].body, 1, BUDGET)
            .await
            .is_empty()
    );
    assert!(
        deliver_body(&state, &parked[0].body, 2, BUDGET)
            .await
            .is_empty()
    );
    assert_eq!(state.store.exchanges().len(), 1, "answered once");
    assert_eq!(
        state.model.calls().len(),
        2,
        "the failed call and the answer"
    );
    let answers: Vec<_> = replies(&state)
        .into_iter()
        .filter(|(id, _)| !id.starts_with("failed-"))
        .collect();
    assert_eq!(answers.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_second_copy_sqs_hands_over_as_new_is_not_answered_either() {
    let state = processor(Duration::from_secs(1));
    state.model.script([out_of_quota()]);
    let hi = message(25, 42, "hi there");
    deliver(&state, &hi, 1, BUDGET).await;
    // The same update in a record of its own, on its first delivery (a queue that let a
    // duplicate through).
    assert!(deliver(&state, &hi, 1, BUDGET).await.is_empty());
    assert_eq!(state.model.calls().len(), 1);
    assert!(state.store.exchanges().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_redelivery_of_a_message_never_given_up_on_is_answered() {
    let state = processor(Duration::from_secs(1));
    let hi = message(23, 42, "hello again");
    assert!(deliver(&state, &hi, 2, BUDGET).await.is_empty());
    assert_eq!(state.store.exchanges().len(), 1);
}
