#![allow(clippy::print_stdout)] // a benchmark: its report is its output
//! Cold start, memory and per-event CPU of the five functions' release binaries, against
//! two baselines run interleaved with them: `hello-bare` (a current-thread lambda_runtime
//! hello) and `hello-sdk` (the same with the AWS SDK clients), in `tests/hello/`.
//!
//! Each run starts each binary against a Lambda Runtime API stand-in with the local stack
//! behind it and hands it `EVENTS` new events (`testkit::bench::feed`: fresh updates of
//! known users, each stage fed what the stage before wrote, each checked to have been
//! processed for real). Per binary it prints the medians over the runs of:
//!   init      process start -> first `GET /next` (Lambda's Init Duration), wall and CPU
//!             (all threads, the scheduler's nanosecond counts)
//!   ready/peak  resident memory at the first `GET /next`, and its peak after the events
//!   first     the first event: handed out -> answered (wall), and the CPU until the next
//!             `GET /next`; includes the work deferred from init (secrets, connections)
//!   steady    the same for every later event of the process
//! Machines here are shared and noisy: compare figures of the same run (ratios), not
//! across runs.
//!
//!   cargo build --release -p webhook -p subscription-check -p processor -p sender -p style-refresh -p hello
//!   cargo run --release -p testkit --bin bench-cold-start -- [RUNS] [TARGET_DIR] [--events N] [--json PATH]

use std::path::PathBuf;

use anyhow::{Context, bail};
use testkit::bench::feed::{BINARIES, Feed};
use testkit::bench::{BinaryStats, Sample, Summary, run_once};
use testkit::fixtures::workspace_root;
use testkit::{Stack, StackOptions};

struct Args {
    runs: usize,
    events: usize,
    target: PathBuf,
    json: Option<PathBuf>,
}

fn args() -> anyhow::Result<Args> {
    let mut positional = Vec::new();
    let (mut events, mut json) = (5, None);
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--events" => events = it.next().context("--events N")?.parse()?,
            "--json" => json = Some(PathBuf::from(it.next().context("--json PATH")?)),
            other if other.starts_with("--") => bail!("unknown option {other}"),
            _ => positional.push(arg),
        }
    }
    let runs = positional
        .first()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10);
    let target = positional.get(1).map(PathBuf::from).unwrap_or_else(|| {
        workspace_root()
            .join(std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()))
            .join("release")
    });
    Ok(Args {
        runs,
        events,
        target,
        json,
    })
}

/// Runs every binary `runs` times, interleaved: run r of every binary before run r+1 of
/// any, so a machine that gets busier or quieter during the benchmark weighs on all alike.
async fn measure(a: &Args) -> anyhow::Result<Vec<Vec<Sample>>> {
    for name in BINARIES {
        let binary = a.target.join(name);
        std::fs::metadata(&binary)
            .with_context(|| format!("{} (build it with --release first)", binary.display()))?;
    }
    let stack = Stack::start(StackOptions::default()).await?;
    let mut feed = Feed::start(&stack, a.runs, a.events).await?;
    let mut samples: Vec<Vec<Sample>> = BINARIES.iter().map(|_| Vec::new()).collect();
    for _ in 0..a.runs {
        for (i, name) in BINARIES.iter().enumerate() {
            let events = feed.events(name)?;
            let before = feed.seen();
            let sample = run_once(&stack, &a.target.join(name), events).await?;
            feed.check(name, before, &sample.responses).await?;
            samples[i].push(sample);
        }
        feed.end_round()?;
    }
    let violations = stack.violations();
    if !violations.is_empty() {
        bail!("the stand-ins saw requests their APIs refuse: {violations:?}");
    }
    Ok(samples)
}

fn print(a: &Args, summary: &Summary) -> anyhow::Result<()> {
    println!(
        "{} interleaved runs per binary, {} new events per run, medians; binaries from {}\n",
        a.runs,
        a.events,
        a.target.display()
    );
    println!(
        "| binary | init ms | init CPU ms | init CPU ratio | ready MB | peak MB | first ms | \
         first CPU ms | steady ms | steady CPU ms | size MB |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let bare = summary
        .binaries
        .get("hello-bare")
        .map_or(f64::EPSILON, |s| s.init_cpu_ms.max(f64::EPSILON));
    for name in BINARIES {
        let s = summary.binaries.get(name).context("a binary's stats")?;
        let size = std::fs::metadata(a.target.join(name))?.len() as f64 / 1_048_576.0;
        println!(
            "| {name} | {:.1} | {:.2} | {:.2} | {:.1} | {:.1} | {:.1} | {:.2} | {:.1} | {:.2} | {size:.2} |",
            s.init_ms,
            s.init_cpu_ms,
            s.init_cpu_ms / bare,
            s.ready_mb,
            s.peak_mb,
            s.first_ms,
            s.first_cpu_ms,
            s.steady_ms,
            s.steady_cpu_ms,
        );
    }
    println!(
        "\ninit CPU ratio: over hello-bare's (a current-thread lambda_runtime hello) in the same \
         run. first/steady: the first event of each process, and every later one; each a new \
         update processed for real (checked: a model request per processor event, a Telegram \
         message per sender event)."
    );
    Ok(())
}

async fn run() -> anyhow::Result<()> {
    let a = args()?;
    let samples = Box::pin(measure(&a)).await?;
    let summary = Summary {
        runs: a.runs,
        events_per_run: a.events,
        binaries: BINARIES
            .iter()
            .zip(&samples)
            .map(|(name, s)| ((*name).to_owned(), BinaryStats::of(s)))
            .collect(),
    };
    print(&a, &summary)?;
    if let Some(path) = &a.json {
        std::fs::write(path, serde_json::to_string_pretty(&summary)?)
            .with_context(|| path.display().to_string())?;
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
