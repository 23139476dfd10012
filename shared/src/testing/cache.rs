//! A cache with expiry on tokio's clock, and health probes with fixed results.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::anyhow;
use tokio::time::Instant;

use super::lock;
use crate::Failure;
use crate::domain::UserId;
use crate::handlers::webhook::{Check, HealthProbe};
use crate::ports::{Cache, RateCounter};

/// A string cache like Redis with `SET … PX`: entries expire on tokio's clock, so a
/// paused test moves past a TTL with `tokio::time::advance`.
#[derive(Debug, Default)]
pub struct FakeCache {
    entries: Mutex<HashMap<String, (String, Instant)>>,
    /// Calls still to fail, as an unreachable Redis would.
    failing: Mutex<usize>,
    reads: Mutex<usize>,
    /// Messages counted per person and minute, for the rate limit.
    counts: Mutex<HashMap<(UserId, i64), u64>>,
}

impl FakeCache {
    /// The next `times` calls fail (retryable, as a dropped connection).
    pub fn fail(&self, times: usize) {
        *lock(&self.failing) = times;
    }

    /// How many reads were made.
    pub fn reads(&self) -> usize {
        *lock(&self.reads)
    }

    /// The live value under `key`, without counting a read.
    pub fn peek(&self, key: &str) -> Option<String> {
        lock(&self.entries)
            .get(key)
            .filter(|(_, until)| *until > Instant::now())
            .map(|(v, _)| v.clone())
    }

    fn check(&self) -> Result<(), Failure> {
        let mut failing = lock(&self.failing);
        if *failing > 0 {
            *failing -= 1;
            return Err(Failure::retryable(anyhow!("injected cache failure")));
        }
        Ok(())
    }
}

impl Cache for FakeCache {
    async fn get(&self, key: &str) -> Result<Option<String>, Failure> {
        *lock(&self.reads) += 1;
        self.check()?;
        Ok(self.peek(key))
    }

    async fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<(), Failure> {
        self.check()?;
        lock(&self.entries).insert(key.to_owned(), (value.to_owned(), Instant::now() + ttl));
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), Failure> {
        self.check()?;
        lock(&self.entries).remove(key);
        Ok(())
    }
}

impl RateCounter for FakeCache {
    async fn count_message(&self, user: UserId, window: i64) -> Result<u64, Failure> {
        self.check()?;
        let mut counts = lock(&self.counts);
        let count = counts.entry((user, window)).or_default();
        *count += 1;
        Ok(*count)
    }

    async fn forget_counts(&self, user: UserId) -> Result<(), Failure> {
        self.check()?;
        lock(&self.counts).retain(|(u, _), _| *u != user);
        Ok(())
    }
}

/// Dependency probes with the results a test gives.
#[derive(Debug, Default)]
pub struct FakeHealth {
    checks: Mutex<Vec<Check>>,
    probes: Mutex<usize>,
}

impl FakeHealth {
    /// Probes answer these checks from now on.
    pub fn answer(&self, checks: Vec<Check>) {
        *lock(&self.checks) = checks;
    }

    /// How many times the dependencies were probed.
    pub fn probes(&self) -> usize {
        *lock(&self.probes)
    }
}

impl HealthProbe for FakeHealth {
    async fn probe(&self) -> Vec<Check> {
        *lock(&self.probes) += 1;
        lock(&self.checks).clone()
    }
}
