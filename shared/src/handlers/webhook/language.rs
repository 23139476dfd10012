//! `/language`: the menu of interface languages, a code given with the command, and a
//! press on the menu. The choice is the user's own, in a group too, so no admin check.
//!
//! The webhook reads the stored choice only for an update it answers with words of its
//! own (`Route::speaks`): one projected GetItem, on quick commands and presses only.

use super::WebhookState;
use super::act::{Outcome, act};
use super::deadline::Deadline;
use super::route::Route;
use crate::adapters::telegram::inbound::{CallbackView, Content, Update};
use crate::domain::jobs::IncomingMessage;
use crate::domain::{
    CallbackButton, CallbackData, ChatId, Lang, Owner, QuickReply, SettingChange, UserId, texts,
};
use crate::ports::{Cache, GenerationLog, PersonaStore, Queue, Telegram, UpdateLog, UserStore};

/// The menu's rows: every language by its own name, then "automatic"; the one in use ticked.
fn keyboard(lang: Lang, chosen: Option<Lang>) -> Vec<Vec<CallbackButton>> {
    let button = |text: String, choice: Option<Lang>| CallbackButton {
        text: if choice == chosen {
            format!("✓ {text}")
        } else {
            text
        },
        data: CallbackData::Language(choice).encode(),
    };
    let languages: Vec<CallbackButton> = Lang::ALL
        .into_iter()
        .map(|l| button(l.native_name(), Some(l)))
        .collect();
    let mut rows: Vec<Vec<CallbackButton>> = languages.chunks(2).map(<[_]>::to_vec).collect();
    rows.push(vec![button(texts::language_auto(lang), None)]);
    rows
}

/// `/language`: the menu, or the choice a code names (`de`, `pt-BR`, `auto`).
pub(super) fn route_language(job: &IncomingMessage, args: &str) -> Route {
    let chat = job.chat_id;
    let lang = job.lang();
    let arg = args.split_whitespace().next().unwrap_or_default();
    let choice = match arg {
        "" => {
            return Route::Answer(QuickReply::Message {
                chat_id: chat,
                text: texts::language_menu(lang, job.chosen_lang),
                keyboard: keyboard(lang, job.chosen_lang),
                topic: None,
            });
        }
        a if a.eq_ignore_ascii_case("auto") => None,
        a => match Lang::from_tag(a) {
            Some(l) => Some(l),
            None => {
                return Route::Answer(QuickReply::message(chat, texts::language_unknown(lang, a)));
            }
        },
    };
    let now = Lang::resolve(choice, job.from.language_code.as_deref());
    Route::ChangeSetting {
        owner: Owner::User(job.from.id),
        change: SettingChange::Language(choice),
        reply: QuickReply::message(chat, texts::language_set(now, choice)),
        unchanged: None,
    }
}

/// A press on the menu: store the choice, answer in the language now in use, and redraw
/// the menu in it.
pub(super) fn route_press(query: &CallbackView, choice: Option<Lang>) -> Route {
    let now = Lang::resolve(choice, query.from.language_code.as_deref());
    let then = Route::ChangeSetting {
        owner: Owner::User(UserId::new(query.from.id)),
        change: SettingChange::Language(choice),
        reply: QuickReply::Callback {
            query_id: query.id.clone(),
            text: Some(texts::language_set(now, choice)),
            alert: false,
        },
        unchanged: None,
    };
    match &query.message {
        Some(m) => Route::Redrawn {
            then: Box::new(then),
            redraw: QuickReply::EditMessage {
                chat_id: ChatId::new(m.chat.id),
                message_id: m.message_id,
                text: texts::language_menu(now, choice),
                keyboard: keyboard(now, choice),
            },
        },
        None => then,
    }
}

/// Who sent `update`, whose choice its words follow.
fn sender(update: &Update) -> Option<UserId> {
    match &update.content {
        Content::Message(m) => m.sender().map(|p| p.id),
        Content::CallbackQuery(q) => Some(UserId::new(q.from.id)),
        _ => None,
    }
}

/// The sender's stored choice. Unreadable, the words follow their Telegram app: a quick
/// reply in another language beats none, and the update is not worth a retry for it.
pub(super) async fn chosen<L: UserStore, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    update: &Update,
) -> Option<Lang> {
    let user = sender(update)?;
    match state.log.language(user).await {
        Ok(chosen) => chosen,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the language choice; using the app's");
            None
        }
    }
}

/// Does `then` (which answers the press), then answers the press directly so the
/// response can carry `redraw`. If the direct answer fails, the plain answer goes
/// instead: the change is stored.
pub(super) async fn redrawn<L, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    then: Route,
    redraw: QuickReply,
    deadline: Deadline,
) -> Outcome
where
    L: UpdateLog + PersonaStore + GenerationLog + UserStore + Cache,
    Q: Queue,
    T: Telegram,
{
    let done = Box::pin(act(state, then, deadline)).await;
    match &done.body {
        Some(answer) if super::admin::answer_directly(state, answer, deadline).await => {
            Outcome::reply(&redraw)
        }
        _ => done,
    }
}
