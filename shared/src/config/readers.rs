//! Reading the environment: one [`Env`] with typed getters, and a reader per setting that
//! needs more than a number or a URL.

use std::time::Duration;

use super::{ConfigError, DEFAULT_MODEL_PRICES, Limits, number, url_var};
use crate::adapters::openai::TokenLimitField;
use crate::domain::{ChannelRef, ModelName, PriceTable, UserId};

/// The environment, trimmed: an empty variable reads as unset.
pub(super) struct Env<'a>(pub &'a dyn Fn(&str) -> Option<String>);

impl Env<'_> {
    pub fn get(&self, name: &'static str) -> Option<String> {
        (self.0)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    pub fn required(&self, name: &'static str) -> Result<String, ConfigError> {
        self.get(name).ok_or(ConfigError::Missing(name))
    }

    pub fn number(&self, name: &'static str, default: u64) -> Result<u64, ConfigError> {
        number(self.get(name), name, default)
    }

    pub fn secs(&self, name: &'static str, default: u64) -> Result<Duration, ConfigError> {
        self.number(name, default).map(Duration::from_secs)
    }

    pub fn url(&self, name: &'static str, default: &str) -> Result<String, ConfigError> {
        Ok(url_var(self.get(name), name)?.unwrap_or_else(|| default.to_owned()))
    }

    /// One of `choices` by its name; unset gives `default`, anything else is an error
    /// that lists the choices.
    pub fn choice<T: Copy>(
        &self,
        name: &'static str,
        choices: &[(&str, T)],
        default: T,
    ) -> Result<T, ConfigError> {
        let Some(raw) = self.get(name) else {
            return Ok(default);
        };
        choices
            .iter()
            .find(|(key, _)| *key == raw)
            .map(|(_, value)| *value)
            .ok_or_else(|| {
                let names: Vec<String> = choices.iter().map(|(k, _)| format!("{k:?}")).collect();
                ConfigError::Invalid {
                    name,
                    reason: format!("{raw:?} is none of {}", names.join(", ")),
                }
            })
    }
}

pub(super) fn channel(env: &Env<'_>) -> Result<Option<ChannelRef>, ConfigError> {
    env.get("CHANNEL_ID")
        .map(|raw| {
            ChannelRef::parse(&raw).map_err(|reason| ConfigError::Invalid {
                name: "CHANNEL_ID",
                reason,
            })
        })
        .transpose()
}

pub(super) fn user_ids(env: &Env<'_>, name: &'static str) -> Result<Vec<UserId>, ConfigError> {
    env.get(name)
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<i64>()
                .map(UserId::new)
                .map_err(|_| ConfigError::Invalid {
                    name,
                    reason: format!("{s:?} is not a numeric Telegram user id"),
                })
        })
        .collect()
}

pub(super) fn prices(env: &Env<'_>) -> Result<PriceTable, ConfigError> {
    let raw = env
        .get("MODEL_PRICES")
        .unwrap_or_else(|| DEFAULT_MODEL_PRICES.to_owned());
    let table = PriceTable::parse(&raw).map_err(|reason| ConfigError::Invalid {
        name: "MODEL_PRICES",
        reason,
    })?;
    let audio = env
        .get("AUDIO_PRICES")
        .unwrap_or_else(|| crate::domain::usage::DEFAULT_AUDIO_PRICES.to_owned());
    table
        .with_audio(&audio)
        .map_err(|reason| ConfigError::Invalid {
            name: "AUDIO_PRICES",
            reason,
        })
}

pub(super) fn limits(env: &Env<'_>) -> Result<Limits, ConfigError> {
    let tokens = |name| -> Result<Option<u64>, ConfigError> {
        Ok(env
            .get(name)
            .map(|_| env.number(name, 0))
            .transpose()?
            .filter(|v| *v > 0))
    };
    let usd = |name| -> Result<Option<u64>, ConfigError> {
        let Some(raw) = env.get(name) else {
            return Ok(None);
        };
        raw.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
            .map(|usd| Some((usd * 1_000_000.0).round() as u64).filter(|m| *m > 0))
            .ok_or_else(|| ConfigError::Invalid {
                name,
                reason: format!("{raw:?} is not an amount in USD"),
            })
    };
    Ok(Limits {
        daily_tokens: tokens("DAILY_TOKEN_LIMIT")?,
        monthly_tokens: tokens("MONTHLY_TOKEN_LIMIT")?,
        daily_cost_micros: usd("DAILY_COST_LIMIT_USD")?,
        monthly_cost_micros: usd("MONTHLY_COST_LIMIT_USD")?,
    })
}

/// `OPENAI_MODEL` first, then `ALLOWED_MODELS` without repeats.
pub(super) fn allowed_models(env: &Env<'_>, default: &str) -> Result<Vec<ModelName>, ConfigError> {
    let invalid = |name: &'static str| move |reason: String| ConfigError::Invalid { name, reason };
    let mut allowed = vec![ModelName::parse(default).map_err(invalid("OPENAI_MODEL"))?];
    for m in env.get("ALLOWED_MODELS").unwrap_or_default().split(',') {
        if m.trim().is_empty() {
            continue;
        }
        // Callback data is at most 64 bytes, and the model name travels in it.
        let m = ModelName::parse(m).map_err(invalid("ALLOWED_MODELS"))?;
        if !allowed.contains(&m) {
            allowed.push(m);
        }
    }
    Ok(allowed)
}

pub(super) fn transcription_model(env: &Env<'_>) -> Result<String, ConfigError> {
    match env.get("TRANSCRIPTION_MODEL") {
        Some(m) if m == "whisper-1" => Err(ConfigError::Invalid {
            name: "TRANSCRIPTION_MODEL",
            reason:
                "whisper-1 retires on 2027-02-26; use gpt-4o-mini-transcribe or gpt-4o-transcribe"
                    .into(),
        }),
        Some(m) => Ok(m),
        None => Ok("gpt-4o-mini-transcribe".into()),
    }
}

pub(super) fn token_field(env: &Env<'_>) -> Result<Option<TokenLimitField>, ConfigError> {
    let choices = [
        ("max_tokens", Some(TokenLimitField::MaxTokens)),
        (
            "max_completion_tokens",
            Some(TokenLimitField::MaxCompletionTokens),
        ),
    ];
    env.choice("OPENAI_MAX_TOKENS_PARAM", &choices, None)
}
