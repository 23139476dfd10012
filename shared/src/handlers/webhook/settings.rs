//! `/persona` and `/settings`: their menus and commands.

use super::route::Route;
use crate::domain::{CallbackButton, QuickReply};
use crate::domain::{
    CallbackData, ChatId, Lang, ModelName, Owner, PersonaChoice, PersonaKind, SettingChange,
    Settings, texts,
};

fn persona_menu(chat_id: ChatId, lang: Lang) -> QuickReply {
    QuickReply::Message {
        chat_id,
        text: texts::persona_menu(lang),
        keyboard: persona_keyboard(None, lang),
        topic: None,
    }
}

/// The `/persona` menu's buttons; after a press, `chosen` is ticked as the settings
/// menu ticks it (shown before a press without a tick: knowing it would cost a read).
pub(super) fn persona_keyboard(
    chosen: Option<PersonaKind>,
    lang: Lang,
) -> Vec<Vec<CallbackButton>> {
    let buttons: Vec<CallbackButton> = PersonaKind::ALL
        .iter()
        .map(|k| CallbackButton {
            text: match chosen {
                Some(c) => texts::persona_button(lang, *k, *k == c),
                None => k.label(lang),
            },
            data: CallbackData::Persona(*k).encode(),
        })
        .collect();
    buttons.chunks(2).map(<[CallbackButton]>::to_vec).collect()
}

pub(super) fn route_persona(chat_id: ChatId, owner: Owner, args: &str, lang: Lang) -> Route {
    let (sub, rest) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
    if sub.eq_ignore_ascii_case("custom") {
        return match PersonaChoice::custom(rest, lang) {
            Ok(choice) => Route::SetPersona {
                owner,
                reply: QuickReply::message(chat_id, texts::persona_set(lang, &choice)),
                choice,
            },
            Err(hint) => Route::Answer(QuickReply::message(chat_id, hint)),
        };
    }
    match PersonaKind::from_key(&sub.to_ascii_lowercase()) {
        Some(kind) if kind != PersonaKind::Other && rest.is_empty() => {
            let choice = PersonaChoice::of(kind);
            Route::SetPersona {
                owner,
                reply: QuickReply::message(chat_id, texts::persona_set(lang, &choice)),
                choice,
            }
        }
        _ => Route::Answer(persona_menu(chat_id, lang)),
    }
}

/// The `/settings` keyboard, showing the current state; each button sets a value (rather
/// than toggling), so pressing a stale keyboard twice does no harm.
pub fn settings_menu(
    chat_id: ChatId,
    settings: &Settings,
    persona: Option<&PersonaChoice>,
    models: &[ModelName],
    lang: Lang,
) -> QuickReply {
    let mut keyboard = vec![
        vec![CallbackButton {
            text: texts::voice_replies_button(lang, settings.voice_replies),
            data: CallbackData::VoiceReplies(!settings.voice_replies).encode(),
        }],
        vec![CallbackButton {
            text: texts::transcripts_button(lang, settings.show_transcript),
            data: CallbackData::ShowTranscript(!settings.show_transcript).encode(),
        }],
    ];
    // Who the bot is, one button per kind; "Other" explains `/persona custom`.
    let current = persona.map_or(PersonaKind::Friend, |p| p.kind);
    let personas: Vec<CallbackButton> = PersonaKind::ALL
        .iter()
        .map(|k| CallbackButton {
            text: texts::persona_button(lang, *k, *k == current),
            data: CallbackData::SettingsPersona(*k).encode(),
        })
        .collect();
    keyboard.extend(personas.chunks(3).map(<[CallbackButton]>::to_vec));
    if models.len() > 1 {
        let current = settings.model.as_deref().unwrap_or(models[0].as_str());
        let buttons: Vec<CallbackButton> = models
            .iter()
            .map(|m| CallbackButton {
                text: texts::model_button(m.as_str(), m == current),
                data: CallbackData::Model(m.clone()).encode(),
            })
            .collect();
        keyboard.extend(buttons.chunks(2).map(<[CallbackButton]>::to_vec));
    }
    QuickReply::Message {
        chat_id,
        text: texts::settings_menu(lang),
        keyboard,
        topic: None,
    }
}

/// Whether `settings` already say what `change` would set.
pub(super) fn already(change: &SettingChange, settings: &Settings) -> bool {
    match change {
        SettingChange::VoiceReplies(on) => settings.voice_replies == *on,
        SettingChange::ShowTranscript(on) => settings.show_transcript == *on,
        SettingChange::Model(model) => {
            settings.model.as_deref() == model.as_ref().map(ModelName::as_str)
        }
        // The `/language` menu redraws with the choice ticked: no "already" text.
        SettingChange::Language(_) => false,
    }
}

pub(super) fn parse_on_off(arg: &str) -> Option<bool> {
    match arg.trim().to_ascii_lowercase().as_str() {
        "on" | "yes" | "true" => Some(true),
        "off" | "no" | "false" => Some(false),
        _ => None,
    }
}
