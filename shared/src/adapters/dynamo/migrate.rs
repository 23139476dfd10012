//! A group that became a supergroup: its items move to the new chat id.
//!
//! Everything under the group's conversation partition is copied (turns, notes, the
//! current and closed conversations, the provider conversation's id), and the group's
//! profile (persona, settings) unless the supergroup already has one of its own. Copies
//! are plain puts of the same items, so a move cut short is simply done again; a marker
//! on the old chat says it is finished.

use anyhow::anyhow;
use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};

use super::items::{Item, MigratedItem, value};
use super::keys::{self, Key};
use super::{DynamoStore, is_condition_failure, sdk_err};
use crate::adapters::now_ms;
use crate::domain::{ChatId, UserId};
use crate::error::{Failure, Result};
use crate::ports::ChatMigrationStore;

/// Sort keys of the items that belong to a moment, not to the conversation: they are not
/// carried over.
fn not_moved(chat: ChatId) -> [String; 4] {
    [
        keys::stop_request(chat).sk,
        // Written by versions before 2026-12 while a reply streamed.
        "GENERATING".to_owned(),
        keys::fragments(chat).sk,
        keys::migrated(chat).sk,
    ]
}

/// `item` under partition `pk`. Items are copied whole, whatever their kind: reading them
/// into their structs and back would drop any attribute a struct does not name.
fn moved_to(mut item: Item, pk: String) -> Result<Item> {
    item.insert("pk".into(), value(pk)?);
    Ok(item)
}

impl DynamoStore {
    /// Writes `items`, retrying the ones DynamoDB hands back unprocessed (throttling).
    async fn put_all(&self, items: Vec<Item>) -> Result<()> {
        let requests = items
            .into_iter()
            .map(|item| {
                PutRequest::builder()
                    .set_item(Some(item))
                    .build()
                    .map(|put| WriteRequest::builder().put_request(put).build())
                    .map_err(|e| Failure::permanent(anyhow!("{e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        self.write_requests(requests).await
    }

    async fn move_profile(&self, from: ChatId, to: ChatId) -> Result<()> {
        let from_profile = keys::profile(UserId::new(from.get()));
        let Some(profile) = self.get_item(from_profile, true).await? else {
            return Ok(());
        };
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(moved_to(
                profile,
                keys::user_pk(UserId::new(to.get())),
            )?))
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
        if self.get_item(keys::migrated(from), true).await?.is_some() {
            return Ok(());
        }
        self.move_profile(from, to).await?;
        let not_moved = not_moved(from);
        let mut start = None;
        let mut moved = 0usize;
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("pk = :pk")
                .expression_attribute_values(":pk", value(keys::chat_pk(from))?)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(|e| sdk_err("Query", e))?;
            let items: Vec<Item> = out
                .items
                .unwrap_or_default()
                .into_iter()
                .filter(|item| {
                    let sk = item.get("sk").and_then(|sk| sk.as_s().ok());
                    !sk.is_some_and(|sk| not_moved.contains(sk))
                })
                .map(|item| moved_to(item, keys::chat_pk(to)))
                .collect::<Result<_>>()?;
            moved += items.len();
            self.put_all(items).await?;
            start = out.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
        let Key { pk, sk } = keys::migrated(from);
        self.write(&MigratedItem {
            pk,
            sk,
            to: to.get(),
            at: now_ms(),
        })
        .await?;
        tracing::info!(%from, %to, items = moved, "group moved to its supergroup");
        Ok(())
    }
}
