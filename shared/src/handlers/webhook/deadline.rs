//! The invocation's deadline, which bounds every Bot API call the webhook makes.
//!
//! One update can need two calls in a row (getChatMember, then answerCallbackQuery), each
//! allowed `TELEGRAM_TIMEOUT_SECS`; unbounded, a slow Telegram would have Lambda kill the
//! invocation before it answers, and Telegram would see neither the answer nor an error.

use std::future::Future;
use std::time::{Duration, SystemTime};

use lambda_http::{Request, RequestExt};
use tokio::time::Instant;

use crate::ports::TelegramError;

/// Without a Lambda context (a local run), the webhook's Timeout in the template.
pub const FALLBACK_BUDGET: Duration = Duration::from_secs(10);
/// Kept back from the deadline to build and send the response.
pub const MARGIN: Duration = Duration::from_secs(1);

/// By when the webhook's Bot API calls must be done.
#[derive(Clone, Copy, Debug)]
pub struct Deadline(Instant);

impl Deadline {
    /// From the Lambda context in the request's extensions, or [`FALLBACK_BUDGET`].
    pub fn of(request: &Request) -> Self {
        let remaining = request
            .lambda_context_ref()
            .filter(|c| c.deadline > 0)
            .map_or(FALLBACK_BUDGET, |c| {
                c.deadline()
                    .duration_since(SystemTime::now())
                    .unwrap_or(Duration::ZERO)
            });
        Self::within(remaining)
    }

    /// `remaining` from now, less the [`MARGIN`].
    pub fn within(remaining: Duration) -> Self {
        Self(Instant::now() + remaining.saturating_sub(MARGIN))
    }

    /// Runs a Bot API call, cut at the deadline. A cut call is transient: the update has
    /// not been handled, and Telegram's redelivery may find Telegram faster.
    pub async fn bound<R>(
        self,
        method: &str,
        call: impl Future<Output = Result<R, TelegramError>>,
    ) -> Result<R, TelegramError> {
        tokio::time::timeout_at(self.0, call)
            .await
            .unwrap_or_else(|_| {
                Err(TelegramError::Transient(format!(
                    "{method}: cut at the invocation's deadline"
                )))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_call_still_running_at_the_deadline_is_cut_as_transient() {
        let deadline = Deadline::within(Duration::from_secs(3));
        let hung = deadline
            .bound("getChatMember", std::future::pending::<Result<(), _>>())
            .await;
        assert!(
            matches!(&hung, Err(TelegramError::Transient(e)) if e.contains("deadline")),
            "{hung:?}"
        );
        // A call that answers in time is passed through, answer or error.
        let deadline = Deadline::within(Duration::from_secs(3));
        assert_eq!(
            deadline
                .bound("x", async { Ok::<_, TelegramError>(7) })
                .await
                .unwrap(),
            7
        );
        let refused = deadline
            .bound("x", async {
                Err::<(), _>(TelegramError::Forbidden("no".into()))
            })
            .await;
        assert!(matches!(refused, Err(TelegramError::Forbidden(_))));
    }

    #[tokio::test(start_paused = true)]
    async fn the_lambda_context_sets_the_deadline_and_its_absence_the_fallback() {
        let started = Instant::now();
        let mut context = lambda_http::Context::default();
        let in_a_minute = SystemTime::now() + Duration::from_secs(60);
        context.deadline = in_a_minute
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        let with_context = Request::default().with_lambda_context(context);
        let Deadline(at) = Deadline::of(&with_context);
        assert!(at <= started + Duration::from_secs(60) - MARGIN);
        assert!(
            at > started + FALLBACK_BUDGET,
            "the context's deadline, not the fallback"
        );
        let Deadline(at) = Deadline::of(&Request::default());
        assert_eq!(at, started + FALLBACK_BUDGET - MARGIN);
    }
}
