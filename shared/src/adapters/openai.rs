//! Chat Completions through async-openai, against any OpenAI-compatible base URL.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::anyhow;
use async_openai::Client;
use async_openai::config::OpenAIConfig;
use async_openai::error::OpenAIError;
use async_openai::middleware::ReqwestService;
use async_openai::types::chat::{
    ChatCompletionRequestAssistantMessage, ChatCompletionRequestMessage,
    ChatCompletionRequestSystemMessage, ChatCompletionRequestUserMessage,
    CreateChatCompletionRequestArgs,
};
use async_openai::types::responses::{
    ConversationParam, CreateConversationRequest, CreateResponseArgs, InputParam,
};
use tokio::sync::OnceCell;

use super::secrets::Secrets;
use crate::domain::{PromptMessage, PromptRole, Usage};
use crate::error::{Failure, Result};
use crate::ports::{ChatModel, Completion, ConversationModel};

pub struct OpenAiChat {
    base_url: String,
    model: String,
    timeout: Duration,
    secrets: Arc<Secrets>,
    client: OnceCell<Client<OpenAIConfig>>,
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
        }
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
        PromptRole::User => ChatCompletionRequestUserMessage::from(m.content.as_str()).into(),
        PromptRole::Assistant => {
            ChatCompletionRequestAssistantMessage::from(m.content.as_str()).into()
        }
    }
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

impl ChatModel for OpenAiChat {
    async fn complete(&self, messages: &[PromptMessage]) -> Result<Completion> {
        let client = self.client().await?;
        let request = CreateChatCompletionRequestArgs::default()
            .model(self.model.clone())
            .messages(messages.iter().map(to_request_message).collect::<Vec<_>>())
            .build()
            .map_err(|e| Failure::permanent(anyhow!("building request: {e}")))?;
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
        })
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
        input: &str,
    ) -> Result<Completion> {
        let client = self.client().await?;
        let request = CreateResponseArgs::default()
            .model(self.model.clone())
            .conversation(ConversationParam::ConversationID(conversation.to_owned()))
            .instructions(instructions.to_owned())
            .input(InputParam::Text(input.to_owned()))
            .build()
            .map_err(|e| Failure::permanent(anyhow!("building request: {e}")))?;
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
        })
    }
}
