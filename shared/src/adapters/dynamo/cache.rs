//! The TTL cache used without Redis (`CACHE#<key>`).

#[allow(clippy::wildcard_imports)]
use super::*;

/// The TTL cache used when no Redis is configured. DynamoDB deletes expired items only
/// eventually (within days), so expiry is checked on every read.
#[derive(Clone, Debug)]
pub struct DynamoCache {
    store: DynamoStore,
}

impl DynamoCache {
    /// The cache on the store's table, for when no Redis is configured.
    pub fn new(store: DynamoStore) -> Self {
        Self { store }
    }
}

impl Cache for DynamoCache {
    async fn get(&self, cache_key: &str) -> Result<Option<String>> {
        let Some(item) = self
            .store
            .get(format!("CACHE#{cache_key}"), "CACHE", false)
            .await?
        else {
            return Ok(None);
        };
        let expires_ms = match item.get("expires_at_ms") {
            Some(AttributeValue::N(n)) => n.parse::<i64>().unwrap_or(0),
            _ => 0,
        };
        if expires_ms <= now_ms() {
            return Ok(None);
        }
        Ok(match item.get("value") {
            Some(AttributeValue::S(v)) => Some(v.clone()),
            _ => None,
        })
    }

    async fn set(&self, cache_key: &str, value: &str, ttl: Duration) -> Result<()> {
        let expires_ms = now_ms() + ttl.as_millis() as i64;
        let mut item = key(format!("CACHE#{cache_key}"), "CACHE");
        item.insert("value".into(), s(value));
        // Millisecond expiry for the read-time check; whole seconds for DynamoDB's TTL sweep.
        item.insert("expires_at_ms".into(), n(expires_ms));
        item.insert("expires_at".into(), n(expires_ms / 1000 + 1));
        self.store.write(item).await
    }
}
