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
    let conversation = message.conversation();
    // An empty conversation is not filed (it would show in /history with no title), and
    // the answer does not claim one was put aside. One small Query (two items at most).
    let history = store.recent_history(conversation, 2).await?;
    if history.turns.is_empty() && history.summary.is_none() {
        return Ok(OutgoingMessage::reply_to(
            message,
            "reset",
            texts::reset_nothing(message.lang()),
        ));
    }
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
        texts::reset_done(message.lang()),
    ))
}
