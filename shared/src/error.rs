//! Failures as the handlers act on them: try again, tell the user, or set the work aside.

use std::fmt;
use std::time::Duration;

/// Why an outside service refused, in the terms a handler acts on. Every failure a handler
/// tells the user about has one, so the user hears what happened rather than "an error".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// The prompt is longer than the model's context window.
    ContextOverflow,
    /// The provider account is out of credit.
    QuotaExhausted,
    /// The API key was refused.
    Unauthorized,
    /// The model does not exist on this server.
    ModelNotFound,
    /// The server has no such endpoint: a capability it lacks (audio, Responses API).
    EndpointMissing,
    /// The server cannot take a picture with the text.
    VisionUnsupported,
    /// The provider's safety system withheld the answer.
    ContentFilter,
    /// The server-side conversation no longer exists (Responses mode).
    ConversationGone,
    /// The server rejected the request as invalid, for a reason retrying will not change.
    BadRequest,
    /// A stream ended without a single event: the server could not serve the request and
    /// did not say why.
    EmptyStream,
    /// The model answered, but with no text.
    EmptyReply,
    /// The invocation ran out of time.
    Deadline,
    /// Too big for where it was going (a queue message over SQS's limit).
    TooLarge,
}

/// An error that knows whether trying again could help.
///
/// Handlers use `retryable` to decide between leaving an SQS record for redelivery
/// and moving it aside; logs get the whole cause chain.
pub struct Failure {
    /// Trying again could help: the SQS record is left for redelivery instead of set aside.
    pub retryable: bool,
    /// What the handler may act on (e.g. fold history on `ContextOverflow`).
    pub cause: Option<Cause>,
    /// How long the service asked us to wait (`retry-after`, Telegram's `retry_after`).
    pub retry_after: Option<Duration>,
    /// The model provider failed (not our own storage or queues): the user is waiting on
    /// something slow, and hears about it.
    pub from_model: bool,
    source: anyhow::Error,
}

impl Failure {
    /// A failure that may pass (a timeout, a 5xx, throttling), so another try is worth it.
    pub fn retryable(source: impl Into<anyhow::Error>) -> Self {
        Self {
            retryable: true,
            cause: None,
            retry_after: None,
            from_model: false,
            source: source.into(),
        }
    }

    /// A failure no retry will change: the work is set aside rather than tried again.
    pub fn permanent(source: impl Into<anyhow::Error>) -> Self {
        Self {
            retryable: false,
            cause: None,
            retry_after: None,
            from_model: false,
            source: source.into(),
        }
    }

    /// Adds what was being done to the cause chain; the class and cause stay.
    pub fn context(self, context: impl fmt::Display + Send + Sync + 'static) -> Self {
        Self {
            source: self.source.context(context),
            ..self
        }
    }

    /// Names why, so a handler can act on it rather than only log it.
    pub fn with_cause(mut self, cause: Cause) -> Self {
        self.cause = Some(cause);
        self
    }

    /// The wait the service asked for, which retries honour.
    pub fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        self.retry_after = wait;
        self
    }

    /// Marks the model provider as what failed: the user is told it was the model.
    pub fn from_model(mut self) -> Self {
        self.from_model = true;
        self
    }

    /// Whether the failure has this cause, e.g. `ContextOverflow` to fold history and retry.
    pub fn is(&self, cause: Cause) -> bool {
        self.cause == Some(cause)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.retryable {
            "retryable"
        } else {
            "permanent"
        };
        write!(f, "{kind}: {:#}", self.source)
    }
}

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Failure {}

/// A [`Failure`] unless said otherwise, so every handler result carries its retry class.
pub type Result<T, E = Failure> = std::result::Result<T, E>;
