//! The cache behind the membership checks, Redis or DynamoDB, chosen once at start-up.

use std::time::Duration;

use super::dynamo::DynamoCache;
use super::redis::RedisCache;
use crate::domain::UserId;
use crate::error::Result;
use crate::ports::{Cache, RateCounter};

/// The cache chosen at start-up: Redis when `REDIS_URL` is set, DynamoDB items otherwise.
#[derive(Debug)]
pub enum AnyCache {
    /// `REDIS_URL` is set: one cache shared by every container. The table is where the
    /// rate limit counts while Redis is down.
    // Boxed: the Redis client is large and the DynamoDB one is not.
    Redis(Box<RedisCache>, DynamoCache),
    /// No Redis: items with an expiry time in the bot's own DynamoDB table.
    Dynamo(DynamoCache),
}

impl AnyCache {
    /// `redis` or `dynamodb`, to say in logs which one serves.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Redis(..) => "redis",
            Self::Dynamo(_) => "dynamodb",
        }
    }
}

impl Cache for AnyCache {
    async fn get(&self, key: &str) -> Result<Option<String>> {
        match self {
            Self::Redis(c, _) => c.get(key).await,
            Self::Dynamo(c) => c.get(key).await,
        }
    }

    async fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<()> {
        match self {
            Self::Redis(c, _) => c.set(key, value, ttl).await,
            Self::Dynamo(c) => c.set(key, value, ttl).await,
        }
    }

    async fn delete(&self, key: &str) -> Result<()> {
        match self {
            // The webhook keeps memberships in the table even when Redis is configured
            // (it cannot reach Redis): a deletion clears both.
            Self::Redis(c, table) => {
                c.delete(key).await?;
                table.delete(key).await
            }
            Self::Dynamo(c) => c.delete(key).await,
        }
    }
}

impl RateCounter for AnyCache {
    async fn count_message(&self, user: UserId, window: i64) -> Result<u64> {
        match self {
            Self::Redis(redis, table) => match redis.count_message(user, window).await {
                Ok(count) => Ok(count),
                // Redis is down (and now cooling off): the table counts instead, so the
                // limit still holds, at one write per message until Redis is back. A
                // window split between the two counts at most twice its limit.
                Err(e) => {
                    tracing::warn!(error = %e, "redis unavailable; counting the rate limit in DynamoDB");
                    table.count_message(user, window).await
                }
            },
            Self::Dynamo(table) => table.count_message(user, window).await,
        }
    }

    async fn forget_counts(&self, user: UserId) -> Result<()> {
        match self {
            // The table's windows are in the user's partition, which the processor
            // deletes whole.
            Self::Redis(redis, _) => redis.forget_counts(user).await,
            Self::Dynamo(_) => Ok(()),
        }
    }
}
