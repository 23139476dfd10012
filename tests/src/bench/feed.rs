//! New events for every run, each processed for real.
//!
//! Replaying recorded events measures the idempotency shortcuts from the second run on (a
//! duplicate update, a reply already stored, a delivery already made). Here every round
//! starts from fresh Telegram updates of users who have chatted before (so each message
//! is an ordinary one, not a first contact), and each stage's events are what the
//! previous binary actually wrote to its queue: webhook -> inbound -> subscription-check
//! -> work -> processor -> outbox -> sender. After each run the feed checks that the work
//! was done: a queue message per event, a model request per processor event, a Telegram
//! message per sender event, a rebuilt profile per style-refresh event.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use serde_json::{Value, json};

use crate::stack::LOCAL_WEBHOOK_SECRET;
use crate::updates::{function_url_event, private_text};
use crate::{Stack, Stage, esm};

/// The binaries in the order one round runs them: the baselines, then the pipeline in
/// the order its messages flow, so each stage's events come from the one before.
pub const BINARIES: [&str; 7] = [
    "hello-bare",
    "hello-sdk",
    "webhook",
    "subscription-check",
    "processor",
    "sender",
    "style-refresh",
];

/// What the stand-ins had seen before a run, to tell what the run added.
#[derive(Clone, Copy, Debug, Default)]
pub struct Seen {
    model_requests: usize,
    delivered: usize,
}

/// Fresh events for each round, and the checks that they were processed for real.
pub struct Feed<'a> {
    stack: &'a Stack,
    per_run: usize,
    /// Each round's users: `per_run` of them, one message each.
    users: Vec<Vec<i64>>,
    round: usize,
    /// Events already taken from a queue for the next stage, by binary.
    pending: HashMap<&'static str, Vec<Value>>,
}

impl<'a> Feed<'a> {
    /// Introduces `rounds × per_run` users to the bot through the stack's in-process
    /// handlers, so that the benchmarked messages are each user's second, not a first
    /// contact (which creates the directory entry, profile and counters).
    pub async fn start(stack: &'a Stack, rounds: usize, per_run: usize) -> anyhow::Result<Self> {
        ensure!(
            per_run >= 2,
            "at least two events per run: a first and a steady one"
        );
        let first_user = 900_000_000;
        let users: Vec<Vec<i64>> = (0..rounds)
            .map(|r| {
                (0..per_run)
                    .map(|i| first_user + (r * per_run + i) as i64)
                    .collect()
            })
            .collect();
        for user in users.iter().flatten() {
            let (status, _) = stack
                .post_update(&private_text(*user, "Ann", "Hello! I'm new here."))
                .await?;
            ensure!(
                status.is_success(),
                "warm-up: the webhook answered {status}"
            );
        }
        stack.drain().await.context("warm-up")?;
        for user in users.iter().flatten() {
            ensure!(
                !stack.telegram.texts_to(*user).is_empty(),
                "warm-up: user {user} got no reply"
            );
        }
        Ok(Self {
            stack,
            per_run,
            users,
            round: 0,
            pending: HashMap::new(),
        })
    }

    /// Ends a round: the next one has users of its own.
    pub fn end_round(&mut self) -> anyhow::Result<()> {
        ensure!(self.pending.is_empty(), "events left over from the round");
        self.round += 1;
        Ok(())
    }

    fn round_users(&self) -> &[i64] {
        self.users.get(self.round).map_or(&[], Vec::as_slice)
    }

    /// The events `binary` gets this round.
    pub fn events(&mut self, binary: &str) -> anyhow::Result<Vec<Value>> {
        Ok(match binary {
            "hello-bare" | "hello-sdk" => vec![json!({}); self.per_run],
            "webhook" => self
                .round_users()
                .iter()
                .enumerate()
                .map(|(i, user)| {
                    // Distinct texts: the processor and style-refresh see new content.
                    let text = format!("Round {} message {i}: what about topic {i}?", self.round);
                    let body = private_text(*user, "Ann", &text).to_string();
                    function_url_event("POST", "/", Some(LOCAL_WEBHOOK_SECRET), Some(&body))
                })
                .collect(),
            "style-refresh" => self
                .round_users()
                .iter()
                .map(|user| json!({ "user_id": user }))
                .collect(),
            stage => self
                .pending
                .remove(stage)
                .with_context(|| format!("no events for {stage}: did the stage before run?"))?,
        })
    }

    /// What the stand-ins have seen so far.
    pub fn seen(&self) -> Seen {
        Seen {
            model_requests: self
                .stack
                .openai
                .as_ref()
                .map_or(0, |o| o.model_requests().len()),
            delivered: self.stack.telegram.delivered().len(),
        }
    }

    /// Checks that `binary`'s run did the work of each event, and takes what it wrote to
    /// its queue as the next stage's events.
    pub async fn check(
        &mut self,
        binary: &str,
        before: Seen,
        responses: &[String],
    ) -> anyhow::Result<()> {
        let n = self.per_run;
        for body in responses {
            ensure!(
                !failed(body),
                "{binary}: an event failed (answer of {} bytes)",
                body.len()
            );
        }
        let now = self.seen();
        match binary {
            "webhook" => self.take(Stage::Subscription, binary).await?,
            "subscription-check" => self.take(Stage::Processor, binary).await?,
            "processor" => {
                let asked = now.model_requests - before.model_requests;
                ensure!(
                    asked >= n,
                    "processor: {asked} model requests for {n} new messages: it took a \
                     shortcut (a duplicate, a stored reply) instead of answering them"
                );
                self.take(Stage::Sender, binary).await?;
            }
            "sender" => {
                let sent = now.delivered - before.delivered;
                ensure!(
                    sent >= n,
                    "sender: {sent} messages reached Telegram for {n} new replies: it \
                     found them delivered already"
                );
            }
            "style-refresh" => {
                let rebuilt = responses
                    .iter()
                    .filter(|b| b.contains("\"profiles_updated\":1"))
                    .count();
                ensure!(
                    rebuilt == n,
                    "style-refresh: {rebuilt} of {n} profiles rebuilt"
                );
            }
            _ => {}
        }
        Ok(())
    }

    /// Takes the round's messages from the queue that feeds `stage` (deleting them, as
    /// the event source mapping would after a success), one event per message.
    async fn take(&mut self, stage: Stage, wrote: &str) -> anyhow::Result<()> {
        let url = self.stack.queue_url(stage).to_owned();
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut messages = Vec::new();
        while messages.len() < self.per_run && Instant::now() < deadline {
            let got = esm::receive(&self.stack.clients.sqs, &url, 10).await?;
            for m in &got {
                if let Some(handle) = &m.receipt_handle {
                    self.stack
                        .clients
                        .sqs
                        .delete_message()
                        .queue_url(&url)
                        .receipt_handle(handle)
                        .send()
                        .await
                        .context("DeleteMessage")?;
                }
            }
            messages.extend(got);
        }
        if messages.len() != self.per_run {
            bail!(
                "{wrote} wrote {} messages to {}'s queue for {} events",
                messages.len(),
                stage.function(),
                self.per_run
            );
        }
        let events = messages
            .chunks(1)
            .map(|one| serde_json::to_value(esm::event_of(one)))
            .collect::<Result<_, _>>()?;
        self.pending.insert(stage.function(), events);
        Ok(())
    }
}

/// An answer that reports a failure: a batch item failure, or an HTTP error status.
fn failed(body: &str) -> bool {
    body.contains("\"itemIdentifier\"")
        || body.contains("\"statusCode\":4")
        || body.contains("\"statusCode\":5")
}
