//! Messages Telegram delivered in parts (a long text, an album): held until the whole has
//! arrived, then answered once (`domain::fragments`).

use anyhow::anyhow;

use super::answer::{answer_loaded, load};
use super::commands::handle_message;
use super::{Delivery, Outcome, ProcessorModel, ProcessorState, ProcessorStore};
use crate::domain::IncomingMessage;
use crate::domain::fragments::{self, Step};
use crate::domain::jobs::{FlushFragments, WorkJob};
use crate::error::{Failure, Result};
use crate::ports::{Envelope, Queue, Telegram};

/// Holds back a part of a long message Telegram split, and answers the whole once the last
/// part arrives (`domain::fragments`).
pub(super) async fn handle_incoming<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    delivery: Delivery,
) -> Result<()>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    if (message.command.is_some() || message.media.is_some()) && message.media_group.is_none() {
        return Box::pin(handle_message(state, message, delivery)).await;
    }
    let chat = message.chat_id;
    // Nearly every message is answered as it is: its answer's reads go with the fragments'
    // read, in one round trip, and are dropped in the rare case it is held or joined.
    let (held, loaded) = futures::try_join!(state.store.held_fragments(chat), async {
        match message.command {
            None => load(state, message).await.map(Some),
            Some(_) => Ok(None),
        }
    })?;
    // Fragments another update is answering are not ours to join, unless we are that update.
    let joinable = match held.claimed_by {
        Some(by) if by != message.update_id => &[][..],
        _ => &held.messages[..],
    };
    match fragments::next_step(joinable, message) {
        Step::Answer => match loaded {
            Some(loaded) => Box::pin(answer_loaded(state, message, delivery, loaded)).await,
            None => Box::pin(handle_message(state, message, delivery)).await,
        },
        Step::Hold(parts) => {
            if !state
                .store
                .hold_fragments(chat, &parts, held.last().filter(|_| !joinable.is_empty()))
                .await?
            {
                return Err(Failure::retryable(anyhow!(
                    "held fragments changed meanwhile"
                )));
            }
            schedule_flush(state, message).await
        }
        Step::AlreadyHeld => schedule_flush(state, message).await,
        Step::Complete(joined) => {
            let last = held.last().unwrap_or(message.update_id);
            if state
                .store
                .claim_fragments(chat, last, message.update_id)
                .await?
            {
                tracing::info!(
                    parts = joinable.len() + 1,
                    "answering a message Telegram delivered in parts"
                );
                Box::pin(handle_message(state, &joined, delivery)).await?;
                state.store.release_fragments(chat, message.update_id).await
            } else {
                // The wait ran out and the held parts were answered on their own.
                Box::pin(handle_message(state, message, delivery)).await
            }
        }
        Step::FlushThenAnswer(joined) => {
            if state
                .store
                .claim_fragments(chat, joined.update_id, joined.update_id)
                .await?
            {
                Box::pin(handle_message(state, &joined, delivery)).await?;
                state
                    .store
                    .release_fragments(chat, joined.update_id)
                    .await?;
            }
            Box::pin(handle_message(state, message, delivery)).await
        }
    }
}

/// Looks at the held fragments again after `HOLD_MS`, in case no more parts come.
pub(super) async fn schedule_flush<S, M, Q: Queue, T>(
    state: &ProcessorState<S, M, Q, T>,
    newest: &IncomingMessage,
) -> Result<()> {
    let job = WorkJob::Flush {
        flush_fragments: FlushFragments {
            chat_id: newest.chat_id,
            update_id: newest.update_id,
            // Counted from now, not from when the part was sent: after a backlog that
            // deadline would have passed, and the check could answer this part alone
            // before the next one, queued right behind it, is read.
            due_ms: state.clock.now_ms() + fragments::HOLD_MS,
        },
    };
    state
        .work
        .send(&Envelope {
            body: serde_json::to_string(&job).map_err(Failure::permanent)?,
            group_id: format!("fragments-{}", newest.chat_id),
            dedup_id: format!("flush-{}", newest.update_id),
        })
        .await
}

/// Answers what was held, if no later part took over; the outcome names the message
/// answered (if any), for the failure's notice.
pub(super) async fn flush<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    job: &FlushFragments,
    delivery: Delivery,
) -> Outcome
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    let held = match state.store.held_fragments(job.chat_id).await {
        Ok(held) => held,
        Err(e) => return Outcome::failed(e),
    };
    // A later part took over (it scheduled its own check), or they were answered.
    if held.last() != Some(job.update_id) {
        return Outcome::nothing();
    }
    match state
        .store
        .claim_fragments(job.chat_id, job.update_id, job.update_id)
        .await
    {
        Ok(true) => {}
        Ok(false) => return Outcome::nothing(),
        Err(e) => return Outcome::failed(e),
    }
    tracing::info!(
        parts = held.messages.len(),
        "no further part came; answering what was held"
    );
    let joined = fragments::join(&held.messages);
    let result = match Box::pin(handle_message(state, &joined, delivery)).await {
        Ok(()) => {
            state
                .store
                .release_fragments(job.chat_id, job.update_id)
                .await
        }
        Err(e) => Err(e),
    };
    Outcome {
        subject: Some(joined),
        result,
    }
}
