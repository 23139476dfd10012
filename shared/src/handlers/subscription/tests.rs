use super::*;
use crate::testing::{FakeCache, FakeQueue, FakeTelegram, group_message, message};

fn state(
    per_minute: u32,
) -> SubscriptionState<FakeCache, FakeTelegram, FakeQueue, crate::testing::FakeStore> {
    SubscriptionState {
        policy: AccessPolicy {
            allowed_users: Vec::new(),
            channel: None,
        },
        invite_url: None,
        cache: FakeCache::default(),
        telegram: FakeTelegram::default(),
        inbound: FakeQueue::default(),
        work: FakeQueue::default(),
        outbox: FakeQueue::default(),
        ttl: Duration::from_secs(600),
        rate_limit: RateLimit { per_minute },
        profiles: crate::testing::FakeStore::default(),
    }
}

/// 2023-11-14 22:13:20 UTC: 40 s left in its minute.
const DATE: i64 = 1_700_000_000;

fn from_ann(update: u64, date: i64, group: bool) -> IncomingMessage {
    let mut m = if group {
        group_message(update, -100, 7, "hi")
    } else {
        message(update, 7, "hi")
    };
    m.date = date;
    m
}

#[tokio::test]
async fn the_excess_is_not_answered_and_told_once_per_window_across_chats() {
    let state = state(3);
    // Six in one minute, from a private chat and a group alike: the person is counted.
    for update in 1..=6 {
        let message = from_ann(update, DATE + update as i64, update % 2 == 0);
        check_message(&state, message).await.unwrap();
    }
    let passed: Vec<String> = state
        .work
        .sent()
        .iter()
        .map(|e| e.dedup_id.clone())
        .collect();
    assert_eq!(passed, ["upd-1", "upd-2", "upd-3"]);
    let told = state.outbox.outgoing();
    assert_eq!(told.len(), 1, "{told:?}");
    // The fourth message's date is 4 s into the minute's last 40.
    assert_eq!(
        told[0].text,
        texts::too_fast(crate::domain::Lang::En, 3, 36)
    );
    // The next minute starts afresh.
    check_message(&state, from_ann(7, DATE + 40, false))
        .await
        .unwrap();
    assert_eq!(state.work.sent().len(), 4);
    assert_eq!(state.outbox.outgoing().len(), 1);
}

#[tokio::test]
async fn a_counter_that_fails_lets_the_message_through() {
    let state = state(1);
    state.cache.fail(1);
    check_message(&state, from_ann(1, DATE, false))
        .await
        .unwrap();
    assert_eq!(state.work.sent().len(), 1);
    assert!(state.outbox.outgoing().is_empty());
}

#[tokio::test]
async fn off_counts_nothing() {
    let state = state(0);
    state.cache.fail(1);
    for update in 1..=30 {
        check_message(&state, from_ann(update, DATE, false))
            .await
            .unwrap();
    }
    assert_eq!(state.work.sent().len(), 30);
    // The injected failure is still armed: no counter was asked.
    assert!(state.cache.get("x").await.is_err());
}

mod forget;
