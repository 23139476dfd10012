//! The small logs: updates claimed, deliveries made, words given up with, features
//! missing, chats migrated.

use std::time::Duration;

use super::{FakeStore, R};
use crate::domain::{ChatId, DeliveryId, GaveUp, UpdateId, UserId};
use crate::ports::{
    CapabilityLog, ChatMigrationStore, Claim, DeliveryLog, GiveUpLog, ReplySlot, UpdateLog,
};

impl UpdateLog for FakeStore {
    async fn claim_update(&self, id: UpdateId) -> R<Claim> {
        let state = self.enter("claim_update")?;
        Ok(match state.claims.get(&id) {
            None => Claim::New,
            Some(false) => Claim::Unfinished,
            Some(true) => Claim::Done,
        })
    }

    async fn mark_enqueued(&self, id: UpdateId) -> R<()> {
        self.enter("mark_enqueued")?.claims.insert(id, true);
        Ok(())
    }
}

impl DeliveryLog for FakeStore {
    async fn was_delivered(&self, id: &DeliveryId) -> R<bool> {
        Ok(self.enter("was_delivered")?.delivered.contains(id.as_str()))
    }

    async fn mark_delivered(&self, id: &DeliveryId) -> R<()> {
        self.enter("mark_delivered")?
            .delivered
            .insert(id.as_str().to_owned());
        Ok(())
    }
}

impl GiveUpLog for FakeStore {
    async fn record_gave_up(&self, slot: ReplySlot, word: &GaveUp) -> R<()> {
        let mut state = self.enter("record_gave_up")?;
        let id = slot.update_id;
        // An answer stored meanwhile stays.
        if !state.replies.contains_key(&id) {
            state.gave_up.insert(id, word.clone());
        }
        Ok(())
    }
}

impl CapabilityLog for FakeStore {
    async fn is_missing(&self, feature: &str) -> R<bool> {
        Ok(self.enter("is_missing")?.missing.contains(feature))
    }

    async fn mark_missing(&self, feature: &str, _: Duration) -> R<()> {
        self.enter("mark_missing")?
            .missing
            .insert(feature.to_owned());
        Ok(())
    }
}

impl ChatMigrationStore for FakeStore {
    async fn migrate_chat(&self, from: ChatId, to: ChatId) -> R<()> {
        let mut state = self.enter("migrate_chat")?;
        if state.migrations.iter().any(|(f, _)| *f == from) {
            return Ok(());
        }
        state.migrations.push((from, to));
        // The conversation, persona and settings move with the group.
        let moved: Vec<_> = state
            .turns
            .keys()
            .filter(|c| c.chat == from)
            .copied()
            .collect();
        for conv in moved {
            if let Some(turns) = state.turns.remove(&conv) {
                let target = crate::domain::ConvId { chat: to, ..conv };
                state.turns.insert(target, turns);
            }
        }
        if let Some(profile) = state.profiles.remove(&UserId::new(from.get())) {
            state.profiles.insert(UserId::new(to.get()), profile);
        }
        Ok(())
    }
}
