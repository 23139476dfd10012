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
//!   stored first, where the answer would be: the same message coming back anyway (its
//!   function died before SQS heard, or SQS handed it over twice) says it again and is
//!   not answered after all;
//! - it could not even be told or kept (the outbox or the DLQ is down too): the record
//!   goes back to SQS, whose redrive policy moves it aside after the last delivery.

use std::time::Duration;

use super::{ProcessorState, ProcessorStore};
use crate::domain::{GaveUp, IncomingMessage, OutgoingMessage, WorkJob, texts};
use crate::error::{Cause, Failure, Result};
use crate::handlers::batch::Record;
use crate::handlers::{chat_group, enqueue_reply};
use crate::ports::{Envelope, ProfileStore, Queue, ReplySlot};

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
    // Once per failed record and delivery, however it ends below.
    crate::metrics::failed(&failure);
    let last = record.receive_count >= state.max_receives;
    if failure.retryable && !last {
        // The user waits on the model, and hears it is slow; an outage of our own storage
        // or queues is usually over by the next delivery, and says nothing.
        if let Some(message) = subject.filter(|_| failure.from_model) {
            let message = &in_their_language(&state.store, message).await;
            // Its own delivery id: however many deliveries fail, the user hears it once.
            let notice =
                OutgoingMessage::reply_to(message, "notice", texts::still_trying(message.lang()));
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
            park_as_it_came(state, record).await?;
            crate::metrics::parked();
            Ok(())
        } else {
            Ok(())
        };
    };
    let message = &in_their_language(&state.store, message).await;
    let word = GaveUp {
        notice: texts::gave_up(
            message.lang(),
            failure.cause,
            failure.retryable,
            failure.from_model,
        ),
        kept: worth_keeping(&failure),
    };
    // Stored first, where the answer would be: if this function dies before SQS hears,
    // or SQS hands the message over again, it says this again rather than answer after
    // the user was told it could not.
    state
        .store
        .record_gave_up(ReplySlot::of(message), &word)
        .await?;
    say_last_word(state, message, &word).await?;
    // Counted here, not when a copy that comes back says the word again: that parks the
    // same message, which the queue's deduplication drops.
    if word.kept {
        crate::metrics::parked();
    }
    Ok(())
}

/// Tells the user `word` (once, whatever comes back: the notice has its own delivery id)
/// and keeps the message for a redrive if the word says so (once: its deduplication id is
/// the update's).
pub(super) async fn say_last_word<S, M, Q: Queue, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    word: &GaveUp,
) -> Result<()> {
    let notice = OutgoingMessage::reply_to(message, "failed", word.notice.clone());
    enqueue_reply(&state.outbox, &notice).await?;
    if !word.kept {
        return Ok(());
    }
    let mut job =
        serde_json::to_value(WorkJob::Message(message.clone())).map_err(Failure::permanent)?;
    if let Some(fields) = job.as_object_mut() {
        fields.insert(REDRIVE.into(), true.into());
    }
    park(
        state,
        job.to_string(),
        chat_group(message.chat_id),
        format!("parked-{}", message.update_id),
    )
    .await
}

/// The field a parked copy carries, so its redrive is told apart from a redelivery.
const REDRIVE: &str = "redrive";

/// Whether a record is a parked copy sent back by an operator.
pub(super) fn redriven(body: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(body)
        .is_ok_and(|v| v.get(REDRIVE).and_then(serde_json::Value::as_bool) == Some(true))
}

/// A record that is not even a job is kept exactly as it came.
async fn park_as_it_came<S, M, Q: Queue, T>(
    state: &ProcessorState<S, M, Q, T>,
    record: &Record<'_>,
) -> Result<()> {
    park(
        state,
        record.body.to_owned(),
        "parked".to_owned(),
        format!("parked-{}", record.message_id),
    )
    .await
}

async fn park<S, M, Q: Queue, T>(
    state: &ProcessorState<S, M, Q, T>,
    body: String,
    group_id: String,
    dedup_id: String,
) -> Result<()> {
    state
        .dead_letters
        .send(&Envelope {
            body,
            group_id,
            dedup_id,
        })
        .await
        .map_err(|e: Failure| e.context("parking the record in the dead-letter queue"))
}

/// The message with its sender's `/language` choice, read only now that there is something
/// to tell them: the ordinary path has it from the profile it loads anyway, but a failure
/// may come before that. Unreadable, the words follow their Telegram app.
async fn in_their_language<S: ProfileStore>(
    store: &S,
    message: &IncomingMessage,
) -> IncomingMessage {
    if message.chosen_lang.is_some() {
        return message.clone();
    }
    match store.language(message.from.id).await {
        Ok(chosen) => message.with_chosen_lang(chosen),
        Err(e) => {
            tracing::warn!(error = %e, "could not read the language choice; using the app's");
            message.clone()
        }
    }
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
