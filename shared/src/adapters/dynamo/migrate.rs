//! A group that became a supergroup: its items move to the new chat id.
//!
//! Everything under the group's conversation partition is copied (turns, notes, the
//! current and closed conversations, the provider conversation's id), and the group's
//! profile (persona, settings) unless the supergroup already has one of its own. Copies
//! are plain puts of the same items, so a move cut short is simply done again; a marker
//! on the old chat says it is finished.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::anyhow;
use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};

use super::{DynamoStore, chat_pk, is_condition_failure, n, s, sdk_err, user_pk};
use crate::adapters::now_ms;
use crate::domain::{ChatId, UserId};
use crate::error::{Failure, Result};
use crate::ports::ChatMigrationStore;

/// Items that belong to a moment, not to the conversation: they are not carried over.
const NOT_MOVED: [&str; 3] = ["GENERATING", "FRAGMENTS", "MIGRATED"];

/// BatchWriteItem takes at most 25 items.
const BATCH: usize = 25;

impl DynamoStore {
    /// Writes `items`, retrying the ones DynamoDB hands back unprocessed (throttling).
    async fn put_all(&self, items: Vec<HashMap<String, AttributeValue>>) -> Result<()> {
        for chunk in items.chunks(BATCH) {
            let mut pending: Vec<WriteRequest> = chunk
                .iter()
                .map(|item| {
                    PutRequest::builder()
                        .set_item(Some(item.clone()))
                        .build()
                        .map(|put| WriteRequest::builder().put_request(put).build())
                        .map_err(|e| Failure::permanent(anyhow!("{e}")))
                })
                .collect::<Result<_>>()?;
            for attempt in 0..5u32 {
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

    async fn move_profile(&self, from: ChatId, to: ChatId) -> Result<()> {
        let Some(mut profile) = self.get(user_pk(UserId(from.0)), "PROFILE", true).await? else {
            return Ok(());
        };
        profile.insert("pk".into(), s(user_pk(UserId(to.0))));
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(profile))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        match put {
            Ok(_) => Ok(()),
            // The supergroup set its own persona or settings already: theirs stand.
            Err(e) if is_condition_failure(&e) => Ok(()),
            Err(e) => Err(sdk_err("PutItem", e)),
        }
    }
}

impl ChatMigrationStore for DynamoStore {
    async fn migrate_chat(&self, from: ChatId, to: ChatId) -> Result<()> {
        if self.get(chat_pk(from), "MIGRATED", true).await?.is_some() {
            return Ok(());
        }
        self.move_profile(from, to).await?;
        let mut start = None;
        let mut moved = 0usize;
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("pk = :pk")
                .expression_attribute_values(":pk", s(chat_pk(from)))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(|e| sdk_err("Query", e))?;
            let items: Vec<_> = out
                .items
                .unwrap_or_default()
                .into_iter()
                .filter(|item| {
                    !matches!(item.get("sk"), Some(AttributeValue::S(sk)) if NOT_MOVED.contains(&sk.as_str()))
                })
                .map(|mut item| {
                    item.insert("pk".into(), s(chat_pk(to)));
                    item
                })
                .collect();
            moved += items.len();
            self.put_all(items).await?;
            start = out.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
        let mut marker = super::key(chat_pk(from), "MIGRATED");
        marker.insert("to".into(), n(to.0));
        marker.insert("at".into(), n(now_ms()));
        self.write(marker).await?;
        tracing::info!(%from, %to, items = moved, "group moved to its supergroup");
        Ok(())
    }
}
