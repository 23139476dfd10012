//! SQS batches, handled the way a FIFO event source mapping expects.

use std::future::Future;

use anyhow::anyhow;
use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use serde::de::DeserializeOwned;

use crate::error::{Failure, Result};

/// One SQS record, as much of it as handlers need.
#[derive(Debug)]
pub struct Record<'a> {
    pub message_id: &'a str,
    pub body: &'a str,
    pub receipt_handle: Option<&'a str>,
    /// 1 on first delivery.
    pub receive_count: u32,
}

impl Record<'_> {
    /// Each record is parsed on its own, so one bad body fails only its record.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_str(self.body).map_err(|e| {
            Failure::permanent(anyhow!(
                "record {} has an unreadable body: {e}",
                self.message_id
            ))
        })
    }
}

/// Runs `handle` over the records in order. On a FIFO queue a failure must stop the
/// batch: later records may belong to the same chat, and handling them first would
/// reorder the conversation. The failed record and everything after it are reported
/// as `batchItemFailures`, so SQS redelivers exactly those.
pub async fn process_fifo<'e, F, Fut>(event: &'e SqsEvent, mut handle: F) -> SqsBatchResponse
where
    F: FnMut(Record<'e>) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    let mut response = SqsBatchResponse::default();
    let mut stopped = false;
    for message in &event.records {
        let id = message.message_id.as_deref().unwrap_or_default();
        if stopped {
            response.batch_item_failures.push(failure(id));
            continue;
        }
        let record = Record {
            message_id: id,
            body: message.body.as_deref().unwrap_or_default(),
            receipt_handle: message.receipt_handle.as_deref(),
            receive_count: message
                .attributes
                .get("ApproximateReceiveCount")
                .and_then(|c| c.parse().ok())
                .unwrap_or(1),
        };
        if let Err(e) = handle(record).await {
            tracing::error!(message_id = id, error = %e, "record failed; it and the rest of the batch go back to the queue");
            stopped = true;
            response.batch_item_failures.push(failure(id));
        }
    }
    response
}

fn failure(id: &str) -> BatchItemFailure {
    let mut f = BatchItemFailure::default();
    f.item_identifier = id.to_owned();
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lambda_events::event::sqs::SqsMessage;

    fn event(bodies: &[&str]) -> SqsEvent {
        let mut e = SqsEvent::default();
        e.records = bodies
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let mut m = SqsMessage::default();
                m.message_id = Some(format!("m{i}"));
                m.body = Some((*b).to_owned());
                m
            })
            .collect();
        e
    }

    #[tokio::test]
    async fn stops_at_first_failure_and_reports_the_rest() {
        let ev = event(&["1", "oops", "3", "4"]);
        let mut seen = Vec::new();
        let resp = process_fifo(&ev, |r| {
            seen.push(r.body.to_owned());
            async move { r.parse::<u32>().map(|_| ()) }
        })
        .await;
        let failed: Vec<_> = resp
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect();
        assert_eq!(failed, ["m1", "m2", "m3"]);
        assert_eq!(
            seen,
            ["1", "oops"],
            "records after the failure are not handled"
        );
    }

    #[tokio::test]
    async fn all_good_reports_nothing() {
        let ev = event(&["1", "2"]);
        let resp = process_fifo(&ev, |r| async move { r.parse::<u32>().map(|_| ()) }).await;
        assert!(resp.batch_item_failures.is_empty());
    }
}
