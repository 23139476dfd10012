//! style-refresh: rebuilds users' style profiles from their recent messages.

use serde::{Deserialize, Serialize};

use crate::adapters::now_ms;
use crate::domain::style::{SAMPLE_SIZE, build_profile};
use crate::domain::{StyleProfile, UserId};
use crate::error::Result;
use crate::ports::{StyleStore, UserStore};

const PAGE_SIZE: usize = 50;
/// Stop starting new pages when less than this is left before the Lambda deadline.
const SAFETY_MARGIN_MS: i64 = 15_000;
const FALLBACK_BUDGET_MS: i64 = 60_000;

/// Rebuilds one user's profile. `None` when they have sent nothing to learn from.
pub async fn refresh_user<S: StyleStore>(store: &S, user: UserId) -> Result<Option<StyleProfile>> {
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
    /// Users with too few new messages to be worth a refresh.
    pub skipped: usize,
    /// False when the run stopped early to stay inside the time limit.
    pub finished: bool,
}

const JOB: &str = "style-refresh";

/// `deadline_ms` is the invocation deadline (Unix ms), from the Lambda context.
///
/// A scheduled run pages through the user directory, refreshing only users with at least
/// `min_new_messages` answered messages since their profile was built. It stops starting
/// pages before the deadline and saves its cursor, so the next run resumes there: it
/// finishes inside the time limit however many users there are.
pub async fn handle<S: UserStore>(
    store: &S,
    event: StyleRefreshEvent,
    deadline_ms: i64,
    min_new_messages: u64,
) -> Result<RefreshSummary> {
    let result = run(store, event, deadline_ms, min_new_messages).await;
    if let Err(e) = &result {
        crate::metrics::failed(e);
    }
    result
}

async fn run<S: UserStore>(
    store: &S,
    event: StyleRefreshEvent,
    deadline_ms: i64,
    min_new_messages: u64,
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
    let mut cursor = store.job_cursor(JOB).await?;
    tracing::info!(
        remaining_ms = deadline_ms - started,
        resuming = cursor.is_some(),
        "scheduled style refresh starting"
    );
    loop {
        if deadline_ms - now_ms() < SAFETY_MARGIN_MS {
            store.save_job_cursor(JOB, cursor.as_deref()).await?;
            tracing::warn!(
                ?summary,
                "stopping early to stay inside the time limit; the next run resumes here"
            );
            return Ok(summary);
        }
        let (users, next) = store.list_users(cursor.clone(), PAGE_SIZE).await?;
        for user in users {
            summary.users_seen += 1;
            let due = match store.profile(user).await {
                Ok(p) => p.style.is_none() || p.new_messages_since_style() >= min_new_messages,
                Err(e) => {
                    tracing::warn!(%user, error = %e, "cannot read profile; skipping");
                    crate::metrics::failed(&e);
                    false
                }
            };
            if !due {
                summary.skipped += 1;
                continue;
            }
            match refresh_user(store, user).await {
                Ok(Some(_)) => summary.profiles_updated += 1,
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(%user, error = %e, "style refresh failed for one user; continuing");
                    crate::metrics::failed(&e);
                }
            }
        }
        match next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    store.save_job_cursor(JOB, None).await?;
    summary.finished = true;
    tracing::info!(?summary, "style refresh done");
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::domain::UpdateId;
    use crate::domain::UserProfile;
    use crate::ports::{ProfileStore, UserDirectory};

    /// Users 1..=n, listed one per page so cursors matter; every user has messages.
    /// `profile` is what every user's profile reads as.
    struct Fake {
        users: i64,
        profile: UserProfile,
        cursor: Mutex<Option<String>>,
        pages_from: Mutex<Vec<Option<String>>>,
        saved: Mutex<Vec<i64>>,
    }

    impl Fake {
        fn new(users: i64, cursor: Option<&str>) -> Self {
            Self {
                users,
                profile: UserProfile::default(),
                cursor: Mutex::new(cursor.map(str::to_owned)),
                pages_from: Mutex::new(Vec::new()),
                saved: Mutex::new(Vec::new()),
            }
        }
    }

    impl ProfileStore for Fake {
        async fn profile(&self, _: UserId) -> Result<UserProfile> {
            Ok(self.profile.clone())
        }
        async fn mark_inactive(&self, _: UserId) -> Result<()> {
            Ok(())
        }
    }

    impl StyleStore for Fake {
        async fn save_style_profile(&self, user: UserId, _: &StyleProfile, _: i64) -> Result<()> {
            self.saved.lock().unwrap().push(user.0);
            Ok(())
        }
        async fn recent_user_messages(&self, user: UserId, _: usize) -> Result<Vec<String>> {
            Ok(vec![format!("hello from {user}")])
        }
        async fn set_style_enabled(&self, _: UserId, _: bool) -> Result<()> {
            Ok(())
        }
        async fn open_sample_window(&self, _: UserId, _: i64) -> Result<()> {
            Ok(())
        }
        async fn add_style_sample(&self, _: UserId, _: UpdateId, _: &str, _: i64) -> Result<()> {
            Ok(())
        }
    }

    impl UserDirectory for Fake {
        async fn job_cursor(&self, _: &str) -> Result<Option<String>> {
            Ok(self.cursor.lock().unwrap().clone())
        }
        async fn save_job_cursor(&self, _: &str, cursor: Option<&str>) -> Result<()> {
            *self.cursor.lock().unwrap() = cursor.map(str::to_owned);
            Ok(())
        }
        async fn list_users(
            &self,
            cursor: Option<String>,
            _: usize,
        ) -> Result<(Vec<UserId>, Option<String>)> {
            self.pages_from.lock().unwrap().push(cursor.clone());
            let next: i64 = cursor.map_or(1, |c| c.parse::<i64>().unwrap() + 1);
            let more = (next < self.users).then(|| next.to_string());
            Ok((vec![UserId(next)], more))
        }
    }

    fn scheduled() -> StyleRefreshEvent {
        StyleRefreshEvent::Scheduled(serde_json::json!({"detail-type": "Scheduled Event"}))
    }

    #[tokio::test]
    async fn resumes_from_the_saved_cursor_and_clears_it_when_done() {
        let store = Fake::new(4, Some("2"));
        let summary = handle(&store, scheduled(), now_ms() + 300_000, 0)
            .await
            .unwrap();
        assert!(summary.finished);
        assert_eq!(
            *store.saved.lock().unwrap(),
            [3, 4],
            "users before the cursor were done last run"
        );
        assert_eq!(
            *store.pages_from.lock().unwrap(),
            [Some("2".to_owned()), Some("3".to_owned())]
        );
        assert_eq!(*store.cursor.lock().unwrap(), None);
    }

    #[tokio::test]
    async fn near_the_deadline_it_stops_and_keeps_its_place() {
        let store = Fake::new(4, Some("2"));
        let summary = handle(&store, scheduled(), now_ms() + SAFETY_MARGIN_MS - 1_000, 0)
            .await
            .unwrap();
        assert!(!summary.finished);
        assert!(store.pages_from.lock().unwrap().is_empty());
        assert_eq!(store.cursor.lock().unwrap().as_deref(), Some("2"));
    }

    #[tokio::test]
    async fn users_with_too_few_new_messages_are_skipped() {
        // Everyone has a built style and one new message since.
        let mut store = Fake::new(3, None);
        store.profile = UserProfile {
            style: Some(StyleProfile {
                description: "x".into(),
                samples: 1,
            }),
            message_count: 5,
            style_built_at_count: 4,
            ..UserProfile::default()
        };
        let summary = handle(&store, scheduled(), now_ms() + 300_000, 2)
            .await
            .unwrap();
        assert_eq!(
            (
                summary.users_seen,
                summary.skipped,
                summary.profiles_updated
            ),
            (3, 3, 0)
        );
        let summary = handle(&store, scheduled(), now_ms() + 300_000, 1)
            .await
            .unwrap();
        assert_eq!((summary.skipped, summary.profiles_updated), (0, 3));
    }
}
