//! Telegram's side: each chat's updates in order, each retried until the webhook says 200
//! (as Telegram retries a webhook that failed), and now and then delivered again.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use http::StatusCode;
use serde_json::Value;

use super::Options;
use super::chaos::{Chaos, Rng};
use crate::stack::{LOCAL_BOT_USERNAME, Stack};
use crate::updates::{group_migrated, group_text, private_text};

/// One update the suite sends, and what it is expected to come to.
#[derive(Clone, Debug)]
pub struct Sent {
    pub update_id: u64,
    pub chat: i64,
    pub user: i64,
    /// Its place among the chat's updates.
    pub seq: usize,
    /// A word only this update's text has: the stand-in echoes it in the reply.
    pub token: String,
    pub update: Value,
}

pub struct Plan {
    pub sent: Vec<Sent>,
    pub chats: Vec<i64>,
    seed: u64,
}

fn token(n: u64) -> String {
    format!("q{n}q")
}

impl Plan {
    /// `opts.updates` updates, dealt over `opts.chats` chats in turn: half private chats,
    /// a quarter supergroups and a quarter basic groups (which Telegram may upgrade to
    /// supergroups midway), each group with three members who mention the bot.
    pub fn new(opts: &Options) -> Self {
        let chats: Vec<i64> = (0..opts.chats as i64)
            .map(|i| match i % 4 {
                1 => -1_007_000_000_000 - i,
                3 => -4_000_000 - i,
                _ => 70_000 + i,
            })
            .collect();
        let mut per_chat = vec![0usize; chats.len()];
        let mut rng = Rng::new(opts.seed);
        let sent = (0..opts.updates)
            .map(|n| {
                let c = n % chats.len();
                let chat = chats[c];
                let seq = per_chat[c];
                per_chat[c] += 1;
                let user = if chat > 0 {
                    chat
                } else {
                    80_000 + (chat.unsigned_abs() as i64 % 1000) * 3 + rng.below(3) as i64
                };
                let token = token(n as u64);
                let update = if chat > 0 {
                    private_text(user, "Ann", &format!("message {seq} {token} how are you"))
                } else {
                    let text = format!("@{LOCAL_BOT_USERNAME} message {seq} {token} hello all");
                    group_text(chat, chat_type(chat), user, &text)
                };
                let update_id = update["update_id"].as_u64().unwrap_or_default();
                Sent {
                    update_id,
                    chat,
                    user,
                    seq,
                    token,
                    update,
                }
            })
            .collect();
        Self {
            sent,
            chats,
            seed: opts.seed,
        }
    }

    fn of_chat(&self, chat: i64) -> Vec<&Sent> {
        self.sent.iter().filter(|s| s.chat == chat).collect()
    }
}

/// Basic groups have short negative ids, supergroups (and channels) -100….
pub fn chat_type(chat: i64) -> &'static str {
    if chat <= -1_000_000_000_000 {
        "supergroup"
    } else if chat < 0 {
        "group"
    } else {
        "private"
    }
}

/// What posting took.
#[derive(Debug, Default, Clone)]
pub struct Posting {
    /// Webhook calls, including retries and duplicates.
    pub calls: usize,
    /// Calls answered with a status other than 200 (Telegram retries those).
    pub refused: usize,
    /// Calls killed before they answered.
    pub killed: usize,
    /// Updates delivered more than once after a 200.
    pub duplicates: usize,
    /// Updates posted in the supergroup their basic group became, with its id.
    pub posted_in: BTreeMap<u64, i64>,
}

/// Posts every chat's updates, the chats at once; returns the counts.
pub async fn post_all(stack: &Stack, plan: &Plan, chaos: &Chaos) -> Posting {
    let totals = Mutex::new(Posting::default());
    let late: Mutex<Vec<Value>> = Mutex::new(Vec::new());
    let chats = plan.chats.iter().map(|&chat| {
        let updates = plan.of_chat(chat);
        let totals = &totals;
        let late = &late;
        async move {
            let mut rng = Rng::new(plan.seed ^ chat.unsigned_abs());
            let mut now_at = chat;
            for sent in updates {
                now_at = follow_upgrade(stack, now_at, chaos, &mut rng, totals).await;
                let mut update = sent.update.clone();
                if now_at != chat {
                    update["message"]["chat"]["id"] = now_at.into();
                    update["message"]["chat"]["type"] = "supergroup".into();
                    lock(totals).posted_in.insert(sent.update_id, now_at);
                }
                chaos.before_update(&mut rng, now_at);
                post_until_accepted(stack, &update, chaos, &mut rng, totals).await;
                // Telegram sometimes delivers an update again: right away, later on, or
                // both (three deliveries).
                let (now, later) = match rng.below(12) {
                    0 => (true, false),
                    1 => (false, true),
                    2 => (true, true),
                    _ => continue,
                };
                if now {
                    post_until_accepted(stack, &update, chaos, &mut rng, totals).await;
                    lock(totals).duplicates += 1;
                }
                if later {
                    lock(late).push(update);
                    lock(totals).duplicates += 1;
                }
            }
        }
    });
    futures::future::join_all(chats).await;
    let late = std::mem::take(&mut *lock(&late));
    let mut rng = Rng::new(plan.seed.rotate_left(7));
    for update in late {
        post_until_accepted(stack, &update, chaos, &mut rng, &totals).await;
    }
    lock(&totals).clone()
}

/// Once Telegram has upgraded a basic group (a send to it was answered with
/// `migrate_to_chat_id`), its members write in the supergroup: the two service messages
/// come first, as Telegram sends them, and the chat's later updates come from there.
async fn follow_upgrade(
    stack: &Stack,
    chat: i64,
    chaos: &Chaos,
    rng: &mut Rng,
    totals: &Mutex<Posting>,
) -> i64 {
    let Some(to) = stack.telegram.migrated_to(chat) else {
        return chat;
    };
    for service in group_migrated(chat, to) {
        post_until_accepted(stack, &service, chaos, rng, totals).await;
    }
    to
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

async fn post_until_accepted(
    stack: &Stack,
    update: &Value,
    chaos: &Chaos,
    rng: &mut Rng,
    totals: &Mutex<Posting>,
) {
    let mut wait = Duration::from_millis(100);
    loop {
        lock(totals).calls += 1;
        let kill = chaos.kill_after(rng);
        let call = stack.post_update(update);
        let outcome = match kill {
            Some(after) => tokio::time::timeout(after, call).await.ok(),
            None => Some(call.await),
        };
        match outcome {
            Some(Ok((StatusCode::OK, _))) => return,
            Some(_) => lock(totals).refused += 1,
            None => lock(totals).killed += 1,
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(5));
    }
}
