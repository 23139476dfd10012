//! A Redis that needs a password gets it from a secret, never from the environment: the
//! template passes `REDIS_SECRET_ID`, and subscription-check connects with its
//! `redis_password`.

use std::sync::Arc;
use std::time::Duration;

use shared::adapters::redis::RedisCache;
use shared::adapters::secrets::Secrets;
use shared::ports::Cache;
use testkit::services::{Moto, RedisServer};

async fn secret_holding(moto: &Moto, json: &str) -> Arc<Secrets> {
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(&moto.endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_secretsmanager::config::Credentials::new(
            "test", "test", None, None, "local",
        ))
        .load()
        .await;
    let client = aws_sdk_secretsmanager::Client::new(&sdk);
    let name = format!("redis-auth-{}", testkit::services::free_port().unwrap());
    let arn = client
        .create_secret()
        .name(name)
        .secret_string(json)
        .send()
        .await
        .unwrap()
        .arn
        .unwrap();
    Arc::new(Secrets::aws(client, vec![arn]))
}

#[tokio::test]
async fn a_redis_password_comes_from_the_secret() {
    let moto = Moto::shared().unwrap();
    let redis = RedisServer::start_with_password("s3cret-pw").unwrap();
    let secrets = secret_holding(
        &moto,
        r#"{"telegram_bot_token":"1:AA","redis_password":"s3cret-pw"}"#,
    )
    .await;

    let with = RedisCache::new(&redis.url)
        .unwrap()
        .with_password_from(secrets);
    with.set("k", "v", Duration::from_secs(60)).await.unwrap();
    assert_eq!(with.get("k").await.unwrap().as_deref(), Some("v"));

    // The same URL without the secret is refused by the server: the password is needed,
    // and the URL does not hold it.
    let without = RedisCache::new(&redis.url).unwrap();
    let err = without.get("k").await.unwrap_err();
    assert!(format!("{err:#}").contains("NOAUTH"), "{err:#}");
}

#[tokio::test]
async fn a_secret_without_a_redis_password_connects_as_before() {
    let moto = Moto::shared().unwrap();
    let redis = RedisServer::start().unwrap();
    let secrets = secret_holding(&moto, r#"{"telegram_bot_token":"1:AA"}"#).await;
    let cache = RedisCache::new(&redis.url)
        .unwrap()
        .with_password_from(secrets);
    cache.set("k", "v", Duration::from_secs(60)).await.unwrap();
    assert_eq!(cache.get("k").await.unwrap().as_deref(), Some("v"));
}
