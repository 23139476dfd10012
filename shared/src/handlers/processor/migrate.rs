//! A group that became a supergroup. Telegram gives it a new chat id; its conversation,
//! persona and settings move there. The job is queued with the new chat's messages, so
//! the move is done before any of them is answered.

use super::{ProcessorState, ProcessorStore};
use crate::domain::ChatMigration;
use crate::error::Result;

pub(super) async fn run<S: ProcessorStore, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    job: &ChatMigration,
) -> Result<()> {
    tracing::info!(from = %job.from, to = %job.to, update_id = %job.update_id, "moving a group to its supergroup");
    state.store.migrate_chat(job.from, job.to).await
}
