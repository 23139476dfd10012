//! CloudWatch metrics, written as Embedded Metric Format (EMF) lines on stdout: Lambda
//! turns each such line of a function's log into metric data, with no API call and no
//! extra permission.
//!
//! Emitted by the [`metrics`](::metrics) facade and `metrics_cloudwatch_embedded`'s
//! recorder (its `lambda` feature left off: [`Metrics::flush_after`] writes what one
//! invocation recorded, as one JSON line, before the invocation answers). Without an
//! installed recorder (tests that run the handlers in-process, or `METRICS_NAMESPACE=off`)
//! every recording call below does nothing.
//!
//! The contract the template's alarms and dashboard are written against:
//! - namespace: `METRICS_NAMESPACE`, default [`DEFAULT_NAMESPACE`]; empty or `off`: no
//!   metrics at all;
//! - one dimension set, `[["Function"]]`, the function's short name ([`Function::name`]);
//! - the metrics in [`METRICS`], by name and unit. Nothing else is written: no property,
//!   no other dimension, and never a user's text or a user or chat id.
//!
//! What each counts:
//! - `UpdatesReceived`: the webhook answered an authenticated, readable update with 200
//!   (Telegram will not send it again), including updates it answers itself or ignores;
//! - `RepliesSent`: the sender, once per outgoing message (a model reply, a notice, a
//!   command's answer) when Telegram accepts its last text part or its document: a reply
//!   split into parts counts once, a spoken copy does not count again, and a send whose
//!   answer was lost (counted as delivered, not resent) is not counted;
//! - `ModelLatency`: the processor, per reply model call that answered, from the request
//!   to the end of its stream (or its whole answer); a stream the user stopped or the
//!   deadline cut is left out, and so are the calls that fold old turns into notes.
//!   `TimeToFirstToken`: per streamed call, from the request to the first piece of text;
//! - `InputTokens`, `OutputTokens`, `CostUsd`: the processor, from the usage stored with
//!   each answered message (summary calls included); `CostUsd` only for a priced model.
//!   style-refresh makes no model call, so it records none of them;
//! - `FailuresTransient`, `FailuresPermanent`: by the failure's class (`Failure::retryable`,
//!   Telegram's answer), once per failed SQS record per delivery (processor,
//!   subscription-check, sender; however it ends: back to the queue, told to the user,
//!   parked or dropped), once per failed webhook request (a 5xx for Telegram to retry is
//!   transient; an update it cannot read or can never enqueue, answered 200 and dropped,
//!   is permanent), once per failed style-refresh run or user. Retries inside one
//!   delivery that end in success, and a voice note that could not be made for a reply
//!   that went out, are not failures;
//! - `MessagesParked`: each message the code itself puts into a dead-letter queue (the
//!   processor giving up on a message worth a redrive, the sender setting aside a message
//!   Telegram refuses). What SQS's own redrive policy moves is not counted here: the
//!   queues' `ApproximateNumberOfMessagesVisible` shows it.

use std::future::Future;
use std::io::Write;
use std::time::Duration;

use ::metrics::Unit;
use metrics_cloudwatch_embedded::Collector;

use crate::domain::Usage;
use crate::error::Failure;

/// The variable that names the namespace, or turns metrics off.
pub const NAMESPACE_VAR: &str = "METRICS_NAMESPACE";
/// The namespace when [`NAMESPACE_VAR`] is not set.
pub const DEFAULT_NAMESPACE: &str = "TelegramBot";
/// The one dimension every metric has.
pub const DIMENSION: &str = "Function";

/// Updates the webhook answered with 200, which Telegram will not send again.
pub const UPDATES_RECEIVED: &str = "UpdatesReceived";
/// Outgoing messages Telegram accepted, once per message however many parts it took.
pub const REPLIES_SENT: &str = "RepliesSent";
/// Milliseconds from a reply's model request to the end of its answer.
pub const MODEL_LATENCY: &str = "ModelLatency";
/// Milliseconds from a streamed model request to its first piece of text.
pub const TIME_TO_FIRST_TOKEN: &str = "TimeToFirstToken";
/// Prompt tokens of answered messages, their summary calls included.
pub const INPUT_TOKENS: &str = "InputTokens";
/// Completion tokens of answered messages, their summary calls included.
pub const OUTPUT_TOKENS: &str = "OutputTokens";
/// Dollars per answered message, for priced models only.
pub const COST_USD: &str = "CostUsd";
/// Failures that may pass, once per failed record delivery, webhook request or refresh.
pub const FAILURES_TRANSIENT: &str = "FailuresTransient";
/// Failures no retry will cure, counted like [`FAILURES_TRANSIENT`].
pub const FAILURES_PERMANENT: &str = "FailuresPermanent";
/// Messages the code itself put into a dead-letter queue for a redrive.
pub const MESSAGES_PARKED: &str = "MessagesParked";

/// Every metric with its unit (CloudWatch's `Count`, `Milliseconds`); `None` is
/// CloudWatch's `None`, which EMF expresses by leaving the unit out.
pub const METRICS: [(&str, Option<Unit>); 10] = [
    (UPDATES_RECEIVED, Some(Unit::Count)),
    (REPLIES_SENT, Some(Unit::Count)),
    (MODEL_LATENCY, Some(Unit::Milliseconds)),
    (TIME_TO_FIRST_TOKEN, Some(Unit::Milliseconds)),
    (INPUT_TOKENS, Some(Unit::Count)),
    (OUTPUT_TOKENS, Some(Unit::Count)),
    (COST_USD, None),
    (FAILURES_TRANSIENT, Some(Unit::Count)),
    (FAILURES_PERMANENT, Some(Unit::Count)),
    (MESSAGES_PARKED, Some(Unit::Count)),
];

/// The functions, by the name their metrics carry in the `Function` dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    /// `webhook`: takes Telegram's updates over HTTPS.
    Webhook,
    /// `subscription-check`: decides access between the inbound and the work queue.
    SubscriptionCheck,
    /// `processor`: answers messages with the model.
    Processor,
    /// `sender`: delivers replies to Telegram.
    Sender,
    /// `style-refresh`: rebuilds style profiles on a schedule.
    StyleRefresh,
}

impl Function {
    /// Every function that records metrics; telegram-setup records none.
    pub const ALL: [Function; 5] = [
        Self::Webhook,
        Self::SubscriptionCheck,
        Self::Processor,
        Self::Sender,
        Self::StyleRefresh,
    ];

    /// The short name, as the `Function` dimension and the template's alarms spell it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Webhook => "webhook",
            Self::SubscriptionCheck => "subscription-check",
            Self::Processor => "processor",
            Self::Sender => "sender",
            Self::StyleRefresh => "style-refresh",
        }
    }

    /// Reads back a [`Self::name`]; `None` for any other name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// The namespace `var` asks for; `None` when metrics are off (empty, or `off` in any case).
pub fn namespace(var: impl Fn(&str) -> Option<String>) -> Option<String> {
    let Some(asked) = var(NAMESPACE_VAR) else {
        return Some(DEFAULT_NAMESPACE.to_owned());
    };
    let asked = asked.trim();
    (!asked.is_empty() && !asked.eq_ignore_ascii_case("off")).then(|| asked.to_owned())
}

/// One function's metrics: the process-wide recorder, and what writes its lines.
#[derive(Clone, Copy)]
pub struct Metrics {
    collector: Option<&'static Collector>,
}

impl Metrics {
    /// Records nothing, writes nothing.
    pub const OFF: Self = Self { collector: None };

    /// Installs the process-wide recorder for `function`, in the namespace the environment
    /// asks for ([`namespace`]), or nothing when metrics are off. Builds a recorder and no
    /// more: nothing is written or sent at start-up.
    pub fn init(function: Function) -> Self {
        Self::install(function, namespace(|name| std::env::var(name).ok()))
    }

    fn install(function: Function, namespace: Option<String>) -> Self {
        let Some(namespace) = namespace else {
            return Self::OFF;
        };
        let installed = metrics_cloudwatch_embedded::Builder::new()
            .cloudwatch_namespace(namespace)
            .with_dimension(DIMENSION, function.name())
            .init();
        let collector = match installed {
            Ok(collector) => collector,
            Err(e) => {
                // Only if a recorder is already installed; the function runs without.
                tracing::warn!(error = %e, "no metrics: the recorder could not be installed");
                return Self::OFF;
            }
        };
        for (name, unit) in METRICS {
            // The recorder keeps units by name, whatever the metric's kind; a metric
            // without one is written without a unit.
            if let Some(unit) = unit {
                ::metrics::describe_histogram!(name, unit, "");
            }
        }
        Self {
            collector: Some(collector),
        }
    }

    /// Whether a recorder is installed; when off, recording and flushing do nothing.
    pub fn is_on(&self) -> bool {
        self.collector.is_some()
    }

    /// Writes what was recorded since the last flush to stdout, as one EMF line (none if
    /// nothing was recorded).
    pub fn flush(&self) {
        let mut line = Vec::new();
        self.flush_to(&mut line);
        if line.is_empty() {
            return;
        }
        // One write, so the line never interleaves with a log line.
        if let Err(e) = std::io::stdout().lock().write_all(&line) {
            tracing::warn!(error = %e, "could not write the metrics line");
        }
    }

    /// Writes what was recorded since the last flush to `out`.
    pub fn flush_to(&self, out: &mut Vec<u8>) {
        if let Some(collector) = self.collector
            && let Err(e) = collector.flush(&mut *out)
        {
            tracing::warn!(error = %e, "could not serialise the metrics");
        }
    }

    /// Runs one invocation's handler, then flushes what it recorded, before the
    /// invocation answers (the line belongs to it, and the environment may be frozen
    /// right after).
    pub async fn flush_after<F: Future>(&self, invocation: F) -> F::Output {
        let output = invocation.await;
        self.flush();
        output
    }
}

fn milliseconds(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The webhook accepted an authenticated update.
pub fn update_received() {
    ::metrics::counter!(UPDATES_RECEIVED).increment(1);
}

/// Telegram accepted an outgoing message (its last part).
pub fn reply_sent() {
    ::metrics::counter!(REPLIES_SENT).increment(1);
}

/// A reply model call answered, after `took`.
pub fn model_latency(took: Duration) {
    ::metrics::histogram!(MODEL_LATENCY).record(milliseconds(took));
}

/// A streamed model call's first piece of text came after `took`.
pub fn time_to_first_token(took: Duration) {
    ::metrics::histogram!(TIME_TO_FIRST_TOKEN).record(milliseconds(took));
}

/// The usage stored with an answered message, and its cost if the model has a price.
pub fn usage(usage: &Usage, cost_micros: Option<u64>) {
    ::metrics::counter!(INPUT_TOKENS).increment(u64::from(usage.prompt_tokens));
    ::metrics::counter!(OUTPUT_TOKENS).increment(u64::from(usage.completion_tokens));
    if let Some(micros) = cost_micros {
        ::metrics::histogram!(COST_USD).record(micros as f64 / 1_000_000.0);
    }
}

/// A failure that may pass if tried again.
pub fn transient_failure() {
    ::metrics::counter!(FAILURES_TRANSIENT).increment(1);
}

/// A failure that will not pass by trying again.
pub fn permanent_failure() {
    ::metrics::counter!(FAILURES_PERMANENT).increment(1);
}

/// `failure`, counted by its class.
pub fn failed(failure: &Failure) {
    if failure.retryable {
        transient_failure();
    } else {
        permanent_failure();
    }
}

/// The code itself put a message into a dead-letter queue.
pub fn parked() {
    ::metrics::counter!(MESSAGES_PARKED).increment(1);
}

#[cfg(test)]
mod tests;
