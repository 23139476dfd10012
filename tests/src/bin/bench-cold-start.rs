//! Cold-start and memory benchmark for the five functions.
//!
//! Runs each function's release binary against a Lambda Runtime API stand-in on loopback,
//! with the local stack behind it, and measures per run:
//!   init    process start -> first `GET /next` (what Lambda bills as Init Duration)
//!   first   first event handed out -> its response (includes deferred work: the secret
//!           fetch, the first TLS-free connections to moto, the HTTP clients' TLS set-up)
//!   first CPU  CPU the process used from its first `GET /next` to its second: the first
//!           event, with everything deferred to it; init CPU + first CPU is the cold start
//!   warm    second event -> its response
//!   rss     peak resident memory (VmHWM) after both events
//! and prints medians over the runs. Machines here are shared and noisy: compare figures
//! from the same run, not across runs.
//!
//!   init CPU  CPU the process used before its first `GET /next`, all threads, against two
//!           baselines run interleaved with the functions: `hello-bare` (a current-thread
//!           lambda_runtime hello) and `hello-sdk` (the same with the AWS SDK clients)
//!
//!   cargo build --release -p webhook -p subscription-check -p processor -p sender -p style-refresh -p hello
//!   cargo run --release -p testkit --bin bench-cold-start -- [RUNS] [TARGET_DIR] [BEFORE_DIR]
//!
//! BEFORE_DIR: another build's binaries (e.g. copied from before a change), run interleaved
//! with the rest as `NAME@before`, so a change is measured against its baseline in one run.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};
use testkit::fixtures::workspace_root;
use testkit::{Stack, StackOptions};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

#[derive(Default)]
struct Timeline {
    /// CPU the process had used when it first asked for an event: its init CPU.
    init_cpu: Option<Duration>,
    /// CPU the process had used when it asked for its second event.
    first_cpu: Option<Duration>,
    nexts: Vec<Instant>,
    responses: Vec<(Instant, String)>,
    init_error: Option<String>,
}

struct RuntimeApi {
    events: Vec<Value>,
    timeline: Arc<Mutex<Timeline>>,
    /// The function's process id, 0 until it is spawned.
    pid: Arc<AtomicU32>,
}

impl RuntimeApi {
    /// The process asking: it can ask before `spawn` has returned to the bench.
    fn pid(&self) -> Option<u32> {
        let give_up = Instant::now() + Duration::from_millis(500);
        loop {
            match self.pid.load(Ordering::SeqCst) {
                0 if Instant::now() < give_up => std::thread::yield_now(),
                0 => return None,
                pid => return Some(pid),
            }
        }
    }
}

impl Respond for RuntimeApi {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let now = Instant::now();
        let path = request.url.path();
        let mut t = self.timeline.lock().unwrap_or_else(|e| e.into_inner());
        if path.ends_with("/invocation/next") {
            let n = t.nexts.len();
            t.nexts.push(now);
            if n == 0 {
                t.init_cpu = self.pid().and_then(cpu_time);
            } else if n == 1 {
                t.first_cpu = self.pid().and_then(cpu_time);
            }
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
    init_cpu: Duration,
    first: Duration,
    first_cpu: Duration,
    warm: Duration,
    rss_kb: u64,
}

/// CPU time a process has used, all its threads, from the scheduler's nanosecond counts
/// (`/proc/<pid>/task/*/schedstat`; the tick-based `stat` is too coarse for milliseconds).
fn cpu_time(pid: u32) -> Option<Duration> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    let mut ns = 0u64;
    for task in tasks.flatten() {
        let stat = std::fs::read_to_string(task.path().join("schedstat")).ok()?;
        ns += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(ns))
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
    let pid = Arc::new(AtomicU32::new(0));
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(RuntimeApi {
            events,
            timeline: timeline.clone(),
            pid: pid.clone(),
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
    pid.store(child.id(), Ordering::SeqCst);
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
    let unread = || "the CPU time could not be read from /proc";
    let init_cpu = t.init_cpu.with_context(unread)?;
    Ok(Sample {
        init: t.nexts[0] - started,
        init_cpu,
        first: t.responses[0].0 - t.nexts[0],
        first_cpu: t.first_cpu.with_context(unread)?.saturating_sub(init_cpu),
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

/// One binary to measure: its label in the table, its path, the events it gets.
struct Case {
    label: String,
    binary: PathBuf,
    events: Vec<Value>,
}

/// The two baselines, then the functions; with `before`, each again from that directory.
fn all_cases(target: &Path, before: Option<&Path>) -> anyhow::Result<Vec<Case>> {
    let mut named = vec![
        ("hello-bare", vec![json!({}), json!({})]),
        ("hello-sdk", vec![json!({}), json!({})]),
    ];
    named.extend(cases()?);
    let mut all = Vec::new();
    for (name, events) in named {
        if let Some(before) = before {
            all.push(Case {
                label: format!("{name}@before"),
                binary: before.join(name),
                events: events.clone(),
            });
        }
        all.push(Case {
            label: name.to_owned(),
            binary: target.join(name),
            events,
        });
    }
    for case in &all {
        std::fs::metadata(&case.binary).with_context(|| {
            format!("{} (build it with --release first)", case.binary.display())
        })?;
    }
    Ok(all)
}

async fn run() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs: usize = args.first().map(|s| s.parse()).transpose()?.unwrap_or(10);
    let target = args.get(1).map(PathBuf::from).unwrap_or_else(|| {
        workspace_root()
            .join(std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()))
            .join("release")
    });
    let before = args.get(2).map(PathBuf::from);
    let cases = all_cases(&target, before.as_deref())?;
    let stack = Stack::start(StackOptions::default()).await?;
    // Interleaved: run r of every binary before run r+1 of any, so a machine that gets
    // busier or quieter during the benchmark weighs on all of them alike.
    let mut samples: Vec<Vec<Sample>> = cases.iter().map(|_| Vec::new()).collect();
    for _ in 0..runs {
        for (i, case) in cases.iter().enumerate() {
            samples[i].push(run_once(&stack, &case.binary, case.events.clone()).await?);
        }
    }
    print_table(runs, &target, &cases, &samples)
}

#[allow(clippy::print_stdout)]
fn print_table(
    runs: usize,
    target: &Path,
    cases: &[Case],
    samples: &[Vec<Sample>],
) -> anyhow::Result<()> {
    println!(
        "{runs} interleaved runs per binary, medians; binaries from {}",
        target.display()
    );
    println!(
        "{:<26} {:>8} {:>12} {:>10} {:>9} {:>13} {:>8} {:>8} {:>8}",
        "binary",
        "init ms",
        "init CPU ms",
        "CPU ratio",
        "first ms",
        "first CPU ms",
        "warm ms",
        "peak MB",
        "size MB"
    );
    let bare = cases
        .iter()
        .position(|c| c.label == "hello-bare")
        .unwrap_or(0);
    let bare_cpu = median(samples[bare].iter().map(|s| s.init_cpu).collect());
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    for (case, samples) in cases.iter().zip(samples) {
        let size = std::fs::metadata(&case.binary)?.len();
        let mut rss: Vec<u64> = samples.iter().map(|s| s.rss_kb).collect();
        rss.sort_unstable();
        let cpu = median(samples.iter().map(|s| s.init_cpu).collect());
        println!(
            "{:<26} {:>8.1} {:>12.2} {:>10.2} {:>9.1} {:>13.2} {:>8.1} {:>8.1} {:>8.2}",
            case.label,
            ms(median(samples.iter().map(|s| s.init).collect())),
            ms(cpu),
            cpu.as_secs_f64() / bare_cpu.as_secs_f64().max(f64::EPSILON),
            ms(median(samples.iter().map(|s| s.first).collect())),
            ms(median(samples.iter().map(|s| s.first_cpu).collect())),
            ms(median(samples.iter().map(|s| s.warm).collect())),
            rss[rss.len() / 2] as f64 / 1024.0,
            size as f64 / 1_048_576.0,
        );
    }
    println!(
        "CPU ratio: init CPU over hello-bare's (a current-thread lambda_runtime hello), \
         medians of the same interleaved run."
    );
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
