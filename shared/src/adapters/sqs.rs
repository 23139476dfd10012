//! The three FIFO queues (inbound, work, outbox) through SQS.

use std::time::Duration;

use anyhow::anyhow;
use aws_sdk_sqs::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_sqs::operation::send_message::SendMessageError;

use crate::error::{Cause, Failure, Result};
use crate::ports::{Envelope, Queue};

/// SQS's hard limit on a message; a queue's `MaximumMessageSize` may set a lower one.
pub const MAX_MESSAGE_BYTES: usize = 1024 * 1024;

/// One SQS FIFO queue.
#[derive(Clone, Debug)]
pub struct SqsQueue {
    client: aws_sdk_sqs::Client,
    url: String,
}

impl SqsQueue {
    /// A queue by its URL; the client is shared by every queue of the function.
    pub fn new(client: aws_sdk_sqs::Client, url: impl Into<String>) -> Self {
        Self {
            client,
            url: url.into(),
        }
    }

    /// The queue's URL, as configured for the function.
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

/// Whether SQS refused a message for what it is, so sending it again cannot help: its
/// size (under a queue's lower `MaximumMessageSize`) or its characters. Everything else,
/// throttling and missing permissions or queues included, may pass on a later try.
fn send_refusal(error: Option<&SendMessageError>) -> Option<Cause> {
    let error = error?;
    if error.is_invalid_message_contents() {
        return Some(Cause::BadRequest);
    }
    let too_large = error.code() == Some("InvalidParameterValue")
        && error
            .message()
            .is_some_and(|m| m.contains("must be shorter than"));
    too_large.then_some(Cause::TooLarge)
}

impl Queue for SqsQueue {
    async fn send(&self, envelope: &Envelope) -> Result<()> {
        if envelope.body.len() > MAX_MESSAGE_BYTES {
            return Err(Failure::permanent(anyhow!(
                "a message of {} bytes is over SQS's limit",
                envelope.body.len()
            ))
            .with_cause(Cause::TooLarge));
        }
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
                let permanence = send_refusal(e.as_service_error());
                let failure = anyhow!("SendMessage to {}: {}", self.url, DisplayErrorContext(e));
                match permanence {
                    Some(cause) => Failure::permanent(failure).with_cause(cause),
                    None => Failure::retryable(failure),
                }
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

#[cfg(test)]
mod tests {
    use aws_sdk_sqs::error::ErrorMetadata;
    use aws_sdk_sqs::types::error::{InvalidMessageContents, RequestThrottled};

    use super::*;

    fn unhandled(code: &str, message: &str) -> SendMessageError {
        SendMessageError::generic(ErrorMetadata::builder().code(code).message(message).build())
    }

    #[test]
    fn only_what_sqs_can_never_take_is_a_permanent_refusal() {
        let too_large = unhandled(
            "InvalidParameterValue",
            "One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.",
        );
        assert_eq!(send_refusal(Some(&too_large)), Some(Cause::TooLarge));
        let contents =
            SendMessageError::InvalidMessageContents(InvalidMessageContents::builder().build());
        assert_eq!(send_refusal(Some(&contents)), Some(Cause::BadRequest));
        let other_parameter = unhandled("InvalidParameterValue", "DelaySeconds is invalid");
        let throttled = SendMessageError::RequestThrottled(RequestThrottled::builder().build());
        for retryable in [other_parameter, throttled] {
            assert_eq!(send_refusal(Some(&retryable)), None, "{retryable:?}");
        }
        assert_eq!(send_refusal(None), None, "no answer from SQS at all");
    }
}
