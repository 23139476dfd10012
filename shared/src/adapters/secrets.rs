//! The bot's secrets, fetched from Secrets Manager on first use and kept for a while.
//!
//! Deferring the fetch keeps it out of cold start for invocations that never need it
//! (a subscription check answered from cache, a duplicate update). Keeping it means a warm
//! container pays for it once per [`REFRESH_AFTER`], not per message; refreshing means a
//! key rotated with `sam deploy` reaches warm containers too (the token also replaces
//! them at once, see the template's `BOT_TOKEN_FINGERPRINT`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, anyhow};
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::error::{Failure, Result};

/// The keys the bot reads from its secrets, merged from every secret the function may read.
///
/// The deployed stack keeps the bot token in one secret and the OpenAI key in another, so
/// only the functions that call OpenAI can read the key. The webhook secret is derived
/// from the token unless one is given: nothing is generated that a template edit could
/// regenerate, and a new token brings a new webhook secret with it.
#[derive(Clone, Deserialize)]
pub struct BotSecrets {
    /// The Telegram token, part of every Bot API call; the webhook secret derives from it.
    pub telegram_bot_token: String,
    #[serde(default)]
    openai_api_key: Option<String>,
    #[serde(default)]
    webhook_secret: Option<String>,
    /// For a `REDIS_URL` that needs AUTH: kept here, never in the environment.
    #[serde(default)]
    redis_password: Option<String>,
}

impl fmt::Debug for BotSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BotSecrets { .. }")
    }
}

impl BotSecrets {
    /// Checks one secret's JSON: a real token and key (no `REPLACE_ME`), a usable webhook secret.
    pub fn parse(json: &str) -> anyhow::Result<Self> {
        let mut secrets: Self = serde_json::from_str(json)
            .context("the secret must be a JSON object with telegram_bot_token (and openai_api_key for functions that call OpenAI)")?;
        let token = secrets.telegram_bot_token.trim();
        if token.is_empty() || token == "REPLACE_ME" {
            return Err(anyhow!(
                "secret key telegram_bot_token is empty or still the REPLACE_ME placeholder"
            ));
        }
        if secrets
            .openai_api_key
            .as_deref()
            .is_some_and(|k| k.trim().is_empty() || k == "REPLACE_ME")
        {
            return Err(anyhow!(
                "secret key openai_api_key is empty or still the REPLACE_ME placeholder"
            ));
        }
        if let Some(given) = &secrets.webhook_secret {
            // Telegram only sends back a secret_token of 1-256 of these characters; anything
            // else could never match and every update would be refused.
            let valid = (1..=256).contains(&given.len())
                && given
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !valid {
                return Err(anyhow!(
                    "secret key webhook_secret must be 1-256 of A-Z, a-z, 0-9, _ and -"
                ));
            }
        } else {
            secrets.webhook_secret = Some(derive_webhook_secret(&secrets.telegram_bot_token));
        }
        Ok(secrets)
    }

    /// Merges several secrets' JSON objects (later keys win) and parses the result.
    pub fn parse_all<'a>(jsons: impl IntoIterator<Item = &'a str>) -> anyhow::Result<Self> {
        let mut merged = serde_json::Map::new();
        for json in jsons {
            let serde_json::Value::Object(object) =
                serde_json::from_str(json).context("each secret must be a JSON object")?
            else {
                return Err(anyhow!("each secret must be a JSON object"));
            };
            merged.extend(object);
        }
        Self::parse(&serde_json::Value::Object(merged).to_string())
    }

    /// The secret Telegram sends back in `X-Telegram-Bot-Api-Secret-Token`.
    pub fn webhook_secret(&self) -> &str {
        self.webhook_secret.as_deref().unwrap_or_default()
    }

    /// The cache's password, if this function was given a secret holding one.
    pub fn redis_password(&self) -> Option<&str> {
        self.redis_password.as_deref().filter(|p| !p.is_empty())
    }

    /// The OpenAI key, if this function was given a secret holding one.
    pub fn openai_api_key(&self) -> Option<&str> {
        self.openai_api_key.as_deref()
    }
}

/// SHA-256 of the token with a fixed label, in hex: 64 characters Telegram accepts as a
/// `secret_token`. Whoever sees the header learns nothing about the token.
pub fn derive_webhook_secret(token: &str) -> String {
    labelled_hash("telegram-webhook-secret:", token)
}

/// 16 hex characters that change with the token and tell nothing about it. The template
/// puts them in every function's environment, so a new token replaces warm containers.
pub fn token_fingerprint(token: &str) -> String {
    labelled_hash("telegram-token-fingerprint:", token)[..16].to_owned()
}

fn labelled_hash(label: &str, token: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(label.as_bytes())
        .chain_update(token.trim().as_bytes())
        .finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// How long fetched secrets are used before they are fetched again.
pub const REFRESH_AFTER: Duration = Duration::from_secs(10 * 60);

/// The function's secrets, fetched together on first use and refreshed every [`REFRESH_AFTER`].
pub struct Secrets {
    /// `None` for secrets given whole ([`Secrets::fixed`]): nothing to fetch.
    client: Option<aws_sdk_secretsmanager::Client>,
    secret_ids: Vec<String>,
    refresh_after: Duration,
    cached: Mutex<Option<(Instant, Arc<BotSecrets>)>>,
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loaded = self.cached.try_lock().map(|c| c.is_some()).ok();
        f.debug_struct("Secrets").field("loaded", &loaded).finish()
    }
}

impl Secrets {
    /// `secret_ids`: every secret this function reads, fetched together on first use.
    pub fn aws(client: aws_sdk_secretsmanager::Client, secret_ids: Vec<String>) -> Self {
        Self {
            client: Some(client),
            secret_ids,
            refresh_after: REFRESH_AFTER,
            cached: Mutex::new(None),
        }
    }

    /// Secrets given whole and never refreshed: for tests, and for tools that already
    /// hold them.
    pub fn fixed(secrets: BotSecrets) -> Self {
        Self {
            client: None,
            secret_ids: Vec::new(),
            refresh_after: Duration::MAX,
            cached: Mutex::new(Some((Instant::now(), Arc::new(secrets)))),
        }
    }

    /// Uses fetched secrets for `refresh_after` instead of [`REFRESH_AFTER`].
    pub fn refreshed_after(mut self, refresh_after: Duration) -> Self {
        self.refresh_after = refresh_after;
        self
    }

    /// The secrets: kept ones while fresh, else fetched again. A refresh that fails keeps
    /// using the ones already held, so Secrets Manager being down never stops a warm bot.
    pub async fn get(&self) -> Result<Arc<BotSecrets>> {
        let mut cached = self.cached.lock().await;
        if let Some((at, secrets)) = cached.as_ref()
            && at.elapsed() < self.refresh_after
        {
            return Ok(secrets.clone());
        }
        match self.load().await {
            Ok(secrets) => {
                let secrets = Arc::new(secrets);
                *cached = Some((Instant::now(), secrets.clone()));
                Ok(secrets)
            }
            Err(e) => match cached.as_ref() {
                Some((_, held)) => {
                    tracing::warn!(error = %e, "secrets refresh failed; using the ones held");
                    Ok(held.clone())
                }
                None => Err(e),
            },
        }
    }

    async fn load(&self) -> Result<BotSecrets> {
        let fetched =
            futures::future::try_join_all(self.secret_ids.iter().map(|id| self.fetch(id))).await?;
        BotSecrets::parse_all(fetched.iter().map(String::as_str)).map_err(|e| {
            Failure::permanent(e.context(format!("secrets {}", self.secret_ids.join(", "))))
        })
    }

    async fn fetch(&self, secret_id: &str) -> Result<String> {
        let Some(client) = &self.client else {
            return Err(Failure::permanent(anyhow!(
                "secret {secret_id}: these secrets were given whole and cannot be fetched"
            )));
        };
        let out = client
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
        out.secret_string()
            .map(str::to_owned)
            .ok_or_else(|| Failure::permanent(anyhow!("secret {secret_id} has no SecretString")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let ok =
            r#"{"telegram_bot_token":"1:AA","openai_api_key":"sk-x","webhook_secret":"abc_DEF-1"}"#;
        assert_eq!(BotSecrets::parse(ok).unwrap().webhook_secret(), "abc_DEF-1");
        let cases = [
            (r#"{"openai_api_key":"k"}"#, "telegram_bot_token"),
            (
                r#"{"telegram_bot_token":"REPLACE_ME","openai_api_key":"k","webhook_secret":"w"}"#,
                "telegram_bot_token",
            ),
            (
                r#"{"telegram_bot_token":"1:A","openai_api_key":"REPLACE_ME"}"#,
                "openai_api_key",
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

    #[test]
    fn the_webhook_secret_is_derived_from_the_token_when_not_given() {
        let a = BotSecrets::parse(r#"{"telegram_bot_token":"1:AA"}"#).unwrap();
        let b = BotSecrets::parse(r#"{"telegram_bot_token":"1:AB"}"#).unwrap();
        assert_eq!(a.webhook_secret(), derive_webhook_secret("1:AA"));
        assert_eq!(a.webhook_secret().len(), 64);
        assert!(a.webhook_secret().chars().all(|c| c.is_ascii_hexdigit()));
        assert!(!a.webhook_secret().contains("AA"));
        assert_ne!(a.webhook_secret(), b.webhook_secret());
        let fingerprint = token_fingerprint("1:AA");
        assert_eq!(fingerprint.len(), 16);
        assert_ne!(fingerprint, token_fingerprint("1:AB"));
        assert!(!a.webhook_secret().starts_with(&fingerprint));
        assert_eq!(a.openai_api_key(), None);
    }

    #[test]
    fn several_secrets_merge_into_one() {
        let merged = BotSecrets::parse_all([
            r#"{"telegram_bot_token":"1:AA"}"#,
            r#"{"openai_api_key":"sk-x"}"#,
        ])
        .unwrap();
        assert_eq!(merged.openai_api_key(), Some("sk-x"));
        assert_eq!(merged.redis_password(), None);
        assert_eq!(merged.telegram_bot_token, "1:AA");
        let err = BotSecrets::parse_all([r#"["a"]"#]).unwrap_err();
        assert!(format!("{err:#}").contains("JSON object"), "{err:#}");
    }
}
