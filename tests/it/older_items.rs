//! Items older versions wrote, read by this one: a deploy must not forget a conversation
//! or answer an update twice.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use shared::adapters::dynamo::keys;
use shared::domain::{ChatId, Role, UpdateId};
use testkit::updates::private_text;

use crate::env::TestEnv;

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

impl TestEnv {
    async fn put(&self, key: keys::Key, attributes: &[(&str, AttributeValue)]) {
        let mut item: HashMap<String, AttributeValue> = key.attributes();
        for (name, value) in attributes {
            item.insert((*name).to_owned(), value.clone());
        }
        self.clients
            .dynamo
            .put_item()
            .table_name(&self.resources.table)
            .set_item(Some(item))
            .send()
            .await
            .expect("put an older item");
    }
}

#[tokio::test]
async fn an_answer_stored_under_the_update_by_an_older_version_is_sent_without_asking_again() {
    let env = TestEnv::start().await;
    let update = private_text(3501, "Ann", "asked before the deploy");
    let id = UpdateId(update["update_id"].as_u64().unwrap());
    // What versions before the exchange item stored, as they stored it.
    env.put(
        keys::legacy_reply(id),
        &[
            ("text", s("answered before the deploy")),
            ("chat_id", n(3501)),
            ("at", n(1)),
            ("expires_at", n(4_000_000_000)),
        ],
    )
    .await;
    let (status, _) = env.post_update(&update).await.unwrap();
    assert_eq!(status, 200);
    env.drain().await.unwrap();
    assert_eq!(env.telegram.texts_to(3501), ["answered before the deploy"]);
    assert_eq!(env.model_calls(), 0);
}

#[tokio::test]
async fn turns_stored_one_by_one_by_an_older_version_come_before_the_new_exchanges() {
    let env = TestEnv::start().await;
    let chat = ChatId::new(3502);
    let at = 1_700_000_000_000;
    for (i, (role, text)) in [
        (Role::User, "old question"),
        (Role::Assistant, "old answer"),
    ]
    .into_iter()
    .enumerate()
    {
        let role_name = if role == Role::User {
            "user"
        } else {
            "assistant"
        };
        env.put(
            keys::turn(chat, at, UpdateId(7), role),
            &[
                ("role", s(role_name)),
                ("text", s(text)),
                ("kind", AttributeValue::Null(true)),
                ("at", n(at + i as i64)),
                ("expires_at", n(4_000_000_000)),
            ],
        )
        .await;
    }
    env.chat(3502, "new question").await;
    env.chat(3502, "and another").await;
    let requests = env.openai.as_ref().unwrap().requests();
    let last = requests.last().expect("a model request");
    let said: Vec<&str> = last["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] != "system")
        .filter_map(|m| m["content"].as_str())
        .collect();
    assert_eq!(said.len(), 5, "{said:?}");
    assert_eq!(&said[..2], ["old question", "old answer"]);
    assert_eq!(said[2], "new question");
    assert_eq!(said[4], "and another");
    // The new exchanges are one item each; the old turns stay as they were.
    assert_eq!(env.usage_records(3502).await, 2);
}

#[tokio::test]
async fn an_update_an_older_version_claimed_but_may_not_have_enqueued_is_answered_once() {
    let env = TestEnv::start().await;
    let update = private_text(3503, "Ann", "claimed before the deploy");
    let id = UpdateId(update["update_id"].as_u64().unwrap());
    env.put(
        keys::update_claim(id),
        &[
            ("status", s("pending")),
            ("at", n(1)),
            ("expires_at", n(4_000_000_000)),
        ],
    )
    .await;
    for _ in 0..2 {
        let (status, _) = env.post_update(&update).await.unwrap();
        assert_eq!(status, 200);
    }
    env.drain().await.unwrap();
    assert_eq!(env.telegram.texts_to(3503).len(), 1);
    assert_eq!(env.model_calls(), 1);
}
