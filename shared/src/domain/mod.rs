//! The bot's rules. Nothing here knows about AWS, HTTP, Telegram's wire format or OpenAI.

pub mod access;
pub mod budget;
pub mod command;
pub mod conversation;
pub mod jobs;
pub mod persona;
pub mod style;
pub mod texts;
pub mod usage;

pub use access::{AccessDecision, AccessPolicy, ChannelRef, MemberStatus};
pub use command::Command;
pub use conversation::{PromptMessage, PromptRole, Role, Turn};
pub use jobs::{Button, InboundJob, IncomingMessage, MemberUpdate, OutgoingMessage, Person};
pub use persona::{Persona, PersonaChoice, PersonaKind};
pub use style::StyleProfile;
pub use usage::{BotTotals, PriceTable, Totals, Usage};

use serde::{Deserialize, Serialize};

/// What the bot keeps about a user that shapes its replies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserProfile {
    /// False until the user's first answered message: they are new.
    pub known: bool,
    /// Extra tokens beyond the limits, granted by admins.
    pub credits: i64,
    pub persona: Option<PersonaChoice>,
    pub style: Option<StyleProfile>,
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
