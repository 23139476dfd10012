//! `telegram-setup`: a CloudFormation custom resource that sets the bot up on Telegram
//! when the stack is deployed.
//!
//! The resource property `Action` picks what it does:
//! - `identity`: Create/Update call `getMe` and return `Data` `Username` and `Id`, so the
//!   template can hand the username to the webhook. Delete does nothing.
//! - `webhook`: Create/Update call `setWebhook` (`WebhookUrl`, the webhook secret, every
//!   update kind the bot reads, `MaxConnections`), then `setMyCommands` for each menu.
//!   Delete calls `deleteWebhook`.
//!
//! CloudFormation waits an hour for a custom resource that never answers, so every request
//! is answered, before the invocation's deadline, whatever fails; and a Delete always
//! succeeds, so a stack is never stuck because Telegram or the secret is gone.

mod calls;
pub mod identity;
pub mod physical;
pub mod request;
pub mod response;
#[cfg(test)]
mod tests;
pub mod webhook;

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::adapters::cloudformation::ResponseSender;
use crate::adapters::secrets::Secrets;
use crate::adapters::telegram::TelegramClient;
use crate::clock::Deadline;

pub use request::{Action, Kind, ReplyTo, Request};
pub use response::Outcome;

/// Kept back from the deadline for the answer: a few tries of one PUT.
pub const RESPONSE_TIME: Duration = Duration::from_secs(5);
/// Without a deadline from Lambda (a local run).
pub const FALLBACK_BUDGET: Duration = Duration::from_secs(30);

/// telegram-setup's clients, built once per container.
pub struct TelegramSetupState {
    /// How to reach Telegram, or why the configuration does not say: requests are then
    /// still answered (FAILED, or SUCCESS for a Delete) rather than left waiting.
    pub telegram: Result<SetupClients, String>,
    /// Sends the answer to CloudFormation's pre-signed URL, retrying briefly.
    pub responder: ResponseSender,
}

/// What reaching Telegram takes; the token is read afresh for each request.
pub struct SetupClients {
    /// Reads the bot's secrets (the token, the webhook secret) afresh for each request.
    pub secrets: aws_sdk_secretsmanager::Client,
    /// The Secrets Manager secret holding the bot token.
    pub secret_id: String,
    /// The Bot API client, given the freshly read token for each request.
    pub telegram: TelegramClient,
}

/// Answers one request. An error means CloudFormation could not be told (Lambda then
/// tries the invocation again); otherwise the response sent is returned.
pub async fn handle(
    state: &TelegramSetupState,
    event: Value,
    deadline: Deadline,
) -> anyhow::Result<Value> {
    let request = match Request::read(event) {
        Ok(request) => request,
        Err(unreadable) => return answer_unreadable(state, unreadable, deadline).await,
    };
    tracing::info!(
        request_type = request.kind.name(),
        resource_type = %request.resource_type,
        logical_resource_id = %request.reply.logical_resource_id,
        "custom resource request"
    );
    let work = deadline.less(RESPONSE_TIME);
    let outcome = within(&request.kind, work, outcome(state, &request, work)).await;
    respond(state, &request.reply, &outcome, deadline).await
}

/// `run`'s outcome, or the one its request gets when the deadline comes first.
pub async fn within(
    kind: &Kind,
    deadline: Deadline,
    run: impl Future<Output = Outcome>,
) -> Outcome {
    let late = "Telegram did not answer before the function's deadline";
    match tokio::time::timeout_at(deadline.instant(), run).await {
        Ok(outcome) => outcome,
        Err(_) => refused(kind, late),
    }
}

/// A request that cannot be carried out: FAILED, but a Delete succeeds.
fn refused(kind: &Kind, reason: &str) -> Outcome {
    match kind {
        Kind::Delete { physical_id } => {
            tracing::warn!(
                reason,
                "the delete could not be carried out; it succeeds anyway"
            );
            Outcome::success(physical_id, format!("{reason}; deleted anyway"))
        }
        Kind::Update { physical_id } => Outcome::failed(physical_id, reason),
        // Names no bot, so the Delete that follows a failed create does nothing.
        Kind::Create => Outcome::failed("telegram-setup-refused", reason),
    }
}

async fn outcome(state: &TelegramSetupState, request: &Request, deadline: Deadline) -> Outcome {
    let action = match request::action(&request.properties) {
        Ok(action) => action,
        Err(reason) => return refused(&request.kind, &reason),
    };
    let clients = match &state.telegram {
        Ok(clients) => clients,
        Err(reason) => return refused(&request.kind, &format!("configuration: {reason}")),
    };
    // Read afresh for every request: a new token is what brings an Update, and a warm
    // container would still hold the old one.
    let secrets = Arc::new(Secrets::aws(
        clients.secrets.clone(),
        vec![clients.secret_id.clone()],
    ));
    let bot = clients.telegram.with_secrets(secrets.clone());
    match action {
        Action::Identity => {
            let fingerprint = secrets
                .get()
                .await
                .ok()
                .map(|s| crate::adapters::secrets::token_fingerprint(&s.telegram_bot_token));
            identity::run(&bot, &request.kind, fingerprint, deadline).await
        }
        Action::Webhook => {
            let loaded = secrets.get().await.map_err(|e| e.to_string());
            let properties = &request.properties;
            let loaded = loaded.as_deref().map_err(Clone::clone);
            webhook::run(&bot, loaded, &request.kind, properties, deadline).await
        }
    }
}

async fn answer_unreadable(
    state: &TelegramSetupState,
    unreadable: request::Unreadable,
    deadline: Deadline,
) -> anyhow::Result<Value> {
    let reason = unreadable.reason;
    let Some((reply, physical_id)) = unreadable.reply.map(|r| *r) else {
        tracing::error!(%reason, "a request without a response URL: nobody can be answered");
        anyhow::bail!("unanswerable request: {reason}");
    };
    let physical_id = physical_id.unwrap_or_else(|| "telegram-setup-unreadable".into());
    tracing::error!(%reason, "unreadable custom resource request");
    respond(
        state,
        &reply,
        &Outcome::failed(physical_id, reason),
        deadline,
    )
    .await
}

async fn respond(
    state: &TelegramSetupState,
    reply: &ReplyTo,
    outcome: &Outcome,
    deadline: Deadline,
) -> anyhow::Result<Value> {
    let body = serde_json::to_value(response::body(reply, outcome))?;
    tracing::info!(
        success = outcome.success,
        reason = %outcome.reason,
        physical_resource_id = %outcome.physical_id,
        "answering CloudFormation"
    );
    match state
        .responder
        .send(&reply.response_url, &body.to_string(), deadline)
        .await
    {
        Ok(()) => Ok(body),
        Err(reason) => {
            tracing::error!(%reason, "CloudFormation could not be answered");
            anyhow::bail!("CloudFormation could not be answered: {reason}")
        }
    }
}
