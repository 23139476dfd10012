//! Per-chat state that lives only while a reply is being made: stop requests and held parts.

use super::{FakeStore, R};
use crate::domain::{ChatId, IncomingMessage, UpdateId};
use crate::ports::{FragmentStore, GenerationLog, HeldFragments, Stop};

impl GenerationLog for FakeStore {
    async fn stop_requested(&self, chat: ChatId, draft_id: i64, update: UpdateId) -> R<bool> {
        Ok(self
            .enter("stop_requested")?
            .stops
            .get(&chat)
            .is_some_and(|stop| stop.reaches(draft_id, update)))
    }

    async fn request_stop(&self, chat: ChatId, stop: Stop) -> R<()> {
        self.enter("request_stop")?.stops.insert(chat, stop);
        Ok(())
    }
}

impl FragmentStore for FakeStore {
    async fn held_fragments(&self, chat: ChatId) -> R<HeldFragments> {
        Ok(self
            .enter("held_fragments")?
            .fragments
            .get(&chat)
            .cloned()
            .unwrap_or_default())
    }

    async fn hold_fragments(
        &self,
        chat: ChatId,
        messages: &[IncomingMessage],
        replacing: Option<UpdateId>,
    ) -> R<bool> {
        let mut state = self.enter("hold_fragments")?;
        let held = state.fragments.entry(chat).or_default();
        if held.last() != replacing || held.claimed_by.is_some() {
            return Ok(false);
        }
        held.messages = messages.to_vec();
        Ok(true)
    }

    async fn claim_fragments(&self, chat: ChatId, last: UpdateId, by: UpdateId) -> R<bool> {
        let mut state = self.enter("claim_fragments")?;
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
        let mut state = self.enter("release_fragments")?;
        if state.fragments.get(&chat).and_then(|h| h.claimed_by) == Some(by) {
            state.fragments.remove(&chat);
        }
        Ok(())
    }
}
