//! The current and filed conversations, as DynamoStore keeps them.

use super::conversations::file_current;
use super::{FakeStore, R};
use crate::domain::shelf::{Entry, FiledId, Listed, Transcript, Which};
use crate::domain::{ConvId, StoredTurn, UpdateId};
use crate::ports::{ConversationShelf, Deleted};

/// A filed conversation and everything said in it.
#[derive(Clone, Debug)]
pub(super) struct Filed {
    pub id: FiledId,
    pub title: String,
    pub started_at_ms: i64,
    /// Oldest first.
    pub turns: Vec<StoredTurn>,
    /// The newest notes: the key of the last turn they cover, and their text.
    pub notes: Option<(String, String)>,
    /// Its provider-side conversation.
    pub server: Option<String>,
}

impl ConversationShelf for FakeStore {
    async fn shelf(&self, conv: ConvId, limit: usize) -> R<Vec<Listed>> {
        let state = self.enter("shelf")?;
        let current = state.current.get(&conv).map(|(title, started)| Listed {
            which: Which::Current,
            title: title.clone(),
            started_at_ms: *started,
        });
        let filed = state.filed.get(&conv).into_iter().flatten().rev();
        Ok(current
            .into_iter()
            .chain(filed.map(|f| Listed {
                which: Which::Filed(f.id),
                title: f.title.clone(),
                started_at_ms: f.started_at_ms,
            }))
            .take(limit)
            .collect())
    }

    async fn reopen(&self, conv: ConvId, id: FiledId, update: UpdateId, at_ms: i64) -> R<bool> {
        let mut state = self.enter("reopen")?;
        if state.resets.contains_key(&update) {
            return Ok(true);
        }
        let filed = state.filed.entry(conv).or_default();
        let Some(at) = filed.iter().position(|f| f.id == id) else {
            return Ok(false);
        };
        let opened = filed.remove(at);
        state.resets.insert(update, at_ms);
        file_current(&mut state, conv, update, at_ms);
        state
            .current
            .insert(conv, (opened.title, opened.started_at_ms));
        state.turns.insert(conv, opened.turns);
        if let Some(notes) = opened.notes {
            state.notes.insert(conv, notes);
        }
        match opened.server {
            Some(server) => state.server_conversations.insert(conv, server),
            None => state.server_conversations.remove(&conv),
        };
        Ok(true)
    }

    async fn rename(&self, conv: ConvId, which: Which, title: &str) -> R<bool> {
        let mut state = self.enter("rename")?;
        let slot = match which {
            Which::Current => state.current.get_mut(&conv).map(|c| &mut c.0),
            Which::Filed(id) => state
                .filed
                .get_mut(&conv)
                .and_then(|f| f.iter_mut().find(|f| f.id == id))
                .map(|f| &mut f.title),
        };
        Ok(slot.map(|t| *t = title.to_owned()).is_some())
    }

    async fn delete(&self, conv: ConvId, which: Which) -> R<Deleted> {
        let mut state = self.enter("delete")?;
        match which {
            Which::Current => {
                if state.current.remove(&conv).is_none() {
                    return Ok(Deleted::Gone);
                }
                state.turns.remove(&conv);
                state.notes.remove(&conv);
                Ok(Deleted::Done {
                    server_conversation: state.server_conversations.remove(&conv),
                })
            }
            Which::Filed(id) => {
                let filed = state.filed.entry(conv).or_default();
                match filed.iter().position(|f| f.id == id) {
                    Some(at) => Ok(Deleted::Done {
                        server_conversation: filed.remove(at).server,
                    }),
                    None => Ok(Deleted::Gone),
                }
            }
        }
    }

    async fn transcript(&self, conv: ConvId, which: Which, max_turns: usize) -> R<Transcript> {
        let state = self.enter("transcript")?;
        let (title, started, turns, notes) = match which {
            Which::Current => {
                let listing = state.current.get(&conv);
                (
                    listing.map(|c| c.0.clone()),
                    listing.map(|c| c.1),
                    state.turns.get(&conv).cloned().unwrap_or_default(),
                    state.notes.get(&conv).cloned(),
                )
            }
            Which::Filed(id) => match state
                .filed
                .get(&conv)
                .and_then(|f| f.iter().find(|f| f.id == id))
            {
                Some(f) => (
                    Some(f.title.clone()),
                    Some(f.started_at_ms),
                    f.turns.clone(),
                    f.notes.clone(),
                ),
                None => return Ok(Transcript::default()),
            },
        };
        let cut = turns.len() > max_turns;
        let mut entries = Vec::new();
        for turn in &turns[turns.len().saturating_sub(max_turns)..] {
            entries.push(Entry::Turn(turn.turn.clone()));
            // The notes sort right after the last turn they cover.
            if let Some((through, text)) = &notes
                && *through == turn.key
                && turn.turn.role == crate::domain::Role::Assistant
            {
                entries.push(Entry::Notes(text.clone()));
            }
        }
        Ok(Transcript {
            title,
            started_at_ms: started,
            entries,
            cut,
        })
    }
}
