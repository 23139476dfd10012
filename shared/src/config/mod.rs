//! Typed configuration, read once per container from the environment.
//!
//! Every variable is documented in the README with its default. A missing or malformed
//! variable fails start-up with a message naming it, so a broken deploy shows up on the
//! first invocation's init log rather than as odd behaviour later.

use std::time::Duration;

use crate::domain::budget::Limits;
use crate::domain::{ChannelRef, PriceTable, UserId};

/// Why start-up refused the environment; the message names the variable to fix.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// A required variable is unset, or the URL of a queue this function sends to.
    #[error("missing required environment variable {0}")]
    Missing(&'static str),
    /// A variable is set but unusable; `reason` says how.
    #[error("environment variable {name} is invalid: {reason}")]
    Invalid {
        /// The variable, as the README lists it.
        name: &'static str,
        /// What is wrong with the value, quoting it so the log shows what was deployed.
        reason: String,
    },
}

/// The queues a function may send to, each found through its own variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueName {
    /// `INBOUND_QUEUE_URL`: updates the webhook accepted, for subscription-check.
    Inbound,
    /// `WORK_QUEUE_URL`: allowed messages and chores, for the processor.
    Work,
    /// `OUTBOX_QUEUE_URL`: replies, for the sender.
    Outbox,
    /// `OUTBOX_DLQ_URL`: replies the sender could not deliver, kept for a redrive.
    OutboxDeadLetter,
    /// `WORK_DLQ_URL`: messages the processor gave up on, kept for a redrive.
    WorkDeadLetter,
}

impl QueueName {
    /// The variable that holds its URL, named by the start-up error when it is missing.
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

/// What a bot function reads from its environment, once per container.
#[derive(Clone, Debug)]
pub struct Config {
    /// `TABLE_NAME`: the one DynamoDB table for everything the bot stores.
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
    /// `REDIS_URL`: the membership cache; unset, DynamoDB items serve instead.
    pub redis_url: Option<String>,
    /// `CHANNEL_ID`: members of this channel may use the bot.
    pub channel: Option<ChannelRef>,
    /// `CHANNEL_INVITE_URL`: the join link on a refusal; needed when the channel is a numeric id.
    pub channel_invite_url: Option<String>,
    /// `ALLOWED_USER_IDS`: let in whatever the channel says.
    pub allowed_user_ids: Vec<UserId>,
    /// `ADMIN_USER_IDS`: may use `/stats` and `/grant`, and have no limits.
    pub admin_user_ids: Vec<UserId>,
    /// `MODEL_PRICES`: what usage costs; an unpriced model's usage is recorded without cost.
    pub prices: PriceTable,
    /// Per-user limits; admins are exempt.
    pub limits: Limits,
    /// `RATE_LIMIT_PER_MINUTE` (default 20, 0 = off): messages per person per minute.
    pub rate_limit: crate::domain::rate::RateLimit,
    /// `OPENAI_MODEL`: the default model, first among `allowed_models`.
    pub openai_model: String,
    /// `OPENAI_API_MODE`: whether history is ours or the provider's.
    pub openai_api_mode: ApiMode,
    /// `OPENAI_BASE_URL`: OpenAI, or any compatible server.
    pub openai_base_url: String,
    /// `OPENAI_TIMEOUT_SECS`: a whole model call, and a stream's wait for its first event.
    pub openai_timeout: Duration,
    /// The longest silence inside a streamed reply.
    pub openai_stream_idle: Duration,
    /// `OPENAI_MAX_ATTEMPTS`: model calls per delivery before the record goes back to the queue.
    pub openai_max_attempts: u32,
    /// The longest reply the model may write, in tokens.
    pub max_reply_tokens: u32,
    /// `OPENAI_MAX_TOKENS_PARAM`, when the base URL's default is wrong for the server.
    pub token_field: Option<crate::adapters::openai::TokenLimitField>,
    /// `TELEGRAM_API_BASE_URL`: Telegram's Bot API, or a local Bot API server.
    pub telegram_api_base_url: String,
    /// `TELEGRAM_TIMEOUT_SECS`: per Bot API call; two in a row must fit the webhook's 10 s.
    pub telegram_timeout: Duration,
    /// `HISTORY_TURNS`, made even: the recent turns the model sees before older ones are folded.
    pub history_turns: usize,
    /// `CONTEXT_TOKEN_BUDGET`: most prompt tokens per call; history is folded to stay inside.
    pub context_budget: u32,
    /// `CONVERSATION_IDLE_HOURS` (24; 0 = never): a conversation quiet for longer is filed
    /// (kept for `/history`) and the next message starts a new one.
    pub conversation_idle: Option<Duration>,
    /// `MEMBERSHIP_CACHE_SECS`: how long a channel membership answer is trusted.
    pub membership_ttl: Duration,
    /// The scheduled style refresh skips users with fewer new messages than this.
    pub style_min_new_messages: u64,
    /// The bot's @username (without the @): how it knows it is addressed in a group.
    pub bot_username: Option<String>,
    /// Stream replies (drafts in private chats, "typing…" in groups).
    pub stream_replies: bool,
    /// `DRAFT_INTERVAL_MS` (at least 200 ms): the least time between two drafts in a chat.
    pub draft_interval: Duration,
    /// Models `/settings` offers; always includes `openai_model`.
    pub allowed_models: Vec<crate::domain::ModelName>,
    /// `TRANSCRIPTION_MODEL`: speech to text for voice notes, audio and round videos.
    pub transcription_model: String,
    /// The model photos go to; unset: the chat's model (which must then see images).
    pub vision_model: Option<String>,
    /// `SPEECH_MODEL`: text to speech for voice replies.
    pub speech_model: String,
    /// `SPEECH_VOICE`: which of the provider's voices reads the replies.
    pub speech_voice: String,
}

/// The model when `OPENAI_MODEL` is unset; priced in [`DEFAULT_MODEL_PRICES`].
pub const DEFAULT_OPENAI_MODEL: &str = "gpt-4o-mini";
/// USD per 1M input/output tokens; the template overrides it with `ModelPrices`.
pub const DEFAULT_MODEL_PRICES: &str = "gpt-4o-mini=0.15/0.60,gpt-4o=2.50/10.00,gpt-4.1-nano=0.10/0.40,gpt-4.1-mini=0.40/1.60,gpt-4.1=2.00/8.00";
/// OpenAI's own API, when `OPENAI_BASE_URL` is unset.
pub const DEFAULT_OPENAI_BASE_URL: &str = "https://api.openai.com/v1";
/// Telegram's public Bot API, when `TELEGRAM_API_BASE_URL` is unset.
pub const DEFAULT_TELEGRAM_API_BASE_URL: &str = "https://api.telegram.org";

impl Config {
    /// Reads the process environment; an `Err` names the variable, so the init phase fails clearly.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup`, so tests can supply a map instead of the process env.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env(&lookup);
        let openai_model = env
            .get("OPENAI_MODEL")
            .unwrap_or_else(|| DEFAULT_OPENAI_MODEL.into());
        Ok(Self {
            bot_username: env
                .get("BOT_USERNAME")
                .map(|u| u.trim_start_matches('@').to_owned()),
            stream_replies: env.choice(
                "STREAM_REPLIES",
                &[
                    ("true", true),
                    ("1", true),
                    ("on", true),
                    ("false", false),
                    ("0", false),
                    ("off", false),
                ],
                true,
            )?,
            draft_interval: Duration::from_millis(env.number("DRAFT_INTERVAL_MS", 1000)?.max(200)),
            allowed_models: readers::allowed_models(&env, &openai_model)?,
            transcription_model: readers::transcription_model(&env)?,
            vision_model: env.get("VISION_MODEL"),
            speech_model: env
                .get("SPEECH_MODEL")
                .unwrap_or_else(|| "gpt-4o-mini-tts".into()),
            speech_voice: env.get("SPEECH_VOICE").unwrap_or_else(|| "alloy".into()),
            table_name: env.required("TABLE_NAME")?,
            secret_ids: std::iter::once(env.required("SECRET_ID")?)
                .chain(env.get("OPENAI_SECRET_ID"))
                .chain(env.get("REDIS_SECRET_ID"))
                .collect(),
            inbound_queue_url: env.get("INBOUND_QUEUE_URL"),
            work_queue_url: env.get("WORK_QUEUE_URL"),
            outbox_queue_url: env.get("OUTBOX_QUEUE_URL"),
            outbox_dlq_url: env.get("OUTBOX_DLQ_URL"),
            work_dlq_url: env.get("WORK_DLQ_URL"),
            work_max_receives: env.number("WORK_MAX_RECEIVES", 5)?.clamp(1, 1000) as u32,
            redis_url: env.get("REDIS_URL"),
            channel: readers::channel(&env)?,
            channel_invite_url: env.get("CHANNEL_INVITE_URL"),
            allowed_user_ids: readers::user_ids(&env, "ALLOWED_USER_IDS")?,
            admin_user_ids: readers::user_ids(&env, "ADMIN_USER_IDS")?,
            prices: readers::prices(&env)?,
            limits: readers::limits(&env)?,
            rate_limit: crate::domain::rate::RateLimit {
                per_minute: env.number("RATE_LIMIT_PER_MINUTE", 20)?.min(10_000) as u32,
            },
            openai_model,
            openai_api_mode: env.choice(
                "OPENAI_API_MODE",
                &[("chat", ApiMode::Chat), ("responses", ApiMode::Responses)],
                ApiMode::Chat,
            )?,
            openai_base_url: env.url("OPENAI_BASE_URL", DEFAULT_OPENAI_BASE_URL)?,
            openai_timeout: env.secs("OPENAI_TIMEOUT_SECS", 30)?,
            openai_stream_idle: env
                .secs("OPENAI_STREAM_IDLE_SECS", 20)?
                .max(Duration::from_secs(1)),
            openai_max_attempts: env.number("OPENAI_MAX_ATTEMPTS", 3)?.max(1) as u32,
            max_reply_tokens: env.number("MAX_REPLY_TOKENS", 1000)?.clamp(16, 100_000) as u32,
            token_field: readers::token_field(&env)?,
            telegram_api_base_url: env
                .url("TELEGRAM_API_BASE_URL", DEFAULT_TELEGRAM_API_BASE_URL)?,
            // Two calls in a row must fit the webhook's 10 s (see handlers::webhook).
            telegram_timeout: env.secs("TELEGRAM_TIMEOUT_SECS", 5)?,
            // Even: turns are stored in pairs, and a window that ends between a question and
            // its answer would leave the question beyond it, never folded into the notes.
            history_turns: (env.number("HISTORY_TURNS", 40)?.max(2) as usize).next_multiple_of(2),
            context_budget: env
                .number("CONTEXT_TOKEN_BUDGET", 8000)?
                .clamp(500, 1_000_000) as u32,
            style_min_new_messages: env.number("STYLE_REFRESH_MIN_NEW_MESSAGES", 20)?,
            conversation_idle: match env.number("CONVERSATION_IDLE_HOURS", 24)? {
                0 => None,
                hours => Some(Duration::from_secs(hours.min(24 * 3650) * 3600)),
            },
            membership_ttl: env.secs("MEMBERSHIP_CACHE_SECS", 600)?,
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
    /// `SECRET_ID`: the secret holding the bot token.
    pub secret_id: String,
    /// `TELEGRAM_API_BASE_URL`, as for the bot's functions.
    pub telegram_api_base_url: String,
    /// `TELEGRAM_TIMEOUT_SECS`, as for the bot's functions.
    pub telegram_timeout: Duration,
}

impl SetupConfig {
    /// Reads through `lookup`, like [`Config::from_lookup`].
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env(&lookup);
        Ok(Self {
            secret_id: env.required("SECRET_ID")?,
            telegram_api_base_url: env
                .url("TELEGRAM_API_BASE_URL", DEFAULT_TELEGRAM_API_BASE_URL)?,
            telegram_timeout: env.secs("TELEGRAM_TIMEOUT_SECS", 5)?,
        })
    }
}

pub(crate) fn number(
    raw: Option<String>,
    name: &'static str,
    default: u64,
) -> Result<u64, ConfigError> {
    match raw {
        None => Ok(default),
        Some(s) => s.parse().map_err(|_| ConfigError::Invalid {
            name,
            reason: format!("{s:?} is not a non-negative integer"),
        }),
    }
}

pub(crate) fn url_var(
    raw: Option<String>,
    name: &'static str,
) -> Result<Option<String>, ConfigError> {
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

mod readers;
use readers::Env;

#[cfg(test)]
mod tests;
