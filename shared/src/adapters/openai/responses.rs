//! The Responses API with server-side Conversations.

use std::time::Instant;

use anyhow::anyhow;
use async_openai::types::responses::{
    ConversationParam, CreateConversationRequest, CreateResponse, CreateResponseArgs,
    EasyInputContent, EasyInputMessage, InputContent, InputImageContent, InputItem, InputParam,
    InputTextContent, OutputItem, OutputMessageContent, Response, ResponseStreamEvent, Role,
};
use futures::StreamExt;

use super::stream::guarded;
use super::{OpenAiChat, building, classify, data_url};
use crate::domain::{PromptMessage, PromptRole, Usage};
use crate::error::{Cause, Failure, Result};
use crate::ports::{Completion, ConversationModel, ReplyStream, StreamEvent};

/// A conversation takes at most this many items per request.
const MAX_SEED_ITEMS: usize = 20;

fn input_item(m: &PromptMessage) -> InputItem {
    let role = match m.role {
        PromptRole::System => Role::Developer,
        PromptRole::User => Role::User,
        PromptRole::Assistant => Role::Assistant,
    };
    InputItem::EasyMessage(EasyInputMessage {
        r#type: Default::default(),
        role,
        content: EasyInputContent::Text(m.content.clone()),
        phase: None,
    })
}

impl OpenAiChat {
    /// `model`: the chat's own choice (`/settings`), else the configured one.
    fn response_request(
        &self,
        conversation: &str,
        instructions: &str,
        input: &PromptMessage,
        model: Option<&str>,
        max_tokens: u32,
    ) -> Result<CreateResponse> {
        let input = if input.images.is_empty() {
            InputParam::Text(input.content.clone())
        } else {
            let mut content = Vec::with_capacity(1 + input.images.len());
            if !input.content.trim().is_empty() {
                content.push(InputContent::InputText(InputTextContent {
                    text: input.content.clone(),
                    prompt_cache_breakpoint: None,
                }));
            }
            content.extend(input.images.iter().map(|image| {
                InputContent::InputImage(InputImageContent {
                    image_url: Some(data_url(image)),
                    ..Default::default()
                })
            }));
            InputParam::Items(vec![InputItem::EasyMessage(EasyInputMessage {
                r#type: Default::default(),
                role: Role::User,
                content: EasyInputContent::ContentList(content),
                phase: None,
            })])
        };
        CreateResponseArgs::default()
            .model(model.unwrap_or(&self.settings.model))
            .conversation(ConversationParam::ConversationID(conversation.to_owned()))
            .instructions(instructions.to_owned())
            .input(input)
            .max_output_tokens(max_tokens)
            .build()
            .map_err(building)
    }
}

/// The reply's text, or its refusal.
fn reply_of(response: &Response) -> Option<(String, bool)> {
    if let Some(text) = response.output_text().filter(|t| !t.trim().is_empty()) {
        return Some((text, false));
    }
    let refusal: String = response
        .output
        .iter()
        .filter_map(|item| match item {
            OutputItem::Message(m) => Some(m.content.iter().filter_map(|c| match c {
                OutputMessageContent::Refusal(r) => Some(r.refusal.clone()),
                _ => None,
            })),
            _ => None,
        })
        .flatten()
        .collect();
    (!refusal.trim().is_empty()).then_some((refusal, true))
}

fn usage_of(response: &Response, response_ms: u64) -> Usage {
    match &response.usage {
        Some(u) => Usage {
            model: response.model.clone(),
            prompt_tokens: u.input_tokens,
            completion_tokens: u.output_tokens,
            response_ms,
            estimated: false,
        },
        None => Usage {
            model: response.model.clone(),
            prompt_tokens: 0,
            completion_tokens: 0,
            response_ms,
            estimated: true,
        },
    }
}

fn stream_event(event: ResponseStreamEvent) -> Option<Result<StreamEvent>> {
    match event {
        ResponseStreamEvent::ResponseOutputTextDelta(d) => Some(Ok(StreamEvent::Delta(d.delta))),
        ResponseStreamEvent::ResponseRefusalDelta(d) => Some(Ok(StreamEvent::Refusal(d.delta))),
        ResponseStreamEvent::ResponseCompleted(done) => {
            let usage = done.response.usage.unwrap_or_default();
            Some(Ok(StreamEvent::Usage {
                model: done.response.model,
                prompt_tokens: usage.input_tokens,
                completion_tokens: usage.output_tokens,
            }))
        }
        // Cut by the output limit, what was written stands; withheld by the filter, say so.
        ResponseStreamEvent::ResponseIncomplete(done) => done
            .response
            .incomplete_details
            .filter(|d| d.reason == "content_filter")
            .map(|_| Ok(StreamEvent::Filtered)),
        ResponseStreamEvent::ResponseFailed(failed) => {
            let message = failed
                .response
                .error
                .map(|e| format!("{:?}: {}", e.code, e.message))
                .unwrap_or_else(|| "no reason given".into());
            Some(Err(Failure::retryable(anyhow!(
                "OpenAI response failed: {}",
                message.chars().take(300).collect::<String>()
            ))))
        }
        ResponseStreamEvent::ResponseError(e) => {
            let body = serde_json::json!({"error": {"message": e.message, "code": e.code}});
            let mut error = super::transport::describe_body(body.to_string().as_bytes());
            error.status = Some(500);
            error.path = "/responses (stream event)".into();
            Some(Err(super::classify::classify_provider(error)))
        }
        _ => None,
    }
}

impl ConversationModel for OpenAiChat {
    async fn new_conversation(&self, seed: &[PromptMessage]) -> Result<String> {
        let clients = self.clients().await?;
        // The newest items matter most when a long history has to be cut.
        let start = seed.len().saturating_sub(MAX_SEED_ITEMS);
        let items: Vec<InputItem> = seed[start..].iter().map(input_item).collect();
        let request = CreateConversationRequest {
            metadata: None,
            items: (!items.is_empty()).then_some(items),
        };
        let conversation = clients
            .whole
            .conversations()
            .create(request)
            .await
            .map_err(classify)?;
        Ok(conversation.id)
    }

    async fn delete_conversation(&self, id: &str) -> Result<()> {
        let clients = self.clients().await?;
        clients
            .whole
            .conversations()
            .delete(id)
            .await
            .map_err(classify)?;
        Ok(())
    }

    async fn respond(
        &self,
        conversation: &str,
        instructions: &str,
        input: &PromptMessage,
        model: Option<&str>,
        max_tokens: u32,
    ) -> Result<Completion> {
        let clients = self.clients().await?;
        let request =
            self.response_request(conversation, instructions, input, model, max_tokens)?;
        let started = Instant::now();
        let response = clients
            .whole
            .responses()
            .create(request)
            .await
            .map_err(classify)?;
        let response_ms = started.elapsed().as_millis() as u64;
        let (text, refused) = reply_of(&response).ok_or_else(|| {
            Failure::retryable(anyhow!("OpenAI returned no text")).with_cause(Cause::EmptyReply)
        })?;
        let mut completion = Completion::answer(text, usage_of(&response, response_ms));
        completion.refused = refused;
        Ok(completion)
    }

    async fn respond_stream(
        &self,
        conversation: &str,
        instructions: &str,
        input: &PromptMessage,
        model: Option<&str>,
        max_tokens: u32,
    ) -> Result<ReplyStream> {
        let clients = self.clients().await?;
        let request =
            self.response_request(conversation, instructions, input, model, max_tokens)?;
        let responses = clients.streaming.responses();
        let opening = responses.create_stream(request);
        let stream = tokio::time::timeout(self.settings.timeout, opening)
            .await
            .map_err(|_| {
                Failure::retryable(anyhow!(
                    "no answer from /responses within {:?}",
                    self.settings.timeout
                ))
            })?
            .map_err(classify)?;
        let events = guarded(
            stream,
            self.settings.timeout,
            self.settings.stream_idle,
            classify,
        )
        .filter_map(|event| async move {
            match event {
                Ok(event) => stream_event(event),
                Err(e) => Some(Err(e)),
            }
        });
        Ok(Box::pin(events))
    }
}
