//! The bot's rules. Nothing here knows about AWS, HTTP, Telegram's wire format or OpenAI.

pub mod access;
pub mod audio;
pub mod budget;
pub mod callback;
pub mod command;
pub mod conversation;
pub mod format;
pub mod fragments;
pub mod ids;
pub mod jobs;
pub mod l10n;
pub mod lang;
pub mod memory;
pub mod menu;
pub mod persona;
pub mod privacy;
pub mod quick_reply;
pub mod rate;
pub mod shelf;
pub mod streaming;
pub mod style;
pub mod texts;
pub mod usage;

pub use access::{AccessDecision, AccessPolicy, ChannelRef, Lookup, MemberStatus};
pub use callback::CallbackData;
pub use command::Command;
pub use conversation::{
    ClosedConversation, History, Image, PromptMessage, PromptRole, Role, StoredTurn, Turn,
};
pub use ids::{DeliveryId, GroupId, ModelName, Owner};
pub use jobs::{
    Button, ChatMigration, Document, FlushFragments, GaveUp, InboundJob, IncomingMessage,
    MAX_DOWNLOAD_BYTES, Media, MemberUpdate, OutgoingMessage, Person, SoundKind, WorkJob,
};
pub use lang::Lang;
pub use persona::{Persona, PersonaChoice, PersonaKind};
pub use quick_reply::{CallbackButton, QuickReply};
pub use style::StyleProfile;
pub use usage::{BotTotals, PriceTable, Totals, Usage};

use serde::{Deserialize, Serialize};

/// What the bot keeps about a user that shapes its replies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserProfile {
    /// False until the user's first answered message: they are new.
    pub known: bool,
    /// Extra tokens beyond the limits, granted by admins.
    pub credits: i64,
    /// Who the bot is for them, chosen with `/persona`; until then the friend persona answers.
    pub persona: Option<PersonaChoice>,
    /// How they write, learned by `/new_style` or the scheduled refresh; `None` until then.
    pub style: Option<StyleProfile>,
    /// `/style off` turns imitation off without forgetting the profile.
    pub style_enabled: bool,
    /// Answered messages so far, and how many there were when the style was last built.
    pub message_count: u64,
    /// `message_count` when `style` was last built: a refresh waits for enough new messages.
    pub style_built_at_count: u64,
    /// Until then (Unix ms), forwarded messages are taken as style samples.
    pub sample_window_until_ms: i64,
    /// Their `/settings` choices, kept across conversations.
    pub settings: Settings,
    /// Who their last answered message said they were, if any was answered.
    pub seen_as: Option<SeenAs>,
    /// The language they chose with `/language`; `None` follows their Telegram app.
    pub lang: Option<Lang>,
}

/// The name a user's messages came with, and whether they were active (had not blocked
/// the bot): kept on the profile, rewritten only when it changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeenAs {
    /// Their first name, as Telegram sent it.
    pub first_name: String,
    /// Their @username, if they have one.
    pub username: Option<String>,
    /// False once they blocked the bot, until they write again.
    pub active: bool,
}

impl SeenAs {
    /// Whether `person` writing now changes it.
    pub fn changed_by(&self, person: &jobs::Person) -> bool {
        !self.active || self.first_name != person.first_name || self.username != person.username
    }
}

/// What `/settings` changes (besides the persona).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Replies also come as voice notes.
    #[serde(default)]
    pub voice_replies: bool,
    /// A voice message's transcript is shown before the reply.
    #[serde(default)]
    pub show_transcript: bool,
    /// Chosen from the allowed list; `None` is the default model.
    #[serde(default)]
    pub model: Option<String>,
}

/// One change made from `/settings` or a command like `/voice on`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingChange {
    /// Also send each reply as a voice note (`/voice on|off` or its button).
    VoiceReplies(bool),
    /// Show a voice message's transcript before answering it.
    ShowTranscript(bool),
    /// The model to answer with; `None` goes back to the default (`OPENAI_MODEL`).
    Model(Option<ModelName>),
    /// The language of the bot's own texts (`/language`), always the user's own, in a
    /// group too; `None` follows their Telegram app.
    Language(Option<Lang>),
}

impl Default for UserProfile {
    fn default() -> Self {
        Self {
            known: false,
            credits: 0,
            persona: None,
            style: None,
            style_enabled: true,
            message_count: 0,
            style_built_at_count: 0,
            sample_window_until_ms: 0,
            settings: Settings::default(),
            seen_as: None,
            lang: None,
        }
    }
}

impl UserProfile {
    /// Answered messages the style profile has not seen; the style refresh waits for enough.
    pub fn new_messages_since_style(&self) -> u64 {
        self.message_count.saturating_sub(self.style_built_at_count)
    }
}

/// A Telegram chat: a private chat shares its user's id, groups and channels are negative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChatId(i64);

impl ChatId {
    /// The chat with Telegram's id `id` (negative for groups and channels).
    pub const fn new(id: i64) -> Self {
        Self(id)
    }

    /// Telegram's id, for the Bot API and storage keys.
    pub const fn get(self) -> i64 {
        self.0
    }
}

/// Whose profile, usage and credits: a Telegram user, or a chat when a message is sent as one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(i64);

impl UserId {
    /// The user with Telegram's id `id` (or the chat a message was sent as).
    pub const fn new(id: i64) -> Self {
        Self(id)
    }

    /// Telegram's id, for the Bot API and storage keys.
    pub const fn get(self) -> i64 {
        self.0
    }
}

/// Telegram's `update_id`: unique per bot, and the key for exactly-once processing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UpdateId(pub u64);

/// Where a conversation lives: a chat, or one forum topic of a chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ConvId {
    /// The chat the conversation happens in, where its replies go.
    pub chat: ChatId,
    /// The forum topic (`message_thread_id`); each topic of a forum is a conversation of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<i64>,
}

impl From<ChatId> for ConvId {
    fn from(chat: ChatId) -> Self {
        Self { chat, topic: None }
    }
}

/// `-100123` for a chat, `-100123/7` for topic 7: the key under which it is stored.
impl std::fmt::Display for ConvId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.topic {
            Some(t) => write!(f, "{}/{t}", self.chat),
            None => self.chat.fmt(f),
        }
    }
}

impl std::fmt::Display for ChatId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
impl std::fmt::Display for UpdateId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
