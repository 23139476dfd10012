//! Button presses (`callback_query`).

use frankenstein::types::{CallbackQuery, ChatType};

use super::quick_reply::QuickReply;
use super::route::{BotIdentity, Route};
use super::settings::{PERSONA_DATA, SETTINGS_DATA, parse_on_off};
use crate::domain::{ChatId, PersonaChoice, PersonaKind, SettingChange, UserId, texts};

pub(super) fn route_callback(query: &CallbackQuery, bot: &BotIdentity<'_>) -> Route {
    let user = UserId(query.from.id as i64);
    let answer = |text: Option<&str>, alert: bool| QuickReply::Callback {
        query_id: query.id.clone(),
        text: text.map(str::to_owned),
        alert,
    };
    // Buttons under a group message change the group's settings, and only admins may.
    let group_chat = query.message.as_ref().and_then(|m| match m {
        frankenstein::types::MaybeInaccessibleMessage::Message(m)
            if m.chat.type_field != ChatType::Private =>
        {
            Some(ChatId(m.chat.id))
        }
        frankenstein::types::MaybeInaccessibleMessage::InaccessibleMessage(m)
            if m.chat.type_field != ChatType::Private =>
        {
            Some(ChatId(m.chat.id))
        }
        _ => None,
    });
    let owner = group_chat.map_or(user, |c| UserId(c.0));
    let data = query.data.as_deref().unwrap_or_default();
    let route = if let Some(key) = data.strip_prefix(PERSONA_DATA) {
        match PersonaKind::from_key(key) {
            Some(PersonaKind::Other) => {
                return Route::Answer(answer(Some(texts::PERSONA_OTHER_HINT), true));
            }
            Some(kind) => {
                let choice = PersonaChoice::of(kind);
                Route::SetPersona {
                    user: owner,
                    reply: answer(Some(&texts::persona_set(&choice)), false),
                    choice,
                }
            }
            None => return Route::Answer(answer(None, false)),
        }
    } else if let Some(setting) = data.strip_prefix(SETTINGS_DATA) {
        let (name, value) = setting.split_once(':').unwrap_or((setting, ""));
        let change = match (name, parse_on_off(value)) {
            ("voice", Some(on)) => SettingChange::VoiceReplies(on),
            ("transcript", Some(on)) => SettingChange::ShowTranscript(on),
            ("model", _) if bot.allowed_models.iter().any(|m| m == value) => {
                // The first allowed model is the default: store "none" for it.
                SettingChange::Model(
                    (bot.allowed_models.first().map(String::as_str) != Some(value))
                        .then(|| value.to_owned()),
                )
            }
            ("model", _) => return Route::Answer(answer(Some(texts::MODEL_NOT_ALLOWED), true)),
            _ => return Route::Answer(answer(None, false)),
        };
        let text = texts::setting_changed(&change, bot.allowed_models.first());
        Route::ChangeSetting {
            owner,
            change,
            reply: answer(Some(&text), false),
        }
    } else {
        return Route::Answer(answer(None, false));
    };
    // A press on the settings menu redraws it, so its ticks follow the change.
    let route = match query.message.as_ref() {
        Some(frankenstein::types::MaybeInaccessibleMessage::Message(m))
            if m.text.as_deref() == Some(texts::SETTINGS_MENU) =>
        {
            Route::Redraw {
                then: Box::new(route),
                chat: ChatId(m.chat.id),
                message_id: i64::from(m.message_id),
                owner,
            }
        }
        _ => route,
    };
    match group_chat {
        Some(chat) => Route::AdminsOnly {
            chat,
            user,
            then: Box::new(route),
            refusal: answer(Some(texts::GROUP_ADMINS_ONLY), true),
        },
        None => route,
    }
}
