//! style-refresh: rebuilds users' style profiles from their recent messages.

use serde::{Deserialize, Serialize};

use crate::adapters::now_ms;
use crate::domain::style::{SAMPLE_SIZE, build_profile};
use crate::domain::{StyleProfile, UserId};
use crate::error::Result;
use crate::ports::UserStore;

const PAGE_SIZE: usize = 50;
/// Stop starting new pages when less than this is left before the Lambda deadline.
const SAFETY_MARGIN_MS: i64 = 15_000;
const FALLBACK_BUDGET_MS: i64 = 60_000;

/// Rebuilds one user's profile. `None` when they have sent nothing to learn from.
pub async fn refresh_user<S: UserStore>(store: &S, user: UserId) -> Result<Option<StyleProfile>> {
    let messages = store.recent_user_messages(user, SAMPLE_SIZE).await?;
    let Some(profile) = build_profile(&messages) else {
        return Ok(None);
    };
    store.save_style_profile(user, &profile, now_ms()).await?;
    Ok(Some(profile))
}

/// The function accepts the EventBridge schedule event, or `{"user_id": N}` to refresh one
/// user by hand.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum StyleRefreshEvent {
    User { user_id: i64 },
    Scheduled(serde_json::Value),
}

#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct RefreshSummary {
    pub users_seen: usize,
    pub profiles_updated: usize,
    /// False when the run stopped early to stay inside the time limit.
    pub finished: bool,
}

/// `deadline_ms` is the invocation deadline (Unix ms), from the Lambda context.
pub async fn handle<S: UserStore>(
    store: &S,
    event: StyleRefreshEvent,
    deadline_ms: i64,
) -> Result<RefreshSummary> {
    let mut summary = RefreshSummary::default();
    if let StyleRefreshEvent::User { user_id } = event {
        summary.users_seen = 1;
        summary.profiles_updated =
            usize::from(refresh_user(store, UserId(user_id)).await?.is_some());
        summary.finished = true;
        return Ok(summary);
    }
    let started = now_ms();
    // Local emulators do not always send a real deadline; never trust one in the past.
    let deadline_ms = if deadline_ms > started {
        deadline_ms
    } else {
        tracing::warn!(
            deadline_ms,
            "invocation deadline is in the past; assuming {FALLBACK_BUDGET_MS} ms"
        );
        started + FALLBACK_BUDGET_MS
    };
    tracing::info!(
        remaining_ms = deadline_ms - started,
        "scheduled style refresh starting"
    );
    let mut cursor = None;
    loop {
        if deadline_ms - now_ms() < SAFETY_MARGIN_MS {
            tracing::warn!(?summary, "stopping early to stay inside the time limit");
            return Ok(summary);
        }
        let (users, next) = store.list_users(cursor, PAGE_SIZE).await?;
        for user in users {
            summary.users_seen += 1;
            match refresh_user(store, user).await {
                Ok(Some(_)) => summary.profiles_updated += 1,
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(%user, error = %e, "style refresh failed for one user; continuing")
                }
            }
        }
        match next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    summary.finished = true;
    tracing::info!(?summary, "style refresh done");
    Ok(summary)
}
