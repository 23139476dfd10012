//! One run of one release binary: a Lambda Runtime API stand-in on loopback hands it the
//! run's events one by one, and reads from `/proc` what the process used.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::Stack;

/// One event's cost: from handing it out to the function's answer (what Lambda bills),
/// and the CPU the process used from handing it out to its next `GET /next`.
#[derive(Clone, Copy, Debug)]
pub struct EventCost {
    pub wall: Duration,
    pub cpu: Duration,
}

/// What one run of a binary measured.
#[derive(Clone, Debug)]
pub struct Sample {
    /// Process start to its first `GET /next` (Lambda's Init Duration).
    pub init: Duration,
    /// CPU used by then, all threads.
    pub init_cpu: Duration,
    /// Resident memory at that first `GET /next`, in kB.
    pub ready_rss_kb: u64,
    /// Peak resident memory (VmHWM) after the last event, in kB.
    pub peak_rss_kb: u64,
    /// Each event's cost, in the order handed out.
    pub events: Vec<EventCost>,
    /// The function's answers, in order.
    pub responses: Vec<String>,
}

#[derive(Default)]
struct Timeline {
    /// When each `GET /next` came, with the CPU the process had used by then.
    nexts: Vec<(Instant, Option<Duration>)>,
    ready_rss_kb: u64,
    responses: Vec<(Instant, String)>,
    error: Option<String>,
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

    fn next(&self, t: &mut Timeline, now: Instant) -> ResponseTemplate {
        let n = t.nexts.len();
        // Read while the process waits for this answer, so nothing of the next event's
        // work is counted against the previous one.
        let pid = self.pid();
        t.nexts.push((now, pid.and_then(cpu_time)));
        if n == 0 {
            t.ready_rss_kb = pid.map_or(0, |p| status_kb(p, "VmRSS:"));
        }
        let Some(event) = self.events.get(n) else {
            // No more work: hold the poll open, as Lambda does between invocations.
            return ResponseTemplate::new(200).set_delay(Duration::from_secs(600));
        };
        let deadline = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
            + 300_000;
        ResponseTemplate::new(200)
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
            .set_body_json(event.clone())
    }
}

impl Respond for RuntimeApi {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let now = Instant::now();
        let path = request.url.path();
        let mut t = self.timeline.lock().unwrap_or_else(|e| e.into_inner());
        if path.ends_with("/invocation/next") {
            return self.next(&mut t, now);
        }
        let body = String::from_utf8_lossy(&request.body).into_owned();
        if path.ends_with("/response") {
            t.responses.push((now, body));
        } else if path.contains("/error") {
            t.error = Some(body);
        }
        ResponseTemplate::new(202).set_body_json(serde_json::json!({"status": "OK"}))
    }
}

/// CPU time a process has used, all its threads, from the scheduler's nanosecond counts
/// (`/proc/<pid>/task/*/schedstat`; the tick-based `stat` is too coarse for milliseconds).
pub fn cpu_time(pid: u32) -> Option<Duration> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    let mut ns = 0u64;
    for task in tasks.flatten() {
        let stat = std::fs::read_to_string(task.path().join("schedstat")).ok()?;
        ns += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(ns))
}

/// A `/proc/<pid>/status` line in kB (`VmRSS:`, `VmHWM:`), 0 if unreadable.
fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Starts `binary` with the stack's environment, hands it `events` one by one, and waits
/// until it has answered all of them and asked for more.
pub async fn run_once(stack: &Stack, binary: &Path, events: Vec<Value>) -> anyhow::Result<Sample> {
    let count = events.len();
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
    let started = Instant::now();
    let mut child = Command::new(binary)
        .envs(stack.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("AWS_LAMBDA_RUNTIME_API", server.address().to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "bench")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_LEVEL", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    pid.store(child.id(), Ordering::SeqCst);
    let waited = wait_for(&timeline, count, binary).await;
    let peak_rss_kb = status_kb(child.id(), "VmHWM:");
    let _ = child.kill();
    let _ = child.wait();
    waited?;
    let t = timeline.lock().unwrap_or_else(|e| e.into_inner());
    sample(&t, started, peak_rss_kb)
}

/// Waits until `count` events are answered and the process asked for one more.
async fn wait_for(timeline: &Mutex<Timeline>, count: usize, binary: &Path) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        {
            let t = timeline.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(e) = &t.error {
                bail!("{} failed: {e}", binary.display());
            }
            if t.responses.len() >= count && t.nexts.len() > count {
                return Ok(());
            }
        }
        if Instant::now() > deadline {
            bail!(
                "{} did not answer {count} events within 60 s",
                binary.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

fn sample(t: &Timeline, started: Instant, peak_rss_kb: u64) -> anyhow::Result<Sample> {
    let cpu_at = |i: usize| {
        t.nexts[i]
            .1
            .context("the process's CPU time could not be read from /proc")
    };
    let mut events = Vec::new();
    for (i, (answered, _)) in t.responses.iter().enumerate() {
        events.push(EventCost {
            wall: answered.saturating_duration_since(t.nexts[i].0),
            cpu: cpu_at(i + 1)?.saturating_sub(cpu_at(i)?),
        });
    }
    Ok(Sample {
        init: t.nexts[0].0 - started,
        init_cpu: cpu_at(0)?,
        ready_rss_kb: t.ready_rss_kb,
        peak_rss_kb,
        events,
        responses: t.responses.iter().map(|(_, b)| b.clone()).collect(),
    })
}
