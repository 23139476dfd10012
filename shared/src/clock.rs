//! Time limits, on tokio's clock so tests can drive them with `tokio::time::pause`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

/// When an invocation must have finished: Lambda stops the function there, mid-write if
/// need be, so work is planned to end before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadline(Instant);

impl Deadline {
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

    pub fn remaining(&self) -> Duration {
        self.0.saturating_duration_since(Instant::now())
    }

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
