//! A queue that can be told to fail: how tests simulate a crash between a stage's
//! work and its enqueue.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use anyhow::anyhow;
use shared::Failure;
use shared::ports::{Envelope, Queue};

#[derive(Debug)]
pub struct FlakyQueue<Q> {
    inner: Q,
    fail_next: AtomicU32,
}

impl<Q> FlakyQueue<Q> {
    pub fn new(inner: Q) -> Self {
        Self {
            inner,
            fail_next: AtomicU32::new(0),
        }
    }

    /// The next `n` sends fail as if the function died before SendMessage returned.
    pub fn fail_next_sends(&self, n: u32) {
        self.fail_next.store(n, Ordering::SeqCst);
    }

    pub fn inner(&self) -> &Q {
        &self.inner
    }
}

impl<Q: Queue> Queue for FlakyQueue<Q> {
    async fn send(&self, envelope: &Envelope) -> Result<(), Failure> {
        let armed = self
            .fail_next
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if armed {
            return Err(Failure::retryable(anyhow!(
                "simulated crash before SendMessage"
            )));
        }
        self.inner.send(envelope).await
    }

    async fn delay(&self, receipt_handle: &str, delay: Duration) -> Result<(), Failure> {
        self.inner.delay(receipt_handle, delay).await
    }
}
