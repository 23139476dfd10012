//! `PersonaStore`: a chat's persona choice.

#[allow(clippy::wildcard_imports)]
use super::*;

impl PersonaStore for DynamoStore {
    async fn set_persona(&self, user: UserId, choice: &PersonaChoice) -> Result<()> {
        let json = serde_json::to_string(choice).map_err(Failure::permanent)?;
        self.update_profile(
            user,
            "SET persona = :p, persona_updated_at = :now",
            vec![(":p", value(json)?), (":now", value(now_ms())?)],
        )
        .await
    }

    async fn change_setting(&self, owner: UserId, change: &SettingChange) -> Result<()> {
        let (field, setting) = match change {
            SettingChange::VoiceReplies(on) => ("voice_replies", value(on)?),
            SettingChange::ShowTranscript(on) => ("show_transcript", value(on)?),
            // An empty string is "the default model".
            SettingChange::Model(m) => ("model", value(m.as_deref().unwrap_or_default())?),
        };
        self.update_profile(
            owner,
            &format!("SET {field} = :v, settings_updated_at = :now"),
            vec![(":v", setting), (":now", value(now_ms())?)],
        )
        .await
    }
}
