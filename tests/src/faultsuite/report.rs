//! What each update came to, counted from what Telegram received (the stand-in's record
//! of every send), what the bot stored (delivery records, usage) and what the queues hold.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::time::Duration;

use aws_sdk_dynamodb::types::AttributeValue;

use super::traffic::{Plan, Posting};
use super::workers::Counts;
use crate::stack::Stack;

/// Everything the run itself counted.
pub struct Run {
    pub posting: Posting,
    pub invocations: BTreeMap<&'static str, Counts>,
    pub faults: BTreeMap<String, usize>,
    pub settled: bool,
    pub wall: Duration,
}

#[derive(Debug, Default)]
pub struct Outcomes {
    pub answered_once: usize,
    /// Not answered, and told once why (the final notice).
    pub told: usize,
    /// The reply hit a 403 (the user had blocked the bot): nobody to tell.
    pub blocked: usize,
    pub lost: Vec<u64>,
    pub duplicates: Vec<u64>,
}

pub struct Report {
    pub updates: usize,
    pub chats: usize,
    pub outcomes: Outcomes,
    /// Notices that are not replies: that it is taking a while, the final word.
    pub notices: usize,
    pub order_violations: usize,
    pub usage_twice: usize,
    pub dead_letters: [(&'static str, u64); 3],
    pub run: Run,
}

/// Every sendMessage the stand-in answered, in the order they came: (status, text).
fn sends(stack: &Stack) -> Vec<(u16, String)> {
    stack
        .telegram
        .calls()
        .into_iter()
        .filter(|c| c.method == "sendMessage" && !c.via_webhook_response)
        .map(|c| {
            (
                c.status,
                c.params["text"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

async fn was_told(stack: &Stack, update_id: u64) -> bool {
    let got = stack
        .clients
        .dynamo
        .get_item()
        .table_name(&stack.resources.table)
        .key("pk", AttributeValue::S(format!("DLV#failed-{update_id}")))
        .key("sk", AttributeValue::S("SENT".into()))
        .consistent_read(true)
        .send()
        .await;
    got.is_ok_and(|g| g.item.is_some())
}

/// Updates whose usage was recorded more than once.
async fn usage_twice(stack: &Stack, users: &HashSet<i64>) -> usize {
    let mut twice = 0;
    for user in users {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut start = None;
        loop {
            let Ok(out) = stack
                .clients
                .dynamo
                .query()
                .table_name(&stack.resources.table)
                .key_condition_expression("pk = :pk AND begins_with(sk, :p)")
                .expression_attribute_values(":pk", AttributeValue::S(format!("USER#{user}")))
                .expression_attribute_values(":p", AttributeValue::S("USAGE#".into()))
                .set_exclusive_start_key(start)
                .send()
                .await
            else {
                break;
            };
            for item in out.items.unwrap_or_default() {
                if let Some(AttributeValue::N(id)) = item.get("update_id") {
                    *seen.entry(id.clone()).or_default() += 1;
                }
            }
            start = out.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
        twice += seen.values().filter(|n| **n > 1).count();
    }
    twice
}

/// Replies that came before the reply to an earlier message of the same chat.
fn order_violations(plan: &Plan, sends: &[(u16, String)]) -> usize {
    let mut last_seq: HashMap<i64, usize> = HashMap::new();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut violations = 0;
    for (status, text) in sends {
        if *status != 200 {
            continue;
        }
        for sent in plan.sent.iter().filter(|s| text.contains(&s.token)) {
            if !seen.insert(sent.update_id) {
                continue;
            }
            let last = last_seq.entry(sent.chat).or_insert(sent.seq);
            if sent.seq < *last {
                violations += 1;
                eprintln!(
                    "out of order in chat {}: message {} answered after message {}",
                    sent.chat, sent.seq, last
                );
            }
            *last = (*last).max(sent.seq);
        }
    }
    violations
}

impl Report {
    pub async fn gather(stack: &Stack, plan: &Plan, run: Run) -> anyhow::Result<Self> {
        let sends = sends(stack);
        let mut outcomes = Outcomes::default();
        for sent in &plan.sent {
            let replies = sends
                .iter()
                .filter(|(s, t)| *s == 200 && t.contains(&sent.token))
                .count();
            let blocked = sends
                .iter()
                .any(|(s, t)| *s == 403 && t.contains(&sent.token));
            match replies {
                1 => outcomes.answered_once += 1,
                0 if was_told(stack, sent.update_id).await => outcomes.told += 1,
                0 if blocked => outcomes.blocked += 1,
                0 => outcomes.lost.push(sent.update_id),
                _ => outcomes.duplicates.push(sent.update_id),
            }
        }
        let tokens: Vec<&str> = plan.sent.iter().map(|s| s.token.as_str()).collect();
        let notices = sends
            .iter()
            .filter(|(s, t)| *s == 200 && !tokens.iter().any(|k| t.contains(k)))
            .count();
        let users: HashSet<i64> = plan.sent.iter().map(|s| s.user).collect();
        let r = &stack.resources;
        let mut dead_letters = [("inbound", 0), ("work", 0), ("outbox", 0)];
        for (slot, url) in dead_letters
            .iter_mut()
            .zip([&r.inbound_dlq, &r.work_dlq, &r.outbox_dlq])
        {
            slot.1 = stack.depth(url).await?;
        }
        Ok(Self {
            updates: plan.sent.len(),
            chats: plan.chats.len(),
            outcomes,
            notices,
            order_violations: order_violations(plan, &sends),
            usage_twice: usage_twice(stack, &users).await,
            dead_letters,
            run,
        })
    }

    /// Every update answered exactly once, or told once, or undeliverable (blocked); none
    /// lost, none twice, none out of order, no usage counted twice.
    pub fn passed(&self) -> bool {
        self.run.settled
            && self.outcomes.lost.is_empty()
            && self.outcomes.duplicates.is_empty()
            && self.order_violations == 0
            && self.usage_twice == 0
    }

    /// The table, in Markdown.
    pub fn table(&self) -> String {
        let o = &self.outcomes;
        let mut t = String::new();
        let mut row = |what: &str, value: String| {
            let _ = writeln!(t, "| {what} | {value} |");
        };
        row(
            "updates (chats)",
            format!("{} ({})", self.updates, self.chats),
        );
        row(
            "webhook calls: all / refused (Telegram retries) / killed / duplicate deliveries",
            format!(
                "{} / {} / {} / {}",
                self.run.posting.calls,
                self.run.posting.refused,
                self.run.posting.killed,
                self.run.posting.duplicates
            ),
        );
        row("replies expected", self.updates.to_string());
        row("answered exactly once", o.answered_once.to_string());
        row("not answered, told once", o.told.to_string());
        row(
            "undeliverable (user blocked the bot, 403)",
            o.blocked.to_string(),
        );
        row("failure notices sent", self.notices.to_string());
        row("lost", format!("{} {:?}", o.lost.len(), o.lost));
        row(
            "duplicates",
            format!("{} {:?}", o.duplicates.len(), o.duplicates),
        );
        row(
            "order violations (per chat)",
            self.order_violations.to_string(),
        );
        row("usage counted twice", self.usage_twice.to_string());
        let dlq: Vec<String> = self
            .dead_letters
            .iter()
            .map(|(q, n)| format!("{q} {n}"))
            .collect();
        row("messages in dead-letter queues", dlq.join(", "));
        for (stage, c) in &self.run.invocations {
            row(
                &format!(
                    "{stage}: invocations / records / killed / timed out / crashed / SQS errors"
                ),
                format!(
                    "{} / {} / {} / {} / {} / {}",
                    c.invocations, c.records, c.killed, c.timed_out, c.crashed, c.sqs_errors
                ),
            );
        }
        let faults: Vec<String> = self
            .run
            .faults
            .iter()
            .map(|(f, n)| format!("{f} ×{n}"))
            .collect();
        row("faults injected", faults.join(", "));
        row("settled", self.run.settled.to_string());
        row("wall time", format!("{:.1} s", self.run.wall.as_secs_f64()));
        format!("| what | count |\n|---|---|\n{t}")
    }
}
