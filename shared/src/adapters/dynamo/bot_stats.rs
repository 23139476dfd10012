//! The bot-wide counters behind `/stats`, spread over `keys::BOT_STATS_SHARDS` partitions
//! and written outside the message's transaction.
//!
//! Every message used to add to `STATS/ALL` and `STATS/D#<day>` inside its transaction:
//! two transactional writes (4 WRU) to the same two items for every user, which real
//! DynamoDB answers with `TransactionConflict` long before Telegram's rate. Now a message
//! adds to its user's shard once its transaction has committed. The counters are
//! statistics: a function that dies between the two writes leaves one message uncounted
//! there (never counted twice: a redelivery finds the stored reply and counts nothing),
//! while the user's own counters, which budgets read, stay in the transaction.

use super::items::CounterItem;
use super::usage::{Delta, counter_update};
#[allow(clippy::wildcard_imports)]
use super::*;

impl DynamoStore {
    /// Adds `delta` to shard `shard` of today's and all-time bot counters. A failure is
    /// logged and counted, not returned: the message it counts was answered.
    pub(super) async fn count_for_bot(&self, shard: u64, delta: &Delta, at_ms: i64) {
        let day = self.add_to(keys::bot_day_counter(shard, at_ms), delta, at_ms);
        let total = self.add_to(keys::bot_total_counter(shard), delta, at_ms);
        let (day, total) = futures::join!(day, total);
        if let Err(e) = day.and(total) {
            tracing::warn!(error = %e, shard, "bot-wide counters not updated; /stats undercounts");
            crate::metrics::failed(&e);
        }
    }

    async fn add_to(&self, key: Key, delta: &Delta, at_ms: i64) -> Result<()> {
        let update = counter_update(&key, delta, at_ms)?;
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key.attributes()))
            .set_update_expression(update.get_update_expression().clone())
            .set_expression_attribute_names(update.get_expression_attribute_names().clone())
            .set_expression_attribute_values(update.get_expression_attribute_values().clone())
            .send()
            .await
            .map_err(|e| sdk_err("UpdateItem", e))?;
        Ok(())
    }

    /// Today's and all-time bot totals: every shard, and the unsharded items older
    /// versions wrote, in one BatchGetItem.
    pub(super) async fn bot_stats(&self, at_ms: i64) -> Result<[BotTotals; 2]> {
        let mut day_keys: Vec<Key> = (0..keys::BOT_STATS_SHARDS)
            .map(|s| keys::bot_day_counter(s, at_ms))
            .collect();
        day_keys.push(keys::legacy_bot_day_counter(at_ms));
        let mut total_keys: Vec<Key> = (0..keys::BOT_STATS_SHARDS)
            .map(keys::bot_total_counter)
            .collect();
        total_keys.push(keys::legacy_bot_total_counter());
        let all: Vec<Key> = day_keys.iter().chain(&total_keys).cloned().collect();
        let found = self.batch_counters(&all).await?;
        let sum = |wanted: &[Key]| {
            found
                .iter()
                .filter(|c| wanted.iter().any(|k| k.pk == c.pk && k.sk == c.sk))
                .fold(BotTotals::default(), add_counter)
        };
        Ok([sum(&day_keys), sum(&total_keys)])
    }

    /// The counter items that exist among `wanted` (at most 100 keys).
    async fn batch_counters(&self, wanted: &[Key]) -> Result<Vec<CounterItem>> {
        let items = self.batch_items(wanted, false).await?;
        items.into_iter().map(from_item).collect()
    }
}

fn add_counter(mut sum: BotTotals, c: &CounterItem) -> BotTotals {
    sum.users += c.users;
    sum.conversations += c.conversations;
    sum.usage.messages += c.messages;
    sum.usage.prompt_tokens += c.prompt_tokens;
    sum.usage.completion_tokens += c.completion_tokens;
    sum.usage.cost_micros += c.cost_micros;
    sum.usage.estimated_tokens += c.estimated_tokens;
    sum
}
