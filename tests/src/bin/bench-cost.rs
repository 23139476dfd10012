#![allow(clippy::print_stdout)] // a benchmark: its report is its output
//! AWS requests and DynamoDB units per message, by function and operation: one user's
//! first message, then N ordinary ones (distinct, each answered for real), through the
//! whole pipeline on the local stack. Counts, not times: any build measures the same.
//!
//! ```sh
//! cargo run -p testkit --bin bench-cost -- [N]
//! ```

use anyhow::Context;
use testkit::costs::{Prices, measure, table, usd_per_100k};

fn main() -> anyhow::Result<()> {
    let n: usize = match std::env::args().nth(1) {
        Some(n) => n.parse().context("N is a number of messages")?,
        None => 10,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let costs = runtime.block_on(measure(n))?;
    println!("## First message of a new user\n\n{}", table(&costs.first));
    println!(
        "## Ordinary message (mean of {})\n\n{}",
        costs.messages,
        table(&costs.ordinary)
    );
    let prices = Prices::load()?;
    let usd = usd_per_100k(&costs, &prices);
    println!(
        "\nUSD per 100,000 ordinary messages ({}, on-demand; Lambda duration and the model \
         wait not included; SQS includes {} polling requests per consumer invocation):\n",
        prices.region,
        testkit::costs::POLLING_REQUESTS_PER_INVOCATION
    );
    println!("| billed | USD |\n|---|---:|");
    for (what, dollars) in &usd {
        println!("| {what} | {dollars:.3} |");
    }
    let total: f64 = usd.iter().map(|(_, d)| d).sum();
    println!("| **all** | **{total:.3}** |\n");
    let per_function: Vec<String> = costs
        .invocations
        .iter()
        .map(|(f, i)| format!("{f} {i:.1}"))
        .collect();
    println!(
        "Lambda invocations per message: {}.\n",
        per_function.join(", ")
    );
    let mut waits = costs.before_model;
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
    Ok(())
}
