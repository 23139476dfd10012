//! style-refresh: rebuilds users' style profiles from their recent messages.

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::domain::style::{SAMPLE_SIZE, build_profile};
use crate::domain::{StyleProfile, UserId};
use crate::error::Result;
use crate::ports::{StyleStore, UserStore};

const PAGE_SIZE: usize = 50;
/// Stop starting new pages when less than this is left before the Lambda deadline.
const SAFETY_MARGIN_MS: i64 = 15_000;
const FALLBACK_BUDGET_MS: i64 = 60_000;

/// Rebuilds one user's profile. `None` when they have sent nothing to learn from.
pub async fn refresh_user<S: StyleStore>(
    store: &S,
    user: UserId,
    at_ms: i64,
) -> Result<Option<StyleProfile>> {
    let messages = store.recent_user_messages(user, SAMPLE_SIZE).await?;
    let Some(profile) = build_profile(&messages) else {
        return Ok(None);
    };
    store.save_style_profile(user, &profile, at_ms).await?;
    Ok(Some(profile))
}

/// The function accepts the EventBridge schedule event, or `{"user_id": N}` to refresh one
/// user by hand.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum StyleRefreshEvent {
    /// One user's profile, rebuilt now whatever their count of new messages.
    User {
        /// Whose profile: the Telegram user's id.
        user_id: i64,
    },
    /// Anything else: the EventBridge schedule, whose contents do not matter.
    Scheduled(serde_json::Value),
}

/// What one run did: the invocation's result, and its last log line.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct RefreshSummary {
    /// Users looked at, this run only (a resumed run starts from 0).
    pub users_seen: usize,
    /// Users whose profile was rebuilt and stored.
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
    clock: &dyn Clock,
    event: StyleRefreshEvent,
    deadline_ms: i64,
    min_new_messages: u64,
) -> Result<RefreshSummary> {
    let result = run(store, clock, event, deadline_ms, min_new_messages).await;
    if let Err(e) = &result {
        crate::metrics::failed(e);
    }
    result
}

async fn run<S: UserStore>(
    store: &S,
    clock: &dyn Clock,
    event: StyleRefreshEvent,
    deadline_ms: i64,
    min_new_messages: u64,
) -> Result<RefreshSummary> {
    let mut summary = RefreshSummary::default();
    if let StyleRefreshEvent::User { user_id } = event {
        summary.users_seen = 1;
        summary.profiles_updated = usize::from(
            refresh_user(store, UserId::new(user_id), clock.now_ms())
                .await?
                .is_some(),
        );
        summary.finished = true;
        return Ok(summary);
    }
    let started = clock.now_ms();
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
        if deadline_ms - clock.now_ms() < SAFETY_MARGIN_MS {
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
            let due = match store.profile(user.into()).await {
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
            match refresh_user(store, user, clock.now_ms()).await {
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
    use super::*;
    use crate::clock::ManualClock;
    use crate::domain::{UpdateId, UserProfile};
    use crate::ports::UserDirectory;
    use crate::testing::{FakeStore, START_MS};

    /// Users 1..=n, known and with something to learn from; `profile` is each one's.
    async fn store_with(users: i64, profile: UserProfile) -> FakeStore {
        let store = FakeStore::default();
        for user in 1..=users {
            store.put_profile(
                UserId::new(user),
                UserProfile {
                    known: true,
                    ..profile.clone()
                },
            );
            store
                .add_style_sample(UserId::new(user), UpdateId(user as u64), "hello there", 0)
                .await
                .unwrap();
        }
        store
    }

    fn styled(store: &FakeStore, users: i64) -> Vec<i64> {
        (1..=users)
            .filter(|u| store.stored_profile(UserId::new(*u)).style.is_some())
            .collect()
    }

    fn scheduled() -> StyleRefreshEvent {
        StyleRefreshEvent::Scheduled(serde_json::json!({"detail-type": "Scheduled Event"}))
    }

    #[tokio::test]
    async fn resumes_from_the_saved_cursor_and_clears_it_when_done() {
        let store = store_with(4, UserProfile::default()).await;
        store.save_job_cursor(JOB, Some("2")).await.unwrap();
        let clock = ManualClock::at(START_MS);
        let summary = handle(&store, &clock, scheduled(), START_MS + 300_000, 0)
            .await
            .unwrap();
        assert!(summary.finished);
        assert_eq!(
            styled(&store, 4),
            [3, 4],
            "users before the cursor were done last run"
        );
        assert_eq!(store.job_cursor(JOB).await.unwrap(), None);
    }

    #[tokio::test]
    async fn near_the_deadline_it_stops_and_keeps_its_place() {
        let store = store_with(4, UserProfile::default()).await;
        store.save_job_cursor(JOB, Some("2")).await.unwrap();
        let clock = ManualClock::at(START_MS);
        let deadline = START_MS + SAFETY_MARGIN_MS - 1_000;
        let summary = handle(&store, &clock, scheduled(), deadline, 0)
            .await
            .unwrap();
        assert!(!summary.finished);
        assert_eq!(store.calls("list_users"), 0);
        assert_eq!(store.job_cursor(JOB).await.unwrap().as_deref(), Some("2"));
    }

    #[tokio::test]
    async fn a_deadline_in_the_past_falls_back_to_a_minute() {
        let store = store_with(2, UserProfile::default()).await;
        let clock = ManualClock::at(START_MS);
        let summary = handle(&store, &clock, scheduled(), START_MS - 5, 0)
            .await
            .unwrap();
        assert!(summary.finished);
        assert_eq!(styled(&store, 2), [1, 2]);
    }

    #[tokio::test]
    async fn users_with_too_few_new_messages_are_skipped() {
        // Everyone has a built style and one new message since.
        let profile = UserProfile {
            style: Some(StyleProfile {
                description: "x".into(),
                samples: 1,
            }),
            message_count: 5,
            style_built_at_count: 4,
            ..UserProfile::default()
        };
        let store = store_with(3, profile).await;
        let clock = ManualClock::at(START_MS);
        let summary = handle(&store, &clock, scheduled(), START_MS + 300_000, 2)
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
        let summary = handle(&store, &clock, scheduled(), START_MS + 300_000, 1)
            .await
            .unwrap();
        assert_eq!((summary.skipped, summary.profiles_updated), (0, 3));
    }

    #[tokio::test]
    async fn a_user_whose_profile_cannot_be_read_is_skipped_and_the_run_goes_on() {
        let store = store_with(3, UserProfile::default()).await;
        store.fail("profile", 1, true);
        let clock = ManualClock::at(START_MS);
        let summary = handle(&store, &clock, scheduled(), START_MS + 300_000, 0)
            .await
            .unwrap();
        assert!(summary.finished);
        assert_eq!((summary.skipped, summary.profiles_updated), (1, 2));
    }

    #[tokio::test]
    async fn one_user_by_hand() {
        let store = store_with(2, UserProfile::default()).await;
        let clock = ManualClock::at(START_MS);
        let summary = handle(&store, &clock, StyleRefreshEvent::User { user_id: 2 }, 0, 0)
            .await
            .unwrap();
        assert_eq!((summary.users_seen, summary.profiles_updated), (1, 1));
        assert_eq!(styled(&store, 2), [2]);
    }
}
