//! Profiles, personas and settings, style samples, the user directory and credits.

use super::{FakeStore, R, Sample};
use crate::domain::{
    Owner, PersonaChoice, SettingChange, StyleProfile, UpdateId, UserId, UserProfile,
};
use crate::ports::{CreditStore, PersonaStore, ProfileStore, StyleStore, UserDirectory};

impl ProfileStore for FakeStore {
    async fn profile(&self, owner: Owner) -> R<UserProfile> {
        Ok(self
            .enter("profile")?
            .profiles
            .get(&UserId::new(owner.key()))
            .cloned()
            .unwrap_or_default())
    }

    async fn language(&self, user: UserId) -> R<Option<crate::domain::Lang>> {
        let state = self.enter("language")?;
        Ok(state.profiles.get(&user).and_then(|p| p.lang))
    }

    async fn mark_inactive(&self, user: UserId) -> R<()> {
        self.enter("mark_inactive")?.inactive.insert(user);
        Ok(())
    }
}

impl StyleStore for FakeStore {
    async fn save_style_profile(&self, user: UserId, style: &StyleProfile, _: i64) -> R<()> {
        let mut state = self.enter("save_style_profile")?;
        let profile = state.profiles.entry(user).or_default();
        profile.style = Some(style.clone());
        profile.style_built_at_count = profile.message_count;
        Ok(())
    }

    async fn recent_user_messages(&self, user: UserId, limit: usize) -> R<Vec<String>> {
        let state = self.enter("recent_user_messages")?;
        Ok(state
            .samples
            .get(&user)
            .map(|s| s.iter().rev().take(limit).map(|s| s.text.clone()).collect())
            .unwrap_or_default())
    }

    async fn set_style_enabled(&self, user: UserId, enabled: bool) -> R<()> {
        let mut state = self.enter("set_style_enabled")?;
        state.profiles.entry(user).or_default().style_enabled = enabled;
        Ok(())
    }

    async fn open_sample_window(&self, user: UserId, until_ms: i64) -> R<()> {
        let mut state = self.enter("open_sample_window")?;
        state
            .profiles
            .entry(user)
            .or_default()
            .sample_window_until_ms = until_ms;
        Ok(())
    }

    async fn add_style_sample(&self, user: UserId, update: UpdateId, text: &str, _: i64) -> R<()> {
        let mut state = self.enter("add_style_sample")?;
        let samples = state.samples.entry(user).or_default();
        if !samples.iter().any(|s| s.update == update) {
            samples.push(Sample {
                update,
                text: text.to_owned(),
            });
        }
        Ok(())
    }
}

impl UserDirectory for FakeStore {
    async fn job_cursor(&self, job: &str) -> R<Option<String>> {
        Ok(self.enter("job_cursor")?.cursors.get(job).cloned())
    }

    async fn save_job_cursor(&self, job: &str, cursor: Option<&str>) -> R<()> {
        let mut state = self.enter("save_job_cursor")?;
        match cursor {
            Some(c) => state.cursors.insert(job.to_owned(), c.to_owned()),
            None => state.cursors.remove(job),
        };
        Ok(())
    }

    async fn list_users(
        &self,
        cursor: Option<String>,
        page_size: usize,
    ) -> R<(Vec<UserId>, Option<String>)> {
        let state = self.enter("list_users")?;
        // The cursor is the last id of the previous page, as opaque as DynamoDB's.
        let after = cursor.and_then(|c| c.parse::<i64>().ok());
        let mut rest = state
            .directory
            .iter()
            .filter(|id| after.is_none_or(|a| **id > a));
        let page: Vec<UserId> = rest
            .by_ref()
            .take(page_size)
            .map(|id| UserId::new(*id))
            .collect();
        let next = match (rest.next(), page.last()) {
            (Some(_), Some(last)) => Some(last.get().to_string()),
            _ => None,
        };
        Ok((page, next))
    }
}

impl PersonaStore for FakeStore {
    async fn set_persona(&self, owner: Owner, choice: &PersonaChoice) -> R<()> {
        let mut state = self.enter("set_persona")?;
        state
            .profiles
            .entry(UserId::new(owner.key()))
            .or_default()
            .persona = Some(choice.clone());
        Ok(())
    }

    async fn change_setting(&self, owner: Owner, change: &SettingChange) -> R<()> {
        let mut state = self.enter("change_setting")?;
        let profile = state.profiles.entry(UserId::new(owner.key())).or_default();
        let settings = &mut profile.settings;
        match change {
            SettingChange::Language(lang) => profile.lang = *lang,
            SettingChange::VoiceReplies(on) => settings.voice_replies = *on,
            SettingChange::ShowTranscript(on) => settings.show_transcript = *on,
            SettingChange::Model(model) => {
                settings.model = model.as_ref().map(|m| m.as_str().to_owned());
            }
        }
        Ok(())
    }
}

impl CreditStore for FakeStore {
    async fn grant_credits(&self, user: UserId, delta: i64, _: UserId, update: UpdateId) -> R<i64> {
        let mut state = self.enter("grant_credits")?;
        if let Some(balance) = state.grants.get(&update) {
            return Ok(*balance);
        }
        let profile = state.profiles.entry(user).or_default();
        profile.credits += delta;
        let balance = profile.credits;
        state.grants.insert(update, balance);
        Ok(balance)
    }
}
