//! What every function's `main` does before handling its first event.

use std::future::Future;

use aws_config::environment::EnvironmentVariableCredentialsProvider;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_secretsmanager::config::ProvideCredentials;
use lambda_runtime::tracing::subscriber::filter::{LevelFilter, Targets};
use lambda_runtime::tracing::subscriber::fmt::MakeWriter;
use lambda_runtime::tracing::subscriber::layer::SubscriberExt;
use lambda_runtime::tracing::subscriber::registry::LookupSpan;
use lambda_runtime::tracing::subscriber::{Layer, fmt, registry};

/// What libraries may log, whatever level the function runs at: each entry is the most
/// verbose level at which that library was seen to log neither a secret nor a request's or
/// response's body. A target matches every target it is a prefix of.
///
/// How they were found: `tests/it/logs/` has a survey (`--ignored`) that runs a whole
/// conversation with nothing filtered and reports which target wrote what at which level;
/// its checks then run the same conversation, and the webhook's `main`, at TRACE through
/// this filter. `scripts/lambda-smoke` checks the real binaries at TRACE. Seen safe at
/// TRACE, so not capped: `hyper_util` (host:port and pool events only), `aws_config`,
/// `aws_runtime`, `aws_sdk_*` (request ids), `aws_smithy_http_client`, the rest of
/// `lambda_runtime`, and the product. Silent: hyper 1 (its tracing needs a cfg flag),
/// redis (does not log), rustls (built without logging), and what logs through the `log`
/// crate (reqwest, rustls-platform-verifier): no `log` bridge is installed.
pub const LIBRARY_CAPS: &[(&str, LevelFilter)] = &[
    // TRACE: every raw event ("raw JSON event received from Lambda"), so the webhook's
    // secret header and every message. DEBUG and up: errors, without the payload.
    ("lambda_runtime::layers::api_response", LevelFilter::DEBUG),
    // WARN: 5xx bodies; ERROR: bodies it cannot parse. The OpenAI adapter classifies and
    // logs failures itself.
    ("async_openai", LevelFilter::OFF),
    // TRACE: every response body ("read HTTP response body") and every deserialised output
    // or error, so SQS messages and DynamoDB items with users' texts (Secrets Manager's are
    // redacted, unless LOG_SENSITIVE_BODIES is set). DEBUG: operation names, attempts,
    // endpoints, timeouts; no body, also when DynamoDB refuses a conditional write. The
    // prefix covers `aws_smithy_runtime_api` too (phase names at TRACE).
    ("aws_smithy_runtime", LevelFilter::DEBUG),
    // TRACE: every request it signs, headers and canonical request; the credentials and
    // the body are redacted, but LOG_SIGNABLE_BODY=true prints the body. Nothing below.
    ("aws_sigv4", LevelFilter::DEBUG),
    // The SDK's HTTP/2 (TLS only, so not seen locally). Its frames' Debug leaves out
    // header fields and data; TRACE adds per-frame and HPACK detail.
    ("h2", LevelFilter::DEBUG),
];

/// The level a function logs at, by Lambda's rules: `AWS_LAMBDA_LOG_LEVEL` (what the
/// template's `LogLevel` becomes), else `RUST_LOG`, else INFO. Lambda's FATAL is ERROR;
/// anything unreadable is INFO. `RUST_LOG` is read as a level only: per-target directives
/// (`hyper=trace`) are ignored, since they could lift [`LIBRARY_CAPS`].
pub fn log_level(var: impl Fn(&str) -> Option<String>) -> LevelFilter {
    let asked = ["AWS_LAMBDA_LOG_LEVEL", "RUST_LOG"]
        .into_iter()
        .find_map(|name| var(name).filter(|v| !v.trim().is_empty()));
    let Some(asked) = asked else {
        return LevelFilter::INFO;
    };
    // `RUST_LOG=debug,hyper=info` asks for DEBUG: the one directive without a target.
    asked
        .split(',')
        .map(str::trim)
        .filter(|d| !d.contains('='))
        .find_map(|d| match d.to_ascii_uppercase().as_str() {
            "FATAL" => Some(LevelFilter::ERROR),
            other => other.parse().ok(),
        })
        .unwrap_or(LevelFilter::INFO)
}

/// The production filter: everything at `level`, each library in [`LIBRARY_CAPS`] at no
/// more than its cap. Tests capture logs through this same filter.
pub fn log_filter(level: LevelFilter) -> Targets {
    Targets::new().with_default(level).with_targets(
        LIBRARY_CAPS
            .iter()
            .map(|&(target, cap)| (target, cap.min(level))),
    )
}

/// The production log layer, filter included, writing to `writer`: JSON objects when
/// `json` (Lambda's `LogFormat: JSON`), else text. No timestamps (CloudWatch adds them)
/// and no colours.
pub fn log_layer<S, W>(level: LevelFilter, json: bool, writer: W) -> Box<dyn Layer<S> + Send + Sync>
where
    S: lambda_runtime::tracing::Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let layer = fmt::layer()
        .without_time()
        .with_ansi(false)
        .with_writer(writer);
    if json {
        layer.json().with_filter(log_filter(level)).boxed()
    } else {
        layer.with_filter(log_filter(level)).boxed()
    }
}

/// Structured logs to stdout: JSON when Lambda's `LoggingConfig` asks for it
/// (`AWS_LAMBDA_LOG_FORMAT`), at [`log_level`], through [`log_filter`].
///
/// Libraries that log through the `log` crate (reqwest, rustls-platform-verifier) stay
/// silent: no `log` bridge is installed.
pub fn init_tracing() {
    let var = |name: &str| std::env::var(name).ok();
    let json = var("AWS_LAMBDA_LOG_FORMAT").is_some_and(|f| f.eq_ignore_ascii_case("json"));
    let subscriber = registry().with(log_layer(log_level(var), json, std::io::stdout));
    // Fails only if a subscriber is already set; that one then keeps logging.
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// A Lambda handles one event at a time, so a multi-threaded runtime would only add
/// start-up cost and memory.
pub fn block_on<F: Future>(future: F) -> std::io::Result<F::Output> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(future))
}

/// Reads region and credentials from the environment; nothing is fetched until the first
/// request. `AWS_ENDPOINT_URL` points every client at a local emulator. Every client made
/// from it shares one HTTP client, set up at the first request ([`crate::http`]).
pub async fn aws_config() -> SdkConfig {
    let loader =
        aws_config::defaults(BehaviorVersion::latest()).http_client(crate::http::aws_http_client());
    // Lambda puts the role's credentials in the environment, the default chain's first
    // link. When that link answers the rest are never asked, so building them (an STS
    // client for web identity, IMDS and ECS clients, a profile reader) is start-up time
    // spent for nothing; without credentials there, the whole chain is built as before.
    let environment = EnvironmentVariableCredentialsProvider::new();
    if environment.provide_credentials().await.is_ok() {
        return loader.credentials_provider(environment).load().await;
    }
    loader.load().await
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    use lambda_runtime::tracing::Level;

    use super::*;

    fn level(vars: &[(&str, &str)]) -> LevelFilter {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        log_level(|name| vars.get(name).cloned())
    }

    #[test]
    fn the_level_is_lambdas_else_rust_log_else_info() {
        assert_eq!(level(&[]), LevelFilter::INFO);
        assert_eq!(
            level(&[("AWS_LAMBDA_LOG_LEVEL", "TRACE")]),
            LevelFilter::TRACE
        );
        assert_eq!(
            level(&[("AWS_LAMBDA_LOG_LEVEL", "WARN"), ("RUST_LOG", "trace")]),
            LevelFilter::WARN
        );
        assert_eq!(level(&[("RUST_LOG", "debug")]), LevelFilter::DEBUG);
        assert_eq!(
            level(&[("AWS_LAMBDA_LOG_LEVEL", " "), ("RUST_LOG", "error")]),
            LevelFilter::ERROR
        );
        // Lambda's own names, in any case.
        assert_eq!(
            level(&[("AWS_LAMBDA_LOG_LEVEL", "FATAL")]),
            LevelFilter::ERROR
        );
        assert_eq!(
            level(&[("AWS_LAMBDA_LOG_LEVEL", "Info")]),
            LevelFilter::INFO
        );
        assert_eq!(level(&[("AWS_LAMBDA_LOG_LEVEL", "off")]), LevelFilter::OFF);
        // Unreadable is INFO; a directive list gives its target-less level only.
        assert_eq!(
            level(&[("AWS_LAMBDA_LOG_LEVEL", "loud")]),
            LevelFilter::INFO
        );
        assert_eq!(level(&[("RUST_LOG", "hyper=trace")]), LevelFilter::INFO);
        assert_eq!(
            level(&[("RUST_LOG", "aws_smithy_runtime=trace,debug")]),
            LevelFilter::DEBUG
        );
    }

    #[test]
    fn at_trace_the_caps_still_hold() {
        let filter = log_filter(LevelFilter::TRACE);
        for target in [
            "lambda_runtime::layers::api_response",
            "aws_smithy_runtime::client::orchestrator",
            "aws_smithy_runtime::client::orchestrator::http",
            "aws_smithy_runtime_api::client::interceptors::context",
            "aws_sigv4::http_request::sign",
            "h2::codec::framed_read",
        ] {
            assert!(!filter.would_enable(target, &Level::TRACE), "{target}");
            assert!(filter.would_enable(target, &Level::DEBUG), "{target}");
        }
        for level in [Level::ERROR, Level::WARN, Level::TRACE] {
            assert!(!filter.would_enable("async_openai::client", &level));
            assert!(!filter.would_enable("async_openai::error", &level));
        }
        for target in [
            "shared::handlers::webhook",
            "lambda_runtime::runtime",
            "hyper_util::client::legacy::pool",
            "aws_sdk_sqs::operation::send_message",
        ] {
            assert!(filter.would_enable(target, &Level::TRACE), "{target}");
        }
    }

    #[test]
    fn a_cap_never_lifts_a_lower_level() {
        let filter = log_filter(LevelFilter::WARN);
        assert!(!filter.would_enable("aws_smithy_runtime::client::orchestrator", &Level::DEBUG));
        assert!(!filter.would_enable("lambda_runtime::layers::api_response", &Level::INFO));
        assert!(filter.would_enable("aws_smithy_runtime::client::orchestrator", &Level::WARN));
        assert!(filter.would_enable("shared::handlers::webhook", &Level::WARN));
        assert!(!filter.would_enable("shared::handlers::webhook", &Level::INFO));
        let off = log_filter(LevelFilter::OFF);
        assert!(!off.would_enable("shared::handlers::webhook", &Level::ERROR));
    }

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Captured {
        type Writer = Self;
        fn make_writer(&'a self) -> Self {
            self.clone()
        }
    }

    #[test]
    fn the_production_layer_drops_the_raw_event_and_writes_json_with_targets() {
        let logs = Captured::default();
        let subscriber = registry().with(log_layer(LevelFilter::TRACE, true, logs.clone()));
        tracing::subscriber::with_default(subscriber, || {
            // What lambda_runtime writes for each event.
            tracing::trace!(
                target: "lambda_runtime::layers::api_response",
                body = "{\"headers\":{\"x-telegram-bot-api-secret-token\":\"s3cret\"}}",
                "raw JSON event received from Lambda"
            );
            tracing::error!(target: "async_openai::error", "failed deserialization of: s3cret");
            tracing::trace!(target: "shared::handlers::webhook", "kept");
        });
        let written = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
        assert!(!written.contains("s3cret"), "{written}");
        let lines: Vec<serde_json::Value> = written
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 1, "{written}");
        assert_eq!(lines[0]["target"], "shared::handlers::webhook");
        assert_eq!(lines[0]["level"], "TRACE");
        assert_eq!(lines[0]["fields"]["message"], "kept");
        assert!(
            lines[0].get("timestamp").is_none(),
            "CloudWatch adds the time"
        );
    }
}
