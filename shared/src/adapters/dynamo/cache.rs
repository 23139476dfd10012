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
        self.store.cached(keys::cache_entry(cache_key)).await
    }

    async fn set(&self, cache_key: &str, value: &str, ttl: Duration) -> Result<()> {
        self.store
            .cache(keys::cache_entry(cache_key), value, ttl)
            .await
    }

    async fn delete(&self, cache_key: &str) -> Result<()> {
        self.store
            .delete_keys(vec![keys::cache_entry(cache_key)])
            .await
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
