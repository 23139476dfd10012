//! Folding old turns into notes: when the window is full, when the provider says the
//! context overflowed, and a message too long to answer at all.

use crate::domain::Lang;
use std::time::Duration;

use super::{BUDGET, replies};
use crate::domain::{PromptRole, texts};
use crate::error::Cause;
use crate::testing::{FakeProcessor, Script, deliver, message, processor};

const USER: i64 = 11;

fn long_conversation(state: &FakeProcessor, pairs: usize) {
    let user = "tell me more about the sea and the ships that cross it ".repeat(4);
    let bot = "the sea is wide and the ships are many and all of them are slow ".repeat(4);
    let turns: Vec<(&str, &str)> = (0..pairs).map(|_| (user.as_str(), bot.as_str())).collect();
    state
        .store
        .add_exchanges(message(0, USER, "").conversation(), &turns);
}

/// A model call that answers `text` (short notes: no merge needed).
fn says(text: &str) -> Script {
    Script::Reply {
        pieces: vec![text.to_owned()],
        gap: Duration::ZERO,
        usage: true,
    }
}

#[tokio::test(start_paused = true)]
async fn a_long_conversation_is_folded_into_notes_and_the_user_is_told_once() {
    let mut state = processor(Duration::from_secs(1));
    state.context_budget = 1_500;
    long_conversation(&state, 20);
    state.model.script([says("They talked about the sea.")]);
    assert!(
        deliver(&state, &message(1, USER, "and then?"), 1, BUDGET)
            .await
            .is_empty()
    );
    let calls = state.model.calls();
    let kinds: Vec<&str> = calls.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, ["whole", "stream"], "the notes, then the answer");
    let notes = state
        .store
        .notes(message(0, USER, "").conversation())
        .expect("notes were saved");
    assert_eq!(notes, "They talked about the sea.");
    let answer_prompt = &calls[1].prompt;
    assert!(
        answer_prompt
            .iter()
            .any(|m| m.role == PromptRole::System && m.content.contains(&notes)),
        "the answer is asked with the notes"
    );
    let sent = replies(&state);
    assert_eq!(
        sent[0],
        ("memory-1".to_owned(), texts::memory_folded(Lang::En))
    );
    assert_eq!(sent[1].0, "reply-1");
    // The next fold adds to the notes without telling again.
    long_conversation(&state, 20);
    state.model.script([says("And about ships.")]);
    assert!(
        deliver(&state, &message(2, USER, "go on"), 1, BUDGET)
            .await
            .is_empty()
    );
    let notes = state.store.notes(message(0, USER, "").conversation());
    assert!(
        notes
            .as_deref()
            .is_some_and(|n| n.contains("the sea") && n.contains("ships")),
        "added to, not replaced: {notes:?}"
    );
    let told = replies(&state)
        .iter()
        .filter(|(id, _)| id.starts_with("memory-"))
        .count();
    assert_eq!(told, 1);
}

#[tokio::test(start_paused = true)]
async fn a_context_overflow_folds_all_but_the_last_exchange_and_asks_once_more() {
    let state = processor(Duration::from_secs(1));
    long_conversation(&state, 5);
    state.model.script([
        Script::Fail {
            retryable: false,
            cause: Some(Cause::ContextOverflow),
            retry_after: None,
        },
        says("Earlier: the sea."),
    ]);
    assert!(
        deliver(&state, &message(1, USER, "and then?"), 1, BUDGET)
            .await
            .is_empty()
    );
    let calls = state.model.calls();
    let kinds: Vec<&str> = calls.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, ["stream", "whole", "stream"]);
    // The retry carries one exchange of turns (two messages) and the new message.
    let turns = calls[2]
        .prompt
        .iter()
        .filter(|m| m.role != PromptRole::System)
        .count();
    assert_eq!(turns, 3, "{:?}", calls[2].prompt);
    assert_eq!(
        replies(&state).last().map(|(id, _)| id.as_str()),
        Some("reply-1")
    );
}

#[tokio::test(start_paused = true)]
async fn a_second_overflow_is_told_and_not_kept() {
    let state = processor(Duration::from_secs(1));
    long_conversation(&state, 5);
    let overflow = Script::Fail {
        retryable: false,
        cause: Some(Cause::ContextOverflow),
        retry_after: None,
    };
    state
        .model
        .script([overflow.clone(), says("Earlier: the sea."), overflow]);
    assert!(
        deliver(&state, &message(1, USER, "and then?"), 1, BUDGET)
            .await
            .is_empty()
    );
    let told = texts::gave_up(Lang::En, Some(Cause::ContextOverflow), false, true);
    assert_eq!(replies(&state).last(), Some(&("failed-1".to_owned(), told)));
    assert!(
        state.dead_letters.sent().is_empty(),
        "a redrive would overflow again"
    );
}

#[tokio::test(start_paused = true)]
async fn a_message_too_long_for_the_budget_is_refused_without_a_call() {
    let mut state = processor(Duration::from_secs(1));
    state.context_budget = 100;
    let long = "word ".repeat(2_000);
    assert!(
        deliver(&state, &message(1, USER, &long), 1, BUDGET)
            .await
            .is_empty()
    );
    assert!(state.model.calls().is_empty());
    let sent = replies(&state);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, "too-long-1");
    assert!(sent[0].1.contains("I can take about 100"), "{}", sent[0].1);
}
