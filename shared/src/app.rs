//! Wiring: builds each function's state from configuration. Used by the functions'
//! `main` and by the test environment, so tests run exactly what production runs.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use aws_config::SdkConfig;
use serde_json::json;

use crate::adapters::cache::AnyCache;
use crate::adapters::cloudformation::ResponseSender;
use crate::adapters::dynamo::{DynamoCache, DynamoStore};
use crate::adapters::openai::{AudioModels, OpenAiChat, OpenAiSettings};
use crate::adapters::redis::RedisCache;
use crate::adapters::secrets::Secrets;
use crate::adapters::sqs::SqsQueue;
use crate::adapters::telegram::TelegramClient;
use crate::config::{Config, ConfigError, QueueName, SetupConfig};
use crate::domain::AccessPolicy;
use crate::handlers::processor::ProcessorState;
use crate::handlers::sender::SenderState;
use crate::handlers::subscription::SubscriptionState;
use crate::handlers::telegram_setup::{SetupClients, TelegramSetupState};
use crate::handlers::webhook::{HealthProbe, ProbeCache, WebhookAccess, WebhookState};

/// AWS clients, built once per container.
#[derive(Clone, Debug)]
pub struct Clients {
    /// The bot's one table: every store, log and (without Redis) the cache.
    pub dynamo: aws_sdk_dynamodb::Client,
    /// Every queue the function sends to.
    pub sqs: aws_sdk_sqs::Client,
    /// Fetches the token and keys on first use (see [`Secrets`]).
    pub secrets: aws_sdk_secretsmanager::Client,
}

impl Clients {
    /// One client per service from the SDK config, sharing its credentials and region.
    pub fn new(sdk: &SdkConfig) -> Self {
        Self {
            dynamo: aws_sdk_dynamodb::Client::new(sdk),
            sqs: aws_sdk_sqs::Client::new(sdk),
            secrets: aws_sdk_secretsmanager::Client::new(sdk),
        }
    }
}

/// The secrets this function may read (`SECRET_ID` and the rest), fetched on first use.
pub fn secrets(config: &Config, clients: &Clients) -> Arc<Secrets> {
    Arc::new(Secrets::aws(
        clients.secrets.clone(),
        config.secret_ids.clone(),
    ))
}

fn store(config: &Config, clients: &Clients) -> DynamoStore {
    DynamoStore::new(clients.dynamo.clone(), &config.table_name)
}

fn queue(config: &Config, clients: &Clients, name: QueueName) -> anyhow::Result<SqsQueue> {
    Ok(SqsQueue::new(clients.sqs.clone(), config.queue_url(name)?))
}

fn telegram(config: &Config, secrets: Arc<Secrets>) -> anyhow::Result<TelegramClient> {
    TelegramClient::new(
        &config.telegram_api_base_url,
        config.telegram_timeout,
        secrets,
    )
}

/// `secrets`: the function's own, so the password (`REDIS_SECRET_ID`) costs no extra fetch.
pub fn cache(
    config: &Config,
    clients: &Clients,
    secrets: Arc<Secrets>,
) -> anyhow::Result<AnyCache> {
    Ok(match &config.redis_url {
        Some(url) => AnyCache::Redis(
            Box::new(RedisCache::new(url)?.with_password_from(secrets)),
            DynamoCache::new(store(config, clients)),
        ),
        None => AnyCache::Dynamo(DynamoCache::new(store(config, clients))),
    })
}

/// Non-secret configuration, for the detailed `/health` and start-up logs.
pub fn config_summary(config: &Config) -> serde_json::Value {
    json!({
        "table": config.table_name,
        "queues": {
            "inbound": config.queue_url(QueueName::Inbound).is_ok(),
            "work": config.queue_url(QueueName::Work).is_ok(),
            "outbox": config.queue_url(QueueName::Outbox).is_ok(),
        },
        "cache": if config.redis_url.is_some() { "redis" } else { "dynamodb" },
        "channel_configured": config.channel.is_some(),
        "allowed_users": config.allowed_user_ids.len(),
        "openai_model": config.openai_model,
        "openai_api_mode": format!("{:?}", config.openai_api_mode).to_lowercase(),
        "openai_base_url": config.openai_base_url,
        "telegram_api_base_url": config.telegram_api_base_url,
    })
}

/// What `/health` checks: the table, the inbound queue, the secrets, and Redis if set.
pub struct Probes {
    store: DynamoStore,
    inbound: SqsQueue,
    secrets: Arc<Secrets>,
    redis: Option<RedisCache>,
}

impl HealthProbe for Probes {
    async fn probe(&self) -> Vec<(&'static str, Result<String, String>)> {
        let (table, queue, secret) =
            futures::join!(self.store.probe(), self.inbound.probe(), self.secrets.get());
        let mut out = vec![
            (
                "dynamodb",
                table
                    .map(|()| "table reachable".to_owned())
                    .map_err(|e| e.to_string()),
            ),
            (
                "sqs",
                queue
                    .map(|()| "inbound queue reachable".to_owned())
                    .map_err(|e| e.to_string()),
            ),
            (
                "secrets",
                secret
                    .map(|_| "secret loaded and valid".to_owned())
                    .map_err(|e| e.to_string()),
            ),
        ];
        if let Some(redis) = &self.redis {
            // Redis is optional: report it, but a cache outage does not fail health.
            let detail = match redis.ping().await {
                Ok(()) => "reachable".to_owned(),
                Err(e) => format!("unreachable ({e}); running without cache"),
            };
            out.push(("redis", Ok(detail)));
        }
        out
    }
}

/// The webhook's state; `Err` for a missing queue URL or an unreadable `REDIS_URL`.
pub fn webhook(
    config: &Config,
    clients: &Clients,
) -> anyhow::Result<WebhookState<DynamoStore, SqsQueue, Probes, TelegramClient>> {
    let secrets = secrets(config, clients);
    let inbound = queue(config, clients, QueueName::Inbound)?;
    let redis = config
        .redis_url
        .as_deref()
        .map(RedisCache::new)
        .transpose()?;
    let access = WebhookAccess {
        policy: access_policy(config),
        invite_url: config.channel_invite_url.clone(),
        ttl: config.membership_ttl,
    };
    Ok(WebhookState {
        access,
        log: store(config, clients),
        inbound: inbound.clone(),
        secrets: secrets.clone(),
        channel: config.channel.clone(),
        bot_username: config.bot_username.clone(),
        telegram: telegram(config, secrets.clone())?,
        allowed_models: config.allowed_models.clone(),
        admins: config.admin_user_ids.clone(),
        health: Probes {
            store: store(config, clients),
            inbound,
            secrets,
            redis,
        },
        probe_cache: ProbeCache::default(),
        config_summary: config_summary(config),
    })
}

/// Who may use the bot: subscription-check and the webhook judge alike.
fn access_policy(config: &Config) -> AccessPolicy {
    AccessPolicy {
        allowed_users: config.allowed_user_ids.clone(),
        channel: config.channel.clone(),
    }
}

/// subscription-check's state: the access policy, the membership cache, its queues.
pub fn subscription(
    config: &Config,
    clients: &Clients,
) -> anyhow::Result<SubscriptionState<AnyCache, TelegramClient, SqsQueue, DynamoStore>> {
    let secrets = secrets(config, clients);
    Ok(SubscriptionState {
        policy: access_policy(config),
        invite_url: config.channel_invite_url.clone(),
        cache: cache(config, clients, secrets.clone())?,
        telegram: telegram(config, secrets)?,
        inbound: queue(config, clients, QueueName::Inbound)?,
        work: queue(config, clients, QueueName::Work)?,
        outbox: queue(config, clients, QueueName::Outbox)?,
        ttl: config.membership_ttl,
        rate_limit: config.rate_limit,
        profiles: store(config, clients),
    })
}

fn openai(config: &Config, secrets: Arc<Secrets>) -> OpenAiChat {
    let mut settings = OpenAiSettings::new(
        &config.openai_base_url,
        &config.openai_model,
        config.openai_timeout,
    );
    settings.stream_idle = config.openai_stream_idle;
    if let Some(field) = config.token_field {
        settings.token_field = field;
    }
    settings.audio = AudioModels {
        transcription: config.transcription_model.clone(),
        speech: config.speech_model.clone(),
        voice: config.speech_voice.clone(),
    };
    OpenAiChat::new(settings, secrets)
}

/// The processor's state: the model, the store, its queues and every limit it applies.
pub fn processor(
    config: &Config,
    clients: &Clients,
) -> anyhow::Result<ProcessorState<DynamoStore, OpenAiChat, SqsQueue, TelegramClient>> {
    let secrets = secrets(config, clients);
    Ok(ProcessorState {
        clock: std::sync::Arc::new(crate::clock::SystemClock),
        store: store(config, clients),
        model: openai(config, secrets.clone()),
        telegram: telegram(config, secrets)?,
        outbox: queue(config, clients, QueueName::Outbox)?,
        work: queue(config, clients, QueueName::Work)?,
        dead_letters: queue(config, clients, QueueName::WorkDeadLetter)?,
        max_receives: config.work_max_receives,
        history_turns: config.history_turns,
        conversation_idle: config.conversation_idle,
        max_attempts: config.openai_max_attempts,
        retry_delay: Duration::from_millis(500),
        redelivery_delay: Duration::from_secs(30),
        prices: config.prices.clone(),
        admins: config.admin_user_ids.clone(),
        limits: config.limits,
        context_budget: config.context_budget,
        reply_tokens: config.max_reply_tokens,
        calibration: std::sync::Mutex::default(),
        mode: config.openai_api_mode,
        stream: config.stream_replies,
        draft_interval: config.draft_interval,
        allowed_models: config.allowed_models.clone(),
        default_model: config.openai_model.clone(),
        vision_model: config.vision_model.clone(),
        capabilities: Default::default(),
        transcription_model: config.transcription_model.clone(),
        speech_model: config.speech_model.clone(),
    })
}

/// The sender's state: Telegram, speech for voice replies, and its queues.
pub fn sender(
    config: &Config,
    clients: &Clients,
) -> anyhow::Result<SenderState<DynamoStore, TelegramClient, SqsQueue, OpenAiChat>> {
    let secrets = secrets(config, clients);
    Ok(SenderState {
        store: store(config, clients),
        telegram: telegram(config, secrets.clone())?,
        speaker: openai(config, secrets),
        outbox: queue(config, clients, QueueName::Outbox)?,
        dead_letters: queue(config, clients, QueueName::OutboxDeadLetter)?,
        work: queue(config, clients, QueueName::Work)?,
        speech_model: config.speech_model.clone(),
        capabilities: Default::default(),
        speech_attempts: crate::handlers::retry::Attempts {
            max: config.openai_max_attempts,
            first_wait: Duration::from_millis(500),
        },
    })
}

/// style-refresh needs only the table: profiles are built without a model call.
pub fn style_refresh(config: &Config, clients: &Clients) -> DynamoStore {
    store(config, clients)
}

/// The `telegram-setup` function's state. A configuration it cannot use is kept as the
/// reason to give CloudFormation, not an init failure: that would leave the stack waiting.
pub fn telegram_setup(
    config: Result<SetupConfig, ConfigError>,
    secrets: aws_sdk_secretsmanager::Client,
) -> anyhow::Result<TelegramSetupState> {
    let telegram = config.map_err(|e| e.to_string()).and_then(|config| {
        // Never read: each request gets a client on freshly read secrets.
        let unused = Arc::new(Secrets::aws(
            secrets.clone(),
            vec![config.secret_id.clone()],
        ));
        let telegram = TelegramClient::new(
            &config.telegram_api_base_url,
            config.telegram_timeout,
            unused,
        )
        .map_err(|e| e.to_string())?;
        Ok(SetupClients {
            secrets,
            secret_id: config.secret_id,
            telegram,
        })
    });
    Ok(TelegramSetupState {
        telegram,
        responder: ResponseSender::new()?,
    })
}

/// Loads config and AWS clients the way every function does at start-up.
pub async fn bootstrap() -> anyhow::Result<(Config, Clients)> {
    let config = Config::from_env().context("configuration")?;
    let sdk = crate::runtime::aws_config().await;
    Ok((config, Clients::new(&sdk)))
}
