//! `/forget`: every item about one user, deleted.
//!
//! Found without a scan: the user's partition (`USER#<id>`: profile, persona, settings,
//! style, samples, meter, counters, usage records, ledger, and whatever is added there
//! later), their private chat's partition (`CHAT#<id>`: turns, notes, titles, closed
//! conversations, the provider conversation's id, stop requests, held fragments), their
//! directory entry, and the style job's cursor when it names them. Each partition is read
//! whole (paged, keys only) and deleted with `BatchWriteItem`, unprocessed items retried.
//! What was found is written under the confirming update before anything is deleted, so
//! a redelivery after a crash reports it, and finds less to delete.

use std::collections::BTreeSet;
use std::time::Duration;

use anyhow::anyhow;
use aws_sdk_dynamodb::types::{DeleteRequest, WriteRequest};
use serde::{Deserialize, Serialize};

use super::items::{JobCursorItem, Record, ServerConversationItem, value};
use super::keys::{self, Key};
use super::{DAY, DynamoStore, from_item, sdk_err};
use crate::adapters::now_secs;
use crate::domain::privacy::Erased;
use crate::domain::{ChatId, UpdateId, UserId};
use crate::error::{Failure, Result};
use crate::ports::Eraser;

/// BatchWriteItem takes at most 25 requests.
const BATCH: usize = 25;
/// Unprocessed items (throttling) are sent again this many times before the job is
/// handed back to the queue, which retries it whole.
const ATTEMPTS: u32 = 5;
/// The job whose cursor may name a user (`keys::job_cursor`).
const STYLE_JOB: &str = "style-refresh";
/// Long enough for any redelivery of the confirming press.
const REPORT_TTL: i64 = 30 * DAY;

/// `UPD#<id>` / `FORGET`: counts only; it names nobody.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForgetReportItem {
    pub pk: String,
    pub sk: String,
    pub found: Erased,
    pub expires_at: i64,
}

impl Record for ForgetReportItem {
    const KIND: &'static str = "forget report";
}

/// What kind of thing the item at sort key `sk` of a private chat's partition is.
fn chat_kind(sk: &str, erased: &mut Erased) {
    if sk.starts_with(keys::TURN_PREFIX) {
        if sk.ends_with("#S") {
            erased.notes += 1;
        } else if sk.ends_with("#R") {
            erased.records += 1;
        } else {
            erased.messages += 1;
        }
    } else if sk == "CURRENT" || sk.starts_with(keys::CLOSED_CONVERSATION_PREFIX) {
        erased.conversations += 1;
    } else {
        erased.records += 1;
    }
}

/// What kind of thing the item at sort key `sk` of a user's partition is.
fn user_kind(sk: &str, erased: &mut Erased) {
    if sk.starts_with(keys::STYLE_SAMPLE_PREFIX) {
        erased.samples += 1;
    } else {
        erased.records += 1;
    }
}

impl DynamoStore {
    /// Sends `requests` in batches, again for what DynamoDB leaves unprocessed.
    pub(super) async fn write_requests(&self, requests: Vec<WriteRequest>) -> Result<()> {
        for chunk in requests.chunks(BATCH) {
            let mut pending = chunk.to_vec();
            for attempt in 0..ATTEMPTS {
                if pending.is_empty() {
                    break;
                }
                if attempt > 0 {
                    tokio::time::sleep(Duration::from_millis(50 << attempt)).await;
                }
                let out = self
                    .client
                    .batch_write_item()
                    .request_items(self.table.clone(), std::mem::take(&mut pending))
                    .send()
                    .await
                    .map_err(|e| sdk_err("BatchWriteItem", e))?;
                pending = out
                    .unprocessed_items
                    .and_then(|mut left| left.remove(&self.table))
                    .unwrap_or_default();
            }
            if !pending.is_empty() {
                return Err(Failure::retryable(anyhow!(
                    "DynamoDB left {} items unwritten",
                    pending.len()
                )));
            }
        }
        Ok(())
    }

    /// Deletes the items at `keys` (a key with no item is no error).
    pub(super) async fn delete_keys(&self, keys: Vec<Key>) -> Result<()> {
        let requests = keys
            .into_iter()
            .map(|key| {
                DeleteRequest::builder()
                    .set_key(Some(key.attributes()))
                    .build()
                    .map(|delete| WriteRequest::builder().delete_request(delete).build())
                    .map_err(|e| Failure::permanent(anyhow!("{e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        self.write_requests(requests).await
    }

    /// Every key in partition `pk`, paged (keys only: the items' size does not matter).
    async fn partition_keys(&self, pk: &str) -> Result<Vec<Key>> {
        let mut found = Vec::new();
        let mut start = None;
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("pk = :pk")
                .expression_attribute_values(":pk", value(pk)?)
                .projection_expression("pk, sk")
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(|e| sdk_err("Query", e))?;
            for item in out.items.unwrap_or_default() {
                found.push(from_item::<Key>(item)?);
            }
            start = out.last_evaluated_key;
            if start.is_none() {
                return Ok(found);
            }
        }
    }

    /// The user's keys outside their two partitions: the directory entry, and the style
    /// job's cursor if it stopped at them.
    async fn loose_keys(&self, user: UserId) -> Result<Vec<Key>> {
        let mut found = Vec::new();
        let entry = keys::directory_entry(user);
        if self.get_item(entry.clone(), true).await?.is_some() {
            found.push(entry);
        }
        let cursor: Option<JobCursorItem> = self.get(keys::job_cursor(STYLE_JOB), true).await?;
        if cursor.and_then(|c| c.cursor).as_deref() == Some(keys::user_pk(user).as_str()) {
            // The next run starts from the beginning: a cursor naming a forgotten user
            // would outlive them.
            found.push(keys::job_cursor(STYLE_JOB));
        }
        Ok(found)
    }
}

impl Eraser for DynamoStore {
    async fn server_conversations_of(&self, user: UserId) -> Result<Vec<String>> {
        let chat = ChatId::new(user.get());
        let Some(item) = self.get_item(keys::server_conversation(chat), true).await? else {
            return Ok(Vec::new());
        };
        // `ids` holds every id set since it was added; `conversation_id` alone, an item
        // written before.
        let mut ids: BTreeSet<String> = item
            .get("ids")
            .and_then(|v| v.as_ss().ok())
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        ids.extend(from_item::<ServerConversationItem>(item)?.conversation_id);
        Ok(ids.into_iter().collect())
    }

    async fn erase_user(&self, user: UserId, update: UpdateId) -> Result<Erased> {
        let report_key = keys::forget_report(update);
        let earlier: Option<ForgetReportItem> = self.get(report_key.clone(), true).await?;
        let chat_keys = self
            .partition_keys(&keys::chat_pk(ChatId::new(user.get())))
            .await?;
        let user_keys = self.partition_keys(&keys::user_pk(user)).await?;
        let loose = self.loose_keys(user).await?;
        let mut found = Erased::default();
        chat_keys.iter().for_each(|k| chat_kind(&k.sk, &mut found));
        user_keys.iter().for_each(|k| user_kind(&k.sk, &mut found));
        found.records += loose.len() as u64;
        let found = match earlier {
            Some(report) => report.found,
            None => {
                let Key { pk, sk } = report_key;
                self.write(&ForgetReportItem {
                    pk,
                    sk,
                    found,
                    expires_at: now_secs() + REPORT_TTL,
                })
                .await?;
                found
            }
        };
        let all: Vec<Key> = chat_keys
            .into_iter()
            .chain(user_keys)
            .chain(loose)
            .collect();
        tracing::info!(%user, %update, items = all.len(), "erasing a user's items");
        self.delete_keys(all).await?;
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_counted_by_kind() {
        let mut e = Erased::default();
        for sk in [
            "T#1700000000000#00000000000000000001#X",
            "T#1700000000000#00000000000000000001#0",
            "T#1700000000000#00000000000000000001#X#S",
            "T#1700000000000#00000000000000000002#R",
            "CURRENT",
            "CONV#1700000000000#2",
            "OPENAI_CONVERSATION",
            "STOP",
        ] {
            chat_kind(sk, &mut e);
        }
        for sk in ["PROFILE", "METER", "MSG#1700000000000#3", "LEDGER#1#2"] {
            user_kind(sk, &mut e);
        }
        assert_eq!(
            e,
            Erased {
                messages: 2,
                notes: 1,
                conversations: 2,
                samples: 1,
                records: 6,
                server_conversations: 0,
            }
        );
    }
}
