//! What a failed send means for the record.

use anyhow::anyhow;
use serde_json::json;

use super::{SenderState, SenderStore};
use crate::domain::{ChatId, ChatMigration, OutgoingMessage, UpdateId, UserId, WorkJob};
use crate::error::{Failure, Result};
use crate::handlers::chat_group;
use crate::ports::{Envelope, Queue, TelegramError};

/// After a failed send: carry on as if it was sent, or stop with this record's result.
pub(super) enum Outcome {
    Sent,
    Done(Result<()>),
}

pub(super) async fn failed<S, T, Q, P>(
    state: &SenderState<S, T, Q, P>,
    message: &OutgoingMessage,
    error: TelegramError,
) -> Outcome
where
    S: SenderStore,
    Q: Queue,
{
    Outcome::Done(match error {
        // FIFO queues have no per-message delay, and sleeping burns Lambda time: the
        // batch hides the message for `retry_after` and SQS brings it back.
        TelegramError::RetryAfter(wait) => Err(Failure::retryable(anyhow!(
            "Telegram flood limit; retrying after {wait:?}"
        ))
        .with_retry_after(Some(wait))),
        TelegramError::Forbidden(description) => {
            // In a private chat the user blocked the bot; in a group the bot was removed,
            // and it is the group that is gone, not the member who wrote.
            let gone = if message.chat_id.get() > 0 {
                message.user_id
            } else {
                Some(UserId::new(message.chat_id.get()))
            };
            tracing::info!(chat = %message.chat_id, %description, "Telegram refuses the chat; marking it inactive and dropping the message");
            let result = match gone {
                Some(who) => state.store.mark_inactive(who).await,
                None => Ok(()),
            };
            // Settled: the record ends here (if the store failed, the record goes back,
            // and is counted as that failure).
            if result.is_ok() {
                crate::metrics::permanent_failure();
            }
            result
        }
        TelegramError::Uncertain(why) => {
            // Telegram has no idempotency key: sending again could show it twice, and
            // a timeout after the request went out usually means it was delivered.
            tracing::warn!(delivery_id = %message.delivery_id, %why, "no answer to a send; counting it as delivered rather than risking a duplicate");
            return Outcome::Sent;
        }
        // Back after the batch's usual back-off.
        TelegramError::Transient(e) => {
            Err(Failure::retryable(anyhow!("Telegram unavailable: {e}")))
        }
        TelegramError::Migrated(to) => {
            // Only reached when the new chat refuses it too (the send already follows a move).
            park(
                state,
                message,
                400,
                &format!("the group moved to {to} and the send failed there"),
            )
            .await
        }
        TelegramError::Rejected { code, description } => {
            park(state, message, code, &description).await
        }
    })
}

/// Puts a message Telegram refuses for good aside, for a human to look at.
async fn park<S, T, Q: Queue, P>(
    state: &SenderState<S, T, Q, P>,
    message: &OutgoingMessage,
    code: u16,
    description: &str,
) -> Result<()> {
    tracing::error!(code, %description, delivery_id = %message.delivery_id, "Telegram rejected the message; moving it aside");
    let body = json!({"message": message, "error": {"code": code, "description": description}});
    state
        .dead_letters
        .send(&Envelope {
            body: body.to_string(),
            group_id: chat_group(message.chat_id),
            dedup_id: message.delivery_id.to_string(),
        })
        .await?;
    // Settled: the record ends here, so its failure is counted here.
    crate::metrics::permanent_failure();
    crate::metrics::parked();
    Ok(())
}

/// Queues the move of a group's conversation, persona and settings to its supergroup.
/// The webhook queues it too when Telegram's service message arrives; it is idempotent.
pub(super) async fn queue_migration<S, T, Q: Queue, P>(
    state: &SenderState<S, T, Q, P>,
    from: ChatId,
    to: ChatId,
) -> Result<()> {
    let job = WorkJob::Migrate {
        migrate_chat: ChatMigration {
            // Found by a send, not an update.
            update_id: UpdateId(0),
            from,
            to,
        },
    };
    state
        .work
        .send(&Envelope {
            body: serde_json::to_string(&job).map_err(Failure::permanent)?,
            group_id: chat_group(to),
            dedup_id: format!("migrate-{from}-{to}"),
        })
        .await
}
