//! The table's items as typed structs, one per item kind of `docs/dynamodb.md`, converted
//! with serde_dynamo.
//!
//! Field names are the stored attribute names: renaming one orphans the data written
//! under the old name (the tests pin every item's attributes). Options are written as
//! absent attributes unless noted, because that is what the hand-built items did.

use std::collections::HashMap;

use anyhow::anyhow;
use aws_sdk_dynamodb::types::AttributeValue;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::keys::Key;
use crate::domain::Role;
use crate::error::{Failure, Result};

mod exchange;
mod meter;
#[cfg(test)]
mod tests;

pub use exchange::ExchangeItem;
pub use meter::{HoldItem, MeterItem};

/// An item as the SDK sends and returns it.
pub type Item = HashMap<String, AttributeValue>;

/// One kind of item of the table.
pub trait Record: Serialize + DeserializeOwned {
    /// What `docs/dynamodb.md` calls it, for errors about it.
    const KIND: &'static str;
}

/// `record` as an item to write.
pub fn to_item<T: Record>(record: &T) -> Result<Item> {
    serde_dynamo::to_item(record)
        .map_err(|e| Failure::permanent(anyhow!("writing a {} item: {e}", T::KIND)))
}

/// Reads a stored item. A missing or mistyped attribute will be just as missing on the
/// next attempt, so the error is permanent, and names the item to look at.
pub fn from_item<T: Record>(item: Item) -> Result<T> {
    let key = |name: &str| {
        item.get(name)
            .and_then(|v| v.as_s().ok())
            .map_or_else(|| "?".to_owned(), Clone::clone)
    };
    let (pk, sk) = (key("pk"), key("sk"));
    serde_dynamo::from_item(item)
        .map_err(|e| Failure::permanent(anyhow!("unreadable {} item {pk} / {sk}: {e}", T::KIND)))
}

/// A value for an update or condition expression.
pub fn value<T: Serialize>(v: T) -> Result<AttributeValue> {
    serde_dynamo::to_attribute_value(v)
        .map_err(|e| Failure::permanent(anyhow!("expression value: {e}")))
}

/// A key alone, as a Query's `LastEvaluatedKey` returns it.
impl Record for Key {
    const KIND: &'static str = "key";
}

/// Where the webhook is with an update it claimed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimStatus {
    /// Claimed; the enqueue may not have happened yet (written before 2026-12 only).
    Pending,
    /// On the inbound queue.
    Enqueued,
}

/// `UPD#<id>` / `RECEIVED`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateClaimItem {
    pub pk: String,
    pub sk: String,
    pub status: ClaimStatus,
    pub at: i64,
    pub expires_at: i64,
}

impl Record for UpdateClaimItem {
    const KIND: &'static str = "update claim";
}

/// `UPD#<id>` / `REPLY` holding the answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerItem {
    pub pk: String,
    pub sk: String,
    pub text: String,
    pub chat_id: i64,
    pub at: i64,
    pub expires_at: i64,
}

impl Record for AnswerItem {
    const KIND: &'static str = "stored reply";
}

/// `UPD#<id>` / `REPLY` holding the processor's last word instead of an answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastWordItem {
    pub pk: String,
    pub sk: String,
    /// What the user was told; its presence is what tells a last word from an answer.
    pub notice: String,
    /// Parked for a redrive.
    pub kept: bool,
    pub expires_at: i64,
}

impl Record for LastWordItem {
    const KIND: &'static str = "last word";
}

/// `UPD#<id>` / `RESET` or `GRANT`: its existence is the guard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardItem {
    pub pk: String,
    pub sk: String,
    pub expires_at: i64,
}

impl Record for GuardItem {
    const KIND: &'static str = "update guard";
}

/// `DLV#<id>` / `SENT`: its existence is the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryItem {
    pub pk: String,
    pub sk: String,
    pub at: i64,
    pub expires_at: i64,
}

impl Record for DeliveryItem {
    const KIND: &'static str = "delivery record";
}

/// What a marker among a conversation's turns marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MarkerKind {
    /// A running summary of every turn up to its key.
    Summary,
    /// The start of a new conversation (`/reset`).
    Reset,
    /// A filed conversation opened again: the conversation goes on before `from`.
    Resume,
}

/// `CHAT#<conv>` / `T#…`: a turn, or a summary or reset marker among the turns (one query
/// reads them all, newest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnItem {
    pub pk: String,
    pub sk: String,
    /// A turn's; written as NULL on a marker, as it always has been.
    pub role: Option<Role>,
    /// A summary's text; empty on a reset marker.
    pub text: String,
    /// A marker's; written as NULL on a turn, as it always has been.
    pub kind: Option<MarkerKind>,
    pub at: i64,
    pub expires_at: i64,
    /// A resume marker's: the sort key the opened conversation's turns end before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

impl Record for TurnItem {
    const KIND: &'static str = "conversation turn";
}

/// `CHAT#<conv>` / `OPENAI_CONVERSATION`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerConversationItem {
    pub pk: String,
    pub sk: String,
    /// Absent after `/reset`: the item stays as a tombstone, the next message starts a
    /// new provider conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
    pub at: i64,
}

impl Record for ServerConversationItem {
    const KIND: &'static str = "provider conversation";
}

/// `CHAT#<conv>` / `CURRENT`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentConversationItem {
    pub pk: String,
    pub sk: String,
    pub title: String,
    pub started_at: i64,
}

impl Record for CurrentConversationItem {
    const KIND: &'static str = "current conversation";
}

/// `CHAT#<conv>` / `CONV#<ms>#<update>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedConversationItem {
    pub pk: String,
    pub sk: String,
    pub title: String,
    pub started_at: i64,
    pub closed_at: i64,
    /// The provider-side conversation it was held in (Responses mode), if any: opening
    /// it again continues there, deleting it deletes that too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
}

impl Record for ClosedConversationItem {
    const KIND: &'static str = "closed conversation";
}

/// `USER#<id>` / `PROFILE`: read whole, but written only by `UpdateItem`s that each set
/// their own few attributes (`SET`, `ADD`). Any attribute may therefore be absent (a user
/// who never chose a persona, a group with only settings), so every one defaults;
/// `profile()` says what an absent one means. A present one of the wrong type is an error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileItem {
    pub pk: String,
    pub sk: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_since: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<i64>,
    /// A `PersonaChoice` as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona_updated_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_replies: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_transcript: Option<bool>,
    /// Empty for the default model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings_updated_at: Option<i64>,
    /// The `/language` choice as its code; empty to follow the Telegram app's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style_samples: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style_updated_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style_msg_count_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_window_until: Option<i64>,
}

impl Record for ProfileItem {
    const KIND: &'static str = "user profile";
}

/// The all-time usage a user's profile item carries (`USER#<id>` / `PROFILE`), added in the
/// same update that counts the message; other attributes of the item are not read here.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileTotalsItem {
    /// Answered messages, since the first.
    #[serde(default)]
    pub message_count: u64,
    /// Tokens and cost since 2026-12 (the `STATS#ALL` item holds what came before).
    #[serde(default)]
    pub prompt_tokens: u64,
    #[serde(default)]
    pub completion_tokens: u64,
    #[serde(default)]
    pub cost_micros: u64,
    #[serde(default)]
    pub estimated_tokens: u64,
}

impl Record for ProfileTotalsItem {
    const KIND: &'static str = "user profile totals";
}

/// How a style sample came in, when not as a message to the bot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SampleKind {
    /// Forwarded after `/new_style`.
    Forwarded,
}

/// `USER#<id>` / `MSG#<ms>#<update>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StyleSampleItem {
    pub pk: String,
    pub sk: String,
    pub text: String,
    /// Absent for the user's own messages to the bot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SampleKind>,
    pub expires_at: i64,
}

impl Record for StyleSampleItem {
    const KIND: &'static str = "style sample";
}

/// `USER#<id>` / `LEDGER#<ms>#<update>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerItem {
    pub pk: String,
    pub sk: String,
    /// Tokens: positive granted, negative spent.
    pub delta: i64,
    pub reason: String,
    pub update_id: u64,
}

impl Record for LedgerItem {
    const KIND: &'static str = "credit ledger entry";
}

/// A user's or the bot's counters (`STATS#…`), written only by `ADD`s that leave out
/// what they add nothing to: an absent counter has counted nothing yet, so it is zero.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterItem {
    pub pk: String,
    pub sk: String,
    #[serde(default)]
    pub messages: u64,
    #[serde(default)]
    pub prompt_tokens: u64,
    #[serde(default)]
    pub completion_tokens: u64,
    #[serde(default)]
    pub cost_micros: u64,
    /// Bot-wide counters only.
    #[serde(default)]
    pub users: u64,
    /// Bot-wide counters only.
    #[serde(default)]
    pub conversations: u64,
    #[serde(default)]
    pub estimated_tokens: u64,
    /// Daily and monthly counters only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

impl Record for CounterItem {
    const KIND: &'static str = "counter";
}

/// `USERS` / `USER#<id>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryItem {
    pub pk: String,
    pub sk: String,
    pub user_id: i64,
}

impl Record for DirectoryItem {
    const KIND: &'static str = "user directory entry";
}

/// `JOB#<job>` / `CURSOR`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobCursorItem {
    pub pk: String,
    pub sk: String,
    /// Absent once a run finished: the next one starts from the beginning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    pub at: i64,
}

impl Record for JobCursorItem {
    const KIND: &'static str = "job cursor";
}

/// `CHAT#<chat>` / `STOP`: the latest stop request in a chat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopItem {
    pub pk: String,
    pub sk: String,
    /// The draft whose stop button was pressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft_id: Option<i64>,
    /// Or the `/cancel` update: every reply to an earlier update stops.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_update: Option<u64>,
    pub at: i64,
    pub expires_at: i64,
}

impl Record for StopItem {
    const KIND: &'static str = "stop request";
}

/// `CHAT#<chat>` / `FRAGMENTS`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FragmentsItem {
    pub pk: String,
    pub sk: String,
    /// The `IncomingMessage`s so far, as JSON.
    pub messages: String,
    pub last_update: u64,
    /// Absent until the update that answers them claims them (an `UpdateItem`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_by: Option<u64>,
    pub expires_at: i64,
}

impl Record for FragmentsItem {
    const KIND: &'static str = "held fragments";
}

/// `CACHE#<key>` / `CACHE` (also a capability found missing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheItem {
    pub pk: String,
    pub sk: String,
    pub value: String,
    /// The expiry checked on read; `expires_at` is DynamoDB's coarser TTL.
    pub expires_at_ms: i64,
    pub expires_at: i64,
}

impl Record for CacheItem {
    const KIND: &'static str = "cache entry";
}

/// `CHAT#<chat>` / `MIGRATED`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigratedItem {
    pub pk: String,
    pub sk: String,
    /// The supergroup's chat id.
    pub to: i64,
    pub at: i64,
}

impl Record for MigratedItem {
    const KIND: &'static str = "migration marker";
}
