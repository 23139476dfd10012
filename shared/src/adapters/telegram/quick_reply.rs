//! The webhook's quick replies as Bot API calls in the HTTP response ("method in the
//! response body"): the only place that knows their wire format.

use frankenstein::methods::{
    AnswerCallbackQueryParams, EditMessageReplyMarkupParams, EditMessageTextParams,
    SendMessageParams,
};
use frankenstein::types::{InlineKeyboardButton, InlineKeyboardMarkup, ReplyMarkup};
use serde_json::json;

use crate::domain::{CallbackButton, QuickReply};

/// The webhook response body for `reply`: the method's parameters plus `method`.
pub fn encode_quick_reply(reply: &QuickReply) -> serde_json::Value {
    let (method, params) = match reply {
        QuickReply::EditKeyboard {
            chat_id,
            message_id,
            keyboard,
        } => {
            let params = EditMessageReplyMarkupParams::builder()
                .chat_id(chat_id.get())
                .message_id(*message_id as i32)
                .reply_markup(inline_keyboard(keyboard))
                .build();
            ("editMessageReplyMarkup", serde_json::to_value(params))
        }
        QuickReply::EditMessage {
            chat_id,
            message_id,
            text,
            keyboard,
        } => {
            let params = EditMessageTextParams::builder()
                .chat_id(chat_id.get())
                .message_id(*message_id as i32)
                .text(text.clone())
                .reply_markup(inline_keyboard(keyboard))
                .build();
            ("editMessageText", serde_json::to_value(params))
        }
        QuickReply::Message {
            chat_id,
            text,
            keyboard,
            topic,
        } => {
            let markup = (!keyboard.is_empty())
                .then(|| ReplyMarkup::InlineKeyboardMarkup(inline_keyboard(keyboard)));
            let params = SendMessageParams::builder()
                .chat_id(chat_id.get())
                .text(text.clone())
                .maybe_reply_markup(markup)
                .maybe_message_thread_id(topic.map(|t| t as i32))
                .build();
            ("sendMessage", serde_json::to_value(params))
        }
        QuickReply::Linked {
            chat_id,
            text,
            link,
            topic,
        } => {
            let button = InlineKeyboardButton::builder()
                .text(link.text.clone())
                .url(link.url.clone())
                .build();
            let markup = InlineKeyboardMarkup::builder()
                .inline_keyboard(vec![vec![button]])
                .build();
            let params = SendMessageParams::builder()
                .chat_id(chat_id.get())
                .text(text.clone())
                .reply_markup(ReplyMarkup::InlineKeyboardMarkup(markup))
                .maybe_message_thread_id(topic.map(|t| t as i32))
                .build();
            ("sendMessage", serde_json::to_value(params))
        }
        QuickReply::Callback {
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

pub(super) fn inline_keyboard(keyboard: &[Vec<CallbackButton>]) -> InlineKeyboardMarkup {
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
