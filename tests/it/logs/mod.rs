//! At TRACE, the logs hold neither a secret nor anything a user said or the model
//! answered.
//!
//! - A whole conversation runs in-process through the production log layer
//!   (`shared::runtime::log_layer`) and every captured line is searched. The capture is a
//!   subscriber scoped to the test's thread, on the current-thread runtime `#[tokio::test]`
//!   gives: the functions' code runs there, while the stand-ins (test code that may log
//!   what they receive) run on a thread of their own (see `testkit::stack`), and other
//!   tests on other threads.
//! - The webhook's `main`, with the real `lambda_runtime` and `init_tracing`, runs in a
//!   child process (this test binary again, so no environment variable of this process
//!   changes) against a Runtime API stand-in, once unfiltered to show what the runtime
//!   would log, once as in production.
//!
//! The conversation both searches run is in [`conversation`]; the child process and its
//! Runtime API stand-in are in [`child`].

mod child;
mod conversation;

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use testkit::StackOptions;
use testkit::stack::{LOCAL_BOT_TOKEN, LOCAL_OPENAI_KEY, LOCAL_WEBHOOK_SECRET};
use tracing::level_filters::LevelFilter;
use tracing_subscriber::Layer;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;

pub(crate) use self::child::child_function;
use self::conversation::conversation;
use crate::env::TestEnv;

/// Every line written, in order.
#[derive(Clone, Default)]
pub(crate) struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    pub(crate) fn lines(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

impl Write for Captured {
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

/// The user of both searches' conversations.
const USER: i64 = 2701;

/// The strings no log line may hold, by what they are.
fn secrets() -> Vec<(&'static str, String)> {
    let token_secret = LOCAL_BOT_TOKEN.split_once(':').unwrap().1;
    vec![
        ("bot token", LOCAL_BOT_TOKEN.to_owned()),
        ("bot token's secret part", token_secret.to_owned()),
        ("webhook secret", LOCAL_WEBHOOK_SECRET.to_owned()),
        ("OpenAI API key", LOCAL_OPENAI_KEY.to_owned()),
    ]
}

/// Where `needles` occur in `lines`: one entry per line and needle, naming what it is.
pub(crate) fn found_in(lines: &[String], needles: &[(&'static str, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        for (what, needle) in needles {
            if line.contains(needle.as_str()) {
                found.push(format!("line {}: {what} ({needle:?})", i + 1));
            }
        }
    }
    found
}

fn target_of(line: &str) -> String {
    serde_json::from_str::<Value>(line).unwrap_or_default()["target"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn at_trace_no_secret_and_nothing_anyone_said_reaches_the_logs() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::registry().with(shared::runtime::log_layer(
        LevelFilter::TRACE,
        true,
        logs.clone(),
    ));
    // This thread only: the code under test runs on it (see the module's comment).
    let _guard = tracing::subscriber::set_default(subscriber);

    let env = TestEnv::with(StackOptions::default()).await;
    let mut needles = secrets();
    needles.extend(Box::pin(conversation(&env)).await);

    let lines = logs.lines();
    let found = found_in(&lines, &needles);
    assert!(
        found.is_empty(),
        "the logs hold what they must not: {found:#?}"
    );

    // The filter let the logs through, not silence: every level, the product's own lines,
    // the AWS SDK's and hyper's.
    assert!(lines.len() > 100, "only {} lines captured", lines.len());
    let targets: Vec<String> = lines.iter().map(|l| target_of(l)).collect();
    for prefix in [
        "shared::handlers::",
        "aws_smithy_runtime",
        "aws_sdk_",
        "hyper_util",
    ] {
        assert!(
            targets.iter().any(|t| t.starts_with(prefix)),
            "no line from {prefix}*"
        );
    }
    assert!(
        lines.iter().any(|l| l.contains(r#""level":"TRACE""#)),
        "no TRACE line captured"
    );
    // The capped libraries are cut at their cap, not silenced.
    let level_of = |line: &str| {
        serde_json::from_str::<Value>(line).unwrap_or_default()["level"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        lines
            .iter()
            .any(|l| target_of(l).starts_with("aws_smithy_runtime") && level_of(l) == "DEBUG"),
        "the AWS SDK's DEBUG lines are kept"
    );
    assert!(
        !lines
            .iter()
            .any(|l| target_of(l).starts_with("aws_smithy_runtime") && level_of(l) == "TRACE"),
        "the AWS SDK's TRACE lines (response bodies) are cut"
    );
    assert!(!targets.iter().any(|t| t.starts_with("async_openai")));
}

/// Which target logged at which level, and which of `needles` each line held. For
/// choosing [`shared::runtime::LIBRARY_CAPS`] after a library upgrade:
/// `cargo test -p testkit --test it -- --ignored --nocapture logs::survey`.
#[tokio::test]
#[ignore = "a survey, not a check: prints what each library logs when nothing is filtered"]
async fn survey_of_what_each_library_logs_unfiltered() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::registry().with(
        tracing_subscriber::fmt::layer()
            .json()
            .with_writer(logs.clone())
            .with_filter(LevelFilter::TRACE),
    );
    let _guard = tracing::subscriber::set_default(subscriber);
    let env = TestEnv::with(StackOptions::default()).await;
    let mut needles = secrets();
    needles.extend(Box::pin(conversation(&env)).await);
    if let Ok(path) = std::env::var("LOG_SURVEY_FILE") {
        std::fs::write(path, logs.lines().join("\n")).unwrap();
    }
    let mut table: std::collections::BTreeMap<(String, String), (usize, Vec<&str>)> =
        std::collections::BTreeMap::new();
    for line in logs.lines() {
        let v: Value = serde_json::from_str(&line).unwrap_or_default();
        let key = (
            v["target"].as_str().unwrap_or("?").to_owned(),
            v["level"].as_str().unwrap_or("?").to_owned(),
        );
        let entry = table.entry(key).or_default();
        entry.0 += 1;
        if line.contains("Once(Some(b") && !entry.1.contains(&"a body") {
            entry.1.push("a body");
        }
        for (what, needle) in &needles {
            if line.contains(needle.as_str()) && !entry.1.contains(what) {
                entry.1.push(what);
            }
        }
    }
    for ((target, level), (count, found)) in table {
        eprintln!("{target:60} {level:5} {count:5} {found:?}");
    }
}
