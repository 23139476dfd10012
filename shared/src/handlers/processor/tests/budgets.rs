//! Limits: a reached limit is said and nothing is spent; credits pay past it; admins and
//! a new day are not limited.

use crate::domain::Lang;
use std::time::Duration;

use super::{BUDGET, answered, replies};
use crate::domain::budget::{Budget, HOLD_MS, Hold, Limits, Period};
use crate::domain::usage::day_key;
use crate::domain::{UserId, UserProfile, texts};
use crate::ports::UsageStore;
use crate::testing::{FakeProcessor, START_MS, Script, deliver, group_message, message, processor};

const USER: i64 = 9;

/// A processor whose users may spend `tokens` a day.
fn limited(tokens: u64) -> FakeProcessor {
    let mut state = processor(Duration::from_secs(1));
    state.limits = Limits {
        daily_tokens: Some(tokens),
        ..Limits::default()
    };
    state
}

/// What the processor holds for the prompt of a first "first" (its estimate, with the
/// margin), read from the reply's `max_tokens` under a cap that cuts it.
async fn first_prompt_hold() -> u64 {
    let cap = 1000;
    let state = limited(cap);
    assert_eq!(state.reply_tokens, 1000, "the cap cuts the reply");
    answered(&state, &message(1, USER, "first")).await;
    cap - u64::from(state.model.calls()[0].max_tokens)
}

/// A cap that lets "first" through with a 20-token reply, and nothing after it.
async fn tight() -> FakeProcessor {
    limited(first_prompt_hold().await + 20)
}

/// Midnight after `START_MS`, UTC.
fn next_midnight() -> i64 {
    (START_MS / 86_400_000 + 1) * 86_400_000
}

#[tokio::test(start_paused = true)]
async fn a_reached_daily_limit_is_said_and_the_model_is_not_asked() {
    let state = tight().await;
    answered(&state, &message(1, USER, "first")).await;
    assert_eq!(state.model.calls().len(), 1);
    assert_eq!(
        state.model.calls()[0].max_tokens,
        20,
        "cut to what the cap leaves"
    );
    answered(&state, &message(2, USER, "second")).await;
    assert_eq!(state.model.calls().len(), 1, "over the limit: not asked");
    let notice = replies(&state).pop().expect("a notice");
    assert_eq!(notice.0, "limit-2");
    assert_eq!(
        notice.1,
        texts::limit_reached(Lang::En, Period::Day, next_midnight())
    );
    assert_eq!(
        state.store.exchanges().len(),
        1,
        "nothing recorded for the refusal"
    );
}

#[tokio::test(start_paused = true)]
async fn a_new_day_lifts_the_daily_limit() {
    // Room for the second prompt, which carries the first exchange as history.
    let state = limited(first_prompt_hold().await + 60);
    answered(&state, &message(1, USER, "first")).await;
    let to_midnight = next_midnight() - START_MS;
    tokio::time::advance(Duration::from_millis(to_midnight as u64 + 1)).await;
    answered(&state, &message(2, USER, "next day")).await;
    assert_eq!(state.model.calls().len(), 2);
    let days: Vec<String> = state
        .store
        .exchanges()
        .iter()
        .map(|x| day_key(x.at_ms))
        .collect();
    assert_ne!(days[0], days[1], "recorded under the day it happened");
}

#[tokio::test(start_paused = true)]
async fn credits_pay_past_the_limit_and_are_spent() {
    let state = tight().await;
    answered(&state, &message(1, USER, "first")).await;
    state.store.put_profile(
        UserId::new(USER),
        UserProfile {
            credits: 1_000,
            ..state.store.stored_profile(UserId::new(USER))
        },
    );
    answered(&state, &message(2, USER, "on credit")).await;
    assert_eq!(state.model.calls().len(), 2);
    let x = state.store.exchanges().pop().expect("recorded");
    let tokens = u64::from(x.usage.prompt_tokens + x.usage.completion_tokens);
    assert_eq!(x.credits_used, tokens);
    assert_eq!(
        state.store.stored_profile(UserId::new(USER)).credits,
        1_000 - tokens as i64
    );
}

#[tokio::test(start_paused = true)]
async fn admins_have_no_limit() {
    let mut state = tight().await;
    state.admins = vec![UserId::new(USER)];
    answered(&state, &message(1, USER, "first")).await;
    answered(&state, &message(2, USER, "second")).await;
    assert_eq!(state.model.calls().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn limits_are_per_user() {
    let state = tight().await;
    answered(&state, &message(1, USER, "first")).await;
    answered(&state, &message(2, USER + 1, "someone else")).await;
    assert_eq!(state.model.calls().len(), 2);
    assert!(only_reply_of(&state, 2).contains("someone else"));
}

fn only_reply_of(state: &FakeProcessor, update: u64) -> String {
    let id = format!("reply-{update}");
    let found: Vec<_> = replies(state)
        .into_iter()
        .filter(|(d, _)| *d == id)
        .collect();
    assert_eq!(found.len(), 1, "{:?}", replies(state));
    found[0].1.clone()
}

fn tokens_of(state: &FakeProcessor, user: i64) -> u64 {
    state
        .store
        .exchanges()
        .iter()
        .filter(|x| x.user.id == UserId::new(user))
        .map(|x| u64::from(x.usage.prompt_tokens + x.usage.completion_tokens))
        .sum()
}

#[tokio::test(start_paused = true)]
async fn concurrent_messages_from_many_chats_never_exceed_the_cap() {
    let cap = first_prompt_hold().await * 3;
    let state = limited(cap);
    // Ten groups at once, each reply slow enough that all of them are in flight together.
    state
        .model
        .script((0..10).map(|_| Script::slow_reply(4, Duration::from_millis(300))));
    let messages: Vec<_> = (0..10)
        .map(|i| group_message(100 + i, -1000 - i as i64, USER, "first"))
        .collect();
    let runs = messages.iter().map(|m| deliver(&state, m, 1, BUDGET));
    let failed: Vec<_> = futures::future::join_all(runs).await;
    assert!(failed.iter().all(Vec::is_empty), "{failed:?}");
    let used = tokens_of(&state, USER);
    let answered = state.store.exchanges().len();
    assert!(used <= cap, "used {used} of {cap}");
    assert!((1..10).contains(&answered), "{answered} answered");
    assert!(
        state.store.holds(UserId::new(USER)).is_empty(),
        "all settled or released"
    );
}

#[tokio::test(start_paused = true)]
async fn a_failed_call_releases_its_hold() {
    let state = tight().await;
    state.model.script([Script::Fail {
        retryable: false,
        cause: None,
        retry_after: None,
    }]);
    deliver(&state, &message(1, USER, "first"), 1, BUDGET).await;
    assert!(state.store.exchanges().is_empty());
    assert!(state.store.holds(UserId::new(USER)).is_empty(), "released");
    // The whole cap is there for the next message.
    answered(&state, &message(2, USER, "first")).await;
    assert_eq!(state.store.exchanges().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_hold_left_by_a_crash_stops_counting_when_it_expires() {
    let state = tight().await;
    let user = UserId::new(USER);
    let now = START_MS;
    let read = state.store.user_budget(user, now, true).await.unwrap();
    let stale = Hold {
        update: 77,
        tokens: 1_000_000,
        cost_micros: 0,
        until_ms: now + HOLD_MS,
    };
    assert!(state.store.hold(user, &read, &stale, now).await.unwrap());
    answered(&state, &message(1, USER, "first")).await;
    assert!(replies(&state)[0].0.starts_with("limit"), "held: refused");
    tokio::time::advance(Duration::from_millis(HOLD_MS as u64)).await;
    answered(&state, &message(2, USER, "first")).await;
    assert_eq!(state.store.exchanges().len(), 1, "expired: answered");
    let left: Vec<u64> = state.store.holds(user).iter().map(|h| h.update).collect();
    assert!(left.is_empty(), "the expired hold was dropped: {left:?}");
    let _ = Budget::default();
}
