//! A user's usage meter.

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
}

// The bot's meter is spread over shards (`STATS#<nn>` / `METER`), written the same way
// outside the transaction; it also counts users and conversations (and `month_users`,
// `month_conversations`, which nothing reads yet).

impl Record for MeterItem {
    const KIND: &'static str = "usage meter";
}
