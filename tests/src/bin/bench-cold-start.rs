//! Cold-start and memory benchmark for the five functions.
//!
//! Runs each function's release binary against a Lambda Runtime API stand-in on loopback,
//! with the local stack behind it, and measures per run:
//!   init    process start -> first `GET /next` (what Lambda bills as Init Duration)
//!   first   first event handed out -> its response (includes deferred work: the secret
//!           fetch, the first TLS-free connections to moto)
//!   warm    second event -> its response
//!   rss     peak resident memory (VmHWM) after both events
//! and prints medians over the runs. Machines here are shared and noisy: compare figures
//! from the same run, not across runs.
//!
//!   cargo build --release -p webhook -p subscription-check -p processor -p sender -p style-refresh
//!   cargo run --release -p testkit --bin bench-cold-start -- [RUNS] [TARGET_DIR]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::Value;
use testkit::fixtures::workspace_root;
use testkit::{Stack, StackOptions};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

#[derive(Default)]
struct Timeline {
    nexts: Vec<Instant>,
    responses: Vec<(Instant, String)>,
    init_error: Option<String>,
}

struct RuntimeApi {
    events: Vec<Value>,
    timeline: Arc<Mutex<Timeline>>,
}

impl Respond for RuntimeApi {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let now = Instant::now();
        let path = request.url.path();
        let mut t = self.timeline.lock().unwrap_or_else(|e| e.into_inner());
        if path.ends_with("/invocation/next") {
            let n = t.nexts.len();
            t.nexts.push(now);
            let Some(event) = self.events.get(n) else {
                // No more work: hold the poll open, as Lambda does between invocations.
                return ResponseTemplate::new(200).set_delay(Duration::from_secs(600));
            };
            let deadline = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis())
                + 300_000;
            return ResponseTemplate::new(200)
                .insert_header("lambda-runtime-aws-request-id", format!("req-{n}").as_str())
                .insert_header("lambda-runtime-deadline-ms", deadline.to_string().as_str())
                .insert_header(
                    "lambda-runtime-invoked-function-arn",
                    "arn:aws:lambda:us-east-1:123456789012:function:bench",
                )
                .insert_header(
                    "lambda-runtime-trace-id",
                    "Root=1-00000000-000000000000000000000000",
                )
                .set_body_json(event.clone());
        }
        if path.ends_with("/response") {
            t.responses
                .push((now, String::from_utf8_lossy(&request.body).into_owned()));
        } else if path.contains("/error") {
            t.init_error = Some(String::from_utf8_lossy(&request.body).into_owned());
        }
        ResponseTemplate::new(202).set_body_json(serde_json::json!({"status": "OK"}))
    }
}

struct Sample {
    init: Duration,
    first: Duration,
    warm: Duration,
    rss_kb: u64,
}

fn peak_rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

async fn run_once(stack: &Stack, binary: &PathBuf, events: Vec<Value>) -> anyhow::Result<Sample> {
    let timeline = Arc::new(Mutex::new(Timeline::default()));
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(RuntimeApi {
            events,
            timeline: timeline.clone(),
        })
        .mount(&server)
        .await;
    let address = server.address().to_string();
    let started = Instant::now();
    let mut child = Command::new(binary)
        .envs(stack.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("AWS_LAMBDA_RUNTIME_API", &address)
        .env("AWS_LAMBDA_FUNCTION_NAME", "bench")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_LEVEL", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        {
            let t = timeline.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(e) = &t.init_error {
                bail!("{} failed: {e}", binary.display());
            }
            if t.responses.len() >= 2 && t.nexts.len() >= 3 {
                break;
            }
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            bail!("{} did not answer two events within 60 s", binary.display());
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let rss_kb = peak_rss_kb(child.id());
    let _ = child.kill();
    let _ = child.wait();
    let t = timeline.lock().unwrap_or_else(|e| e.into_inner());
    for (_, body) in &t.responses {
        if body.contains("\"itemIdentifier\"") || body.contains("\"statusCode\":5") {
            bail!("{}: an event failed: {body}", binary.display());
        }
    }
    Ok(Sample {
        init: t.nexts[0] - started,
        first: t.responses[0].0 - t.nexts[0],
        warm: t.responses[1].0 - t.nexts[1],
        rss_kb,
    })
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The events each function gets, by function: two different ones where idempotency
/// would otherwise make the second trivially cheap.
fn cases() -> anyhow::Result<Vec<(&'static str, Vec<Value>)>> {
    let event = |file: &str| -> anyhow::Result<Value> {
        let path = workspace_root().join("events").join(file);
        Ok(serde_json::from_str(
            &std::fs::read_to_string(&path).with_context(|| path.display().to_string())?,
        )?)
    };
    Ok(vec![
        (
            "webhook",
            vec![
                event("webhook-private-text.json")?,
                event("webhook-health.json")?,
            ],
        ),
        (
            "subscription-check",
            vec![
                event("subscription-check-message.json")?,
                event("subscription-check-member-update.json")?,
            ],
        ),
        (
            "processor",
            vec![
                event("processor-message.json")?,
                event("processor-reset.json")?,
            ],
        ),
        (
            "sender",
            vec![event("sender-reply.json")?, event("sender-reply.json")?],
        ),
        (
            "style-refresh",
            vec![
                event("style-refresh-user.json")?,
                event("style-refresh-schedule.json")?,
            ],
        ),
    ])
}

#[allow(clippy::print_stdout)]
async fn run() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs: usize = args.first().map(|s| s.parse()).transpose()?.unwrap_or(10);
    let target = args.get(1).map(PathBuf::from).unwrap_or_else(|| {
        workspace_root()
            .join(std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()))
            .join("release")
    });
    let stack = Stack::start(StackOptions::default()).await?;
    let cases = cases()?;
    println!(
        "{runs} runs per function, medians; binaries from {}",
        target.display()
    );
    println!(
        "{:<20} {:>9} {:>10} {:>9} {:>9} {:>10}",
        "function", "init ms", "first ms", "warm ms", "peak MB", "size MB"
    );
    for (name, events) in cases {
        let binary = target.join(name);
        let size = std::fs::metadata(&binary)
            .with_context(|| format!("{} (build it with --release first)", binary.display()))?
            .len();
        let mut samples = Vec::new();
        for _ in 0..runs {
            samples.push(run_once(&stack, &binary, events.clone()).await?);
        }
        let mut rss: Vec<u64> = samples.iter().map(|s| s.rss_kb).collect();
        rss.sort_unstable();
        println!(
            "{:<20} {:>9.1} {:>10.1} {:>9.1} {:>9.1} {:>10.2}",
            name,
            median(samples.iter().map(|s| s.init).collect()).as_secs_f64() * 1000.0,
            median(samples.iter().map(|s| s.first).collect()).as_secs_f64() * 1000.0,
            median(samples.iter().map(|s| s.warm).collect()).as_secs_f64() * 1000.0,
            rss[rss.len() / 2] as f64 / 1024.0,
            size as f64 / 1_048_576.0,
        );
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    match Box::pin(run()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-cold-start: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
