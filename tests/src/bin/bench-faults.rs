//! The fault and load suite (a benchmark, not a test): many updates from many chats
//! through the whole pipeline on the local stack, while everything it depends on fails.
//! Prints what each update came to, as a Markdown table, and exits non-zero if any update
//! was lost, answered twice or out of order, or its usage counted twice.
//!
//! ```sh
//! cargo run --release -p testkit --bin bench-faults -- [--updates 1000] [--chats 100]
//!     [--workers 6] [--seed 7] [--fault-rate 0.05] [--kill-rate 0.02] [--outage-secs 4]
//!     [--hang-secs 60]
//! ```
//!
//! `BENCH_LOG=info` (any tracing filter) prints the functions' logs to stderr.

use std::time::Duration;

use anyhow::{Context, bail};
use testkit::faultsuite::{Options, run};

fn parse(args: &[String]) -> anyhow::Result<Options> {
    let mut opts = Options::default();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<f64>()
                .with_context(|| format!("{flag} {value}"))
        };
        match flag.as_str() {
            "--updates" => opts.updates = number()? as usize,
            "--chats" => opts.chats = (number()? as usize).max(1),
            "--workers" => opts.workers = (number()? as usize).max(1),
            "--seed" => opts.seed = number()? as u64,
            "--fault-rate" => opts.fault_rate = number()?,
            "--kill-rate" => opts.kill_rate = number()?,
            "--outage-secs" => opts.outage = Duration::from_secs_f64(number()?),
            "--hang-secs" => opts.hang = Duration::from_secs_f64(number()?),
            other => bail!("unknown option {other}"),
        }
    }
    Ok(opts)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opts = parse(&args)?;
    // The functions' own logs, for reading a failed run: BENCH_LOG=info (a filter).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BENCH_LOG")
                .unwrap_or_else(|_| "off".into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
    eprintln!("fault suite: {opts:?}");
    let report = run(&opts).await?;
    #[allow(clippy::print_stdout, reason = "the table is the benchmark's output")]
    {
        println!("{}", report.table());
    }
    if !report.passed() {
        bail!("some updates were lost, answered twice, told and answered, or out of order");
    }
    Ok(())
}
