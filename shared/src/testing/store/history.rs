//! Turns, notes and the exchange written per answered message.

use super::{FakeStore, R, Sample, State};
use crate::domain::{ConvId, History, Role, StoredTurn, Turn, UpdateId};
use crate::ports::{Exchange, HistoryStore, ReplySlot, StoredReply};

/// The sort key DynamoStore gives a turn: by time, then update, then user before bot.
pub(super) fn turn_key(at_ms: i64, update: UpdateId, suffix: &str) -> String {
    format!("T#{at_ms:013}#{:020}#{suffix}", update.0)
}

impl FakeStore {
    /// Sets when the conversation's newest item was written (earlier exchanges added with
    /// `add_exchanges` have no time of their own).
    pub fn set_last_activity(&self, conv: impl Into<ConvId>, at_ms: i64) {
        super::lock(&self.state)
            .last_activity
            .insert(conv.into(), at_ms);
    }

    /// Adds `pairs` of (user, assistant) turns to a conversation, as earlier exchanges.
    pub fn add_exchanges(&self, conv: impl Into<ConvId>, pairs: &[(&str, &str)]) {
        let conv = conv.into();
        let mut state = super::lock(&self.state);
        let turns = state.turns.entry(conv).or_default();
        for (user, assistant) in pairs {
            let n = turns.len() as u64 / 2 + 1;
            for (role, text, suffix) in [(Role::User, user, "0"), (Role::Assistant, assistant, "1")]
            {
                turns.push(StoredTurn {
                    turn: Turn {
                        role,
                        text: (*text).to_owned(),
                    },
                    key: turn_key(n as i64, UpdateId(n), suffix),
                });
            }
        }
    }
}

fn store_exchange(state: &mut State, x: &Exchange) {
    // A redrive's answer takes the last word's place.
    state.gave_up.remove(&x.update_id);
    let turns = state.turns.entry(x.conversation).or_default();
    turns.retain(|t| !x.replaces.contains(&t.key));
    for (role, text, suffix) in [
        (Role::User, &x.user_text, "0"),
        (Role::Assistant, &x.reply, "1"),
    ] {
        turns.push(StoredTurn {
            turn: Turn {
                role,
                text: text.clone(),
            },
            key: turn_key(x.sent_ms, x.update_id, suffix),
        });
    }
    state.replies.insert(x.update_id, x.reply.clone());
    state.last_activity.insert(x.conversation, x.at_ms);
    let user = x.user.id;
    if x.held {
        // Settled in the same write: the hold goes, the version moves on.
        let (holds, version) = state.holds.entry(user).or_default();
        holds.retain(|h| h.update != x.update_id.0);
        *version += 1;
    }
    // Style is learned from the user's private chat (DynamoStore reads those turns).
    if x.conversation.chat.get() == user.get() {
        state.samples.entry(user).or_default().push(Sample {
            update: x.update_id,
            text: x.user_text.clone(),
        });
    }
    state.directory.insert(user.get());
    let profile = state.profiles.entry(user).or_default();
    profile.known = true;
    profile.message_count += 1;
    profile.credits -= x.credits_used as i64;
    state.inactive.remove(&user);
    state.exchanges.push(x.clone());
}

impl HistoryStore for FakeStore {
    async fn recent_history(&self, conv: ConvId, limit: usize) -> R<History> {
        let state = self.enter("recent_history")?;
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
            newest_at_ms: state.last_activity.get(&conv).copied(),
        })
    }

    async fn save_summary(&self, conv: ConvId, through_key: &str, summary: &str) -> R<()> {
        self.enter("save_summary")?
            .notes
            .insert(conv, (through_key.to_owned(), summary.to_owned()));
        Ok(())
    }

    async fn stored_reply(&self, slot: ReplySlot) -> R<Option<StoredReply>> {
        let state = self.enter("stored_reply")?;
        let id = slot.update_id;
        Ok(match state.replies.get(&id) {
            Some(reply) => Some(StoredReply::Answer(reply.clone())),
            None => state.gave_up.get(&id).cloned().map(StoredReply::LastWord),
        })
    }

    async fn record_exchange(&self, x: &Exchange) -> R<String> {
        let mut state = self.enter("record_exchange")?;
        if let Some(stored) = state.replies.get(&x.update_id) {
            return Ok(stored.clone());
        }
        store_exchange(&mut state, x);
        Ok(x.reply.clone())
    }
}
