//! In-memory fakes of the processor's ports, for tests that drive time with
//! `tokio::time::pause`: pacing, flood waits, retries and deadlines are then exact and do
//! not depend on how busy the machine is. Beside (not instead of) the integration tests
//! on moto and the HTTP stand-ins.
//!
//! Every fake records what it was asked, with the (virtual) time it was asked.

mod model;
mod store;
mod telegram;

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

pub use model::{FakeModel, ModelCall, Script};
pub use store::FakeStore;
pub use telegram::{FakeTelegram, Sent};

use shared::Failure;
use shared::domain::jobs::WorkJob;
use shared::domain::{ChatId, IncomingMessage, Person, UpdateId, UserId};
use shared::ports::{Envelope, Queue};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A queue that keeps what was sent and the delays asked for.
#[derive(Debug, Default)]
pub struct FakeQueue {
    sent: Mutex<Vec<Envelope>>,
    delays: Mutex<Vec<Duration>>,
}

impl FakeQueue {
    pub fn sent(&self) -> Vec<Envelope> {
        lock(&self.sent).clone()
    }

    /// Bodies of what was sent, parsed as the outbox's messages.
    pub fn outgoing(&self) -> Vec<shared::domain::OutgoingMessage> {
        self.sent()
            .iter()
            .filter_map(|e| serde_json::from_str(&e.body).ok())
            .collect()
    }

    pub fn delays(&self) -> Vec<Duration> {
        lock(&self.delays).clone()
    }
}

impl Queue for FakeQueue {
    async fn send(&self, envelope: &Envelope) -> Result<(), Failure> {
        let mut sent = lock(&self.sent);
        // SQS drops a FIFO message whose deduplication id it has seen.
        if !sent.iter().any(|e| e.dedup_id == envelope.dedup_id) {
            sent.push(envelope.clone());
        }
        Ok(())
    }

    async fn delay(&self, _receipt_handle: &str, delay: Duration) -> Result<(), Failure> {
        lock(&self.delays).push(delay);
        Ok(())
    }
}

/// A private text message from user `user`, as the work queue carries it.
pub fn message(update: u64, user: i64, text: &str) -> IncomingMessage {
    IncomingMessage {
        update_id: UpdateId(update),
        chat_id: ChatId(user),
        message_id: update as i64,
        date: 1_700_000_000,
        from: Person {
            id: UserId(user),
            first_name: "Ann".into(),
            username: None,
            language_code: None,
            is_chat: false,
        },
        text: text.into(),
        command: None,
        args: String::new(),
        forwarded: false,
        group: false,
        topic: None,
        media: None,
        media_group: None,
        album: Vec::new(),
    }
}

/// An SQS event with one work-queue record, delivered for the `receive_count`th time.
pub fn work_event(job: &WorkJob, receive_count: u32) -> aws_lambda_events::event::sqs::SqsEvent {
    body_event(
        &serde_json::to_string(job).expect("a job serialises"),
        receive_count,
    )
}

/// An SQS event with one work-queue record of this body (a parked copy, say).
pub fn body_event(body: &str, receive_count: u32) -> aws_lambda_events::event::sqs::SqsEvent {
    let mut record = aws_lambda_events::event::sqs::SqsMessage::default();
    // SQS keeps a message's id across its deliveries.
    let id = body
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    record.message_id = Some(format!("m-{id:016x}"));
    record.receipt_handle = Some("handle".into());
    record.body = Some(body.to_owned());
    record
        .attributes
        .insert("ApproximateReceiveCount".into(), receive_count.to_string());
    let mut event = aws_lambda_events::event::sqs::SqsEvent::default();
    event.records = vec![record];
    event
}

pub type FakeProcessor =
    shared::handlers::processor::ProcessorState<FakeStore, FakeModel, FakeQueue, FakeTelegram>;

/// A processor on fakes, configured as in production but for `draft_interval`.
pub fn processor(draft_interval: Duration) -> FakeProcessor {
    use shared::config::ApiMode;
    shared::handlers::processor::ProcessorState {
        store: FakeStore::default(),
        model: FakeModel::default(),
        telegram: FakeTelegram::default(),
        outbox: FakeQueue::default(),
        work: FakeQueue::default(),
        dead_letters: FakeQueue::default(),
        max_receives: 5,
        history_turns: 40,
        max_attempts: 3,
        retry_delay: Duration::from_millis(500),
        redelivery_delay: Duration::from_secs(30),
        prices: shared::domain::PriceTable::parse(shared::config::DEFAULT_MODEL_PRICES)
            .expect("the default prices parse"),
        admins: Vec::new(),
        limits: Default::default(),
        context_budget: 8000,
        reply_tokens: 1000,
        calibration: Mutex::default(),
        mode: ApiMode::Chat,
        stream: true,
        draft_interval,
        allowed_models: vec!["gpt-4o-mini".into()],
        default_model: "gpt-4o-mini".into(),
        vision_model: None,
        capabilities: Default::default(),
        transcription_model: "gpt-4o-mini-transcribe".into(),
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

async fn deliver_event(
    state: &FakeProcessor,
    event: aws_lambda_events::event::sqs::SqsEvent,
    budget: Duration,
) -> Vec<String> {
    let deadline = shared::clock::Deadline::after(budget);
    shared::handlers::processor::handle(state, event, deadline)
        .await
        .expect("the handler answers")
        .batch_item_failures
        .into_iter()
        .map(|f| f.item_identifier)
        .collect()
}
