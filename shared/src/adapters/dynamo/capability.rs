//! `CapabilityLog`: what the model server was found to lack.

#[allow(clippy::wildcard_imports)]
use super::*;

/// Stored like a cache entry (`CACHE#cap:<feature>`), expiry checked on read.
impl CapabilityLog for DynamoStore {
    async fn is_missing(&self, feature: &str) -> Result<bool> {
        let cache = DynamoCache::new(self.clone());
        Ok(cache.get(&format!("cap:{feature}")).await?.is_some())
    }

    async fn mark_missing(&self, feature: &str, ttl: Duration) -> Result<()> {
        let cache = DynamoCache::new(self.clone());
        cache.set(&format!("cap:{feature}"), "missing", ttl).await
    }
}
