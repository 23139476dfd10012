//! The cache behind the membership checks, Redis or DynamoDB, chosen once at start-up.

use std::time::Duration;

use super::dynamo::DynamoCache;
use super::redis::RedisCache;
use crate::error::Result;
use crate::ports::Cache;

/// The cache chosen at start-up: Redis when `REDIS_URL` is set, DynamoDB items otherwise.
#[derive(Debug)]
pub enum AnyCache {
    /// `REDIS_URL` is set: one cache shared by every container.
    // Boxed: the Redis client is large and the DynamoDB one is not.
    Redis(Box<RedisCache>),
    /// No Redis: items with an expiry time in the bot's own DynamoDB table.
    Dynamo(DynamoCache),
}

impl AnyCache {
    /// `redis` or `dynamodb`, to say in logs which one serves.
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

    async fn delete(&self, key: &str) -> Result<()> {
        match self {
            Self::Redis(c) => c.delete(key).await,
            Self::Dynamo(c) => c.delete(key).await,
        }
    }
}
