//! The single DynamoDB table. Key design and access patterns: `docs/dynamodb.md`.
//!
//! Every read is a GetItem or a Query on one partition; nothing scans.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::anyhow;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, Put, ReturnValue, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};

mod cache;
mod capability;
mod conversation;
mod credit;
mod delivery;
mod fragments;
mod gave_up;
mod generation;
pub mod keys;
mod migrate;
mod persona;
mod update_log;
mod usage;
mod user;

pub use cache::DynamoCache;
#[allow(unused_imports)]
use usage::*;

use super::{now_ms, now_secs};
use crate::domain::IncomingMessage;
use crate::domain::usage::{day_key, month_key};
use crate::domain::{
    BotTotals, ChatId, ClosedConversation, ConvId, History, PersonaChoice, Role, SettingChange,
    Settings, StoredTurn, StyleProfile, Totals, Turn, UpdateId, UserId, UserProfile,
};
use crate::error::{Failure, Result};
use crate::ports::{
    Cache, CapabilityLog, Claim, ConversationIndex, CreditStore, DeliveryLog, Exchange,
    FragmentStore, GenerationLog, HeldFragments, HistoryStore, PersonaStore, ProfileStore,
    StoredReply, StyleStore, UpdateLog, UsageStore, UserDirectory,
};

const DAY: i64 = 24 * 3600;
/// Telegram stops redelivering an update after about a day; keep the claim a little longer.
const UPDATE_CLAIM_TTL: i64 = 2 * DAY;
/// Long enough to cover SQS retention (4 days) plus a DLQ redrive (14 days).
const REPLY_TTL: i64 = 30 * DAY;
const DELIVERY_TTL: i64 = 30 * DAY;
/// Messages kept as style samples, and conversation turns.
const HISTORY_TTL: i64 = 180 * DAY;

#[derive(Clone, Debug)]
pub struct DynamoStore {
    client: Client,
    table: String,
}

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}
fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

fn key(pk: impl Into<String>, sk: impl Into<String>) -> HashMap<String, AttributeValue> {
    HashMap::from([("pk".to_owned(), s(pk)), ("sk".to_owned(), s(sk))])
}

fn sdk_err<E, R>(op: &str, e: SdkError<E, R>) -> Failure
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    // A malformed request fails the same way every time; anything else may pass later.
    let invalid = e
        .as_service_error()
        .and_then(ProvideErrorMetadata::code)
        .is_some_and(|c| c == "ValidationException");
    let err = anyhow!("DynamoDB {op}: {}", DisplayErrorContext(e));
    if invalid {
        Failure::permanent(err)
    } else {
        Failure::retryable(err)
    }
}

fn to_item<T: Serialize>(value: &T) -> Result<HashMap<String, AttributeValue>> {
    serde_dynamo::to_item(value).map_err(|e| Failure::permanent(anyhow!("serialising item: {e}")))
}

fn from_item<T: for<'de> Deserialize<'de>>(item: HashMap<String, AttributeValue>) -> Result<T> {
    serde_dynamo::from_item(item).map_err(|e| Failure::permanent(anyhow!("reading item: {e}")))
}

#[derive(Serialize, Deserialize)]
struct TurnItem {
    pk: String,
    sk: String,
    #[serde(default)]
    role: Option<Role>,
    #[serde(default)]
    text: String,
    /// `reset` marks the start of a new conversation.
    #[serde(default)]
    kind: Option<String>,
    at: i64,
    expires_at: i64,
}

fn turn_sk(at_ms: i64, update: UpdateId, suffix: &str) -> String {
    format!("T#{at_ms:013}#{update:020}#{suffix}", update = update.0)
}

/// A chat's conversation, or one forum topic's: `CHAT#<chat>` or `CHAT#<chat>/<topic>`.
pub fn chat_pk(conv: impl Into<ConvId>) -> String {
    format!("CHAT#{}", conv.into())
}
pub fn user_pk(user: UserId) -> String {
    format!("USER#{user}")
}
pub fn update_pk(update: UpdateId) -> String {
    format!("UPD#{update}")
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Reachability probe for `/health`.
    pub async fn probe(&self) -> Result<()> {
        self.client
            .describe_table()
            .table_name(&self.table)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_err("DescribeTable", e))
    }

    async fn get(
        &self,
        pk: String,
        sk: &str,
        consistent: bool,
    ) -> Result<Option<HashMap<String, AttributeValue>>> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(pk, sk)))
            .consistent_read(consistent)
            .send()
            .await
            .map_err(|e| sdk_err("GetItem", e))?;
        Ok(out.item)
    }

    /// Up to `limit` items of partition `pk` whose sort key starts with `prefix`, highest
    /// key (newest) first: one Query.
    async fn newest(
        &self,
        pk: String,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<HashMap<String, AttributeValue>>> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
            .expression_attribute_values(":pk", s(pk))
            .expression_attribute_values(":prefix", s(prefix))
            .scan_index_forward(false)
            .limit(i32::try_from(limit).unwrap_or(i32::MAX))
            .send()
            .await
            .map_err(|e| sdk_err("Query", e))?;
        Ok(out.items.unwrap_or_default())
    }

    /// An unconditional PutItem.
    async fn write(&self, item: HashMap<String, AttributeValue>) -> Result<()> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_err("PutItem", e))
    }

    /// One UpdateItem on a user's profile item.
    async fn update_profile(
        &self,
        user: UserId,
        expression: &str,
        values: Vec<(&str, AttributeValue)>,
    ) -> Result<()> {
        let values = values.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(user_pk(user), "PROFILE")))
            .update_expression(expression)
            .set_expression_attribute_values(Some(values))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_err("UpdateItem", e))
    }

    /// A transaction item that creates `item` only if it does not exist yet.
    fn put_new(&self, item: HashMap<String, AttributeValue>) -> Result<TransactWriteItem> {
        self.put_if(item, "attribute_not_exists(pk)")
    }

    fn put_if(
        &self,
        item: HashMap<String, AttributeValue>,
        condition: &str,
    ) -> Result<TransactWriteItem> {
        Ok(TransactWriteItem::builder()
            .put(
                Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(item))
                    .condition_expression(condition)
                    .build()
                    .map_err(|e| Failure::permanent(anyhow!("{e}")))?,
            )
            .build())
    }

    fn put(&self, item: HashMap<String, AttributeValue>) -> Result<TransactWriteItem> {
        Ok(TransactWriteItem::builder()
            .put(
                Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(item))
                    .build()
                    .map_err(|e| Failure::permanent(anyhow!("{e}")))?,
            )
            .build())
    }
}

/// Whether a transaction was cancelled because item `index`'s condition failed.
fn condition_failed_at<R>(e: &SdkError<TransactWriteItemsError, R>, index: usize) -> bool {
    matches!(
        e.as_service_error(),
        Some(TransactWriteItemsError::TransactionCanceledException(tc))
            if tc.cancellation_reasons().get(index).and_then(|r| r.code())
                == Some("ConditionalCheckFailed")
    )
}

/// A conditional write's outcome: `true` if it happened, `false` if its condition did not
/// hold, an error otherwise.
fn written<O, E, R>(op: &str, result: std::result::Result<O, SdkError<E, R>>) -> Result<bool>
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    match result {
        Ok(_) => Ok(true),
        Err(e) if is_condition_failure(&e) => Ok(false),
        Err(e) => Err(sdk_err(op, e)),
    }
}

fn is_condition_failure<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> bool {
    e.as_service_error()
        .and_then(ProvideErrorMetadata::code)
        .is_some_and(|c| c == "ConditionalCheckFailedException")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turn_keys_sort_by_time_then_update_then_role() {
        let a = turn_sk(1_700_000_000_000, UpdateId(9), "0");
        let b = turn_sk(1_700_000_000_000, UpdateId(9), "1");
        let c = turn_sk(1_700_000_000_000, UpdateId(10), "0");
        let d = turn_sk(1_700_000_000_001, UpdateId(1), "0");
        let mut keys = vec![d.clone(), c.clone(), b.clone(), a.clone()];
        keys.sort();
        assert_eq!(keys, vec![a, b, c, d]);
    }
}
