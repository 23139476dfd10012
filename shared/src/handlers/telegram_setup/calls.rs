//! One Bot API call, tried again after a flood wait or a transient failure while the
//! deadline allows, its failure put in words for the stack's events.

use std::future::Future;
use std::time::Duration;

use crate::clock::Deadline;
use crate::ports::TelegramError;

/// A deploy makes a handful of calls: a couple of tries each cover a brief outage or a 429
/// from calls made in a row, without holding the stack for long.
const ATTEMPTS: u32 = 3;
const FIRST_WAIT: Duration = Duration::from_secs(1);
/// Telegram's flood waits can be minutes; longer than this fails the resource instead.
const LONGEST_WAIT: Duration = Duration::from_secs(10);
/// No attempt is started with less time left than this.
const MIN_ATTEMPT: Duration = Duration::from_secs(1);

/// `call` until it succeeds, fails for good, or the deadline nears; the error is the
/// reason CloudFormation shows, e.g. "setWebhook: Bad Request: bad webhook: …".
pub async fn call<R, F, Fut>(method: &str, deadline: Deadline, mut call: F) -> Result<R, String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<R, TelegramError>>,
{
    let mut wait = FIRST_WAIT;
    for attempt in 1..=ATTEMPTS {
        let error = match tokio::time::timeout_at(deadline.instant(), call()).await {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(error)) => error,
            Err(_) => return Err(format!("{method}: Telegram did not answer in time")),
        };
        let pause = match &error {
            TelegramError::RetryAfter(asked) => Some((*asked).max(wait)),
            TelegramError::Transient(_) => Some(wait),
            _ => None,
        }
        .filter(|pause| {
            attempt < ATTEMPTS
                && *pause <= LONGEST_WAIT
                && deadline.remaining() >= *pause + MIN_ATTEMPT
        });
        let Some(pause) = pause else {
            return Err(reason(method, &error));
        };
        tracing::warn!(method, error = %reason(method, &error), ?pause, "Bot API call failed; trying again");
        tokio::time::sleep(pause).await;
        wait *= 2;
    }
    Err(format!("{method}: no attempt left"))
}

/// Telegram's own description where there is one; transient errors already name the method.
pub fn reason(method: &str, error: &TelegramError) -> String {
    match error {
        TelegramError::Rejected { description, .. } | TelegramError::Forbidden(description) => {
            format!("{method}: {description}")
        }
        TelegramError::RetryAfter(wait) => format!(
            "{method}: Too Many Requests: retry after {}",
            wait.as_secs()
        ),
        TelegramError::Transient(what) | TelegramError::Uncertain(what)
            if what.starts_with(method) =>
        {
            what.clone()
        }
        other => format!("{method}: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    fn rejected(code: u16, description: &str) -> TelegramError {
        TelegramError::Rejected {
            code,
            description: description.into(),
        }
    }

    #[test]
    fn reasons_carry_telegrams_description_once() {
        let bad = rejected(
            400,
            "Bad Request: bad webhook: HTTPS url must be provided for webhook",
        );
        assert_eq!(
            reason("setWebhook", &bad),
            "setWebhook: Bad Request: bad webhook: HTTPS url must be provided for webhook"
        );
        assert_eq!(
            reason("getMe", &rejected(401, "Unauthorized")),
            "getMe: Unauthorized"
        );
        let down = TelegramError::Transient("setWebhook: HTTP 502: Bad Gateway".into());
        assert_eq!(
            reason("setWebhook", &down),
            "setWebhook: HTTP 502: Bad Gateway"
        );
        let secret = TelegramError::Transient("secrets s: GetSecretValue s: gone".into());
        assert_eq!(
            reason("getMe", &secret),
            "getMe: transient: secrets s: GetSecretValue s: gone"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn transient_failures_are_tried_again_and_refusals_are_not() {
        let calls = AtomicU32::new(0);
        let deadline = Deadline::after(Duration::from_secs(60));
        let flaky = call("setWebhook", deadline, || async {
            match calls.fetch_add(1, Ordering::SeqCst) {
                0 => Err(TelegramError::Transient("setWebhook: HTTP 502".into())),
                1 => Err(TelegramError::RetryAfter(Duration::from_secs(3))),
                _ => Ok(7),
            }
        })
        .await;
        assert_eq!(flaky, Ok(7));
        assert_eq!(calls.swap(0, Ordering::SeqCst), 3);

        let refused = call("setWebhook", deadline, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err::<(), _>(rejected(400, "Bad Request: bad webhook"))
        })
        .await;
        assert_eq!(refused, Err("setWebhook: Bad Request: bad webhook".into()));
        assert_eq!(calls.swap(0, Ordering::SeqCst), 1);

        // A flood wait longer than the deploy should wait fails at once.
        let flood = call("setMyCommands", deadline, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err::<(), _>(TelegramError::RetryAfter(Duration::from_secs(600)))
        })
        .await;
        assert_eq!(
            flood,
            Err("setMyCommands: Too Many Requests: retry after 600".into())
        );
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_still_running_at_the_deadline_is_cut() {
        let deadline = Deadline::after(Duration::from_secs(5));
        let hung = call("getMe", deadline, std::future::pending::<Result<(), _>>).await;
        assert_eq!(hung, Err("getMe: Telegram did not answer in time".into()));
    }
}
