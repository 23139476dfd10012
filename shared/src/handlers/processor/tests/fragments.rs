//! Long messages Telegram split into parts, and albums: held, then answered once.

use std::time::Duration;

use super::{BUDGET, replies};
use crate::domain::fragments::HOLD_MS;
use crate::domain::jobs::{FlushFragments, WorkJob};
use crate::domain::{ChatId, Media, UpdateId};
use crate::testing::{
    FakeProcessor, START_MS, deliver, deliver_event, message, processor, work_event,
};

const USER: i64 = 21;

/// A text long enough to have been cut by Telegram.
fn first_part() -> String {
    "a".repeat(4_000)
}

async fn flush(state: &FakeProcessor, update: u64, due_ms: i64) -> Vec<String> {
    let job = WorkJob::Flush {
        flush_fragments: FlushFragments {
            chat_id: ChatId::new(USER),
            update_id: UpdateId(update),
            due_ms,
        },
    };
    deliver_event(state, work_event(&job, 1), BUDGET).await
}

#[tokio::test(start_paused = true)]
async fn a_cut_message_is_held_then_answered_whole_when_its_end_arrives() {
    let state = processor(Duration::from_secs(1));
    assert!(
        deliver(&state, &message(1, USER, &first_part()), 1, BUDGET)
            .await
            .is_empty()
    );
    assert!(state.model.calls().is_empty(), "held, not answered");
    let checks = state.work.sent();
    assert_eq!(
        checks.len(),
        1,
        "a check is scheduled in case no part follows"
    );
    assert_eq!(checks[0].dedup_id, "flush-1");
    assert!(
        deliver(&state, &message(2, USER, "the end"), 1, BUDGET)
            .await
            .is_empty()
    );
    let calls = state.model.calls();
    assert_eq!(calls.len(), 1, "answered once, as a whole");
    let asked = &calls[0].prompt.last().expect("a user message").content;
    assert!(asked.starts_with(&first_part()) && asked.ends_with("the end"));
    assert_eq!(replies(&state)[0].0, "reply-2", "answered as the last part");
    // The check that comes later finds nothing held and does nothing.
    tokio::time::advance(Duration::from_millis(HOLD_MS as u64)).await;
    assert!(flush(&state, 1, START_MS + HOLD_MS).await.is_empty());
    assert_eq!(state.model.calls().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_part_with_no_sequel_is_answered_alone_when_its_check_is_due() {
    let state = processor(Duration::from_secs(1));
    assert!(
        deliver(&state, &message(1, USER, &first_part()), 1, BUDGET)
            .await
            .is_empty()
    );
    let due = START_MS + HOLD_MS;
    // Delivered early: the check goes back to the queue for what is left of the wait.
    assert_eq!(flush(&state, 1, due).await.len(), 1);
    assert_eq!(state.work.delays(), [Duration::from_millis(HOLD_MS as u64)]);
    assert!(state.model.calls().is_empty());
    tokio::time::advance(Duration::from_millis(HOLD_MS as u64)).await;
    assert!(flush(&state, 1, due).await.is_empty());
    assert_eq!(state.model.calls().len(), 1);
    assert_eq!(replies(&state)[0].0, "reply-1");
}

#[tokio::test(start_paused = true)]
async fn an_unrelated_message_answers_the_held_part_first() {
    let state = processor(Duration::from_secs(1));
    assert!(
        deliver(&state, &message(1, USER, &first_part()), 1, BUDGET)
            .await
            .is_empty()
    );
    // Not the next message id: not a continuation.
    assert!(
        deliver(&state, &message(7, USER, "new topic"), 1, BUDGET)
            .await
            .is_empty()
    );
    let ids: Vec<String> = replies(&state).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, ["reply-1", "reply-7"]);
}

#[tokio::test(start_paused = true)]
async fn an_album_is_answered_once_with_all_its_photos() {
    let state = processor(Duration::from_secs(1));
    let photo = |update: u64, file: &str| {
        let mut m = message(update, USER, if update == 1 { "look" } else { "" });
        m.media = Some(Media::Photo {
            file_id: file.into(),
            size: Some(1_000),
        });
        m.media_group = Some("album-1".into());
        m
    };
    assert!(deliver(&state, &photo(1, "p1"), 1, BUDGET).await.is_empty());
    assert!(deliver(&state, &photo(2, "p2"), 1, BUDGET).await.is_empty());
    assert!(state.model.calls().is_empty(), "an album may go on");
    tokio::time::advance(Duration::from_millis(HOLD_MS as u64)).await;
    assert!(flush(&state, 2, START_MS + HOLD_MS).await.is_empty());
    let calls = state.model.calls();
    assert_eq!(calls.len(), 1);
    let asked = calls[0].prompt.last().expect("a user message");
    assert_eq!(asked.images.len(), 2);
    assert_eq!(asked.content, "[2 photos] look");
}
