//! The whole bot on one machine: moto, optional redis-server, the Telegram and OpenAI
//! stand-ins, the five functions' handlers built by the same wiring as their `main`, and
//! a runner that feeds SQS messages to them the way Lambda's event source mapping does.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use aws_sdk_sqs::types::QueueAttributeName;
use http::StatusCode;
use serde_json::{Value, json};
use shared::Config;
use shared::adapters::cache::AnyCache;
use shared::adapters::dynamo::DynamoStore;
use shared::adapters::openai::OpenAiChat;
use shared::adapters::sqs::SqsQueue;
use shared::adapters::telegram::TelegramClient;
use shared::app::{self, Clients, Probes};
use shared::clock::Deadline;
use shared::handlers::processor::ProcessorState;
use shared::handlers::sender::SenderState;
use shared::handlers::style_refresh::{self, RefreshSummary, StyleRefreshEvent};
use shared::handlers::subscription::SubscriptionState;
use shared::handlers::webhook::WebhookState;
use shared::handlers::{processor, sender, subscription, webhook};

use crate::esm;
use crate::flaky::FlakyQueue;
use crate::gate::Gate;
use crate::openai_standin::OpenAiStandIn;
use crate::provision::{ProvisionOptions, Resources, provision};
use crate::services::{Moto, RedisServer};
use crate::telegram_standin::TelegramStandIn;

/// The webhook secret and bot token of the local stack; `events/` uses the same.
pub const LOCAL_WEBHOOK_SECRET: &str = "local-dev-webhook-secret";
pub const LOCAL_BOT_TOKEN: &str = "123456789:LOCAL-dev-token_for-the-stand-in";
pub const LOCAL_OPENAI_KEY: &str = "sk-local-stand-in-key";
/// The local bot's @username (`BOT_USERNAME`): how group members address it.
pub const LOCAL_BOT_USERNAME: &str = "companion_bot";
/// What the demo conversation's voice note says.
pub const DEMO_VOICE_TEXT: &str = "what a lovely evening it is";

/// A tiny JPEG (SOI, JFIF header, EOI) for the demo and `!photo`.
pub fn demo_photo() -> Vec<u8> {
    let mut bytes = vec![
        0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0,
    ];
    bytes.extend_from_slice(b"a sunset over the sea");
    bytes.extend_from_slice(&[0xff, 0xd9]);
    bytes
}

/// The numeric part of `LOCAL_BOT_TOKEN`.
pub const LOCAL_BOT_ID: i64 = 123_456_789;

#[derive(Clone, Debug)]
pub struct StackOptions {
    pub redis: bool,
    pub channel: Option<String>,
    pub channel_invite_url: Option<String>,
    pub allowed_users: Vec<i64>,
    pub admins: Vec<i64>,
    /// Extra variables, e.g. limits (`DAILY_TOKEN_LIMIT`).
    pub extra_env: Vec<(String, String)>,
    /// `MODEL_PRICES`; `None` keeps the built-in default table.
    pub model_prices: Option<String>,
    /// `(base_url, api_key)` of a real OpenAI-compatible server; `None` uses the stand-in.
    pub real_openai: Option<(String, String)>,
    pub openai_model: String,
    pub visibility_timeout_secs: u32,
    pub max_receive_count: u32,
    pub openai_timeout_secs: u64,
    pub openai_max_attempts: u32,
    /// Resource name prefix; unique per stack so tests can share one moto.
    pub prefix: String,
    /// `DRAFT_INTERVAL_MS`: short in tests so streams show several drafts quickly.
    pub draft_interval_ms: u64,
    /// Reach moto through a [`Gate`], so DynamoDB and SQS can be taken away for a while.
    pub aws_gate: bool,
}

impl Default for StackOptions {
    fn default() -> Self {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        Self {
            redis: true,
            channel: None,
            channel_invite_url: None,
            allowed_users: Vec::new(),
            admins: Vec::new(),
            extra_env: Vec::new(),
            model_prices: None,
            real_openai: None,
            openai_model: "gpt-4o-mini".into(),
            visibility_timeout_secs: 1,
            max_receive_count: 5,
            openai_timeout_secs: 5,
            openai_max_attempts: 3,
            prefix: format!("bot{}-{n}-{nanos}", std::process::id()),
            draft_interval_ms: 200,
            aws_gate: false,
        }
    }
}

/// The three SQS-triggered stages, by the queue that feeds them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// inbound queue -> subscription-check
    Subscription,
    /// work queue -> processor
    Processor,
    /// outbox queue -> sender
    Sender,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Subscription, Stage::Processor, Stage::Sender];

    pub fn function(self) -> &'static str {
        match self {
            Self::Subscription => "subscription-check",
            Self::Processor => "processor",
            Self::Sender => "sender",
        }
    }
}

/// A thread and runtime of the stand-ins' own: their servers run there, not on the
/// test's thread, so what they do (and log) stays apart from the code under test, and a
/// test can capture the functions' logs with a subscriber scoped to its own thread.
struct StandInThread {
    handle: tokio::runtime::Handle,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl StandInThread {
    fn start() -> anyhow::Result<Self> {
        let (handle_tx, handle_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("stand-ins".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(r) => r,
                    Err(e) => return drop(handle_tx.send(Err(e))),
                };
                if handle_tx.send(Ok(runtime.handle().clone())).is_ok() {
                    // Runs the servers until the stack is dropped (or the process ends).
                    runtime.block_on(async move { drop(stopped.await) });
                }
            })
            .context("starting the stand-ins' thread")?;
        let handle = handle_rx
            .recv()
            .context("the stand-ins' thread did not start")?
            .context("the stand-ins' runtime")?;
        Ok(Self {
            handle,
            stop: Some(stop),
        })
    }

    /// Runs `future` (a stand-in's `start`) on the stand-ins' runtime, so the tasks it
    /// spawns live there.
    async fn run<F>(&self, future: F) -> anyhow::Result<F::Output>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle
            .spawn(future)
            .await
            .context("starting a stand-in")
    }
}

impl Drop for StandInThread {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub struct Stack {
    pub moto: Arc<Moto>,
    gate: Option<Gate>,
    pub redis: Mutex<Option<RedisServer>>,
    pub telegram: TelegramStandIn,
    pub openai: Option<OpenAiStandIn>,
    pub clients: Clients,
    pub resources: Resources,
    pub config: Config,
    /// Every variable a function needs, as `cargo lambda watch --env-file` reads them.
    pub env: Vec<(String, String)>,
    pub webhook: WebhookState<DynamoStore, SqsQueue, Probes, TelegramClient>,
    pub subscription: SubscriptionState<AnyCache, TelegramClient, FlakyQueue<SqsQueue>>,
    pub processor: ProcessorState<DynamoStore, OpenAiChat, FlakyQueue<SqsQueue>, TelegramClient>,
    pub sender: SenderState<DynamoStore, TelegramClient, FlakyQueue<SqsQueue>, OpenAiChat>,
    pub style: DynamoStore,
    crash_after_handling: Mutex<HashSet<Stage>>,
    invocations: Mutex<HashMap<Stage, usize>>,
    /// Last, so the stand-ins are dropped before their runtime stops.
    _stand_ins: StandInThread,
}

impl Stack {
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
        let (openai, openai_base, openai_key) = match &opts.real_openai {
            Some((base, key)) => (None, base.clone(), key.clone()),
            None => {
                let s = stand_ins
                    .run(OpenAiStandIn::start(LOCAL_OPENAI_KEY))
                    .await?;
                let base = s.base_url();
                (Some(s), base, LOCAL_OPENAI_KEY.to_owned())
            }
        };

        let gate = if opts.aws_gate {
            let target: std::net::SocketAddr = moto
                .endpoint
                .trim_start_matches("http://")
                .parse()
                .context("moto's endpoint")?;
            Some(stand_ins.run(Gate::start(target)).await??)
        } else {
            None
        };
        let aws_endpoint = gate
            .as_ref()
            .map_or_else(|| moto.endpoint.clone(), Gate::url);
        let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .endpoint_url(&aws_endpoint)
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_sqs::config::Credentials::new(
                "test", "test", None, None, "local",
            ))
            .load()
            .await;
        let clients = Clients::new(&sdk);
        let secret = json!({
            "telegram_bot_token": LOCAL_BOT_TOKEN,
            "openai_api_key": openai_key,
            "webhook_secret": LOCAL_WEBHOOK_SECRET,
        });
        let resources = provision(
            &clients,
            &ProvisionOptions {
                prefix: opts.prefix.clone(),
                visibility_timeout_secs: opts.visibility_timeout_secs,
                max_receive_count: opts.max_receive_count,
            },
            &secret.to_string(),
        )
        .await
        .context("provisioning the local resources")?;

        let mut env: Vec<(String, String)> = vec![
            ("TABLE_NAME".into(), resources.table.clone()),
            ("SECRET_ID".into(), resources.secret_id.clone()),
            ("INBOUND_QUEUE_URL".into(), resources.inbound.clone()),
            ("WORK_QUEUE_URL".into(), resources.work.clone()),
            ("OUTBOX_QUEUE_URL".into(), resources.outbox.clone()),
            ("OUTBOX_DLQ_URL".into(), resources.outbox_dlq.clone()),
            ("WORK_DLQ_URL".into(), resources.work_dlq.clone()),
            (
                "WORK_MAX_RECEIVES".into(),
                opts.max_receive_count.to_string(),
            ),
            ("TELEGRAM_API_BASE_URL".into(), telegram.base_url()),
            ("OPENAI_BASE_URL".into(), openai_base),
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
            (
                "ALLOWED_USER_IDS".into(),
                opts.allowed_users
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
        ];
        // Metrics on, as deployed: the real binaries (`cargo lambda watch` in
        // scripts/lambda-smoke and `chat --serve`, the child processes of the integration
        // tests) write their EMF lines among their logs, where the privacy checks search
        // them too. The handlers run in-process here install no recorder, and record nothing.
        env.push((
            shared::metrics::NAMESPACE_VAR.into(),
            shared::metrics::DEFAULT_NAMESPACE.into(),
        ));
        env.push((
            "ADMIN_USER_IDS".into(),
            opts.admins
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(","),
        ));
        env.extend(opts.extra_env.iter().cloned());
        if let Some(prices) = &opts.model_prices {
            env.push(("MODEL_PRICES".into(), prices.clone()));
        }
        if let Some(r) = &redis {
            env.push(("REDIS_URL".into(), r.url.clone()));
        }
        if let Some(c) = &opts.channel {
            env.push(("CHANNEL_ID".into(), c.clone()));
        }
        if let Some(u) = &opts.channel_invite_url {
            env.push(("CHANNEL_INVITE_URL".into(), u.clone()));
        }
        let map: HashMap<String, String> = env.iter().cloned().collect();
        let config = Config::from_lookup(|k| map.get(k).cloned())?;
        env.extend([
            ("AWS_ENDPOINT_URL".into(), aws_endpoint.clone()),
            ("AWS_REGION".into(), "us-east-1".into()),
            ("AWS_ACCESS_KEY_ID".into(), "test".into()),
            ("AWS_SECRET_ACCESS_KEY".into(), "test".into()),
            ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
        ]);

        let webhook = app::webhook(&config, &clients)?;
        let s = app::subscription(&config, &clients)?;
        let subscription = SubscriptionState {
            policy: s.policy,
            invite_url: s.invite_url,
            cache: s.cache,
            telegram: s.telegram,
            inbound: FlakyQueue::new(s.inbound),
            work: FlakyQueue::new(s.work),
            outbox: FlakyQueue::new(s.outbox),
            ttl: s.ttl,
        };
        let p = app::processor(&config, &clients)?;
        let processor = ProcessorState {
            clock: p.clock,
            store: p.store,
            model: p.model,
            telegram: p.telegram,
            outbox: FlakyQueue::new(p.outbox),
            work: FlakyQueue::new(p.work),
            dead_letters: FlakyQueue::new(p.dead_letters),
            max_receives: p.max_receives,
            history_turns: p.history_turns,
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
        };
        let sd = app::sender(&config, &clients)?;
        let sender = SenderState {
            store: sd.store,
            telegram: sd.telegram,
            speaker: sd.speaker,
            outbox: FlakyQueue::new(sd.outbox),
            dead_letters: FlakyQueue::new(sd.dead_letters),
            work: FlakyQueue::new(sd.work),
            speech_model: sd.speech_model,
            capabilities: sd.capabilities,
            speech_attempts: sd.speech_attempts,
        };
        let style = app::style_refresh(&config, &clients);
        Ok(Self {
            moto,
            gate,
            redis: Mutex::new(redis),
            telegram,
            openai,
            clients,
            resources,
            config,
            env,
            webhook,
            subscription,
            processor,
            sender,
            style,
            crash_after_handling: Mutex::new(HashSet::new()),
            invocations: Mutex::new(HashMap::new()),
            _stand_ins: stand_ins,
        })
    }

    /// The files `events/conversations/demo.json` sends: a voice note saying
    /// [`DEMO_VOICE_TEXT`] and a small photo.
    pub fn add_demo_files(&self) {
        self.telegram.add_file(
            "demo-voice-1",
            "voice/demo-1.oga",
            crate::openai_standin::spoken_ogg(3, DEMO_VOICE_TEXT),
        );
        self.telegram
            .add_file("demo-photo-1", "photos/demo-1.jpg", demo_photo());
    }

    /// DynamoDB and SQS, when the stack reaches them through a gate (`aws_gate`).
    pub fn aws(&self) -> Option<&Gate> {
        self.gate.as_ref()
    }

    /// Redis comes back, empty, on the same port.
    pub fn restart_redis(&self) -> anyhow::Result<()> {
        match self
            .redis
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
        {
            Some(r) => r.restart(),
            None => Ok(()),
        }
    }

    /// Stops the stack's Redis: the "cache is down" case.
    pub fn stop_redis(&self) {
        if let Some(r) = self
            .redis
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
        {
            r.stop();
        }
    }

    /// Calls the webhook with a Lambda Function URL event, as Lambda would.
    pub async fn invoke_webhook(&self, event: &Value) -> anyhow::Result<(StatusCode, Value)> {
        let lambda_request: lambda_http::request::LambdaRequest =
            serde_json::from_value(event.clone()).context("not a Function URL event")?;
        let request: lambda_http::Request = lambda_request.into();
        let response = Box::pin(webhook::handle(&self.webhook, request))
            .await
            .map_err(|e| anyhow::anyhow!("webhook handler error: {e}"))?;
        let status = response.status();
        let body: Value = serde_json::from_slice(response.body().as_ref()).unwrap_or(Value::Null);
        // Telegram executes a method returned in the response body.
        self.telegram.record_webhook_response(&body);
        Ok((status, body))
    }

    /// POSTs an update to the webhook with the right secret.
    pub async fn post_update(&self, update: &Value) -> anyhow::Result<(StatusCode, Value)> {
        Box::pin(self.post_update_with_secret(update, Some(LOCAL_WEBHOOK_SECRET))).await
    }

    pub async fn post_update_with_secret(
        &self,
        update: &Value,
        secret: Option<&str>,
    ) -> anyhow::Result<(StatusCode, Value)> {
        let body = update.to_string();
        let event = crate::updates::function_url_event("POST", "/", secret, Some(&body));
        Box::pin(self.invoke_webhook(&event)).await
    }

    /// The next delivery of `stage` runs its handler fully but "crashes" before SQS hears
    /// back, so nothing is deleted and every record comes back after the visibility timeout.
    pub fn crash_after_next_batch(&self, stage: Stage) {
        self.crash_after_handling
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(stage);
    }

    pub fn invocations(&self, stage: Stage) -> usize {
        self.invocations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&stage)
            .copied()
            .unwrap_or(0)
    }

    pub fn queue_url(&self, stage: Stage) -> &str {
        match stage {
            Stage::Subscription => &self.resources.inbound,
            Stage::Processor => &self.resources.work,
            Stage::Sender => &self.resources.outbox,
        }
    }

    /// Runs one SQS event through a stage's handler, with the template's timeouts.
    pub async fn invoke_stage(
        &self,
        stage: Stage,
        event: SqsEvent,
    ) -> anyhow::Result<SqsBatchResponse> {
        let timeout = match stage {
            Stage::Subscription => Duration::from_secs(30),
            Stage::Processor => Duration::from_secs(120),
            Stage::Sender => Duration::from_secs(60),
        };
        self.invoke_stage_within(stage, event, timeout).await
    }

    /// Like [`Self::invoke_stage`], as a function with `timeout` (its deadline).
    pub async fn invoke_stage_within(
        &self,
        stage: Stage,
        event: SqsEvent,
        timeout: Duration,
    ) -> anyhow::Result<SqsBatchResponse> {
        *self
            .invocations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(stage)
            .or_default() += 1;
        let deadline = Deadline::after(timeout);
        let result = match stage {
            Stage::Subscription => subscription::handle(&self.subscription, event).await,
            Stage::Processor => Box::pin(processor::handle(&self.processor, event, deadline)).await,
            Stage::Sender => sender::handle(&self.sender, event, deadline).await,
        };
        result.map_err(|e| anyhow::anyhow!("{} failed the whole batch: {e}", stage.function()))
    }

    pub async fn invoke_style_refresh(
        &self,
        event: StyleRefreshEvent,
    ) -> anyhow::Result<RefreshSummary> {
        let deadline = shared_now_ms() + 300_000;
        style_refresh::handle(
            &self.style,
            &shared::clock::SystemClock,
            event,
            deadline,
            self.config.style_min_new_messages,
        )
        .await
        .map_err(|e| anyhow::anyhow!("style-refresh: {e}"))
    }

    /// One poll of a stage's queue, like an event source mapping: receive up to 10, invoke,
    /// delete the records that did not fail. Returns how many records were delivered.
    pub async fn poll(&self, stage: Stage) -> anyhow::Result<usize> {
        let url = self.queue_url(stage).to_owned();
        let messages = esm::receive(&self.clients.sqs, &url, 10).await?;
        if messages.is_empty() {
            return Ok(0);
        }
        let response = self.invoke_stage(stage, esm::event_of(&messages)).await?;
        let crashed = self
            .crash_after_handling
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&stage);
        if !crashed {
            esm::acknowledge(&self.clients.sqs, &url, &messages, &response).await?;
        }
        Ok(messages.len())
    }

    /// Messages in a queue, visible or in flight.
    ///
    /// Two reads, in-flight first: moto evaluates each count at its own instant, so in one
    /// read a message whose visibility runs out between the two evaluations can be counted
    /// in neither, and a drain would stop early. Read this way, a message that becomes
    /// visible in between is counted once or twice, never missed (nothing else receives
    /// while a drain looks).
    pub async fn depth(&self, url: &str) -> anyhow::Result<u64> {
        let mut total = 0;
        for attribute in [
            QueueAttributeName::ApproximateNumberOfMessagesNotVisible,
            QueueAttributeName::ApproximateNumberOfMessages,
        ] {
            let attrs = self
                .clients
                .sqs
                .get_queue_attributes()
                .queue_url(url)
                .attribute_names(attribute)
                .send()
                .await?
                .attributes
                .unwrap_or_default();
            total += attrs
                .values()
                .filter_map(|v| v.parse::<u64>().ok())
                .sum::<u64>();
        }
        Ok(total)
    }

    /// Delivers queue messages until every queue is empty, including the ones waiting out
    /// a visibility timeout. Fails after `timeout`.
    pub async fn drain_within(&self, timeout: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let mut delivered = 0;
            for stage in Stage::ALL {
                delivered += self.poll(stage).await?;
            }
            if delivered == 0 {
                let mut pending = 0;
                for stage in Stage::ALL {
                    pending += self.depth(self.queue_url(stage)).await?;
                }
                if pending == 0 {
                    return Ok(());
                }
                if Instant::now() > deadline {
                    bail!("queues still hold {pending} message(s) after {timeout:?}");
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }

    pub async fn drain(&self) -> anyhow::Result<()> {
        self.drain_within(Duration::from_secs(60)).await
    }

    /// Bodies of the messages waiting in a dead-letter queue (left in place).
    pub async fn dead_letters(&self, dlq_url: &str) -> anyhow::Result<Vec<String>> {
        let out = self
            .clients
            .sqs
            .receive_message()
            .queue_url(dlq_url)
            .max_number_of_messages(10)
            .visibility_timeout(0)
            .send()
            .await?;
        Ok(out
            .messages
            .unwrap_or_default()
            .into_iter()
            .filter_map(|m| m.body)
            .collect())
    }

    /// Spec violations seen by either stand-in.
    pub fn violations(&self) -> Vec<String> {
        let mut v = self.telegram.violations();
        if let Some(o) = &self.openai {
            v.extend(o.violations());
        }
        v
    }

    /// The env file `cargo lambda watch --env-file` reads.
    pub fn env_file(&self) -> String {
        self.env.iter().map(|(k, v)| format!("{k}={v}\n")).collect()
    }
}

fn shared_now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
