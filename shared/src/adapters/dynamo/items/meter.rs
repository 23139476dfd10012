//! A user's usage meter.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Record;

/// `USER#<id>` / `METER`: everything a user's messages add up to, in one small item the
/// message's transaction updates: all time, the UTC day `day` and the UTC month `month`.
/// It replaces the profile's totals and the per-day counter items (two transactional
/// writes, one of them of the profile, which a style profile makes large) with one write
/// of a few hundred bytes, and budgets read one item instead of a day and a month.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeterItem {
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
    #[serde(default)]
    pub estimated_tokens: u64,
    /// New users: on the bot's meter only, as are `conversations` and their `day_` kin.
    #[serde(default)]
    pub users: u64,
    #[serde(default)]
    pub conversations: u64,
    /// `YYYY-MM-DD`: the day the `day_` fields count.
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub day_messages: u64,
    #[serde(default)]
    pub day_prompt_tokens: u64,
    #[serde(default)]
    pub day_completion_tokens: u64,
    #[serde(default)]
    pub day_cost_micros: u64,
    #[serde(default)]
    pub day_estimated_tokens: u64,
    #[serde(default)]
    pub day_users: u64,
    #[serde(default)]
    pub day_conversations: u64,
    /// `YYYY-MM`: the month the `month_` fields count.
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub month_messages: u64,
    #[serde(default)]
    pub month_prompt_tokens: u64,
    #[serde(default)]
    pub month_completion_tokens: u64,
    #[serde(default)]
    pub month_cost_micros: u64,
    #[serde(default)]
    pub month_estimated_tokens: u64,
    /// Budget holds by update id: the most a call in progress may still cost. Only users a
    /// limit applies to have any.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub holds: BTreeMap<String, HoldItem>,
    /// Bumped by each hold and each settlement; a hold is conditional on it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hold_seq: u64,
}

/// One hold in `MeterItem::holds`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldItem {
    pub tokens: u64,
    pub cost_micros: u64,
    /// Unix ms after which it no longer counts.
    pub until: i64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

// The bot's meter is spread over shards (`STATS#<nn>` / `METER`), written the same way
// outside the transaction; it also counts users and conversations (and `month_users`,
// `month_conversations`, which nothing reads yet).

impl Record for MeterItem {
    const KIND: &'static str = "usage meter";
}
