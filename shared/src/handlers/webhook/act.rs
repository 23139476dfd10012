//! Carries out a route: the only part of the webhook that does I/O besides `handle`.

use http::StatusCode;

use super::WebhookState;
use super::deadline::Deadline;
use super::route::Route;
use super::settings::settings_menu;
use crate::domain::QuickReply;
use crate::domain::jobs::InboundJob;
use crate::domain::{ChatId, Lang, Owner, SettingChange, texts};
use crate::error::Failure;
use crate::ports::Stop;
use crate::ports::{
    Cache, Claim, Envelope, GenerationLog, PersonaStore, Queue, Telegram, UpdateLog, UserStore,
};

/// What the webhook answers Telegram.
#[derive(Debug, PartialEq)]
pub(super) struct Outcome {
    /// 200, or a 5xx when a retry from Telegram could help.
    pub status: StatusCode,
    /// A Bot API method for Telegram to run, encoded at the edge.
    pub body: Option<QuickReply>,
    /// Why the update was accepted and dropped, for the log.
    pub dropped: Option<String>,
}

impl Outcome {
    /// 200 and nothing more: the update is dealt with.
    pub fn done() -> Self {
        Self {
            status: StatusCode::OK,
            body: None,
            dropped: None,
        }
    }

    /// 200, with `reply` as the Bot API method Telegram runs.
    pub fn reply(reply: &QuickReply) -> Self {
        Self {
            body: Some(reply.clone()),
            ..Self::done()
        }
    }

    /// Telegram retries a 5xx, which is right when nothing was done.
    pub fn retry(what: &str, e: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %e, "{what}; Telegram will retry");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            ..Self::done()
        }
    }
}

/// Carries out `route`; Bot API calls are cut at `deadline`.
pub(super) async fn act<L, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    route: Route,
    deadline: Deadline,
) -> Outcome
where
    L: UpdateLog + PersonaStore + GenerationLog + UserStore + Cache,
    Q: Queue,
    T: Telegram,
{
    let stored = |result: Result<(), Failure>, reply: QuickReply, what: &str| match result {
        Ok(()) => Outcome::reply(&reply),
        Err(e) => Outcome::retry(what, &e),
    };
    match route {
        Route::Ignore(reason) => Outcome {
            dropped: Some(reason),
            ..Outcome::done()
        },
        // No dedup here: Telegram only retries when it did not get this response, and then
        // it never ran the method, so answering again is right.
        Route::Answer(reply) => Outcome::reply(&reply),
        Route::SetPersona {
            owner,
            choice,
            reply,
        } => stored(
            state.log.set_persona(owner, &choice).await,
            reply,
            "could not store the persona",
        ),
        Route::ChangeSetting {
            owner,
            change,
            reply,
            unchanged: None,
        } => stored(
            state.log.change_setting(owner, &change).await,
            reply,
            "could not store the setting",
        ),
        Route::ChangeSetting {
            owner,
            change,
            reply,
            unchanged: Some(same),
        } => change_if_new(state, owner, &change, reply, same).await,
        Route::ShowSettings { chat, owner, lang } => show_settings(state, chat, owner, lang).await,
        Route::Cancel { chat, stop, say } => cancel(state, chat, stop, say).await,
        Route::AdminsOnly {
            chat,
            user,
            then,
            refusal,
        } => {
            Box::pin(super::admin::admins_only(
                state, chat, user, *then, refusal, deadline,
            ))
            .await
        }
        Route::Redraw {
            then,
            chat,
            message_id,
            menu,
            lang,
        } => {
            Box::pin(super::admin::redraw(
                state,
                *then,
                (chat, message_id),
                (menu, lang),
                deadline,
            ))
            .await
        }
        Route::MembersOnly {
            from,
            then,
            refusal,
        } => {
            Box::pin(super::gate::members_only(
                state, from, *then, refusal, deadline,
            ))
            .await
        }
        Route::Redrawn { then, redraw } => {
            Box::pin(super::language::redrawn(state, *then, redraw, deadline)).await
        }
        Route::Enqueue(job) => enqueued(&job, enqueue(state, &job).await),
        Route::EnqueueAnswered { job, reply } => match enqueued(&job, enqueue(state, &job).await) {
            Outcome {
                status: StatusCode::OK,
                body: None,
                dropped: None,
            } => Outcome::reply(&reply),
            other => other,
        },
        Route::Pressed { job, reply } => match enqueue(state, &job).await {
            Ok(()) => Outcome::reply(&reply),
            failed => enqueued(&job, failed),
        },
    }
}

async fn show_settings<L: UserStore, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    chat: ChatId,
    owner: Owner,
    lang: Lang,
) -> Outcome {
    match state.log.profile(owner).await {
        Ok(profile) => Outcome::reply(&settings_menu(
            chat,
            &profile.settings,
            profile.persona.as_ref(),
            &state.allowed_models,
            lang,
        )),
        Err(e) => Outcome::retry("could not read the settings", &e),
    }
}

/// Reads the setting first: an unchanged one costs no write, and the answer says so.
async fn change_if_new<L: UserStore + PersonaStore, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    owner: Owner,
    change: &SettingChange,
    reply: QuickReply,
    unchanged: QuickReply,
) -> Outcome {
    match state.log.profile(owner).await {
        Ok(profile) if super::settings::already(change, &profile.settings) => {
            Outcome::reply(&unchanged)
        }
        Ok(_) => match state.log.change_setting(owner, change).await {
            Ok(()) => Outcome::reply(&reply),
            Err(e) => Outcome::retry("could not store the setting", &e),
        },
        Err(e) => Outcome::retry("could not read the settings", &e),
    }
}

async fn cancel<L: GenerationLog, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    chat: ChatId,
    stop: Stop,
    say: Option<Lang>,
) -> Outcome {
    match state.log.request_stop(chat, stop).await {
        Ok(()) => {
            tracing::info!(%chat, "stop requested");
            Outcome {
                body: say.map(|lang| QuickReply::message(chat, texts::cancelling(lang))),
                ..Outcome::done()
            }
        }
        Err(e) => Outcome::retry("could not record the stop request", &e),
    }
}

/// A job SQS will never take is answered, not retried: a 5xx would have Telegram
/// redeliver it for a day.
fn enqueued(job: &InboundJob, result: Result<(), Failure>) -> Outcome {
    let e = match result {
        Ok(()) => return Outcome::done(),
        Err(e) if e.retryable => return Outcome::retry("could not enqueue", &e),
        Err(e) => e,
    };
    tracing::warn!(update_id = %job.update_id(), error = %e, "update can never be enqueued; accepted and dropped");
    crate::metrics::permanent_failure();
    match job {
        InboundJob::Message(m) if e.is(crate::error::Cause::TooLarge) => Outcome::reply(
            &QuickReply::message(m.chat_id, texts::message_too_big(m.lang())),
        ),
        _ => Outcome::done(),
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
        // With the user's private chat, where most of what it deletes is written.
        InboundJob::Forget(f) => crate::handlers::chat_group(ChatId::new(f.user_id.get())),
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
