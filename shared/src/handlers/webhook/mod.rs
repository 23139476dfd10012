//! The webhook: Telegram's only door. It must answer fast and never make Telegram
//! redeliver an update it has accepted.

mod act;
mod admin;
mod callbacks;
mod deadline;
mod forget;
mod gate;
mod health;
mod language;
mod message;
mod route;
mod settings;
mod shelf;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use http::{Method, StatusCode};
use lambda_http::{Body, Request, Response};
use serde_json::json;
use subtle::ConstantTimeEq;

use crate::adapters::secrets::{BotSecrets, Secrets};
use crate::adapters::telegram::encode_quick_reply;
use crate::adapters::telegram::inbound::{Content, Update, parse_update};
use crate::domain::ChannelRef;
use crate::ports::{Cache, GenerationLog, PersonaStore, Queue, Telegram, UpdateLog, UserStore};

pub use crate::domain::{CallbackButton, QuickReply};
pub use deadline::{Deadline, FALLBACK_BUDGET, MARGIN};
pub use gate::{Refusal, WebhookAccess};
pub use health::{Check, HealthProbe, PROBE_TTL, ProbeCache};
pub use route::{BotIdentity, Menu, Route, route};
pub use settings::settings_menu;

/// Where Telegram presents the secret token given to `setWebhook`; compared in constant time.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// The webhook's clients and settings, built once per container.
pub struct WebhookState<L, Q, H, T> {
    /// Update claims, personas, settings and stop requests: all the webhook stores.
    pub log: L,
    /// Where accepted updates go, in their chat's message group, for subscription-check.
    pub inbound: Q,
    /// The secret every update must present, and the token (whose first part is the bot's id).
    pub secrets: Arc<Secrets>,
    /// The channel users must join, if any: only its `chat_member` updates are passed on.
    pub channel: Option<ChannelRef>,
    /// `BOT_USERNAME`, from the template: how a group message meant for the bot is told.
    pub bot_username: Option<String>,
    /// Probes the table, the inbound queue, the secrets and Redis for `/health`.
    pub health: H,
    /// The detailed `/health` report's recent probe results.
    pub probe_cache: ProbeCache,
    /// Non-secret configuration shown by `/health`.
    pub config_summary: serde_json::Value,
    /// Asks whether someone is a group admin before they change the group's settings.
    pub telegram: T,
    /// Models `/settings` offers.
    pub allowed_models: Vec<crate::domain::ModelName>,
    /// Who may use the quick commands and buttons the webhook answers itself.
    pub access: WebhookAccess,
    /// `ADMIN_USER_IDS`, whose `/help` lists the admin commands too.
    pub admins: Vec<crate::domain::UserId>,
}

pub(super) fn respond(status: StatusCode, body: serde_json::Value) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap_or_else(|_| Response::new(Body::Empty))
}

pub(super) fn ok() -> Response<Body> {
    respond(StatusCode::OK, json!({"ok": true}))
}

/// Answers one request: `GET /health`, or an update; 200 unless a Telegram retry could help.
pub async fn handle<L, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    request: Request,
) -> Result<Response<Body>, lambda_http::Error>
where
    L: UpdateLog + PersonaStore + GenerationLog + UserStore + Cache,
    Q: Queue,
    H: HealthProbe,
    T: Telegram,
{
    if request.method() == Method::GET
        && request
            .uri()
            .path()
            .trim_end_matches('/')
            .ends_with("/health")
    {
        return Ok(health::health(state, &request).await);
    }
    if request.method() != Method::POST {
        return Ok(respond(
            StatusCode::METHOD_NOT_ALLOWED,
            json!({"ok": false}),
        ));
    }
    let secrets = match authenticate(state, &request).await {
        Ok(secrets) => secrets,
        Err(response) => return Ok(response),
    };
    let update = match parse_update(request.body().as_ref()) {
        Ok(u) => u,
        Err(e) => {
            // Anything but 200 would make Telegram redeliver this body forever.
            tracing::warn!(error = %e, bytes = request.body().len(), "unreadable update accepted and dropped");
            crate::metrics::permanent_failure();
            return Ok(ok());
        }
    };
    let bot = BotIdentity {
        username: state.bot_username.as_deref(),
        id: secrets
            .telegram_bot_token
            .split_once(':')
            .and_then(|(id, _)| id.parse().ok()),
        allowed_models: &state.allowed_models,
        admins: &state.admins,
    };
    let deadline = Deadline::of(&request);
    Ok(Box::pin(answer(state, &update, &bot, deadline)).await)
}

/// The secrets, if the request carries the webhook's secret token; else the response.
async fn authenticate<L, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    request: &Request,
) -> Result<Arc<BotSecrets>, Response<Body>> {
    let secrets = state.secrets.get().await.map_err(|e| {
        // 5xx makes Telegram retry later, which is right: we could not check anything.
        tracing::error!(error = %e, "cannot load secrets");
        crate::metrics::failed(&e);
        respond(StatusCode::SERVICE_UNAVAILABLE, json!({"ok": false}))
    })?;
    let presented = request
        .headers()
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if bool::from(presented.ct_eq(secrets.webhook_secret().as_bytes())) {
        return Ok(secrets);
    }
    tracing::warn!(
        header_present = !presented.is_empty(),
        "rejected request with a missing or wrong secret token"
    );
    Err(respond(
        StatusCode::UNAUTHORIZED,
        json!({"ok": false, "error": "unauthorized"}),
    ))
}

/// The route for `update`, its words in the sender's `/language` choice when it has any:
/// read only when the route answers with words of its own.
async fn routed<L: UserStore, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    update: &Update,
    bot: &BotIdentity<'_>,
) -> Route {
    let channel = state.channel.as_ref();
    let first = route(update, channel, bot, None);
    if !first.speaks() {
        return first;
    }
    match language::chosen(state, update).await {
        Some(chosen) => route(update, channel, bot, Some(chosen)),
        None => first,
    }
}

/// Routes an authenticated update, carries the route out, and builds the response.
async fn answer<L, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    update: &Update,
    bot: &BotIdentity<'_>,
    deadline: Deadline,
) -> Response<Body>
where
    L: UpdateLog + PersonaStore + GenerationLog + UserStore + Cache,
    Q: Queue,
    T: Telegram,
{
    let topic = match &update.content {
        Content::Message(m) => m.topic(),
        _ => None,
    };
    let act::Outcome {
        status,
        body,
        dropped,
    } = Box::pin(act::act(state, routed(state, update, bot).await, deadline)).await;
    if let Some(reason) = &dropped {
        tracing::info!(update_id = %update.update_id, kind = %update.kind, %reason, "update accepted and dropped");
    }
    if status == StatusCode::OK {
        crate::metrics::update_received();
    } else if status.is_server_error() {
        // Telegram sends it again; what failed was logged where it failed.
        crate::metrics::transient_failure();
    }
    match body {
        // Quick replies in a forum topic belong in that topic.
        Some(reply) => respond(status, encode_quick_reply(&reply.in_topic(topic))),
        None => respond(status, json!({"ok": status == StatusCode::OK})),
    }
}
