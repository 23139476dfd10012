//! The fault and load suite: many updates from many chats through the whole pipeline,
//! each delivered up to three times as Telegram may, while what the bot depends on fails
//! as it does in production: Redis killed and restarted, DynamoDB and SQS gone for
//! seconds, the model provider busy, broken, hanging, refusing or saying nothing,
//! Telegram flooded, down, blocked, refusing markup or moving a group, and every function
//! killed mid-batch. It then counts what each update came to.
//!
//! `traffic` plays Telegram's side (updates in order per chat, retried until answered
//! with 200, sometimes again), `workers` plays Lambda's (event source mappings with
//! several concurrent invocations per stage, each with the function's timeout, some
//! killed), `chaos` the failures, and `report` the outcome.

mod chaos;
mod report;
mod traffic;
mod workers;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub use report::Report;

use crate::stack::{Stack, StackOptions};

#[derive(Clone, Debug)]
pub struct Options {
    pub updates: usize,
    pub chats: usize,
    /// Concurrent invocations per stage.
    pub workers: usize,
    pub seed: u64,
    /// Of model requests and of sends, how many get a fault.
    pub fault_rate: f64,
    /// Of invocations (webhook calls and batches), how many are killed midway.
    pub kill_rate: f64,
    /// How long DynamoDB and SQS are gone.
    pub outage: Duration,
    /// How long the model provider's hang lasts.
    pub hang: Duration,
    /// Give up waiting for the pipeline to settle after this long.
    pub settle_within: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            updates: 1000,
            chats: 100,
            workers: 6,
            seed: 7,
            fault_rate: 0.05,
            kill_rate: 0.02,
            outage: Duration::from_secs(4),
            hang: Duration::from_secs(60),
            settle_within: Duration::from_secs(900),
        }
    }
}

/// The stack as the suite runs it: DynamoDB and SQS behind a gate, function timeouts
/// short enough for a run to finish, visibility timeouts longer than them as in the
/// template (where they are six times the function's).
fn stack_options() -> StackOptions {
    StackOptions {
        aws_gate: true,
        visibility_timeout_secs: Some(workers::LONGEST_TIMEOUT.as_secs() as u32 * 2),
        max_receive_count: None,
        openai_timeout_secs: 5,
        openai_max_attempts: 3,
        draft_interval_ms: 1000,
        extra_env: vec![("OPENAI_STREAM_IDLE_SECS".into(), "3".into())],
        ..StackOptions::default()
    }
}

pub async fn run(opts: &Options) -> anyhow::Result<Report> {
    let stack = Arc::new(Stack::start(stack_options()).await?);
    let plan = traffic::Plan::new(opts);
    let started = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let chaos = chaos::Chaos::new(stack.clone(), opts);
    let pools = workers::start(stack.clone(), opts, stop.clone());
    let posting = traffic::post_all(&stack, &plan, &chaos).await;
    let settled = workers::settle(&stack, opts.settle_within).await;
    stop.store(true, Ordering::SeqCst);
    let invocations = workers::join(pools).await;
    chaos.finish().await;
    let wall = started.elapsed();
    report::Report::gather(
        &stack,
        &plan,
        report::Run {
            posting,
            invocations,
            faults: chaos.injected(),
            settled,
            wall,
        },
    )
    .await
}
