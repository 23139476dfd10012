//! Retries within one invocation: bounded by attempts and by the invocation's deadline,
//! with jittered exponential back-off that yields to the provider's `retry-after`.

use std::future::Future;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};

use crate::clock::Deadline;
use crate::error::{Cause, Failure, Result};

/// No attempt is started with less time left than this: it could not finish.
pub const MIN_ATTEMPT: Duration = Duration::from_secs(5);

/// How often and how soon to try again.
#[derive(Clone, Copy, Debug)]
pub struct Attempts {
    /// At least 1.
    pub max: u32,
    /// The first wait; later ones double, up to eight times this.
    pub first_wait: Duration,
}

/// The waits of one `retrying` loop: growing, jittered, and never past the deadline.
pub struct Policy {
    backoff: backon::ExponentialBackoff,
}

impl Policy {
    /// Waits from `attempts.first_wait` up to eight times it, for `attempts.max` tries in all.
    pub fn new(attempts: Attempts) -> Self {
        let backoff = ExponentialBuilder::default()
            .with_min_delay(attempts.first_wait)
            .with_max_delay(attempts.first_wait * 8)
            .with_max_times(attempts.max.saturating_sub(1) as usize)
            .with_jitter()
            .build();
        Self { backoff }
    }

    /// How long to wait before trying again after `failure`, or `None` to stop: it will
    /// not pass, the attempts are used up, or the wait would leave no time to try.
    pub fn next_wait(&mut self, failure: &Failure, deadline: Deadline) -> Option<Duration> {
        if !failure.retryable || failure.is(Cause::Deadline) {
            return None;
        }
        let wait = self.backoff.next()?;
        let wait = failure.retry_after.map_or(wait, |asked| asked.max(wait));
        (deadline.remaining() >= wait + MIN_ATTEMPT).then_some(wait)
    }
}

/// `call` (a model call) until it succeeds or [`Policy`] says stop; each attempt is cut at
/// the deadline.
pub async fn retrying<R, F, Fut>(attempts: Attempts, deadline: Deadline, mut call: F) -> Result<R>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<R>>,
{
    let mut policy = Policy::new(attempts);
    loop {
        let failure = match bounded(deadline, call()).await {
            Ok(value) => return Ok(value),
            Err(failure) => failure.from_model(),
        };
        let Some(wait) = policy.next_wait(&failure, deadline) else {
            return Err(failure);
        };
        tracing::warn!(error = %failure, ?wait, "call failed; trying again");
        tokio::time::sleep(wait).await;
    }
}

/// `call`, unless the deadline comes first.
pub async fn bounded<R>(deadline: Deadline, call: impl Future<Output = Result<R>>) -> Result<R> {
    tokio::time::timeout_at(deadline.instant(), call)
        .await
        .unwrap_or_else(|_| Err(out_of_time()))
}

/// The failure of work cut at the deadline: retryable, as the next delivery has time.
pub fn out_of_time() -> Failure {
    // Retryable: the next delivery starts with a whole invocation's time.
    Failure::retryable(anyhow::anyhow!("the invocation ran out of time"))
        .with_cause(Cause::Deadline)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    const ATTEMPTS: Attempts = Attempts {
        max: 3,
        first_wait: Duration::from_secs(1),
    };

    async fn run(failures: Vec<Failure>, budget: Duration) -> (Result<u32>, u32) {
        let calls = AtomicU32::new(0);
        let failures = std::sync::Mutex::new(failures);
        let result = retrying(ATTEMPTS, Deadline::after(budget), || async {
            calls.fetch_add(1, Ordering::SeqCst);
            match failures.lock().unwrap().pop() {
                Some(f) => Err(f),
                None => Ok(7),
            }
        })
        .await;
        (result, calls.load(Ordering::SeqCst))
    }

    fn transient() -> Failure {
        Failure::retryable(anyhow::anyhow!("503"))
    }

    #[tokio::test(start_paused = true)]
    async fn transient_failures_are_retried_a_bounded_number_of_times() {
        let long = Duration::from_secs(300);
        assert_eq!(run(vec![transient()], long).await.1, 2);
        let (result, calls) = run(vec![transient(), transient(), transient()], long).await;
        assert!(result.is_err());
        assert_eq!(calls, 3, "three attempts in all");
        let (result, calls) = run(vec![Failure::permanent(anyhow::anyhow!("401"))], long).await;
        assert!(result.is_err());
        assert_eq!(calls, 1, "a permanent failure is not retried");
    }

    #[tokio::test(start_paused = true)]
    async fn the_wait_honours_retry_after_and_the_deadline() {
        let started = tokio::time::Instant::now();
        let asked = transient().with_retry_after(Some(Duration::from_secs(20)));
        let (result, calls) = run(vec![asked], Duration::from_secs(300)).await;
        assert_eq!((result.unwrap(), calls), (7, 2));
        assert!(
            started.elapsed() >= Duration::from_secs(20),
            "waited as asked"
        );
        // Not enough time left to wait as asked and still try: give up now.
        let asked = transient().with_retry_after(Some(Duration::from_secs(20)));
        let (result, calls) = run(vec![asked], Duration::from_secs(15)).await;
        assert!(result.is_err());
        assert_eq!(calls, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_is_cut_at_the_deadline() {
        let slow = retrying(
            ATTEMPTS,
            Deadline::after(Duration::from_secs(5)),
            || async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                Ok(1)
            },
        )
        .await;
        assert_eq!(slow.unwrap_err().cause, Some(Cause::Deadline));
    }
}
