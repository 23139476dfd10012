//! Reservations: before a model call, the most it can cost is held against the user's
//! limits, so concurrent messages (from several chats at once) cannot together overshoot
//! a cap; the exchange's transaction then replaces the hold with what the call really cost.

use super::{Limits, Period, next_day_start, next_month_start};
use crate::domain::Totals;
use crate::domain::usage::Price;

/// How long a hold counts: longer than any processor run (15 minutes at most), so a
/// function that died holding it blocks nothing for long.
pub const HOLD_MS: i64 = 16 * 60 * 1000;

/// The shortest reply worth asking for: below this much room, the limit counts as reached.
pub const MIN_REPLY_TOKENS: u32 = 16;

/// The most one call may still cost, held until its exchange is recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hold {
    /// The update whose call it is for: its exchange settles it.
    pub update: u64,
    /// Prompt estimate plus the reply's `max_tokens`.
    pub tokens: u64,
    /// What those tokens cost at most, plus what the message cost already (transcription).
    pub cost_micros: u64,
    /// After this (Unix ms) it no longer counts: a crash left it behind.
    pub until_ms: i64,
}

/// A user's meter as budgets read it: what was used, what is held, and the version a
/// new hold is conditional on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Budget {
    /// Today, this month and all time.
    pub totals: [Totals; 3],
    /// Holds as stored, expired ones included (the next hold drops them).
    pub holds: Vec<Hold>,
    /// Bumped by every hold and settlement: a hold written on an older version is refused.
    pub version: u64,
    /// The meter exists (else `totals` are what older versions counted).
    pub metered: bool,
}

impl Budget {
    /// The holds that still count at `now_ms`.
    pub fn live(&self, now_ms: i64) -> impl Iterator<Item = &Hold> {
        self.holds.iter().filter(move |h| h.until_ms > now_ms)
    }
}

/// What one call asks to hold.
#[derive(Clone, Copy, Debug)]
pub struct Ask {
    /// The update the call answers.
    pub update: u64,
    /// The prompt's estimate, with a margin.
    pub prompt_tokens: u32,
    /// The longest reply configured (`MAX_REPLY_TOKENS`).
    pub reply_tokens: u32,
    /// The model's price; `None`: unpriced, its tokens cost nothing.
    pub price: Option<Price>,
    /// Cost already incurred for this message (a voice note's transcription).
    pub spent_micros: u64,
}

/// What [`reserve`] decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reservation {
    /// Hold this, and ask for a reply of at most `max_tokens`.
    Hold {
        /// What to hold.
        hold: Hold,
        /// The reply's limit for the call.
        max_tokens: u32,
    },
    /// No room, but credits pay: answer without a hold.
    FromCredits,
    /// No room and no credits: say so.
    Exceeded {
        /// The limit that stops the user; the monthly one when both do.
        period: Period,
        /// When it resets (Unix ms).
        resets_at_ms: i64,
    },
}

/// Room left in one period, in reply tokens; `None` when no limit of that period applies.
fn room(
    used: &Totals,
    held: (u64, u64),
    tokens_limit: Option<u64>,
    cost_limit: Option<u64>,
    ask: &Ask,
) -> Option<i64> {
    let prompt = i64::from(ask.prompt_tokens);
    let by_tokens = tokens_limit.map(|limit| {
        limit as i64 - (used.prompt_tokens + used.completion_tokens + held.0) as i64 - prompt
    });
    let by_cost = cost_limit.map(|limit| {
        let left = limit as i64 - (used.cost_micros + held.1 + ask.spent_micros) as i64;
        match ask.price {
            Some(p) if p.output_per_million > 0.0 => {
                let left = left as f64 - f64::from(ask.prompt_tokens) * p.input_per_million;
                (left / p.output_per_million).floor() as i64
            }
            // An unpriced model's tokens cost nothing: only what was spent can stop it.
            _ if left >= 0 => i64::MAX,
            _ => -1,
        }
    });
    match (by_tokens, by_cost) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Decides what to hold for one call, from the meter as read at `now_ms`.
pub fn reserve(
    limits: &Limits,
    budget: &Budget,
    credits: i64,
    now_ms: i64,
    ask: Ask,
) -> Reservation {
    let held = budget
        .live(now_ms)
        .fold((0, 0), |(t, c), h| (t + h.tokens, c + h.cost_micros));
    let [today, month, _] = &budget.totals;
    let day = room(
        today,
        held,
        limits.daily_tokens,
        limits.daily_cost_micros,
        &ask,
    );
    let month = room(
        month,
        held,
        limits.monthly_tokens,
        limits.monthly_cost_micros,
        &ask,
    );
    let fits = |r: Option<i64>| r.is_none_or(|r| r >= i64::from(MIN_REPLY_TOKENS));
    if !fits(day) || !fits(month) {
        if credits > 0 {
            return Reservation::FromCredits;
        }
        // The month's limit outlasts the day's, so that is the reset worth telling.
        return if fits(month) {
            Reservation::Exceeded {
                period: Period::Day,
                resets_at_ms: next_day_start(now_ms),
            }
        } else {
            Reservation::Exceeded {
                period: Period::Month,
                resets_at_ms: next_month_start(now_ms),
            }
        };
    }
    let room = [day, month].into_iter().flatten().min().unwrap_or(i64::MAX);
    let max_tokens = room.min(i64::from(ask.reply_tokens)) as u32;
    let tokens = u64::from(ask.prompt_tokens) + u64::from(max_tokens);
    let cost = ask.price.map_or(0.0, |p| {
        f64::from(ask.prompt_tokens) * p.input_per_million
            + f64::from(max_tokens) * p.output_per_million
    });
    Reservation::Hold {
        hold: Hold {
            update: ask.update,
            tokens,
            cost_micros: cost.ceil() as u64 + ask.spent_micros,
            until_ms: now_ms + HOLD_MS,
        },
        max_tokens,
    }
}

#[cfg(test)]
mod tests;
