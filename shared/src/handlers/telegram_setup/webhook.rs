//! `Action: webhook`: points Telegram at the webhook function and registers the command
//! menus; on Delete, takes the webhook down, never failing the delete.

use super::calls::call;
use super::physical::{self, WEBHOOK};
use super::request::{Kind, WebhookProps, webhook_props};
use super::response::Outcome;
use crate::adapters::secrets::BotSecrets;
use crate::adapters::telegram::inbound::HANDLED_KINDS;
use crate::clock::Deadline;
use crate::domain::menu::menus;
use crate::ports::{BotSetup, WebhookSettings};

/// `secrets`: the bot's, read for this request, or why they could not be.
pub async fn run<B: BotSetup>(
    bot: &B,
    secrets: Result<&BotSecrets, String>,
    kind: &Kind,
    properties: &serde_json::Value,
    deadline: Deadline,
) -> Outcome {
    match kind {
        Kind::Delete { physical_id } => delete(bot, secrets, physical_id, deadline).await,
        Kind::Create => set(bot, secrets, None, properties, deadline).await,
        Kind::Update { physical_id } => {
            set(bot, secrets, Some(physical_id), properties, deadline).await
        }
    }
}

async fn set<B: BotSetup>(
    bot: &B,
    secrets: Result<&BotSecrets, String>,
    sent: Option<&String>,
    properties: &serde_json::Value,
    deadline: Deadline,
) -> Outcome {
    // A failed update keeps the id it had, so CloudFormation deletes nothing.
    let failed = |known: Option<i64>, reason: String| {
        let id = match (sent, known) {
            (Some(sent), _) => sent.clone(),
            (None, Some(bot_id)) => physical::for_bot(WEBHOOK, bot_id),
            (None, None) => physical::unknown(WEBHOOK),
        };
        Outcome::failed(id, reason)
    };
    let props = match webhook_props(properties) {
        Ok(props) => props,
        Err(reason) => return failed(None, reason),
    };
    let secrets = match secrets {
        Ok(secrets) => secrets,
        Err(reason) => return failed(None, format!("cannot read the bot token: {reason}")),
    };
    let Some(bot_id) = physical::token_bot_id(&secrets.telegram_bot_token) else {
        let reason = "the bot token in the secret is not of the form <bot id>:<secret>";
        return failed(None, reason.into());
    };
    if let Err(reason) = apply(bot, secrets, &props, deadline).await {
        return failed(Some(bot_id), reason);
    }
    let physical_id = match sent {
        Some(sent) => physical::kept_or_new(WEBHOOK, sent, bot_id),
        None => physical::for_bot(WEBHOOK, bot_id),
    };
    let reason = format!(
        "webhook set for {} update kinds, {} command menus registered",
        HANDLED_KINDS.len(),
        menus().len()
    );
    Outcome::success(physical_id, reason)
}

/// `setWebhook`, then `setMyCommands` for each menu.
async fn apply<B: BotSetup>(
    bot: &B,
    secrets: &BotSecrets,
    props: &WebhookProps,
    deadline: Deadline,
) -> Result<(), String> {
    let settings = WebhookSettings {
        url: props.url.clone(),
        secret_token: secrets.webhook_secret().to_owned(),
        allowed_updates: HANDLED_KINDS.iter().map(|k| (*k).to_owned()).collect(),
        max_connections: props.max_connections,
    };
    call("setWebhook", deadline, || bot.set_webhook(&settings)).await?;
    let menus = menus();
    for menu in &menus {
        let lang = menu.lang.map_or("default", |l| l.code());
        let method = format!("setMyCommands ({}, {lang})", menu.scope.type_name());
        call(&method, deadline, || bot.set_my_commands(menu)).await?;
    }
    tracing::info!(
        allowed_updates = ?settings.allowed_updates,
        max_connections = ?settings.max_connections,
        menus = menus.len(),
        "webhook set and command menus registered"
    );
    Ok(())
}

/// Always a success: a stack must never be stuck because Telegram or the secret is gone.
async fn delete<B: BotSetup>(
    bot: &B,
    secrets: Result<&BotSecrets, String>,
    physical_id: &str,
    deadline: Deadline,
) -> Outcome {
    let done = |reason: &str| Outcome::success(physical_id, reason);
    let Some(old_bot) = physical::bot_of(WEBHOOK, physical_id) else {
        tracing::info!("no webhook was set under this resource; nothing to delete");
        return done("no webhook was set under this resource");
    };
    let secrets = match secrets {
        Ok(secrets) => secrets,
        Err(reason) => {
            tracing::warn!(%reason, "cannot read the bot token; the webhook is left as it is");
            return done("the bot token could not be read; the webhook is left as it is");
        }
    };
    if physical::token_bot_id(&secrets.telegram_bot_token) != Some(old_bot) {
        // The resource was replaced after a token change: the old token is gone, and
        // deleting with the new one would take down the new bot's webhook.
        tracing::info!(
            old_bot,
            "the token now belongs to another bot; the webhook is left as it is"
        );
        return done("the webhook belonged to a previous bot; left as it is");
    }
    match call("deleteWebhook", deadline, || bot.delete_webhook()).await {
        Ok(()) => {
            tracing::info!("webhook deleted");
            done("webhook deleted")
        }
        Err(reason) => {
            tracing::warn!(%reason, "deleteWebhook failed; the resource is deleted anyway");
            done(&format!("deleteWebhook failed, deleted anyway: {reason}"))
        }
    }
}
