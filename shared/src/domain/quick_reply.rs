//! What the webhook answers in its HTTP response, typed until the Telegram adapter
//! encodes it (`adapters::telegram::encode_quick_reply`).

use super::ChatId;

/// A button that sends `data` back as a callback query.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CallbackButton {
    /// What the button shows.
    pub text: String,
    /// What it sends back ([`super::CallbackData::encode`]).
    pub data: String,
}

/// A Bot API call returned in the webhook's HTTP response ("method in the response body"):
/// Telegram runs it, and it costs no extra request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuickReply {
    /// A message in the chat (in its forum topic, if any).
    Message {
        /// The chat the update came from.
        chat_id: ChatId,
        /// Plain text: quick replies carry no markup.
        text: String,
        /// Rows of buttons under it (the persona and settings menus); empty for none.
        keyboard: Vec<Vec<CallbackButton>>,
        /// The forum topic the update came from: the answer belongs there.
        topic: Option<i64>,
    },
    /// A message with one link button (a refusal's join link).
    Linked {
        /// The chat the update came from.
        chat_id: ChatId,
        /// Plain text.
        text: String,
        /// The button, which opens its URL.
        link: super::Button,
        /// The forum topic the update came from.
        topic: Option<i64>,
    },
    /// Redraws a message's inline keyboard (the settings menu after a change).
    EditKeyboard {
        /// The chat the menu was sent to.
        chat_id: ChatId,
        /// The menu's message, edited in place.
        message_id: i64,
        /// The new rows, showing the state after the change.
        keyboard: Vec<Vec<CallbackButton>>,
    },
    /// Rewrites a message and its inline keyboard (the `/language` menu, redrawn in the
    /// language just chosen).
    EditMessage {
        /// The chat the menu was sent to.
        chat_id: ChatId,
        /// The menu's message, edited in place.
        message_id: i64,
        /// Its new text: plain, like every quick reply.
        text: String,
        /// The new rows.
        keyboard: Vec<Vec<CallbackButton>>,
    },
    /// Every button press must be answered, or the button keeps spinning.
    Callback {
        /// The press being answered, as Telegram numbered it.
        query_id: String,
        /// What to tell the user, if anything; the spinner stops either way.
        text: Option<String>,
        /// Show `text` as an alert to dismiss rather than a passing toast.
        alert: bool,
    },
}

impl QuickReply {
    /// A plain message to `chat_id`.
    pub fn message(chat_id: ChatId, text: impl Into<String>) -> Self {
        Self::Message {
            chat_id,
            text: text.into(),
            keyboard: Vec::new(),
            topic: None,
        }
    }

    /// The same reply, sent to forum topic `topic` if it is a message.
    #[must_use]
    pub fn in_topic(self, topic: Option<i64>) -> Self {
        match self {
            Self::Message {
                chat_id,
                text,
                keyboard,
                topic: None,
            } => Self::Message {
                chat_id,
                text,
                keyboard,
                topic,
            },
            Self::Linked {
                chat_id,
                text,
                link,
                topic: None,
            } => Self::Linked {
                chat_id,
                text,
                link,
                topic,
            },
            other => other,
        }
    }
}
