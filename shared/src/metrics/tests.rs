use std::collections::{BTreeMap, HashMap};
use std::process::Command;

use anyhow::anyhow;
use serde_json::Value;

use super::*;

fn namespace_of(value: Option<&str>) -> Option<String> {
    let vars: HashMap<&str, &str> = value.map(|v| (NAMESPACE_VAR, v)).into_iter().collect();
    namespace(|name| vars.get(name).map(|v| (*v).to_owned()))
}

#[test]
fn the_namespace_is_telegrambot_unless_set_and_empty_or_off_turns_metrics_off() {
    assert_eq!(namespace_of(None).as_deref(), Some("TelegramBot"));
    assert_eq!(
        namespace_of(Some("Bot-staging")).as_deref(),
        Some("Bot-staging")
    );
    assert_eq!(namespace_of(Some(" Bot ")).as_deref(), Some("Bot"));
    for off in ["", "  ", "off", "OFF", "Off"] {
        assert_eq!(namespace_of(Some(off)), None, "{off:?}");
    }
}

#[test]
fn function_names_are_the_short_names() {
    let names: Vec<&str> = Function::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(
        names,
        [
            "webhook",
            "subscription-check",
            "processor",
            "sender",
            "style-refresh"
        ]
    );
    for f in Function::ALL {
        assert_eq!(Function::from_name(f.name()), Some(f));
    }
    assert_eq!(Function::from_name("telegram"), None);
}

#[test]
fn off_writes_nothing() {
    let mut out = Vec::new();
    Metrics::OFF.flush_to(&mut out);
    assert!(out.is_empty());
    assert!(!Metrics::OFF.is_on());
    assert!(!Metrics::install(Function::Sender, None).is_on());
}

/// How the child records: `on` or `off` (with `METRICS_NAMESPACE` as the parent sets it).
const CHILD: &str = "SHARED_METRICS_CHILD";
/// Printed between two flushes, so the parent can tell invocations apart.
const NEXT_INVOCATION: &str = "--- next invocation ---";

/// The recorder is process-wide, and other unit tests run handlers that record: it is
/// installed only in a child process running this test alone (see [`child_lines`]).
#[test]
#[ignore = "run in a child process by the EMF tests below"]
fn recorder_in_a_child_process() {
    if std::env::var(CHILD).is_err() {
        return;
    }
    let metrics = Metrics::init(Function::Processor);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(metrics.flush_after(async {
        update_received();
        update_received();
        reply_sent();
        model_latency(Duration::from_millis(1500));
        model_latency(Duration::from_micros(250_500));
        time_to_first_token(Duration::from_millis(320));
        let usage = Usage {
            model: "gpt-4o-mini".into(),
            prompt_tokens: 1200,
            completion_tokens: 80,
            response_ms: 1500,
            estimated: false,
        };
        self::usage(&usage, Some(228));
        failed(&Failure::retryable(anyhow!("503")));
        failed(&Failure::permanent(anyhow!("insufficient_quota")));
        permanent_failure();
        parked();
    }));
    // An invocation that records nothing writes nothing.
    std::io::stdout()
        .write_all(format!("{NEXT_INVOCATION}\n").as_bytes())
        .unwrap();
    runtime.block_on(metrics.flush_after(async {}));
    std::io::stdout()
        .write_all(format!("{NEXT_INVOCATION}\n").as_bytes())
        .unwrap();
    runtime.block_on(metrics.flush_after(async { reply_sent() }));
}

/// What the child writes, by invocation: its EMF lines, parsed.
fn child_lines(namespace: &str) -> Vec<Vec<Value>> {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "metrics::tests::recorder_in_a_child_process",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .env(NAMESPACE_VAR, namespace)
        .output()
        .expect("the test binary runs again");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout.matches(NEXT_INVOCATION).count(),
        2,
        "the child ran: {stdout}"
    );
    stdout
        .split(NEXT_INVOCATION)
        .map(|invocation| {
            // libtest may have written the test's name on the same line first.
            invocation
                .lines()
                .filter_map(|l| l.find(r#"{"_aws""#).map(|at| &l[at..]))
                .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
                .collect()
        })
        .collect()
}

fn metric_units(doc: &Value) -> BTreeMap<String, Option<String>> {
    doc["_aws"]["CloudWatchMetrics"][0]["Metrics"]
        .as_array()
        .expect("Metrics is a list")
        .iter()
        .map(|m| {
            (
                m["Name"].as_str().expect("a name").to_owned(),
                m.get("Unit")
                    .map(|u| u.as_str().expect("a unit").to_owned()),
            )
        })
        .collect()
}

#[test]
fn an_invocation_writes_one_valid_emf_line_with_every_metric() {
    let invocations = child_lines("TelegramBot");
    assert_eq!(
        invocations.iter().map(Vec::len).collect::<Vec<_>>(),
        [1, 0, 1],
        "one line per invocation that recorded something: {invocations:#?}"
    );
    let doc = &invocations[0][0];

    // The metadata: a millisecond timestamp, one namespace, one dimension set.
    let aws = &doc["_aws"];
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let timestamp = aws["Timestamp"].as_u64().expect("Timestamp in ms");
    assert!(now - 60_000 < timestamp && timestamp <= now, "{timestamp}");
    let directives = aws["CloudWatchMetrics"].as_array().unwrap();
    assert_eq!(directives.len(), 1);
    assert_eq!(directives[0]["Namespace"], "TelegramBot");
    assert_eq!(
        directives[0]["Dimensions"],
        serde_json::json!([["Function"]])
    );
    // The contract, spelled out: CostUsd has no unit, which is CloudWatch's `None`.
    let expected: BTreeMap<String, Option<String>> = [
        ("UpdatesReceived", Some("Count")),
        ("RepliesSent", Some("Count")),
        ("ModelLatency", Some("Milliseconds")),
        ("TimeToFirstToken", Some("Milliseconds")),
        ("InputTokens", Some("Count")),
        ("OutputTokens", Some("Count")),
        ("CostUsd", None),
        ("FailuresTransient", Some("Count")),
        ("FailuresPermanent", Some("Count")),
        ("MessagesParked", Some("Count")),
    ]
    .into_iter()
    .map(|(name, unit)| (name.to_owned(), unit.map(str::to_owned)))
    .collect();
    assert_eq!(metric_units(doc), expected);

    // The values, at the top level, beside the dimension's value and nothing else.
    let top: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut allowed = vec!["_aws", DIMENSION];
    allowed.extend(METRICS.iter().map(|(name, _)| *name));
    for key in &top {
        assert!(allowed.contains(key), "unexpected top-level member {key}");
    }
    assert_eq!(doc[DIMENSION], "processor");
    assert_eq!(doc[UPDATES_RECEIVED], 2);
    assert_eq!(doc[REPLIES_SENT], 1);
    assert_eq!(doc[MODEL_LATENCY], serde_json::json!([1500.0, 250.5]));
    assert_eq!(doc[TIME_TO_FIRST_TOKEN], serde_json::json!([320.0]));
    assert_eq!(doc[INPUT_TOKENS], 1200);
    assert_eq!(doc[OUTPUT_TOKENS], 80);
    assert_eq!(doc[COST_USD], serde_json::json!([0.000228]));
    assert_eq!(doc[FAILURES_TRANSIENT], 1);
    assert_eq!(doc[FAILURES_PERMANENT], 2);
    assert_eq!(doc[MESSAGES_PARKED], 1);

    // The next invocation's line holds only what it recorded.
    let next = &invocations[2][0];
    assert_eq!(
        metric_units(next).keys().collect::<Vec<_>>(),
        [REPLIES_SENT]
    );
    assert_eq!(next[REPLIES_SENT], 1);
    assert!(next.get(UPDATES_RECEIVED).is_none());
}

#[test]
fn off_or_empty_writes_no_line_at_all() {
    for off in ["off", ""] {
        let invocations = child_lines(off);
        assert!(
            invocations.iter().all(Vec::is_empty),
            "{off:?}: {invocations:#?}"
        );
    }
}
