//! Rotating the OpenAI key or the bot token with `sam deploy` reaches warm containers:
//! secrets are fetched again after a while (the template also replaces containers when
//! the token changes), model clients are rebuilt for a new key, and a failed refresh
//! keeps the secrets already held.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_secretsmanager::Client;
use shared::adapters::openai::{OpenAiChat, OpenAiSettings};
use shared::adapters::secrets::Secrets;
use shared::domain::{PromptMessage, PromptRole};
use shared::ports::ChatModel;
use testkit::openai_standin::OpenAiStandIn;
use testkit::services::{Moto, free_port};

async fn secrets_client(moto: &Moto) -> Client {
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(&moto.endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_secretsmanager::config::Credentials::new(
            "test", "test", None, None, "local",
        ))
        .load()
        .await;
    Client::new(&sdk)
}

async fn create(client: &Client, json: &str) -> String {
    client
        .create_secret()
        .name(format!("rotation-{}", free_port().unwrap()))
        .secret_string(json)
        .send()
        .await
        .unwrap()
        .arn
        .unwrap()
}

async fn put(client: &Client, arn: &str, json: &str) {
    client
        .put_secret_value()
        .secret_id(arn)
        .secret_string(json)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn secrets_are_fetched_again_once_stale_and_held_while_fresh() {
    let moto = Moto::shared().unwrap();
    let client = secrets_client(&moto).await;
    let arn = create(&client, r#"{"telegram_bot_token":"1:OLD"}"#).await;

    let fresh = Secrets::aws(client.clone(), vec![arn.clone()]);
    let stale = Secrets::aws(client.clone(), vec![arn.clone()]).refreshed_after(Duration::ZERO);
    assert_eq!(fresh.get().await.unwrap().telegram_bot_token, "1:OLD");
    assert_eq!(stale.get().await.unwrap().telegram_bot_token, "1:OLD");

    put(&client, &arn, r#"{"telegram_bot_token":"1:NEW"}"#).await;
    assert_eq!(
        fresh.get().await.unwrap().telegram_bot_token,
        "1:OLD",
        "within REFRESH_AFTER the held secrets are used, at no request"
    );
    assert_eq!(stale.get().await.unwrap().telegram_bot_token, "1:NEW");

    // Secrets Manager failing (here: the secret gone) does not take the held ones away.
    client
        .delete_secret()
        .secret_id(&arn)
        .force_delete_without_recovery(true)
        .send()
        .await
        .unwrap();
    assert_eq!(stale.get().await.unwrap().telegram_bot_token, "1:NEW");
    let never_loaded = Secrets::aws(client, vec![arn]).refreshed_after(Duration::ZERO);
    assert!(never_loaded.get().await.is_err());
}

#[tokio::test]
async fn a_rotated_openai_key_is_used_without_a_new_container() {
    let moto = Moto::shared().unwrap();
    let client = secrets_client(&moto).await;
    let token = create(&client, r#"{"telegram_bot_token":"1:AA"}"#).await;
    let key = create(&client, r#"{"openai_api_key":"sk-old"}"#).await;
    // The provider already takes only the new key: the old one was revoked.
    let openai = OpenAiStandIn::start("sk-new").await;
    let secrets = Arc::new(
        Secrets::aws(client.clone(), vec![token, key.clone()]).refreshed_after(Duration::ZERO),
    );
    let chat = OpenAiChat::new(
        OpenAiSettings::new(&openai.base_url(), "gpt-4o-mini", Duration::from_secs(10)),
        secrets,
    );
    let prompt = [PromptMessage::new(PromptRole::User, "hello")];

    let refused = chat.complete(&prompt, None, 50).await.unwrap_err();
    assert!(!refused.retryable, "a wrong key is permanent: {refused}");

    put(&client, &key, r#"{"openai_api_key":"sk-new"}"#).await;
    let answered = chat.complete(&prompt, None, 50).await.unwrap();
    assert!(!answered.text.is_empty());
}
