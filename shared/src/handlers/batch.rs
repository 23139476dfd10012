//! SQS batches, handled the way a FIFO event source mapping expects.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use anyhow::anyhow;
use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use serde::de::DeserializeOwned;

use crate::error::{Failure, Result};
use crate::ports::Queue;

/// One SQS record, as much of it as handlers need.
#[derive(Debug)]
pub struct Record<'a> {
    /// SQS's id for the record: names it in logs and in `batchItemFailures`.
    pub message_id: &'a str,
    /// The job or reply as JSON, as the sending function wrote it.
    pub body: &'a str,
    /// Lets a failed record's return be timed; without it, the visibility timeout decides.
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

/// When a failed record comes back if its handler did not say (`retry_after`): 2, 4,
/// 8 … 300 s by delivery.
pub fn default_wait(receive_count: u32) -> Duration {
    Duration::from_secs(2u64.saturating_pow(receive_count.min(9)).min(300))
}

/// Runs `handle` over the records: each chat's (message group's) records in order, one
/// after another, and different chats at the same time, so one slow chat does not hold up
/// the rest of the batch. A failure fails only its chat: the records of the same group
/// after it are not handled (that would reorder the conversation) and are reported with it
/// as `batchItemFailures`; other chats' records go on. The failed record is hidden for its
/// handler's `retry_after` (else [`default_wait`]), which is how a FIFO consumer waits
/// without sleeping; the ones behind it are released at once, and the group's order holds
/// them back until it is done. Left alone they would sit out the queue's whole visibility
/// timeout, holding the chat up long after the failed record's own wait.
pub async fn process_fifo<'e, F, Fut, Q>(
    event: &'e SqsEvent,
    queue: &Q,
    handle: F,
) -> SqsBatchResponse
where
    F: Fn(Record<'e>) -> Fut,
    Fut: Future<Output = Result<()>>,
    Q: Queue,
{
    let chats = futures::future::join_all(
        chats_of(event)
            .into_iter()
            .map(|chat| run_chat(chat, queue, &handle)),
    )
    .await;
    let mut failed: Vec<(usize, &str)> = chats.into_iter().flatten().collect();
    // SQS does not mind the order; the batch's own order reads best in logs and tests.
    failed.sort_unstable();
    let mut response = SqsBatchResponse::default();
    response.batch_item_failures = failed.into_iter().map(|(_, id)| failure(id)).collect();
    response
}

/// The batch's records by message group, each group in the batch's order, groups in the
/// order they first appear. A record without a group is a group of its own.
fn chats_of(event: &SqsEvent) -> Vec<Vec<(usize, Record<'_>)>> {
    let mut chats: Vec<Vec<(usize, Record<'_>)>> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, message) in event.records.iter().enumerate() {
        let record = Record {
            message_id: message.message_id.as_deref().unwrap_or_default(),
            body: message.body.as_deref().unwrap_or_default(),
            receipt_handle: message.receipt_handle.as_deref(),
            receive_count: message
                .attributes
                .get("ApproximateReceiveCount")
                .and_then(|c| c.parse().ok())
                .unwrap_or(1),
        };
        match message.attributes.get("MessageGroupId").map(String::as_str) {
            Some(group) => match index.get(group) {
                Some(&at) => chats[at].push((i, record)),
                None => {
                    index.insert(group, chats.len());
                    chats.push(vec![(i, record)]);
                }
            },
            None => chats.push(vec![(i, record)]),
        }
    }
    chats
}

/// One chat's records, in order; the (index, id) of each that failed or was held back.
async fn run_chat<'e, F, Fut, Q>(
    records: Vec<(usize, Record<'e>)>,
    queue: &Q,
    handle: &F,
) -> Vec<(usize, &'e str)>
where
    F: Fn(Record<'e>) -> Fut,
    Fut: Future<Output = Result<()>>,
    Q: Queue,
{
    let mut failed: Vec<(usize, &'e str)> = Vec::new();
    for (i, record) in records {
        let id = record.message_id;
        if let Some((_, first)) = failed.first() {
            tracing::info!(
                message_id = id,
                after = first,
                "behind a failed record of its chat; back to the queue with it"
            );
            release(queue, record.receipt_handle, Duration::ZERO).await;
            failed.push((i, id));
            continue;
        }
        let receipt = record.receipt_handle;
        let receive_count = record.receive_count;
        if let Err(e) = handle(record).await {
            tracing::error!(message_id = id, error = %e, "record failed; it and the rest of its chat go back to the queue");
            let wait = e.retry_after.unwrap_or_else(|| default_wait(receive_count));
            release(queue, receipt, wait).await;
            failed.push((i, id));
        }
    }
    failed
}

async fn release<Q: Queue>(queue: &Q, receipt: Option<&str>, wait: Duration) {
    let Some(receipt) = receipt else {
        return;
    };
    if let Err(e) = queue.delay(receipt, wait).await {
        // The queue's own visibility timeout still brings it back, just later.
        tracing::warn!(error = %e, "could not schedule the record's return");
    }
}

fn failure(id: &str) -> BatchItemFailure {
    let mut f = BatchItemFailure::default();
    f.item_identifier = id.to_owned();
    f
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::ports::Envelope;
    use aws_lambda_events::event::sqs::SqsMessage;

    #[derive(Default)]
    struct Delays(Mutex<Vec<(String, Duration)>>);

    impl Queue for Delays {
        async fn send(&self, _: &Envelope) -> Result<()> {
            Ok(())
        }
        async fn delay(&self, receipt: &str, delay: Duration) -> Result<()> {
            self.0.lock().unwrap().push((receipt.to_owned(), delay));
            Ok(())
        }
    }

    /// Records `(group, body)`.
    fn event(records: &[(&str, &str)]) -> SqsEvent {
        let mut e = SqsEvent::default();
        e.records = records
            .iter()
            .enumerate()
            .map(|(i, (group, body))| {
                let mut m = SqsMessage::default();
                m.message_id = Some(format!("m{i}"));
                m.receipt_handle = Some(format!("r{i}"));
                m.body = Some((*body).to_owned());
                m.attributes
                    .insert("MessageGroupId".into(), (*group).to_owned());
                m
            })
            .collect();
        e
    }

    fn failed(resp: &SqsBatchResponse) -> Vec<&str> {
        resp.batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect()
    }

    #[tokio::test]
    async fn a_failure_stops_its_chat_and_no_other() {
        let ev = event(&[
            ("a", "1"),
            ("a", "oops"),
            ("b", "3"),
            ("a", "4"),
            ("b", "5"),
        ]);
        let queue = Delays::default();
        let seen = Mutex::new(Vec::new());
        let resp = process_fifo(&ev, &queue, |r| {
            seen.lock().unwrap().push(r.body.to_owned());
            async move { r.parse::<u32>().map(|_| ()) }
        })
        .await;
        let seen = seen.into_inner().unwrap();
        assert_eq!(failed(&resp), ["m1", "m3"]);
        assert_eq!(
            seen,
            ["1", "oops", "3", "5"],
            "chat a's later record is not handled"
        );
        // The failed record waits; the one behind it is released to queue up after it.
        assert_eq!(
            *queue.0.lock().unwrap(),
            [
                ("r1".to_owned(), default_wait(1)),
                ("r3".to_owned(), Duration::ZERO)
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn chats_run_side_by_side_and_each_keeps_its_order() {
        let ev = event(&[
            ("a", "1"),
            ("b", "2"),
            ("a", "3"),
            ("c", "oops"),
            ("c", "5"),
        ]);
        let queue = Delays::default();
        let log = Mutex::new(Vec::new());
        let started = tokio::time::Instant::now();
        let resp = process_fifo(&ev, &queue, |r| {
            let log = &log;
            async move {
                log.lock().unwrap().push(format!("start {}", r.body));
                tokio::time::sleep(Duration::from_secs(1)).await;
                log.lock().unwrap().push(format!("end {}", r.body));
                r.parse::<u32>().map(|_| ())
            }
        })
        .await;
        assert_eq!(
            log.into_inner().unwrap(),
            [
                // Every chat's first record starts before any finishes; chat a's second
                // starts as soon as its first is done; chat c stops at its failure.
                "start 1",
                "start 2",
                "start oops",
                "end 1",
                "start 3",
                "end 2",
                "end oops",
                "end 3"
            ]
        );
        assert_eq!(failed(&resp), ["m3", "m4"]);
        // On tokio's paused clock: the longest chat's two seconds, not five in a row.
        assert_eq!(started.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test]
    async fn the_wait_is_the_handlers_when_it_says() {
        let ev = event(&[("a", "x")]);
        let queue = Delays::default();
        process_fifo(&ev, &queue, |_| async {
            Err(Failure::retryable(anyhow!("429")).with_retry_after(Some(Duration::from_secs(7))))
        })
        .await;
        assert_eq!(
            *queue.0.lock().unwrap(),
            [("r0".to_owned(), Duration::from_secs(7))]
        );
    }

    #[tokio::test]
    async fn all_good_reports_nothing() {
        let ev = event(&[("a", "1"), ("b", "2")]);
        let queue = Delays::default();
        let resp = process_fifo(&ev, &queue, |r| async move { r.parse::<u32>().map(|_| ()) }).await;
        assert!(resp.batch_item_failures.is_empty());
        assert!(queue.0.lock().unwrap().is_empty());
    }
}
