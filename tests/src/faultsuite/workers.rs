//! Lambda's side: for each stage an event source mapping with several concurrent
//! invocations, each cut at the function's timeout, some killed midway (nothing is
//! acknowledged then, and SQS brings the batch back after its visibility timeout).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::Options;
use super::chaos::Rng;
use crate::esm;
use crate::stack::{Stack, Stage};

/// The functions' timeouts in the suite: shorter than the template's, so a run settles
/// sooner; the processor's still leaves room for three model attempts.
fn timeout_of(stage: Stage) -> Duration {
    match stage {
        Stage::Subscription => Duration::from_secs(15),
        Stage::Processor => LONGEST_TIMEOUT,
        Stage::Sender => Duration::from_secs(20),
    }
}

pub const LONGEST_TIMEOUT: Duration = Duration::from_secs(30);

/// As the template's event source mappings: the processor takes one record at a time.
fn batch_of(stage: Stage) -> i32 {
    match stage {
        Stage::Processor => 1,
        _ => 10,
    }
}

/// What one stage's invocations came to.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    pub invocations: usize,
    pub records: usize,
    /// Killed midway by the suite.
    pub killed: usize,
    /// Cut at the function's timeout.
    pub timed_out: usize,
    /// The handler failed the whole batch (an error rather than `batchItemFailures`).
    pub crashed: usize,
    /// Receives or deletes that failed (SQS gone).
    pub sqs_errors: usize,
}

pub type Pools = Vec<(Stage, tokio::task::JoinHandle<Counts>)>;

pub fn start(stack: Arc<Stack>, opts: &Options, stop: Arc<AtomicBool>) -> Pools {
    let mut pools = Vec::new();
    for stage in Stage::ALL {
        for n in 0..opts.workers {
            let seed = opts.seed ^ ((n as u64 + 1) << 20) ^ stage as u64;
            let handle = tokio::spawn(worker(
                stack.clone(),
                stage,
                Rng::new(seed),
                opts.kill_rate,
                stop.clone(),
            ));
            pools.push((stage, handle));
        }
    }
    pools
}

async fn worker(
    stack: Arc<Stack>,
    stage: Stage,
    mut rng: Rng,
    kill_rate: f64,
    stop: Arc<AtomicBool>,
) -> Counts {
    let mut counts = Counts::default();
    let url = stack.queue_url(stage).to_owned();
    while !stop.load(Ordering::SeqCst) {
        let messages = match esm::receive(&stack.clients.sqs, &url, batch_of(stage)).await {
            Ok(m) => m,
            Err(_) => {
                counts.sqs_errors += 1;
                tokio::time::sleep(Duration::from_millis(250)).await;
                continue;
            }
        };
        if messages.is_empty() {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        counts.invocations += 1;
        counts.records += messages.len();
        let kill = rng
            .chance(kill_rate)
            .then(|| Duration::from_millis(rng.below(300)));
        let invoke = stack.invoke_stage_within(stage, esm::event_of(&messages), timeout_of(stage));
        match tokio::time::timeout(kill.unwrap_or(timeout_of(stage)), invoke).await {
            Err(_) if kill.is_some() => counts.killed += 1,
            Err(_) => counts.timed_out += 1,
            Ok(Err(_)) => counts.crashed += 1,
            Ok(Ok(response)) => {
                if esm::acknowledge(&stack.clients.sqs, &url, &messages, &response)
                    .await
                    .is_err()
                {
                    counts.sqs_errors += 1;
                }
            }
        }
    }
    counts
}

/// Waits until every queue has stayed empty for a few seconds; false if `within` ran out.
pub async fn settle(stack: &Stack, within: Duration) -> bool {
    let give_up = Instant::now() + within;
    let mut quiet_since: Option<Instant> = None;
    while Instant::now() < give_up {
        let mut pending = 0;
        for stage in Stage::ALL {
            pending += stack.depth(stack.queue_url(stage)).await.unwrap_or(1);
        }
        if pending == 0 {
            let since = *quiet_since.get_or_insert_with(Instant::now);
            // Longer than a redelivery's back-off, so a record waiting to come back counts.
            if since.elapsed() >= Duration::from_secs(3) {
                return true;
            }
        } else {
            quiet_since = None;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    false
}

/// Every stage's counts, once the workers have stopped.
pub async fn join(pools: Pools) -> BTreeMap<&'static str, Counts> {
    let mut totals: BTreeMap<&'static str, Counts> = BTreeMap::new();
    for (stage, handle) in pools {
        let counts = handle.await.unwrap_or_default();
        let total = totals.entry(stage.function()).or_default();
        total.invocations += counts.invocations;
        total.records += counts.records;
        total.killed += counts.killed;
        total.timed_out += counts.timed_out;
        total.crashed += counts.crashed;
        total.sqs_errors += counts.sqs_errors;
    }
    totals
}
