use std::ops::Deref;

use aws_sdk_dynamodb::types::AttributeValue;
use http::StatusCode;
use serde_json::Value;
use shared::adapters::dynamo::keys;
use shared::domain::UserId;
use testkit::updates::private_text;
use testkit::{Stack, StackOptions};

/// One stack per test; checks on drop that neither stand-in saw a request its API
/// description does not allow, and that Telegram's flood control was respected.
pub struct TestEnv {
    pub stack: Stack,
}

impl Deref for TestEnv {
    type Target = Stack;
    fn deref(&self) -> &Stack {
        &self.stack
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        let violations = self.stack.violations();
        let floods = self.stack.telegram.flood_violations();
        if !std::thread::panicking() {
            assert!(
                violations.is_empty(),
                "requests outside the API descriptions: {violations:#?}"
            );
            assert!(
                floods.is_empty(),
                "calls within a 429's retry_after: {floods:#?}"
            );
        }
    }
}

pub fn init_logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TEST_LOG")
                .unwrap_or_else(|_| "off".into()),
        )
        .with_test_writer()
        .try_init();
}

impl TestEnv {
    pub async fn start() -> Self {
        Self::with(StackOptions::default()).await
    }

    pub async fn with(opts: StackOptions) -> Self {
        init_logs();
        let stack = Stack::start(opts).await.expect("local stack");
        Self { stack }
    }

    /// The user sends `text`; returns the update that was posted.
    pub async fn send(&self, user: i64, text: &str) -> Value {
        let update = private_text(user, "Ann", text);
        let (status, _) = self.post_update(&update).await.expect("webhook");
        assert_eq!(status, StatusCode::OK);
        update
    }

    /// The user sends `text`, the pipeline runs to completion, and the texts the user
    /// received because of it are returned.
    pub async fn chat(&self, user: i64, text: &str) -> Vec<String> {
        let before = self.telegram.texts_to(user).len();
        let update = private_text(user, "Ann", text);
        let (status, _) = self.post_update(&update).await.expect("webhook");
        assert_eq!(status, StatusCode::OK);
        self.drain().await.expect("drain");
        self.telegram.texts_to(user)[before..].to_vec()
    }

    pub fn model_calls(&self) -> usize {
        self.openai.as_ref().map_or(0, |o| o.requests().len())
    }

    /// Items under `USER#<user>` whose sort key starts with `prefix`.
    pub async fn user_items(
        &self,
        user: i64,
        prefix: &str,
    ) -> Vec<std::collections::HashMap<String, AttributeValue>> {
        self.items_under(&keys::user_pk(UserId::new(user)), prefix)
            .await
    }

    /// Items in partition `pk` whose sort key starts with `prefix`.
    pub async fn items_under(
        &self,
        pk: &str,
        prefix: &str,
    ) -> Vec<std::collections::HashMap<String, AttributeValue>> {
        self.clients
            .dynamo
            .query()
            .table_name(&self.resources.table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :p)")
            .expression_attribute_values(":pk", AttributeValue::S(pk.to_owned()))
            .expression_attribute_values(":p", AttributeValue::S(prefix.to_owned()))
            .send()
            .await
            .expect("query")
            .items
            .unwrap_or_default()
    }

    /// The exchanges (each with its usage) in `user`'s private chat, oldest first.
    pub async fn usage_items(
        &self,
        user: i64,
    ) -> Vec<std::collections::HashMap<String, AttributeValue>> {
        let chat = keys::chat_pk(shared::domain::ChatId::new(user));
        self.items_under(&chat, keys::TURN_PREFIX)
            .await
            .into_iter()
            .filter(|item| item.contains_key("reply"))
            .collect()
    }

    pub async fn usage_records(&self, user: i64) -> usize {
        self.usage_items(user).await.len()
    }

    pub async fn profile(&self, user: i64) -> std::collections::HashMap<String, AttributeValue> {
        self.clients
            .dynamo
            .get_item()
            .table_name(&self.resources.table)
            .set_key(Some(keys::profile(UserId::new(user)).attributes()))
            .send()
            .await
            .expect("get profile")
            .item
            .unwrap_or_default()
    }

    pub async fn queue_depths(&self) -> u64 {
        let mut total = 0;
        for url in [
            &self.resources.inbound,
            &self.resources.work,
            &self.resources.outbox,
        ] {
            total += self.depth(url).await.expect("depth");
        }
        total
    }
}

/// The stand-in echoes what it is sent, so a long message gets a long reply: room for it
/// under the output limit every model call carries.
pub fn long_replies() -> StackOptions {
    StackOptions {
        extra_env: vec![("MAX_REPLY_TOKENS".into(), "20000".into())],
        ..StackOptions::default()
    }
}
