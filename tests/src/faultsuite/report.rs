//! What each update came to, counted from what Telegram received (the stand-in's record
//! of every send), what the bot stored (delivery records, usage) and what the queues hold.

use shared::domain::Lang;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::time::Duration;

use aws_sdk_dynamodb::types::AttributeValue;
use shared::adapters::dynamo::keys;
use shared::domain::{ChatId, texts};

use super::traffic::{Plan, Posting, Sent};
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
    /// The reply, or the word that it failed, hit a 403 (the user had blocked the bot):
    /// nobody to tell.
    pub blocked: usize,
    /// Told it could not be answered, and answered after all (a redelivery that
    /// succeeded): one answer, but a contradiction the user sees.
    pub told_then_answered: Vec<u64>,
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
    /// The same, counting a basic group and the supergroup it became as one chat: an
    /// answer in the supergroup may come before answers still queued for the old group.
    pub across_upgrades: usize,
    pub usage_twice: usize,
    pub dead_letters: [(&'static str, u64); 3],
    pub run: Run,
}

/// One sendMessage the stand-in answered.
struct Send {
    status: u16,
    chat: i64,
    text: String,
}

/// Every sendMessage the stand-in answered, in the order they came.
fn sends(stack: &Stack) -> Vec<Send> {
    stack
        .telegram
        .calls()
        .into_iter()
        .filter(|c| c.method == "sendMessage" && !c.via_webhook_response)
        .map(|c| Send {
            status: c.status,
            chat: c.chat_id().unwrap_or_default(),
            text: c.params["text"].as_str().unwrap_or_default().to_owned(),
        })
        .collect()
}

async fn was_told(stack: &Stack, update_id: u64) -> bool {
    let got = stack
        .clients
        .dynamo
        .get_item()
        .table_name(&stack.resources.table)
        .set_key(Some(
            keys::delivery(&format!("failed-{update_id}")).attributes(),
        ))
        .consistent_read(true)
        .send()
        .await;
    got.is_ok_and(|g| g.item.is_some())
}

/// Updates whose usage was recorded more than once.
async fn usage_twice(stack: &Stack, chats: &HashSet<i64>) -> usize {
    let mut twice = 0;
    for chat in chats {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut start = None;
        loop {
            let Ok(out) = stack
                .clients
                .dynamo
                .query()
                .table_name(&stack.resources.table)
                .key_condition_expression("pk = :pk AND begins_with(sk, :p)")
                .expression_attribute_values(
                    ":pk",
                    AttributeValue::S(keys::chat_pk(ChatId::new(*chat))),
                )
                .expression_attribute_values(":p", AttributeValue::S(keys::TURN_PREFIX.into()))
                .set_exclusive_start_key(start)
                .send()
                .await
            else {
                break;
            };
            // An exchange (`T#<ms>#<update>#X`) per answered update: the same update
            // answered twice would show up under two sent times.
            for item in out.items.unwrap_or_default() {
                let Some(AttributeValue::S(sk)) = item.get("sk") else {
                    continue;
                };
                if item.contains_key("reply") {
                    let update = sk.split('#').nth(2).unwrap_or_default();
                    *seen.entry(update.to_owned()).or_default() += 1;
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

/// Replies that came before the reply to an earlier message of the same chat, the chat
/// being what `chat_of` says an update was posted in. `explain` prints each one's story.
fn order_violations(
    plan: &Plan,
    sends: &[Send],
    chat_of: impl Fn(&Sent) -> i64,
    explain_them: bool,
) -> usize {
    let mut last_seq: HashMap<i64, usize> = HashMap::new();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut violations = 0;
    for send in sends {
        if send.status != 200 {
            continue;
        }
        for sent in plan.sent.iter().filter(|s| send.text.contains(&s.token)) {
            if !seen.insert(sent.update_id) {
                continue;
            }
            let last = last_seq.entry(chat_of(sent)).or_insert(sent.seq);
            if sent.seq < *last {
                violations += 1;
                if explain_them {
                    eprintln!(
                        "out of order in chat {}: message {} answered after message {}",
                        chat_of(sent),
                        sent.seq,
                        last
                    );
                    explain(plan, sends, sent.chat);
                }
            }
            *last = (*last).max(sent.seq);
        }
    }
    violations
}

/// Every send that carried one of `chat`'s messages, in order, for reading a violation.
fn explain(plan: &Plan, sends: &[Send], chat: i64) {
    let of_chat: Vec<&Sent> = plan.sent.iter().filter(|s| s.chat == chat).collect();
    for send in sends {
        if let Some(s) = of_chat.iter().find(|s| send.text.contains(&s.token)) {
            eprintln!(
                "    {} to {}: message {} (update {})",
                send.status, send.chat, s.seq, s.update_id
            );
        }
    }
}

/// Per chat, how many last words ("I can't answer this") Telegram refused with 403: each
/// stands for one unanswered update of that chat whose user had blocked the bot. The
/// words carry no token, so they are matched to updates by chat.
fn refused_last_words(plan: &Plan, sends: &[Send]) -> HashMap<i64, usize> {
    let mut refused = HashMap::new();
    for send in sends {
        let carries_a_token = plan.sent.iter().any(|s| send.text.contains(&s.token));
        if send.status == 403 && !carries_a_token && send.text != texts::still_trying(Lang::En) {
            *refused.entry(send.chat).or_default() += 1;
        }
    }
    refused
}

fn take_refused_word(refused: &mut HashMap<i64, usize>, chat: i64, moved_to: Option<i64>) -> bool {
    for chat in std::iter::once(chat).chain(moved_to) {
        if let Some(n) = refused.get_mut(&chat).filter(|n| **n > 0) {
            *n -= 1;
            return true;
        }
    }
    false
}

/// Prints which update each dead letter holds and what that update came to.
async fn describe_dead_letters(
    stack: &Stack,
    plan: &Plan,
    queue: &str,
    url: &str,
    outcomes: &Outcomes,
) {
    // Each receive hides what it took, so this reads every message once.
    while let Ok(messages) = crate::esm::receive(&stack.clients.sqs, url, 10).await {
        if messages.is_empty() {
            break;
        }
        for m in messages {
            let body = m.body.unwrap_or_default();
            let what = plan
                .sent
                .iter()
                .find(|s| body.contains(&s.token))
                .map_or_else(
                    || "no update of the plan".to_owned(),
                    |s| {
                        let outcome = if outcomes.told_then_answered.contains(&s.update_id) {
                            "told, then answered"
                        } else if outcomes.lost.contains(&s.update_id) {
                            "lost"
                        } else {
                            "answered once or told once"
                        };
                        format!(
                            "update {} (chat {}, message {}): {outcome}",
                            s.update_id, s.chat, s.seq
                        )
                    },
                );
            eprintln!("{queue} dead letter: {what}");
        }
    }
}

impl Report {
    pub async fn gather(stack: &Stack, plan: &Plan, run: Run) -> anyhow::Result<Self> {
        let sends = sends(stack);
        let mut outcomes = Outcomes::default();
        let mut refused_words = refused_last_words(plan, &sends);
        for sent in &plan.sent {
            let replies = sends
                .iter()
                .filter(|s| s.status == 200 && s.text.contains(&sent.token))
                .count();
            // Where a word for this update may have gone: its chat, or the supergroup the
            // chat became.
            let moved_to = stack.telegram.migrated_to(sent.chat);
            let blocked = sends
                .iter()
                .any(|s| s.status == 403 && s.text.contains(&sent.token))
                || (replies == 0 && take_refused_word(&mut refused_words, sent.chat, moved_to));
            let told = was_told(stack, sent.update_id).await;
            match replies {
                1 if told => outcomes.told_then_answered.push(sent.update_id),
                1 => outcomes.answered_once += 1,
                0 if told => outcomes.told += 1,
                0 if blocked => outcomes.blocked += 1,
                0 => outcomes.lost.push(sent.update_id),
                _ => outcomes.duplicates.push(sent.update_id),
            }
        }
        let tokens: Vec<&str> = plan.sent.iter().map(|s| s.token.as_str()).collect();
        let notices = sends
            .iter()
            .filter(|s| s.status == 200 && !tokens.iter().any(|k| s.text.contains(k)))
            .count();
        // Exchanges are kept per conversation: every chat posted to, upgraded ones too.
        let chats: HashSet<i64> = plan
            .sent
            .iter()
            .map(|s| s.chat)
            .chain(run.posting.posted_in.values().copied())
            .collect();
        let r = &stack.resources;
        let mut dead_letters = [("inbound", 0), ("work", 0), ("outbox", 0)];
        for (slot, url) in dead_letters
            .iter_mut()
            .zip([&r.inbound_dlq, &r.work_dlq, &r.outbox_dlq])
        {
            slot.1 = stack.depth(url).await?;
            describe_dead_letters(stack, plan, slot.0, url, &outcomes).await;
        }
        Ok(Self {
            updates: plan.sent.len(),
            chats: plan.chats.len(),
            outcomes,
            notices,
            order_violations: order_violations(
                plan,
                &sends,
                |s| {
                    run.posting
                        .posted_in
                        .get(&s.update_id)
                        .copied()
                        .unwrap_or(s.chat)
                },
                true,
            ),
            across_upgrades: order_violations(plan, &sends, |s| s.chat, false),
            usage_twice: usage_twice(stack, &chats).await,
            dead_letters,
            run,
        })
    }

    /// Every update answered exactly once, or told once, or undeliverable (blocked); none
    /// lost, none twice, none both told and answered, none out of order, no usage counted
    /// twice.
    pub fn passed(&self) -> bool {
        self.run.settled
            && self.outcomes.lost.is_empty()
            && self.outcomes.duplicates.is_empty()
            && self.outcomes.told_then_answered.is_empty()
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
            "told it failed, then answered after all",
            format!("{} {:?}", o.told_then_answered.len(), o.told_then_answered),
        );
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
        row(
            "order violations across a group's upgrade (old group and supergroup as one)",
            self.across_upgrades.to_string(),
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
