//! Chat Completions, whole and streamed.

use std::time::Instant;

use anyhow::anyhow;
use async_openai::types::chat::{
    ChatCompletionStreamOptions, CreateChatCompletionRequest, CreateChatCompletionRequestArgs,
    CreateChatCompletionStreamResponse, FinishReason,
};
use futures::StreamExt;

use super::stream::guarded;
use super::{OpenAiChat, TokenLimitField, building, classify, to_request_message};
use crate::domain::{PromptMessage, Usage};
use crate::error::{Cause, Failure, Result};
use crate::ports::{ChatModel, Completion, ReplyStream, StreamEvent};

impl OpenAiChat {
    fn chat_request(
        &self,
        messages: &[PromptMessage],
        model: Option<&str>,
        max_tokens: u32,
        stream: bool,
    ) -> Result<CreateChatCompletionRequest> {
        let mut args = CreateChatCompletionRequestArgs::default();
        args.model(model.unwrap_or(&self.settings.model).to_owned())
            .messages(messages.iter().map(to_request_message).collect::<Vec<_>>());
        match self.settings.token_field {
            TokenLimitField::MaxCompletionTokens => {
                args.max_completion_tokens(max_tokens);
            }
            // Deprecated by OpenAI, and the name OpenAI-compatible servers understand.
            TokenLimitField::MaxTokens => {
                args.max_tokens(max_tokens);
            }
        }
        if stream {
            // Without this OpenAI reports no token counts for a stream; servers that never
            // report them are handled by estimating.
            args.stream_options(ChatCompletionStreamOptions {
                include_usage: Some(true),
                include_obfuscation: None,
            });
        }
        args.build().map_err(building)
    }
}

/// A reply's text, or its refusal, or why there is neither.
fn whole_reply(
    content: Option<String>,
    refusal: Option<String>,
    finish: Option<FinishReason>,
) -> Result<(String, bool)> {
    let text = content.unwrap_or_default();
    if !text.trim().is_empty() {
        return Ok((text, false));
    }
    if let Some(refusal) = refusal.filter(|r| !r.trim().is_empty()) {
        return Ok((refusal, true));
    }
    if finish == Some(FinishReason::ContentFilter) {
        return Err(
            Failure::permanent(anyhow!("OpenAI's content filter withheld the reply"))
                .with_cause(Cause::ContentFilter),
        );
    }
    Err(
        Failure::retryable(anyhow!("OpenAI returned no text ({finish:?})"))
            .with_cause(Cause::EmptyReply),
    )
}

/// The events one chunk carries: text, refusal, the filter's verdict, the token counts.
fn chunk_events(chunk: CreateChatCompletionStreamResponse) -> Vec<Result<StreamEvent>> {
    let mut events = Vec::new();
    if let Some(choice) = chunk.choices.into_iter().next() {
        if let Some(text) = choice.delta.content.filter(|d| !d.is_empty()) {
            events.push(Ok(StreamEvent::Delta(text)));
        }
        if let Some(refusal) = choice.delta.refusal.filter(|r| !r.is_empty()) {
            events.push(Ok(StreamEvent::Refusal(refusal)));
        }
        if choice.finish_reason == Some(FinishReason::ContentFilter) {
            events.push(Ok(StreamEvent::Filtered));
        }
    }
    if let Some(usage) = chunk.usage {
        events.push(Ok(StreamEvent::Usage {
            model: chunk.model,
            prompt_tokens: usage.prompt_tokens,
            completion_tokens: usage.completion_tokens,
        }));
    }
    events
}

impl ChatModel for OpenAiChat {
    async fn complete(
        &self,
        messages: &[PromptMessage],
        model: Option<&str>,
        max_tokens: u32,
    ) -> Result<Completion> {
        let clients = self.clients().await?;
        let request = self.chat_request(messages, model, max_tokens, false)?;
        let started = Instant::now();
        let response = clients
            .whole
            .chat()
            .create(request)
            .await
            .map_err(classify)?;
        let response_ms = started.elapsed().as_millis() as u64;
        let (content, refusal, finish) = response
            .choices
            .into_iter()
            .next()
            .map(|c| (c.message.content, c.message.refusal, c.finish_reason))
            .unwrap_or_default();
        let (text, refused) = whole_reply(content, refusal, finish)?;
        let usage = match response.usage {
            Some(u) => Usage {
                model: response.model,
                prompt_tokens: u.prompt_tokens,
                completion_tokens: u.completion_tokens,
                response_ms,
                estimated: false,
            },
            None => Usage {
                model: response.model,
                prompt_tokens: 0,
                completion_tokens: 0,
                response_ms,
                estimated: true,
            },
        };
        let mut completion = Completion::answer(text, usage);
        completion.refused = refused;
        Ok(completion)
    }

    async fn complete_stream(
        &self,
        messages: &[PromptMessage],
        model: Option<&str>,
        max_tokens: u32,
    ) -> Result<ReplyStream> {
        let clients = self.clients().await?;
        let request = self.chat_request(messages, model, max_tokens, true)?;
        let chat = clients.streaming.chat();
        let opening = chat.create_stream(request);
        let stream = tokio::time::timeout(self.settings.timeout, opening)
            .await
            .map_err(|_| {
                Failure::retryable(anyhow!(
                    "no answer from /chat/completions within {:?}",
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
        .flat_map(|chunk| {
            futures::stream::iter(match chunk {
                Ok(chunk) => chunk_events(chunk),
                Err(e) => vec![Err(e)],
            })
        });
        Ok(Box::pin(events))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_an_answer_and_a_filter_is_not() {
        assert_eq!(
            whole_reply(Some("hi".into()), None, Some(FinishReason::Stop)).unwrap(),
            ("hi".to_owned(), false)
        );
        assert_eq!(
            whole_reply(
                None,
                Some("I can't help with that.".into()),
                Some(FinishReason::Stop)
            )
            .unwrap(),
            ("I can't help with that.".to_owned(), true)
        );
        let filtered =
            whole_reply(Some(String::new()), None, Some(FinishReason::ContentFilter)).unwrap_err();
        assert_eq!(
            (filtered.retryable, filtered.cause),
            (false, Some(Cause::ContentFilter))
        );
        let empty = whole_reply(None, None, Some(FinishReason::Length)).unwrap_err();
        assert_eq!(empty.cause, Some(Cause::EmptyReply));
    }
}
