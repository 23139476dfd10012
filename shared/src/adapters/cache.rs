use std::time::Duration;

use super::dynamo::DynamoCache;
use super::redis::RedisCache;
use crate::error::Result;
use crate::ports::Cache;

/// The cache chosen at start-up: Redis when `REDIS_URL` is set, DynamoDB items otherwise.
#[derive(Debug)]
pub enum AnyCache {
    // Boxed: the Redis client is large and the DynamoDB one is not.
    Redis(Box<RedisCache>),
    Dynamo(DynamoCache),
}

impl AnyCache {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Redis(_) => "redis",
            Self::Dynamo(_) => "dynamodb",
        }
    }
}

impl Cache for AnyCache {
    async fn get(&self, key: &str) -> Result<Option<String>> {
        match self {
            Self::Redis(c) => c.get(key).await,
            Self::Dynamo(c) => c.get(key).await,
        }
    }

    async fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<()> {
        match self {
            Self::Redis(c) => c.set(key, value, ttl).await,
            Self::Dynamo(c) => c.set(key, value, ttl).await,
        }
    }
}
