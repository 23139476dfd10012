//! Button presses (`callback_query`).

use super::gate::Refusal;
use super::route::{BotIdentity, Menu, Route};
use crate::adapters::telegram::inbound::{CallbackView, ChatKind};
use crate::domain::QuickReply;
use crate::domain::jobs::Person;
use crate::domain::{
    CallbackData, ChatId, GroupId, Lang, Owner, PersonaChoice, PersonaKind, SettingChange,
    UpdateId, UserId, texts,
};

pub(super) fn route_callback(
    update_id: UpdateId,
    query: &CallbackView,
    bot: &BotIdentity<'_>,
    chosen: Option<Lang>,
) -> Route {
    let user = UserId::new(query.from.id);
    let lang = Lang::resolve(chosen, query.from.language_code.as_deref());
    let answer = |text: Option<&str>, alert: bool| QuickReply::Callback {
        query_id: query.id.clone(),
        text: text.map(str::to_owned),
        alert,
    };
    if let Some(route) = super::forget::route_forget_press(update_id, query) {
        return route;
    }
    // Buttons under a group message change the group's settings, and only admins may.
    // An inaccessible (old) message still says which chat it is in.
    let group_chat = query
        .message
        .as_ref()
        .filter(|m| m.chat.kind() != ChatKind::Private)
        .map(|m| ChatId::new(m.chat.id));
    let owner = group_chat.map_or(Owner::User(user), |c| Owner::Group(GroupId::of(c)));
    let Some(data) = query.data.as_deref().and_then(CallbackData::parse) else {
        // An old keyboard, another bot's, or garbage: stop the button's spinner, nothing more.
        return Route::Answer(answer(None, false));
    };
    if let CallbackData::Language(choice) = data {
        return super::language::route_press(query, choice);
    }
    if let CallbackData::Shelf(press) = data {
        let route = super::shelf::route_press(update_id, query, press, answer(None, false));
        return match (group_chat, &route) {
            // A group's conversations are the group's: only admins open or delete them.
            (Some(chat), Route::Pressed { .. }) => Route::AdminsOnly {
                chat,
                user,
                then: Box::new(route),
                refusal: answer(Some(&texts::group_admins_only(lang)), true),
            },
            _ => route,
        };
    }
    // A press redraws its menu, so its ticks follow the change.
    let menu = match data {
        CallbackData::Persona(kind) => Menu::Persona(kind),
        _ => Menu::Settings(owner),
    };
    let route = match press(data, owner, bot, lang) {
        Press::Change(route) => route,
        Press::Answer(text, alert) => return Route::Answer(answer(text.as_deref(), alert)),
    };
    let route = route.answered(answer, lang);
    let route = match query.message.as_ref() {
        Some(m) => Route::Redraw {
            then: Box::new(route),
            chat: ChatId::new(m.chat.id),
            message_id: m.message_id,
            menu,
            lang,
        },
        None => route,
    };
    let route = match group_chat {
        Some(chat) => Route::AdminsOnly {
            chat,
            user,
            then: Box::new(route),
            refusal: answer(Some(&texts::group_admins_only(lang)), true),
        },
        None => route,
    };
    // Presses skip subscription-check: a refused user's press changes nothing. Checked
    // first, so a refused user's press in a group costs no admin lookup.
    let from = Person {
        id: user,
        first_name: query.from.first_name.clone(),
        username: query.from.username.clone(),
        language_code: query.from.language_code.clone(),
        is_chat: false,
    };
    let lang = Lang::resolve(None, from.language_code.as_deref());
    let chat = group_chat.unwrap_or_else(|| ChatId::new(user.get()));
    Route::MembersOnly {
        from: (from, chat),
        then: Box::new(route),
        refusal: Refusal::Press(query.id.clone(), lang),
    }
}

/// What a button's data asks for.
enum Press {
    /// A change to store; its reply is the toast to answer the press with.
    Change(Change),
    /// Nothing to store: answer the press with this toast (or alert).
    Answer(Option<String>, bool),
}

enum Change {
    Persona {
        owner: Owner,
        choice: PersonaChoice,
    },
    Setting {
        owner: Owner,
        change: SettingChange,
        text: String,
    },
}

impl Change {
    /// The route that stores the change and answers the press with `answer`.
    fn answered(self, answer: impl Fn(Option<&str>, bool) -> QuickReply, lang: Lang) -> Route {
        match self {
            Self::Persona { owner, choice } => Route::SetPersona {
                owner,
                reply: answer(Some(&texts::persona_set(lang, &choice)), false),
                choice,
            },
            Self::Setting {
                owner,
                change,
                text,
            } => Route::ChangeSetting {
                owner,
                change,
                reply: answer(Some(&text), false),
                // A press sets (never toggles) and redraws: no read first.
                unchanged: None,
            },
        }
    }
}

fn press(data: CallbackData, owner: Owner, bot: &BotIdentity<'_>, lang: Lang) -> Press {
    let change = match data {
        CallbackData::Persona(PersonaKind::Other)
        | CallbackData::SettingsPersona(PersonaKind::Other) => {
            return Press::Answer(Some(texts::persona_other_hint(lang)), true);
        }
        CallbackData::Persona(kind) | CallbackData::SettingsPersona(kind) => {
            return Press::Change(Change::Persona {
                owner,
                choice: PersonaChoice::of(kind),
            });
        }
        CallbackData::VoiceReplies(on) => SettingChange::VoiceReplies(on),
        CallbackData::ShowTranscript(on) => SettingChange::ShowTranscript(on),
        CallbackData::Model(name) if bot.allowed_models.contains(&name) => {
            // The first allowed model is the default: store "none" for it.
            let default = bot.allowed_models.first() == Some(&name);
            SettingChange::Model((!default).then_some(name))
        }
        CallbackData::Model(_) => return Press::Answer(Some(texts::model_not_allowed(lang)), true),
        // `forget::route_forget_press` took these already.
        CallbackData::Forget { .. } | CallbackData::KeepData(_) => {
            return Press::Answer(None, false);
        }
        // Routed before this (`shelf::route_press`).
        CallbackData::Shelf(_) => return Press::Answer(None, false),
        // Routed by `language::route_press` before this.
        CallbackData::Language(_) => return Press::Answer(None, false),
    };
    Press::Change(Change::Setting {
        owner,
        text: texts::setting_changed(lang, &change, bot.allowed_models.first()),
        change,
    })
}
