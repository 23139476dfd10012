//! The processor on fakes, and one delivery through it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::builders::{body_event, work_event};
use super::{FakeModel, FakeQueue, FakeStore, FakeTelegram};
use crate::clock::ManualClock;
use crate::domain::IncomingMessage;
use crate::domain::jobs::WorkJob;

/// The date the fakes start at: 2023-11-14 22:13:20 UTC.
pub const START_MS: i64 = 1_700_000_000_000;

/// The processor's state on fakes.
pub type FakeProcessor =
    crate::handlers::processor::ProcessorState<FakeStore, FakeModel, FakeQueue, FakeTelegram>;

/// A processor on fakes, configured as in production but for `draft_interval`.
pub fn processor(draft_interval: Duration) -> FakeProcessor {
    use crate::config::ApiMode;
    crate::handlers::processor::ProcessorState {
        // Follows tokio's clock: on a paused runtime, `advance` moves the date too.
        clock: Arc::new(ManualClock::at(START_MS)),
        store: FakeStore::default(),
        model: FakeModel::default(),
        telegram: FakeTelegram::default(),
        outbox: FakeQueue::default(),
        work: FakeQueue::default(),
        dead_letters: FakeQueue::default(),
        max_receives: 5,
        history_turns: 40,
        conversation_idle: Some(std::time::Duration::from_secs(24 * 3600)),
        max_attempts: 3,
        retry_delay: Duration::from_millis(500),
        redelivery_delay: Duration::from_secs(30),
        prices: crate::domain::PriceTable::parse(crate::config::DEFAULT_MODEL_PRICES)
            .expect("the default prices parse"),
        admins: Vec::new(),
        limits: Default::default(),
        context_budget: 8000,
        reply_tokens: 1000,
        calibration: Mutex::default(),
        mode: ApiMode::Chat,
        stream: true,
        draft_interval,
        allowed_models: super::models(&["gpt-4o-mini"]),
        default_model: "gpt-4o-mini".into(),
        vision_model: None,
        capabilities: Default::default(),
        transcription_model: "gpt-4o-mini-transcribe".into(),
        speech_model: "gpt-4o-mini-tts".into(),
    }
}

/// Runs one work-queue delivery of `message` through the processor, with `budget` left
/// of the invocation; returns the ids of the records that failed.
pub async fn deliver(
    state: &FakeProcessor,
    message: &IncomingMessage,
    receive_count: u32,
    budget: Duration,
) -> Vec<String> {
    let event = work_event(&WorkJob::Message(message.clone()), receive_count);
    deliver_event(state, event, budget).await
}

/// Runs one work-queue delivery of a record with this body; returns the failed ids.
pub async fn deliver_body(
    state: &FakeProcessor,
    body: &str,
    receive_count: u32,
    budget: Duration,
) -> Vec<String> {
    deliver_event(state, body_event(body, receive_count), budget).await
}

/// Runs one event through the processor with `budget` left; returns the failed ids.
pub async fn deliver_event(
    state: &FakeProcessor,
    event: aws_lambda_events::event::sqs::SqsEvent,
    budget: Duration,
) -> Vec<String> {
    let deadline = crate::clock::Deadline::after(budget);
    crate::handlers::processor::handle(state, event, deadline)
        .await
        .expect("the handler answers")
        .batch_item_failures
        .into_iter()
        .map(|f| f.item_identifier)
        .collect()
}
