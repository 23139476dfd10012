//! Feeding the stages from their queues like an event source mapping, and looking into
//! the queues: depths, draining, dead letters.

use std::time::{Duration, Instant};

use anyhow::bail;
use aws_sdk_sqs::types::QueueAttributeName;

use super::{Stack, Stage};
use crate::esm;

impl Stack {
    /// The URL of the queue that feeds a stage.
    pub fn queue_url(&self, stage: Stage) -> &str {
        match stage {
            Stage::Subscription => &self.resources.inbound,
            Stage::Processor => &self.resources.work,
            Stage::Sender => &self.resources.outbox,
        }
    }
    /// One poll of a stage's queue, like an event source mapping: receive up to 10, invoke,
    /// delete the records that did not fail. Returns how many records were delivered.
    pub async fn poll(&self, stage: Stage) -> anyhow::Result<usize> {
        let url = self.queue_url(stage).to_owned();
        let messages = esm::receive(&self.clients.sqs, &url, 10).await?;
        if messages.is_empty() {
            return Ok(0);
        }
        let response = self.invoke_stage(stage, esm::event_of(&messages)).await?;
        let crashed = self
            .crash_after_handling
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&stage);
        if !crashed {
            esm::acknowledge(&self.clients.sqs, &url, &messages, &response).await?;
        }
        Ok(messages.len())
    }

    /// Messages in a queue, visible or in flight.
    ///
    /// Two reads, in-flight first: moto evaluates each count at its own instant, so in one
    /// read a message whose visibility runs out between the two evaluations can be counted
    /// in neither, and a drain would stop early. Read this way, a message that becomes
    /// visible in between is counted once or twice, never missed (nothing else receives
    /// while a drain looks).
    pub async fn depth(&self, url: &str) -> anyhow::Result<u64> {
        let mut total = 0;
        for attribute in [
            QueueAttributeName::ApproximateNumberOfMessagesNotVisible,
            QueueAttributeName::ApproximateNumberOfMessages,
        ] {
            let attrs = self
                .clients
                .sqs
                .get_queue_attributes()
                .queue_url(url)
                .attribute_names(attribute)
                .send()
                .await?
                .attributes
                .unwrap_or_default();
            total += attrs
                .values()
                .filter_map(|v| v.parse::<u64>().ok())
                .sum::<u64>();
        }
        Ok(total)
    }

    /// Delivers queue messages until every queue is empty, including the ones waiting out
    /// a visibility timeout. Fails after `timeout`.
    pub async fn drain_within(&self, timeout: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let mut delivered = 0;
            for stage in Stage::ALL {
                delivered += self.poll(stage).await?;
            }
            if delivered == 0 {
                let mut pending = 0;
                for stage in Stage::ALL {
                    pending += self.depth(self.queue_url(stage)).await?;
                }
                if pending == 0 {
                    return Ok(());
                }
                if Instant::now() > deadline {
                    bail!("queues still hold {pending} message(s) after {timeout:?}");
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }

    /// [`Self::drain_within`] a minute.
    pub async fn drain(&self) -> anyhow::Result<()> {
        self.drain_within(Duration::from_secs(60)).await
    }

    /// Bodies of the messages waiting in a dead-letter queue (left in place).
    pub async fn dead_letters(&self, dlq_url: &str) -> anyhow::Result<Vec<String>> {
        let out = self
            .clients
            .sqs
            .receive_message()
            .queue_url(dlq_url)
            .max_number_of_messages(10)
            .visibility_timeout(0)
            .send()
            .await?;
        Ok(out
            .messages
            .unwrap_or_default()
            .into_iter()
            .filter_map(|m| m.body)
            .collect())
    }
}
