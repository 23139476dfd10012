//! The inbound side: updates as the webhook receives them.
//!
//! frankenstein's `Update` marks required what the Bot API describes as required, but
//! real Telegram omits some of it (a kicked member's `until_date`, a legacy `is_bot`), and
//! one missing field anywhere fails the whole update: a kick would be lost. So each kind
//! of update the bot acts on is read into a small view of our own, where only the ids the
//! bot needs are required, everything else has a default, unknown fields are ignored, and
//! a malformed optional part (a reply, an entity, a photo size) is skipped rather than
//! failing its message.

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, IgnoredAny};
use serde_json::{Map, Value};

use crate::domain::jobs::Person;
use crate::domain::{MAX_DOWNLOAD_BYTES, Media, MemberStatus, SoundKind, UpdateId, UserId};

mod message;

pub use message::{MessageView, RepliedView};

/// One update, as far as the bot reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Update {
    /// Telegram's id for the update: claimed once, so a redelivery is dropped.
    pub update_id: UpdateId,
    /// The Bot API field that carries the update (`message`, `chat_member`, ...), for logs.
    pub kind: String,
    /// The part the bot acts on, read leniently; a kind it ignores is `Other`.
    pub content: Content,
}

/// What an update carries, by the kinds in [`HANDLED_KINDS`].
#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    /// `message`: a user's message or command, or a service message such as a migration.
    Message(Box<MessageView>),
    /// `callback_query`: a press on one of the bot's inline buttons.
    CallbackQuery(Box<CallbackView>),
    /// `chat_member`: someone's standing in a chat changed; only the configured channel counts.
    ChatMember(Box<ChatMemberView>),
    /// `stopped_message_generation`: the user pressed stop on a streaming draft.
    StoppedGeneration(StoppedView),
    /// A kind of update the bot does not act on.
    Other,
    /// A kind the bot acts on, without what it needs; `reason` names the problem, never
    /// a value (it could be the user's text).
    Unusable {
        /// Safe for logs: what was missing or malformed, without the value that did not fit.
        reason: String,
    },
}

/// Why a body is not an update at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    /// Not a JSON object; the reason names where, never what was sent.
    #[error("not a JSON object ({0})")]
    NotJson(String),
    /// A JSON object without `update_id`: not something Telegram sent.
    #[error("no update_id")]
    NoUpdateId,
}

/// The update kinds [`parse_update`] reads; it takes every other kind as
/// [`Content::Other`]. `setWebhook`'s `allowed_updates` is this list: Telegram sends
/// `chat_member` only when it is asked for by name.
pub const HANDLED_KINDS: [&str; 4] = [
    "message",
    "callback_query",
    "chat_member",
    "stopped_message_generation",
];

/// Reads a webhook body.
pub fn parse_update(body: &[u8]) -> Result<Update, Unreadable> {
    let mut fields: Map<String, Value> =
        serde_json::from_slice(body).map_err(|e| Unreadable::NotJson(safe_reason(&e)))?;
    let update_id = fields
        .remove("update_id")
        .and_then(|v| v.as_u64())
        .map(UpdateId)
        .ok_or(Unreadable::NoUpdateId)?;
    // Telegram sends exactly one field besides update_id.
    let Some((kind, value)) = fields.into_iter().next() else {
        return Ok(Update {
            update_id,
            kind: "empty".into(),
            content: Content::Other,
        });
    };
    let content = match kind.as_str() {
        "message" => view(value).map(|m| Content::Message(Box::new(m))),
        "callback_query" => view(value).map(|c| Content::CallbackQuery(Box::new(c))),
        "chat_member" => view(value).map(|c| Content::ChatMember(Box::new(c))),
        "stopped_message_generation" => view(value).map(Content::StoppedGeneration),
        _ => Ok(Content::Other),
    }
    .unwrap_or_else(|reason| Content::Unusable { reason });
    Ok(Update {
        update_id,
        kind,
        content,
    })
}

fn view<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_json::from_value(value).map_err(|e| safe_reason(&e))
}

/// serde's "missing field `chat`" is safe to log; its other messages may quote the value
/// that did not fit, which could be what the user wrote.
fn safe_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.strip_prefix("missing field ") {
        Some(rest) => format!(
            "missing field {}",
            rest.split(" at line").next().unwrap_or("")
        ),
        None => format!(
            "{:?} error at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        ),
    }
}

/// `null` reads as the default, like a missing field.
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// An optional part that does not read is absent, rather than failing what holds it.
fn lenient<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(Option::<Value>::deserialize(d)?.and_then(|v| serde_json::from_value(v).ok()))
}

/// A list whose unreadable items are skipped.
fn lenient_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let items: Vec<Value> = nullable(d)?;
    Ok(items
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect())
}

/// A chat's `type`: it decides whose settings apply and whether the bot must be addressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChatKind {
    /// A one-to-one chat with a user.
    Private,
    /// A basic group.
    Group,
    /// A supergroup, which may be a forum with topics.
    Supergroup,
    /// A channel, such as the one whose members may use the bot.
    Channel,
    /// A type this code does not know, or none given for a chat that is not a user.
    Other,
}

/// A chat as updates name it; only the id is required.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ChatView {
    /// A user's id for a private chat; negative for groups and channels.
    pub id: i64,
    /// Telegram's `type`, read through [`Self::kind`].
    #[serde(default, rename = "type", deserialize_with = "nullable")]
    pub type_name: String,
    /// A group's or channel's title: the name of a chat that speaks as itself.
    #[serde(default)]
    pub title: Option<String>,
    /// A public chat's `@username` without the `@`: how the channel is recognised.
    #[serde(default)]
    pub username: Option<String>,
}

impl ChatView {
    /// The chat's kind; a payload without `type` is private when the id is a user's.
    pub fn kind(&self) -> ChatKind {
        match self.type_name.as_str() {
            "private" => ChatKind::Private,
            "group" => ChatKind::Group,
            "supergroup" => ChatKind::Supergroup,
            "channel" => ChatKind::Channel,
            // Old payloads may lack the type: only users have positive chat ids.
            "" if self.id > 0 => ChatKind::Private,
            _ => ChatKind::Other,
        }
    }

    /// A group or supergroup, where the bot answers only when addressed.
    pub fn is_group(&self) -> bool {
        matches!(self.kind(), ChatKind::Group | ChatKind::Supergroup)
    }
}

/// A user as updates name them; only the id is required.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct UserView {
    /// Whose access, profile and usage.
    pub id: i64,
    /// A reply to a bot whose username is ours addresses our bot.
    #[serde(default, deserialize_with = "nullable")]
    pub is_bot: bool,
    /// How the model will name the user.
    #[serde(default, deserialize_with = "nullable")]
    pub first_name: String,
    /// Without the `@`; tells the bot's own messages apart from other bots'.
    #[serde(default)]
    pub username: Option<String>,
    /// The user's app language (an IETF tag), passed on with their message.
    #[serde(default)]
    pub language_code: Option<String>,
}

/// What an entity is, for telling whether a group message addresses the bot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityKind {
    /// An `@username`: the bot is addressed when it is its own.
    Mention,
    /// A mention of a user without a username, by id.
    TextMention(i64),
    /// Links, formatting, hashtags and the like: no one is addressed.
    Other,
}

/// A marked span of a message's text, read to find mentions of the bot.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct EntityView {
    #[serde(default, rename = "type", deserialize_with = "nullable")]
    type_name: String,
    /// In UTF-16 code units, as Telegram counts them.
    #[serde(default, deserialize_with = "nullable")]
    pub offset: usize,
    /// In UTF-16 code units, like `offset`.
    #[serde(default, deserialize_with = "nullable")]
    pub length: usize,
    #[serde(default, deserialize_with = "lenient")]
    user: Option<UserView>,
}

impl EntityView {
    /// Whether the span mentions someone, and whom.
    pub fn kind(&self) -> EntityKind {
        match (self.type_name.as_str(), &self.user) {
            ("mention", _) => EntityKind::Mention,
            ("text_mention", Some(user)) => EntityKind::TextMention(user.id),
            _ => EntityKind::Other,
        }
    }
}

/// A voice note, audio file or round video: what fetching and checking it needs.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct SoundView {
    /// Telegram's handle for downloading it with `getFile`.
    pub file_id: String,
    /// Seconds, as Telegram reports it.
    #[serde(default, deserialize_with = "nullable")]
    pub duration: u32,
    /// Bytes, if Telegram says: a file over the download limit is refused before any download.
    #[serde(default)]
    pub file_size: Option<u64>,
}

/// One of the sizes Telegram offers a photo in, smallest first.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct PhotoSizeView {
    /// Telegram's handle for downloading it with `getFile`.
    pub file_id: String,
    /// Pixels: the largest size a bot may download is the one the model sees.
    #[serde(default, deserialize_with = "nullable")]
    pub width: u32,
    /// Pixels, like `width`.
    #[serde(default, deserialize_with = "nullable")]
    pub height: u32,
    /// Bytes, if Telegram says: a size over the download limit is passed over.
    #[serde(default)]
    pub file_size: Option<u64>,
}

/// The message a pressed button is under. Telegram sends an inaccessible (old) message
/// with `date` 0 and only its chat and id.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ButtonMessageView {
    /// The message to redraw when the press changed a setting it shows.
    pub message_id: i64,
    /// Where the button is: a group's buttons change the group's settings.
    pub chat: ChatView,
    /// 0 when the message is too old for Telegram to show the bot.
    #[serde(default, deserialize_with = "nullable")]
    pub date: i64,
    /// Its text; absent when the message is too old for Telegram to show the bot.
    #[serde(default)]
    pub text: Option<String>,
    /// The forum topic it is in (when `is_topic_message`): a `/history` list there lists
    /// that topic's conversations.
    #[serde(default, deserialize_with = "nullable")]
    pub message_thread_id: Option<i64>,
    /// Whether it was posted in a forum topic.
    #[serde(default, deserialize_with = "nullable")]
    pub is_topic_message: bool,
}

impl ButtonMessageView {
    /// The forum topic it is in, if any.
    pub fn topic(&self) -> Option<i64> {
        self.message_thread_id.filter(|_| self.is_topic_message)
    }
}

/// A press on one of the bot's inline buttons (`callback_query`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CallbackView {
    /// What `answerCallbackQuery` answers, which ends the button's spinner.
    pub id: String,
    /// Who pressed: in a group, only admins may change its settings.
    pub from: UserView,
    /// Absent for buttons under inline-mode messages.
    #[serde(default, deserialize_with = "lenient")]
    pub message: Option<ButtonMessageView>,
    /// What the button carries ([`crate::domain::CallbackData`]); absent for a game's button.
    #[serde(default)]
    pub data: Option<String>,
}

/// A chat member's new standing (`chat_member` updates).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct MemberView {
    /// Whose standing it is.
    pub user: UserView,
    /// Telegram's word (`member`, `left`, `kicked`, …); read through [`Self::status`].
    pub status: String,
    /// For `restricted` only: whether they are still in the chat.
    #[serde(default)]
    pub is_member: Option<bool>,
}

impl MemberView {
    /// The standing as access knows it; `None` for a status this code does not know.
    pub fn status(&self) -> Option<MemberStatus> {
        member_status(&self.status, self.is_member)
    }
}

/// The two fields of a ChatMember that decide access; `None` for a status this code does
/// not know.
pub fn member_status(status: &str, is_member: Option<bool>) -> Option<MemberStatus> {
    Some(match status {
        "creator" => MemberStatus::Creator,
        "administrator" => MemberStatus::Administrator,
        "member" => MemberStatus::Member,
        "restricted" => MemberStatus::Restricted {
            is_member: is_member.unwrap_or(false),
        },
        "left" => MemberStatus::Left,
        "kicked" => MemberStatus::Kicked,
        _ => return None,
    })
}

/// A `chat_member` update: someone's standing changed in a chat the bot administers.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ChatMemberView {
    /// Where it happened; only the configured channel counts.
    pub chat: ChatView,
    /// The standing now; the old one is not needed.
    pub new_chat_member: MemberView,
}

/// The user pressed stop on a streamed draft (Bot API 10.3).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct StoppedView {
    /// The chat whose reply is to stop.
    pub chat: ChatView,
    /// The stopped draft, so a newer reply in the same chat goes on.
    pub draft_id: i64,
}

#[cfg(test)]
mod tests;
