//! `/usage`, `/stats`, `/grant` and the limits: reports with counts and money.

use super::super::l10n::tr;
use super::super::usage::{day_key, format_usd};
use super::super::{BotTotals, Lang, budget::Period};

fn stats_args(t: &BotTotals) -> [super::super::l10n::Arg<'static>; 5] {
    [
        ("users", t.users.into()),
        ("conversations", t.conversations.into()),
        ("messages", t.usage.messages.into()),
        (
            "tokens",
            (t.usage.prompt_tokens + t.usage.completion_tokens).into(),
        ),
        ("cost", format_usd(t.usage.cost_micros).into()),
    ]
}

/// The answer to `/stats`: new and all users, conversations, tokens and cost.
pub fn stats_report(lang: Lang, today: &BotTotals, total: &BotTotals) -> String {
    format!(
        "{}\n{}",
        tr(lang, "stats-today", &stats_args(today)),
        tr(lang, "stats-total", &stats_args(total))
    )
}

/// When someone not in `ADMIN_USER_IDS` sends an admin command.
pub fn admins_only(lang: Lang) -> String {
    tr(lang, "admins-only", &[])
}

/// Instead of an answer when a limit is reached: which one, and the day it resets.
pub fn limit_reached(lang: Lang, period: Period, resets_at_ms: i64) -> String {
    let args = [("date", day_key(resets_at_ms).into())];
    match period {
        Period::Day => tr(lang, "limit-reached-day", &args),
        Period::Month => tr(lang, "limit-reached-month", &args),
    }
}

/// The answer to `/grant`: what changed, and the user's balance now.
pub fn granted(lang: Lang, user: i64, amount: i64, balance: i64) -> String {
    // Ids are written as they are, not as numbers a language would group with separators.
    let args = [
        ("user", user.to_string().into()),
        ("amount", amount.unsigned_abs().into()),
        ("balance", balance.into()),
    ];
    if amount >= 0 {
        tr(lang, "granted", &args)
    } else {
        tr(lang, "took-back", &args)
    }
}

/// How `/grant` is used.
pub fn grant_usage(lang: Lang) -> String {
    tr(lang, "grant-usage", &[])
}

/// `/grant` with something that is not a user id.
pub fn grant_bad_user(lang: Lang, given: &str) -> String {
    tr(
        lang,
        "grant-bad-user",
        &[("given", format!("{given:?}").into())],
    )
}

/// `/grant` with something that is not a token amount.
pub fn grant_bad_amount(lang: Lang, given: &str) -> String {
    tr(
        lang,
        "grant-bad-amount",
        &[("given", format!("{given:?}").into())],
    )
}

#[cfg(test)]
mod tests {
    use super::super::super::Totals;
    use super::*;

    #[test]
    fn reports_read_well() {
        let t = Totals {
            messages: 1,
            prompt_tokens: 20,
            completion_tokens: 10,
            cost_micros: 7,
            estimated_tokens: 0,
        };
        let b = BotTotals {
            users: 2,
            conversations: 3,
            usage: t,
        };
        assert_eq!(
            stats_report(Lang::En, &b, &b),
            "Today: 2 new users, 3 conversations, 1 message, 30 tokens, <$0.0001\nIn total: 2 users, 3 conversations, 1 message, 30 tokens, <$0.0001"
        );
    }

    #[test]
    fn counts_take_each_language_s_plural_forms() {
        let t = |messages| Totals {
            messages,
            ..Totals::default()
        };
        let first = |lang, n| {
            let totals = [t(n), t(0), t(0)];
            let view = super::super::UsageView {
                totals: &totals,
                limits: None,
                credits: 0,
            };
            super::super::usage(lang, &view)
                .lines()
                .next()
                .unwrap()
                .to_owned()
        };
        assert!(
            first(Lang::Ru, 1).contains("1 сообщение"),
            "{}",
            first(Lang::Ru, 1)
        );
        assert!(
            first(Lang::Ru, 3).contains("3 сообщения"),
            "{}",
            first(Lang::Ru, 3)
        );
        assert!(
            first(Lang::Ru, 5).contains("5 сообщений"),
            "{}",
            first(Lang::Ru, 5)
        );
        assert!(
            first(Lang::De, 1).contains("1 Nachricht"),
            "{}",
            first(Lang::De, 1)
        );
        assert!(
            first(Lang::De, 2).contains("2 Nachrichten"),
            "{}",
            first(Lang::De, 2)
        );
        assert_eq!(
            granted(Lang::En, 7, -1, 0),
            "Took 1 token of credit from 7; their balance is now 0."
        );
    }
}
