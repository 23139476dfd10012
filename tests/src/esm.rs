//! What Lambda's SQS event source mapping does around a function: receive a batch, hand
//! it over as an `SqsEvent`, delete the records the function did not report as failed.
//! Nothing is deleted when the function crashes: SQS brings the batch back.

use std::collections::HashSet;

use anyhow::Context;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use aws_sdk_sqs::types::{Message, MessageSystemAttributeName};

/// Up to `max` visible messages (none waited for).
pub async fn receive(
    sqs: &aws_sdk_sqs::Client,
    url: &str,
    max: i32,
) -> anyhow::Result<Vec<Message>> {
    let received = sqs
        .receive_message()
        .queue_url(url)
        .max_number_of_messages(max)
        .wait_time_seconds(0)
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .send()
        .await
        .context("ReceiveMessage")?;
    Ok(received.messages.unwrap_or_default())
}

/// The messages as the function receives them.
pub fn event_of(messages: &[Message]) -> SqsEvent {
    let mut event = SqsEvent::default();
    event.records = messages
        .iter()
        .map(|m| {
            let mut r = SqsMessage::default();
            r.message_id = m.message_id.clone();
            r.receipt_handle = m.receipt_handle.clone();
            r.body = m.body.clone();
            r.event_source = Some("aws:sqs".into());
            r.aws_region = Some("us-east-1".into());
            r.attributes = m
                .attributes
                .clone()
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k.as_str().to_owned(), v))
                .collect();
            r
        })
        .collect();
    event
}

/// Deletes the messages the function handled (all but its `batchItemFailures`).
pub async fn acknowledge(
    sqs: &aws_sdk_sqs::Client,
    url: &str,
    messages: &[Message],
    response: &SqsBatchResponse,
) -> anyhow::Result<()> {
    let failed: HashSet<&str> = response
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.as_str())
        .collect();
    for m in messages {
        if failed.contains(m.message_id.as_deref().unwrap_or_default()) {
            continue;
        }
        if let Some(handle) = &m.receipt_handle {
            sqs.delete_message()
                .queue_url(url)
                .receipt_handle(handle)
                .send()
                .await
                .context("DeleteMessage")?;
        }
    }
    Ok(())
}
