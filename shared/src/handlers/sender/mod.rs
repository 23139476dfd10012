//! sender: delivers replies to Telegram, once each.
//!
//! A reply is rendered and split into Telegram-sized parts, each with its own delivery
//! record, so a redelivery resumes where it stopped. Telegram's answers decide the rest
//! (`failure`): a flood wait hides the message for `retry_after`, a blocked bot drops it,
//! a group that became a supergroup gets it at its new id, and a send whose answer was
//! lost is not sent again. A spoken copy (`voice`) never holds up the chat: if it cannot
//! be made, the user is told in a line and the next reply goes out.

mod failure;
mod parts;
mod voice;

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};

use super::batch::{Record, process_fifo};
use super::capabilities::Capabilities;
use super::retry::Attempts;
use crate::clock::Deadline;
use crate::domain::OutgoingMessage;
use crate::error::Result;
use crate::ports::{CapabilityLog, DeliveryLog, Queue, Speaker, Telegram, UserStore};
use failure::{Outcome, failed};

/// The sender's clients and settings, built once per container and shared by its records.
pub struct SenderState<S, T, Q, P> {
    /// What was delivered, which chats refuse the bot, and what the server lacks.
    pub store: S,
    /// Where every reply, document and voice note is posted.
    pub telegram: T,
    /// Speaks replies for users who turned voice replies on.
    pub speaker: P,
    /// The queue this function consumes, for delaying a message after a 429.
    pub outbox: Q,
    /// Where messages Telegram refuses for good are put aside for a human to look at.
    pub dead_letters: Q,
    /// The work queue, where a group's move to its supergroup is queued.
    pub work: Q,
    /// The speech model, for remembering whether the server has it.
    pub speech_model: String,
    /// Whether the server can speak, so a missing speech model costs one failed call.
    pub capabilities: Capabilities,
    /// Speech calls per voice note.
    pub speech_attempts: Attempts,
}

/// What the sender's store must do.
pub trait SenderStore: DeliveryLog + UserStore + CapabilityLog {}
impl<T> SenderStore for T where T: DeliveryLog + UserStore + CapabilityLog {}

/// Delivers a batch from the outbox, each chat's replies in order and each one once.
pub async fn handle<S, T, Q, P>(
    state: &SenderState<S, T, Q, P>,
    event: SqsEvent,
    deadline: Deadline,
) -> Result<SqsBatchResponse, lambda_runtime::Error>
where
    S: SenderStore,
    T: Telegram,
    Q: Queue,
    P: Speaker,
{
    Ok(process_fifo(&event, &state.outbox, |record| async move {
        let result = handle_record(state, record, deadline).await;
        // Once per failed record and delivery; the failures `failure::failed` settles
        // for good (a refused or blocked chat) are counted there.
        if let Err(e) = &result {
            crate::metrics::failed(e);
        }
        result
    })
    .await)
}

async fn handle_record<S, T, Q, P>(
    state: &SenderState<S, T, Q, P>,
    record: Record<'_>,
    deadline: Deadline,
) -> Result<()>
where
    S: SenderStore,
    T: Telegram,
    Q: Queue,
    P: Speaker,
{
    let mut message: OutgoingMessage = record.parse()?;
    // A redelivery after a crash between sending and acknowledging must not send twice.
    if state.store.was_delivered(&message.delivery_id).await? {
        tracing::info!(delivery_id = %message.delivery_id, "already delivered");
        return Ok(());
    }
    if message.document.is_some() {
        match state.telegram.send_document(&message).await {
            Ok(()) => crate::metrics::reply_sent(),
            Err(e) => match failed(state, &message, e).await {
                Outcome::Sent => {}
                Outcome::Done(result) => return result,
            },
        }
        return state.store.mark_delivered(&message.delivery_id).await;
    }
    if let Some(done) = parts::send_all(state, &mut message).await? {
        return done;
    }
    if message.voice {
        let spoken = parts::spoken_text(&message);
        if let Some(done) = voice::deliver(state, &message, &spoken, deadline).await? {
            return done;
        }
    }
    state.store.mark_delivered(&message.delivery_id).await
}
