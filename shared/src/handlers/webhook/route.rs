//! What to do with one update, decided without any I/O.

use frankenstein::updates::{Update, UpdateContent};

use super::callbacks::route_callback;
use super::message::route_message;
use super::quick_reply::QuickReply;
use crate::adapters::telegram::member_status;
use crate::domain::jobs::{InboundJob, MemberUpdate};
use crate::domain::{ChannelRef, ChatId, PersonaChoice, SettingChange, UpdateId, UserId};

/// Who the bot is, to tell whether a group message is addressed to it.
#[derive(Clone, Debug, Default)]
pub struct BotIdentity<'a> {
    /// Without the @.
    pub username: Option<&'a str>,
    /// The numeric part of the bot token.
    pub id: Option<i64>,
    pub allowed_models: &'a [String],
}

/// What to do with one update.
#[derive(Debug, PartialEq)]
pub enum Route {
    Answer(QuickReply),
    /// Store the user's persona, then answer.
    SetPersona {
        user: UserId,
        choice: PersonaChoice,
        reply: QuickReply,
    },
    Enqueue(InboundJob),
    /// Asks the generation in `chat` to stop (`/cancel`, or the draft's stop button).
    Cancel {
        chat: ChatId,
        draft_id: Option<i64>,
        /// Said only for `/cancel`; the stop button needs no answer.
        say: bool,
    },
    /// Shows the settings keyboard for `owner` (needs their current settings).
    ShowSettings {
        chat: ChatId,
        owner: UserId,
    },
    ChangeSetting {
        owner: UserId,
        change: SettingChange,
        reply: QuickReply,
    },
    /// In a group, only admins may change the group's persona and settings: ask Telegram
    /// about `user` first, and answer `refusal` if they are not one.
    AdminsOnly {
        chat: ChatId,
        user: UserId,
        then: Box<Route>,
        refusal: QuickReply,
    },
    /// A press on the settings menu: do `then` (which answers the press), then redraw the
    /// menu so it shows the new state.
    Redraw {
        then: Box<Route>,
        chat: ChatId,
        message_id: i64,
        owner: UserId,
    },
    /// Accepted and dropped, with the reason for the log.
    Ignore(String),
}

pub fn route(update: &Update, channel: Option<&ChannelRef>, bot: &BotIdentity<'_>) -> Route {
    let update_id = UpdateId(u64::from(update.update_id));
    match &update.content {
        UpdateContent::Message(message) => route_message(update_id, message, bot),
        UpdateContent::CallbackQuery(query) => route_callback(query, bot),
        UpdateContent::StoppedMessageGeneration(stopped) => Route::Cancel {
            chat: ChatId(stopped.chat.id),
            draft_id: Some(stopped.draft_id),
            say: false,
        },
        UpdateContent::ChatMember(change) => match channel {
            Some(ch) if ch.matches(change.chat.id, change.chat.username.as_deref()) => {
                let user = chat_member_user(&change.new_chat_member);
                Route::Enqueue(InboundJob::MemberUpdate(MemberUpdate {
                    update_id,
                    user_id: UserId(user.id as i64),
                    status: member_status(&change.new_chat_member),
                }))
            }
            _ => Route::Ignore("chat_member update for a chat other than the channel".into()),
        },
        other => Route::Ignore(format!("unhandled update kind {}", kind_name(other))),
    }
}

fn chat_member_user(member: &frankenstein::types::ChatMember) -> &frankenstein::types::User {
    use frankenstein::types::ChatMember as M;
    match member {
        M::Creator(m) => &m.user,
        M::Administrator(m) => &m.user,
        M::Member(m) => &m.user,
        M::Restricted(m) => &m.user,
        M::Left(m) => &m.user,
        M::Kicked(m) => &m.user,
    }
}

fn kind_name(content: &UpdateContent) -> String {
    // The serde tag is the Bot API field name (`edited_message`, `callback_query`, ...).
    serde_json::to_value(content)
        .ok()
        .and_then(|v| v.as_object().and_then(|o| o.keys().next().cloned()))
        .unwrap_or_else(|| "unknown".into())
}
