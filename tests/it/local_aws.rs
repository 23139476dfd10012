//! The local AWS behaves as AWS does where the tests rely on it (moto, through
//! `tests/support/moto_server.py`): a FIFO message group keeps its order, and a cancelled
//! transaction puts back what it touched and nothing else.

use std::time::Duration;

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};
use testkit::esm;

use crate::env::TestEnv;

async fn bodies(env: &TestEnv, url: &str) -> Vec<String> {
    esm::receive(&env.clients.sqs, url, 10)
        .await
        .expect("ReceiveMessage")
        .into_iter()
        .map(|m| m.body.unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn a_batch_that_timed_out_comes_back_first_message_first() {
    let env = TestEnv::start().await;
    let url = env.resources.work.clone();
    for body in ["first", "second"] {
        env.clients
            .sqs
            .send_message()
            .queue_url(&url)
            .message_body(body)
            .message_group_id("chat-1")
            .message_deduplication_id(body)
            .send()
            .await
            .expect("SendMessage");
    }
    let taken = esm::receive(&env.clients.sqs, &url, 10).await.unwrap();
    assert_eq!(taken.len(), 2);
    // The consumer dies: both time out together.
    for m in &taken {
        env.clients
            .sqs
            .change_message_visibility()
            .queue_url(&url)
            .set_receipt_handle(m.receipt_handle.clone())
            .visibility_timeout(1)
            .send()
            .await
            .expect("ChangeMessageVisibility");
    }
    // Until both are back nothing of the group may be handed out; then the first leads.
    let mut back = Vec::new();
    for _ in 0..300 {
        back = bodies(&env, &url).await;
        if !back.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(back, ["first", "second"]);
}

fn key(pk: &str) -> [(String, AttributeValue); 2] {
    [
        ("pk".into(), AttributeValue::S(pk.into())),
        ("sk".into(), AttributeValue::S("T".into())),
    ]
}

async fn value(env: &TestEnv, pk: &str) -> Option<String> {
    let got = env
        .clients
        .dynamo
        .get_item()
        .table_name(&env.resources.table)
        .set_key(Some(key(pk).into_iter().collect()))
        .consistent_read(true)
        .send()
        .await
        .expect("GetItem");
    got.item.map(|i| match i.get("v") {
        Some(AttributeValue::S(v)) => v.clone(),
        _ => String::new(),
    })
}

fn put(env: &TestEnv, pk: &str, v: &str, only_new: bool) -> TransactWriteItem {
    let mut item: std::collections::HashMap<_, _> = key(pk).into_iter().collect();
    item.insert("v".into(), AttributeValue::S(v.into()));
    let put = Put::builder()
        .table_name(&env.resources.table)
        .set_item(Some(item))
        .set_condition_expression(only_new.then(|| "attribute_not_exists(pk)".into()))
        .build()
        .unwrap();
    TransactWriteItem::builder().put(put).build()
}

#[tokio::test]
async fn a_cancelled_transaction_puts_back_what_it_touched_and_nothing_else() {
    let env = TestEnv::start().await;
    let dynamo = &env.clients.dynamo;
    let table = env.resources.table.clone();
    for (pk, v) in [
        ("tx-old", "before"),
        ("tx-taken", "first"),
        ("tx-bystander", "mine"),
    ] {
        dynamo
            .put_item()
            .table_name(&table)
            .set_item(Some(
                key(pk)
                    .into_iter()
                    .chain([("v".into(), AttributeValue::S(v.into()))])
                    .collect(),
            ))
            .send()
            .await
            .expect("PutItem");
    }
    let update = Update::builder()
        .table_name(&table)
        .set_key(Some(key("tx-old").into_iter().collect()))
        .update_expression("SET v = :v")
        .expression_attribute_values(":v", AttributeValue::S("after".into()))
        .build()
        .unwrap();
    // A new item, a change, then a condition that fails: all or nothing.
    let cancelled = dynamo
        .transact_write_items()
        .transact_items(put(&env, "tx-new", "x", true))
        .transact_items(TransactWriteItem::builder().update(update).build())
        .transact_items(put(&env, "tx-taken", "second", true))
        .send()
        .await;
    assert!(cancelled.is_err(), "the condition on tx-taken fails");
    assert_eq!(value(&env, "tx-new").await, None);
    assert_eq!(value(&env, "tx-old").await.as_deref(), Some("before"));
    assert_eq!(value(&env, "tx-taken").await.as_deref(), Some("first"));
    assert_eq!(value(&env, "tx-bystander").await.as_deref(), Some("mine"));
    // And one that passes is applied whole.
    dynamo
        .transact_write_items()
        .transact_items(put(&env, "tx-new", "x", true))
        .transact_items(put(&env, "tx-old", "again", false))
        .send()
        .await
        .expect("TransactWriteItems");
    assert_eq!(value(&env, "tx-new").await.as_deref(), Some("x"));
    assert_eq!(value(&env, "tx-old").await.as_deref(), Some("again"));
}
