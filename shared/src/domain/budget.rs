//! Per-user limits, and the credits that extend them.

use super::Totals;

mod hold;
pub use hold::*;

const DAY_MS: i64 = 86_400_000;

/// Limits per user; `None` means unlimited. Tokens are prompt + completion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// `DAILY_TOKEN_LIMIT`: tokens a user may spend per UTC day.
    pub daily_tokens: Option<u64>,
    /// `MONTHLY_TOKEN_LIMIT`: tokens a user may spend per calendar month (UTC).
    pub monthly_tokens: Option<u64>,
    /// `DAILY_COST_LIMIT_USD` in millionths of a dollar, as priced by the `PriceTable`.
    pub daily_cost_micros: Option<u64>,
    /// `MONTHLY_COST_LIMIT_USD` in millionths of a dollar, as priced by the `PriceTable`.
    pub monthly_cost_micros: Option<u64>,
}

impl Limits {
    /// No limit set at all: the processor need not read the user's totals.
    pub fn is_unlimited(&self) -> bool {
        *self == Self::default()
    }
}

/// Which limit a user reached, so the notice can say which and when it resets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// A UTC day; it resets at 00:00 UTC.
    Day,
    /// A calendar month (UTC); it resets on the 1st at 00:00 UTC.
    Month,
}

/// What [`check`] decides for one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Under every limit: answer.
    Allowed,
    /// Over a limit, but the user has credits: answer, and spend them.
    FromCredits,
    /// Over a limit with no credits: say so, and call no model.
    Exceeded {
        /// The limit that stops the user; the monthly one when both do, as it lasts longer.
        period: Period,
        /// When the user may write again (Unix ms, 00:00 UTC), told in the notice.
        resets_at_ms: i64,
    },
}

/// Decides whether a user may send another message, from what they have used so far.
pub fn check(
    limits: &Limits,
    today: &Totals,
    month: &Totals,
    credits: i64,
    now_ms: i64,
) -> Verdict {
    let tokens = |t: &Totals| t.prompt_tokens + t.completion_tokens;
    let over = |used: u64, limit: Option<u64>| limit.is_some_and(|l| used >= l);
    let daily = over(tokens(today), limits.daily_tokens)
        || over(today.cost_micros, limits.daily_cost_micros);
    let monthly = over(tokens(month), limits.monthly_tokens)
        || over(month.cost_micros, limits.monthly_cost_micros);
    if !daily && !monthly {
        return Verdict::Allowed;
    }
    if credits > 0 {
        return Verdict::FromCredits;
    }
    // The month's limit outlasts the day's, so that is the reset worth telling.
    if monthly {
        Verdict::Exceeded {
            period: Period::Month,
            resets_at_ms: next_month_start(now_ms),
        }
    } else {
        Verdict::Exceeded {
            period: Period::Day,
            resets_at_ms: next_day_start(now_ms),
        }
    }
}

/// The next 00:00 UTC after `now_ms`: when a daily limit resets.
pub fn next_day_start(now_ms: i64) -> i64 {
    (now_ms.div_euclid(DAY_MS) + 1) * DAY_MS
}

/// The 1st of the next month at 00:00 UTC: when a monthly limit resets.
pub fn next_month_start(now_ms: i64) -> i64 {
    // Step day by day to the 1st: at most 31 steps, and no calendar tables.
    let mut day = next_day_start(now_ms);
    while !super::usage::day_key(day).ends_with("-01") {
        day += DAY_MS;
    }
    day
}

/// Parses `/grant <user_id> <amount>` (amount in tokens, may be negative to take back); the
/// error is what to tell the admin, in `lang`.
pub fn parse_grant(args: &str, lang: super::Lang) -> Result<(i64, i64), String> {
    let mut parts = args.split_whitespace();
    let (Some(user), Some(amount), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(super::texts::grant_usage(lang));
    };
    let user = user
        .parse::<i64>()
        .ok()
        .filter(|u| *u > 0)
        .ok_or_else(|| super::texts::grant_bad_user(lang, user))?;
    let amount = amount
        .replace('_', "")
        .parse::<i64>()
        .ok()
        .filter(|a| *a != 0 && a.unsigned_abs() <= 1_000_000_000)
        .ok_or_else(|| super::texts::grant_bad_amount(lang, amount))?;
    Ok((user, amount))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(tokens: u64, cost: u64) -> Totals {
        Totals {
            messages: 1,
            prompt_tokens: tokens,
            completion_tokens: 0,
            cost_micros: cost,
            estimated_tokens: 0,
        }
    }

    // 2026-11-22 10:00 UTC
    const NOW: i64 = 1_795_341_600_000;
    const TOMORROW: i64 = 1_795_392_000_000; // 2026-11-23 00:00
    const DECEMBER: i64 = 1_796_083_200_000; // 2026-12-01 00:00

    #[test]
    fn verdict_table() {
        let limits = Limits {
            daily_tokens: Some(1000),
            monthly_tokens: Some(10_000),
            daily_cost_micros: Some(50_000),
            monthly_cost_micros: None,
        };
        let cases = [
            (t(999, 0), t(999, 0), 0, Verdict::Allowed),
            (
                t(1000, 0),
                t(1000, 0),
                0,
                Verdict::Exceeded {
                    period: Period::Day,
                    resets_at_ms: TOMORROW,
                },
            ),
            (
                t(10, 50_000),
                t(10, 50_000),
                0,
                Verdict::Exceeded {
                    period: Period::Day,
                    resets_at_ms: TOMORROW,
                },
            ),
            (
                t(10, 0),
                t(10_000, 0),
                0,
                Verdict::Exceeded {
                    period: Period::Month,
                    resets_at_ms: DECEMBER,
                },
            ),
            (
                t(5000, 0),
                t(10_000, 0),
                0,
                Verdict::Exceeded {
                    period: Period::Month,
                    resets_at_ms: DECEMBER,
                },
            ),
            (t(5000, 0), t(10_000, 0), 1, Verdict::FromCredits),
            (
                t(1000, 0),
                t(1000, 0),
                -5,
                Verdict::Exceeded {
                    period: Period::Day,
                    resets_at_ms: TOMORROW,
                },
            ),
        ];
        for (today, month, credits, want) in cases {
            assert_eq!(
                check(&limits, &today, &month, credits, NOW),
                want,
                "{today:?} {month:?} {credits}"
            );
        }
        assert_eq!(
            check(
                &Limits::default(),
                &t(u64::MAX / 2, u64::MAX / 2),
                &t(0, 0),
                0,
                NOW
            ),
            Verdict::Allowed
        );
    }

    #[test]
    fn resets_at_the_next_utc_day_and_month() {
        assert_eq!(next_day_start(NOW), TOMORROW);
        assert_eq!(next_month_start(NOW), DECEMBER);
        // From the last day of a month, and across a year.
        assert_eq!(
            super::super::usage::day_key(next_month_start(1_798_718_400_000)),
            "2027-01-01"
        );
    }

    #[test]
    fn grant_args_table() {
        assert_eq!(
            parse_grant("42 5000", super::super::Lang::En),
            Ok((42, 5000))
        );
        assert_eq!(
            parse_grant(" 42   -1_000 ", super::super::Lang::En),
            Ok((42, -1000))
        );
        for bad in ["", "42", "x 5", "42 0", "42 five", "42 1 2", "-3 10"] {
            assert!(
                parse_grant(bad, super::super::Lang::En)
                    .unwrap_err()
                    .contains("/grant"),
                "{bad}"
            );
        }
    }
}
