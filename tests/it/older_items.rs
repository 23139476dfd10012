//! Items older versions wrote, read by this one: a deploy must not forget a conversation
//! or answer an update twice.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use shared::adapters::dynamo::keys;
use shared::clock::Clock as _;
use shared::domain::{ChatId, Role, UpdateId, UserId};
use testkit::updates::private_text;

use crate::env::TestEnv;

pub(crate) fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

pub(crate) fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

impl TestEnv {
    pub(crate) async fn put(&self, key: keys::Key, attributes: &[(&str, AttributeValue)]) {
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
    // The old turns are dated 2023: with the idle timeout they would be filed, not read.
    let env = TestEnv::with(testkit::StackOptions {
        extra_env: vec![("CONVERSATION_IDLE_HOURS".into(), "0".into())],
        ..testkit::StackOptions::default()
    })
    .await;
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

impl TestEnv {
    pub(crate) async fn meter(&self, user: i64) -> HashMap<String, AttributeValue> {
        self.clients
            .dynamo
            .get_item()
            .table_name(&self.resources.table)
            .set_key(Some(keys::meter(UserId::new(user)).attributes()))
            .consistent_read(true)
            .send()
            .await
            .expect("get meter")
            .item
            .expect("a meter")
    }
}

pub(crate) fn number(item: &HashMap<String, AttributeValue>, name: &str) -> i64 {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number {name} in {item:?}"))
}

#[tokio::test]
async fn a_user_an_older_version_counted_gets_a_meter_that_goes_on_from_there() {
    let env = TestEnv::start().await;
    let user = UserId::new(3504);
    let now = shared::clock::SystemClock.now_ms();
    env.put(
        keys::profile(user),
        &[
            ("first_name", s("Ann")),
            ("active", AttributeValue::Bool(true)),
            ("message_count", n(7)),
            ("prompt_tokens", n(700)),
        ],
    )
    .await;
    env.put(keys::user_total_counter(user), &[("prompt_tokens", n(50))])
        .await;
    env.put(
        keys::user_day_counter(user, now),
        &[("messages", n(2)), ("prompt_tokens", n(200))],
    )
    .await;
    env.chat(3504, "counted before").await;
    let meter = env.meter(3504).await;
    assert_eq!(number(&meter, "messages"), 8);
    assert_eq!(number(&meter, "day_messages"), 3);
    assert_eq!(number(&meter, "month_messages"), 3);
    assert!(number(&meter, "prompt_tokens") > 750, "{meter:?}");
    assert!(number(&meter, "day_prompt_tokens") > 200, "{meter:?}");
    // The directory and users counter saw Ann long ago: she is not new.
    let usage = env.chat(3504, "/usage").await;
    assert!(usage.iter().any(|t| t.contains('9')), "{usage:?}");
}

#[tokio::test]
async fn stats_add_the_bot_counters_older_versions_kept_to_the_meter() {
    let env = TestEnv::with(testkit::StackOptions {
        admins: vec![3507],
        ..testkit::StackOptions::default()
    })
    .await;
    let now = shared::clock::SystemClock.now_ms();
    // Unsharded (before sharding) and sharded (before the meter) counters.
    env.put(
        keys::legacy_bot_total_counter(),
        &[
            ("users", n(5)),
            ("conversations", n(6)),
            ("messages", n(40)),
        ],
    )
    .await;
    env.put(
        keys::bot_total_counter(3),
        &[("users", n(1)), ("conversations", n(1)), ("messages", n(2))],
    )
    .await;
    env.put(
        keys::bot_day_counter(3, now),
        &[("users", n(1)), ("conversations", n(1)), ("messages", n(2))],
    )
    .await;
    env.chat(3507, "hello").await;
    let stats = env.chat(3507, "/stats").await;
    assert_eq!(stats.len(), 1, "{stats:?}");
    assert!(
        stats[0].starts_with("Today: 2 new users, 2 conversations, 3 messages,"),
        "{stats:?}"
    );
    assert!(
        stats[0].contains("In total: 7 users, 8 conversations, 43 messages,"),
        "{stats:?}"
    );
}
