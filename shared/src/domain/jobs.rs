//! The messages that travel between the functions on the three FIFO queues.
//!
//! They are parsed at the edge (the webhook) into these small types, so later stages never
//! see Telegram's wire format and a queue body is readable in the console or a DLQ.

use serde::{Deserialize, Serialize};

use super::{ChatId, Command, ConvId, MemberStatus, UpdateId, UserId};

/// A Telegram user, as much of them as the bot needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: UserId,
    pub first_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
    /// A chat speaking as itself (an anonymous group admin, or a channel posting in a
    /// group): `id` is that chat's id and `first_name` its title.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_chat: bool,
}

/// A text message from a user, on the inbound and work queues.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomingMessage {
    pub update_id: UpdateId,
    pub chat_id: ChatId,
    pub message_id: i64,
    /// Unix seconds, from Telegram.
    pub date: i64,
    pub from: Person,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Command>,
    /// What follows the command's name (`/style on` -> `on`), parsed with it at the edge.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub args: String,
    /// Forwarded from another chat: after /new_style, a style sample.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forwarded: bool,
    /// A group or supergroup rather than a private chat.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub group: bool,
    /// The forum topic the message was posted in: a conversation of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<i64>,
    /// A voice note or photo that comes with (or instead of) the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<Media>,
    /// Telegram's `media_group_id`: the photos of one album arrive as one message each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_group: Option<String>,
    /// The album's other photos, once its messages are joined into this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub album: Vec<Media>,
}

impl IncomingMessage {
    /// The conversation this message belongs to: the chat, or its forum topic.
    pub fn conversation(&self) -> ConvId {
        ConvId {
            chat: self.chat_id,
            topic: self.topic,
        }
    }

    /// Whose persona and settings apply: the user's in private, the group's in a group.
    pub fn settings_owner(&self) -> super::Owner {
        if self.group {
            super::Owner::Group(super::GroupId::of(self.chat_id))
        } else {
            super::Owner::User(self.from.id)
        }
    }
}

/// What kind of sound a voice message carries; all are transcribed alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SoundKind {
    Voice,
    Audio,
    VideoNote,
}

/// A file attached to a message, by Telegram's file id (never by URL: file URLs carry the
/// bot token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Media {
    Sound {
        kind: SoundKind,
        file_id: String,
        duration_secs: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        size: Option<u64>,
    },
    Photo {
        file_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        size: Option<u64>,
    },
}

/// The Bot API lets bots download files of up to 20 MB.
pub const MAX_DOWNLOAD_BYTES: u64 = 20 * 1024 * 1024;

/// A scheduled look at a chat's held-back message fragments (see `domain::fragments`):
/// if no continuation arrived by `due_ms`, they are answered as they are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlushFragments {
    pub chat_id: ChatId,
    /// The newest fragment when this was scheduled; a newer one makes this stale.
    pub update_id: UpdateId,
    pub due_ms: i64,
}

/// A group became a supergroup: Telegram moved it to a new chat id, and the bot moves the
/// group's conversation, persona and settings with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMigration {
    /// The update (or delivery) that revealed the move, for logs; the move is idempotent.
    pub update_id: UpdateId,
    pub from: ChatId,
    pub to: ChatId,
}

/// Body of a work-queue message.
#[expect(
    clippy::large_enum_variant,
    reason = "parsed once per record and never stored in bulk"
)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum WorkJob {
    Flush { flush_fragments: FlushFragments },
    Migrate { migrate_chat: ChatMigration },
    Message(IncomingMessage),
}

/// A channel membership change (`chat_member` update) for the configured channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberUpdate {
    pub update_id: UpdateId,
    pub user_id: UserId,
    pub status: MemberStatus,
}

/// Body of an inbound-queue message.
#[expect(
    clippy::large_enum_variant,
    reason = "parsed once per record and never stored in bulk"
)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InboundJob {
    Message(IncomingMessage),
    MemberUpdate(MemberUpdate),
    ChatMigrated(ChatMigration),
}

impl InboundJob {
    pub fn update_id(&self) -> UpdateId {
        match self {
            Self::Message(m) => m.update_id,
            Self::MemberUpdate(m) => m.update_id,
            Self::ChatMigrated(m) => m.update_id,
        }
    }
}

/// A URL button under a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub text: String,
    pub url: String,
}

/// A small text file sent with `sendDocument` (e.g. an /export).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub file_name: String,
    pub content: String,
}

/// The processor's last word on an update it could not answer: what the user was told,
/// and whether the record was kept in the dead-letter queue for a redrive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GaveUp {
    pub notice: String,
    pub kept: bool,
}

/// Body of an outbox-queue message: one reply for the sender to deliver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMessage {
    /// Unique per reply; the sender delivers each id at most once.
    pub delivery_id: super::DeliveryId,
    pub chat_id: ChatId,
    /// Who to mark inactive if Telegram says the bot was blocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to_message_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    /// Sent as a document, with `text` as its caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Document>,
    /// `text` is the model's Markdown: the sender renders it to Telegram HTML.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub markdown: bool,
    /// `text` is already Telegram HTML (`parse_mode=HTML`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub html: bool,
    /// The forum topic to post in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<i64>,
    /// Also deliver the text as a spoken voice note (`/voice on`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub voice: bool,
}

impl OutgoingMessage {
    /// The reply to an incoming message. `purpose` keeps different replies to the same
    /// update (an error notice, then the answer) apart.
    pub fn reply_to(msg: &IncomingMessage, purpose: &str, text: impl Into<String>) -> Self {
        Self {
            delivery_id: super::DeliveryId::reply_to(purpose, msg.update_id),
            chat_id: msg.chat_id,
            user_id: Some(msg.from.id),
            text: text.into(),
            // In a group, quoting the message shows whom the bot is answering.
            reply_to_message_id: msg.group.then_some(msg.message_id),
            buttons: Vec::new(),
            document: None,
            markdown: false,
            html: false,
            topic: msg.topic,
            voice: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inbound_job_round_trips_with_kind_tag() {
        let job = InboundJob::MemberUpdate(MemberUpdate {
            update_id: UpdateId(7),
            user_id: UserId(9),
            status: MemberStatus::Restricted { is_member: true },
        });
        let json = serde_json::to_string(&job).unwrap();
        assert!(json.contains(r#""kind":"member_update""#), "{json}");
        assert_eq!(serde_json::from_str::<InboundJob>(&json).unwrap(), job);
    }
}
