//! `OPENAI_API_MODE=responses`: the Responses API with server-side Conversations.

use shared::adapters::dynamo::keys;
use shared::domain::Lang;
use shared::domain::{ChatId, texts};
use testkit::StackOptions;

use crate::env::TestEnv;

fn responses_mode() -> StackOptions {
    StackOptions {
        extra_env: vec![("OPENAI_API_MODE".into(), "responses".into())],
        ..StackOptions::default()
    }
}

async fn stored_conversation(env: &TestEnv, chat: i64) -> Option<String> {
    env.clients
        .dynamo
        .get_item()
        .table_name(&env.resources.table)
        .set_key(Some(
            keys::server_conversation(ChatId::new(chat)).attributes(),
        ))
        .send()
        .await
        .unwrap()
        .item
        .and_then(|i| {
            i.get("conversation_id")
                .and_then(|v| v.as_s().ok())
                .cloned()
        })
}

#[tokio::test]
async fn history_lives_in_a_server_side_conversation_whose_id_is_kept() {
    let env = TestEnv::with(responses_mode()).await;
    env.chat(1601, "hello").await;
    let second = env.chat(1601, "remember me?").await;
    assert_eq!(
        second,
        [
            "[your close friend] You said \u{201c}remember me?\u{201d}. I can see 2 earlier messages of ours."
        ]
    );
    let requests = env.openai.as_ref().unwrap().requests();
    assert_eq!(
        requests.len(),
        3,
        "one conversation, two responses: {requests:#?}"
    );
    assert_eq!(requests[0], serde_json::json!({}));
    let id = stored_conversation(&env, 1601)
        .await
        .expect("conversation id in DynamoDB");
    for r in &requests[1..] {
        assert_eq!(r["conversation"], id.as_str());
        assert!(r.get("messages").is_none(), "history is not sent: {r}");
        assert!(
            r["instructions"]
                .as_str()
                .unwrap()
                .contains("You are their close friend")
        );
    }
    assert_eq!(requests[2]["input"], "remember me?");
    assert_eq!(env.usage_records(1601).await, 2);
}

#[tokio::test]
async fn reset_starts_a_new_server_side_conversation() {
    let env = TestEnv::with(responses_mode()).await;
    env.chat(1602, "hello").await;
    let first = stored_conversation(&env, 1602).await.unwrap();
    assert_eq!(
        env.chat(1602, "/reset").await,
        [texts::reset_done(Lang::En)]
    );
    let after = env.chat(1602, "who are you?").await;
    assert!(
        after[0].contains("I can see 0 earlier messages"),
        "{after:?}"
    );
    let second = stored_conversation(&env, 1602).await.unwrap();
    assert_ne!(first, second);
}

#[tokio::test]
async fn a_failing_provider_in_responses_mode_still_gets_a_friendly_message() {
    let env = TestEnv::with(StackOptions {
        openai_max_attempts: 1,
        ..responses_mode()
    })
    .await;
    env.chat(1603, "hello").await;
    env.openai
        .as_ref()
        .unwrap()
        .fail_next(testkit::openai_standin::AiFault::ServerError);
    let replies = env.chat(1603, "are you there?").await;
    assert_eq!(replies[0], texts::still_trying(Lang::En));
    assert!(
        replies[1].contains("I can see 2 earlier messages"),
        "{replies:?}"
    );
}

#[tokio::test]
async fn the_model_picked_in_settings_answers_in_responses_mode_too() {
    let mut options = responses_mode();
    options
        .extra_env
        .push(("ALLOWED_MODELS".into(), "gpt-4o-mini,gpt-4o".into()));
    let env = TestEnv::with(options).await;
    let user = 1607;
    env.chat(user, "hello").await;
    let press = testkit::updates::callback_query(user, "settings:model:gpt-4o");
    env.post_update(&press).await.unwrap();
    env.chat(user, "and now?").await;

    let requests = env.openai.as_ref().unwrap().requests();
    let models: Vec<&str> = requests
        .iter()
        .filter(|r| r.get("conversation").is_some())
        .map(|r| r["model"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(models, ["gpt-4o-mini", "gpt-4o"], "{requests:#?}");
    let usage = env.usage_items(user).await;
    let mut recorded: Vec<&str> = usage
        .iter()
        .filter_map(|u| u.get("model").and_then(|m| m.as_s().ok()))
        .map(String::as_str)
        .collect();
    recorded.sort_unstable();
    assert_eq!(recorded, ["gpt-4o", "gpt-4o-mini"]);
}
