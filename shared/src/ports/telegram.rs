//! The Bot API, as the handlers use it at run time and at deploy time.

use super::*;

/// How a Bot API call failed, in the terms the handlers act on.
#[derive(Debug, thiserror::Error)]
pub enum TelegramError {
    /// Telegram's flood limit (429): the same call succeeds after this wait, not sooner.
    #[error("flood limit: retry after {0:?}")]
    RetryAfter(Duration),
    /// The chat refuses the bot (403): the user blocked it, or the group removed it.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// Refused for good (any other 4xx): the same request would fail again.
    #[error("rejected ({code}): {description}")]
    Rejected {
        /// The HTTP status Telegram answered with.
        code: u16,
        /// Telegram's reason in words, for the logs and a message set aside.
        description: String,
    },
    /// The group became a supergroup: it lives on under this chat id.
    #[error("the group moved to chat {0}")]
    Migrated(i64),
    /// Telegram or the network failed (a 5xx, no connection): trying again may work.
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
    /// The chat whose reply is being written.
    pub chat_id: ChatId,
    /// The forum topic the reply goes to, in a forum.
    pub topic: Option<i64>,
    /// Non-zero; drafts with the same id replace each other with an animation.
    pub draft_id: i64,
    /// Telegram HTML when `html`; empty shows a "Thinking…" placeholder.
    pub text: String,
    /// Whether `text` is rendered Telegram HTML; notes and unrendered drafts are plain.
    pub html: bool,
}

/// A file Telegram holds for the bot, as `getFile` describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteFile {
    /// Path for the download; it is only valid with the bot token, so never log the URL.
    pub path: String,
    /// Bytes, when Telegram says: a file too big is refused before it is downloaded.
    pub size: Option<u64>,
}

/// What the bot posts: messages, documents, voice notes, drafts, typing, button answers.
pub trait TelegramSend: Sync {
    /// Sends a reply (or one part of it) as text, with its buttons and the message it quotes.
    fn send_message(
        &self,
        message: &OutgoingMessage,
    ) -> impl Future<Output = Result<(), TelegramError>> + Send;
    /// Uploads `message.document` with `sendDocument`, `message.text` as the caption.
    fn send_document(
        &self,
        message: &OutgoingMessage,
    ) -> impl Future<Output = Result<(), TelegramError>> + Send;
    /// Shows or updates a partial reply; a later draft with the same id replaces it.
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
    /// Uploads OGG/Opus `audio` with `sendVoice`, replying like `message` would.
    fn send_voice(
        &self,
        message: &OutgoingMessage,
        audio: &[u8],
        duration_secs: u32,
    ) -> impl Future<Output = Result<(), TelegramError>> + Send;
}

/// What the bot looks up: members and admins of a chat, and files users sent.
pub trait TelegramLookup: Sync {
    /// `user`'s standing in `chat` (`@name` or a numeric id): how membership is checked.
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
    /// Where a file a user sent can be downloaded, and its size, before fetching it.
    fn get_file(
        &self,
        file_id: &str,
    ) -> impl Future<Output = Result<RemoteFile, TelegramError>> + Send;
    /// The file's bytes, fetched with the bot token; errors leave the URL out.
    fn download(
        &self,
        file: &RemoteFile,
    ) -> impl Future<Output = Result<Vec<u8>, TelegramError>> + Send;
}

/// The Bot API at run time: both halves, for handlers that need both. Each half is its
/// own port of at most six methods.
pub trait Telegram: TelegramSend + TelegramLookup {}

impl<T: TelegramSend + TelegramLookup> Telegram for T {}

/// Who the bot is, as `getMe` says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BotProfile {
    /// The bot's user id: names the setup resources, so another bot means new ones.
    pub id: i64,
    /// Without the `@`: how commands and mentions meant for this bot are recognised.
    pub username: Option<String>,
}

/// What `setWebhook` is told.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSettings {
    /// The webhook function's public HTTPS address.
    pub url: String,
    /// Telegram sends it back with every update, proving the sender; never logged.
    pub secret_token: String,
    /// Bot API update kinds (`message`, `chat_member`, ...).
    pub allowed_updates: Vec<String>,
    /// How many updates Telegram may deliver at once; `None` keeps its default.
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
    /// Who the token belongs to: `identity` hands the username to the template.
    fn get_me(&self) -> impl Future<Output = Result<BotProfile, TelegramError>> + Send;
    /// Sends the bot's updates to the webhook, replacing any earlier address.
    fn set_webhook(
        &self,
        webhook: &WebhookSettings,
    ) -> impl Future<Output = Result<(), TelegramError>> + Send;
    /// Registers one menu: the commands Telegram suggests after `/` in its chats.
    fn set_my_commands(
        &self,
        menu: &crate::domain::menu::Menu,
    ) -> impl Future<Output = Result<(), TelegramError>> + Send;
    /// Stops Telegram sending updates to the webhook (the stack is being deleted).
    fn delete_webhook(&self) -> impl Future<Output = Result<(), TelegramError>> + Send;
}
