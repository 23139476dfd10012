//! The bot-wide counters behind `/stats`: a meter (all time and today) spread over
//! `keys::BOT_STATS_SHARDS` partitions, written outside the message's transaction.
//!
//! Every message used to add to `STATS/ALL` and `STATS/D#<day>` inside its transaction:
//! two transactional writes (4 WRU) to the same two items for every user, which real
//! DynamoDB answers with `TransactionConflict` long before Telegram's rate. Now a message
//! adds to its user's shard of the meter, one write, once its transaction has committed.
//! The counters are statistics: a function that dies between the two writes leaves one
//! message uncounted there (never counted twice: a redelivery finds the stored reply and
//! counts nothing), while the user's own meter, which budgets read, is in the transaction.

use super::items::{CounterItem, MeterItem};
use super::meter::{Base, bot_gains, meter_totals, meter_update};
use super::usage::Delta;
#[allow(clippy::wildcard_imports)]
use super::*;
use crate::domain::usage::day_key;

/// A shard's meter written on what it was read as, at most this many times: another
/// message moving it on between the read and the write is rare (a new day), twice rarer.
const ATTEMPTS: usize = 3;

impl DynamoStore {
    /// Adds `delta` to shard `shard` of the bot's meter. A failure is logged and counted,
    /// not returned: the message it counts was answered.
    pub(super) async fn count_for_bot(&self, shard: u64, delta: &Delta, at_ms: i64) {
        if let Err(e) = self.add_to_bot_meter(shard, delta, at_ms).await {
            tracing::warn!(error = %e, shard, "bot-wide counters not updated; /stats undercounts");
            crate::metrics::failed(&e);
        }
    }

    async fn add_to_bot_meter(&self, shard: u64, delta: &Delta, at_ms: i64) -> Result<()> {
        let key = keys::bot_meter(shard);
        // Nearly always the shard already counts today: write without reading first.
        let mut base = Base::Existing {
            same_day: true,
            same_month: true,
        };
        for _ in 0..ATTEMPTS {
            let update = meter_update(&bot_gains(delta), at_ms, &base)?;
            let result = self
                .client
                .update_item()
                .table_name(&self.table)
                .set_key(Some(key.clone().attributes()))
                .set_update_expression(update.get_update_expression().clone())
                .set_condition_expression(update.get_condition_expression().clone())
                .set_expression_attribute_names(update.get_expression_attribute_names().clone())
                .set_expression_attribute_values(update.get_expression_attribute_values().clone())
                .send()
                .await;
            if written("UpdateItem", result)? {
                return Ok(());
            }
            base = match self.get::<MeterItem>(key.clone(), true).await? {
                Some(meter) => Base::of(&meter, at_ms),
                None => Base::Fresh(Default::default()),
            };
        }
        Err(Failure::retryable(anyhow!(
            "bot meter shard {shard} kept changing"
        )))
    }

    /// Today's and all-time bot totals: every shard's meter, and the counters older
    /// versions wrote (sharded and not), in one BatchGetItem.
    pub(super) async fn bot_stats(&self, at_ms: i64) -> Result<[BotTotals; 2]> {
        let shards = 0..keys::BOT_STATS_SHARDS;
        let meters: Vec<Key> = shards.clone().map(keys::bot_meter).collect();
        let mut day_keys: Vec<Key> = shards
            .clone()
            .map(|s| keys::bot_day_counter(s, at_ms))
            .collect();
        day_keys.push(keys::legacy_bot_day_counter(at_ms));
        let mut total_keys: Vec<Key> = shards.map(keys::bot_total_counter).collect();
        total_keys.push(keys::legacy_bot_total_counter());
        let all: Vec<Key> = meters
            .iter()
            .chain(&day_keys)
            .chain(&total_keys)
            .cloned()
            .collect();
        let found = self.batch_items(&all, false).await?;
        let is_in = |item: &Item, wanted: &[Key]| {
            let (pk, sk) = (item.get("pk"), item.get("sk"));
            let (Some(pk), Some(sk)) = (
                pk.and_then(|v| v.as_s().ok()),
                sk.and_then(|v| v.as_s().ok()),
            ) else {
                return false;
            };
            wanted.iter().any(|k| &k.pk == pk && &k.sk == sk)
        };
        let mut sums = [BotTotals::default(), BotTotals::default()];
        for item in found {
            if is_in(&item, &meters) {
                let meter: MeterItem = from_item(item)?;
                let [day, all] = bot_meter_totals(&meter, at_ms);
                sums[0] = add(sums[0], &day);
                sums[1] = add(sums[1], &all);
            } else {
                let today = is_in(&item, &day_keys);
                let counter: CounterItem = from_item(item)?;
                let i = if today { 0 } else { 1 };
                sums[i] = add_counter(sums[i], &counter);
            }
        }
        Ok(sums)
    }
}

/// Today (if the shard's meter counts today) and all time, by one shard's meter.
fn bot_meter_totals(m: &MeterItem, at_ms: i64) -> [BotTotals; 2] {
    let [day, _, all] = meter_totals(m, at_ms);
    let today = m.day == day_key(at_ms);
    [
        BotTotals {
            users: if today { m.day_users } else { 0 },
            conversations: if today { m.day_conversations } else { 0 },
            usage: day,
        },
        BotTotals {
            users: m.users,
            conversations: m.conversations,
            usage: all,
        },
    ]
}

fn add(mut sum: BotTotals, t: &BotTotals) -> BotTotals {
    sum.users += t.users;
    sum.conversations += t.conversations;
    sum.usage.messages += t.usage.messages;
    sum.usage.prompt_tokens += t.usage.prompt_tokens;
    sum.usage.completion_tokens += t.usage.completion_tokens;
    sum.usage.cost_micros += t.usage.cost_micros;
    sum.usage.estimated_tokens += t.usage.estimated_tokens;
    sum
}

fn add_counter(sum: BotTotals, c: &CounterItem) -> BotTotals {
    let counted = BotTotals {
        users: c.users,
        conversations: c.conversations,
        usage: Totals {
            messages: c.messages,
            prompt_tokens: c.prompt_tokens,
            completion_tokens: c.completion_tokens,
            cost_micros: c.cost_micros,
            estimated_tokens: c.estimated_tokens,
        },
    };
    add(sum, &counted)
}
