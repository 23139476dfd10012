//! Bot API client: frankenstein's types on the wire, our own small reqwest transport.
//! What Telegram sends the webhook is read in [`inbound`].
//!
//! The bot token is part of every Bot API URL, so no URL from here is ever logged:
//! reqwest errors are stripped of theirs.

pub mod inbound;
mod quick_reply;
pub mod setup;

pub use quick_reply::encode_quick_reply;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use frankenstein::ParseMode;
use frankenstein::methods::{
    AnswerCallbackQueryParams, EditMessageTextParams, GetChatAdministratorsParams,
    GetChatMemberParams, GetFileParams, SendChatActionParams, SendMessageDraftParams,
    SendMessageParams,
};
use frankenstein::response::{ErrorResponse, MethodResponse};
use frankenstein::types::{
    ChatAction, File, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, ReplyMarkup,
    ReplyParameters,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::secrets::Secrets;
use crate::domain::{ChatId, MemberStatus, OutgoingMessage, UserId};
use crate::ports::{Draft, RemoteFile, TelegramError, TelegramLookup, TelegramSend};

/// The Bot API client behind every Telegram port; the token comes from the secrets per call.
#[derive(Clone, Debug)]
pub struct TelegramClient {
    /// Built on the first Bot API call, not at start: the first reqwest client in a process
    /// costs about 3.5 ms of CPU (reading the root certificates for the TLS set-up that
    /// [`crate::http`] then shares), and most webhook invocations never call.
    http: Arc<OnceLock<reqwest::Client>>,
    timeout: Duration,
    base_url: String,
    secrets: Arc<Secrets>,
}

impl TelegramClient {
    /// `timeout` bounds each Bot API call (files get longer); no call is made until one is needed.
    pub fn new(base_url: &str, timeout: Duration, secrets: Arc<Secrets>) -> anyhow::Result<Self> {
        Ok(Self {
            http: Arc::default(),
            timeout,
            base_url: base_url.trim_end_matches('/').to_owned(),
            secrets,
        })
    }

    /// The HTTP client, built on first use.
    fn http(&self) -> Result<&reqwest::Client, TelegramError> {
        if let Some(http) = self.http.get() {
            return Ok(http);
        }
        let built = crate::http::reqwest_builder()
            .timeout(self.timeout)
            .connect_timeout(self.timeout.min(Duration::from_secs(5)))
            .build()
            .map_err(|e| TelegramError::Transient(format!("http client: {e}")))?;
        Ok(self.http.get_or_init(|| built))
    }

    /// The bot token, part of every Bot API and file URL.
    async fn token(&self) -> Result<String, TelegramError> {
        self.secrets
            .get()
            .await
            .map(|s| s.telegram_bot_token.clone())
            .map_err(|e| TelegramError::Transient(e.to_string()))
    }

    async fn call<P: Serialize + Sync, R: DeserializeOwned>(
        &self,
        method: &str,
        params: &P,
    ) -> Result<R, TelegramError> {
        self.execute(method, |request| request.json(params)).await
    }

    /// Sends one Bot API request built by `body` (JSON or multipart) and reads the answer.
    async fn execute<R: DeserializeOwned>(
        &self,
        method: &str,
        body: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Result<R, TelegramError> {
        let token = self.token().await?;
        let url = format!("{}/bot{token}/{method}", self.base_url);
        let lost = |e: reqwest::Error| lost_answer(method, e);
        let response = body(self.http()?.post(url)).send().await.map_err(lost)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(lost)?;
        if (200..300).contains(&status) {
            return serde_json::from_slice::<MethodResponse<R>>(&bytes)
                .map(|r| r.result)
                .map_err(|e| {
                    TelegramError::Transient(format!("{method}: unreadable result: {e}"))
                });
        }
        Err(classify(method, status, &bytes))
    }
}

/// Methods that post something the user sees: Telegram has no idempotency key for them.
const POSTS: [&str; 3] = ["sendMessage", "sendVoice", "sendDocument"];

/// A request that got no answer. One that never connected did nothing and may be sent
/// again; a post whose answer was lost may have been delivered, and sending it again
/// could show it twice.
fn lost_answer(method: &str, e: reqwest::Error) -> TelegramError {
    let connected = !e.is_connect();
    let what = format!("{method}: {}", e.without_url());
    if connected && POSTS.contains(&method) {
        TelegramError::Uncertain(what)
    } else {
        TelegramError::Transient(what)
    }
}

/// Moving a file (a download of up to 20 MB, a voice note's upload) takes longer than a
/// Bot API call; it still fits the processor's and the sender's Lambda timeouts.
const FILE_TIMEOUT: Duration = Duration::from_secs(30);

/// Telegram allows captions of up to 1024 characters.
const MAX_CAPTION_CHARS: usize = 1024;

/// Maps a failed Bot API response to what the caller should do about it.
pub fn classify(method: &str, status: u16, body: &[u8]) -> TelegramError {
    let parsed = serde_json::from_slice::<ErrorResponse>(body).ok();
    let description = parsed.as_ref().map_or_else(
        || format!("HTTP {status} with a non-JSON body"),
        |e| e.description.clone(),
    );
    let retry_after = parsed
        .as_ref()
        .and_then(|e| e.parameters)
        .and_then(|p| p.retry_after);
    if let Some(new_chat) = parsed
        .as_ref()
        .and_then(|e| e.parameters)
        .and_then(|p| p.migrate_to_chat_id)
    {
        return TelegramError::Migrated(new_chat);
    }
    match status {
        429 => TelegramError::RetryAfter(Duration::from_secs(
            u64::from(retry_after.unwrap_or(1)).max(1),
        )),
        403 => TelegramError::Forbidden(description),
        500..=599 => TelegramError::Transient(format!("{method}: HTTP {status}: {description}")),
        code => TelegramError::Rejected { code, description },
    }
}

/// The `sendMessage` call for a reply: no link previews, URL buttons, a quote that may be gone.
pub fn send_message_params(message: &OutgoingMessage) -> SendMessageParams {
    let callbacks = (!message.keyboard.is_empty()).then(|| {
        ReplyMarkup::InlineKeyboardMarkup(quick_reply::inline_keyboard(&message.keyboard))
    });
    let markup = callbacks.or_else(|| {
        (!message.buttons.is_empty()).then(|| {
            ReplyMarkup::InlineKeyboardMarkup(
                InlineKeyboardMarkup::builder()
                    .inline_keyboard(
                        message
                            .buttons
                            .iter()
                            .map(|b| {
                                vec![
                                    InlineKeyboardButton::builder()
                                        .text(b.text.clone())
                                        .url(b.url.clone())
                                        .build(),
                                ]
                            })
                            .collect(),
                    )
                    .build(),
            )
        })
    });
    let reply = message.reply_to_message_id.map(|id| {
        ReplyParameters::builder()
            .message_id(id as i32)
            // The user may have deleted their message; answer anyway.
            .allow_sending_without_reply(true)
            .build()
    });
    SendMessageParams::builder()
        .chat_id(message.chat_id.get())
        .text(message.text.clone())
        .link_preview_options(LinkPreviewOptions::builder().is_disabled(true).build())
        .maybe_parse_mode(message.html.then_some(ParseMode::Html))
        .maybe_reply_parameters(reply)
        .maybe_reply_markup(markup)
        .maybe_message_thread_id(message.topic.map(|t| t as i32))
        .build()
}

/// The `editMessageText` call that redraws a message of the bot's, with its new buttons.
pub fn edit_message_params(message: &OutgoingMessage, message_id: i64) -> EditMessageTextParams {
    EditMessageTextParams::builder()
        .chat_id(message.chat_id.get())
        .message_id(message_id as i32)
        .text(message.text.clone())
        .link_preview_options(LinkPreviewOptions::builder().is_disabled(true).build())
        .maybe_parse_mode(message.html.then_some(ParseMode::Html))
        .maybe_reply_markup(
            (!message.keyboard.is_empty()).then(|| quick_reply::inline_keyboard(&message.keyboard)),
        )
        .build()
}

/// The `sendMessageDraft` call for a streaming preview, whose stop button keeps what was written.
pub fn draft_params(draft: &Draft) -> SendMessageDraftParams {
    SendMessageDraftParams::builder()
        .chat_id(draft.chat_id.get())
        .draft_id(draft.draft_id as i32)
        .text(draft.text.clone())
        .maybe_parse_mode(draft.html.then_some(ParseMode::Html))
        .maybe_message_thread_id(draft.topic.map(|t| t as i32))
        // The stop button sends `stopped_message_generation`; keeping the draft shows
        // the user what was written until they pressed it.
        .can_stop(true)
        .keep_on_stop(true)
        .build()
}

fn multipart_error(e: impl std::fmt::Display) -> TelegramError {
    TelegramError::Rejected {
        code: 0,
        description: e.to_string(),
    }
}

/// The two fields of a ChatMember that decide access. frankenstein's `ChatMember` requires
/// every permission flag of the newest Bot API (and some the API itself marks optional),
/// so a response from a server one version behind or ahead would fail to parse and lock
/// members out; access needs only these.
#[derive(serde::Deserialize)]
struct MemberView {
    status: String,
    #[serde(default)]
    is_member: Option<bool>,
}

impl MemberView {
    fn status(&self) -> Result<MemberStatus, TelegramError> {
        inbound::member_status(&self.status, self.is_member).ok_or_else(|| {
            TelegramError::Transient(format!("getChatMember: unknown status {:?}", self.status))
        })
    }
}

impl TelegramSend for TelegramClient {
    async fn send_draft(&self, draft: &Draft) -> Result<(), TelegramError> {
        self.call::<_, serde_json::Value>("sendMessageDraft", &draft_params(draft))
            .await
            .map(|_| ())
    }

    async fn answer_callback(
        &self,
        query_id: &str,
        text: Option<&str>,
        alert: bool,
    ) -> Result<(), TelegramError> {
        let params = AnswerCallbackQueryParams::builder()
            .callback_query_id(query_id.to_owned())
            .maybe_text(text.map(str::to_owned))
            .maybe_show_alert(alert.then_some(true))
            .build();
        self.call::<_, serde_json::Value>("answerCallbackQuery", &params)
            .await
            .map(|_| ())
    }

    async fn send_typing(
        &self,
        chat: crate::domain::ChatId,
        topic: Option<i64>,
    ) -> Result<(), TelegramError> {
        let params = SendChatActionParams::builder()
            .chat_id(chat.get())
            .action(ChatAction::Typing)
            .maybe_message_thread_id(topic.map(|t| t as i32))
            .build();
        self.call::<_, serde_json::Value>("sendChatAction", &params)
            .await
            .map(|_| ())
    }

    async fn send_voice(
        &self,
        message: &OutgoingMessage,
        audio: &[u8],
        duration_secs: u32,
    ) -> Result<(), TelegramError> {
        let file = reqwest::multipart::Part::bytes(audio.to_vec())
            .file_name("reply.ogg")
            .mime_str("audio/ogg")
            .map_err(multipart_error)?;
        let mut form = reqwest::multipart::Form::new()
            .text("chat_id", message.chat_id.get().to_string())
            .text("duration", duration_secs.max(1).to_string())
            .part("voice", file);
        if let Some(topic) = message.topic {
            form = form.text("message_thread_id", topic.to_string());
        }
        self.execute::<serde_json::Value>("sendVoice", |request| {
            request.multipart(form).timeout(FILE_TIMEOUT)
        })
        .await
        .map(|_| ())
    }

    async fn send_message(&self, message: &OutgoingMessage) -> Result<(), TelegramError> {
        if let Some(message_id) = message.edit_message_id {
            let params = edit_message_params(message, message_id);
            match self
                .call::<_, serde_json::Value>("editMessageText", &params)
                .await
            {
                Ok(_) => return Ok(()),
                // A redelivery finds its edit made already, and a press that changed
                // nothing redraws the same list: done all the same.
                Err(TelegramError::Rejected { description, .. })
                    if description.contains("message is not modified") =>
                {
                    return Ok(());
                }
                // The message is gone or too old to edit: the words still reach the user.
                Err(TelegramError::Rejected { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        let params = send_message_params(message);
        self.call::<_, serde_json::Value>("sendMessage", &params)
            .await
            .map(|_| ())
    }

    async fn send_document(&self, message: &OutgoingMessage) -> Result<(), TelegramError> {
        let Some(document) = &message.document else {
            return self.send_message(message).await;
        };
        let file = reqwest::multipart::Part::bytes(document.content.clone().into_bytes())
            .file_name(document.file_name.clone())
            .mime_str("text/markdown; charset=utf-8")
            .map_err(multipart_error)?;
        let caption: String = message.text.chars().take(MAX_CAPTION_CHARS).collect();
        let form = reqwest::multipart::Form::new()
            .text("chat_id", message.chat_id.get().to_string())
            .text("caption", caption)
            .part("document", file);
        self.execute::<serde_json::Value>("sendDocument", |request| {
            request.multipart(form).timeout(FILE_TIMEOUT)
        })
        .await
        .map(|_| ())
    }
}

impl TelegramLookup for TelegramClient {
    async fn get_file(&self, file_id: &str) -> Result<RemoteFile, TelegramError> {
        let params = GetFileParams::builder().file_id(file_id.to_owned()).build();
        let file: File = self.call("getFile", &params).await?;
        let path = file.file_path.ok_or_else(|| {
            TelegramError::Transient("getFile: no file_path in the answer".to_owned())
        })?;
        Ok(RemoteFile {
            path,
            size: file.file_size,
        })
    }

    async fn download(&self, file: &RemoteFile) -> Result<Vec<u8>, TelegramError> {
        let token = self.token().await?;
        // The URL holds the token: errors carry the status only, never the URL.
        let url = format!("{}/file/bot{token}/{}", self.base_url, file.path);
        let response = self
            .http()?
            .get(url)
            .timeout(FILE_TIMEOUT)
            .send()
            .await
            .map_err(|e| TelegramError::Transient(format!("file download: {}", e.without_url())))?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(match status {
                500..=599 => TelegramError::Transient(format!("file download: HTTP {status}")),
                code => TelegramError::Rejected {
                    code,
                    description: format!("file download failed with HTTP {code}"),
                },
            });
        }
        response
            .bytes()
            .await
            .map(|b| b.to_vec())
            .map_err(|e| TelegramError::Transient(format!("file download: {}", e.without_url())))
    }

    async fn get_chat_member(
        &self,
        chat: &str,
        user: UserId,
    ) -> Result<MemberStatus, TelegramError> {
        let chat_id = match chat.parse::<i64>() {
            Ok(id) => frankenstein::types::ChatId::Integer(id),
            Err(_) => frankenstein::types::ChatId::String(chat.to_owned()),
        };
        let params = GetChatMemberParams::builder()
            .chat_id(chat_id)
            .user_id(user.get() as u64)
            .build();
        match self.call::<_, MemberView>("getChatMember", &params).await {
            Ok(member) => member.status(),
            // Someone who never joined is "not found" rather than "left".
            Err(TelegramError::Rejected { description, .. })
                if description.to_ascii_lowercase().contains("user not found")
                    || description
                        .to_ascii_lowercase()
                        .contains("participant_id_invalid") =>
            {
                Ok(MemberStatus::Left)
            }
            Err(e) => Err(e),
        }
    }

    async fn get_chat_administrators(&self, chat: ChatId) -> Result<Vec<UserId>, TelegramError> {
        let params = GetChatAdministratorsParams::builder()
            .chat_id(chat.get())
            .build();
        // Lenient for the same reason as `MemberView`: only who they are matters here.
        let admins: Vec<inbound::MemberView> = self.call("getChatAdministrators", &params).await?;
        Ok(admins
            .into_iter()
            .filter(|a| !a.user.is_bot)
            .map(|a| UserId::new(a.user.id))
            .collect())
    }
}

#[cfg(test)]
mod tests;
