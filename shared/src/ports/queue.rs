//! The FIFO queues between the functions.

use super::*;

/// One message for a FIFO queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// The job or reply as JSON, read back by the consuming function.
    pub body: String,
    /// Messages of one group are delivered in order, one batch at a time: the chat.
    pub group_id: String,
    /// SQS drops a second message with the same id within five minutes.
    pub dedup_id: String,
}

/// A FIFO queue between functions: inbound, work, outbox, or dead letters.
pub trait Queue: Sync {
    /// Enqueues `envelope`; SQS drops it if its `dedup_id` was sent in the last five minutes.
    fn send(&self, envelope: &Envelope) -> impl Future<Output = Result<()>> + Send;
    /// Hides a received message for `delay` before it is delivered again: how a FIFO
    /// consumer waits without sleeping (FIFO queues have no per-message delay).
    fn delay(
        &self,
        receipt_handle: &str,
        delay: Duration,
    ) -> impl Future<Output = Result<()>> + Send;
}
