//! /usage, /grant and /stats: what was spent, and credits.

use super::arguments;
use crate::domain::budget::{Limits, parse_grant};
use crate::domain::{IncomingMessage, OutgoingMessage, UserId, texts};
use crate::error::Result;
use crate::ports::{CreditStore, UsageStore, UserStore};

/// `limits`: those that apply to the sender (`None` for an admin, or when none are set).
pub(super) async fn usage<S: UsageStore + UserStore>(
    store: &S,
    message: &IncomingMessage,
    limits: Option<&Limits>,
    now_ms: i64,
) -> Result<OutgoingMessage> {
    let user = message.from.id;
    let (totals, profile) =
        futures::try_join!(store.user_totals(user, now_ms), store.profile(user.into()))?;
    let view = texts::UsageView {
        totals: &totals,
        limits,
        credits: profile.credits,
    };
    let text = texts::usage(message.lang(), &view);
    Ok(OutgoingMessage::reply_to(message, "usage", text))
}

/// `admin`: whether the sender is one of `ADMIN_USER_IDS`. An id the bot never heard
/// from (a typo, most likely) gets nothing: its profile is read first (one
/// `BatchGetItem`, admins only), and nothing is written.
pub(super) async fn grant<S: CreditStore + UserStore>(
    store: &S,
    admin: bool,
    message: &IncomingMessage,
) -> Result<OutgoingMessage> {
    let text = if !admin {
        texts::admins_only(message.lang())
    } else {
        match parse_grant(arguments(message), message.lang()) {
            Err(usage) => usage,
            Ok((user, _)) if !store.profile(UserId::new(user).into()).await?.known => {
                texts::grant_unknown_user(message.lang(), user)
            }
            Ok((user, amount)) => {
                let balance = store
                    .grant_credits(
                        UserId::new(user),
                        amount,
                        message.from.id,
                        message.update_id,
                    )
                    .await?;
                texts::granted(message.lang(), user, amount, balance)
            }
        }
    };
    Ok(OutgoingMessage::reply_to(message, "grant", text))
}

pub(super) async fn stats<S: UsageStore>(
    store: &S,
    admin: bool,
    message: &IncomingMessage,
    now_ms: i64,
) -> Result<OutgoingMessage> {
    let text = if admin {
        let [today, total] = store.bot_totals(now_ms).await?;
        texts::stats_report(message.lang(), &today, &total)
    } else {
        texts::admins_only(message.lang())
    };
    Ok(OutgoingMessage::reply_to(message, "stats", text))
}
