//! A FIFO queue in memory: what was sent, the delays asked for, and injected failures.

use std::sync::Mutex;
use std::time::Duration;

use anyhow::anyhow;

use super::lock;
use crate::Failure;
use crate::ports::{Envelope, Queue};

/// A queue that keeps what was sent and the delays asked for.
#[derive(Debug, Default)]
pub struct FakeQueue {
    sent: Mutex<Vec<Envelope>>,
    delays: Mutex<Vec<Duration>>,
    /// Sends still to fail (SQS unreachable).
    failing: Mutex<usize>,
}

impl FakeQueue {
    /// The next `times` sends fail as SQS being unreachable would (retryable).
    pub fn fail_sends(&self, times: usize) {
        *lock(&self.failing) = times;
    }

    /// Every message sent, in order (a duplicate deduplication id is dropped, as SQS does).
    pub fn sent(&self) -> Vec<Envelope> {
        lock(&self.sent).clone()
    }

    /// Bodies of what was sent, parsed as the outbox's messages.
    pub fn outgoing(&self) -> Vec<crate::domain::OutgoingMessage> {
        self.sent()
            .iter()
            .filter_map(|e| serde_json::from_str(&e.body).ok())
            .collect()
    }

    /// The visibility delays asked for, in order.
    pub fn delays(&self) -> Vec<Duration> {
        lock(&self.delays).clone()
    }
}

impl Queue for FakeQueue {
    async fn send(&self, envelope: &Envelope) -> Result<(), Failure> {
        {
            let mut failing = lock(&self.failing);
            if *failing > 0 {
                *failing -= 1;
                return Err(Failure::retryable(anyhow!("injected SendMessage failure")));
            }
        }
        let mut sent = lock(&self.sent);
        // SQS drops a FIFO message whose deduplication id it has seen.
        if !sent.iter().any(|e| e.dedup_id == envelope.dedup_id) {
            sent.push(envelope.clone());
        }
        Ok(())
    }

    async fn delay(&self, _receipt_handle: &str, delay: Duration) -> Result<(), Failure> {
        lock(&self.delays).push(delay);
        Ok(())
    }
}
