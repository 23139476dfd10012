//! Answers a CloudFormation custom resource request: one PUT of the JSON response to the
//! pre-signed S3 URL the request came with.
//!
//! The URL's query string is its signature: whoever holds it can answer for the stack, so
//! it is never logged, and reqwest errors are stripped of it.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use http::header::CONTENT_TYPE;

use crate::clock::Deadline;

/// One PUT's own limit; S3 answers in well under a second.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
/// No attempt is started with less time left than this.
const MIN_ATTEMPT: Duration = Duration::from_millis(500);

/// Delivers telegram-setup's answer to CloudFormation, which otherwise waits an hour for it.
#[derive(Clone, Debug)]
pub struct ResponseSender {
    http: reqwest::Client,
    attempts: usize,
    first_wait: Duration,
}

/// Why a PUT failed, and whether another could succeed.
#[derive(Debug)]
struct Refused {
    retryable: bool,
    reason: String,
}

impl ResponseSender {
    /// Up to four attempts, the first retry after 250 ms; `Err` if no HTTP client can be built.
    pub fn new() -> anyhow::Result<Self> {
        let http = crate::http::reqwest_builder()
            .connect_timeout(Duration::from_secs(3))
            .build()?;
        Ok(Self {
            http,
            attempts: 4,
            first_wait: Duration::from_millis(250),
        })
    }

    /// PUTs `body` to `url`, trying again after a 5xx or a broken connection while the
    /// deadline allows: if no answer arrives, the stack waits an hour for one.
    pub async fn send(&self, url: &str, body: &str, deadline: Deadline) -> Result<(), String> {
        let mut waits = ExponentialBuilder::default()
            .with_min_delay(self.first_wait)
            .with_max_delay(self.first_wait * 8)
            .with_max_times(self.attempts.saturating_sub(1))
            .with_jitter()
            .build();
        loop {
            let refused = match self.put(url, body, deadline).await {
                Ok(()) => return Ok(()),
                Err(refused) => refused,
            };
            let wait = waits
                .next()
                .filter(|wait| refused.retryable && deadline.remaining() >= *wait + MIN_ATTEMPT);
            let Some(wait) = wait else {
                return Err(refused.reason);
            };
            tracing::warn!(reason = %refused.reason, ?wait, "the CloudFormation response was not taken; trying again");
            tokio::time::sleep(wait).await;
        }
    }

    async fn put(&self, url: &str, body: &str, deadline: Deadline) -> Result<(), Refused> {
        let timeout = deadline.bound(ATTEMPT_TIMEOUT);
        if timeout.is_zero() {
            return Err(Refused {
                retryable: false,
                reason: "no time left to answer".into(),
            });
        }
        // A pre-signed URL may have signed an empty Content-Type (CloudFormation's docs
        // say to send one), and reqwest would otherwise send none.
        let response = self
            .http
            .put(url)
            .header(CONTENT_TYPE, "")
            .body(body.to_owned())
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| Refused {
                retryable: true,
                reason: error_chain(&e.without_url()),
            })?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        Err(Refused {
            retryable: status.is_server_error() || status.as_u16() == 429,
            reason: format!("the response URL answered HTTP {}", status.as_u16()),
        })
    }
}

/// The error and its causes ("connection refused" is in a source), none holding the URL.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
