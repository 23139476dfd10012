//! Conversations as things a user keeps: listed, opened again, renamed, deleted, exported.

use super::*;
use crate::domain::shelf::{FiledId, Listed, Transcript, Which};

/// What deleting a filed conversation found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Deleted {
    /// It was not there (deleted before, or opened or filed meanwhile).
    Gone,
    /// Its items are deleted; its provider-side conversation, if it had one, is left to
    /// the caller to delete there.
    Done {
        /// The Responses API conversation it was held in, if any.
        server_conversation: Option<String>,
    },
}

/// The chat's conversations: the current one and those filed by `/reset`, an idle
/// timeout, or opening another.
pub trait ConversationShelf: Sync {
    /// The current conversation (first, once it has begun) and the filed ones, newest
    /// first, at most `limit` in all.
    fn shelf(&self, conv: ConvId, limit: usize)
    -> impl Future<Output = Result<Vec<Listed>>> + Send;
    /// Makes `filed` the current conversation again, filing the current one under
    /// (`at_ms`, `update`). False when `filed` is not there; idempotent per update.
    fn reopen(
        &self,
        conv: ConvId,
        filed: FiledId,
        update: UpdateId,
        at_ms: i64,
    ) -> impl Future<Output = Result<bool>> + Send;
    /// Gives a conversation a new title; false when it is not there.
    fn rename(
        &self,
        conv: ConvId,
        which: Which,
        title: &str,
    ) -> impl Future<Output = Result<bool>> + Send;
    /// Deletes a conversation: its turns, notes and listing (the current one's too: the
    /// next message starts a new one). Idempotent.
    fn delete(&self, conv: ConvId, which: Which) -> impl Future<Output = Result<Deleted>> + Send;
    /// A conversation whole, oldest first, at most `max_turns` of its newest turns.
    fn transcript(
        &self,
        conv: ConvId,
        which: Which,
        max_turns: usize,
    ) -> impl Future<Output = Result<Transcript>> + Send;
}
