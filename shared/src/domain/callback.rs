//! What an inline button carries back (`callback_data`, at most 64 bytes). Parsed and
//! encoded here only, so no handler builds or compares these strings itself.

use super::shelf::{FiledId, Which};
use super::{Lang, ModelName, PersonaKind, UserId};

const PERSONA: &str = "persona:";
const SETTINGS_PERSONA: &str = "settings:persona:";
const VOICE: &str = "settings:voice:";
const TRANSCRIPT: &str = "settings:transcript:";
const MODEL: &str = "settings:model:";
const FORGET: &str = "forget:yes:";
const KEEP: &str = "forget:no:";
const SHELF: &str = "conv:";
const LANGUAGE: &str = "lang:";
/// The `/language` menu's "follow the Telegram app" button.
const AUTO: &str = "auto";

/// Telegram refuses a button whose data is longer.
pub const MAX_LEN: usize = 64;

/// An inline button's meaning, read back when the user presses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallbackData {
    /// Who the bot is to this chat, picked from the `/persona` menu.
    Persona(PersonaKind),
    /// The same, picked from the `/settings` menu, which redraws after the press.
    SettingsPersona(PersonaKind),
    /// Voice replies on or off.
    VoiceReplies(bool),
    /// Transcripts of voice notes shown or not.
    ShowTranscript(bool),
    /// A model by name; whether it is allowed is the webhook's call.
    Model(ModelName),
    /// `/forget` confirmed: only `user` may press it, and only soon after `asked_at`.
    Forget {
        /// Who sent `/forget`: a press by anyone else deletes nothing.
        user: UserId,
        /// When they sent it (Telegram's date, Unix seconds): an old button has expired.
        asked_at: i64,
    },
    /// `/forget` called off by `user`: nothing is deleted.
    KeepData(UserId),
    /// A button under `/history`.
    Shelf(ShelfPress),
    /// A language from the `/language` menu; `None` follows the Telegram app's.
    Language(Option<Lang>),
}

/// What a button under `/history` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShelfPress {
    /// Continue a filed conversation: it becomes the current one, which is filed.
    Open(FiledId),
    /// How to rename the n-th line (from 1): answered with a hint, nothing changes.
    Rename(usize),
    /// Asks to delete one: the list is redrawn with a confirmation.
    Delete(Which),
    /// The confirmation: deletes it.
    ConfirmDelete(Which),
    /// Not after all: the list is redrawn as it was.
    Keep,
}

impl ShelfPress {
    fn parse(data: &str) -> Option<Self> {
        let (action, rest) = data.split_once(':').unwrap_or((data, ""));
        match action {
            "o" => FiledId::parse(rest).map(Self::Open),
            "r" => rest.parse().ok().filter(|n| *n >= 1).map(Self::Rename),
            "d" => Which::parse(rest).map(Self::Delete),
            "x" => Which::parse(rest).map(Self::ConfirmDelete),
            "k" if rest.is_empty() => Some(Self::Keep),
            _ => None,
        }
    }

    fn encode(self) -> String {
        match self {
            Self::Open(id) => format!("o:{}", id.encode()),
            Self::Rename(n) => format!("r:{n}"),
            Self::Delete(which) => format!("d:{}", which.encode()),
            Self::ConfirmDelete(which) => format!("x:{}", which.encode()),
            Self::Keep => "k".to_owned(),
        }
    }
}

impl CallbackData {
    /// `None` for data this bot never wrote (an old keyboard, another bot's, garbage).
    pub fn parse(data: &str) -> Option<Self> {
        if let Some(key) = data.strip_prefix(SETTINGS_PERSONA) {
            return PersonaKind::from_key(key).map(Self::SettingsPersona);
        }
        if let Some(key) = data.strip_prefix(PERSONA) {
            return PersonaKind::from_key(key).map(Self::Persona);
        }
        if let Some(value) = data.strip_prefix(VOICE) {
            return on_off(value).map(Self::VoiceReplies);
        }
        if let Some(code) = data.strip_prefix(LANGUAGE) {
            return match code {
                AUTO => Some(Self::Language(None)),
                code => Lang::ALL
                    .into_iter()
                    .find(|l| l.code() == code)
                    .map(|l| Self::Language(Some(l))),
            };
        }
        if let Some(value) = data.strip_prefix(TRANSCRIPT) {
            return on_off(value).map(Self::ShowTranscript);
        }
        if let Some(rest) = data.strip_prefix(FORGET) {
            let (user, at) = rest.split_once(':')?;
            return Some(Self::Forget {
                user: UserId::new(user.parse().ok()?),
                asked_at: at.parse().ok()?,
            });
        }
        if let Some(user) = data.strip_prefix(KEEP) {
            return user.parse().ok().map(|id| Self::KeepData(UserId::new(id)));
        }
        if let Some(press) = data.strip_prefix(SHELF) {
            return ShelfPress::parse(press).map(Self::Shelf);
        }
        data.strip_prefix(MODEL)
            .and_then(|m| ModelName::parse(m).ok())
            .map(Self::Model)
    }

    /// Whether the button is on the `/settings` menu: the menu is redrawn after the press
    /// so it shows the new state. (Before 2026-12 the menu's persona buttons were written
    /// as the `/persona` menu's; such an old menu is not redrawn on a persona press.)
    pub fn from_settings_menu(&self) -> bool {
        !matches!(
            self,
            Self::Persona(_)
                | Self::Forget { .. }
                | Self::KeepData(_)
                | Self::Shelf(_)
                | Self::Language(_)
        )
    }

    /// The `callback_data` string for a button; [`Self::parse`] reads it back as the same value.
    pub fn encode(&self) -> String {
        let onoff = |on: bool| if on { "on" } else { "off" };
        match self {
            Self::Persona(kind) => format!("{PERSONA}{}", kind.key()),
            Self::SettingsPersona(kind) => format!("{SETTINGS_PERSONA}{}", kind.key()),
            Self::VoiceReplies(on) => format!("{VOICE}{}", onoff(*on)),
            Self::ShowTranscript(on) => format!("{TRANSCRIPT}{}", onoff(*on)),
            Self::Model(name) => format!("{MODEL}{name}"),
            Self::Forget { user, asked_at } => format!("{FORGET}{user}:{asked_at}"),
            Self::KeepData(user) => format!("{KEEP}{user}"),
            Self::Shelf(press) => format!("{SHELF}{}", press.encode()),
            Self::Language(lang) => format!("{LANGUAGE}{}", lang.map_or(AUTO, Lang::code)),
        }
    }
}

fn on_off(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "on" | "yes" | "true" => Some(true),
        "off" | "no" | "false" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(name: &str) -> ModelName {
        ModelName::parse(name).expect("a model name")
    }

    #[test]
    fn every_button_reads_back_as_itself_and_fits() {
        let mut all: Vec<CallbackData> = PersonaKind::ALL
            .into_iter()
            .flat_map(|k| [CallbackData::Persona(k), CallbackData::SettingsPersona(k)])
            .collect();
        for on in [true, false] {
            all.push(CallbackData::VoiceReplies(on));
            all.push(CallbackData::ShowTranscript(on));
        }
        // ALLOWED_MODELS refuses names over 48 bytes.
        all.push(CallbackData::Model(model(&"m".repeat(48))));
        all.push(CallbackData::Model(model("gpt-4o-mini")));
        // The longest ids and dates there are still fit.
        all.push(CallbackData::Forget {
            user: UserId::new(i64::MIN),
            asked_at: i64::MIN,
        });
        all.push(CallbackData::KeepData(UserId::new(i64::MIN)));
        let widest = FiledId {
            filed_at_ms: 9_999_999_999_999,
            update: crate::domain::UpdateId(u64::MAX),
        };
        for which in [Which::Current, Which::Filed(widest)] {
            all.push(CallbackData::Shelf(ShelfPress::Delete(which)));
            all.push(CallbackData::Shelf(ShelfPress::ConfirmDelete(which)));
        }
        all.push(CallbackData::Shelf(ShelfPress::Open(widest)));
        all.push(CallbackData::Shelf(ShelfPress::Rename(usize::MAX)));
        all.push(CallbackData::Shelf(ShelfPress::Keep));
        all.push(CallbackData::Language(None));
        all.extend(Lang::ALL.map(|l| CallbackData::Language(Some(l))));
        for data in all {
            let encoded = data.encode();
            assert!(encoded.len() <= MAX_LEN, "{encoded}");
            assert_eq!(CallbackData::parse(&encoded), Some(data), "{encoded}");
        }
    }

    #[test]
    fn what_this_bot_never_wrote_is_nothing() {
        for data in [
            "",
            "persona:",
            "persona:dragon",
            "settings:persona:dragon",
            "settings:voice:maybe",
            "settings:model:",
            "settings:",
            "something:else",
            "forget:yes:12",
            "forget:yes:x:1",
            "forget:no:",
            "conv:",
            "conv:o:c",
            "conv:r:0",
            "conv:d:",
            "conv:k:1",
            "lang:",
            "lang:it",
            "lang:DE",
        ] {
            assert_eq!(CallbackData::parse(data), None, "{data}");
        }
        // The wire format of keyboards already on users' screens still reads.
        assert_eq!(
            CallbackData::parse("settings:voice:on"),
            Some(CallbackData::VoiceReplies(true))
        );
        assert_eq!(
            CallbackData::parse("persona:sibling"),
            Some(CallbackData::Persona(PersonaKind::Sibling))
        );
    }

    #[test]
    fn only_the_persona_menu_is_not_the_settings_menu() {
        assert!(!CallbackData::Persona(PersonaKind::Friend).from_settings_menu());
        assert!(!CallbackData::Language(Some(Lang::De)).from_settings_menu());
        for data in [
            CallbackData::SettingsPersona(PersonaKind::Friend),
            CallbackData::VoiceReplies(true),
            CallbackData::ShowTranscript(false),
            CallbackData::Model(model("gpt-4o")),
        ] {
            assert!(data.from_settings_menu(), "{data:?}");
        }
    }
}
