use std::fmt;

/// An error that knows whether trying again could help.
///
/// Handlers use `retryable` to decide between leaving an SQS record for redelivery
/// and moving it aside; logs get the whole cause chain.
pub struct Failure {
    pub retryable: bool,
    /// A machine-readable cause a handler may act on (e.g. `context_length_exceeded`).
    pub tag: Option<&'static str>,
    source: anyhow::Error,
}

impl Failure {
    pub fn retryable(source: impl Into<anyhow::Error>) -> Self {
        Self {
            retryable: true,
            tag: None,
            source: source.into(),
        }
    }

    pub fn permanent(source: impl Into<anyhow::Error>) -> Self {
        Self {
            retryable: false,
            tag: None,
            source: source.into(),
        }
    }

    pub fn context(self, context: impl fmt::Display + Send + Sync + 'static) -> Self {
        Self {
            retryable: self.retryable,
            tag: self.tag,
            source: self.source.context(context),
        }
    }

    pub fn with_tag(mut self, tag: &'static str) -> Self {
        self.tag = Some(tag);
        self
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

pub type Result<T, E = Failure> = std::result::Result<T, E>;
