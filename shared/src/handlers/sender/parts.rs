//! A reply as Telegram-sized parts, each delivered once.

use super::failure::{Outcome, failed, queue_migration};
use super::{SenderState, SenderStore};
use crate::domain::format::{MAX_MESSAGE, render_parts, split_plain};
use crate::domain::{ChatId, OutgoingMessage};
use crate::error::Result;
use crate::ports::{Queue, Telegram, TelegramError};

/// The message as Telegram-sized parts, each with its text without markup (the fallback
/// when Telegram cannot parse the markup): model Markdown rendered to HTML, other text as is.
fn split(message: &OutgoingMessage) -> Vec<(OutgoingMessage, String)> {
    let part = |text: String, html: bool| OutgoingMessage {
        text,
        html,
        markdown: false,
        ..message.clone()
    };
    if message.markdown {
        render_parts(&message.text, MAX_MESSAGE)
            .into_iter()
            .map(|p| (part(p.html, true), p.plain))
            .collect()
    } else {
        split_plain(&message.text, MAX_MESSAGE)
            .into_iter()
            .map(|t| (part(t.clone(), message.html), t))
            .collect()
    }
}

/// What a voice reply says: the text without its markup.
pub(super) fn spoken_text(message: &OutgoingMessage) -> String {
    split(message)
        .into_iter()
        .map(|(_, plain)| plain)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Sends every part not sent yet. `Some` ends the record with that result; `message`
/// follows the chat if the group turned out to have moved.
pub(super) async fn send_all<S, T, Q, P>(
    state: &SenderState<S, T, Q, P>,
    message: &mut OutgoingMessage,
) -> Result<Option<Result<()>>>
where
    S: SenderStore,
    T: Telegram,
    Q: Queue,
{
    let parts = split(message);
    let count = parts.len();
    // A reply that is also spoken has a part after the text, so its text parts are
    // tracked one by one too.
    let tracked = count > 1 || message.voice;
    for (i, (mut part, plain)) in parts.into_iter().enumerate() {
        // Each part has its own delivery record, so a redelivery resumes where it stopped
        // and the parts already sent are not sent again.
        if tracked {
            part.delivery_id = message.delivery_id.part(i + 1);
            if state.store.was_delivered(&part.delivery_id).await? {
                continue;
            }
        }
        if i + 1 < count {
            part.buttons.clear();
            part.keyboard.clear();
        }
        part.chat_id = message.chat_id;
        part.reply_to_message_id = message.reply_to_message_id;
        match send_part(state, &mut part, plain).await {
            // A reply counts once, when Telegram has taken its last part.
            Ok(()) if i + 1 == count => crate::metrics::reply_sent(),
            Ok(()) => {}
            Err(e) => {
                if let Outcome::Done(result) = failed(state, &part, e).await {
                    return Ok(Some(result));
                }
            }
        }
        // Later parts (and the voice note) go where this one went.
        message.chat_id = part.chat_id;
        message.reply_to_message_id = part.reply_to_message_id;
        if tracked {
            state.store.mark_delivered(&part.delivery_id).await?;
        }
    }
    Ok(None)
}

/// One part, sent again where Telegram says how it would be taken: as plain text if it
/// cannot parse the markup, at the supergroup's id if the group has moved.
pub(super) async fn send_part<S, T, Q, P>(
    state: &SenderState<S, T, Q, P>,
    part: &mut OutgoingMessage,
    plain: String,
) -> std::result::Result<(), TelegramError>
where
    T: Telegram,
    Q: Queue,
{
    let mut plain = Some(plain);
    let mut moved = false;
    loop {
        match state.telegram.send_message(part).await {
            Err(TelegramError::Rejected { description, .. })
                if part.html && description.contains("can't parse entities") =>
            {
                tracing::warn!(%description, delivery_id = %part.delivery_id, "Telegram refused the markup; sending the same text plain");
                part.html = false;
                part.text = plain.take().unwrap_or_default();
            }
            Err(TelegramError::Migrated(to)) if !moved => {
                moved = true;
                let from = part.chat_id;
                tracing::info!(%from, to, "the group became a supergroup; sending there");
                if let Err(e) = queue_migration(state, from, ChatId::new(to)).await {
                    tracing::warn!(error = %e, "could not queue the group's move; its service message queues it too");
                }
                part.chat_id = ChatId::new(to);
                // Message ids are per chat: the one replied to is not in the new chat.
                part.reply_to_message_id = None;
            }
            other => return other,
        }
    }
}
