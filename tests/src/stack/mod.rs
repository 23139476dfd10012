//! The whole bot on one machine: moto, optional redis-server, the Telegram and OpenAI
//! stand-ins, the five functions' handlers built by the same wiring as their `main`, and
//! a runner that feeds SQS messages to them the way Lambda's event source mapping does.
//!
//! [`Stack::start`] assembles it ([`start`]); the handlers are invoked as Lambda would
//! ([`invoke`]) and fed from their queues ([`queues`]).

mod invoke;
mod queues;
mod stand_ins;
mod start;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use shared::Config;
use shared::adapters::cache::AnyCache;
use shared::adapters::dynamo::DynamoStore;
use shared::adapters::openai::OpenAiChat;
use shared::adapters::sqs::SqsQueue;
use shared::adapters::telegram::TelegramClient;
use shared::app::{Clients, Probes};
use shared::handlers::processor::ProcessorState;
use shared::handlers::sender::SenderState;
use shared::handlers::subscription::SubscriptionState;
use shared::handlers::webhook::WebhookState;

use self::stand_ins::StandInThread;
use crate::flaky::FlakyQueue;
use crate::gate::Gate;
use crate::openai_standin::OpenAiStandIn;
use crate::provision::Resources;
use crate::services::{Moto, RedisServer};
use crate::telegram_standin::TelegramStandIn;

/// The webhook secret and bot token of the local stack; `events/` uses the same.
pub const LOCAL_WEBHOOK_SECRET: &str = "local-dev-webhook-secret";
/// The local bot's token; its numeric part is [`LOCAL_BOT_ID`].
pub const LOCAL_BOT_TOKEN: &str = "123456789:LOCAL-dev-token_for-the-stand-in";
/// The key the OpenAI stand-in accepts.
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

/// What a [`Stack`] runs with; the default suits most tests.
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
    /// Overrides the template's `VisibilityTimeout` on the queues the functions consume;
    /// 1 s by default, so that a crashed delivery comes back at once (the template's
    /// minutes would stall every redelivery test). `None` keeps the template's.
    pub visibility_timeout_secs: Option<u32>,
    /// Overrides every redrive policy's `maxReceiveCount` (and `WORK_MAX_RECEIVES`);
    /// `None`, the default, keeps the template's.
    pub max_receive_count: Option<u32>,
    pub openai_timeout_secs: u64,
    pub openai_max_attempts: u32,
    /// Resource name prefix; unique per stack so tests can share one moto.
    pub prefix: String,
    /// `DRAFT_INTERVAL_MS`: short in tests so streams show several drafts quickly.
    pub draft_interval_ms: u64,
    /// Reach moto through a [`Gate`], so DynamoDB and SQS can be taken away for a while.
    pub aws_gate: bool,
    /// Each function's AWS requests go through its own metering proxy (`meter`), so they
    /// can be counted by function and operation with their DynamoDB units.
    pub meter: bool,
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
            visibility_timeout_secs: Some(1),
            max_receive_count: None,
            openai_timeout_secs: 5,
            openai_max_attempts: 3,
            prefix: format!("bot{}-{n}-{nanos}", std::process::id()),
            draft_interval_ms: 200,
            aws_gate: false,
            meter: false,
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
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 3] = [Stage::Subscription, Stage::Processor, Stage::Sender];

    /// The function's name, as `functions/` and the metrics' `Function` dimension spell it.
    pub fn function(self) -> &'static str {
        match self {
            Self::Subscription => "subscription-check",
            Self::Processor => "processor",
            Self::Sender => "sender",
        }
    }
}

/// subscription-check's state as the stack runs it: its queues can be made to fail.
type SubscriptionCheck =
    SubscriptionState<AnyCache, TelegramClient, FlakyQueue<SqsQueue>, DynamoStore>;
/// The processor's state as the stack runs it.
type Processor = ProcessorState<DynamoStore, OpenAiChat, FlakyQueue<SqsQueue>, TelegramClient>;
/// The sender's state as the stack runs it.
type Sender = SenderState<DynamoStore, TelegramClient, FlakyQueue<SqsQueue>, OpenAiChat>;

/// The running local stack: services, stand-ins, provisioned resources and handlers.
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
    pub subscription: SubscriptionCheck,
    pub processor: Processor,
    pub sender: Sender,
    pub style: DynamoStore,
    /// The metering proxies, when `StackOptions::meter` asked for them.
    pub meter: Option<crate::meter::Meter>,
    crash_after_handling: Mutex<HashSet<Stage>>,
    invocations: Mutex<HashMap<Stage, usize>>,
    /// When each stage's handler was handed an event, in order.
    invoked_at: Mutex<Vec<(Stage, std::time::Instant)>>,
    /// Last, so the stand-ins are dropped before their runtime stops.
    _stand_ins: StandInThread,
}

impl Stack {
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
