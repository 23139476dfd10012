//! OpenAI through async-openai: Chat Completions against any OpenAI-compatible base URL,
//! the Responses API with Conversations, transcription and speech.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::anyhow;
use async_openai::Client;
use async_openai::config::OpenAIConfig;
use async_openai::error::OpenAIError;
use async_openai::middleware::ReqwestService;
use async_openai::types::audio::{
    AudioInput, CreateSpeechRequestArgs, CreateTranscriptionRequestArgs, SpeechModel,
    SpeechResponseFormat, Voice,
};
use async_openai::types::chat::{
    ChatCompletionRequestAssistantMessage, ChatCompletionRequestMessage,
    ChatCompletionRequestMessageContentPartImage, ChatCompletionRequestMessageContentPartText,
    ChatCompletionRequestSystemMessage, ChatCompletionRequestUserMessage,
    ChatCompletionRequestUserMessageContent, ChatCompletionRequestUserMessageContentPart,
    ChatCompletionStreamOptions, CreateChatCompletionRequest, CreateChatCompletionRequestArgs,
    ImageUrl,
};
use async_openai::types::responses::{
    ConversationParam, CreateConversationRequest, CreateResponse, CreateResponseArgs,
    EasyInputContent, EasyInputMessage, InputContent, InputImageContent, InputItem, InputParam,
    InputTextContent, ResponseStreamEvent, Role,
};
use base64::Engine;
use futures::StreamExt;
use tokio::sync::OnceCell;

use super::secrets::Secrets;
use crate::domain::{Image, PromptMessage, PromptRole, Usage};
use crate::error::{Failure, Result};
use crate::ports::{
    ChatModel, Completion, ConversationModel, ReplyStream, Speaker, StreamEvent, Transcriber,
};

/// Models and voice for the audio endpoints.
#[derive(Clone, Debug)]
pub struct AudioModels {
    /// Speech to text; a current model (whisper-1 retires on 2027-02-26).
    pub transcription: String,
    pub speech: String,
    pub voice: String,
}

pub struct OpenAiChat {
    base_url: String,
    model: String,
    timeout: Duration,
    secrets: Arc<Secrets>,
    client: OnceCell<Client<OpenAIConfig>>,
    audio: AudioModels,
}

impl std::fmt::Debug for OpenAiChat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiChat")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .finish_non_exhaustive()
    }
}

impl OpenAiChat {
    pub fn new(base_url: &str, model: &str, timeout: Duration, secrets: Arc<Secrets>) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            model: model.to_owned(),
            timeout,
            secrets,
            client: OnceCell::new(),
            audio: AudioModels {
                transcription: "gpt-4o-mini-transcribe".into(),
                speech: "gpt-4o-mini-tts".into(),
                voice: "alloy".into(),
            },
        }
    }

    pub fn with_audio(mut self, audio: AudioModels) -> Self {
        self.audio = audio;
        self
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    /// Built on first use: it needs the API key from the secret.
    async fn client(&self) -> Result<&Client<OpenAIConfig>> {
        self.client
            .get_or_try_init(|| async {
                let key = self.secrets.get().await?.openai_api_key.clone();
                let http = reqwest::Client::builder()
                    .timeout(self.timeout)
                    .connect_timeout(self.timeout.min(Duration::from_secs(5)))
                    .build()
                    .map_err(|e| Failure::permanent(anyhow!("http client: {e}")))?;
                let config = OpenAIConfig::new()
                    .with_api_base(self.base_url.clone())
                    .with_api_key(key);
                // Plain transport: async-openai's built-in retry layer would multiply our
                // own bounded retries.
                Ok(Client::with_config(config).with_http_service(ReqwestService::new(http)))
            })
            .await
    }
}

fn to_request_message(m: &PromptMessage) -> ChatCompletionRequestMessage {
    match m.role {
        PromptRole::System => ChatCompletionRequestSystemMessage::from(m.content.as_str()).into(),
        PromptRole::User => match &m.image {
            None => ChatCompletionRequestUserMessage::from(m.content.as_str()).into(),
            // The picture goes as a data URL: a Telegram file URL would carry the bot token.
            Some(image) => {
                let mut parts = Vec::with_capacity(2);
                if !m.content.trim().is_empty() {
                    parts.push(ChatCompletionRequestUserMessageContentPart::Text(
                        ChatCompletionRequestMessageContentPartText {
                            text: m.content.clone(),
                            ..Default::default()
                        },
                    ));
                }
                parts.push(ChatCompletionRequestUserMessageContentPart::ImageUrl(
                    ChatCompletionRequestMessageContentPartImage {
                        image_url: ImageUrl {
                            url: data_url(image),
                            detail: None,
                        },
                        prompt_cache_breakpoint: None,
                    },
                ));
                ChatCompletionRequestUserMessage {
                    content: ChatCompletionRequestUserMessageContent::Array(parts),
                    ..Default::default()
                }
                .into()
            }
        },
        PromptRole::Assistant => {
            ChatCompletionRequestAssistantMessage::from(m.content.as_str()).into()
        }
    }
}

fn data_url(image: &Image) -> String {
    let data = base64::engine::general_purpose::STANDARD.encode(&image.data);
    format!("data:{};base64,{data}", image.mime)
}

/// The provider's code for a request longer than the model's context window.
pub const CONTEXT_LENGTH_EXCEEDED: &str = "context_length_exceeded";

/// Which provider errors are worth another attempt.
pub fn classify(e: OpenAIError) -> Failure {
    match e {
        OpenAIError::ApiError(resp) => {
            let status = resp.status_code.as_u16();
            let code = resp.api_error.code.clone().unwrap_or_default();
            let kind = resp.api_error.r#type.clone().unwrap_or_default();
            let err = anyhow!("OpenAI HTTP {status}: {}", resp.api_error);
            // Out of quota also comes as 429, but waiting does not fix it.
            let quota = code == "insufficient_quota" || kind == "insufficient_quota";
            if code == CONTEXT_LENGTH_EXCEEDED {
                return Failure::permanent(err).with_tag(CONTEXT_LENGTH_EXCEEDED);
            }
            if (status == 429 && !quota) || status >= 500 || status == 408 {
                Failure::retryable(err)
            } else {
                Failure::permanent(err)
            }
        }
        OpenAIError::Reqwest(e) => Failure::retryable(anyhow!("OpenAI transport: {e}")),
        OpenAIError::JSONDeserialize(e, _) => {
            Failure::retryable(anyhow!("OpenAI sent an unreadable response: {e}"))
        }
        other => Failure::permanent(anyhow!("OpenAI: {other}")),
    }
}

impl OpenAiChat {
    fn chat_request(
        &self,
        messages: &[PromptMessage],
        model: Option<&str>,
        stream: bool,
    ) -> Result<CreateChatCompletionRequest> {
        let mut args = CreateChatCompletionRequestArgs::default();
        args.model(model.unwrap_or(&self.model).to_owned())
            .messages(messages.iter().map(to_request_message).collect::<Vec<_>>());
        if stream {
            // Without this a streamed reply reports no token counts at all.
            args.stream_options(ChatCompletionStreamOptions {
                include_usage: Some(true),
                include_obfuscation: None,
            });
        }
        args.build()
            .map_err(|e| Failure::permanent(anyhow!("building request: {e}")))
    }

    fn response_request(
        &self,
        conversation: &str,
        instructions: &str,
        input: &PromptMessage,
    ) -> Result<CreateResponse> {
        let input = match &input.image {
            None => InputParam::Text(input.content.clone()),
            Some(image) => {
                let mut content = Vec::with_capacity(2);
                if !input.content.trim().is_empty() {
                    content.push(InputContent::InputText(InputTextContent {
                        text: input.content.clone(),
                        prompt_cache_breakpoint: None,
                    }));
                }
                content.push(InputContent::InputImage(InputImageContent {
                    image_url: Some(data_url(image)),
                    ..Default::default()
                }));
                InputParam::Items(vec![InputItem::EasyMessage(EasyInputMessage {
                    r#type: Default::default(),
                    role: Role::User,
                    content: EasyInputContent::ContentList(content),
                    phase: None,
                })])
            }
        };
        CreateResponseArgs::default()
            .model(self.model.clone())
            .conversation(ConversationParam::ConversationID(conversation.to_owned()))
            .instructions(instructions.to_owned())
            .input(input)
            .build()
            .map_err(|e| Failure::permanent(anyhow!("building request: {e}")))
    }
}

/// An error inside an open stream: the connection broke or the provider sent an error
/// event. Both are worth another attempt.
fn stream_failure(e: OpenAIError) -> Failure {
    match e {
        OpenAIError::ApiError(_) => classify(e),
        other => Failure::retryable(anyhow!("OpenAI stream broke: {other}")),
    }
}

impl ChatModel for OpenAiChat {
    async fn complete(
        &self,
        messages: &[PromptMessage],
        model: Option<&str>,
    ) -> Result<Completion> {
        let client = self.client().await?;
        let request = self.chat_request(messages, model, false)?;
        let started = Instant::now();
        let response = client.chat().create(request).await.map_err(classify)?;
        let response_ms = started.elapsed().as_millis() as u64;
        let text = response
            .choices
            .first()
            .and_then(|c| c.message.content.clone())
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| Failure::retryable(anyhow!("OpenAI returned no text")))?;
        let usage = response.usage.unwrap_or_default();
        Ok(Completion {
            text,
            usage: Usage {
                model: response.model,
                prompt_tokens: usage.prompt_tokens,
                completion_tokens: usage.completion_tokens,
                response_ms,
            },
            stopped: false,
        })
    }

    async fn complete_stream(
        &self,
        messages: &[PromptMessage],
        model: Option<&str>,
    ) -> Result<ReplyStream> {
        let client = self.client().await?;
        let request = self.chat_request(messages, model, true)?;
        let stream = client
            .chat()
            .create_stream(request)
            .await
            .map_err(classify)?;
        Ok(Box::pin(stream.filter_map(|chunk| async move {
            match chunk {
                Err(e) => Some(Err(stream_failure(e))),
                Ok(chunk) => {
                    if let Some(usage) = chunk.usage {
                        return Some(Ok(StreamEvent::Usage {
                            model: chunk.model,
                            prompt_tokens: usage.prompt_tokens,
                            completion_tokens: usage.completion_tokens,
                        }));
                    }
                    chunk
                        .choices
                        .into_iter()
                        .next()
                        .and_then(|c| c.delta.content)
                        .filter(|d| !d.is_empty())
                        .map(|d| Ok(StreamEvent::Delta(d)))
                }
            }
        })))
    }
}

impl ConversationModel for OpenAiChat {
    async fn new_conversation(&self) -> Result<String> {
        let client = self.client().await?;
        let conversation = client
            .conversations()
            .create(CreateConversationRequest::default())
            .await
            .map_err(classify)?;
        Ok(conversation.id)
    }

    async fn respond(
        &self,
        conversation: &str,
        instructions: &str,
        input: &PromptMessage,
    ) -> Result<Completion> {
        let client = self.client().await?;
        let request = self.response_request(conversation, instructions, input)?;
        let started = Instant::now();
        let response = client.responses().create(request).await.map_err(classify)?;
        let response_ms = started.elapsed().as_millis() as u64;
        let text = response
            .output_text()
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| Failure::retryable(anyhow!("OpenAI returned no text")))?;
        let usage = response.usage.unwrap_or_default();
        Ok(Completion {
            text,
            usage: Usage {
                model: response.model,
                prompt_tokens: usage.input_tokens,
                completion_tokens: usage.output_tokens,
                response_ms,
            },
            stopped: false,
        })
    }

    async fn respond_stream(
        &self,
        conversation: &str,
        instructions: &str,
        input: &PromptMessage,
    ) -> Result<ReplyStream> {
        let client = self.client().await?;
        let request = self.response_request(conversation, instructions, input)?;
        let stream = client
            .responses()
            .create_stream(request)
            .await
            .map_err(classify)?;
        Ok(Box::pin(stream.filter_map(|event| async move {
            match event {
                Err(e) => Some(Err(stream_failure(e))),
                Ok(ResponseStreamEvent::ResponseOutputTextDelta(d)) => {
                    Some(Ok(StreamEvent::Delta(d.delta)))
                }
                Ok(ResponseStreamEvent::ResponseCompleted(done)) => {
                    let usage = done.response.usage.unwrap_or_default();
                    Some(Ok(StreamEvent::Usage {
                        model: done.response.model,
                        prompt_tokens: usage.input_tokens,
                        completion_tokens: usage.output_tokens,
                    }))
                }
                Ok(ResponseStreamEvent::ResponseFailed(failed)) => Some(Err(Failure::retryable(
                    anyhow!("OpenAI response failed: {:?}", failed.response.error),
                ))),
                Ok(_) => None,
            }
        })))
    }
}

impl Transcriber for OpenAiChat {
    async fn transcribe(&self, audio: Vec<u8>, file_name: &str) -> Result<String> {
        let client = self.client().await?;
        let request = CreateTranscriptionRequestArgs::default()
            .file(AudioInput::from_vec_u8(file_name.to_owned(), audio))
            .model(self.audio.transcription.clone())
            .build()
            .map_err(|e| Failure::permanent(anyhow!("building request: {e}")))?;
        let response = client
            .audio()
            .transcription()
            .create(request)
            .await
            .map_err(classify)?;
        Ok(response.text)
    }
}

impl Speaker for OpenAiChat {
    async fn speak(&self, text: &str) -> Result<Vec<u8>> {
        let client = self.client().await?;
        // The endpoint takes at most 4096 characters.
        let input: String = text.chars().take(4096).collect();
        let request = CreateSpeechRequestArgs::default()
            .input(input)
            .model(SpeechModel::Other(self.audio.speech.clone()))
            .voice(Voice::Other(self.audio.voice.clone()))
            // OGG/Opus is what Telegram shows as a voice note.
            .response_format(SpeechResponseFormat::Opus)
            .build()
            .map_err(|e| Failure::permanent(anyhow!("building request: {e}")))?;
        let response = client
            .audio()
            .speech()
            .create(request)
            .await
            .map_err(classify)?;
        Ok(response.bytes.to_vec())
    }
}
