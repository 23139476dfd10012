//! The FIFO queues between the functions.

use super::*;

/// One message for a FIFO queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    pub body: String,
    /// Messages of one group are delivered in order, one batch at a time: the chat.
    pub group_id: String,
    /// SQS drops a second message with the same id within five minutes.
    pub dedup_id: String,
}

pub trait Queue: Sync {
    fn send(&self, envelope: &Envelope) -> impl Future<Output = Result<()>> + Send;
    /// Hides a received message for `delay` before it is delivered again: how a FIFO
    /// consumer waits without sleeping (FIFO queues have no per-message delay).
    fn delay(
        &self,
        receipt_handle: &str,
        delay: Duration,
    ) -> impl Future<Output = Result<()>> + Send;
}
