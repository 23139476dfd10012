//! Each failure class, and what the user and the queue see.

use crate::domain::Lang;
use std::time::Duration;

use super::{BUDGET, replies};
use crate::domain::texts;
use crate::error::Cause;
use crate::testing::{Script, deliver, deliver_body, message, processor};

const USER: i64 = 7;

fn fail(retryable: bool, cause: Option<Cause>) -> Script {
    Script::Fail {
        retryable,
        cause,
        retry_after: None,
    }
}

#[tokio::test(start_paused = true)]
async fn a_transient_model_failure_is_retried_within_the_delivery() {
    let state = processor(Duration::from_secs(1));
    state
        .model
        .script([Script::transient(), Script::transient()]);
    let failed = deliver(&state, &message(1, USER, "hi"), 1, BUDGET).await;
    assert!(failed.is_empty());
    assert_eq!(state.model.calls().len(), 3);
    let sent = replies(&state);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].1.contains("hi"));
}

#[tokio::test(start_paused = true)]
async fn a_model_that_stays_down_goes_back_to_sqs_and_the_user_hears_once() {
    let state = processor(Duration::from_secs(1));
    state.model.script((0..6).map(|_| Script::transient()));
    let m = message(1, USER, "hi");
    assert_eq!(deliver(&state, &m, 1, BUDGET).await.len(), 1);
    assert_eq!(deliver(&state, &m, 2, BUDGET).await.len(), 1);
    let sent = replies(&state);
    assert_eq!(
        sent,
        [("notice-1".to_owned(), texts::still_trying(Lang::En))]
    );
    // Hidden for the back-off: 30 s, then 60 s.
    assert_eq!(
        state.work.delays(),
        [Duration::from_secs(30), Duration::from_secs(60)]
    );
    assert!(state.store.exchanges().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_longer_than_the_back_off_is_honoured() {
    let state = processor(Duration::from_secs(1));
    let slow_down = Script::Fail {
        retryable: true,
        cause: None,
        retry_after: Some(Duration::from_secs(300)),
    };
    state.model.script((0..3).map(|_| slow_down.clone()));
    assert_eq!(
        deliver(&state, &message(1, USER, "hi"), 1, BUDGET)
            .await
            .len(),
        1
    );
    assert_eq!(state.work.delays(), [Duration::from_secs(300)]);
}

#[tokio::test(start_paused = true)]
async fn the_last_delivery_gives_up_with_one_clear_message_and_keeps_the_record() {
    let state = processor(Duration::from_secs(1));
    state.model.script((0..3).map(|_| Script::transient()));
    let failed = deliver(&state, &message(1, USER, "hi"), 5, BUDGET).await;
    assert!(failed.is_empty(), "acknowledged: the user was told");
    let told = texts::gave_up(Lang::En, None, true, true);
    assert_eq!(replies(&state), [("failed-1".to_owned(), told)]);
    assert_eq!(state.dead_letters.sent().len(), 1, "kept for a redrive");
}

#[tokio::test(start_paused = true)]
async fn permanent_failures_are_told_at_once_and_kept_only_if_a_redrive_could_help() {
    for (cause, kept) in [
        (Cause::ContentFilter, false),
        (Cause::BadRequest, true),
        (Cause::Unauthorized, true),
        (Cause::ModelNotFound, true),
        (Cause::QuotaExhausted, true),
    ] {
        let state = processor(Duration::from_secs(1));
        state.model.script([fail(false, Some(cause))]);
        assert!(
            deliver(&state, &message(1, USER, "hi"), 1, BUDGET)
                .await
                .is_empty()
        );
        assert_eq!(state.model.calls().len(), 1, "{cause:?} is not retried");
        let told = texts::gave_up(Lang::En, Some(cause), false, true);
        assert_eq!(
            replies(&state),
            [("failed-1".to_owned(), told)],
            "{cause:?}"
        );
        assert_eq!(
            state.dead_letters.sent().len(),
            usize::from(kept),
            "{cause:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn an_empty_stream_is_asked_again_whole_and_answered() {
    let state = processor(Duration::from_secs(1));
    state.model.script([Script::Empty]);
    assert!(
        deliver(&state, &message(1, USER, "hi"), 1, BUDGET)
            .await
            .is_empty()
    );
    let kinds: Vec<&str> = state.model.calls().iter().map(|c| c.kind).collect();
    assert_eq!(kinds, ["stream", "whole"]);
    assert_eq!(replies(&state).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_server_that_keeps_answering_nothing_is_said_plainly_on_the_last_delivery() {
    let state = processor(Duration::from_secs(1));
    state.model.script((0..4).map(|_| Script::Empty));
    let failed = deliver(&state, &message(1, USER, "hi"), 5, BUDGET).await;
    assert!(failed.is_empty());
    assert_eq!(
        state.model.calls().len(),
        4,
        "one stream, then three whole attempts"
    );
    let told = texts::gave_up(Lang::En, Some(Cause::EmptyReply), true, true);
    assert_eq!(replies(&state), [("failed-1".to_owned(), told)]);
}

#[tokio::test(start_paused = true)]
async fn our_own_storage_failing_retries_quietly() {
    let state = processor(Duration::from_secs(1));
    state.store.fail("recent_history", 1, true);
    let failed = deliver(&state, &message(1, USER, "hi"), 1, BUDGET).await;
    assert_eq!(failed.len(), 1);
    assert!(
        replies(&state).is_empty(),
        "no 'taking a while' for our own outage"
    );
    // The next delivery answers.
    assert!(
        deliver(&state, &message(1, USER, "hi"), 2, BUDGET)
            .await
            .is_empty()
    );
    assert_eq!(replies(&state).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_failure_to_store_the_answer_does_not_send_it_and_the_retry_asks_again() {
    let state = processor(Duration::from_secs(1));
    state.store.fail("record_exchange", 1, true);
    let m = message(1, USER, "hi");
    assert_eq!(deliver(&state, &m, 1, BUDGET).await.len(), 1);
    assert!(
        replies(&state).is_empty(),
        "nothing sent that was not stored"
    );
    assert!(deliver(&state, &m, 2, BUDGET).await.is_empty());
    assert_eq!(replies(&state).len(), 1);
    assert_eq!(state.store.exchanges().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_outbox_that_is_down_leaves_the_stored_answer_for_the_redelivery() {
    let state = processor(Duration::from_secs(1));
    state.outbox.fail_sends(1);
    let m = message(1, USER, "hi");
    assert_eq!(deliver(&state, &m, 1, BUDGET).await.len(), 1);
    assert!(deliver(&state, &m, 2, BUDGET).await.is_empty());
    assert_eq!(
        state.model.calls().len(),
        1,
        "the stored answer is sent, not asked again"
    );
    assert_eq!(replies(&state).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_record_that_is_not_a_job_is_parked_as_it_came() {
    let state = processor(Duration::from_secs(1));
    let failed = deliver_body(&state, "{not json", 1, BUDGET).await;
    assert!(failed.is_empty(), "retrying cannot fix it");
    let parked = state.dead_letters.sent();
    assert_eq!(parked.len(), 1);
    assert_eq!(parked[0].body, "{not json");
    assert!(replies(&state).is_empty(), "no one to tell");
}

#[tokio::test(start_paused = true)]
async fn a_stop_press_ends_the_reply_and_says_so() {
    let state = processor(Duration::from_secs(1));
    state
        .model
        .script([Script::slow_reply(10, Duration::from_millis(500))]);
    let m = message(1, USER, "tell me a long story");
    let run = deliver(&state, &m, 1, BUDGET);
    let press = async {
        tokio::time::sleep(Duration::from_millis(2_200)).await;
        state.store.cancel(m.chat_id);
    };
    let (failed, ()) = tokio::join!(run, press);
    assert!(failed.is_empty());
    let sent = replies(&state);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[0].0, "reply-1");
    assert!(
        sent[0].1.starts_with("w0 "),
        "what was written is kept: {sent:?}"
    );
    assert!(!sent[0].1.contains("w9"), "{sent:?}");
    assert_eq!(sent[1], ("stopped-1".to_owned(), texts::stopped(Lang::En)));
    assert_eq!(
        state.store.exchanges()[0].reply,
        sent[0].1,
        "stored as sent"
    );
}

#[tokio::test(start_paused = true)]
async fn a_generation_marker_that_cannot_be_written_does_not_stop_the_reply() {
    let state = processor(Duration::from_secs(1));
    state.store.fail("begin_generation", 1, true);
    assert!(
        deliver(&state, &message(1, USER, "hi"), 1, BUDGET)
            .await
            .is_empty()
    );
    assert_eq!(replies(&state).len(), 1, "answered all the same");
    assert_eq!(state.model.calls().len(), 1);
}
