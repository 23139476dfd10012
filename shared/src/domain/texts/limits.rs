//! What the bot says about fair limits: the rate limit, and `/usage` with the limits that
//! apply and what is left of them.

use crate::domain::budget::{Limits, Period};
use crate::domain::l10n::tr;
use crate::domain::usage::format_usd;
use crate::domain::{Lang, Totals};

/// Once per minute to someone writing faster than `limit` messages a minute.
pub fn too_fast(lang: Lang, limit: u32, wait_secs: u32) -> String {
    tr(
        lang,
        "limits-too-fast",
        &[("limit", limit.into()), ("seconds", wait_secs.into())],
    )
}

/// What `/usage` shows, today, this month and all time, then each limit that applies
/// (with what is left) and credits; a user without limits or credits sees usage only.
pub struct UsageView<'a> {
    /// Today, this month, all time.
    pub totals: &'a [Totals; 3],
    /// `None` when no limit applies to the user (none set, or an admin).
    pub limits: Option<&'a Limits>,
    /// Tokens granted beyond the limits (`/grant`).
    pub credits: i64,
}

/// The answer to `/usage`.
pub fn usage(lang: Lang, view: &UsageView<'_>) -> String {
    let [today, month, total] = view.totals;
    let mut lines: Vec<String> = [("today", today), ("month", month), ("total", total)]
        .into_iter()
        .map(|(period, t)| usage_line(lang, period, t))
        .collect();
    if today.estimated_tokens > 0 || total.estimated_tokens > 0 {
        let tokens = total.estimated_tokens.max(today.estimated_tokens);
        lines.push(tr(
            lang,
            "limits-usage-estimated",
            &[("tokens", tokens.into())],
        ));
    }
    if let Some(limits) = view.limits {
        let periods = [(Period::Day, today), (Period::Month, month)];
        let mut any = false;
        for (period, used) in periods {
            let (tokens, cost) = match period {
                Period::Day => (limits.daily_tokens, limits.daily_cost_micros),
                Period::Month => (limits.monthly_tokens, limits.monthly_cost_micros),
            };
            if let Some(limit) = tokens {
                any = true;
                let spent = used.prompt_tokens + used.completion_tokens;
                lines.push(left_tokens(
                    lang,
                    period,
                    limit,
                    limit.saturating_sub(spent),
                ));
            }
            if let Some(limit) = cost {
                any = true;
                let left = limit.saturating_sub(used.cost_micros);
                lines.push(left_cost(lang, period, limit, left));
            }
        }
        if any {
            lines.push(tr(lang, "limits-resets", &[]));
        }
    }
    if view.credits != 0 {
        lines.push(tr(
            lang,
            "limits-credits",
            &[("credits", view.credits.into())],
        ));
    }
    lines.join("\n")
}

fn usage_line(lang: Lang, period: &'static str, t: &Totals) -> String {
    tr(
        lang,
        "limits-usage-line",
        &[
            ("period", period.into()),
            ("messages", t.messages.into()),
            ("tokens", (t.prompt_tokens + t.completion_tokens).into()),
            ("cost", format_usd(t.cost_micros).into()),
        ],
    )
}

fn period_name(period: Period) -> &'static str {
    match period {
        Period::Day => "day",
        Period::Month => "month",
    }
}

fn left_tokens(lang: Lang, period: Period, limit: u64, left: u64) -> String {
    tr(
        lang,
        "limits-left-tokens",
        &[
            ("period", period_name(period).into()),
            ("limit", limit.into()),
            ("left", left.into()),
        ],
    )
}

fn left_cost(lang: Lang, period: Period, limit: u64, left: u64) -> String {
    tr(
        lang,
        "limits-left-cost",
        &[
            ("period", period_name(period).into()),
            ("limit", format_usd(limit).into()),
            ("left", format_usd(left).into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(messages: u64, tokens: u64, cost: u64) -> Totals {
        Totals {
            messages,
            prompt_tokens: tokens,
            completion_tokens: 0,
            cost_micros: cost,
            estimated_tokens: 0,
        }
    }

    #[test]
    fn a_user_without_limits_sees_usage_only() {
        let totals = [t(1, 30, 7), t(1, 30, 7), t(0, 0, 0)];
        let view = UsageView {
            totals: &totals,
            limits: None,
            credits: 0,
        };
        assert_eq!(
            usage(Lang::En, &view),
            "Today: 1 message, 30 tokens, <$0.0001\nThis month: 1 message, 30 tokens, <$0.0001\nAll time: 0 messages, 0 tokens, $0"
        );
    }

    #[test]
    fn each_limit_that_applies_shows_what_is_left_and_credits_follow() {
        let totals = [t(2, 250, 1_200), t(9, 900, 30_000), t(9, 900, 30_000)];
        let limits = Limits {
            daily_tokens: Some(300),
            monthly_tokens: None,
            daily_cost_micros: None,
            monthly_cost_micros: Some(20_000),
        };
        let view = UsageView {
            totals: &totals,
            limits: Some(&limits),
            credits: 500,
        };
        let text = usage(Lang::En, &view);
        let tail: Vec<&str> = text.lines().skip(3).collect();
        assert_eq!(
            tail,
            [
                "Limit today: 300 tokens, 50 left",
                "Spending limit this month: $0.02, $0 left",
                "Daily limits start again at 00:00 UTC, monthly ones on the 1st.",
                "Credits: 500 tokens (used once a limit is reached)",
            ]
        );
        let ru = usage(Lang::Ru, &view);
        assert!(ru.starts_with("Сегодня: 2 сообщения, 250 токенов"), "{ru}");
    }

    #[test]
    fn too_fast_says_the_limit_and_the_wait() {
        assert_eq!(
            too_fast(Lang::En, 20, 1),
            "You're writing faster than I can answer: at most 20 messages a minute. I'll skip the ones over that; write again in 1 second."
        );
    }
}
