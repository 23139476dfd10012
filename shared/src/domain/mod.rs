//! The bot's rules. Nothing here knows about AWS, HTTP, Telegram's wire format or OpenAI.

pub mod access;
pub mod budget;
pub mod command;
pub mod conversation;
pub mod format;
pub mod jobs;
pub mod memory;
pub mod menu;
pub mod persona;
pub mod style;
pub mod texts;
pub mod usage;

pub use access::{AccessDecision, AccessPolicy, ChannelRef, MemberStatus};
pub use command::Command;
pub use conversation::{
    ClosedConversation, History, PromptMessage, PromptRole, Role, StoredTurn, Turn,
};
pub use jobs::{
    Button, Document, InboundJob, IncomingMessage, MemberUpdate, OutgoingMessage, Person,
};
pub use persona::{Persona, PersonaChoice, PersonaKind};
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
    pub persona: Option<PersonaChoice>,
    pub style: Option<StyleProfile>,
    /// `/style off` turns imitation off without forgetting the profile.
    pub style_enabled: bool,
    /// Answered messages so far, and how many there were when the style was last built.
    pub message_count: u64,
    pub style_built_at_count: u64,
    /// Until then (Unix ms), forwarded messages are taken as style samples.
    pub sample_window_until_ms: i64,
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
        }
    }
}

impl UserProfile {
    pub fn new_messages_since_style(&self) -> u64 {
        self.message_count.saturating_sub(self.style_built_at_count)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChatId(pub i64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

/// Telegram's `update_id`: unique per bot, and the key for exactly-once processing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UpdateId(pub u64);

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
