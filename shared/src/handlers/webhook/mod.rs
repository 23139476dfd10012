//! The webhook: Telegram's only door. It must answer fast and never make Telegram
//! redeliver an update it has accepted.

mod act;
mod callbacks;
mod health;
mod message;
mod quick_reply;
mod route;
mod settings;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use http::{Method, StatusCode};
use lambda_http::{Body, Request, Response};
use serde_json::json;
use subtle::ConstantTimeEq;

use frankenstein::updates::{Update, UpdateContent};

use crate::adapters::secrets::Secrets;
use crate::domain::ChannelRef;
use crate::ports::{GenerationLog, PersonaStore, Queue, Telegram, UpdateLog, UserStore};

pub use health::HealthProbe;
pub use quick_reply::{CallbackButton, QuickReply};
pub use route::{BotIdentity, Route, route};
pub use settings::settings_menu;

pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

pub struct WebhookState<L, Q, H, T> {
    pub log: L,
    pub inbound: Q,
    pub secrets: Arc<Secrets>,
    pub channel: Option<ChannelRef>,
    pub bot_username: Option<String>,
    pub health: H,
    /// Non-secret configuration shown by `/health`.
    pub config_summary: serde_json::Value,
    /// Asks whether someone is a group admin before they change the group's settings.
    pub telegram: T,
    /// Models `/settings` offers.
    pub allowed_models: Vec<String>,
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

pub async fn handle<L, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    request: Request,
) -> Result<Response<Body>, lambda_http::Error>
where
    L: UpdateLog + PersonaStore + GenerationLog + UserStore,
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
        return Ok(health::health(state).await);
    }
    if request.method() != Method::POST {
        return Ok(respond(
            StatusCode::METHOD_NOT_ALLOWED,
            json!({"ok": false}),
        ));
    }

    let secrets = match state.secrets.get().await {
        Ok(s) => s,
        Err(e) => {
            // 5xx makes Telegram retry later, which is right: we could not check anything.
            tracing::error!(error = %e, "cannot load secrets");
            return Ok(respond(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"ok": false}),
            ));
        }
    };
    let presented = request
        .headers()
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !bool::from(presented.ct_eq(secrets.webhook_secret.as_bytes())) {
        tracing::warn!(
            header_present = !presented.is_empty(),
            "rejected request with a missing or wrong secret token"
        );
        return Ok(respond(
            StatusCode::UNAUTHORIZED,
            json!({"ok": false, "error": "unauthorized"}),
        ));
    }

    let update: Update = match serde_json::from_slice(request.body().as_ref()) {
        Ok(u) => u,
        Err(e) => {
            // Anything but 200 would make Telegram redeliver this body forever.
            tracing::warn!(error = %e, bytes = request.body().len(), "unparseable update accepted and dropped");
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
    };
    let topic = match &update.content {
        UpdateContent::Message(m) if m.is_topic_message == Some(true) => m.message_thread_id,
        _ => None,
    };
    let mut response = Box::pin(act::act(
        state,
        route(&update, state.channel.as_ref(), &bot),
    ))
    .await;
    // Quick replies in a forum topic belong in that topic.
    if let (Some(topic), Some(body)) = (topic, response.1.as_mut())
        && body["method"] == "sendMessage"
    {
        body["message_thread_id"] = json!(topic);
    }
    if let Some(reason) = &response.2 {
        tracing::warn!(update_id = update.update_id, %reason, "update accepted and dropped");
    }
    Ok(match response.1 {
        Some(body) => respond(response.0, body),
        None => respond(response.0, json!({"ok": response.0 == StatusCode::OK})),
    })
}
