//! Assembling a stack: services and stand-ins, AWS clients (through a gate when asked),
//! the provisioned resources, the functions' environment, and each handler's state built
//! by the same wiring as its `main`.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::Context;
use serde_json::json;
use shared::Config;
use shared::app::{self, Clients};
use shared::handlers::processor::ProcessorState;
use shared::handlers::sender::SenderState;
use shared::handlers::subscription::SubscriptionState;

use super::stand_ins::StandInThread;
use super::{
    LOCAL_BOT_TOKEN, LOCAL_BOT_USERNAME, LOCAL_OPENAI_KEY, LOCAL_WEBHOOK_SECRET, Stack,
    StackOptions,
};
use crate::flaky::FlakyQueue;
use crate::gate::Gate;
use crate::meter::Meter;
use crate::openai_standin::OpenAiStandIn;
use crate::provision::{Plan, ProvisionOptions, Resources, provision};
use crate::services::{Moto, RedisServer, aws_clients};
use crate::telegram_standin::TelegramStandIn;

/// Where the functions reach an OpenAI-compatible server, and the stand-in if it is ours.
struct OpenAiEndpoint {
    stand_in: Option<OpenAiStandIn>,
    base_url: String,
    key: String,
}

impl Stack {
    /// Starts every part and wires the handlers as their `main`s do.
    pub async fn start(opts: StackOptions) -> anyhow::Result<Self> {
        let moto = Moto::shared()?;
        let redis = if opts.redis {
            Some(RedisServer::start()?)
        } else {
            None
        };
        let stand_ins = StandInThread::start()?;
        let telegram = stand_ins
            .run(TelegramStandIn::start(LOCAL_BOT_TOKEN))
            .await?;
        let openai = start_openai(&stand_ins, &opts).await?;
        let gate = start_gate(&stand_ins, &moto, opts.aws_gate).await?;
        let aws_endpoint = gate
            .as_ref()
            .map_or_else(|| moto.endpoint.clone(), Gate::url);
        let clients = aws_clients(&aws_endpoint).await;
        let plan = Plan::load().context("reading template.yaml")?;
        let resources = provision_for(&clients, &plan, &opts, &openai.key).await?;

        let mut env = function_env(&opts, &resources, &telegram.base_url(), &openai.base_url)?;
        env.extend(optional_env(&opts, redis.as_ref()));
        let map: HashMap<String, String> = env.iter().cloned().collect();
        let config = Config::from_lookup(|k| map.get(k).cloned())?;
        env.extend(aws_env(&aws_endpoint));
        let meter = match opts.meter {
            true => Some(
                stand_ins
                    .run(Meter::start(aws_endpoint.clone(), &FUNCTIONS))
                    .await??,
            ),
            false => None,
        };
        let each = FunctionClients::new(meter.as_ref(), &clients).await;

        Ok(Self {
            webhook: app::webhook(&config, &each.webhook)?,
            subscription: subscription_state(&config, &each.subscription)?,
            processor: processor_state(&config, &each.processor)?,
            sender: sender_state(&config, &each.sender)?,
            style: app::style_refresh(&config, &each.style),
            meter,
            moto,
            gate,
            redis: Mutex::new(redis),
            telegram,
            openai: openai.stand_in,
            clients,
            resources,
            config,
            env,
            crash_after_handling: Mutex::new(HashSet::new()),
            invocations: Mutex::new(HashMap::new()),
            invoked_at: Mutex::new(Vec::new()),
            _stand_ins: stand_ins,
        })
    }
}

/// The functions the meter tells apart.
static FUNCTIONS: [&str; 5] = [
    "webhook",
    "subscription-check",
    "processor",
    "sender",
    "style-refresh",
];

/// Each function's AWS clients: through its own meter port, or the stack's own.
struct FunctionClients {
    webhook: Clients,
    subscription: Clients,
    processor: Clients,
    sender: Clients,
    style: Clients,
}

impl FunctionClients {
    async fn new(meter: Option<&Meter>, shared: &Clients) -> Self {
        let of = |name: &str| {
            let endpoint = meter.and_then(|m| m.endpoint(name));
            async move {
                match endpoint {
                    Some(e) => aws_clients(&e).await,
                    None => shared.clone(),
                }
            }
        };
        Self {
            webhook: of("webhook").await,
            subscription: of("subscription-check").await,
            processor: of("processor").await,
            sender: of("sender").await,
            style: of("style-refresh").await,
        }
    }
}

/// The OpenAI stand-in on the stand-ins' thread, unless a real server was asked for.
async fn start_openai(
    stand_ins: &StandInThread,
    opts: &StackOptions,
) -> anyhow::Result<OpenAiEndpoint> {
    Ok(match &opts.real_openai {
        Some((base, key)) => OpenAiEndpoint {
            stand_in: None,
            base_url: base.clone(),
            key: key.clone(),
        },
        None => {
            let stand_in = stand_ins
                .run(OpenAiStandIn::start(LOCAL_OPENAI_KEY))
                .await?;
            OpenAiEndpoint {
                base_url: stand_in.base_url(),
                stand_in: Some(stand_in),
                key: LOCAL_OPENAI_KEY.to_owned(),
            }
        }
    })
}

/// A gate in front of moto when the test takes AWS away for a while (`aws_gate`).
async fn start_gate(
    stand_ins: &StandInThread,
    moto: &Moto,
    wanted: bool,
) -> anyhow::Result<Option<Gate>> {
    if !wanted {
        return Ok(None);
    }
    let target: std::net::SocketAddr = moto
        .endpoint
        .trim_start_matches("http://")
        .parse()
        .context("moto's endpoint")?;
    Ok(Some(stand_ins.run(Gate::start(target)).await??))
}

/// Creates the template's resources with the options' overrides, and the local secrets:
/// the token with a fixed webhook secret (so `events/` payloads carry the right header)
/// where functions read `SECRET_ID`, the key where they read `OPENAI_SECRET_ID`.
async fn provision_for(
    clients: &Clients,
    plan: &Plan,
    opts: &StackOptions,
    openai_key: &str,
) -> anyhow::Result<Resources> {
    let bot = json!({
        "telegram_bot_token": LOCAL_BOT_TOKEN,
        "webhook_secret": LOCAL_WEBHOOK_SECRET,
    });
    let key = json!({ "openai_api_key": openai_key });
    let secrets = [
        (plan.resource_of("SECRET_ID")?, bot),
        (plan.resource_of("OPENAI_SECRET_ID")?, key),
    ];
    let options = ProvisionOptions {
        prefix: opts.prefix.clone(),
        visibility_timeout_secs: opts.visibility_timeout_secs,
        max_receive_count: opts.max_receive_count,
        secrets: secrets
            .into_iter()
            .map(|(id, value)| (id.to_owned(), value.to_string()))
            .collect(),
    };
    provision(clients, plan, &options)
        .await
        .context("provisioning the local resources")
}

/// The variables every function gets: the resources under the names the template gives
/// them, endpoints, and the options' settings.
fn function_env(
    opts: &StackOptions,
    resources: &Resources,
    telegram_base_url: &str,
    openai_base_url: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    let ids = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    // The template restates the work queue's receive count as a literal (a unit test
    // checks they agree); here it follows the queue as created, overrides included.
    let work_max_receives = resources
        .max_receives(&resources.work)
        .context("the work queue has no redrive policy")?;
    let mut env = resources.env()?;
    env.extend([
        ("WORK_MAX_RECEIVES".into(), work_max_receives.to_string()),
        ("TELEGRAM_API_BASE_URL".into(), telegram_base_url.into()),
        ("OPENAI_BASE_URL".into(), openai_base_url.into()),
        ("OPENAI_MODEL".into(), opts.openai_model.clone()),
        (
            "OPENAI_TIMEOUT_SECS".into(),
            opts.openai_timeout_secs.to_string(),
        ),
        (
            "OPENAI_MAX_ATTEMPTS".into(),
            opts.openai_max_attempts.to_string(),
        ),
        ("TELEGRAM_TIMEOUT_SECS".into(), "5".into()),
        ("BOT_USERNAME".into(), LOCAL_BOT_USERNAME.into()),
        (
            "DRAFT_INTERVAL_MS".into(),
            opts.draft_interval_ms.to_string(),
        ),
        ("ALLOWED_USER_IDS".into(), ids(&opts.allowed_users)),
    ]);
    // Metrics on, as deployed: the real binaries (`cargo lambda watch` in
    // scripts/lambda-smoke and `chat --serve`, the child processes of the integration
    // tests) write their EMF lines among their logs, where the privacy checks search
    // them too. The handlers run in-process here install no recorder, and record nothing.
    env.push((
        shared::metrics::NAMESPACE_VAR.into(),
        shared::metrics::DEFAULT_NAMESPACE.into(),
    ));
    env.push(("ADMIN_USER_IDS".into(), ids(&opts.admins)));
    Ok(env)
}

/// The variables only some stacks set: the options' extras, prices, Redis and a channel.
fn optional_env(opts: &StackOptions, redis: Option<&RedisServer>) -> Vec<(String, String)> {
    let mut env = opts.extra_env.clone();
    if let Some(prices) = &opts.model_prices {
        env.push(("MODEL_PRICES".into(), prices.clone()));
    }
    if let Some(r) = redis {
        env.push(("REDIS_URL".into(), r.url.clone()));
    }
    if let Some(c) = &opts.channel {
        env.push(("CHANNEL_ID".into(), c.clone()));
    }
    if let Some(u) = &opts.channel_invite_url {
        env.push(("CHANNEL_INVITE_URL".into(), u.clone()));
    }
    env
}

/// What the real binaries need to reach moto; not part of the functions' [`Config`].
fn aws_env(endpoint: &str) -> [(String, String); 5] {
    [
        ("AWS_ENDPOINT_URL".into(), endpoint.to_owned()),
        ("AWS_REGION".into(), "us-east-1".into()),
        ("AWS_ACCESS_KEY_ID".into(), "test".into()),
        ("AWS_SECRET_ACCESS_KEY".into(), "test".into()),
        ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
    ]
}

/// subscription-check's state, its queues wrapped so tests can make them fail.
fn subscription_state(
    config: &Config,
    clients: &Clients,
) -> anyhow::Result<super::SubscriptionCheck> {
    let s = app::subscription(config, clients)?;
    Ok(SubscriptionState {
        policy: s.policy,
        invite_url: s.invite_url,
        cache: s.cache,
        telegram: s.telegram,
        inbound: FlakyQueue::new(s.inbound),
        work: FlakyQueue::new(s.work),
        outbox: FlakyQueue::new(s.outbox),
        ttl: s.ttl,
        rate_limit: s.rate_limit,
        profiles: s.profiles,
    })
}

/// The processor's state, its queues wrapped so tests can make them fail.
fn processor_state(config: &Config, clients: &Clients) -> anyhow::Result<super::Processor> {
    let p = app::processor(config, clients)?;
    Ok(ProcessorState {
        clock: p.clock,
        store: p.store,
        model: p.model,
        telegram: p.telegram,
        outbox: FlakyQueue::new(p.outbox),
        work: FlakyQueue::new(p.work),
        dead_letters: FlakyQueue::new(p.dead_letters),
        max_receives: p.max_receives,
        history_turns: p.history_turns,
        conversation_idle: p.conversation_idle,
        max_attempts: p.max_attempts,
        // Short, so fault tests do not wait; production uses app's default.
        retry_delay: Duration::from_millis(50),
        redelivery_delay: Duration::from_secs(1),
        prices: p.prices,
        admins: p.admins,
        limits: p.limits,
        context_budget: p.context_budget,
        reply_tokens: p.reply_tokens,
        calibration: p.calibration,
        mode: p.mode,
        stream: p.stream,
        draft_interval: p.draft_interval,
        allowed_models: p.allowed_models,
        default_model: p.default_model,
        vision_model: p.vision_model,
        capabilities: p.capabilities,
        transcription_model: p.transcription_model,
        speech_model: p.speech_model,
    })
}

/// The sender's state, its queues wrapped so tests can make them fail.
fn sender_state(config: &Config, clients: &Clients) -> anyhow::Result<super::Sender> {
    let sd = app::sender(config, clients)?;
    Ok(SenderState {
        store: sd.store,
        telegram: sd.telegram,
        speaker: sd.speaker,
        outbox: FlakyQueue::new(sd.outbox),
        dead_letters: FlakyQueue::new(sd.dead_letters),
        work: FlakyQueue::new(sd.work),
        speech_model: sd.speech_model,
        capabilities: sd.capabilities,
        speech_attempts: sd.speech_attempts,
    })
}
