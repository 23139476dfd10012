//! processor: turns an allowed message into a reply from the model.
//!
//! Exactly once: the reply, both turns and the usage record are stored in one
//! transaction keyed by the update before anything is enqueued. A redelivered record
//! finds the stored reply and only re-enqueues it, so the model is never called twice
//! for an update whose answer was saved.
//!
//! Never silent, never stuck: a failure that may pass is retried within the invocation
//! (bounded by attempts and the deadline), then by SQS with growing back-off, and the user
//! hears once that it is taking a while; a failure that will not pass, or the last
//! delivery's, ends in one clear message and, where an operator can fix the cause, the
//! message is kept in the dead-letter queue for a redrive (`delivery::settle`).
//!
//! One file per step: `fragments` (long messages and albums held for their parts),
//! `commands`, `answer` (the reply's preparation), `chat` (a Chat Completions answer),
//! `media` (voice and photos), `memory`
//! (folding old turns into notes), `generate` (the model call, drafts, retries),
//! `responses` (the Responses API's conversations), `finish` (storing and sending),
//! `migrate` (a group that became a supergroup) and `delivery` (what a failure means).

mod answer;
mod chat;
mod commands;
mod delivery;
mod finish;
mod forget;
mod fragments;
mod generate;
mod idle;
mod media;
mod memory;
mod migrate;
mod progress;
mod reserve;
mod responses;
mod retry;

use std::sync::Mutex;
use std::time::Duration;

use anyhow::anyhow;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};

use super::batch::{Record, process_fifo};
use super::capabilities::Capabilities;
use crate::clock::{Clock, Deadline};
use crate::config::ApiMode;
use crate::domain::budget::Limits;
use crate::domain::jobs::WorkJob;
use crate::domain::memory::Calibration;
use crate::domain::{PriceTable, UserId};
use crate::error::{Failure, Result};
use crate::handlers::retry::Attempts;
use crate::ports::{
    CapabilityLog, ChatMigrationStore, ChatModel, ConversationModel, ConversationShelf,
    ConversationStore, CreditStore, Eraser, FragmentStore, GenerationLog, GiveUpLog, Queue,
    Telegram, Transcriber, UsageStore, UserStore,
};

pub use delivery::retry_backoff;

/// The processor's clients and settings, built once per container and shared by its records.
pub struct ProcessorState<S, M, Q, T> {
    /// The wall clock: dates of counters and budgets, when held fragments are due.
    pub clock: std::sync::Arc<dyn Clock>,
    /// Conversations, profiles, usage, and the records that keep each answer single.
    pub store: S,
    /// Writes the replies and hears the voice notes.
    pub model: M,
    /// Drafts, "typing…" and file downloads; replies themselves go through the outbox.
    pub telegram: T,
    /// Where replies and notices go, for the sender to deliver in the chat's order.
    pub outbox: Q,
    /// The queue this function consumes, to schedule the retry of a failed record.
    pub work: Q,
    /// The work queue's dead-letter queue: where a message the bot gave up on is kept
    /// until an operator redrives it.
    pub dead_letters: Q,
    /// The work queue's `maxReceiveCount`: the delivery that gives up.
    pub max_receives: u32,
    /// Most turns read back for a prompt; older ones reach the model as notes.
    pub history_turns: usize,
    /// A conversation quiet for longer is filed and the next message starts a new one.
    pub conversation_idle: Option<Duration>,
    /// Model calls per delivery before it is left to SQS's redelivery (at least 1).
    pub max_attempts: u32,
    /// First wait between attempts within a delivery; later ones double.
    pub retry_delay: Duration,
    /// First wait before a failed record is delivered again; doubles per attempt.
    pub redelivery_delay: Duration,
    /// What each model costs: the recorded cost, and the cost limits' measure.
    pub prices: PriceTable,
    /// `ADMIN_USER_IDS`: who may `/grant` credits and see `/stats`; no limit applies to them.
    pub admins: Vec<UserId>,
    /// The token and cost limits per user; credits answer past them.
    pub limits: Limits,
    /// Most prompt tokens a model call may use; older turns are folded to stay inside.
    pub context_budget: u32,
    /// The longest reply, in tokens (`MAX_REPLY_TOKENS`).
    pub reply_tokens: u32,
    /// Learned ratio of real to estimated tokens, for this container's life.
    pub calibration: Mutex<Calibration>,
    /// Who keeps the conversation: the bot (Chat Completions), or the server (Responses).
    pub mode: ApiMode,
    /// Stream replies: drafts in private chats, "typing…" in groups.
    pub stream: bool,
    /// At most one draft per this long, per chat.
    pub draft_interval: Duration,
    /// Models a user may pick in /settings.
    pub allowed_models: Vec<crate::domain::ModelName>,
    /// `OPENAI_MODEL`: what a reply is recorded under when the provider does not say.
    pub default_model: String,
    /// Where photos go, if not to the chat's model.
    pub vision_model: Option<String>,
    /// What the server was found to lack.
    pub capabilities: Capabilities,
    /// The speech-to-text model, for remembering whether the server has it.
    pub transcription_model: String,
    /// The text-to-speech model the sender speaks replies with: what a spoken reply costs.
    pub speech_model: String,
}

/// What the processor's store must do.
pub trait ProcessorStore:
    ConversationStore
    + UserStore
    + UsageStore
    + CreditStore
    + GenerationLog
    + FragmentStore
    + CapabilityLog
    + ChatMigrationStore
    + GiveUpLog
    + Eraser
    + ConversationShelf
{
}
impl<T> ProcessorStore for T where
    T: ConversationStore
        + UserStore
        + UsageStore
        + CreditStore
        + GenerationLog
        + FragmentStore
        + CapabilityLog
        + ChatMigrationStore
        + GiveUpLog
        + Eraser
        + ConversationShelf
{
}

/// What the processor's model client must do.
pub trait ProcessorModel: ChatModel + ConversationModel + Transcriber {}
impl<T> ProcessorModel for T where T: ChatModel + ConversationModel + Transcriber {}

impl<S, M, Q, T> ProcessorState<S, M, Q, T> {
    fn calibration(&self) -> Calibration {
        *self.calibration.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn attempts(&self) -> Attempts {
        Attempts {
            max: self.max_attempts,
            first_wait: self.retry_delay,
        }
    }
}

/// What came of one record's job: the message it answered (or tried to), for the notice if
/// it failed, and whether it did.
pub(crate) struct Outcome {
    /// The message the job was about, if any (a migration has none).
    pub subject: Option<crate::domain::IncomingMessage>,
    /// Done, or why not.
    pub result: Result<()>,
}

impl Outcome {
    /// Nothing to do, and nothing failed.
    fn nothing() -> Self {
        Self {
            subject: None,
            result: Ok(()),
        }
    }

    /// Failed before any message was taken up.
    fn failed(e: crate::error::Failure) -> Self {
        Self {
            subject: None,
            result: Err(e),
        }
    }
}

/// One delivery of one record: how many times SQS has handed it over, and until when
/// this invocation may work on it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Delivery {
    /// 1 on the first delivery; the work queue's `maxReceiveCount` is the last.
    pub receive_count: u32,
    /// When this invocation must be done; work is cut short of it.
    pub deadline: Deadline,
    /// A parked copy an operator sent back from the dead-letter queue: answered even
    /// though the bot gave up on it.
    pub redrive: bool,
}

impl Delivery {
    /// Not the first delivery: the user has already seen the bot start on this one.
    pub fn is_retry(&self) -> bool {
        self.receive_count > 1
    }
}

/// Answers a batch from the work queue: messages, held fragments now due, group moves.
pub async fn handle<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    event: SqsEvent,
    deadline: Deadline,
) -> Result<SqsBatchResponse, lambda_runtime::Error>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    Ok(process_fifo(&event, &state.work, |record| {
        handle_record(state, record, deadline)
    })
    .await)
}

async fn handle_record<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    record: Record<'_>,
    deadline: Deadline,
) -> Result<()>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    let delivery = Delivery {
        receive_count: record.receive_count,
        deadline,
        redrive: delivery::redriven(record.body),
    };
    let job = match record.parse::<WorkJob>() {
        Ok(job) => job,
        Err(e) => return delivery::settle(state, &record, None, Err(e)).await,
    };
    let Outcome { subject, result } = match job {
        WorkJob::Message(message) => {
            let result = Box::pin(fragments::handle_incoming(state, &message, delivery)).await;
            Outcome {
                subject: Some(message),
                result,
            }
        }
        WorkJob::Flush { flush_fragments } => {
            let wait = flush_fragments.due_ms - state.clock.now_ms();
            if wait > 0 {
                // Its own message group, so waiting holds up no chat. Not a failure to
                // settle: that would count it against the record's deliveries.
                return Err(
                    Failure::retryable(anyhow!("held fragments not due for {wait} ms"))
                        .with_retry_after(Some(Duration::from_millis(wait as u64))),
                );
            }
            Box::pin(fragments::flush(state, &flush_fragments, delivery)).await
        }
        WorkJob::Migrate { migrate_chat } => Outcome {
            subject: None,
            result: migrate::run(state, &migrate_chat).await,
        },
        WorkJob::Forget { forget } => Outcome {
            subject: None,
            result: Box::pin(forget::run(state, &forget, delivery)).await,
        },
    };
    delivery::settle(state, &record, subject.as_ref(), result).await
}

#[cfg(test)]
mod tests;
