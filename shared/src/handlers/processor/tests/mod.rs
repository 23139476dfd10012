//! Every branch of the processor on in-memory fakes (`crate::testing`), on tokio's paused
//! clock: commands, failure classes, budgets, fragments, media, folding, Responses mode
//! and the pacing of drafts. The same flows run on moto and the stand-ins in `tests/it/`.

mod budgets;
mod commands;
mod conversations;
mod edges;
mod failures;
mod folding;
mod forget;
mod fragments;
mod language;
mod last_word;
mod media;
mod pacing;
mod responses;

use std::time::Duration;

use crate::domain::IncomingMessage;
use crate::testing::{FakeProcessor, deliver};

/// More than any test needs: deadlines are tested on their own.
const BUDGET: Duration = Duration::from_secs(120);

/// What went to the outbox, as (delivery id, text).
fn replies(state: &FakeProcessor) -> Vec<(String, String)> {
    state
        .outbox
        .outgoing()
        .into_iter()
        .map(|m| (m.delivery_id.to_string(), m.text))
        .collect()
}

/// The text of the only reply sent; fails the test otherwise.
fn only_reply(state: &FakeProcessor) -> String {
    let all = replies(state);
    assert_eq!(all.len(), 1, "expected one reply, got {all:?}");
    all.into_iter()
        .next()
        .map(|(_, text)| text)
        .unwrap_or_default()
}

/// Delivers `message` once (first delivery) and asserts the record succeeded.
async fn answered(state: &FakeProcessor, message: &IncomingMessage) {
    let failed = deliver(state, message, 1, BUDGET).await;
    assert!(failed.is_empty(), "the record failed: {failed:?}");
}
