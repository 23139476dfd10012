//! What to do with one update, decided without any I/O.

use super::callbacks::route_callback;
use super::message::route_message;
use crate::adapters::telegram::inbound::{ChatMemberView, Content, Update};
use crate::domain::QuickReply;
use crate::domain::jobs::{InboundJob, MemberUpdate};
use crate::domain::{ChannelRef, ChatId, Owner, PersonaChoice, SettingChange, UpdateId, UserId};

/// Who the bot is, to tell whether a group message is addressed to it.
#[derive(Clone, Debug, Default)]
pub struct BotIdentity<'a> {
    /// Without the @.
    pub username: Option<&'a str>,
    /// The numeric part of the bot token.
    pub id: Option<i64>,
    pub allowed_models: &'a [crate::domain::ModelName],
}

/// What to do with one update.
#[derive(Debug, PartialEq)]
pub enum Route {
    Answer(QuickReply),
    /// Store the user's persona, then answer.
    SetPersona {
        owner: Owner,
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
        owner: Owner,
    },
    ChangeSetting {
        owner: Owner,
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
        owner: Owner,
    },
    /// Accepted and dropped, with the reason for the log.
    Ignore(String),
}

pub fn route(update: &Update, channel: Option<&ChannelRef>, bot: &BotIdentity<'_>) -> Route {
    let update_id = update.update_id;
    match &update.content {
        Content::Message(message) => route_message(update_id, message, bot),
        Content::CallbackQuery(query) => route_callback(query, bot),
        Content::StoppedGeneration(stopped) => Route::Cancel {
            chat: ChatId(stopped.chat.id),
            draft_id: Some(stopped.draft_id),
            say: false,
        },
        Content::ChatMember(change) => route_member(update_id, change, channel),
        Content::Other => Route::Ignore(format!("unhandled update kind {}", update.kind)),
        Content::Unusable { reason } => Route::Ignore(format!(
            "{} update without what the bot needs: {reason}",
            update.kind
        )),
    }
}

fn route_member(
    update_id: UpdateId,
    change: &ChatMemberView,
    channel: Option<&ChannelRef>,
) -> Route {
    if !channel.is_some_and(|ch| ch.matches(change.chat.id, change.chat.username.as_deref())) {
        return Route::Ignore("chat_member update for a chat other than the channel".into());
    }
    let member = &change.new_chat_member;
    match member.status() {
        Some(status) => Route::Enqueue(InboundJob::MemberUpdate(MemberUpdate {
            update_id,
            user_id: UserId(member.user.id),
            status,
        })),
        None => Route::Ignore("chat_member update with a status the bot does not know".into()),
    }
}
