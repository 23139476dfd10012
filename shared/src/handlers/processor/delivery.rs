//! What a failed record means for the user and for the queue.
//!
//! Every failure ends in exactly one of three ways:
//! - it may pass, and this is not the last delivery: the record goes back to SQS after a
//!   back-off (or the provider's `retry-after`), and the user hears once that it is taking
//!   a while ("notice-<update>");
//! - it will not pass, or this was the last delivery: the user gets one message that says
//!   what happened ("failed-<update>"), and the record is acknowledged. Where retrying
//!   later could answer it (an outage, a key or quota an operator can fix), the record is
//!   first copied to the dead-letter queue, marked as a redrive, where the alarm shows it
//!   and a redrive answers it once (the stored-reply guard keeps it single). The word is
//!   stored first: a record that comes back anyway (its function died before SQS heard)
//!   says it again and is not answered after all;
//! - it could not even be told or kept (the outbox or the DLQ is down too): the record
//!   goes back to SQS, whose redrive policy moves it aside after the last delivery.

use std::time::Duration;

use super::{Delivery, ProcessorState, ProcessorStore};
use crate::domain::{GaveUp, IncomingMessage, OutgoingMessage, texts};
use crate::error::{Cause, Failure, Result};
use crate::handlers::batch::Record;
use crate::handlers::{chat_group, enqueue_reply};
use crate::ports::{Envelope, Queue};

/// `base`, doubling with each delivery attempt, capped at 20 × `base`.
pub fn retry_backoff(base: Duration, receive_count: u32) -> Duration {
    (base * (1u32 << receive_count.saturating_sub(1).min(5))).min(base * 20)
}

/// Whether a record given up on is worth keeping for a redrive.
fn worth_keeping(failure: &Failure) -> bool {
    match failure.cause {
        // The user's own content, or a limit of the server: a redrive fails the same way.
        Some(Cause::ContentFilter | Cause::ContextOverflow | Cause::VisionUnsupported) => false,
        _ => true,
    }
}

pub(super) async fn settle<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    record: &Record<'_>,
    subject: Option<&IncomingMessage>,
    result: Result<()>,
) -> Result<()>
where
    S: ProcessorStore,
    Q: Queue,
{
    let Err(failure) = result else {
        return Ok(());
    };
    let last = record.receive_count >= state.max_receives;
    if failure.retryable && !last {
        // The user waits on the model, and hears it is slow; an outage of our own storage
        // or queues is usually over by the next delivery, and says nothing.
        if let Some(message) = subject.filter(|_| failure.from_model) {
            // Its own delivery id: however many deliveries fail, the user hears it once.
            let notice = OutgoingMessage::reply_to(message, "notice", texts::STILL_TRYING);
            if let Err(e) = enqueue_reply(&state.outbox, &notice).await {
                tracing::warn!(error = %e, "could not tell the user it is taking a while");
            }
        }
        // Back no sooner than the provider asked; the batch hides it for that long.
        let wait = retry_backoff(state.redelivery_delay, record.receive_count)
            .max(failure.retry_after.unwrap_or_default());
        return Err(failure.with_retry_after(Some(wait)));
    }
    tracing::error!(
        error = %failure,
        cause = ?failure.cause,
        receive_count = record.receive_count,
        message_id = record.message_id,
        "giving up on this record"
    );
    let Some(message) = subject else {
        return if worth_keeping(&failure) {
            park(state, record, None).await
        } else {
            Ok(())
        };
    };
    let word = GaveUp {
        notice: texts::gave_up(failure.cause, failure.retryable, failure.from_model),
        kept: worth_keeping(&failure),
    };
    // Written first: if this function dies before SQS hears, the record comes back, and
    // must say this again rather than answer after the user was told it could not.
    state.store.record_gave_up(message.update_id, &word).await?;
    say_last_word(state, record, message, &word).await
}

/// Tells the user `word` (once, whatever comes back: the notice has its own delivery id)
/// and keeps the record for a redrive if the word says so.
async fn say_last_word<S, M, Q: Queue, T>(
    state: &ProcessorState<S, M, Q, T>,
    record: &Record<'_>,
    message: &IncomingMessage,
    word: &GaveUp,
) -> Result<()> {
    let notice = OutgoingMessage::reply_to(message, "failed", word.notice.clone());
    enqueue_reply(&state.outbox, &notice).await?;
    if word.kept {
        park(state, record, Some(message)).await?;
    }
    Ok(())
}

/// Whether the bot already gave up on this message (a redelivery after its function died
/// between telling the user and acknowledging the record); if so, says the same again and
/// nothing more. A redrive from the dead-letter queue is meant to answer, and does.
pub(super) async fn said_before<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    record: &Record<'_>,
    message: &IncomingMessage,
    delivery: Delivery,
) -> Result<bool>
where
    S: ProcessorStore,
    Q: Queue,
{
    // A first delivery cannot have been given up on: no read for it.
    if !delivery.is_retry() || redriven(record.body) {
        return Ok(false);
    }
    let Some(word) = state.store.gave_up(message.update_id).await? else {
        return Ok(false);
    };
    tracing::info!(update_id = %message.update_id, "given up on before; repeating the last word");
    say_last_word(state, record, message, &word).await?;
    Ok(true)
}

/// The field a parked copy carries, so its redrive is told apart from a redelivery.
const REDRIVE: &str = "redrive";

fn redriven(body: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(body)
        .is_ok_and(|v| v.get(REDRIVE).and_then(serde_json::Value::as_bool) == Some(true))
}

/// Copies the record to the dead-letter queue, marked for its redrive.
async fn park<S, M, Q: Queue, T>(
    state: &ProcessorState<S, M, Q, T>,
    record: &Record<'_>,
    subject: Option<&IncomingMessage>,
) -> Result<()> {
    let group_id = subject.map_or_else(|| "parked".to_owned(), |m| chat_group(m.chat_id));
    let body = match serde_json::from_str::<serde_json::Value>(record.body) {
        Ok(serde_json::Value::Object(mut job)) => {
            job.insert(REDRIVE.into(), true.into());
            serde_json::Value::Object(job).to_string()
        }
        // Not a job (it failed to parse): kept exactly as it came.
        _ => record.body.to_owned(),
    };
    state
        .dead_letters
        .send(&Envelope {
            body,
            group_id,
            dedup_id: format!("parked-{}", record.message_id),
        })
        .await
        .map_err(|e: Failure| e.context("parking the record in the dead-letter queue"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_backoff_grows_and_caps() {
        let base = Duration::from_secs(30);
        let got: Vec<u64> = [1, 2, 3, 5, 6, 12]
            .iter()
            .map(|n| retry_backoff(base, *n).as_secs())
            .collect();
        assert_eq!(got, [30, 60, 120, 480, 600, 600]);
    }
}
