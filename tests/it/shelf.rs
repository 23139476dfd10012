//! `/history`'s buttons pressed, `/rename` and `/retry`, end to end on moto and the
//! stand-ins: what the user sees, and what DynamoDB holds afterwards.

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::Value;
use shared::adapters::dynamo::keys;
use shared::domain::{ChatId, Lang, texts};
use testkit::updates::callback_query;

use crate::env::TestEnv;

/// The buttons under the newest message sent to `user`, as (label, callback data) rows.
fn newest_keyboard(env: &TestEnv, user: i64) -> Vec<Vec<(String, String)>> {
    let sent = env
        .telegram
        .calls()
        .into_iter()
        .rev()
        .find(|c| c.chat_id() == Some(user) && c.params.get("reply_markup").is_some())
        .expect("a message with buttons");
    sent.params["reply_markup"]["inline_keyboard"]
        .as_array()
        .expect("an inline keyboard")
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|b| {
                    (
                        b["text"].as_str().unwrap().to_owned(),
                        b["callback_data"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .collect()
}

/// Presses the button `label` of the newest keyboard; returns the text the list was
/// redrawn with.
async fn press(env: &TestEnv, user: i64, label: &str) -> String {
    let data = newest_keyboard(env, user)
        .into_iter()
        .flatten()
        .find(|(text, _)| text == label)
        .unwrap_or_else(|| panic!("no button {label}"))
        .1;
    let before = env.telegram.count("editMessageText");
    let (status, _) = env
        .post_update(&callback_query(user, &data))
        .await
        .expect("webhook");
    assert_eq!(status, http::StatusCode::OK);
    env.drain().await.expect("drain");
    let edits: Vec<_> = env
        .telegram
        .calls()
        .into_iter()
        .filter(|c| c.method == "editMessageText" && c.status == 200)
        .collect();
    assert_eq!(edits.len(), before + 1, "the list is redrawn once");
    edits.last().unwrap().params["text"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Every item of `user`'s private chat.
async fn chat_items(
    env: &TestEnv,
    user: i64,
) -> Vec<std::collections::HashMap<String, AttributeValue>> {
    env.clients
        .dynamo
        .query()
        .table_name(&env.resources.table)
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", AttributeValue::S(keys::chat_pk(ChatId::new(user))))
        .send()
        .await
        .expect("query")
        .items
        .unwrap_or_default()
}

fn last_prompt(env: &TestEnv) -> String {
    env.openai
        .as_ref()
        .unwrap()
        .requests()
        .last()
        .map(Value::to_string)
        .unwrap_or_default()
}

async fn whales_then_cooking(env: &TestEnv, user: i64) {
    env.chat(user, "Tell me about whales").await;
    env.chat(user, "/reset").await;
    env.chat(user, "Cooking pasta tonight").await;
    env.chat(user, "/history").await;
}

#[tokio::test]
async fn open_continues_a_filed_conversation_and_files_the_current_one() {
    let env = TestEnv::start().await;
    let user = 1901;
    whales_then_cooking(&env, user).await;
    let redrawn = press(&env, user, "\u{25b6} Open 2").await;
    assert!(
        redrawn.starts_with(&texts::conversation_opened(
            Lang::En,
            "Tell me about whales"
        )),
        "{redrawn}"
    );
    assert!(redrawn.contains("\u{25b6} 1. ") && redrawn.contains("Tell me about whales"));
    assert!(redrawn.contains("2. ") && redrawn.contains("Cooking pasta tonight"));
    env.chat(user, "and dolphins?").await;
    let prompt = last_prompt(&env);
    assert!(prompt.contains("Tell me about whales"), "{prompt}");
    assert!(!prompt.contains("Cooking pasta"), "{prompt}");
    // And back again: each keeps its own turns.
    env.chat(user, "/history").await;
    press(&env, user, "\u{25b6} Open 2").await;
    env.chat(user, "with basil?").await;
    let prompt = last_prompt(&env);
    assert!(prompt.contains("Cooking pasta"), "{prompt}");
    assert!(!prompt.contains("dolphins"), "{prompt}");
}

#[tokio::test]
async fn rename_shows_the_new_title() {
    let env = TestEnv::start().await;
    let user = 1902;
    whales_then_cooking(&env, user).await;
    let hint = env
        .post_update(&callback_query(
            user,
            &newest_keyboard(&env, user)[1]
                .iter()
                .find(|(t, _)| t.starts_with('\u{270f}'))
                .unwrap()
                .1,
        ))
        .await
        .expect("webhook")
        .1;
    assert_eq!(hint["method"], "answerCallbackQuery");
    assert_eq!(hint["text"], texts::conversation_rename_hint(Lang::En, 2));
    assert_eq!(
        env.chat(user, "/rename 2 Sea mammals").await,
        [texts::conversation_renamed(Lang::En, "Sea mammals")]
    );
    env.chat(user, "/rename Dinner").await;
    let list = env.chat(user, "/history").await;
    assert!(
        list[0].contains("1. ") && list[0].contains("Dinner"),
        "{list:?}"
    );
    assert!(
        list[0].contains("2. ") && list[0].contains("Sea mammals"),
        "{list:?}"
    );
}

#[tokio::test]
async fn delete_asks_then_removes_the_conversations_items() {
    let env = TestEnv::start().await;
    let user = 1903;
    whales_then_cooking(&env, user).await;
    let asking = press(&env, user, "\u{1f5d1} 2").await;
    assert!(
        asking.ends_with(&texts::conversation_confirm_delete(
            Lang::En,
            "Tell me about whales"
        )),
        "{asking}"
    );
    let holds = |items: &[std::collections::HashMap<String, AttributeValue>], words: &str| {
        items.iter().any(|i| {
            i.values()
                .any(|v| v.as_s().is_ok_and(|s| s.contains(words)))
        })
    };
    assert!(
        holds(&chat_items(&env, user).await, "whales"),
        "not before the confirmation"
    );
    let done = press(&env, user, "Yes, delete 2").await;
    assert!(
        done.starts_with(&texts::conversation_deleted(
            Lang::En,
            "Tell me about whales"
        )),
        "{done}"
    );
    let items = chat_items(&env, user).await;
    assert!(!holds(&items, "whales"), "{items:#?}");
    assert!(
        !items
            .iter()
            .any(|i| i["sk"].as_s().unwrap().starts_with("CONV#")),
        "the listing is gone"
    );
    assert!(
        holds(&items, "Cooking pasta"),
        "the other conversation stays"
    );
}

#[tokio::test]
async fn retry_replaces_the_last_answer_once() {
    let env = TestEnv::start().await;
    let user = 1904;
    assert_eq!(
        env.chat(user, "/retry").await,
        [texts::retry_nothing(Lang::En)]
    );
    env.chat(user, "Tell me about whales").await;
    env.chat(user, "and dolphins?").await;
    let before = env.usage_items(user).await;
    let calls = env.model_calls();
    let replies = env.telegram.texts_to(user).len();
    // The processor dies after storing the new answer and before queueing it: the
    // redelivered /retry sends the stored answer and asks nothing more.
    env.processor.outbox.fail_next_sends(1);
    env.send(user, "/retry").await;
    env.drain().await.expect("drain");
    assert!(env.invocations(testkit::Stage::Processor) >= 2);
    assert_eq!(env.model_calls(), calls + 1);
    assert_eq!(env.telegram.texts_to(user).len(), replies + 1, "one reply");
    assert!(last_prompt(&env).contains("and dolphins?"));
    let after = env.usage_items(user).await;
    assert_eq!(after.len(), 2, "replaced, not added: {after:#?}");
    let old_sk = before.last().unwrap()["sk"].as_s().unwrap().clone();
    assert!(after.iter().all(|i| *i["sk"].as_s().unwrap() != old_sk));
    assert_eq!(
        after.last().unwrap()["text"].as_s().unwrap(),
        "and dolphins?"
    );
}

#[tokio::test]
async fn in_responses_mode_open_goes_on_in_the_provider_conversation_and_delete_deletes_it() {
    let env = TestEnv::with(testkit::StackOptions {
        extra_env: vec![("OPENAI_API_MODE".into(), "responses".into())],
        ..testkit::StackOptions::default()
    })
    .await;
    let user = 1905;
    let conversation_of_last = |env: &TestEnv| {
        let request = env
            .openai
            .as_ref()
            .unwrap()
            .requests()
            .last()
            .cloned()
            .unwrap();
        request["conversation"]
            .as_str()
            .or(request["conversation"]["id"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    env.chat(user, "Tell me about whales").await;
    let whales = conversation_of_last(&env);
    whales_then_cooking_rest(&env, user).await;
    let cooking = conversation_of_last(&env);
    assert_ne!(whales, cooking);
    env.chat(user, "/history").await;
    press(&env, user, "\u{25b6} Open 2").await;
    env.chat(user, "and dolphins?").await;
    assert_eq!(
        conversation_of_last(&env),
        whales,
        "the same provider conversation"
    );
    env.chat(user, "/history").await;
    press(&env, user, "\u{1f5d1} 2").await;
    press(&env, user, "Yes, delete 2").await;
    assert_eq!(
        env.openai.as_ref().unwrap().deleted_conversations(),
        [cooking]
    );
}

async fn whales_then_cooking_rest(env: &TestEnv, user: i64) {
    env.chat(user, "/reset").await;
    env.chat(user, "Cooking pasta tonight").await;
}
