//! Per-chat state that lives only while a reply is being made.

use super::*;

/// Who is generating a reply in which chat, so a stop request can reach them.
pub trait GenerationLog: Sync {
    /// Notes that a reply with this draft id is being generated in `chat`.
    fn begin_generation(
        &self,
        chat: ChatId,
        draft_id: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Whether a stop press reached this generation (`draft_id`); polled while streaming.
    fn generation_cancelled(
        &self,
        chat: ChatId,
        draft_id: i64,
    ) -> impl Future<Output = Result<bool>> + Send;
    /// Clears the marker when the reply ends; a newer generation in the chat keeps its own.
    fn end_generation(
        &self,
        chat: ChatId,
        draft_id: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Asks the generation in `chat` (only the one with `draft_id`, if given) to stop.
    /// False when nothing is being generated there.
    fn cancel_generation(
        &self,
        chat: ChatId,
        draft_id: Option<i64>,
    ) -> impl Future<Output = Result<bool>> + Send;
}

/// Parts of one long message that Telegram delivered as several (see `domain::fragments`),
/// held back until the last one arrives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeldFragments {
    /// Oldest first.
    pub messages: Vec<IncomingMessage>,
    /// The update that is answering them, once one has claimed them.
    pub claimed_by: Option<UpdateId>,
}

impl HeldFragments {
    /// The newest held part: the version `hold_fragments` and `claim_fragments` check.
    pub fn last(&self) -> Option<UpdateId> {
        self.messages.last().map(|m| m.update_id)
    }
}

/// Where a chat's long message waits for its last part, across records and containers.
pub trait FragmentStore: Sync {
    /// The parts held for `chat`, and who claimed them; empty when nothing is held.
    fn held_fragments(&self, chat: ChatId) -> impl Future<Output = Result<HeldFragments>> + Send;
    /// Stores `messages` as the held fragments if the newest held one is still `replacing`
    /// (`None`: nothing is held) and nobody has claimed them. False if that changed.
    fn hold_fragments(
        &self,
        chat: ChatId,
        messages: &[IncomingMessage],
        replacing: Option<UpdateId>,
    ) -> impl Future<Output = Result<bool>> + Send;
    /// Claims the held fragments for `by`, if the newest is still `last`. True when `by`
    /// holds the claim (also on a redelivery).
    fn claim_fragments(
        &self,
        chat: ChatId,
        last: UpdateId,
        by: UpdateId,
    ) -> impl Future<Output = Result<bool>> + Send;
    /// Forgets the fragments `by` has answered.
    fn release_fragments(
        &self,
        chat: ChatId,
        by: UpdateId,
    ) -> impl Future<Output = Result<()>> + Send;
}
