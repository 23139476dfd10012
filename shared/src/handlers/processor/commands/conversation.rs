//! /reset, /export and /history: the conversation itself.

use crate::config::ApiMode;
use crate::domain::conversation::export_markdown;
use crate::domain::usage::day_key;
use crate::domain::{Document, IncomingMessage, OutgoingMessage, texts};
use crate::error::Result;
use crate::ports::ConversationStore;

/// At most this many turns go into an /export.
const EXPORT_TURNS: usize = 2000;

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

pub(super) async fn export<S: ConversationStore>(
    store: &S,
    message: &IncomingMessage,
    now_ms: i64,
) -> Result<OutgoingMessage> {
    let history = store
        .recent_history(message.conversation(), EXPORT_TURNS)
        .await?;
    let mut out = if history.turns.is_empty() && history.summary.is_none() {
        OutgoingMessage::reply_to(message, "export", texts::NOTHING_TO_EXPORT)
    } else {
        let date = day_key(now_ms);
        let caption = texts::export_caption(history.turns.len());
        let mut out = OutgoingMessage::reply_to(message, "export", caption);
        out.document = Some(Document {
            file_name: format!("conversation-{date}.md"),
            content: export_markdown("your companion", &date, &history),
        });
        out
    };
    out.reply_to_message_id = None;
    Ok(out)
}

pub(super) async fn history<S: ConversationStore>(
    store: &S,
    message: &IncomingMessage,
) -> Result<OutgoingMessage> {
    let list = store.conversation_list(message.conversation(), 10).await?;
    Ok(OutgoingMessage::reply_to(
        message,
        "history",
        texts::history_report(&list),
    ))
}
