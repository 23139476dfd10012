//! `/forget` in memory: the user's profile, style, directory entry and private chat go;
//! what was found is kept per confirming update, as DynamoStore does.

use super::{FakeStore, R, State};
use crate::domain::privacy::Erased;
use crate::domain::{ChatId, ConvId, UpdateId, UserId};
use crate::ports::Eraser;

/// Removes the user's private chat and everything under their id from `state`, counting it.
fn erase(state: &mut State, user: UserId) -> Erased {
    let chat = ChatId::new(user.get());
    let private = |conv: &ConvId| conv.chat == chat;
    let mut found = Erased::default();
    state.turns.retain(|conv, turns| {
        if private(conv) {
            found.messages += turns.len() as u64;
        }
        !private(conv)
    });
    state.notes.retain(|conv, _| {
        if private(conv) {
            found.notes += 1;
        }
        !private(conv)
    });
    state.current.retain(|conv, _| {
        if private(conv) {
            found.conversations += 1;
        }
        !private(conv)
    });
    state.filed.retain(|conv, list| {
        if private(conv) {
            found.conversations += list.len() as u64;
        }
        !private(conv)
    });
    let mut records = 0u64;
    let mut count = |gone: bool| records += u64::from(gone);
    count(state.server_conversations.remove(&chat.into()).is_some());
    state.server_ids.remove(&chat.into());
    count(state.stops.remove(&chat).is_some());
    count(state.fragments.remove(&chat).is_some());
    count(state.profiles.remove(&user).is_some());
    count(state.directory.remove(&user.get()));
    state.inactive.remove(&user);
    let cursor = format!("USER#{user}");
    state.cursors.retain(|_, at| *at != cursor);
    found.samples = state.samples.remove(&user).map_or(0, |s| s.len() as u64);
    found.records = records;
    state.exchanges.retain(|x| x.conversation.chat != chat);
    found
}

impl Eraser for FakeStore {
    async fn server_conversations_of(&self, user: UserId) -> R<Vec<String>> {
        let state = self.enter("server_conversations_of")?;
        let chat = ChatId::new(user.get());
        Ok(state
            .server_ids
            .get(&chat.into())
            .into_iter()
            .flatten()
            .cloned()
            .collect())
    }

    async fn erase_user(&self, user: UserId, update: UpdateId) -> R<Erased> {
        let mut state = self.enter("erase_user")?;
        let found = erase(&mut state, user);
        Ok(*state.forget_reports.entry(update).or_insert(found))
    }
}
