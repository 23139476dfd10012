//! Bot API calls the webhook returns in its HTTP response.

use frankenstein::methods::{
    AnswerCallbackQueryParams, EditMessageReplyMarkupParams, SendMessageParams,
};
use frankenstein::types::{InlineKeyboardButton, InlineKeyboardMarkup, ReplyMarkup};
use serde_json::json;

use crate::domain::ChatId;

/// A button that sends `data` back as a callback query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallbackButton {
    pub text: String,
    pub data: String,
}

/// A Bot API call returned in the webhook's HTTP response ("method in the response body"):
/// Telegram runs it, and it costs no extra request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuickReply {
    Message {
        chat_id: ChatId,
        text: String,
        keyboard: Vec<Vec<CallbackButton>>,
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
    pub(super) fn message(chat_id: ChatId, text: impl Into<String>) -> Self {
        Self::Message {
            chat_id,
            text: text.into(),
            keyboard: Vec::new(),
        }
    }

    /// The response body: the method's parameters plus `method`.
    pub fn to_body(&self) -> serde_json::Value {
        let (method, params) = match self {
            Self::EditKeyboard {
                chat_id,
                message_id,
                keyboard,
            } => {
                let params = EditMessageReplyMarkupParams::builder()
                    .chat_id(chat_id.0)
                    .message_id(*message_id as i32)
                    .reply_markup(inline_keyboard(keyboard))
                    .build();
                ("editMessageReplyMarkup", serde_json::to_value(params))
            }
            Self::Message {
                chat_id,
                text,
                keyboard,
            } => {
                let markup = (!keyboard.is_empty())
                    .then(|| ReplyMarkup::InlineKeyboardMarkup(inline_keyboard(keyboard)));
                let params = SendMessageParams::builder()
                    .chat_id(chat_id.0)
                    .text(text.clone())
                    .maybe_reply_markup(markup)
                    .build();
                ("sendMessage", serde_json::to_value(params))
            }
            Self::Callback {
                query_id,
                text,
                alert,
            } => {
                let params = AnswerCallbackQueryParams::builder()
                    .callback_query_id(query_id.clone())
                    .maybe_text(text.clone())
                    .maybe_show_alert(alert.then_some(true))
                    .build();
                ("answerCallbackQuery", serde_json::to_value(params))
            }
        };
        let mut body = params.unwrap_or_else(|_| json!({}));
        body["method"] = json!(method);
        body
    }
}

fn inline_keyboard(keyboard: &[Vec<CallbackButton>]) -> InlineKeyboardMarkup {
    let rows = keyboard
        .iter()
        .map(|row| {
            row.iter()
                .map(|b| {
                    InlineKeyboardButton::builder()
                        .text(b.text.clone())
                        .callback_data(b.data.clone())
                        .build()
                })
                .collect()
        })
        .collect();
    InlineKeyboardMarkup::builder()
        .inline_keyboard(rows)
        .build()
}
