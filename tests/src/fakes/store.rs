//! The store, in memory: enough of DynamoStore's behaviour for the processor's flows
//! (history with notes, the stored-reply guard, generations, held parts, capabilities).

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use shared::Failure;
use shared::adapters::dynamo::keys;
use shared::domain::{
    BotTotals, ChatId, ClosedConversation, ConvId, GaveUp, History, Role, StoredTurn, StyleProfile,
    Totals, Turn, UpdateId, UserId, UserProfile,
};
use shared::ports::{
    CapabilityLog, ChatMigrationStore, ConversationIndex, CreditStore, DeliveryLog, Exchange,
    FragmentStore, GenerationLog, GiveUpLog, HeldFragments, HistoryStore, ProfileStore,
    StoredReply, StyleStore, UsageStore, UserDirectory,
};

use super::lock;

type R<T> = Result<T, Failure>;

#[derive(Default)]
struct State {
    /// Oldest first.
    turns: HashMap<ConvId, Vec<StoredTurn>>,
    /// The newest notes: the key of the last turn they cover, and their text.
    notes: HashMap<ConvId, (String, String)>,
    replies: HashMap<UpdateId, String>,
    exchanges: Vec<Exchange>,
    profiles: HashMap<UserId, UserProfile>,
    generations: HashMap<ChatId, (i64, bool)>,
    fragments: HashMap<ChatId, HeldFragments>,
    missing: HashSet<String>,
    server_conversations: HashMap<ConvId, String>,
    migrations: Vec<(ChatId, ChatId)>,
    delivered: HashSet<String>,
    gave_up: HashMap<UpdateId, GaveUp>,
}

#[derive(Default)]
pub struct FakeStore {
    state: Mutex<State>,
}

impl FakeStore {
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

    /// Presses stop on the reply being written in `chat`.
    pub fn cancel(&self, chat: ChatId) {
        if let Some(g) = lock(&self.state).generations.get_mut(&chat) {
            g.1 = true;
        }
    }

    pub fn missing(&self) -> Vec<String> {
        lock(&self.state).missing.iter().cloned().collect()
    }

    pub fn migrations(&self) -> Vec<(ChatId, ChatId)> {
        lock(&self.state).migrations.clone()
    }

    /// Adds `pairs` of (user, assistant) turns to a conversation, as earlier exchanges.
    pub fn add_exchanges(&self, conv: impl Into<ConvId>, pairs: &[(&str, &str)]) {
        let conv = conv.into();
        let mut state = lock(&self.state);
        let turns = state.turns.entry(conv).or_default();
        for (user, assistant) in pairs {
            let n = turns.len() as u64 / 2 + 1;
            for (role, text) in [(Role::User, user), (Role::Assistant, assistant)] {
                turns.push(StoredTurn {
                    turn: Turn {
                        role,
                        text: (*text).to_owned(),
                    },
                    key: keys::turn(conv, n as i64, UpdateId(n), role).sk,
                });
            }
        }
    }
}

impl HistoryStore for FakeStore {
    async fn recent_history(&self, conv: ConvId, limit: usize) -> R<History> {
        let state = lock(&self.state);
        let notes = state.notes.get(&conv);
        let after: Vec<StoredTurn> = state
            .turns
            .get(&conv)
            .map(|turns| {
                turns
                    .iter()
                    .filter(|t| notes.is_none_or(|(through, _)| t.key > *through))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let more = after.len() > limit;
        Ok(History {
            summary: notes.map(|(_, text)| text.clone()),
            turns: after.into_iter().rev().take(limit).collect(),
            more,
        })
    }

    async fn save_summary(&self, conv: ConvId, through_key: &str, summary: &str) -> R<()> {
        lock(&self.state)
            .notes
            .insert(conv, (through_key.to_owned(), summary.to_owned()));
        Ok(())
    }

    async fn stored_reply(&self, id: UpdateId) -> R<Option<StoredReply>> {
        let state = lock(&self.state);
        Ok(match state.replies.get(&id) {
            Some(reply) => Some(StoredReply::Answer(reply.clone())),
            None => state.gave_up.get(&id).cloned().map(StoredReply::LastWord),
        })
    }

    async fn record_exchange(&self, x: &Exchange) -> R<String> {
        let mut state = lock(&self.state);
        if let Some(stored) = state.replies.get(&x.update_id) {
            return Ok(stored.clone());
        }
        // A redrive's answer takes the last word's place.
        state.gave_up.remove(&x.update_id);
        let turns = state.turns.entry(x.conversation).or_default();
        for (role, text) in [(Role::User, &x.user_text), (Role::Assistant, &x.reply)] {
            turns.push(StoredTurn {
                turn: Turn {
                    role,
                    text: text.clone(),
                },
                key: keys::turn(x.conversation, x.at_ms, x.update_id, role).sk,
            });
        }
        state.replies.insert(x.update_id, x.reply.clone());
        state.exchanges.push(x.clone());
        Ok(x.reply.clone())
    }
}

impl ConversationIndex for FakeStore {
    async fn server_conversation(&self, conv: ConvId) -> R<Option<String>> {
        Ok(lock(&self.state).server_conversations.get(&conv).cloned())
    }

    async fn set_server_conversation(&self, conv: ConvId, id: Option<&str>) -> R<()> {
        let mut state = lock(&self.state);
        match id {
            Some(id) => state.server_conversations.insert(conv, id.to_owned()),
            None => state.server_conversations.remove(&conv),
        };
        Ok(())
    }

    async fn begin_conversation(&self, _: ConvId, _: &str, _: i64) -> R<()> {
        Ok(())
    }

    async fn conversation_list(&self, _: ConvId, _: usize) -> R<Vec<ClosedConversation>> {
        Ok(Vec::new())
    }

    async fn start_new_conversation(&self, conv: ConvId, _: UpdateId, _: i64) -> R<()> {
        let mut state = lock(&self.state);
        state.turns.remove(&conv);
        state.notes.remove(&conv);
        Ok(())
    }
}

impl ProfileStore for FakeStore {
    async fn profile(&self, user: UserId) -> R<UserProfile> {
        Ok(lock(&self.state)
            .profiles
            .get(&user)
            .cloned()
            .unwrap_or_default())
    }

    async fn mark_inactive(&self, _: UserId) -> R<()> {
        Ok(())
    }
}

impl StyleStore for FakeStore {
    async fn save_style_profile(&self, _: UserId, _: &StyleProfile, _: i64) -> R<()> {
        Ok(())
    }

    async fn recent_user_messages(&self, _: UserId, _: usize) -> R<Vec<String>> {
        Ok(Vec::new())
    }

    async fn set_style_enabled(&self, _: UserId, _: bool) -> R<()> {
        Ok(())
    }

    async fn open_sample_window(&self, _: UserId, _: i64) -> R<()> {
        Ok(())
    }

    async fn add_style_sample(&self, _: UserId, _: UpdateId, _: &str, _: i64) -> R<()> {
        Ok(())
    }
}

impl UserDirectory for FakeStore {
    async fn job_cursor(&self, _: &str) -> R<Option<String>> {
        Ok(None)
    }

    async fn save_job_cursor(&self, _: &str, _: Option<&str>) -> R<()> {
        Ok(())
    }

    async fn list_users(&self, _: Option<String>, _: usize) -> R<(Vec<UserId>, Option<String>)> {
        Ok((Vec::new(), None))
    }
}

impl UsageStore for FakeStore {
    async fn user_totals(&self, _: UserId, _: i64) -> R<[Totals; 3]> {
        Ok(Default::default())
    }
    async fn bot_totals(&self, _: i64) -> R<[BotTotals; 2]> {
        Ok(Default::default())
    }
}

impl CreditStore for FakeStore {
    async fn grant_credits(&self, _: UserId, delta: i64, _: UserId, _: UpdateId) -> R<i64> {
        Ok(delta)
    }
}

impl GenerationLog for FakeStore {
    async fn begin_generation(&self, chat: ChatId, draft_id: i64) -> R<()> {
        lock(&self.state)
            .generations
            .insert(chat, (draft_id, false));
        Ok(())
    }
    async fn generation_cancelled(&self, chat: ChatId, draft_id: i64) -> R<bool> {
        Ok(lock(&self.state)
            .generations
            .get(&chat)
            .is_some_and(|(id, cancelled)| *id == draft_id && *cancelled))
    }
    async fn end_generation(&self, chat: ChatId, _: i64) -> R<()> {
        lock(&self.state).generations.remove(&chat);
        Ok(())
    }
    async fn cancel_generation(&self, chat: ChatId, _: Option<i64>) -> R<bool> {
        self.cancel(chat);
        Ok(lock(&self.state).generations.contains_key(&chat))
    }
}

impl FragmentStore for FakeStore {
    async fn held_fragments(&self, chat: ChatId) -> R<HeldFragments> {
        Ok(lock(&self.state)
            .fragments
            .get(&chat)
            .cloned()
            .unwrap_or_default())
    }
    async fn hold_fragments(
        &self,
        chat: ChatId,
        messages: &[shared::domain::IncomingMessage],
        replacing: Option<UpdateId>,
    ) -> R<bool> {
        let mut state = lock(&self.state);
        let held = state.fragments.entry(chat).or_default();
        if held.last() != replacing || held.claimed_by.is_some() {
            return Ok(false);
        }
        held.messages = messages.to_vec();
        Ok(true)
    }
    async fn claim_fragments(&self, chat: ChatId, last: UpdateId, by: UpdateId) -> R<bool> {
        let mut state = lock(&self.state);
        let Some(held) = state.fragments.get_mut(&chat) else {
            return Ok(false);
        };
        if held.claimed_by == Some(by) {
            return Ok(true);
        }
        if held.last() != Some(last) || held.claimed_by.is_some() {
            return Ok(false);
        }
        held.claimed_by = Some(by);
        Ok(true)
    }
    async fn release_fragments(&self, chat: ChatId, by: UpdateId) -> R<()> {
        let mut state = lock(&self.state);
        if state.fragments.get(&chat).and_then(|h| h.claimed_by) == Some(by) {
            state.fragments.remove(&chat);
        }
        Ok(())
    }
}

impl CapabilityLog for FakeStore {
    async fn is_missing(&self, feature: &str) -> R<bool> {
        Ok(lock(&self.state).missing.contains(feature))
    }
    async fn mark_missing(&self, feature: &str, _: Duration) -> R<()> {
        lock(&self.state).missing.insert(feature.to_owned());
        Ok(())
    }
}

impl GiveUpLog for FakeStore {
    async fn record_gave_up(&self, id: UpdateId, word: &GaveUp) -> R<()> {
        let mut state = lock(&self.state);
        // An answer stored meanwhile stays.
        if !state.replies.contains_key(&id) {
            state.gave_up.insert(id, word.clone());
        }
        Ok(())
    }
}

impl ChatMigrationStore for FakeStore {
    async fn migrate_chat(&self, from: ChatId, to: ChatId) -> R<()> {
        lock(&self.state).migrations.push((from, to));
        Ok(())
    }
}

impl DeliveryLog for FakeStore {
    async fn was_delivered(&self, id: &str) -> R<bool> {
        Ok(lock(&self.state).delivered.contains(id))
    }
    async fn mark_delivered(&self, id: &str) -> R<()> {
        lock(&self.state).delivered.insert(id.to_owned());
        Ok(())
    }
}
