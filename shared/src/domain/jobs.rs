//! The messages that travel between the functions on the three FIFO queues.
//!
//! They are parsed at the edge (the webhook) into these small types, so later stages never
//! see Telegram's wire format and a queue body is readable in the console or a DLQ.

use serde::{Deserialize, Serialize};

use super::{ChatId, Command, MemberStatus, UpdateId, UserId};

/// A Telegram user, as much of them as the bot needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: UserId,
    pub first_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
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
    /// Forwarded from another chat: after /new_style, a style sample.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forwarded: bool,
}

/// A channel membership change (`chat_member` update) for the configured channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberUpdate {
    pub update_id: UpdateId,
    pub user_id: UserId,
    pub status: MemberStatus,
}

/// Body of an inbound-queue message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InboundJob {
    Message(IncomingMessage),
    MemberUpdate(MemberUpdate),
}

impl InboundJob {
    pub fn update_id(&self) -> UpdateId {
        match self {
            Self::Message(m) => m.update_id,
            Self::MemberUpdate(m) => m.update_id,
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

/// Body of an outbox-queue message: one reply for the sender to deliver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMessage {
    /// Unique per reply; the sender delivers each id at most once.
    pub delivery_id: String,
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
}

impl OutgoingMessage {
    /// The reply to an incoming message. `purpose` keeps different replies to the same
    /// update (an error notice, then the answer) apart.
    pub fn reply_to(msg: &IncomingMessage, purpose: &str, text: impl Into<String>) -> Self {
        Self {
            delivery_id: format!("{purpose}-{}", msg.update_id),
            chat_id: msg.chat_id,
            user_id: Some(msg.from.id),
            text: text.into(),
            reply_to_message_id: None,
            buttons: Vec::new(),
            document: None,
            markdown: false,
            html: false,
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
