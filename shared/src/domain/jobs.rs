//! The messages that travel between the functions on the three FIFO queues.
//!
//! They are parsed at the edge (the webhook) into these small types, so later stages never
//! see Telegram's wire format and a queue body is readable in the console or a DLQ.

use serde::{Deserialize, Serialize};

use super::{ChatId, Command, ConvId, MemberStatus, UpdateId, UserId};

/// A Telegram user, as much of them as the bot needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Whose access, limits and profile apply; the chat's id when `is_chat`.
    pub id: UserId,
    /// How the prompt names the user to the model (a chat's title when `is_chat`).
    pub first_name: String,
    /// Without the `@`; how the configured channel is recognised when it posts as itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The language the user's Telegram app is set to (an IETF tag), when Telegram says.
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
    /// The exactly-once key: the claim, the stored answer and the deliveries hang on it.
    pub update_id: UpdateId,
    /// Where it was written, and where the reply goes.
    pub chat_id: ChatId,
    /// Its id within the chat: a group reply quotes it, and a cut text's parts are consecutive.
    pub message_id: i64,
    /// Unix seconds, from Telegram.
    pub date: i64,
    /// Who wrote it: whose access, limits and profile apply.
    pub from: Person,
    /// The text or caption; the processor adds a voice note's transcript to it.
    pub text: String,
    /// The command the text starts with, parsed at the edge so no later stage parses it again.
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
    /// The sender's `/language` choice, once a stage has read their profile (the webhook
    /// does not, so it is absent on the queues unless a stage put it there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen_lang: Option<super::Lang>,
}

impl IncomingMessage {
    /// The language the bot's own texts take for this message's sender: their
    /// `/language` choice if it was read, else their Telegram app's, else English.
    pub fn lang(&self) -> super::Lang {
        super::Lang::resolve(self.chosen_lang, self.from.language_code.as_deref())
    }

    /// The same message, with the sender's `/language` choice as read from their profile
    /// (`None`: they follow their Telegram app).
    #[must_use]
    pub fn with_chosen_lang(&self, chosen: Option<super::Lang>) -> Self {
        Self {
            chosen_lang: chosen,
            ..self.clone()
        }
    }

    /// When the user sent it (Telegram's date), in Unix ms: what orders a conversation,
    /// however late a queue hands the message over.
    pub fn sent_ms(&self) -> i64 {
        self.date.saturating_mul(1000)
    }

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
    /// A voice note recorded in Telegram (Ogg Opus).
    Voice,
    /// A music or audio file (commonly MP3).
    Audio,
    /// A round video message; only its sound is used.
    VideoNote,
}

/// A file attached to a message, by Telegram's file id (never by URL: file URLs carry the
/// bot token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Media {
    /// A voice note, audio file or round video: transcribed, and the transcript answered.
    Sound {
        /// Which of them, so the transcriber is given a file name it recognises.
        kind: SoundKind,
        /// Telegram's handle for downloading it with `getFile`.
        file_id: String,
        /// The recording's length as Telegram reports it; the size is what limits a download.
        duration_secs: u32,
        /// Bytes, if Telegram says: over [`MAX_DOWNLOAD_BYTES`] it is refused, not downloaded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        size: Option<u64>,
    },
    /// A photo, the largest size Telegram offers that a bot may download; shown to a vision model.
    Photo {
        /// Telegram's handle for downloading it with `getFile`.
        file_id: String,
        /// Bytes, if Telegram says: over [`MAX_DOWNLOAD_BYTES`] it is refused, not downloaded.
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
    /// The chat whose held parts are due.
    pub chat_id: ChatId,
    /// The newest fragment when this was scheduled; a newer one makes this stale.
    pub update_id: UpdateId,
    /// When the held parts are answered alone if nothing followed (Unix ms).
    pub due_ms: i64,
}

/// A group became a supergroup: Telegram moved it to a new chat id, and the bot moves the
/// group's conversation, persona and settings with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMigration {
    /// The update (or delivery) that revealed the move, for logs; the move is idempotent.
    pub update_id: UpdateId,
    /// The group's old chat id, where its data is until the move.
    pub from: ChatId,
    /// The supergroup's new chat id, where the data goes.
    pub to: ChatId,
}

/// A confirmed `/forget`: everything the bot keeps about `user_id` is to be deleted, and
/// the confirmation's message edited to say what was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForgetRequest {
    /// The button press: the claim, the FIFO deduplication and the report hang on it.
    pub update_id: UpdateId,
    /// Whose data.
    pub user_id: UserId,
    /// Where the confirmation was asked: the user's private chat, or a group.
    pub chat_id: ChatId,
    /// The confirmation's message, edited into the report.
    pub message_id: i64,
    /// When `/forget` was sent (Unix seconds): a confirmation pressed much later has expired.
    pub asked_at: i64,
    /// The language the user's Telegram app is set to, for the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
}

impl ForgetRequest {
    /// The language of the report.
    pub fn lang(&self) -> super::Lang {
        super::Lang::resolve(None, self.language_code.as_deref())
    }
}

/// Body of a work-queue message.
#[expect(
    clippy::large_enum_variant,
    reason = "parsed once per record and never stored in bulk"
)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum WorkJob {
    /// Time to look at a chat's held parts again, on its own message group.
    Flush {
        /// Named so the body says which job it is: the enum is untagged.
        flush_fragments: FlushFragments,
    },
    /// A chat's data to move, queued with the new chat's messages so it goes first.
    Migrate {
        /// Named so the body says which job it is: the enum is untagged.
        migrate_chat: ChatMigration,
    },
    /// A user's message to answer, allowed by subscription-check.
    Message(IncomingMessage),
    /// A user's data to delete (a body with only `forget` lacks a message's fields, so
    /// the untagged enum never reads it as one).
    Forget {
        /// Named so the body says which job it is: the enum is untagged.
        forget: ForgetRequest,
    },
}

/// A channel membership change (`chat_member` update) for the configured channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberUpdate {
    /// The update that brought it, for the webhook's exactly-once claim.
    pub update_id: UpdateId,
    /// Whose standing changed.
    pub user_id: UserId,
    /// Their standing now, cached for access checks in place of a `getChatMember` call.
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
    /// A user's message for subscription-check to allow or refuse.
    Message(IncomingMessage),
    /// A channel membership change, to refresh the cached standing.
    MemberUpdate(MemberUpdate),
    /// A group became a supergroup; passed on to the processor to move its data.
    ChatMigrated(ChatMigration),
    /// A confirmed `/forget`: subscription-check drops the cached membership, the
    /// processor the rest. Never refused: anyone may have their data deleted.
    Forget(ForgetRequest),
}

impl InboundJob {
    /// The update behind the job: the webhook claims it once and deduplicates the queue on it.
    pub fn update_id(&self) -> UpdateId {
        match self {
            Self::Message(m) => m.update_id,
            Self::MemberUpdate(m) => m.update_id,
            Self::ChatMigrated(m) => m.update_id,
            Self::Forget(f) => f.update_id,
        }
    }
}

/// A URL button under a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    /// What the button says, e.g. "Join the channel".
    pub text: String,
    /// Opened when the button is pressed, e.g. the channel's join link.
    pub url: String,
}

/// A small text file sent with `sendDocument` (e.g. an /export).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The name the user's app shows and saves it under.
    pub file_name: String,
    /// The file's text; an export is kept under `MAX_EXPORT_BYTES` to fit an SQS message.
    pub content: String,
}

/// The processor's last word on an update it could not answer: what the user was told,
/// and whether the record was kept in the dead-letter queue for a redrive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GaveUp {
    /// The sentence the user was told, and is told again if the update comes back.
    pub notice: String,
    /// Whether the message was parked in the dead-letter queue for an operator's redrive.
    pub kept: bool,
}

/// Body of an outbox-queue message: one reply for the sender to deliver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMessage {
    /// Unique per reply; the sender delivers each id at most once.
    pub delivery_id: super::DeliveryId,
    /// Where the reply goes.
    pub chat_id: ChatId,
    /// Who to mark inactive if Telegram says the bot was blocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
    /// What to say: plain text, or Markdown or HTML as the flags say; a document's caption.
    pub text: String,
    /// The message this one quotes: in a group, the one it answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to_message_id: Option<i64>,
    /// URL buttons under the message, e.g. the channel's join link on a refusal.
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
    /// The language of the user it goes to, for what the sender says itself (that a voice
    /// note could not be made). Absent on messages queued before it was added: English.
    #[serde(default, skip_serializing_if = "super::Lang::is_default")]
    pub lang: super::Lang,
    /// Buttons that come back as presses (`/history`'s), in rows; used instead of
    /// `buttons` when present.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keyboard: Vec<Vec<super::CallbackButton>>,
    /// Rewrites this message of the bot's (its text and buttons) rather than sending a
    /// new one: a press on `/history` redraws the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_message_id: Option<i64>,
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
            lang: msg.lang(),
            keyboard: Vec::new(),
            edit_message_id: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_queued_before_languages_reads_as_english_and_english_is_not_written() {
        let old = r#"{"delivery_id":"reply-1","chat_id":5,"text":"hi"}"#;
        let reply: OutgoingMessage = serde_json::from_str(old).unwrap();
        assert_eq!(reply.lang, super::super::Lang::En);
        assert!(!serde_json::to_string(&reply).unwrap().contains("lang"));
        let german = OutgoingMessage {
            lang: super::super::Lang::De,
            ..reply
        };
        let json = serde_json::to_string(&german).unwrap();
        assert!(json.contains(r#""lang":"de""#), "{json}");
        assert_eq!(
            serde_json::from_str::<OutgoingMessage>(&json).unwrap(),
            german
        );
    }

    #[test]
    fn inbound_job_round_trips_with_kind_tag() {
        let job = InboundJob::MemberUpdate(MemberUpdate {
            update_id: UpdateId(7),
            user_id: UserId::new(9),
            status: MemberStatus::Restricted { is_member: true },
        });
        let json = serde_json::to_string(&job).unwrap();
        assert!(json.contains(r#""kind":"member_update""#), "{json}");
        assert_eq!(serde_json::from_str::<InboundJob>(&json).unwrap(), job);
    }
}
