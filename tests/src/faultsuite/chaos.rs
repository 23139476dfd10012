//! The failures, injected as the run goes: faults for the stand-ins before updates, kills
//! of invocations, and at set points of the run Redis killed and restarted and DynamoDB
//! and SQS gone for a while.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::Options;
use super::traffic::chat_type;
use crate::openai_standin::AiFault;
use crate::stack::Stack;
use crate::telegram_standin::TgFault;

/// A small deterministic generator (xorshift*): a run is repeatable from its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// How long Redis stays down.
const REDIS_DOWN_FOR: Duration = Duration::from_secs(5);

pub struct Chaos {
    stack: Arc<Stack>,
    opts: Options,
    updates: AtomicUsize,
    injected: Mutex<BTreeMap<String, usize>>,
    events: Mutex<Vec<tokio::task::JoinHandle<()>>>,
}

impl Chaos {
    pub fn new(stack: Arc<Stack>, opts: &Options) -> Self {
        Self {
            stack,
            opts: opts.clone(),
            updates: AtomicUsize::new(0),
            injected: Mutex::new(BTreeMap::new()),
            events: Mutex::new(Vec::new()),
        }
    }

    fn count(&self, what: &str) {
        *self
            .injected
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(what.to_owned())
            .or_default() += 1;
    }

    pub fn injected(&self) -> BTreeMap<String, usize> {
        self.injected
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Called before each update is posted: faults for the stand-ins, and the run's set
    /// points (Redis down at 15 % of the updates, DynamoDB and SQS at 50 %).
    pub fn before_update(&self, rng: &mut Rng, chat: i64) {
        let n = self.updates.fetch_add(1, Ordering::SeqCst);
        let total = self.opts.updates.max(1);
        if n == total * 15 / 100 {
            self.redis_down();
        }
        if n == total / 2 {
            self.aws_outage();
        }
        if rng.chance(self.opts.fault_rate) {
            self.model_fault(rng);
        }
        if rng.chance(self.opts.fault_rate) {
            self.telegram_fault(rng, chat);
        }
    }

    fn model_fault(&self, rng: &mut Rng) {
        let Some(ai) = self.stack.openai.as_ref() else {
            return;
        };
        let (name, fault) = match rng.below(9) {
            0 => (
                "OpenAI 429 retry-after",
                AiFault::RateLimitedFor(Duration::from_millis(500 + rng.below(1500))),
            ),
            1 => ("OpenAI 500", AiFault::ServerError),
            2 => ("OpenAI 503", AiFault::Overloaded),
            3 => ("OpenAI connection reset", AiFault::ConnectionReset),
            4 => ("OpenAI hang", AiFault::Hang(self.opts.hang)),
            5 => (
                "OpenAI refusal",
                AiFault::Refusal("I'd rather not talk about that: {said}".into()),
            ),
            6 => ("OpenAI empty stream", AiFault::EmptyStream),
            // Permanent: told at once, not retried.
            7 => ("OpenAI 429 insufficient_quota", AiFault::InsufficientQuota),
            _ => ("OpenAI content filter", AiFault::ContentFilter),
        };
        ai.fail_next(fault);
        self.count(name);
    }

    /// A fault for the chat's next send: only a basic group can be upgraded.
    fn telegram_fault(&self, rng: &mut Rng, chat: i64) {
        let kinds = if chat_type(chat) == "group" { 5 } else { 4 };
        let (name, fault) = match rng.below(kinds) {
            0 => (
                "Telegram 429",
                TgFault::TooManyRequests {
                    retry_after: 1 + rng.below(2),
                },
            ),
            1 => ("Telegram 502 HTML", TgFault::BadGatewayHtml),
            2 => ("Telegram 403", TgFault::Blocked),
            3 => (
                "Telegram 400 can't parse entities",
                TgFault::CantParseEntities,
            ),
            _ => (
                "Telegram 400 migrate_to_chat_id",
                TgFault::MigrateToChat(chat - 1_009_000_000_000),
            ),
        };
        self.stack.telegram.fail_next_in(chat, "sendMessage", fault);
        self.count(name);
    }

    /// Whether to kill the next invocation, and after how long.
    pub fn kill_after(&self, rng: &mut Rng) -> Option<Duration> {
        rng.chance(self.opts.kill_rate)
            .then(|| Duration::from_millis(rng.below(400)))
    }

    /// Kills Redis; it comes back, empty, a few seconds later.
    fn redis_down(&self) {
        self.count("redis-server killed and restarted");
        let stack = self.stack.clone();
        // Stopping and starting a process waits on it: off the async threads.
        let handle = tokio::task::spawn_blocking(move || {
            stack.stop_redis();
            std::thread::sleep(REDIS_DOWN_FOR);
            if let Err(e) = stack.restart_redis() {
                eprintln!("redis-server did not come back: {e:#}");
            }
        });
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(handle);
    }

    fn aws_outage(&self) {
        let Some(gate) = self.stack.aws() else {
            return;
        };
        gate.close();
        self.count("DynamoDB and SQS gone");
        let stack = self.stack.clone();
        let outage = self.opts.outage;
        let handle = tokio::spawn(async move {
            tokio::time::sleep(outage).await;
            if let Some(gate) = stack.aws() {
                gate.open();
            }
        });
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(handle);
    }

    /// Waits for what is still scheduled (Redis back, the gate open).
    pub async fn finish(&self) {
        let events = std::mem::take(&mut *self.events.lock().unwrap_or_else(|e| e.into_inner()));
        for event in events {
            let _ = event.await;
        }
    }
}
