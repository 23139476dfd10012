use shared::adapters::dynamo::keys;
use shared::domain::Lang;
use shared::domain::budget::next_day_start;
use shared::domain::texts;
use shared::domain::usage::day_key;
use testkit::{StackOptions, Stage};

use crate::env::TestEnv;

const ADMIN: i64 = 1300;

fn limited() -> StackOptions {
    StackOptions {
        admins: vec![ADMIN],
        // Room for one short exchange with the stand-in, not two.
        extra_env: vec![("DAILY_TOKEN_LIMIT".into(), "300".into())],
        ..StackOptions::default()
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test]
async fn over_the_daily_limit_the_user_is_told_when_it_resets_and_no_model_is_called() {
    let env = TestEnv::with(limited()).await;
    assert!(env.chat(1301, "first").await[0].contains("You said"));
    let refused = env.chat(1301, "second").await;
    let tomorrow = day_key(next_day_start(now_ms()));
    assert_eq!(
        refused,
        [format!(
            "You've reached your daily limit, so I can't answer right now. It resets on {tomorrow} at 00:00 UTC."
        )]
    );
    assert_eq!(env.model_calls(), 1);
    assert_eq!(env.usage_records(1301).await, 1);
}

#[tokio::test]
async fn admins_are_exempt_from_limits() {
    let env = TestEnv::with(limited()).await;
    for text in ["one", "two", "three"] {
        assert!(env.chat(ADMIN, text).await[0].contains("You said"));
    }
}

#[tokio::test]
async fn granted_credits_carry_a_user_past_the_limit_and_every_change_is_in_the_ledger() {
    let env = TestEnv::with(limited()).await;
    env.chat(1302, "first").await;
    assert!(env.chat(1302, "blocked").await[0].contains("limit"));

    assert_eq!(
        env.chat(1302, "/grant 1302 100000").await,
        [texts::admins_only(Lang::En)]
    );
    assert!(
        env.chat(ADMIN, "/grant 1302 lots").await[0].starts_with("\"lots\" is not a token amount")
    );
    // Redelivered after a crash, the grant still counts once.
    env.send(ADMIN, "/grant 1302 100000").await;
    env.crash_after_next_batch(Stage::Processor);
    env.drain().await.unwrap();
    assert_eq!(
        env.telegram.texts_to(ADMIN).last().unwrap(),
        "Granted 100000 tokens of credit to 1302; their balance is now 100000."
    );

    let answered = env.chat(1302, "thanks!").await;
    assert!(answered[0].contains("You said"), "{answered:?}");
    let usage = env.usage_items(1302).await;
    let last = usage.last().unwrap();
    let spent: i64 = ["prompt_tokens", "completion_tokens"]
        .iter()
        .map(|f| last[*f].as_n().unwrap().parse::<i64>().unwrap())
        .sum();
    let ledger: Vec<i64> = env
        .user_items(1302, keys::LEDGER_PREFIX)
        .await
        .iter()
        .map(|e| e["delta"].as_n().unwrap().parse().unwrap())
        .collect();
    assert_eq!(ledger, [100_000, -spent]);
    let report = env.chat(1302, "/usage").await;
    assert!(
        report[0].ends_with(&format!(
            "Credits: {} tokens (used once a limit is reached)",
            100_000 - spent
        )),
        "{report:?}"
    );
    assert!(
        report[0].contains("Limit today: 300 tokens, 0 left"),
        "{report:?}"
    );
}
