//! The deploy-time Bot API calls ([`BotSetup`]), on the same transport as the bot's own.

use std::sync::Arc;

use frankenstein::methods::{DeleteWebhookParams, SetMyCommandsParams, SetWebhookParams};
use frankenstein::types::{AllowedUpdate, BotCommand, BotCommandScope};

use super::TelegramClient;
use super::inbound::UserView;
use crate::adapters::secrets::Secrets;
use crate::domain::menu::{Menu, Scope, menus};
use crate::ports::{BotProfile, BotSetup, TelegramError, WebhookSettings};

impl TelegramClient {
    /// The same client reading its token from `secrets`: the setup function reads the
    /// secret afresh for every request, since a changed token is what brings one.
    pub fn with_secrets(&self, secrets: Arc<Secrets>) -> Self {
        Self {
            http: self.http.clone(),
            timeout: self.timeout,
            base_url: self.base_url.clone(),
            secrets,
        }
    }
}

/// `setMyCommands` for one menu.
pub fn set_my_commands_params(menu: &Menu) -> SetMyCommandsParams {
    let scope = match menu.scope {
        Scope::AllPrivateChats => BotCommandScope::AllPrivateChats,
        Scope::AllGroupChats => BotCommandScope::AllGroupChats,
    };
    let commands = menu
        .commands
        .iter()
        .map(|(command, description)| {
            BotCommand::builder()
                .command(*command)
                .description(description.clone())
                .build()
        })
        .collect();
    SetMyCommandsParams::builder()
        .commands(commands)
        .scope(scope)
        .maybe_language_code(menu.lang.map(|l| l.code().to_owned()))
        .build()
}

/// Every menu's `setMyCommands` request, in [`menus`] order.
pub fn menu_requests() -> Vec<SetMyCommandsParams> {
    menus().iter().map(set_my_commands_params).collect()
}

/// The update kinds as frankenstein names them; a kind it does not know is refused here
/// rather than silently dropped from the list.
fn allowed_updates(kinds: &[String]) -> Result<Vec<AllowedUpdate>, TelegramError> {
    kinds
        .iter()
        .map(|kind| {
            serde_json::from_value(serde_json::Value::String(kind.clone())).map_err(|_| {
                TelegramError::Rejected {
                    code: 0,
                    description: format!("setWebhook: unknown update kind {kind:?}"),
                }
            })
        })
        .collect()
}

/// The `setWebhook` call: URL, secret token, update kinds; `Err` for a kind Telegram won't know.
pub fn set_webhook_params(webhook: &WebhookSettings) -> Result<SetWebhookParams, TelegramError> {
    Ok(SetWebhookParams::builder()
        .url(webhook.url.clone())
        .secret_token(webhook.secret_token.clone())
        .allowed_updates(allowed_updates(&webhook.allowed_updates)?)
        .maybe_max_connections(webhook.max_connections)
        .build())
}

impl BotSetup for TelegramClient {
    async fn get_me(&self) -> Result<BotProfile, TelegramError> {
        // Lenient like the inbound views: only the id and the username matter here.
        let me: UserView = self.call("getMe", &serde_json::json!({})).await?;
        Ok(BotProfile {
            id: me.id,
            username: me.username,
        })
    }

    async fn set_webhook(&self, webhook: &WebhookSettings) -> Result<(), TelegramError> {
        let params = set_webhook_params(webhook)?;
        self.call::<_, serde_json::Value>("setWebhook", &params)
            .await
            .map(|_| ())
    }

    async fn set_my_commands(&self, menu: &Menu) -> Result<(), TelegramError> {
        self.call::<_, serde_json::Value>("setMyCommands", &set_my_commands_params(menu))
            .await
            .map(|_| ())
    }

    async fn delete_webhook(&self) -> Result<(), TelegramError> {
        let params = DeleteWebhookParams::builder().build();
        self.call::<_, serde_json::Value>("deleteWebhook", &params)
            .await
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::telegram::inbound::HANDLED_KINDS;

    #[test]
    fn every_handled_kind_is_an_update_frankenstein_can_ask_for() {
        let kinds: Vec<String> = HANDLED_KINDS.iter().map(|k| (*k).to_owned()).collect();
        let params = set_webhook_params(&WebhookSettings {
            url: "https://example.com/".into(),
            secret_token: "s".into(),
            allowed_updates: kinds.clone(),
            max_connections: Some(40),
        })
        .unwrap();
        let json = serde_json::to_value(&params).unwrap();
        assert_eq!(json["allowed_updates"], serde_json::json!(kinds));
        assert_eq!(json["max_connections"], 40);
        let unknown = allowed_updates(&["guessed_update".into()]).unwrap_err();
        assert!(unknown.to_string().contains("guessed_update"), "{unknown}");
    }

    #[test]
    fn menus_become_scoped_set_my_commands_bodies() {
        let bodies: Vec<serde_json::Value> = menu_requests()
            .iter()
            .map(|p| serde_json::to_value(p).unwrap())
            .collect();
        assert_eq!(bodies.len(), 16);
        assert_eq!(
            bodies[0]["scope"],
            serde_json::json!({"type": "all_private_chats"})
        );
        assert_eq!(
            bodies[1]["scope"],
            serde_json::json!({"type": "all_group_chats"})
        );
        assert_eq!(bodies[0]["commands"][0]["command"], "start");
        assert!(bodies[0].get("language_code").is_none());
        assert!(bodies[1].get("language_code").is_none());
        assert_eq!(bodies[2]["language_code"], "ru");
        assert_eq!(bodies[2]["commands"][0]["description"], "Поздороваться");
        assert_eq!(bodies[3]["scope"]["type"], "all_group_chats");
        assert_eq!(bodies[3]["language_code"], "ru");
        assert!(bodies[0]["commands"][0].get("is_ephemeral").is_none());
    }
}
