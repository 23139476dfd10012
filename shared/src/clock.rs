//! Time: the wall clock as a port ([`Clock`]), and time limits on tokio's clock so tests
//! can drive both with `tokio::time::pause`.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

/// The wall clock, as the handlers see it: dates of counters, budgets' days and months,
/// when held fragments are due. A port so a test can set the date and move it.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Now, in Unix milliseconds.
    fn now_ms(&self) -> i64;
}

/// The system's clock: what every function runs on.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64)
    }
}

/// A clock a test sets and moves. It also follows tokio's clock, so on a paused runtime
/// `tokio::time::advance` (or a sleep that auto-advances) moves the date with it.
#[derive(Debug)]
pub struct ManualClock {
    start_ms: i64,
    origin: Instant,
    offset_ms: AtomicI64,
}

impl ManualClock {
    /// A clock that reads `start_ms` now.
    pub fn at(start_ms: i64) -> Self {
        Self {
            start_ms,
            origin: Instant::now(),
            offset_ms: AtomicI64::new(0),
        }
    }

    /// Moves the date forward (or back, with a negative step) without touching tokio's clock.
    pub fn advance(&self, by: Duration) {
        self.offset_ms
            .fetch_add(by.as_millis() as i64, Ordering::SeqCst);
    }

    /// Jumps to `ms` (Unix milliseconds).
    pub fn set(&self, ms: i64) {
        let now = self.now_ms();
        self.offset_ms.fetch_add(ms - now, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        let followed = Instant::now().saturating_duration_since(self.origin);
        self.start_ms + followed.as_millis() as i64 + self.offset_ms.load(Ordering::SeqCst)
    }
}

/// When an invocation must have finished: Lambda stops the function there, mid-write if
/// need be, so work is planned to end before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadline(Instant);

impl Deadline {
    /// `budget` from now, on tokio's clock, so a paused test runtime controls it.
    pub fn after(budget: Duration) -> Self {
        Self(Instant::now() + budget)
    }

    /// From the Lambda context's deadline (Unix milliseconds). Local emulators do not
    /// always send a real one; a deadline that is missing or already past gets `fallback`.
    pub fn from_unix_ms(deadline_ms: u64, fallback: Duration) -> Self {
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        match deadline_ms.checked_sub(now_ms) {
            Some(left) if left > 0 => Self::after(Duration::from_millis(left)),
            _ => Self::after(fallback),
        }
    }

    /// Time left, zero once past: what decides whether another attempt can start.
    pub fn remaining(&self) -> Duration {
        self.0.saturating_duration_since(Instant::now())
    }

    /// The deadline itself, for `timeout_at` and `sleep_until`.
    pub fn instant(&self) -> Instant {
        self.0
    }

    /// `margin` sooner: the time left for a step that must leave room for what follows it.
    pub fn less(&self, margin: Duration) -> Self {
        Self(self.0.checked_sub(margin).unwrap_or_else(Instant::now))
    }

    /// A call's own limit, cut to what is left of the invocation.
    pub fn bound(&self, limit: Duration) -> Duration {
        limit.min(self.remaining())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_manual_clock_is_set_moved_and_follows_tokio() {
        let clock = ManualClock::at(1_000);
        assert_eq!(clock.now_ms(), 1_000);
        clock.advance(Duration::from_millis(500));
        assert_eq!(clock.now_ms(), 1_500);
        tokio::time::advance(Duration::from_secs(2)).await;
        assert_eq!(clock.now_ms(), 3_500);
        clock.set(86_400_000);
        assert_eq!(clock.now_ms(), 86_400_000);
    }

    #[test]
    fn the_system_clock_is_past_2020() {
        assert!(SystemClock.now_ms() > 1_577_836_800_000);
    }

    #[tokio::test(start_paused = true)]
    async fn deadlines_count_down_and_bound_calls() {
        let d = Deadline::after(Duration::from_secs(10));
        assert_eq!(d.bound(Duration::from_secs(30)), Duration::from_secs(10));
        tokio::time::advance(Duration::from_secs(4)).await;
        assert_eq!(d.remaining(), Duration::from_secs(6));
        assert_eq!(
            d.less(Duration::from_secs(2)).remaining(),
            Duration::from_secs(4)
        );
        assert_eq!(d.less(Duration::from_secs(60)).remaining(), Duration::ZERO);
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(d.remaining(), Duration::ZERO);
    }

    #[test]
    fn a_missing_lambda_deadline_falls_back() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        rt.block_on(async {
            let d = Deadline::from_unix_ms(0, Duration::from_secs(60));
            assert_eq!(d.remaining(), Duration::from_secs(60));
        });
    }
}
