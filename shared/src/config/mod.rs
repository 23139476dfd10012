//! Typed configuration, read once per container from the environment.
//!
//! Every variable is documented in the README with its default. A missing or malformed
//! variable fails start-up with a message naming it, so a broken deploy shows up on the
//! first invocation's init log rather than as odd behaviour later.

use std::time::Duration;

use crate::domain::budget::Limits;
use crate::domain::{ChannelRef, PriceTable, UserId};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("missing required environment variable {0}")]
    Missing(&'static str),
    #[error("environment variable {name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueName {
    Inbound,
    Work,
    Outbox,
    OutboxDeadLetter,
    WorkDeadLetter,
}

impl QueueName {
    pub fn env_var(self) -> &'static str {
        match self {
            Self::Inbound => "INBOUND_QUEUE_URL",
            Self::Work => "WORK_QUEUE_URL",
            Self::Outbox => "OUTBOX_QUEUE_URL",
            Self::OutboxDeadLetter => "OUTBOX_DLQ_URL",
            Self::WorkDeadLetter => "WORK_DLQ_URL",
        }
    }
}

/// Where conversation history lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiMode {
    /// Chat Completions; history is ours (DynamoDB). Works with any OpenAI-compatible server.
    Chat,
    /// Responses API with Conversations; history lives server-side at OpenAI.
    Responses,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub table_name: String,
    /// `SECRET_ID` (the bot token), then `OPENAI_SECRET_ID` when the function calls OpenAI
    /// and `REDIS_SECRET_ID` when its cache needs a password.
    pub secret_ids: Vec<String>,
    inbound_queue_url: Option<String>,
    work_queue_url: Option<String>,
    outbox_queue_url: Option<String>,
    outbox_dlq_url: Option<String>,
    work_dlq_url: Option<String>,
    /// The work queue's `maxReceiveCount`: on the last delivery the processor gives up
    /// itself, tells the user, and parks the message.
    pub work_max_receives: u32,
    pub redis_url: Option<String>,
    pub channel: Option<ChannelRef>,
    pub channel_invite_url: Option<String>,
    pub allowed_user_ids: Vec<UserId>,
    pub admin_user_ids: Vec<UserId>,
    pub prices: PriceTable,
    /// Per-user limits; admins are exempt.
    pub limits: Limits,
    pub openai_model: String,
    pub openai_api_mode: ApiMode,
    pub openai_base_url: String,
    pub openai_timeout: Duration,
    /// The longest silence inside a streamed reply.
    pub openai_stream_idle: Duration,
    pub openai_max_attempts: u32,
    /// The longest reply the model may write, in tokens.
    pub max_reply_tokens: u32,
    /// `OPENAI_MAX_TOKENS_PARAM`, when the base URL's default is wrong for the server.
    pub token_field: Option<crate::adapters::openai::TokenLimitField>,
    pub telegram_api_base_url: String,
    pub telegram_timeout: Duration,
    pub history_turns: usize,
    pub context_budget: u32,
    pub membership_ttl: Duration,
    /// The scheduled style refresh skips users with fewer new messages than this.
    pub style_min_new_messages: u64,
    /// The bot's @username (without the @): how it knows it is addressed in a group.
    pub bot_username: Option<String>,
    /// Stream replies (drafts in private chats, "typing…" in groups).
    pub stream_replies: bool,
    pub draft_interval: Duration,
    /// Models `/settings` offers; always includes `openai_model`.
    pub allowed_models: Vec<String>,
    pub transcription_model: String,
    /// The model photos go to; unset: the chat's model (which must then see images).
    pub vision_model: Option<String>,
    pub speech_model: String,
    pub speech_voice: String,
}

pub const DEFAULT_OPENAI_MODEL: &str = "gpt-4o-mini";
/// USD per 1M input/output tokens; the template overrides it with `ModelPrices`.
pub const DEFAULT_MODEL_PRICES: &str = "gpt-4o-mini=0.15/0.60,gpt-4o=2.50/10.00,gpt-4.1-nano=0.10/0.40,gpt-4.1-mini=0.40/1.60,gpt-4.1=2.00/8.00";
pub const DEFAULT_OPENAI_BASE_URL: &str = "https://api.openai.com/v1";
pub const DEFAULT_TELEGRAM_API_BASE_URL: &str = "https://api.telegram.org";

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup`, so tests can supply a map instead of the process env.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &'static str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let required = |name: &'static str| get(name).ok_or(ConfigError::Missing(name));

        let channel = get("CHANNEL_ID")
            .map(|raw| {
                ChannelRef::parse(&raw).map_err(|reason| ConfigError::Invalid {
                    name: "CHANNEL_ID",
                    reason,
                })
            })
            .transpose()?;
        let user_ids = |name: &'static str| -> Result<Vec<UserId>, ConfigError> {
            get(name)
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse::<i64>()
                        .map(UserId)
                        .map_err(|_| ConfigError::Invalid {
                            name,
                            reason: format!("{s:?} is not a numeric Telegram user id"),
                        })
                })
                .collect()
        };
        let allowed_user_ids = user_ids("ALLOWED_USER_IDS")?;
        let admin_user_ids = user_ids("ADMIN_USER_IDS")?;
        let prices = PriceTable::parse(
            &get("MODEL_PRICES").unwrap_or_else(|| DEFAULT_MODEL_PRICES.to_owned()),
        )
        .map_err(|reason| ConfigError::Invalid {
            name: "MODEL_PRICES",
            reason,
        })?;

        let limit = |name: &'static str| -> Result<Option<u64>, ConfigError> {
            Ok(get(name)
                .map(|_| number(get(name), name, 0))
                .transpose()?
                .filter(|v| *v > 0))
        };
        let usd_limit = |name: &'static str| -> Result<Option<u64>, ConfigError> {
            match get(name) {
                None => Ok(None),
                Some(raw) => raw
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 0.0)
                    .map(|usd| Some((usd * 1_000_000.0).round() as u64).filter(|m| *m > 0))
                    .ok_or_else(|| ConfigError::Invalid {
                        name,
                        reason: format!("{raw:?} is not an amount in USD"),
                    }),
            }
        };
        let limits = Limits {
            daily_tokens: limit("DAILY_TOKEN_LIMIT")?,
            monthly_tokens: limit("MONTHLY_TOKEN_LIMIT")?,
            daily_cost_micros: usd_limit("DAILY_COST_LIMIT_USD")?,
            monthly_cost_micros: usd_limit("MONTHLY_COST_LIMIT_USD")?,
        };

        let openai_model = get("OPENAI_MODEL").unwrap_or_else(|| DEFAULT_OPENAI_MODEL.into());
        let mut allowed_models: Vec<String> = vec![openai_model.clone()];
        for m in get("ALLOWED_MODELS").unwrap_or_default().split(',') {
            let m = m.trim();
            // Callback data is at most 64 bytes, and the model name travels in it.
            if m.len() > 48 || m.contains(char::is_whitespace) {
                return Err(ConfigError::Invalid {
                    name: "ALLOWED_MODELS",
                    reason: format!("{m:?} is not a model name"),
                });
            }
            if !m.is_empty() && !allowed_models.iter().any(|a| a == m) {
                allowed_models.push(m.to_owned());
            }
        }
        let stream_replies = match get("STREAM_REPLIES").as_deref() {
            None | Some("true" | "1" | "on") => true,
            Some("false" | "0" | "off") => false,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "STREAM_REPLIES",
                    reason: format!("{other:?} is neither true nor false"),
                });
            }
        };

        Ok(Self {
            bot_username: get("BOT_USERNAME").map(|u| u.trim_start_matches('@').to_owned()),
            stream_replies,
            draft_interval: Duration::from_millis(
                number(get("DRAFT_INTERVAL_MS"), "DRAFT_INTERVAL_MS", 1000)?.max(200),
            ),
            allowed_models,
            transcription_model: match get("TRANSCRIPTION_MODEL") {
                Some(m) if m == "whisper-1" => {
                    return Err(ConfigError::Invalid {
                        name: "TRANSCRIPTION_MODEL",
                        reason: "whisper-1 retires on 2027-02-26; use gpt-4o-mini-transcribe or gpt-4o-transcribe".into(),
                    });
                }
                Some(m) => m,
                None => "gpt-4o-mini-transcribe".into(),
            },
            vision_model: get("VISION_MODEL"),
            speech_model: get("SPEECH_MODEL").unwrap_or_else(|| "gpt-4o-mini-tts".into()),
            speech_voice: get("SPEECH_VOICE").unwrap_or_else(|| "alloy".into()),
            table_name: required("TABLE_NAME")?,
            secret_ids: std::iter::once(required("SECRET_ID")?)
                .chain(get("OPENAI_SECRET_ID"))
                .chain(get("REDIS_SECRET_ID"))
                .collect(),
            inbound_queue_url: get("INBOUND_QUEUE_URL"),
            work_queue_url: get("WORK_QUEUE_URL"),
            outbox_queue_url: get("OUTBOX_QUEUE_URL"),
            outbox_dlq_url: get("OUTBOX_DLQ_URL"),
            work_dlq_url: get("WORK_DLQ_URL"),
            work_max_receives: number(get("WORK_MAX_RECEIVES"), "WORK_MAX_RECEIVES", 5)?
                .clamp(1, 1000) as u32,
            redis_url: get("REDIS_URL"),
            channel,
            channel_invite_url: get("CHANNEL_INVITE_URL"),
            allowed_user_ids,
            admin_user_ids,
            prices,
            limits,
            openai_model,
            openai_api_mode: match get("OPENAI_API_MODE").as_deref() {
                None | Some("chat") => ApiMode::Chat,
                Some("responses") => ApiMode::Responses,
                Some(other) => {
                    return Err(ConfigError::Invalid {
                        name: "OPENAI_API_MODE",
                        reason: format!("{other:?} is neither \"chat\" nor \"responses\""),
                    });
                }
            },
            openai_base_url: url_var(get("OPENAI_BASE_URL"), "OPENAI_BASE_URL")?
                .unwrap_or_else(|| DEFAULT_OPENAI_BASE_URL.into()),
            openai_timeout: Duration::from_secs(number(
                get("OPENAI_TIMEOUT_SECS"),
                "OPENAI_TIMEOUT_SECS",
                30,
            )?),
            openai_stream_idle: Duration::from_secs(
                number(
                    get("OPENAI_STREAM_IDLE_SECS"),
                    "OPENAI_STREAM_IDLE_SECS",
                    20,
                )?
                .max(1),
            ),
            openai_max_attempts: number(get("OPENAI_MAX_ATTEMPTS"), "OPENAI_MAX_ATTEMPTS", 3)?
                .max(1) as u32,
            max_reply_tokens: number(get("MAX_REPLY_TOKENS"), "MAX_REPLY_TOKENS", 1000)?
                .clamp(16, 100_000) as u32,
            token_field: match get("OPENAI_MAX_TOKENS_PARAM").as_deref() {
                None => None,
                Some("max_tokens") => Some(crate::adapters::openai::TokenLimitField::MaxTokens),
                Some("max_completion_tokens") => {
                    Some(crate::adapters::openai::TokenLimitField::MaxCompletionTokens)
                }
                Some(other) => {
                    return Err(ConfigError::Invalid {
                        name: "OPENAI_MAX_TOKENS_PARAM",
                        reason: format!(
                            "{other:?} is neither \"max_tokens\" nor \"max_completion_tokens\""
                        ),
                    });
                }
            },
            telegram_api_base_url: url_var(get("TELEGRAM_API_BASE_URL"), "TELEGRAM_API_BASE_URL")?
                .unwrap_or_else(|| DEFAULT_TELEGRAM_API_BASE_URL.into()),
            telegram_timeout: Duration::from_secs(number(
                get("TELEGRAM_TIMEOUT_SECS"),
                "TELEGRAM_TIMEOUT_SECS",
                // Two calls in a row must fit the webhook's 10 s (see handlers::webhook).
                5,
            )?),
            // Even: turns are stored in pairs, and a window that ends between a question and
            // its answer would leave the question beyond it, never folded into the notes.
            history_turns: (number(get("HISTORY_TURNS"), "HISTORY_TURNS", 40)?.max(2) as usize)
                .next_multiple_of(2),
            context_budget: number(get("CONTEXT_TOKEN_BUDGET"), "CONTEXT_TOKEN_BUDGET", 8000)?
                .clamp(500, 1_000_000) as u32,
            style_min_new_messages: number(
                get("STYLE_REFRESH_MIN_NEW_MESSAGES"),
                "STYLE_REFRESH_MIN_NEW_MESSAGES",
                20,
            )?,
            membership_ttl: Duration::from_secs(number(
                get("MEMBERSHIP_CACHE_SECS"),
                "MEMBERSHIP_CACHE_SECS",
                600,
            )?),
        })
    }

    /// The URL of a queue this function needs; call it at start-up so a missing variable
    /// fails the init phase with its name.
    pub fn queue_url(&self, queue: QueueName) -> Result<&str, ConfigError> {
        let url = match queue {
            QueueName::Inbound => &self.inbound_queue_url,
            QueueName::Work => &self.work_queue_url,
            QueueName::Outbox => &self.outbox_queue_url,
            QueueName::OutboxDeadLetter => &self.outbox_dlq_url,
            QueueName::WorkDeadLetter => &self.work_dlq_url,
        };
        url.as_deref().ok_or(ConfigError::Missing(queue.env_var()))
    }
}

/// What the `telegram-setup` function reads: the bot token's secret and how to reach
/// Telegram, nothing of the bot's tables and queues.
#[derive(Clone, Debug)]
pub struct SetupConfig {
    pub secret_id: String,
    pub telegram_api_base_url: String,
    pub telegram_timeout: Duration,
}

impl SetupConfig {
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &'static str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Ok(Self {
            secret_id: get("SECRET_ID").ok_or(ConfigError::Missing("SECRET_ID"))?,
            telegram_api_base_url: url_var(get("TELEGRAM_API_BASE_URL"), "TELEGRAM_API_BASE_URL")?
                .unwrap_or_else(|| DEFAULT_TELEGRAM_API_BASE_URL.into()),
            telegram_timeout: Duration::from_secs(number(
                get("TELEGRAM_TIMEOUT_SECS"),
                "TELEGRAM_TIMEOUT_SECS",
                5,
            )?),
        })
    }
}

fn number(raw: Option<String>, name: &'static str, default: u64) -> Result<u64, ConfigError> {
    match raw {
        None => Ok(default),
        Some(s) => s.parse().map_err(|_| ConfigError::Invalid {
            name,
            reason: format!("{s:?} is not a non-negative integer"),
        }),
    }
}

fn url_var(raw: Option<String>, name: &'static str) -> Result<Option<String>, ConfigError> {
    match raw {
        None => Ok(None),
        Some(s) if s.starts_with("http://") || s.starts_with("https://") => {
            Ok(Some(s.trim_end_matches('/').to_owned()))
        }
        Some(s) => Err(ConfigError::Invalid {
            name,
            reason: format!("{s:?} is not an http(s) URL"),
        }),
    }
}

#[cfg(test)]
mod tests;
