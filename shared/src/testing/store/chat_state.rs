//! Per-chat state that lives only while a reply is being made: generations and held parts.

use super::{FakeStore, R};
use crate::domain::{ChatId, IncomingMessage, UpdateId};
use crate::ports::{FragmentStore, GenerationLog, HeldFragments};

impl GenerationLog for FakeStore {
    async fn begin_generation(&self, chat: ChatId, draft_id: i64) -> R<()> {
        self.enter("begin_generation")?
            .generations
            .insert(chat, (draft_id, false));
        Ok(())
    }

    async fn generation_cancelled(&self, chat: ChatId, draft_id: i64) -> R<bool> {
        Ok(self
            .enter("generation_cancelled")?
            .generations
            .get(&chat)
            .is_some_and(|(id, cancelled)| *id == draft_id && *cancelled))
    }

    async fn end_generation(&self, chat: ChatId, draft_id: i64) -> R<()> {
        let mut state = self.enter("end_generation")?;
        if state
            .generations
            .get(&chat)
            .is_some_and(|(id, _)| *id == draft_id)
        {
            state.generations.remove(&chat);
        }
        Ok(())
    }

    async fn cancel_generation(&self, chat: ChatId, draft_id: Option<i64>) -> R<bool> {
        let mut state = self.enter("cancel_generation")?;
        match state.generations.get_mut(&chat) {
            Some((id, cancelled)) if draft_id.is_none_or(|d| d == *id) => {
                *cancelled = true;
                Ok(true)
            }
            _ => Ok(false),
        }
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
