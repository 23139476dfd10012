//! The routes that call the Bot API before answering: the group admin check, and the
//! settings menu redrawn after a press.

use http::StatusCode;

use super::WebhookState;
use super::act::{Outcome, act};
use super::deadline::Deadline;
use super::route::{Menu, Route};
use super::settings::{persona_keyboard, settings_menu};
use crate::domain::QuickReply;
use crate::domain::{ChatId, Lang, MemberStatus, UserId};
use crate::ports::{
    Cache, GenerationLog, PersonaStore, Queue, Telegram, TelegramError, UpdateLog, UserStore,
};

/// Does `then` if Telegram says `user` is an admin of `chat`, else answers `refusal`.
pub(super) async fn admins_only<L, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    chat: ChatId,
    user: UserId,
    then: Route,
    refusal: QuickReply,
    deadline: Deadline,
) -> Outcome
where
    L: UpdateLog + PersonaStore + GenerationLog + UserStore + Cache,
    Q: Queue,
    T: Telegram,
{
    let status = deadline
        .bound(
            "getChatMember",
            state
                .telegram
                .get_chat_member(&chat.get().to_string(), user),
        )
        .await;
    match status {
        Ok(MemberStatus::Creator | MemberStatus::Administrator) => {
            Box::pin(act(state, then, deadline)).await
        }
        Ok(_) => Outcome::reply(&refusal),
        // Telegram will not say (the bot left the group, say): refuse rather than have
        // the update redelivered for a day.
        Err(e @ (TelegramError::Rejected { .. } | TelegramError::Forbidden(_))) => {
            tracing::warn!(error = %e, "group admin status unavailable; refusing the change");
            Outcome::reply(&refusal)
        }
        Err(e) => Outcome::retry("could not check group admin status", &e),
    }
}

/// Does `then` (which answers a press on a menu), then redraws the menu so it shows the
/// new state.
pub(super) async fn redraw<L, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    then: Route,
    (chat, message_id): (ChatId, i64),
    (menu, lang): (Menu, Lang),
    deadline: Deadline,
) -> Outcome
where
    L: UpdateLog + PersonaStore + GenerationLog + UserStore + Cache,
    Q: Queue,
    T: Telegram,
{
    let answer = match &then {
        Route::SetPersona { reply, .. } | Route::ChangeSetting { reply, .. } => reply.clone(),
        _ => return Box::pin(act(state, then, deadline)).await,
    };
    let done = Box::pin(act(state, then, deadline)).await;
    if done.status != StatusCode::OK
        || done.body.is_none()
        || !answer_directly(state, &answer, deadline).await
    {
        return done;
    }
    let owner = match menu {
        Menu::Settings(owner) => owner,
        // The persona just stored is all this menu shows: nothing to read back.
        Menu::Persona(kind) => {
            return Outcome::reply(&QuickReply::EditKeyboard {
                chat_id: chat,
                message_id,
                keyboard: persona_keyboard(Some(kind), lang),
            });
        }
    };
    match state.log.profile(owner).await {
        Ok(profile) => {
            let QuickReply::Message { keyboard, .. } = settings_menu(
                chat,
                &profile.settings,
                profile.persona.as_ref(),
                &state.allowed_models,
                lang,
            ) else {
                return done;
            };
            Outcome::reply(&QuickReply::EditKeyboard {
                chat_id: chat,
                message_id,
                keyboard,
            })
        }
        Err(e) => {
            // Already answered: an empty 200 is all that is left to send.
            tracing::warn!(error = %e, "could not read the settings to redraw them");
            Outcome::done()
        }
    }
}

/// Answers a press with its own `answerCallbackQuery` call, so the webhook's response is
/// free to carry the menu's redraw (a response carries one method). `false` when `answer`
/// answers no press, or the call failed or ran out of time: the caller then sends the
/// plain answer, and the change is stored either way.
pub(super) async fn answer_directly<L, Q, H, T: Telegram>(
    state: &WebhookState<L, Q, H, T>,
    answer: &QuickReply,
    deadline: Deadline,
) -> bool {
    let QuickReply::Callback {
        query_id,
        text,
        alert,
    } = answer
    else {
        return false;
    };
    let answered = deadline
        .bound(
            "answerCallbackQuery",
            state
                .telegram
                .answer_callback(query_id, text.as_deref(), *alert),
        )
        .await;
    if let Err(e) = &answered {
        tracing::warn!(error = %e, "could not answer the press directly; not redrawing");
    }
    answered.is_ok()
}
