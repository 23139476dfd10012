//! Fair limits end to end: the rate limit (Redis, and the table when Redis is down), and
//! budget caps that hold under concurrent messages from several chats.

use shared::adapters::dynamo::keys;
use shared::domain::Lang;
use shared::domain::texts;
use testkit::StackOptions;
use testkit::stack::LOCAL_BOT_USERNAME;
use testkit::updates::{group_text, private_text};

use crate::env::TestEnv;

fn rate_limited(per_minute: u32) -> StackOptions {
    StackOptions {
        extra_env: vec![("RATE_LIMIT_PER_MINUTE".into(), per_minute.to_string())],
        ..StackOptions::default()
    }
}

/// The start of the current minute: every message dated so counts in one window,
/// however long the test takes.
fn this_minute() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    now / 60 * 60
}

async fn send_dated(env: &TestEnv, user: i64, text: &str, date: i64) {
    let mut update = private_text(user, "Ann", text);
    update["message"]["date"] = date.into();
    env.post_update(&update).await.unwrap();
}

async fn rate_limit_case(env: &TestEnv, user: i64) {
    let minute = this_minute();
    for n in 0..5 {
        send_dated(env, user, &format!("message {n}"), minute).await;
    }
    env.drain().await.unwrap();
    let got = env.telegram.texts_to(user);
    let answers = got.iter().filter(|t| t.contains("You said")).count();
    assert_eq!(answers, 3, "{got:#?}");
    assert_eq!(
        got.iter()
            .filter(|t| **t == texts::too_fast(Lang::En, 3, 60))
            .count(),
        1,
        "one notice: {got:#?}"
    );
    assert_eq!(env.model_calls(), 3);
}

#[tokio::test]
async fn the_rate_limit_answers_n_a_minute_and_says_so_once_in_redis() {
    let env = TestEnv::with(rate_limited(3)).await;
    rate_limit_case(&env, 4101).await;
    assert!(
        env.user_items(4101, "RATE#").await.is_empty(),
        "Redis counted, not the table"
    );
}

#[tokio::test]
async fn with_redis_down_the_table_counts_and_the_bot_goes_on() {
    let env = TestEnv::with(rate_limited(3)).await;
    env.stop_redis();
    rate_limit_case(&env, 4102).await;
    let windows = env.user_items(4102, "RATE#").await;
    assert_eq!(windows.len(), 1);
    assert_eq!(windows[0]["count"].as_n().unwrap(), "5");
    assert!(windows[0].contains_key("expires_at"));
    assert_eq!(
        windows[0]["sk"].as_s().unwrap(),
        &keys::rate_window(shared::domain::UserId::new(4102), this_minute() / 60).sk
    );
}

fn capped(tokens: u64) -> StackOptions {
    StackOptions {
        extra_env: vec![
            ("DAILY_TOKEN_LIMIT".into(), tokens.to_string()),
            ("RATE_LIMIT_PER_MINUTE".into(), "0".into()),
        ],
        ..StackOptions::default()
    }
}

async fn tokens_used(env: &TestEnv, user: i64) -> u64 {
    let meter = meter_item(env, user).await;
    let n = |f: &str| {
        meter
            .get(f)
            .and_then(|v| v.as_n().ok())
            .map_or(0, |n| n.parse::<u64>().unwrap())
    };
    n("day_prompt_tokens") + n("day_completion_tokens")
}

/// Twenty messages at once from one user: ten in private, ten in ten groups (each its
/// own FIFO group, so the processor answers them concurrently). Returns the tokens used.
async fn burst_against(cap: u64, user: i64) -> u64 {
    let env = TestEnv::with(capped(cap)).await;
    for n in 0..10 {
        env.post_update(&private_text(user, "Ann", &format!("question {n}")))
            .await
            .unwrap();
        let mention = format!("@{LOCAL_BOT_USERNAME} question {n}");
        env.post_update(&group_text(-4200 - n, "supergroup", user, &mention))
            .await
            .unwrap();
    }
    env.drain().await.unwrap();
    let used = tokens_used(&env, user).await;
    assert!(used <= cap, "used {used} of a {cap}-token cap");
    assert!(env.model_calls() >= 1);
    used
}

#[tokio::test]
async fn a_300_token_cap_is_never_overshot_by_a_burst() {
    let used = Box::pin(burst_against(300, 4201)).await;
    eprintln!("cap 300: used {used}");
}

#[tokio::test]
async fn a_400_token_cap_is_never_overshot_by_a_burst() {
    let used = Box::pin(burst_against(400, 4202)).await;
    eprintln!("cap 400: used {used}");
}

fn num(
    item: &std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>,
    field: &str,
) -> u64 {
    item.get(field)
        .and_then(|v| v.as_n().ok())
        .map_or(0, |n| n.parse().unwrap())
}

#[tokio::test]
async fn voice_notes_heard_and_replies_spoken_are_priced_on_the_exchange_and_the_meter() {
    let env = TestEnv::with(StackOptions {
        model_prices: Some("gpt-4o-mini=0.15/0.60".into()),
        extra_env: vec![(
            "AUDIO_PRICES".into(),
            "gpt-4o-mini-transcribe=0.003,gpt-4o-mini-tts=0.015".into(),
        )],
        ..StackOptions::default()
    })
    .await;
    let user = 4301;
    env.post_update(&private_text(user, "Ann", "/voice on"))
        .await
        .unwrap();
    // 20 s heard at $0.003 a minute: 1000 micro-dollars.
    let mut update = testkit::updates::voice_note(user, "VOICE-PRICED", 20, 0);
    let file = testkit::openai_standin::spoken_ogg(20, "how was your day");
    update["message"]["voice"]["file_size"] = file.len().into();
    env.telegram
        .add_file("VOICE-PRICED", "voice/priced.oga", file);
    env.post_update(&update).await.unwrap();
    env.drain().await.unwrap();
    let records = env.usage_items(user).await;
    assert_eq!(records.len(), 1);
    let x = &records[0];
    let model = (num(x, "prompt_tokens") as f64 * 0.15 + num(x, "completion_tokens") as f64 * 0.60)
        .round() as u64;
    let reply = x["reply"].as_s().unwrap();
    let spoken_secs = shared::domain::audio::estimated_speech_secs(reply);
    let speech = (0.015 * f64::from(spoken_secs) / 60.0 * 1e6).round() as u64;
    assert_eq!(num(x, "cost_micros"), model + 1000 + speech);
    assert_eq!(
        env.telegram.voices_to(user).len(),
        1,
        "the reply was spoken"
    );
    let report = env.chat(user, "/usage").await;
    assert!(
        report[0].contains(&shared::domain::usage::format_usd(model + 1000 + speech)),
        "{report:?}"
    );
}

async fn meter_item(
    env: &TestEnv,
    user: i64,
) -> std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue> {
    env.clients
        .dynamo
        .get_item()
        .table_name(&env.resources.table)
        .set_key(Some(
            keys::meter(shared::domain::UserId::new(user)).attributes(),
        ))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
        .unwrap_or_default()
}

fn holds_of(
    meter: &std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>,
) -> usize {
    meter
        .get("holds")
        .and_then(|h| h.as_m().ok())
        .map_or(0, |m| m.len())
}

#[tokio::test]
async fn a_failed_call_releases_its_hold_and_the_next_message_has_the_whole_budget() {
    let env = TestEnv::with(capped(100_000)).await;
    let user = 4401;
    assert!(env.chat(user, "hello").await[0].contains("You said"));
    assert_eq!(holds_of(&meter_item(&env, user).await), 0, "settled");
    env.openai
        .as_ref()
        .unwrap()
        .fail_next(testkit::openai_standin::AiFault::InsufficientQuota);
    let told = env.chat(user, "this one fails").await;
    assert_eq!(told.len(), 1, "{told:?}");
    let meter = meter_item(&env, user).await;
    assert_eq!(holds_of(&meter), 0, "released: {meter:?}");
    assert!(env.chat(user, "and now?").await[0].contains("You said"));
}

#[tokio::test]
async fn a_hold_left_by_a_crash_is_ignored_once_it_expires() {
    let env = TestEnv::with(capped(2_000)).await;
    let user = 4402;
    assert!(env.chat(user, "hello").await[0].contains("You said"));
    // A function that died holding the whole cap, long ago.
    let stale = aws_sdk_dynamodb::types::AttributeValue::M(
        [("tokens", "1000000"), ("cost_micros", "0"), ("until", "1")]
            .into_iter()
            .map(|(k, v)| {
                (
                    k.to_owned(),
                    aws_sdk_dynamodb::types::AttributeValue::N(v.into()),
                )
            })
            .collect(),
    );
    env.clients
        .dynamo
        .update_item()
        .table_name(&env.resources.table)
        .set_key(Some(
            keys::meter(shared::domain::UserId::new(user)).attributes(),
        ))
        .update_expression("SET holds = :h")
        .expression_attribute_values(
            ":h",
            aws_sdk_dynamodb::types::AttributeValue::M([("999".to_owned(), stale)].into()),
        )
        .send()
        .await
        .unwrap();
    assert!(env.chat(user, "still there?").await[0].contains("You said"));
    let meter = meter_item(&env, user).await;
    let holds = meter["holds"].as_m().unwrap();
    assert!(
        !holds.contains_key("999"),
        "the expired hold was dropped: {holds:?}"
    );
}
