//! A confirmed `/forget` on its way through subscription-check: the cached standing goes,
//! the job goes on; a cache that cannot be reached fails the record (SQS retries it).

use std::time::Duration;

use super::super::{SubscriptionState, handle, member_cache_key};
use crate::domain::jobs::{ForgetRequest, InboundJob, WorkJob};
use crate::domain::{AccessPolicy, ChannelRef, ChatId, UpdateId, UserId};
use crate::ports::{Cache, RateCounter};
use crate::testing::{FakeCache, FakeQueue, FakeTelegram, body_event};

fn state() -> SubscriptionState<FakeCache, FakeTelegram, FakeQueue, crate::testing::FakeStore> {
    SubscriptionState {
        policy: AccessPolicy {
            allowed_users: Vec::new(),
            channel: Some(ChannelRef::parse("@news_channel").unwrap()),
        },
        invite_url: None,
        cache: FakeCache::default(),
        telegram: FakeTelegram::default(),
        inbound: FakeQueue::default(),
        work: FakeQueue::default(),
        outbox: FakeQueue::default(),
        ttl: Duration::from_secs(600),
        rate_limit: crate::domain::rate::RateLimit { per_minute: 0 },
        profiles: crate::testing::FakeStore::default(),
    }
}

fn confirmation() -> String {
    serde_json::to_string(&InboundJob::Forget(ForgetRequest {
        update_id: UpdateId(9),
        user_id: UserId::new(42),
        chat_id: ChatId::new(-100_777),
        message_id: 5,
        asked_at: 1_700_000_000,
        language_code: None,
    }))
    .unwrap()
}

#[tokio::test]
async fn the_cached_standing_goes_and_the_job_goes_on_unchecked() {
    let state = state();
    let channel = state.policy.channel.clone().unwrap();
    let key = member_cache_key(&channel, UserId::new(42));
    state
        .cache
        .set(&key, "\"member\"", Duration::from_secs(600))
        .await
        .unwrap();
    // The rate limit's counts name the user too; another user's stay.
    for user in [42, 43] {
        state
            .cache
            .count_message(UserId::new(user), 7)
            .await
            .unwrap();
    }
    let out = handle(&state, body_event(&confirmation(), 1))
        .await
        .unwrap();
    assert!(out.batch_item_failures.is_empty());
    assert_eq!(state.cache.peek(&key), None);
    assert_eq!(
        state.cache.count_message(UserId::new(42), 7).await.unwrap(),
        1
    );
    assert_eq!(
        state.cache.count_message(UserId::new(43), 7).await.unwrap(),
        2
    );
    let sent = state.work.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].group_id,
        crate::handlers::chat_group(ChatId::new(42))
    );
    let job: WorkJob = serde_json::from_str(&sent[0].body).unwrap();
    assert!(matches!(job, WorkJob::Forget { forget } if forget.user_id == UserId::new(42)));
    assert!(state.outbox.sent().is_empty(), "never refused");
}

#[tokio::test]
async fn a_cache_that_cannot_be_reached_fails_the_record() {
    let state = state();
    state.cache.fail(1);
    let out = handle(&state, body_event(&confirmation(), 1))
        .await
        .unwrap();
    assert_eq!(out.batch_item_failures.len(), 1, "retried, not skipped");
    assert!(state.work.sent().is_empty());
    let out = handle(&state, body_event(&confirmation(), 2))
        .await
        .unwrap();
    assert!(out.batch_item_failures.is_empty());
    assert_eq!(state.work.sent().len(), 1);
}
