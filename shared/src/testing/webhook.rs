//! The webhook on fakes, and a request through it as Telegram would send it.

use std::sync::Arc;

use http::StatusCode;
use lambda_http::{Body, Request};

use super::{FakeHealth, FakeQueue, FakeStore, FakeTelegram};
use crate::adapters::secrets::{BotSecrets, Secrets};
use crate::domain::{AccessPolicy, ChannelRef};
use crate::handlers::webhook::{ProbeCache, SECRET_HEADER, WebhookAccess, WebhookState, handle};

/// The webhook's state on fakes.
pub type FakeWebhook = WebhookState<FakeStore, FakeQueue, FakeHealth, FakeTelegram>;

/// The user on the fake webhook's `ADMIN_USER_IDS`.
pub const ADMIN: i64 = 7;

/// The secret token the fake webhook expects (given whole, not derived).
pub const WEBHOOK_SECRET: &str = "fake_webhook_secret";

/// A webhook on fakes for `@my_bot` (id 555), with `channel` as the gate if any.
pub fn webhook(channel: Option<ChannelRef>) -> FakeWebhook {
    let secrets = BotSecrets::parse(&format!(
        r#"{{"telegram_bot_token":"555:fake","openai_api_key":"sk-fake","webhook_secret":"{WEBHOOK_SECRET}"}}"#
    ))
    .expect("the fake secrets parse");
    WebhookState {
        log: FakeStore::default(),
        inbound: FakeQueue::default(),
        secrets: Arc::new(Secrets::fixed(secrets)),
        channel: channel.clone(),
        bot_username: Some("my_bot".into()),
        health: FakeHealth::default(),
        probe_cache: ProbeCache::default(),
        config_summary: serde_json::json!({"mode": "fake"}),
        telegram: FakeTelegram::default(),
        allowed_models: super::models(&["gpt-4o-mini", "gpt-4o"]),
        access: WebhookAccess {
            policy: AccessPolicy {
                allowed_users: Vec::new(),
                channel,
            },
            invite_url: None,
            ttl: std::time::Duration::from_secs(600),
        },
        admins: vec![crate::domain::UserId::new(ADMIN)],
    }
}

/// Sends `request` through the webhook: its status, and its body as JSON (`null` when
/// it is not JSON).
pub async fn post(state: &FakeWebhook, request: Request) -> (StatusCode, serde_json::Value) {
    let response = handle(state, request).await.expect("the webhook answers");
    let status = response.status();
    let body = serde_json::from_slice(response.body().as_ref()).unwrap_or_default();
    (status, body)
}

/// POSTs `update` (JSON) with the right secret token, as Telegram does.
pub async fn post_update(state: &FakeWebhook, update: &str) -> (StatusCode, serde_json::Value) {
    let request = http::Request::builder()
        .method("POST")
        .uri("/")
        .header(SECRET_HEADER, WEBHOOK_SECRET)
        .body(Body::from(update.to_owned()))
        .expect("a valid request");
    post(state, request).await
}
