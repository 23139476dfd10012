//! /reset: the conversation itself (/history, /rename and /export are in `shelf`).

use crate::config::ApiMode;
use crate::domain::{IncomingMessage, OutgoingMessage, texts};
use crate::error::Result;
use crate::ports::ConversationStore;

pub(super) async fn reset<S: ConversationStore>(
    store: &S,
    mode: ApiMode,
    message: &IncomingMessage,
) -> Result<OutgoingMessage> {
    // Placed by when /reset was sent, like the exchanges around it: a message sent after
    // it lands in the new conversation however long the queue held either.
    super::super::idle::file_current(
        store,
        mode,
        message.conversation(),
        message.update_id,
        message.sent_ms(),
    )
    .await?;
    Ok(OutgoingMessage::reply_to(
        message,
        "reset",
        texts::RESET_DONE,
    ))
}
