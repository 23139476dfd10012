//! sender: delivers replies to Telegram, once each.

use std::time::Duration;

use anyhow::anyhow;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use serde_json::json;

use super::batch::{Record, process_fifo};
use super::chat_group;
use crate::domain::OutgoingMessage;
use crate::error::{Failure, Result};
use crate::ports::{DeliveryLog, Envelope, Queue, Telegram, TelegramError, UserStore};

pub struct SenderState<S, T, Q> {
    pub store: S,
    pub telegram: T,
    /// The queue this function consumes, for delaying a message after a 429.
    pub outbox: Q,
    /// Where messages Telegram refuses for good are put aside for a human to look at.
    pub dead_letters: Q,
}

pub async fn handle<S, T, Q>(
    state: &SenderState<S, T, Q>,
    event: SqsEvent,
) -> Result<SqsBatchResponse, lambda_runtime::Error>
where
    S: DeliveryLog + UserStore,
    T: Telegram,
    Q: Queue,
{
    Ok(process_fifo(&event, |record| handle_record(state, record)).await)
}

/// Back-off for transient failures, by delivery attempt: 2, 4, 8 … 300 s.
fn backoff(receive_count: u32) -> Duration {
    Duration::from_secs(2u64.saturating_pow(receive_count.min(9)).min(300))
}

async fn handle_record<S, T, Q>(state: &SenderState<S, T, Q>, record: Record<'_>) -> Result<()>
where
    S: DeliveryLog + UserStore,
    T: Telegram,
    Q: Queue,
{
    let message: OutgoingMessage = record.parse()?;
    // A redelivery after a crash between sending and acknowledging must not send twice.
    if state.store.was_delivered(&message.delivery_id).await? {
        tracing::info!(delivery_id = %message.delivery_id, "already delivered");
        return Ok(());
    }
    let sent = if message.document.is_some() {
        state.telegram.send_document(&message).await
    } else {
        state.telegram.send_message(&message).await
    };
    match sent {
        Ok(()) => state.store.mark_delivered(&message.delivery_id).await,
        Err(TelegramError::RetryAfter(wait)) => {
            // FIFO queues have no per-message delay, and sleeping burns Lambda time:
            // hide the message for `retry_after` and let SQS bring it back.
            delay(state, &record, wait).await;
            Err(Failure::retryable(anyhow!(
                "Telegram flood limit; retrying after {wait:?}"
            )))
        }
        Err(TelegramError::Forbidden(description)) => {
            tracing::info!(chat = %message.chat_id, %description, "bot blocked; marking the user inactive and dropping the message");
            if let Some(user) = message.user_id {
                state.store.mark_inactive(user).await?;
            }
            Ok(())
        }
        Err(TelegramError::Transient(e)) => {
            delay(state, &record, backoff(record.receive_count)).await;
            Err(Failure::retryable(anyhow!("Telegram unavailable: {e}")))
        }
        Err(TelegramError::Rejected { code, description }) => {
            tracing::error!(code, %description, delivery_id = %message.delivery_id, "Telegram rejected the message; moving it aside");
            let body =
                json!({"message": message, "error": {"code": code, "description": description}});
            state
                .dead_letters
                .send(&Envelope {
                    body: body.to_string(),
                    group_id: chat_group(message.chat_id),
                    dedup_id: message.delivery_id.clone(),
                })
                .await
        }
    }
}

async fn delay<S, T, Q: Queue>(state: &SenderState<S, T, Q>, record: &Record<'_>, wait: Duration) {
    let Some(handle) = record.receipt_handle else {
        return;
    };
    if let Err(e) = state.outbox.delay(handle, wait).await {
        // The queue's own visibility timeout still brings the message back, just later.
        tracing::warn!(error = %e, "could not delay the message");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        let got: Vec<u64> = [1, 2, 3, 8, 9, 20]
            .iter()
            .map(|n| backoff(*n).as_secs())
            .collect();
        assert_eq!(got, [2, 4, 8, 256, 300, 300]);
    }
}
