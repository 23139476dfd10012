//! What a failed record means for the user and for the queue.
//!
//! Every failure ends in exactly one of three ways:
//! - it may pass, and this is not the last delivery: the record goes back to SQS after a
//!   back-off (or the provider's `retry-after`), and the user hears once that it is taking
//!   a while ("notice-<update>");
//! - it will not pass, or this was the last delivery: the user gets one message that says
//!   what happened ("failed-<update>"), and the record is acknowledged. Where retrying
//!   later could answer it (an outage, a key or quota an operator can fix), the record is
//!   first copied to the dead-letter queue, where the alarm shows it and a redrive answers
//!   it once (the stored-reply guard keeps it single);
//! - it could not even be told or kept (the outbox or the DLQ is down too): the record
//!   goes back to SQS, whose redrive policy moves it aside after the last delivery.

use std::time::Duration;

use super::{ProcessorState, ProcessorStore};
use crate::domain::{IncomingMessage, OutgoingMessage, texts};
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
    if let Some(message) = subject {
        let notice = OutgoingMessage::reply_to(
            message,
            "failed",
            texts::gave_up(failure.cause, failure.retryable, failure.from_model),
        );
        enqueue_reply(&state.outbox, &notice).await?;
    }
    if worth_keeping(&failure) {
        park(state, record, subject).await?;
    }
    Ok(())
}

/// Copies the record to the dead-letter queue as it came, so a redrive replays it.
async fn park<S, M, Q: Queue, T>(
    state: &ProcessorState<S, M, Q, T>,
    record: &Record<'_>,
    subject: Option<&IncomingMessage>,
) -> Result<()> {
    let group_id = subject.map_or_else(|| "parked".to_owned(), |m| chat_group(m.chat_id));
    state
        .dead_letters
        .send(&Envelope {
            body: record.body.to_owned(),
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
