//! OpenAI through async-openai: Chat Completions against any OpenAI-compatible base URL,
//! the Responses API with Conversations, transcription and speech.
//!
//! Under async-openai sits our own HTTP layer ([`transport`]), so every failure keeps its
//! status, path, `retry-after` and the provider's words whatever shape the server's error
//! body has; [`classify`] turns those into the failure classes the handlers act on.

mod audio;
mod chat;
pub mod classify;
mod responses;
mod stream;
pub mod transport;

use std::sync::Arc;
use std::time::Duration;

use anyhow::anyhow;
use async_openai::Client;
use async_openai::config::OpenAIConfig;
use async_openai::types::chat::{
    ChatCompletionRequestAssistantMessage, ChatCompletionRequestMessage,
    ChatCompletionRequestMessageContentPartImage, ChatCompletionRequestMessageContentPartText,
    ChatCompletionRequestSystemMessage, ChatCompletionRequestUserMessage,
    ChatCompletionRequestUserMessageContent, ChatCompletionRequestUserMessageContentPart, ImageUrl,
};
use base64::Engine;

pub use classify::classify;
use transport::Transport;

use super::secrets::Secrets;
use crate::domain::{Image, PromptMessage, PromptRole};
use crate::error::{Failure, Result};

/// Models and voice for the audio endpoints.
#[derive(Clone, Debug)]
pub struct AudioModels {
    /// Speech to text; a current model (whisper-1 retires on 2027-02-26).
    pub transcription: String,
    /// `SPEECH_MODEL`: text to speech, for voice replies.
    pub speech: String,
    /// `SPEECH_VOICE`: which of the provider's voices reads the replies.
    pub voice: String,
}

/// How a chat request names its output limit. OpenAI's current name is
/// `max_completion_tokens` (reasoning models refuse `max_tokens`); OpenAI-compatible
/// servers know `max_tokens`, and some silently ignore the other name, which leaves a
/// reply unbounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenLimitField {
    /// `max_tokens`: the name OpenAI-compatible servers know.
    MaxTokens,
    /// `max_completion_tokens`: OpenAI's own name, the only one reasoning models accept.
    MaxCompletionTokens,
}

impl TokenLimitField {
    /// OpenAI's own API (and Azure's) by host; every other server gets `max_tokens`.
    pub fn for_base_url(base_url: &str) -> Self {
        let host = base_url
            .split_once("://")
            .map_or(base_url, |(_, rest)| rest)
            .split(['/', ':'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if host == "api.openai.com" || host.ends_with(".openai.azure.com") {
            Self::MaxCompletionTokens
        } else {
            Self::MaxTokens
        }
    }
}

/// Everything the client needs besides the API key.
#[derive(Clone, Debug)]
pub struct OpenAiSettings {
    /// `OPENAI_BASE_URL` without a trailing slash: OpenAI's, or any compatible server's.
    pub base_url: String,
    /// `OPENAI_MODEL`: for users who have not picked another model in `/settings`.
    pub model: String,
    /// A whole (non-streamed) call, and the wait for a stream's first event.
    pub timeout: Duration,
    /// The longest silence inside a stream before it counts as broken.
    pub stream_idle: Duration,
    /// How requests name the reply's token limit on this server.
    pub token_field: TokenLimitField,
    /// The audio models, which a compatible server may not have.
    pub audio: AudioModels,
}

impl OpenAiSettings {
    /// Defaults the rest: 20 s of stream silence, OpenAI's audio models, the host's token field.
    pub fn new(base_url: &str, model: &str, timeout: Duration) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            model: model.to_owned(),
            timeout,
            stream_idle: Duration::from_secs(20),
            token_field: TokenLimitField::for_base_url(base_url),
            audio: AudioModels {
                transcription: "gpt-4o-mini-transcribe".into(),
                speech: "gpt-4o-mini-tts".into(),
                voice: "alloy".into(),
            },
        }
    }
}

/// Two clients over one connection pool: whole calls are cut after `timeout`; streams run
/// as long as they keep coming (their reader enforces first-event and idle limits).
struct Clients {
    whole: Client<OpenAIConfig>,
    streaming: Client<OpenAIConfig>,
}

/// The model port over OpenAI or a compatible server: chat, Responses, transcription, speech.
pub struct OpenAiChat {
    settings: OpenAiSettings,
    secrets: Arc<Secrets>,
    /// Built for the key they were built with; a rotated key builds new ones.
    clients: std::sync::Mutex<Option<(String, Arc<Clients>)>>,
}

impl std::fmt::Debug for OpenAiChat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiChat")
            .field("base_url", &self.settings.base_url)
            .field("model", &self.settings.model)
            .finish_non_exhaustive()
    }
}

impl OpenAiChat {
    /// Reads the API key from `secrets` at the first call, not here: start-up calls nothing.
    pub fn new(settings: OpenAiSettings, secrets: Arc<Secrets>) -> Self {
        Self {
            settings,
            secrets,
            clients: std::sync::Mutex::new(None),
        }
    }

    /// The default model (`OPENAI_MODEL`).
    pub fn model(&self) -> &str {
        &self.settings.model
    }

    /// Built on first use (they need the API key from the secret), and again when the
    /// key in the secret has changed.
    async fn clients(&self) -> Result<Arc<Clients>> {
        let secrets = self.secrets.get().await?;
        let key = secrets.openai_api_key().ok_or_else(|| {
            Failure::permanent(anyhow!(
                "no openai_api_key in the secrets this function reads (OPENAI_SECRET_ID)"
            ))
        })?;
        let mut held = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((built_for, clients)) = held.as_ref()
            && built_for == key
        {
            return Ok(clients.clone());
        }
        let clients = Arc::new(self.build_clients(key)?);
        *held = Some((key.to_owned(), clients.clone()));
        Ok(clients)
    }

    fn build_clients(&self, key: &str) -> Result<Clients> {
        // No total timeout on the client: each use sets its own (see `Clients`).
        // async-openai's own retry layer is not used; our bounded retries are.
        let http = crate::http::reqwest_builder()
            .connect_timeout(self.settings.timeout.min(Duration::from_secs(5)))
            .build()
            .map_err(|e| Failure::permanent(anyhow!("http client: {e}")))?;
        let config = OpenAIConfig::new()
            .with_api_base(self.settings.base_url.clone())
            .with_api_key(key);
        let client = |total| {
            Client::with_config(config.clone())
                .with_http_service(Transport::new(http.clone(), total))
        };
        Ok(Clients {
            whole: client(Some(self.settings.timeout)),
            streaming: client(None),
        })
    }
}

fn to_request_message(m: &PromptMessage) -> ChatCompletionRequestMessage {
    match m.role {
        PromptRole::System => ChatCompletionRequestSystemMessage::from(m.content.as_str()).into(),
        PromptRole::User if m.images.is_empty() => {
            ChatCompletionRequestUserMessage::from(m.content.as_str()).into()
        }
        // Pictures go as data URLs: a Telegram file URL would carry the bot token.
        PromptRole::User => {
            let mut parts = Vec::with_capacity(1 + m.images.len());
            if !m.content.trim().is_empty() {
                parts.push(ChatCompletionRequestUserMessageContentPart::Text(
                    ChatCompletionRequestMessageContentPartText {
                        text: m.content.clone(),
                        ..Default::default()
                    },
                ));
            }
            parts.extend(m.images.iter().map(|image| {
                ChatCompletionRequestUserMessageContentPart::ImageUrl(
                    ChatCompletionRequestMessageContentPartImage {
                        image_url: ImageUrl {
                            url: data_url(image),
                            detail: None,
                        },
                        prompt_cache_breakpoint: None,
                    },
                )
            }));
            ChatCompletionRequestUserMessage {
                content: ChatCompletionRequestUserMessageContent::Array(parts),
                ..Default::default()
            }
            .into()
        }
        PromptRole::Assistant => {
            ChatCompletionRequestAssistantMessage::from(m.content.as_str()).into()
        }
    }
}

fn data_url(image: &Image) -> String {
    let data = base64::engine::general_purpose::STANDARD.encode(&image.data);
    format!("data:{};base64,{data}", image.mime)
}

fn building(e: impl std::fmt::Display) -> Failure {
    Failure::permanent(anyhow!("building request: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_field_follows_the_server() {
        for (url, want) in [
            (
                "https://api.openai.com/v1",
                TokenLimitField::MaxCompletionTokens,
            ),
            (
                "https://myres.openai.azure.com/openai",
                TokenLimitField::MaxCompletionTokens,
            ),
            ("http://127.0.0.1:8000/v1", TokenLimitField::MaxTokens),
            ("https://api.groq.com/openai/v1", TokenLimitField::MaxTokens),
            (
                "https://openai.com.evil.example/v1",
                TokenLimitField::MaxTokens,
            ),
        ] {
            assert_eq!(TokenLimitField::for_base_url(url), want, "{url}");
        }
    }
}
