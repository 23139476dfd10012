use std::time::Duration;

use anyhow::anyhow;
use aws_sdk_sqs::error::DisplayErrorContext;

use crate::error::{Failure, Result};
use crate::ports::{Envelope, Queue};

/// One SQS FIFO queue.
#[derive(Clone, Debug)]
pub struct SqsQueue {
    client: aws_sdk_sqs::Client,
    url: String,
}

impl SqsQueue {
    pub fn new(client: aws_sdk_sqs::Client, url: impl Into<String>) -> Self {
        Self {
            client,
            url: url.into(),
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Cheap reachability probe for `/health`.
    pub async fn probe(&self) -> Result<()> {
        self.client
            .get_queue_attributes()
            .queue_url(&self.url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| Failure::retryable(anyhow!("{}", DisplayErrorContext(e))))
    }
}

impl Queue for SqsQueue {
    async fn send(&self, envelope: &Envelope) -> Result<()> {
        self.client
            .send_message()
            .queue_url(&self.url)
            .message_body(&envelope.body)
            .message_group_id(&envelope.group_id)
            .message_deduplication_id(&envelope.dedup_id)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                Failure::retryable(anyhow!(
                    "SendMessage to {}: {}",
                    self.url,
                    DisplayErrorContext(e)
                ))
            })
    }

    async fn delay(&self, receipt_handle: &str, delay: Duration) -> Result<()> {
        // SQS counts whole seconds (a part second would round down to "now") and caps
        // visibility at 12 hours.
        let secs = (delay.as_secs() + u64::from(delay.subsec_nanos() > 0)).min(43_200) as i32;
        self.client
            .change_message_visibility()
            .queue_url(&self.url)
            .receipt_handle(receipt_handle)
            .visibility_timeout(secs)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                Failure::retryable(anyhow!(
                    "ChangeMessageVisibility: {}",
                    DisplayErrorContext(e)
                ))
            })
    }
}
