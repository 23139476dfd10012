//! Identifiers that are easy to mix up, each its own type: whose settings apply (a user's
//! or a group's), which model, which delivery. Fields are private; they are made at the
//! edge, by the constructors below, and read back with `as_str`/`get`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{ChatId, UserId};

/// A group or supergroup, by its chat id: it has its own persona and settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GroupId(i64);

impl GroupId {
    /// The group that is this chat.
    pub fn of(chat: ChatId) -> Self {
        Self(chat.0)
    }

    /// The group's chat id.
    pub fn chat(self) -> ChatId {
        ChatId::new(self.0)
    }
}

/// Whose persona and settings apply: the user's in a private chat, the group's in a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Owner {
    /// A person, in their private chat with the bot.
    User(UserId),
    /// A group, whose admins choose for everyone in it.
    Group(GroupId),
}

impl Owner {
    /// The id the owner's profile is stored under (a group's is its negative chat id).
    pub fn key(self) -> i64 {
        match self {
            Self::User(user) => user.0,
            Self::Group(group) => group.0,
        }
    }
}

impl From<UserId> for Owner {
    fn from(user: UserId) -> Self {
        Self::User(user)
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.key().fmt(f)
    }
}

/// Telegram refuses callback data over 64 bytes; a model's button carries its name.
pub const MAX_MODEL_NAME: usize = 48;

/// A model's name as the provider knows it (`gpt-4o-mini`, `qwen2.5-0.5b-instruct`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ModelName(String);

impl ModelName {
    /// A name from configuration or a button: not empty, no spaces, at most
    /// [`MAX_MODEL_NAME`] bytes.
    pub fn parse(name: &str) -> Result<Self, String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("a model name is empty".into());
        }
        if name.len() > MAX_MODEL_NAME {
            return Err(format!(
                "model name {name:?} is longer than {MAX_MODEL_NAME} bytes"
            ));
        }
        if name.chars().any(char::is_whitespace) {
            return Err(format!("model name {name:?} has a space"));
        }
        Ok(Self(name.to_owned()))
    }

    /// The name, as the provider's API takes it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ModelName {
    type Error = String;
    fn try_from(name: String) -> Result<Self, String> {
        Self::parse(&name)
    }
}

impl From<ModelName> for String {
    fn from(name: ModelName) -> Self {
        name.0
    }
}

impl fmt::Display for ModelName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for ModelName {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

/// One reply's identity for delivery: the sender delivers each id at most once, and its
/// parts and voice note have ids derived from it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DeliveryId(String);

impl DeliveryId {
    /// The reply to `update` for `purpose` (`reply`, `notice`, `failed`…): unique per
    /// update and purpose, so a redelivery produces the same id.
    pub fn reply_to(purpose: &str, update: impl fmt::Display) -> Self {
        Self(format!("{purpose}-{update}"))
    }

    /// Part `n` (from 1) of a reply split to fit Telegram's limit.
    #[must_use]
    pub fn part(&self, n: usize) -> Self {
        Self(format!("{}#{n}", self.0))
    }

    /// The reply's voice note.
    #[must_use]
    pub fn voice(&self) -> Self {
        Self(format!("{}#voice", self.0))
    }

    /// The note that says a voice note could not be made.
    #[must_use]
    pub fn voice_note(&self) -> Self {
        Self(format!("{}-note", self.0))
    }

    /// The id as stored and used for SQS deduplication.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DeliveryId {
    type Error = String;
    fn try_from(id: String) -> Result<Self, String> {
        if id.is_empty() {
            return Err("a delivery id is empty".into());
        }
        Ok(Self(id))
    }
}

impl From<DeliveryId> for String {
    fn from(id: DeliveryId) -> Self {
        id.0
    }
}

impl fmt::Display for DeliveryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_ids_derive_and_read_back_as_before() {
        let id = DeliveryId::reply_to("reply", 7);
        assert_eq!(id.as_str(), "reply-7");
        assert_eq!(id.part(2).as_str(), "reply-7#2");
        assert_eq!(id.voice().as_str(), "reply-7#voice");
        assert_eq!(id.voice().voice_note().as_str(), "reply-7#voice-note");
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, r#""reply-7""#);
        assert_eq!(serde_json::from_str::<DeliveryId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<DeliveryId>(r#""""#).is_err());
    }

    #[test]
    fn model_names_are_checked_at_the_edge() {
        assert_eq!(ModelName::parse(" gpt-4o ").unwrap().as_str(), "gpt-4o");
        for bad in ["", "  ", "two words", &"m".repeat(49)] {
            assert!(ModelName::parse(bad).is_err(), "{bad:?}");
        }
        assert!(serde_json::from_str::<ModelName>(r#""""#).is_err());
    }

    #[test]
    fn an_owner_is_stored_under_the_users_or_the_groups_id() {
        assert_eq!(Owner::from(UserId::new(42)).key(), 42);
        assert_eq!(
            Owner::Group(GroupId::of(ChatId::new(-100777))).key(),
            -100777
        );
        assert_eq!(GroupId::of(ChatId::new(-5)).chat(), ChatId::new(-5));
    }
}
