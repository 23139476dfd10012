use shared::domain::usage::day_key;
use testkit::StackOptions;

use crate::env::TestEnv;

fn today() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    day_key(now)
}

async fn two_conversations_then_history(env: &TestEnv, user: i64) -> Vec<String> {
    env.chat(user, "Planning my trip to Norway\nmore details here")
        .await;
    env.chat(user, "what should I pack?").await;
    env.chat(user, "/reset").await;
    env.chat(user, "Cooking pasta tonight").await;
    env.chat(user, "/reset").await;
    env.chat(user, "/history").await
}

#[tokio::test]
async fn reset_titles_conversations_from_their_first_message_and_history_lists_them() {
    let env = TestEnv::start().await;
    assert_eq!(
        env.chat(1701, "/history").await,
        ["No earlier conversations yet. /reset closes the current one."]
    );
    let history = two_conversations_then_history(&env, 1701).await;
    let day = today();
    assert_eq!(
        history,
        [format!(
            "Your last conversations:\n1. {day} \u{2013} Cooking pasta tonight\n2. {day} \u{2013} Planning my trip to Norway"
        )]
    );
}

#[tokio::test]
async fn titles_work_in_responses_mode_too() {
    let env = TestEnv::with(StackOptions {
        extra_env: vec![("OPENAI_API_MODE".into(), "responses".into())],
        ..StackOptions::default()
    })
    .await;
    let history = two_conversations_then_history(&env, 1702).await;
    assert!(
        history[0].contains("1. ") && history[0].contains("Cooking pasta tonight"),
        "{history:?}"
    );
    assert!(
        history[0].contains("2. ") && history[0].contains("Planning my trip to Norway"),
        "{history:?}"
    );
}
