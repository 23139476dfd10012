//! Conversations as things: the current one, the closed ones, the provider-side one.

use super::shelf::Filed;
use super::{FakeStore, R, State};
use crate::domain::shelf::FiledId;
use crate::domain::{ClosedConversation, ConvId, UpdateId};
use crate::ports::ConversationIndex;

impl ConversationIndex for FakeStore {
    async fn server_conversation(&self, conv: ConvId) -> R<Option<String>> {
        Ok(self
            .enter("server_conversation")?
            .server_conversations
            .get(&conv)
            .cloned())
    }

    async fn set_server_conversation(&self, conv: ConvId, id: Option<&str>) -> R<()> {
        let mut state = self.enter("set_server_conversation")?;
        match id {
            Some(id) => {
                state
                    .server_ids
                    .entry(conv)
                    .or_default()
                    .insert(id.to_owned());
                state.server_conversations.insert(conv, id.to_owned())
            }
            None => state.server_conversations.remove(&conv),
        };
        Ok(())
    }

    async fn begin_conversation(&self, conv: ConvId, title: &str, at_ms: i64) -> R<()> {
        // Only the first message names a conversation; a redelivery must not rename it.
        self.enter("begin_conversation")?
            .current
            .entry(conv)
            .or_insert_with(|| (title.to_owned(), at_ms));
        Ok(())
    }

    async fn conversation_list(&self, conv: ConvId, limit: usize) -> R<Vec<ClosedConversation>> {
        let state = self.enter("conversation_list")?;
        Ok(state
            .filed
            .get(&conv)
            .map(|c| {
                c.iter()
                    .rev()
                    .take(limit)
                    .map(|f| ClosedConversation {
                        title: f.title.clone(),
                        started_at_ms: f.started_at_ms,
                        closed_at_ms: f.id.filed_at_ms,
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    async fn start_new_conversation(&self, conv: ConvId, id: UpdateId, at_ms: i64) -> R<()> {
        let mut state = self.enter("start_new_conversation")?;
        if state.resets.contains_key(&id) {
            return Ok(());
        }
        state.resets.insert(id, at_ms);
        file_current(&mut state, conv, id, at_ms);
        Ok(())
    }
}

/// Files the current conversation (a marker: history stops there, as DynamoStore's Query
/// does) under (`at_ms`, `update`), with what was said in it.
pub(super) fn file_current(state: &mut State, conv: ConvId, update: UpdateId, at_ms: i64) {
    let turns = state.turns.remove(&conv).unwrap_or_default();
    let notes = state.notes.remove(&conv);
    state.last_activity.insert(conv, at_ms);
    if let Some((title, started_at_ms)) = state.current.remove(&conv) {
        let server = state.server_conversations.get(&conv).cloned();
        state.filed.entry(conv).or_default().push(Filed {
            id: FiledId {
                filed_at_ms: at_ms,
                update,
            },
            title,
            started_at_ms,
            turns,
            notes,
            server,
        });
    }
}
