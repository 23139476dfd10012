//! `CapabilityLog`: what the model server was found to lack.

#[allow(clippy::wildcard_imports)]
use super::*;

/// Stored as a cache entry (`CACHE#cap:<feature>`), expiry checked on read.
impl CapabilityLog for DynamoStore {
    async fn is_missing(&self, feature: &str) -> Result<bool> {
        Ok(self.cached(keys::capability(feature)).await?.is_some())
    }

    async fn mark_missing(&self, feature: &str, ttl: Duration) -> Result<()> {
        self.cache(keys::capability(feature), "missing", ttl).await
    }
}
