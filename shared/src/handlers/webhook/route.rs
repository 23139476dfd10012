//! What to do with one update, decided without any I/O.

use super::callbacks::route_callback;
use super::gate::Refusal;
use super::message::route_message;
use crate::adapters::telegram::inbound::{ChatMemberView, Content, Update};
use crate::domain::QuickReply;
use crate::domain::jobs::Person;
use crate::domain::jobs::{InboundJob, MemberUpdate};
use crate::domain::{
    ChannelRef, ChatId, Lang, Owner, PersonaChoice, PersonaKind, SettingChange, UpdateId, UserId,
};
use crate::ports::Stop;

/// Who the bot is, to tell whether a group message is addressed to it.
#[derive(Clone, Debug, Default)]
pub struct BotIdentity<'a> {
    /// Without the @.
    pub username: Option<&'a str>,
    /// The numeric part of the bot token.
    pub id: Option<i64>,
    /// The models `/settings` offers; the first is the default.
    pub allowed_models: &'a [crate::domain::ModelName],
    /// `ADMIN_USER_IDS`: their `/help` lists the admin commands too.
    pub admins: &'a [UserId],
}

/// What to do with one update.
#[derive(Debug, PartialEq)]
pub enum Route {
    /// Answer in the HTTP response itself; nothing is stored.
    Answer(QuickReply),
    /// Store the user's persona, then answer.
    SetPersona {
        /// Whose persona: the user's, or in a group the group's.
        owner: Owner,
        /// A persona from the menu, or `/persona custom` with the user's own words.
        choice: PersonaChoice,
        /// Sent once the persona is stored; if storing fails, Telegram retries instead.
        reply: QuickReply,
    },
    /// Pass on to subscription-check through the inbound queue, once per update.
    Enqueue(InboundJob),
    /// Like `Enqueue`, then answer with `reply` (a button press that starts a job).
    EnqueueAnswered {
        /// The job, queued once per update.
        job: InboundJob,
        /// Sent once it is queued; if queueing fails, Telegram retries instead.
        reply: QuickReply,
    },
    /// Asks the generation in `chat` to stop (`/cancel`, or the draft's stop button).
    Cancel {
        /// Where the generation to stop is running.
        chat: ChatId,
        /// Which replies: the stop button's, or (`/cancel`) those to earlier updates.
        stop: Stop,
        /// Said only for `/cancel`, in this language; the stop button needs no answer.
        say: Option<Lang>,
    },
    /// Shows the settings keyboard for `owner` (needs their current settings).
    ShowSettings {
        /// Where the keyboard is sent.
        chat: ChatId,
        /// Whose settings it shows: the user's, or in a group the group's.
        owner: Owner,
        /// The language of the menu's words.
        lang: Lang,
    },
    /// Store one `/settings` change, then answer.
    ChangeSetting {
        /// Whose setting: the user's, or in a group the group's.
        owner: Owner,
        /// The setting and its new value (set, never toggled: a stale keyboard does no harm).
        change: SettingChange,
        /// Sent once the change is stored; if storing fails, Telegram retries instead.
        reply: QuickReply,
        /// Said instead, with nothing written, when the setting already has that value
        /// (`/voice on` twice); `None` writes without reading first (a menu's press).
        unchanged: Option<QuickReply>,
    },
    /// In a group, only admins may change the group's persona and settings: ask Telegram
    /// about `user` first, and answer `refusal` if they are not one.
    AdminsOnly {
        /// The group whose persona or settings would change.
        chat: ChatId,
        /// Who asked: Telegram is asked whether they are an admin there.
        user: UserId,
        /// The change, made only if they are.
        then: Box<Route>,
        /// Said when they are not, or when Telegram will not say.
        refusal: QuickReply,
    },
    /// A press on a menu: do `then` (which answers the press), then redraw the menu so
    /// it shows the new state.
    Redraw {
        /// The change the press asks for; it answers the press.
        then: Box<Route>,
        /// The chat the menu was sent to.
        chat: ChatId,
        /// The menu's message, whose keyboard is replaced to show the new state.
        message_id: i64,
        /// Which menu it is, and what it shows.
        menu: Menu,
        /// The language of the menu's words.
        lang: Lang,
    },
    /// Only for those who may use the bot (quick commands and presses skip
    /// subscription-check): decide on the cached membership, then `then` or the refusal.
    MembersOnly {
        /// Who asked, and in which chat (a group speaking as itself is vouched for).
        from: (Person, ChatId),
        /// What they asked for, done only if they may.
        then: Box<Route>,
        /// How a refusal is said.
        refusal: Refusal,
    },
    /// A press whose redraw is known without a read (the `/language` menu): do `then`
    /// (which answers the press), then answer with `redraw`.
    Redrawn {
        /// The change the press asks for; it answers the press.
        then: Box<Route>,
        /// The menu as it is after the change.
        redraw: QuickReply,
    },
    /// Accepted and dropped, with the reason for the log.
    Ignore(String),
    /// A press the processor carries out (a `/history` button): queued like a message,
    /// and the press answered at once so its spinner stops.
    Pressed {
        /// The press, as a message for the processor.
        job: InboundJob,
        /// The press's answer, sent once the job is queued.
        reply: QuickReply,
    },
}

/// A menu redrawn after a press.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    /// The `/settings` menu of this owner: its state is read back after the change.
    Settings(Owner),
    /// The `/persona` menu, ticking the persona just chosen (nothing to read).
    Persona(PersonaKind),
}

impl Route {
    /// Whether carrying it out says something in the user's language, so their
    /// `/language` choice is worth reading first. A new choice speaks in itself.
    pub fn speaks(&self) -> bool {
        match self {
            Self::Enqueue(_) | Self::Ignore(_) | Self::Redrawn { .. } => false,
            Self::Cancel { say, .. } => say.is_some(),
            Self::Answer(QuickReply::Callback { text, .. }) => text.is_some(),
            Self::ChangeSetting { change, .. } => !matches!(change, SettingChange::Language(_)),
            _ => true,
        }
    }
}

/// Decides what `update` asks for, with no I/O; `act` carries the decision out. The bot's
/// words are in `chosen` (the user's `/language`), else in their Telegram app's language.
pub fn route(
    update: &Update,
    channel: Option<&ChannelRef>,
    bot: &BotIdentity<'_>,
    chosen: Option<Lang>,
) -> Route {
    let update_id = update.update_id;
    match &update.content {
        Content::Message(message) => route_message(update_id, message, bot, chosen),
        Content::CallbackQuery(query) => route_callback(update_id, query, bot, chosen),
        Content::StoppedGeneration(stopped) => Route::Cancel {
            chat: ChatId::new(stopped.chat.id),
            stop: Stop::Draft(stopped.draft_id),
            say: None,
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
            user_id: UserId::new(member.user.id),
            status,
        })),
        None => Route::Ignore("chat_member update with a status the bot does not know".into()),
    }
}
