//! `PersonaStore`: a chat's persona choice.

#[allow(clippy::wildcard_imports)]
use super::*;

impl PersonaStore for DynamoStore {
    async fn set_persona(&self, owner: Owner, choice: &PersonaChoice) -> Result<()> {
        let user = UserId::new(owner.key());
        let json = serde_json::to_string(choice).map_err(Failure::permanent)?;
        self.update_profile(
            user,
            "SET persona = :p, persona_updated_at = :now",
            vec![(":p", value(json)?), (":now", value(now_ms())?)],
        )
        .await
    }

    async fn change_setting(&self, owner: Owner, change: &SettingChange) -> Result<()> {
        let owner = UserId::new(owner.key());
        let (field, setting) = match change {
            SettingChange::VoiceReplies(on) => ("voice_replies", value(on)?),
            SettingChange::ShowTranscript(on) => ("show_transcript", value(on)?),
            // An empty string is "the default model".
            SettingChange::Model(m) => ("model", value(m.as_ref().map_or("", |m| m.as_str()))?),
            // An empty string is "follow the Telegram app".
            SettingChange::Language(l) => ("lang", value(l.map_or("", Lang::code))?),
        };
        self.update_profile(
            owner,
            &format!("SET {field} = :v, settings_updated_at = :now"),
            vec![(":v", setting), (":now", value(now_ms())?)],
        )
        .await
    }
}
