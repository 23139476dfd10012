//! Per-chat state that lives only while a reply is being made.

use super::*;

/// Stop requests, so a reply being written can be stopped from the webhook. Nothing is
/// written per reply: the request is kept, and the processor reads it while it streams.
pub trait GenerationLog: Sync {
    /// Whether a stop was asked for the reply with draft `draft_id` to update `update`;
    /// polled while a reply streams.
    fn stop_requested(
        &self,
        chat: ChatId,
        draft_id: i64,
        update: UpdateId,
    ) -> impl Future<Output = Result<bool>> + Send;
    /// Asks the replies `stop` names in `chat` to stop.
    fn request_stop(&self, chat: ChatId, stop: Stop) -> impl Future<Output = Result<()>> + Send;
}

/// Which replies a stop request is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The one whose draft's stop button was pressed.
    Draft(i64),
    /// `/cancel`, in this update: every reply to an earlier one. Telegram numbers a bot's
    /// updates in order, so no clock is compared (two in one second stay in order).
    Before(UpdateId),
}

impl Stop {
    /// Whether this request reaches the reply with `draft_id` to `update`.
    pub fn reaches(self, draft_id: i64, update: UpdateId) -> bool {
        match self {
            Stop::Draft(d) => d == draft_id,
            Stop::Before(cancel) => update.0 < cancel.0,
        }
    }
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
