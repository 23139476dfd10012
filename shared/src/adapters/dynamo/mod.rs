//! The single DynamoDB table. Key design and access patterns: `docs/dynamodb.md`.
//!
//! Every read is a GetItem or a Query on one partition; nothing scans.

use std::time::Duration;

use anyhow::anyhow;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes, Update};

mod bot_stats;
mod cache;
mod capability;
mod conversation;
mod credit;
mod delivery;
mod forget;
mod fragments;
mod gave_up;
mod generation;
mod holds;
mod items;
pub mod keys;
mod meter;
mod migrate;
mod persona;
mod shelf;
mod transaction;
mod update_log;
mod usage;
mod user;

pub use cache::DynamoCache;
#[allow(unused_imports)]
use usage::*;

use super::{now_ms, now_secs};
use crate::domain::{
    BotTotals, ChatId, ClosedConversation, ConvId, History, PersonaChoice, Role, SettingChange,
    Settings, StoredTurn, StyleProfile, Totals, Turn, UpdateId, UserId, UserProfile,
};
use crate::domain::{DeliveryId, IncomingMessage, Lang, Owner};
use crate::error::{Failure, Result};
use crate::ports::{
    Cache, CapabilityLog, Claim, ConversationIndex, CreditStore, DeliveryLog, Exchange,
    FragmentStore, GenerationLog, HeldFragments, HistoryStore, PersonaStore, ProfileStore,
    RateCounter, StoredReply, StyleStore, UpdateLog, UsageStore, UserDirectory,
};
use items::{Item, Record, from_item, to_item, value};
use keys::Key;
use transaction::{Committed, Transaction};

const DAY: i64 = 24 * 3600;
/// Telegram stops redelivering an update after about a day; keep the claim a little longer.
const UPDATE_CLAIM_TTL: i64 = 2 * DAY;
/// Long enough to cover SQS retention (4 days) plus a DLQ redrive (14 days).
const REPLY_TTL: i64 = 30 * DAY;
const DELIVERY_TTL: i64 = 30 * DAY;
/// Messages kept as style samples, and conversation turns.
const HISTORY_TTL: i64 = 180 * DAY;

/// Unix seconds of a Unix-ms instant: the unit of the table's TTL attribute.
fn secs(at_ms: i64) -> i64 {
    at_ms / 1000
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

/// The single DynamoDB table, serving every storage port.
#[derive(Clone, Debug)]
pub struct DynamoStore {
    client: Client,
    table: String,
}

impl DynamoStore {
    /// The store on `table`, through `client`.
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// The table's name.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// The SDK client, for what the ports do not cover (provisioning, tests).
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

    /// The item at `key`, if any: one GetItem.
    async fn get_item(&self, key: Key, consistent: bool) -> Result<Option<Item>> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key.attributes()))
            .consistent_read(consistent)
            .send()
            .await
            .map_err(|e| sdk_err("GetItem", e))?;
        Ok(out.item)
    }

    /// The record at `key`, if any: one GetItem.
    async fn get<T: Record>(&self, key: Key, consistent: bool) -> Result<Option<T>> {
        self.get_item(key, consistent)
            .await?
            .map(from_item)
            .transpose()
    }

    /// The items that exist among `wanted` (at most 100 keys), in any order: one
    /// BatchGetItem, repeated only for keys DynamoDB hands back unprocessed.
    async fn batch_items(&self, wanted: &[Key], consistent: bool) -> Result<Vec<Item>> {
        let keys: Vec<_> = wanted.iter().cloned().map(Key::attributes).collect();
        let mut request = Some(
            KeysAndAttributes::builder()
                .set_keys(Some(keys))
                .consistent_read(consistent)
                .build()
                .map_err(|e| Failure::permanent(anyhow!("{e}")))?,
        );
        let mut found = Vec::new();
        while let Some(keys) = request.take() {
            let out = self
                .client
                .batch_get_item()
                .request_items(&self.table, keys)
                .send()
                .await
                .map_err(|e| sdk_err("BatchGetItem", e))?;
            found.extend(
                out.responses
                    .unwrap_or_default()
                    .remove(&self.table)
                    .unwrap_or_default(),
            );
            request = out
                .unprocessed_keys
                .and_then(|mut u| u.remove(&self.table))
                .filter(|k| !k.keys.is_empty());
        }
        Ok(found)
    }

    /// Up to `limit` records of partition `pk` whose sort key starts with `prefix`, highest
    /// key (newest) first: one Query.
    async fn newest<T: Record>(&self, pk: String, prefix: &str, limit: usize) -> Result<Vec<T>> {
        let items = self.newest_items(pk, prefix, limit).await?;
        items.into_iter().map(from_item).collect()
    }

    /// `newest`, unread: for a caller that may stop before the oldest.
    async fn newest_items(&self, pk: String, prefix: &str, limit: usize) -> Result<Vec<Item>> {
        Ok(self.newest_page(pk, prefix, limit, None).await?.0)
    }

    /// One page of `newest_items`, from after `start` (the key a previous page ended
    /// at); with the key to go on from, if the partition may hold more.
    async fn newest_page(
        &self,
        pk: String,
        prefix: &str,
        limit: usize,
        start: Option<Item>,
    ) -> Result<(Vec<Item>, Option<Item>)> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
            .expression_attribute_values(":pk", value(pk)?)
            .expression_attribute_values(":prefix", value(prefix)?)
            .scan_index_forward(false)
            .limit(i32::try_from(limit).unwrap_or(i32::MAX))
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(|e| sdk_err("Query", e))?;
        Ok((out.items.unwrap_or_default(), out.last_evaluated_key))
    }

    /// An unconditional PutItem of `record`.
    async fn write<T: Record>(&self, record: &T) -> Result<()> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(record)?))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_err("PutItem", e))
    }

    /// A PutItem of `record` only if nothing is stored at its key: `false` if something was.
    async fn write_new<T: Record>(&self, record: &T) -> Result<bool> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(record)?))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        written("PutItem", result)
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
            .set_key(Some(keys::profile(user).attributes()))
            .update_expression(expression)
            .set_expression_attribute_values(Some(values))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_err("UpdateItem", e))
    }
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
