use shared::domain::usage::day_key;
use shared::domain::{Lang, texts};
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
        [texts::conversation_list_empty(Lang::En)]
    );
    let history = two_conversations_then_history(&env, 1701).await;
    let day = today();
    assert_eq!(
        history,
        [format!(
            "{}\n1. {day} \u{2013} Cooking pasta tonight\n2. {day} \u{2013} Planning my trip to Norway",
            texts::conversation_list_heading(Lang::En)
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

/// Makes everything written in `user`'s chat look `hours` older, as if they had been away.
async fn age_chat(env: &TestEnv, user: i64, hours: i64) {
    use aws_sdk_dynamodb::types::AttributeValue;
    let pk = shared::adapters::dynamo::keys::chat_pk(shared::domain::ChatId::new(user));
    let items = env.items_under(&pk, "T#").await;
    for item in items {
        let at: i64 = item["at"].as_n().unwrap().parse().unwrap();
        env.clients
            .dynamo
            .update_item()
            .table_name(&env.resources.table)
            .key("pk", item["pk"].clone())
            .key("sk", item["sk"].clone())
            .update_expression("SET #at = :at")
            .expression_attribute_names("#at", "at")
            .expression_attribute_values(
                ":at",
                AttributeValue::N((at - hours * 3_600_000).to_string()),
            )
            .send()
            .await
            .expect("update");
    }
}

#[tokio::test]
async fn a_conversation_idle_for_a_day_is_filed_and_the_next_message_starts_afresh() {
    let env = TestEnv::start().await;
    let user = 1703;
    env.chat(user, "Tell me about whales").await;
    age_chat(&env, user, 25).await;
    let answer = env.chat(user, "Cooking pasta tonight").await;
    assert_eq!(answer.len(), 2, "{answer:?}");
    assert!(answer[0].contains("/history"), "{answer:?}");
    let requests = env.openai.as_ref().unwrap().requests();
    let last = requests.last().unwrap().to_string();
    assert!(
        !last.contains("whales"),
        "the old conversation reached the model: {last}"
    );
    let history = env.chat(user, "/history").await;
    assert!(history[0].contains("Tell me about whales"), "{history:?}");
    assert!(
        history[0].contains("\u{25b6} 1. "),
        "the current one is marked: {history:?}"
    );
    assert!(history[0].contains("Cooking pasta tonight"), "{history:?}");
    // Quiet for less than a day: the conversation goes on.
    age_chat(&env, user, 23).await;
    assert_eq!(env.chat(user, "and a sauce?").await.len(), 1);
    let last = env
        .openai
        .as_ref()
        .unwrap()
        .requests()
        .last()
        .unwrap()
        .to_string();
    assert!(last.contains("Cooking pasta"), "{last}");
}
