//! Retries within one delivery: bounded by attempts and by the invocation's deadline, with
//! jittered exponential back-off that yields to the provider's `retry-after`.

use std::future::Future;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};

use super::ProcessorState;
use crate::clock::Deadline;
use crate::error::{Cause, Failure, Result};

/// No attempt is started with less time left than this: it could not finish.
pub(super) const MIN_ATTEMPT: Duration = Duration::from_secs(5);

pub(super) struct Policy {
    backoff: backon::ExponentialBackoff,
}

impl Policy {
    pub fn new<S, M, Q, T>(state: &ProcessorState<S, M, Q, T>) -> Self {
        let backoff = ExponentialBuilder::default()
            .with_min_delay(state.retry_delay)
            .with_max_delay(state.retry_delay * 8)
            .with_max_times(state.max_attempts.saturating_sub(1) as usize)
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
pub(super) async fn retrying<S, M, Q, T, R, F, Fut>(
    state: &ProcessorState<S, M, Q, T>,
    deadline: Deadline,
    mut call: F,
) -> Result<R>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<R>>,
{
    let mut policy = Policy::new(state);
    loop {
        let failure = match bounded(deadline, call()).await {
            Ok(value) => return Ok(value),
            Err(failure) => failure.from_model(),
        };
        let Some(wait) = policy.next_wait(&failure, deadline) else {
            return Err(failure);
        };
        tracing::warn!(error = %failure, ?wait, "model call failed; trying again");
        tokio::time::sleep(wait).await;
    }
}

/// `call`, unless the deadline comes first.
pub(super) async fn bounded<R>(
    deadline: Deadline,
    call: impl Future<Output = Result<R>>,
) -> Result<R> {
    tokio::time::timeout_at(deadline.instant(), call)
        .await
        .unwrap_or_else(|_| Err(out_of_time()))
}

pub(super) fn out_of_time() -> Failure {
    // Retryable: the next delivery starts with a whole invocation's time.
    Failure::retryable(anyhow::anyhow!("the invocation ran out of time"))
        .with_cause(Cause::Deadline)
}
