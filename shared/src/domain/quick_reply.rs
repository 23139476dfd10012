//! What the webhook answers in its HTTP response, typed until the Telegram adapter
//! encodes it (`adapters::telegram::encode_quick_reply`).

use super::ChatId;

/// A button that sends `data` back as a callback query.
#[derive(Clone, Debug, PartialEq, Eq)]
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
        chat_id: ChatId,
        text: String,
        keyboard: Vec<Vec<CallbackButton>>,
        /// The forum topic the update came from: the answer belongs there.
        topic: Option<i64>,
    },
    /// Redraws a message's inline keyboard (the settings menu after a change).
    EditKeyboard {
        chat_id: ChatId,
        message_id: i64,
        keyboard: Vec<Vec<CallbackButton>>,
    },
    /// Every button press must be answered, or the button keeps spinning.
    Callback {
        query_id: String,
        text: Option<String>,
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
            other => other,
        }
    }
}
