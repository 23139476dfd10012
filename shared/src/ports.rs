//! The small traits handlers are generic over. Adapters implement them for AWS, Redis,
//! Telegram and OpenAI; tests may wrap them to inject faults.
//!
//! Methods return `impl Future + Send` rather than `async fn` so handler futures stay
//! `Send`, which `lambda_http::run` requires.

use std::future::Future;
use std::time::Duration;

use crate::domain::{
    BotTotals, ChatId, ClosedConversation, ConvId, GaveUp, History, IncomingMessage, MemberStatus,
    OutgoingMessage, PersonaChoice, PromptMessage, SettingChange, StyleProfile, Totals, UpdateId,
    Usage, UserId, UserProfile, jobs::Person,
};
use crate::error::{Failure, Result};

/// What the update log says about an update the webhook has just received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// First sighting: enqueue it.
    New,
    /// Seen, but the enqueue may not have happened (a crash or a timeout); enqueue again,
    /// the FIFO deduplication id keeps it single.
    Unfinished,
    /// Already enqueued: a Telegram retry to drop.
    Done,
}

pub trait UpdateLog: Sync {
    fn claim_update(&self, id: UpdateId) -> impl Future<Output = Result<Claim>> + Send;
    fn mark_enqueued(&self, id: UpdateId) -> impl Future<Output = Result<()>> + Send;
}

/// Everything one answered message leaves behind, written atomically.
#[derive(Clone, Debug)]
pub struct Exchange {
    pub update_id: UpdateId,
    pub conversation: ConvId,
    pub user: Person,
    pub user_text: String,
    pub reply: String,
    pub usage: Usage,
    /// `None` when the model has no configured price.
    pub cost_micros: Option<u64>,
    /// First answered message of this user: counts a new user and conversation.
    pub new_user: bool,
    /// Tokens to take from the user's credits (answered over a limit).
    pub credits_used: u64,
    pub at_ms: i64,
}

pub trait ConversationStore: Sync {
    /// The current conversation: its running summary and turns since, newest first, at
    /// most `limit`.
    fn recent_history(
        &self,
        conv: ConvId,
        limit: usize,
    ) -> impl Future<Output = Result<History>> + Send;
    /// Records `summary` as covering every turn up to and including `through_key`.
    fn save_summary(
        &self,
        conv: ConvId,
        through_key: &str,
        summary: &str,
    ) -> impl Future<Output = Result<()>> + Send;
    /// The reply already produced for this update, or the word the processor gave up
    /// with, if any: the processor's exactly-once guard.
    fn stored_reply(
        &self,
        id: UpdateId,
    ) -> impl Future<Output = Result<Option<StoredReply>>> + Send;
    /// Stores turns, usage and the reply in one transaction (replacing a last word: a
    /// redrive's answer). If another attempt already stored a reply for this update, stores
    /// nothing and returns that reply.
    fn record_exchange(&self, exchange: &Exchange) -> impl Future<Output = Result<String>> + Send;
    /// The provider-side conversation of this conversation (Responses mode), if one was started.
    fn server_conversation(
        &self,
        conv: ConvId,
    ) -> impl Future<Output = Result<Option<String>>> + Send;
    /// Remembers (or, with `None`, forgets) the conversation's provider-side conversation.
    fn set_server_conversation(
        &self,
        conv: ConvId,
        id: Option<&str>,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Notes the first message of the chat's current conversation, its title to be.
    fn begin_conversation(
        &self,
        conv: ConvId,
        title: &str,
        at_ms: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Closed conversations, newest first.
    fn conversation_list(
        &self,
        conv: ConvId,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<ClosedConversation>>> + Send;
    /// Closes the current conversation; idempotent per update.
    fn start_new_conversation(
        &self,
        conv: ConvId,
        id: UpdateId,
        at_ms: i64,
    ) -> impl Future<Output = Result<()>> + Send;
}

pub trait UserStore: Sync {
    /// Persona and style, in one read.
    fn profile(&self, user: UserId) -> impl Future<Output = Result<UserProfile>> + Send;
    fn save_style_profile(
        &self,
        user: UserId,
        profile: &StyleProfile,
        at_ms: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// The user's own messages to the bot, newest first.
    fn recent_user_messages(
        &self,
        user: UserId,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<String>>> + Send;
    fn mark_inactive(&self, user: UserId) -> impl Future<Output = Result<()>> + Send;
    fn set_style_enabled(
        &self,
        user: UserId,
        enabled: bool,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Forwarded messages count as style samples until `until_ms`.
    fn open_sample_window(
        &self,
        user: UserId,
        until_ms: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Stores a style sample that was not a message to the bot (a forward); idempotent
    /// per update.
    fn add_style_sample(
        &self,
        user: UserId,
        update: UpdateId,
        text: &str,
        at_ms: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Where a paged job stopped; `None` to start from the beginning.
    fn job_cursor(&self, job: &str) -> impl Future<Output = Result<Option<String>>> + Send;
    fn save_job_cursor(
        &self,
        job: &str,
        cursor: Option<&str>,
    ) -> impl Future<Output = Result<()>> + Send;
    /// One page of known users, for the scheduled style refresh. `cursor` is opaque.
    fn list_users(
        &self,
        cursor: Option<String>,
        page_size: usize,
    ) -> impl Future<Output = Result<(Vec<UserId>, Option<String>)>> + Send;
}

/// Counters kept by `record_exchange` and `start_new_conversation`; never scanned.
pub trait UsageStore: Sync {
    /// Today, this month and all time (UTC) for one user, as of `at_ms`.
    fn user_totals(
        &self,
        user: UserId,
        at_ms: i64,
    ) -> impl Future<Output = Result<[Totals; 3]>> + Send;
    /// Today and all time for the whole bot.
    fn bot_totals(&self, at_ms: i64) -> impl Future<Output = Result<[BotTotals; 2]>> + Send;
}

pub trait CreditStore: Sync {
    /// Adds `delta` tokens to `user`'s credits (negative takes back), records a ledger
    /// entry, and returns the new balance. Idempotent per update.
    fn grant_credits(
        &self,
        user: UserId,
        delta: i64,
        by: UserId,
        update: UpdateId,
    ) -> impl Future<Output = Result<i64>> + Send;
}

/// Persona and `/settings`, per owner: a user in private, a group (by its chat id) in groups.
pub trait PersonaStore: Sync {
    fn set_persona(
        &self,
        user: UserId,
        choice: &PersonaChoice,
    ) -> impl Future<Output = Result<()>> + Send;
    fn change_setting(
        &self,
        owner: UserId,
        change: &SettingChange,
    ) -> impl Future<Output = Result<()>> + Send;
}

pub trait DeliveryLog: Sync {
    fn was_delivered(&self, delivery_id: &str) -> impl Future<Output = Result<bool>> + Send;
    fn mark_delivered(&self, delivery_id: &str) -> impl Future<Output = Result<()>> + Send;
}

/// A group became a supergroup (a new chat id): its conversation, persona and settings
/// move with it. Idempotent.
pub trait ChatMigrationStore: Sync {
    fn migrate_chat(&self, from: ChatId, to: ChatId) -> impl Future<Output = Result<()>> + Send;
}

/// What is stored for an update the processor has been through: its answer, or the word
/// it gave up with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoredReply {
    Answer(String),
    LastWord(GaveUp),
}

/// Updates the processor gave up on, kept where their answer would be: a record that
/// comes back after the user was told (its function died before SQS heard, or SQS handed
/// it over twice) finds the word with the same read that finds an answer, and repeats it
/// instead of answering after all. An answer already stored is never replaced by a word;
/// a redrive's answer replaces the word.
pub trait GiveUpLog: Sync {
    fn record_gave_up(
        &self,
        id: UpdateId,
        word: &GaveUp,
    ) -> impl Future<Output = Result<()>> + Send;
}

/// Features an OpenAI-compatible server may lack (vision, audio, the Responses API), once
/// found missing: remembered for a while so the bot stops calling what is not there.
pub trait CapabilityLog: Sync {
    fn is_missing(&self, feature: &str) -> impl Future<Output = Result<bool>> + Send;
    fn mark_missing(&self, feature: &str, ttl: Duration)
    -> impl Future<Output = Result<()>> + Send;
}

/// A string cache with expiry. Misses and expired entries both read as `None`.
pub trait Cache: Sync {
    fn get(&self, key: &str) -> impl Future<Output = Result<Option<String>>> + Send;
    fn set(&self, key: &str, value: &str, ttl: Duration)
    -> impl Future<Output = Result<()>> + Send;
}

/// One message for a FIFO queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    pub body: String,
    /// Messages of one group are delivered in order, one batch at a time: the chat.
    pub group_id: String,
    /// SQS drops a second message with the same id within five minutes.
    pub dedup_id: String,
}

pub trait Queue: Sync {
    fn send(&self, envelope: &Envelope) -> impl Future<Output = Result<()>> + Send;
    /// Hides a received message for `delay` before it is delivered again: how a FIFO
    /// consumer waits without sleeping (FIFO queues have no per-message delay).
    fn delay(
        &self,
        receipt_handle: &str,
        delay: Duration,
    ) -> impl Future<Output = Result<()>> + Send;
}

/// How a Bot API call failed, in the terms the handlers act on.
#[derive(Debug, thiserror::Error)]
pub enum TelegramError {
    #[error("flood limit: retry after {0:?}")]
    RetryAfter(Duration),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("rejected ({code}): {description}")]
    Rejected { code: u16, description: String },
    /// The group became a supergroup: it lives on under this chat id.
    #[error("the group moved to chat {0}")]
    Migrated(i64),
    #[error("transient: {0}")]
    Transient(String),
    /// A message may or may not have been sent: the request went out but no answer came
    /// (a timeout, a connection broken mid-way). Sending it again could show it twice.
    #[error("outcome unknown: {0}")]
    Uncertain(String),
}

/// A partial reply shown while the model is still writing (`sendMessageDraft`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub chat_id: ChatId,
    pub topic: Option<i64>,
    /// Non-zero; drafts with the same id replace each other with an animation.
    pub draft_id: i64,
    /// Telegram HTML when `html`; empty shows a "Thinking…" placeholder.
    pub text: String,
    pub html: bool,
}

/// A file Telegram holds for the bot, as `getFile` describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteFile {
    /// Path for the download; it is only valid with the bot token, so never log the URL.
    pub path: String,
    pub size: Option<u64>,
}

pub trait Telegram: Sync {
    fn send_message(
        &self,
        message: &OutgoingMessage,
    ) -> impl Future<Output = Result<(), TelegramError>> + Send;
    /// Uploads `message.document` with `sendDocument`, `message.text` as the caption.
    fn send_document(
        &self,
        message: &OutgoingMessage,
    ) -> impl Future<Output = Result<(), TelegramError>> + Send;
    fn get_chat_member(
        &self,
        chat: &str,
        user: UserId,
    ) -> impl Future<Output = Result<MemberStatus, TelegramError>> + Send;
    /// The human administrators of a group (bots left out).
    fn get_chat_administrators(
        &self,
        chat: ChatId,
    ) -> impl Future<Output = Result<Vec<UserId>, TelegramError>> + Send;
    fn send_draft(&self, draft: &Draft) -> impl Future<Output = Result<(), TelegramError>> + Send;
    /// Stops a pressed button's spinner, with an optional toast (or alert).
    fn answer_callback(
        &self,
        query_id: &str,
        text: Option<&str>,
        alert: bool,
    ) -> impl Future<Output = Result<(), TelegramError>> + Send;
    /// "typing…" for about five seconds, or until the bot's next message.
    fn send_typing(
        &self,
        chat: ChatId,
        topic: Option<i64>,
    ) -> impl Future<Output = Result<(), TelegramError>> + Send;
    fn get_file(
        &self,
        file_id: &str,
    ) -> impl Future<Output = Result<RemoteFile, TelegramError>> + Send;
    fn download(
        &self,
        file: &RemoteFile,
    ) -> impl Future<Output = Result<Vec<u8>, TelegramError>> + Send;
    /// Uploads OGG/Opus `audio` with `sendVoice`, replying like `message` would.
    fn send_voice(
        &self,
        message: &OutgoingMessage,
        audio: &[u8],
        duration_secs: u32,
    ) -> impl Future<Output = Result<(), TelegramError>> + Send;
}

/// Who the bot is, as `getMe` says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BotProfile {
    pub id: i64,
    pub username: Option<String>,
}

/// What `setWebhook` is told.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSettings {
    pub url: String,
    pub secret_token: String,
    /// Bot API update kinds (`message`, `chat_member`, ...).
    pub allowed_updates: Vec<String>,
    pub max_connections: Option<u32>,
}

impl std::fmt::Debug for WebhookSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookSettings")
            .field("allowed_updates", &self.allowed_updates)
            .field("max_connections", &self.max_connections)
            .finish_non_exhaustive()
    }
}

/// The Bot API calls that set the bot up at deploy time (the `telegram-setup` function);
/// kept apart from [`Telegram`], which the bot needs at run time.
pub trait BotSetup: Sync {
    fn get_me(&self) -> impl Future<Output = Result<BotProfile, TelegramError>> + Send;
    fn set_webhook(
        &self,
        webhook: &WebhookSettings,
    ) -> impl Future<Output = Result<(), TelegramError>> + Send;
    fn set_my_commands(
        &self,
        menu: &crate::domain::menu::Menu,
    ) -> impl Future<Output = Result<(), TelegramError>> + Send;
    fn delete_webhook(&self) -> impl Future<Output = Result<(), TelegramError>> + Send;
}

/// Who is generating a reply in which chat, so a stop request can reach them.
pub trait GenerationLog: Sync {
    /// Notes that a reply with this draft id is being generated in `chat`.
    fn begin_generation(
        &self,
        chat: ChatId,
        draft_id: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    fn generation_cancelled(
        &self,
        chat: ChatId,
        draft_id: i64,
    ) -> impl Future<Output = Result<bool>> + Send;
    fn end_generation(
        &self,
        chat: ChatId,
        draft_id: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Asks the generation in `chat` (only the one with `draft_id`, if given) to stop.
    /// False when nothing is being generated there.
    fn cancel_generation(
        &self,
        chat: ChatId,
        draft_id: Option<i64>,
    ) -> impl Future<Output = Result<bool>> + Send;
}

/// Parts of one long message that Telegram delivered as several (see `domain::fragments`),
/// held back until the last one arrives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeldFragments {
    /// Oldest first.
    pub messages: Vec<IncomingMessage>,
    /// The update that is answering them, once one has claimed them.
    pub claimed_by: Option<UpdateId>,
}

impl HeldFragments {
    pub fn last(&self) -> Option<UpdateId> {
        self.messages.last().map(|m| m.update_id)
    }
}

pub trait FragmentStore: Sync {
    fn held_fragments(&self, chat: ChatId) -> impl Future<Output = Result<HeldFragments>> + Send;
    /// Stores `messages` as the held fragments if the newest held one is still `replacing`
    /// (`None`: nothing is held) and nobody has claimed them. False if that changed.
    fn hold_fragments(
        &self,
        chat: ChatId,
        messages: &[IncomingMessage],
        replacing: Option<UpdateId>,
    ) -> impl Future<Output = Result<bool>> + Send;
    /// Claims the held fragments for `by`, if the newest is still `last`. True when `by`
    /// holds the claim (also on a redelivery).
    fn claim_fragments(
        &self,
        chat: ChatId,
        last: UpdateId,
        by: UpdateId,
    ) -> impl Future<Output = Result<bool>> + Send;
    /// Forgets the fragments `by` has answered.
    fn release_fragments(
        &self,
        chat: ChatId,
        by: UpdateId,
    ) -> impl Future<Output = Result<()>> + Send;
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub text: String,
    pub usage: Usage,
    /// The user stopped the generation; `text` is what was written until then.
    pub stopped: bool,
    /// The model declined to answer; `text` is its refusal, a final answer like any other.
    pub refused: bool,
    /// The invocation ran out of time mid-reply; `text` is what was written until then.
    pub cut_short: bool,
}

impl Completion {
    pub fn answer(text: String, usage: Usage) -> Self {
        Self {
            text,
            usage,
            stopped: false,
            refused: false,
            cut_short: false,
        }
    }
}

/// One event of a streamed reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamEvent {
    Delta(String),
    /// A piece of the model's refusal to answer.
    Refusal(String),
    /// The provider's safety system stopped the reply.
    Filtered,
    /// Token counts, when the provider reports them (the last event).
    Usage {
        model: String,
        prompt_tokens: u32,
        completion_tokens: u32,
    },
}

pub type ReplyStream =
    std::pin::Pin<Box<dyn futures::Stream<Item = Result<StreamEvent, Failure>> + Send>>;

/// Speech to text.
pub trait Transcriber: Sync {
    fn transcribe(
        &self,
        audio: Vec<u8>,
        file_name: &str,
    ) -> impl Future<Output = Result<String, Failure>> + Send;
}

/// Text to speech, as OGG/Opus (what Telegram plays as a voice note).
pub trait Speaker: Sync {
    fn speak(&self, text: &str) -> impl Future<Output = Result<Vec<u8>, Failure>> + Send;
}

/// The Responses API with Conversations: the provider keeps the history.
pub trait ConversationModel: Sync {
    /// Creates a server-side conversation holding `seed` (earlier turns or notes; may be
    /// empty) and returns its id.
    fn new_conversation(
        &self,
        seed: &[PromptMessage],
    ) -> impl Future<Output = Result<String, Failure>> + Send;
    /// One attempt: adds `input` (the user's message, with its picture if any) to the
    /// conversation and returns the reply, at most `max_tokens` long.
    fn respond(
        &self,
        conversation: &str,
        instructions: &str,
        input: &PromptMessage,
        model: Option<&str>,
        max_tokens: u32,
    ) -> impl Future<Output = Result<Completion, Failure>> + Send;
    /// Like `respond`, streamed.
    fn respond_stream(
        &self,
        conversation: &str,
        instructions: &str,
        input: &PromptMessage,
        model: Option<&str>,
        max_tokens: u32,
    ) -> impl Future<Output = Result<ReplyStream, Failure>> + Send;
}

pub trait ChatModel: Sync {
    /// One attempt, at most `max_tokens` long; the caller owns retries. `model` overrides
    /// the configured one.
    fn complete(
        &self,
        messages: &[PromptMessage],
        model: Option<&str>,
        max_tokens: u32,
    ) -> impl Future<Output = Result<Completion, Failure>> + Send;
    /// One streamed attempt.
    fn complete_stream(
        &self,
        messages: &[PromptMessage],
        model: Option<&str>,
        max_tokens: u32,
    ) -> impl Future<Output = Result<ReplyStream, Failure>> + Send;
}
