//! The bot's secret, fetched from Secrets Manager once per container, on first use.
//!
//! Deferring the fetch keeps it out of cold start for invocations that never need it
//! (a subscription check answered from cache, a duplicate update), and caching it
//! means a warm container never pays for it again.

use std::fmt;

use anyhow::{Context, anyhow};
use serde::Deserialize;
use tokio::sync::OnceCell;

use crate::error::{Failure, Result};

/// The JSON object stored in the secret.
#[derive(Clone, Deserialize)]
pub struct BotSecrets {
    pub telegram_bot_token: String,
    pub openai_api_key: String,
    pub webhook_secret: String,
}

impl fmt::Debug for BotSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BotSecrets { .. }")
    }
}

impl BotSecrets {
    pub fn parse(json: &str) -> anyhow::Result<Self> {
        let secrets: Self = serde_json::from_str(json).context(
            "the secret must be a JSON object with telegram_bot_token, openai_api_key and webhook_secret",
        )?;
        for (name, value) in [
            ("telegram_bot_token", &secrets.telegram_bot_token),
            ("webhook_secret", &secrets.webhook_secret),
        ] {
            if value.trim().is_empty() || value == "REPLACE_ME" {
                return Err(anyhow!(
                    "secret key {name} is empty or still the REPLACE_ME placeholder"
                ));
            }
        }
        // Telegram only sends back a secret_token made of these characters; anything else
        // could never match and every update would be refused.
        if !secrets
            .webhook_secret
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(anyhow!(
                "secret key webhook_secret may only contain A-Z, a-z, 0-9, _ and -"
            ));
        }
        Ok(secrets)
    }
}

pub struct Secrets {
    client: aws_sdk_secretsmanager::Client,
    secret_id: String,
    cell: OnceCell<BotSecrets>,
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secrets")
            .field("loaded", &self.cell.initialized())
            .finish()
    }
}

impl Secrets {
    pub fn aws(client: aws_sdk_secretsmanager::Client, secret_id: impl Into<String>) -> Self {
        Self {
            client,
            secret_id: secret_id.into(),
            cell: OnceCell::new(),
        }
    }

    pub async fn get(&self) -> Result<&BotSecrets> {
        self.cell
            .get_or_try_init(|| async {
                let secret_id = &self.secret_id;
                let out = self
                    .client
                    .get_secret_value()
                    .secret_id(secret_id)
                    .send()
                    .await
                    .map_err(|e| {
                        Failure::retryable(anyhow!(
                            "GetSecretValue {secret_id}: {}",
                            aws_sdk_secretsmanager::error::DisplayErrorContext(e)
                        ))
                    })?;
                let json = out.secret_string().ok_or_else(|| {
                    Failure::permanent(anyhow!("secret {secret_id} has no SecretString"))
                })?;
                BotSecrets::parse(json)
                    .map_err(|e| Failure::permanent(e.context(format!("secret {secret_id}"))))
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let ok =
            r#"{"telegram_bot_token":"1:AA","openai_api_key":"sk-x","webhook_secret":"abc_DEF-1"}"#;
        assert!(BotSecrets::parse(ok).is_ok());
        let cases = [
            (r#"{"telegram_bot_token":"1:AA"}"#, "openai_api_key"),
            (
                r#"{"telegram_bot_token":"REPLACE_ME","openai_api_key":"k","webhook_secret":"w"}"#,
                "telegram_bot_token",
            ),
            (
                r#"{"telegram_bot_token":"1","openai_api_key":"k","webhook_secret":"has space"}"#,
                "webhook_secret",
            ),
            ("not json", "JSON object"),
        ];
        for (json, needle) in cases {
            let err = format!("{:#}", BotSecrets::parse(json).unwrap_err());
            assert!(err.contains(needle), "{json}: {err}");
        }
        assert_eq!(
            format!("{:?}", BotSecrets::parse(ok).unwrap()),
            "BotSecrets { .. }"
        );
    }
}
