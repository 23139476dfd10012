//! The store, in memory: every storage port the handlers use, with DynamoStore's
//! observable behaviour (the exactly-once guards, conditional writes, counters by day and
//! month, conversations filed by /reset), so a handler's branch can be tested in
//! milliseconds. Faults are injected per operation with [`FakeStore::fail`].

mod chat_state;
mod conversations;
mod forget;
mod history;
mod logs;
mod shelf;
mod usage;
mod users;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Mutex;

use anyhow::anyhow;

use super::lock;
use crate::Failure;
use crate::domain::{ChatId, ConvId, GaveUp, StoredTurn, UpdateId, UserId, UserProfile};
use crate::ports::{Exchange, HeldFragments};

type R<T> = Result<T, Failure>;

/// One user's style sample: the update it came from and its text.
#[derive(Clone, Debug)]
struct Sample {
    update: UpdateId,
    text: String,
}

#[derive(Default)]
struct State {
    /// Claimed updates, and whether each was enqueued.
    claims: HashMap<UpdateId, bool>,
    /// Oldest first.
    turns: HashMap<ConvId, Vec<StoredTurn>>,
    /// The newest notes: the key of the last turn they cover, and their text.
    notes: HashMap<ConvId, (String, String)>,
    replies: HashMap<UpdateId, String>,
    gave_up: HashMap<UpdateId, GaveUp>,
    exchanges: Vec<Exchange>,
    /// The current conversation's title and start, per conversation.
    current: HashMap<ConvId, (String, i64)>,
    /// Filed conversations, oldest first, with everything that was said in them.
    filed: HashMap<ConvId, Vec<shelf::Filed>>,
    /// /reset updates already carried out, with when: a redelivery changes nothing.
    resets: HashMap<UpdateId, i64>,
    server_conversations: HashMap<ConvId, String>,
    /// Every provider conversation id ever set, per conversation (as DynamoStore's `ids`).
    server_ids: HashMap<ConvId, BTreeSet<String>>,
    /// When each conversation's newest item was written (`History::newest_at_ms`).
    last_activity: HashMap<ConvId, i64>,
    profiles: HashMap<UserId, UserProfile>,
    inactive: HashSet<UserId>,
    /// Known users, by id: the user directory.
    directory: BTreeSet<i64>,
    cursors: HashMap<String, String>,
    /// Oldest first.
    samples: HashMap<UserId, Vec<Sample>>,
    /// Credit grants carried out, with the balance each left.
    grants: HashMap<UpdateId, i64>,
    /// The latest stop request per chat.
    stops: HashMap<ChatId, crate::ports::Stop>,
    fragments: HashMap<ChatId, HeldFragments>,
    missing: HashSet<String>,
    migrations: Vec<(ChatId, ChatId)>,
    delivered: HashSet<String>,
    /// Budget holds per user, and the meter's version they are conditional on.
    holds: HashMap<UserId, (Vec<crate::domain::budget::Hold>, u64)>,
    /// What each confirmed /forget found, by its update.
    forget_reports: HashMap<UpdateId, crate::domain::privacy::Erased>,
    /// Calls per operation, and failures still to inject per operation.
    calls: HashMap<&'static str, usize>,
    faults: HashMap<String, (usize, bool)>,
}

/// Every storage port in memory. Inspect it with the accessors below; break it with
/// [`FakeStore::fail`].
#[derive(Default)]
pub struct FakeStore {
    state: Mutex<State>,
    /// The table's `CACHE#` entries (the webhook's membership cache), with their expiry.
    pub cache: super::FakeCache,
}

impl crate::ports::Cache for FakeStore {
    async fn get(&self, key: &str) -> R<Option<String>> {
        self.cache.get(key).await
    }

    async fn set(&self, key: &str, value: &str, ttl: std::time::Duration) -> R<()> {
        self.cache.set(key, value, ttl).await
    }

    async fn delete(&self, key: &str) -> R<()> {
        self.cache.delete(key).await
    }
}

impl FakeStore {
    /// The next `times` calls of `op` (a port method's name, e.g. `"record_exchange"`)
    /// fail: retryable (a throttle, a timeout) or not (a malformed item).
    pub fn fail(&self, op: &str, times: usize, retryable: bool) {
        lock(&self.state)
            .faults
            .insert(op.to_owned(), (times, retryable));
    }

    /// How many times `op` was called (failed calls included).
    pub fn calls(&self, op: &str) -> usize {
        lock(&self.state).calls.get(op).copied().unwrap_or(0)
    }

    /// Counts a call of `op` and fails it if a fault is due.
    fn enter(&self, op: &'static str) -> R<std::sync::MutexGuard<'_, State>> {
        let mut state = lock(&self.state);
        *state.calls.entry(op).or_default() += 1;
        if let Some((left, retryable)) = state.faults.get_mut(op)
            && *left > 0
        {
            *left -= 1;
            let e = anyhow!("injected {op} failure");
            return Err(if *retryable {
                Failure::retryable(e)
            } else {
                Failure::permanent(e)
            });
        }
        Ok(state)
    }

    /// The holds a user's meter keeps, expired ones included.
    pub fn holds(&self, user: UserId) -> Vec<crate::domain::budget::Hold> {
        lock(&self.state)
            .holds
            .get(&user)
            .map(|(h, _)| h.clone())
            .unwrap_or_default()
    }

    /// Every exchange recorded, in order.
    pub fn exchanges(&self) -> Vec<Exchange> {
        lock(&self.state).exchanges.clone()
    }

    /// The notes of a conversation, if any were saved.
    pub fn notes(&self, conv: impl Into<ConvId>) -> Option<String> {
        lock(&self.state)
            .notes
            .get(&conv.into())
            .map(|(_, t)| t.clone())
    }

    /// Sends `/cancel` in `chat` after everything so far: every reply being written
    /// there stops.
    pub fn cancel(&self, chat: ChatId) {
        let stop = crate::ports::Stop::Before(UpdateId(u64::MAX));
        lock(&self.state).stops.insert(chat, stop);
    }

    /// Features marked missing on the model's server.
    pub fn missing(&self) -> Vec<String> {
        lock(&self.state).missing.iter().cloned().collect()
    }

    /// Chat migrations carried out, in order.
    pub fn migrations(&self) -> Vec<(ChatId, ChatId)> {
        lock(&self.state).migrations.clone()
    }

    /// A user's (or group's) profile as stored, without counting a call.
    pub fn stored_profile(&self, user: UserId) -> UserProfile {
        lock(&self.state)
            .profiles
            .get(&user)
            .cloned()
            .unwrap_or_default()
    }

    /// Replaces a user's (or group's) profile, as if earlier messages had left it so.
    pub fn put_profile(&self, user: UserId, profile: UserProfile) {
        let mut state = lock(&self.state);
        if profile.known {
            state.directory.insert(user.get());
        }
        state.profiles.insert(user, profile);
    }

    /// Whether the bot was told `user` blocked it.
    pub fn is_inactive(&self, user: UserId) -> bool {
        lock(&self.state).inactive.contains(&user)
    }

    /// Whether the update was recorded, and as enqueued (`false`: an older version's
    /// pending claim).
    pub fn claim_of(&self, id: UpdateId) -> Option<bool> {
        lock(&self.state).claims.get(&id).copied()
    }

    /// An older version's claim: noted on arrival, its enqueue unknown.
    pub fn claim_pending(&self, id: UpdateId) {
        lock(&self.state).claims.insert(id, false);
    }

    /// The turns stored for a conversation, oldest first (notes' cut ignored).
    pub fn turns(&self, conv: impl Into<ConvId>) -> Vec<StoredTurn> {
        lock(&self.state)
            .turns
            .get(&conv.into())
            .cloned()
            .unwrap_or_default()
    }
}
