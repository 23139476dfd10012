//! Carries out a route: the only part of the webhook that does I/O besides `handle`.

use http::StatusCode;

use super::WebhookState;
use super::quick_reply::QuickReply;
use super::route::Route;
use super::settings::settings_menu;
use crate::domain::jobs::InboundJob;
use crate::domain::{MemberStatus, texts};
use crate::error::Failure;
use crate::ports::{
    Claim, Envelope, GenerationLog, PersonaStore, Queue, Telegram, TelegramError, UpdateLog,
    UserStore,
};

/// Carries out a route: (status, body with a method for Telegram to run, why it was dropped).
pub(super) async fn act<L, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    route: Route,
) -> (StatusCode, Option<serde_json::Value>, Option<String>)
where
    L: UpdateLog + PersonaStore + GenerationLog + UserStore,
    Q: Queue,
    T: Telegram,
{
    let failed = |what: &str, e: &Failure| {
        // Telegram retries a 5xx, which is right: nothing was done.
        tracing::error!(error = %e, "{what}; Telegram will retry");
        (StatusCode::INTERNAL_SERVER_ERROR, None, None)
    };
    match route {
        Route::Ignore(reason) => (StatusCode::OK, None, Some(reason)),
        // No dedup here: Telegram only retries when it did not get this response, and then
        // it never ran the method, so answering again is right.
        Route::Answer(reply) => (StatusCode::OK, Some(reply.to_body()), None),
        Route::SetPersona {
            user,
            choice,
            reply,
        } => match state.log.set_persona(user, &choice).await {
            Ok(()) => (StatusCode::OK, Some(reply.to_body()), None),
            Err(e) => failed("could not store the persona", &e),
        },
        Route::ChangeSetting {
            owner,
            change,
            reply,
        } => match state.log.change_setting(owner, &change).await {
            Ok(()) => (StatusCode::OK, Some(reply.to_body()), None),
            Err(e) => failed("could not store the setting", &e),
        },
        Route::ShowSettings { chat, owner } => match state.log.profile(owner).await {
            Ok(profile) => {
                let menu = settings_menu(
                    chat,
                    &profile.settings,
                    profile.persona.as_ref(),
                    &state.allowed_models,
                );
                (StatusCode::OK, Some(menu.to_body()), None)
            }
            Err(e) => failed("could not read the settings", &e),
        },
        Route::Cancel {
            chat,
            draft_id,
            say,
        } => match state.log.cancel_generation(chat, draft_id).await {
            Ok(stopping) => {
                tracing::info!(%chat, stopping, "stop requested");
                let text = if stopping {
                    texts::CANCELLING
                } else {
                    texts::NOTHING_TO_CANCEL
                };
                let body = say.then(|| QuickReply::message(chat, text).to_body());
                (StatusCode::OK, body, None)
            }
            Err(e) => failed("could not record the stop request", &e),
        },
        Route::AdminsOnly {
            chat,
            user,
            then,
            refusal,
        } => match state
            .telegram
            .get_chat_member(&chat.0.to_string(), user)
            .await
        {
            Ok(MemberStatus::Creator | MemberStatus::Administrator) => {
                Box::pin(act(state, *then)).await
            }
            Ok(_) => (StatusCode::OK, Some(refusal.to_body()), None),
            // Telegram will not say (the bot left the group, say): refuse rather than have
            // the update redelivered for a day.
            Err(e @ (TelegramError::Rejected { .. } | TelegramError::Forbidden(_))) => {
                tracing::warn!(error = %e, "group admin status unavailable; refusing the change");
                (StatusCode::OK, Some(refusal.to_body()), None)
            }
            Err(e) => {
                tracing::error!(error = %e, "could not check group admin status; Telegram will retry");
                (StatusCode::INTERNAL_SERVER_ERROR, None, None)
            }
        },
        Route::Redraw {
            then,
            chat,
            message_id,
            owner,
        } => {
            let done = Box::pin(act(state, *then)).await;
            let (StatusCode::OK, Some(answer), _) = &done else {
                return done;
            };
            // The response can carry one method: answer the press directly, and let the
            // response redraw the menu. If either read fails, the plain answer still goes.
            let answered = state
                .telegram
                .answer_callback(
                    answer["callback_query_id"].as_str().unwrap_or_default(),
                    answer["text"].as_str(),
                    answer["show_alert"] == true,
                )
                .await;
            let profile = match answered {
                Ok(()) => state.log.profile(owner).await,
                Err(e) => {
                    tracing::warn!(error = %e, "could not answer the press directly; not redrawing");
                    return done;
                }
            };
            match profile {
                Ok(profile) => {
                    let QuickReply::Message { keyboard, .. } = settings_menu(
                        chat,
                        &profile.settings,
                        profile.persona.as_ref(),
                        &state.allowed_models,
                    ) else {
                        return done;
                    };
                    let redraw = QuickReply::EditKeyboard {
                        chat_id: chat,
                        message_id,
                        keyboard,
                    };
                    (StatusCode::OK, Some(redraw.to_body()), None)
                }
                Err(e) => {
                    // Already answered: an empty 200 is all that is left to send.
                    tracing::warn!(error = %e, "could not read the settings to redraw them");
                    (StatusCode::OK, None, None)
                }
            }
        }
        Route::Enqueue(job) => match enqueue(state, &job).await {
            Ok(()) => (StatusCode::OK, None, None),
            Err(e) => failed("could not enqueue", &e),
        },
    }
}

async fn enqueue<L: UpdateLog, Q: Queue, H, T>(
    state: &WebhookState<L, Q, H, T>,
    job: &InboundJob,
) -> Result<(), Failure> {
    let update_id = job.update_id();
    match state.log.claim_update(update_id).await? {
        Claim::Done => {
            tracing::info!(%update_id, "duplicate update dropped");
            return Ok(());
        }
        Claim::Unfinished => {
            tracing::info!(%update_id, "re-enqueueing an update whose first delivery did not finish")
        }
        Claim::New => {}
    }
    let group_id = match job {
        InboundJob::Message(m) => crate::handlers::chat_group(m.chat_id),
        InboundJob::MemberUpdate(m) => format!("member-{}", m.user_id),
        // Queued with the new chat's messages, so the move is done before they are answered.
        InboundJob::ChatMigrated(m) => crate::handlers::chat_group(m.to),
    };
    state
        .inbound
        .send(&Envelope {
            body: serde_json::to_string(job).map_err(Failure::permanent)?,
            group_id,
            dedup_id: format!("upd-{update_id}"),
        })
        .await?;
    state.log.mark_enqueued(update_id).await
}
