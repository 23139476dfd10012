//! Redis-compatible cache (ElastiCache, Valkey). Optional: with no `REDIS_URL` the
//! DynamoDB cache is used, and when Redis fails the caller carries on without a cache.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::anyhow;
use redis::AsyncCommands;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::OnceCell;
use tokio::time::Instant;

use super::secrets::Secrets;
use crate::domain::UserId;
use crate::domain::rate::WINDOW_TTL_SECS;
use crate::error::{Failure, Result};
use crate::ports::{Cache, RateCounter};

/// After a failure, Redis is skipped for this long so that every request does not pay
/// a connect timeout while the cache is down.
const COOL_OFF: Duration = Duration::from_secs(30);
const TIMEOUT: Duration = Duration::from_millis(500);

/// The membership cache in Redis; after a failure it is skipped for a while, not waited on.
pub struct RedisCache {
    client: redis::Client,
    /// Where the password comes from when the URL has none (`REDIS_SECRET_ID`).
    password_from: Option<Arc<Secrets>>,
    conn: OnceCell<ConnectionManager>,
    down_until: Mutex<Option<Instant>>,
}

impl std::fmt::Debug for RedisCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password.
        f.debug_struct("RedisCache").finish_non_exhaustive()
    }
}

impl RedisCache {
    /// Parses the URL only; the connection is made on first use, keeping it out of cold start.
    pub fn new(url: &str) -> anyhow::Result<Self> {
        Ok(Self {
            client: redis::Client::open(url).map_err(|e| anyhow!("REDIS_URL is invalid: {e}"))?,
            password_from: None,
            conn: OnceCell::new(),
            down_until: Mutex::new(None),
        })
    }

    /// Takes the password from the secrets' `redis_password`, fetched on first connect.
    pub fn with_password_from(mut self, secrets: Arc<Secrets>) -> Self {
        self.password_from = Some(secrets);
        self
    }

    /// The client to connect with: the URL's, plus the secret's password if there is one.
    async fn client(&self) -> Result<redis::Client> {
        let Some(secrets) = &self.password_from else {
            return Ok(self.client.clone());
        };
        let secrets = secrets.get().await?;
        let Some(password) = secrets.redis_password() else {
            return Ok(self.client.clone());
        };
        let info = self.client.get_connection_info().clone();
        let settings = info.redis_settings().clone().set_password(password);
        redis::Client::open(info.set_redis_settings(settings))
            .map_err(|e| Failure::permanent(anyhow!("redis client: {e}")))
    }

    fn cooling_off(&self) -> bool {
        let guard = self.down_until.lock().unwrap_or_else(|e| e.into_inner());
        guard.is_some_and(|until| Instant::now() < until)
    }

    fn trip(&self) {
        *self.down_until.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(Instant::now() + COOL_OFF);
    }

    async fn connection(&self) -> Result<ConnectionManager> {
        if self.cooling_off() {
            return Err(Failure::retryable(anyhow!(
                "redis is cooling off after a failure"
            )));
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(TIMEOUT))
            .set_response_timeout(Some(TIMEOUT))
            .set_number_of_retries(1);
        let conn = self
            .conn
            .get_or_try_init(|| async {
                let client = self.client().await.map_err(|e| {
                    redis::RedisError::from((redis::ErrorKind::Client, "password", e.to_string()))
                })?;
                ConnectionManager::new_with_config(client, config).await
            })
            .await
            .map_err(|e| {
                self.trip();
                Failure::retryable(anyhow!("redis connect: {e}"))
            })?;
        Ok(conn.clone())
    }

    /// Reachability for `/health`; a failure starts the cool-off like any other.
    pub async fn ping(&self) -> Result<()> {
        let mut conn = self.connection().await?;
        redis::cmd("PING")
            .query_async::<String>(&mut conn)
            .await
            .map(|_| ())
            .map_err(|e| self.fail(e))
    }

    fn fail(&self, e: redis::RedisError) -> Failure {
        self.trip();
        Failure::retryable(anyhow!("redis: {e}"))
    }
}

impl Cache for RedisCache {
    async fn get(&self, key: &str) -> Result<Option<String>> {
        let mut conn = self.connection().await?;
        conn.get(key).await.map_err(|e| self.fail(e))
    }

    async fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<()> {
        let mut conn = self.connection().await?;
        let millis = ttl.as_millis().max(1) as u64;
        conn.pset_ex::<_, _, ()>(key, value, millis)
            .await
            .map_err(|e| self.fail(e))
    }

    async fn delete(&self, key: &str) -> Result<()> {
        let mut conn = self.connection().await?;
        conn.del::<_, ()>(key).await.map_err(|e| self.fail(e))
    }
}

impl RateCounter for RedisCache {
    /// `INCR` and `EXPIRE` in one `MULTI`/`EXEC`: one round trip, and no counter is left
    /// without an expiry if the connection drops between the two. Each window has its own
    /// key, so renewing the expiry on every message keeps nothing longer than it should.
    async fn count_message(&self, user: UserId, window: i64) -> Result<u64> {
        let mut conn = self.connection().await?;
        let key = format!("rate:{user}:{window}");
        let (count,): (u64,) = redis::pipe()
            .atomic()
            .incr(&key, 1)
            .expire(&key, 60 + WINDOW_TTL_SECS)
            .ignore()
            .query_async(&mut conn)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(count)
    }

    /// `SCAN` for the user's windows (at most a few, each expiring within minutes), then
    /// one `DEL`. Only `/forget` asks, so a scan's cost is paid rarely.
    async fn forget_counts(&self, user: UserId) -> Result<()> {
        let mut conn = self.connection().await?;
        let keys: Vec<String> = {
            let mut iter = conn
                .scan_match::<_, String>(format!("rate:{user}:*"))
                .await
                .map_err(|e| self.fail(e))?;
            let mut keys = Vec::new();
            while let Some(key) = futures::StreamExt::next(&mut iter).await {
                keys.push(key.map_err(|e| self.fail(e))?);
            }
            keys
        };
        if keys.is_empty() {
            return Ok(());
        }
        conn.del::<_, ()>(keys).await.map_err(|e| self.fail(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn cools_off_after_failure_then_tries_again() {
        // Port 1 on loopback: nothing listens, so connecting fails fast.
        let cache = RedisCache::new("redis://127.0.0.1:1/").unwrap();
        assert!(cache.get("k").await.is_err());
        assert!(cache.cooling_off());
        tokio::time::advance(COOL_OFF - Duration::from_secs(1)).await;
        assert!(cache.cooling_off());
        tokio::time::advance(Duration::from_secs(2)).await;
        assert!(!cache.cooling_off());
    }

    #[test]
    fn rejects_bad_url() {
        assert!(RedisCache::new("http://nope").is_err());
    }
}
