//! The TTL cache used without Redis (`CACHE#<key>`).

#[allow(clippy::wildcard_imports)]
use super::*;
use items::CacheItem;

/// The TTL cache used when no Redis is configured. DynamoDB deletes expired items only
/// eventually (within days), so expiry is checked on every read.
#[derive(Clone, Debug)]
pub struct DynamoCache {
    store: DynamoStore,
}

impl DynamoCache {
    /// A cache in `store`'s table.
    pub fn new(store: DynamoStore) -> Self {
        Self { store }
    }
}

impl Cache for DynamoCache {
    async fn get(&self, cache_key: &str) -> Result<Option<String>> {
        Cache::get(&self.store, cache_key).await
    }

    async fn set(&self, cache_key: &str, value: &str, ttl: Duration) -> Result<()> {
        Cache::set(&self.store, cache_key, value, ttl).await
    }

    async fn delete(&self, cache_key: &str) -> Result<()> {
        Cache::delete(&self.store, cache_key).await
    }
}

/// The store is a cache itself: the webhook, outside the VPC and away from Redis, keeps
/// memberships in the table as subscription-check does without Redis.
impl Cache for DynamoStore {
    async fn get(&self, cache_key: &str) -> Result<Option<String>> {
        self.cached(keys::cache_entry(cache_key)).await
    }

    async fn set(&self, cache_key: &str, value: &str, ttl: Duration) -> Result<()> {
        self.cache(keys::cache_entry(cache_key), value, ttl).await
    }

    async fn delete(&self, cache_key: &str) -> Result<()> {
        self.delete_keys(vec![keys::cache_entry(cache_key)]).await
    }
}

impl DynamoStore {
    /// The cache entry at `key`, unless it is absent or has expired.
    pub(super) async fn cached(&self, key: Key) -> Result<Option<String>> {
        let Some(entry) = self.get::<CacheItem>(key, false).await? else {
            return Ok(None);
        };
        Ok((entry.expires_at_ms > now_ms()).then_some(entry.value))
    }

    /// Stores `value` at `key` for `ttl`.
    pub(super) async fn cache(&self, key: Key, value: &str, ttl: Duration) -> Result<()> {
        let Key { pk, sk } = key;
        let expires_at_ms = now_ms() + ttl.as_millis() as i64;
        self.write(&CacheItem {
            pk,
            sk,
            value: value.to_owned(),
            expires_at_ms,
            // Whole seconds, rounded up, for DynamoDB's TTL sweep.
            expires_at: expires_at_ms / 1000 + 1,
        })
        .await
    }
}

impl RateCounter for DynamoCache {
    async fn count_message(&self, user: UserId, window: i64) -> Result<u64> {
        self.store.count_message(user, window).await
    }

    async fn forget_counts(&self, _user: UserId) -> Result<()> {
        // `USER#<id>/RATE#<minute>`: deleted with the rest of the user's partition.
        Ok(())
    }
}

impl DynamoStore {
    /// One `UpdateItem` on the window's own small item (a few dozen bytes: 1 WRU): `ADD`
    /// needs no condition, as a new window is a new item, and the count comes back with it.
    pub(super) async fn count_message(&self, user: UserId, window: i64) -> Result<u64> {
        let expires_at = (window + 1) * 60 + crate::domain::rate::WINDOW_TTL_SECS;
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::rate_window(user, window).attributes()))
            .update_expression("ADD #n :one SET expires_at = :exp")
            .expression_attribute_names("#n", "count")
            .expression_attribute_values(":one", value(1u64)?)
            .expression_attribute_values(":exp", value(expires_at)?)
            .return_values(aws_sdk_dynamodb::types::ReturnValue::UpdatedNew)
            .send()
            .await
            .map_err(|e| sdk_err("UpdateItem", e))?;
        out.attributes()
            .and_then(|a| a.get("count"))
            .and_then(|v| v.as_n().ok())
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| Failure::permanent(anyhow!("rate counter: no count returned")))
    }
}
