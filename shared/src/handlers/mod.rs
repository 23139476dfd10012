//! One module per Lambda function. Each is generic over the ports it needs.

pub mod access;
pub mod batch;
pub mod capabilities;
pub mod processor;
pub mod retry;
pub mod sender;
pub mod style_refresh;
pub mod subscription;
pub mod telegram_setup;
pub mod webhook;

use crate::domain::{ChatId, OutgoingMessage};
use crate::error::{Failure, Result};
use crate::ports::{Envelope, Queue};

/// Puts a reply on the outbox. The delivery id doubles as the FIFO deduplication id, so
/// a stage that is retried after enqueueing does not queue the reply twice.
pub async fn enqueue_reply<Q: Queue>(outbox: &Q, message: &OutgoingMessage) -> Result<()> {
    let body = serde_json::to_string(message).map_err(Failure::permanent)?;
    outbox
        .send(&Envelope {
            body,
            group_id: chat_group(message.chat_id),
            dedup_id: message.delivery_id.to_string(),
        })
        .await
}

/// Messages of one chat stay in order; different chats proceed in parallel.
pub fn chat_group(chat: ChatId) -> String {
    format!("chat-{chat}")
}
