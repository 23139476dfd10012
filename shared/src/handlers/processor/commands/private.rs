//! In a group, what is one person's business (`/usage`, and an admin's `/stats` and
//! `/grant`) is answered in their private chat, never in front of the group.

use anyhow::anyhow;

use super::super::{ProcessorState, ProcessorStore};
use crate::domain::{ChatId, IncomingMessage, OutgoingMessage, texts};
use crate::error::{Failure, Result};
use crate::handlers::enqueue_reply;
use crate::ports::{Queue, Telegram, TelegramError};

/// Sends `reply` to the sender's private chat, and tells the group only where it went.
/// Sent directly rather than through the outbox, because only Telegram's answer tells
/// whether the user ever started a chat with the bot (a 403 if not): then the group is
/// told, without figures, to open one. One Bot API call more than a reply in the group.
pub(super) async fn answer_privately<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    mut reply: OutgoingMessage,
) -> Result<()>
where
    S: ProcessorStore,
    Q: Queue,
    T: Telegram,
{
    // A private chat's id is its user's id.
    reply.chat_id = ChatId::new(message.from.id.get());
    reply.reply_to_message_id = None;
    reply.topic = None;
    let lang = message.lang();
    let notice = match state.telegram.send_message(&reply).await {
        // Most likely sent: saying so beats sending the figures twice.
        Ok(()) | Err(TelegramError::Uncertain(_)) => texts::sent_privately(lang),
        Err(e @ (TelegramError::Forbidden(_) | TelegramError::Rejected { .. })) => {
            tracing::info!(error = %e, "cannot write to the user privately; asking them to start a chat");
            texts::open_private_chat(lang)
        }
        Err(e) => {
            return Err(Failure::retryable(anyhow!(
                "private answer not sent ({e}); will retry"
            )));
        }
    };
    enqueue_reply(
        &state.outbox,
        &OutgoingMessage::reply_to(message, "private", notice),
    )
    .await
}
