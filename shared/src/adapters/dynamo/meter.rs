//! A user's usage meter (`USER#<id>` / `METER`): what a message adds to it inside the
//! exchange's transaction, and what it says to budgets and `/usage`.
//!
//! One item holds all time, one day and one month. A message on the day (and month) the
//! meter already counts adds to them; the first message of a new day starts the day's
//! fields again. Which of the two a write is depends on what the meter held when it was
//! read, so the write is conditional on exactly that: a meter another message moved on
//! meanwhile refuses it, and the caller reads the meter again.

use aws_sdk_dynamodb::types::builders::UpdateBuilder;

use super::items::MeterItem;
use super::usage::Delta;
#[allow(clippy::wildcard_imports)]
use super::*;
use crate::domain::usage::{day_key, month_key};

/// A user's counted quantities, as the meter names them (after `day_`, `month_` or
/// nothing). The bot's shards count `users` and `conversations` too.
const USER_FIELDS: [&str; 5] = [
    "messages",
    "prompt_tokens",
    "completion_tokens",
    "cost_micros",
    "estimated_tokens",
];

/// What `delta` adds to a user's meter: the user's own quantities.
pub(super) fn user_gains(delta: &Delta) -> Vec<(&'static str, u64)> {
    delta
        .fields()
        .into_iter()
        .filter(|(field, _)| USER_FIELDS.contains(field))
        .collect()
}

/// What `delta` adds to a shard of the bot's meter: everything.
pub(super) fn bot_gains(delta: &Delta) -> Vec<(&'static str, u64)> {
    delta.fields().to_vec()
}

/// What the meter held when read, as far as a write depends on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Base {
    /// It exists; its day and month are the message's, or older.
    Existing { same_day: bool, same_month: bool },
    /// It does not exist yet: it starts from what older versions counted (today, this
    /// month, all time), zero for a new user.
    Fresh([Totals; 3]),
}

impl Base {
    /// The base a message at `at_ms` writes on, given the meter read.
    pub(super) fn of(meter: &MeterItem, at_ms: i64) -> Self {
        Base::Existing {
            same_day: meter.day == day_key(at_ms),
            same_month: meter.month == month_key(at_ms),
        }
    }
}

/// What older versions counted of `field`, in `t`.
fn seed_of(t: &Totals, field: &str) -> u64 {
    match field {
        "messages" => t.messages,
        "prompt_tokens" => t.prompt_tokens,
        "completion_tokens" => t.completion_tokens,
        "cost_micros" => t.cost_micros,
        "estimated_tokens" => t.estimated_tokens,
        _ => 0,
    }
}

/// The update that adds `gains` (a message at `at_ms`) to a meter, on `base`.
pub(super) fn meter_update(
    gains: &[(&'static str, u64)],
    at_ms: i64,
    base: &Base,
) -> Result<UpdateBuilder> {
    // `day` and `month` are DynamoDB reserved words: every name goes through a placeholder.
    let mut update = Update::builder()
        .expression_attribute_names("#day", "day")
        .expression_attribute_names("#month", "month")
        .expression_attribute_values(":today", value(day_key(at_ms))?)
        .expression_attribute_values(":this_month", value(month_key(at_ms))?);
    let mut set = vec![
        "#day = :today".to_owned(),
        "#month = :this_month".to_owned(),
    ];
    let mut add = Vec::new();
    let (running, condition) = match base {
        Base::Fresh(_) => ([false; 3], "attribute_not_exists(pk)".to_owned()),
        Base::Existing {
            same_day,
            same_month,
        } => {
            let day = if *same_day { "=" } else { "<" };
            let month = if *same_month { "=" } else { "<" };
            (
                [true, *same_day, *same_month],
                format!(
                    "attribute_exists(pk) AND #day {day} :today AND #month {month} :this_month"
                ),
            )
        }
    };
    let seeds: [Totals; 3] = match base {
        Base::Fresh([day, month, all]) => [*all, *day, *month],
        Base::Existing { .. } => Default::default(),
    };
    for &(field, gain) in gains {
        for (period, prefix) in ["", "day_", "month_"].into_iter().enumerate() {
            if running[period] && gain == 0 {
                continue;
            }
            let name = format!("{prefix}{field}");
            // A period that goes on is added to; a new one starts from this message (and
            // a new meter from what older versions counted).
            if running[period] {
                add.push(format!("#{name} :{name}"));
            } else {
                set.push(format!("#{name} = :{name}"));
            }
            let start = seed_of(&seeds[period], field);
            update = update
                .expression_attribute_names(format!("#{name}"), &name)
                .expression_attribute_values(format!(":{name}"), value(start + gain)?);
        }
    }
    let mut expression = format!("SET {}", set.join(", "));
    if !add.is_empty() {
        expression.push_str(&format!(" ADD {}", add.join(", ")));
    }
    Ok(update
        .update_expression(expression)
        .condition_expression(condition))
}

/// Today, this month and all time by the meter, as of `at_ms`: a period the meter has
/// moved past, or not reached, counts nothing.
pub(super) fn meter_totals(m: &MeterItem, at_ms: i64) -> [Totals; 3] {
    let totals = |q: [u64; 5]| Totals {
        messages: q[0],
        prompt_tokens: q[1],
        completion_tokens: q[2],
        cost_micros: q[3],
        estimated_tokens: q[4],
    };
    let day = if m.day == day_key(at_ms) {
        totals([
            m.day_messages,
            m.day_prompt_tokens,
            m.day_completion_tokens,
            m.day_cost_micros,
            m.day_estimated_tokens,
        ])
    } else {
        Totals::default()
    };
    let month = if m.month == month_key(at_ms) {
        totals([
            m.month_messages,
            m.month_prompt_tokens,
            m.month_completion_tokens,
            m.month_cost_micros,
            m.month_estimated_tokens,
        ])
    } else {
        Totals::default()
    };
    let all = totals([
        m.messages,
        m.prompt_tokens,
        m.completion_tokens,
        m.cost_micros,
        m.estimated_tokens,
    ]);
    [day, month, all]
}

impl DynamoStore {
    /// The user's meter, if it exists yet.
    pub(super) async fn meter(&self, user: UserId, consistent: bool) -> Result<Option<MeterItem>> {
        self.get(keys::meter(user), consistent).await
    }

    /// What a message of `user` at `at_ms` writes on: the meter as it is, or for a user
    /// without one, what older versions counted (a new user has nothing to read).
    pub(super) async fn meter_base(
        &self,
        user: UserId,
        new_user: bool,
        at_ms: i64,
        consistent: bool,
    ) -> Result<Base> {
        match self.meter(user, consistent).await? {
            Some(meter) => Ok(Base::of(&meter, at_ms)),
            None if new_user => Ok(Base::Fresh(Default::default())),
            None => Ok(Base::Fresh(
                Box::pin(self.counted_before_meter(user, at_ms)).await?,
            )),
        }
    }
}

#[cfg(test)]
mod tests;
