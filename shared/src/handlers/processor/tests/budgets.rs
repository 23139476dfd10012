//! Limits: a reached limit is said and nothing is spent; credits pay past it; admins and
//! a new day are not limited.

use crate::domain::Lang;
use std::time::Duration;

use super::{answered, replies};
use crate::domain::budget::{Limits, Period};
use crate::domain::usage::day_key;
use crate::domain::{UserId, UserProfile, texts};
use crate::testing::{FakeProcessor, START_MS, message, processor};

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

/// Midnight after `START_MS`, UTC.
fn next_midnight() -> i64 {
    (START_MS / 86_400_000 + 1) * 86_400_000
}

#[tokio::test(start_paused = true)]
async fn a_reached_daily_limit_is_said_and_the_model_is_not_asked() {
    let state = limited(10);
    answered(&state, &message(1, USER, "first")).await;
    assert_eq!(state.model.calls().len(), 1);
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
    let state = limited(10);
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
    let state = limited(10);
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
    let mut state = limited(10);
    state.admins = vec![UserId::new(USER)];
    answered(&state, &message(1, USER, "first")).await;
    answered(&state, &message(2, USER, "second")).await;
    assert_eq!(state.model.calls().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn limits_are_per_user() {
    let state = limited(10);
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
