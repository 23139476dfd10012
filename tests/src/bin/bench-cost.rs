#![allow(clippy::print_stdout)] // a benchmark: its report is its output
//! AWS requests and DynamoDB units per message, by function and operation: one user's
//! first message, then N ordinary ones (distinct, each answered for real), through the
//! whole pipeline on the local stack. Counts, not times: any build measures the same.
//!
//! With `--durations` (a `bench-cold-start --json` summary of the release binaries) it
//! adds Lambda's duration charge, from each function's `MemorySize` in template.yaml,
//! without and with a model wait of `--model-wait-ms` on the processor (default 2000).
//! `scripts/bench` runs both.
//!
//! ```sh
//! cargo run -p testkit --bin bench-cost -- [N] [--durations PATH] [--model-wait-ms MS]
//!     [--no-redis] [--daily-token-limit TOKENS]
//! ```
//!
//! `--no-redis` counts the rate limit (and memberships) in the table instead of Redis;
//! `--daily-token-limit` makes every message pay for its budget hold.

use std::path::PathBuf;

use anyhow::{Context, bail};
use testkit::bench::Summary;
use testkit::costs::duration::{FunctionDuration, duration_usd_per_100k, durations};
use testkit::costs::{Costs, Prices, measure, table, usd_per_100k};
use testkit::provision::Plan;

struct Args {
    messages: usize,
    no_redis: bool,
    daily_token_limit: Option<String>,
    durations: Option<PathBuf>,
    model_wait_ms: f64,
}

fn args() -> anyhow::Result<Args> {
    let mut a = Args {
        messages: 10,
        no_redis: false,
        daily_token_limit: None,
        durations: None,
        model_wait_ms: 2000.0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--no-redis" => a.no_redis = true,
            "--daily-token-limit" => {
                a.daily_token_limit = Some(it.next().context("--daily-token-limit TOKENS")?);
            }
            "--durations" => a.durations = Some(it.next().context("--durations PATH")?.into()),
            "--model-wait-ms" => {
                a.model_wait_ms = it.next().context("--model-wait-ms MS")?.parse()?;
            }
            other if other.starts_with("--") => bail!("unknown option {other}"),
            n => a.messages = n.parse().context("N is a number of messages")?,
        }
    }
    Ok(a)
}

fn main() -> anyhow::Result<()> {
    let a = args()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut options = testkit::StackOptions {
        redis: !a.no_redis,
        ..testkit::StackOptions::default()
    };
    if let Some(tokens) = &a.daily_token_limit {
        options
            .extra_env
            .push(("DAILY_TOKEN_LIMIT".into(), tokens.clone()));
    }
    let costs = runtime.block_on(measure(a.messages, options))?;
    println!("## First message of a new user\n\n{}", table(&costs.first));
    println!(
        "## Ordinary message (mean of {})\n\n{}",
        costs.messages,
        table(&costs.ordinary)
    );
    let prices = Prices::load()?;
    let lambda = match &a.durations {
        Some(path) => Some(durations(
            &Summary::load(path)?,
            &Plan::load()?,
            &costs.invocations,
        )?),
        None => None,
    };
    if let Some(functions) = &lambda {
        print_durations(functions, a.model_wait_ms);
    }
    print_usd(&costs, &prices, lambda.as_deref(), a.model_wait_ms);
    print_invocations(&costs);
    Ok(())
}

fn print_durations(functions: &[FunctionDuration], model_wait_ms: f64) {
    println!(
        "## Lambda duration per invocation (steady events of the release binaries, medians)\n"
    );
    println!(
        "| function | MemorySize MB | invocations per message | wall ms here | CPU ms here | \
         est. billed ms | with {model_wait_ms:.0} ms model wait |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for f in functions {
        let wait = if f.function == testkit::costs::duration::MODEL_CALLER {
            model_wait_ms
        } else {
            0.0
        };
        println!(
            "| {} | {} | {:.1} | {:.2} | {:.2} | {:.0} | {:.0} |",
            f.function,
            f.memory_mb,
            f.invocations,
            f.wall_ms,
            f.cpu_ms,
            f.billed_ms(0.0),
            f.billed_ms(wait)
        );
    }
    println!(
        "\nest. billed: the wait as measured here, the CPU stretched to the MemorySize's share \
         of a vCPU (one at {:.0} MB), rounded up to the millisecond; the model wait is the \
         processor's, which streams the reply as it comes.\n",
        testkit::costs::duration::ONE_VCPU_MB
    );
}

fn print_usd(costs: &Costs, prices: &Prices, lambda: Option<&[FunctionDuration]>, wait: f64) {
    println!(
        "USD per 100,000 ordinary messages ({}, on-demand, arm64; SQS includes {} polling \
         requests per consumer invocation{}):\n",
        prices.region,
        testkit::costs::POLLING_REQUESTS_PER_INVOCATION,
        if lambda.is_some() {
            ""
        } else {
            "; Lambda duration not included: pass --durations, as scripts/bench does"
        }
    );
    println!("| billed | USD, no model wait | USD, {wait:.0} ms model wait |\n|---|---:|---:|");
    let mut rows: Vec<(&str, f64, f64)> = usd_per_100k(costs, prices)
        .into_iter()
        .map(|(what, usd)| (what, usd, usd))
        .collect();
    if let Some(functions) = lambda {
        rows.push((
            "Lambda duration (GB-s)",
            duration_usd_per_100k(functions, prices, 0.0),
            duration_usd_per_100k(functions, prices, wait),
        ));
    }
    for (what, without, with) in &rows {
        println!("| {what} | {without:.3} | {with:.3} |");
    }
    let without: f64 = rows.iter().map(|r| r.1).sum();
    let with: f64 = rows.iter().map(|r| r.2).sum();
    println!("| **all** | **{without:.3}** | **{with:.3}** |\n");
}

fn print_invocations(costs: &Costs) {
    let per_function: Vec<String> = costs
        .invocations
        .iter()
        .map(|(f, i)| format!("{f} {i:.1}"))
        .collect();
    println!(
        "Lambda invocations per message: {}.\n",
        per_function.join(", ")
    );
    let mut waits = costs.before_model.clone();
    waits.sort_by_key(|w| (w.round_trips, w.requests));
    if let Some(median) = waits.get(waits.len() / 2) {
        println!(
            "Before its model request the processor made {} AWS requests in {} sequential \
             round trips (median of {}): {}.",
            median.requests,
            median.round_trips,
            waits.len(),
            median.path
        );
    }
    let mut times: Vec<std::time::Duration> = waits.iter().map(|w| w.wait).collect();
    times.sort();
    if let Some(median) = times.get(times.len() / 2) {
        println!(
            "From being handed the record to its model request the processor took {:.1} ms \
             (median of {}; this build, this machine, moto and the stand-ins on loopback: \
             compare runs by the round trips, not by this time).",
            median.as_secs_f64() * 1000.0,
            times.len()
        );
    }
}
