//! A scripted model: each call takes the next script, or echoes the user's words.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use crate::Failure;
use crate::domain::{PromptMessage, PromptRole, Usage};
use crate::error::Cause;
use crate::ports::{
    ChatModel, Completion, ConversationModel, ReplyStream, Speaker, StreamEvent, Transcriber,
};
use anyhow::anyhow;
use futures::StreamExt;
use tokio::time::Instant;

use super::lock;

/// What the next model call does.
#[derive(Clone, Debug)]
pub enum Script {
    /// A reply in these pieces, one every `gap`; with usage at the end if `usage`.
    Reply {
        /// The reply's text, split where a stream would deliver it.
        pieces: Vec<String>,
        /// The wait before each piece (a whole reply waits for all of them at once).
        gap: Duration,
        /// Whether a stream ends with token counts (a whole reply always has them).
        usage: bool,
    },
    /// The call fails: retryable or not, with a cause and a `retry-after`.
    Fail {
        /// Whether the processor may try again, within the delivery or by redelivery.
        retryable: bool,
        /// What the provider said went wrong (a context overflow, a lost conversation…).
        cause: Option<Cause>,
        /// The provider's `retry-after`: no retry may come sooner.
        retry_after: Option<Duration>,
    },
    /// A stream that ends without a single event.
    Empty,
}

impl Script {
    /// A reply of `n` pieces ("w0 w1 …"), one every `gap`.
    pub fn slow_reply(n: usize, gap: Duration) -> Self {
        Self::Reply {
            pieces: (0..n).map(|i| format!("w{i} ")).collect(),
            gap,
            usage: true,
        }
    }

    /// A retryable failure with no cause: a 5xx, or a dropped connection.
    pub fn transient() -> Self {
        Self::Fail {
            retryable: true,
            cause: None,
            retry_after: None,
        }
    }
}

/// One call the model got.
#[derive(Clone, Debug)]
pub struct ModelCall {
    /// `stream`, `whole`, `new_conversation`, `delete_conversation`, `transcribe` or `speak`.
    pub kind: &'static str,
    /// When it was made (tokio's clock).
    pub at: Instant,
    /// The output limit asked for.
    pub max_tokens: u32,
    /// What the model was given.
    pub prompt: Vec<PromptMessage>,
    /// The model asked for, if the call named one (`None`: the server's default).
    pub model: Option<String>,
    /// The provider-side conversation the call continued (Responses mode).
    pub conversation: Option<String>,
}

/// A model that follows scripts, then echoes. Records every call.
#[derive(Default)]
pub struct FakeModel {
    scripts: Mutex<VecDeque<Script>>,
    calls: Mutex<Vec<ModelCall>>,
}

/// Which model and conversation a call named.
#[derive(Clone, Copy, Default)]
struct Target<'a> {
    model: Option<&'a str>,
    conversation: Option<&'a str>,
}

fn echo(prompt: &[PromptMessage]) -> Script {
    let said = prompt
        .iter()
        .rev()
        .find(|m| m.role == PromptRole::User)
        .map(|m| m.content.clone())
        .unwrap_or_default();
    Script::Reply {
        pieces: vec!["You said ".into(), format!("\u{201c}{said}\u{201d}")],
        gap: Duration::ZERO,
        usage: true,
    }
}

impl Script {
    /// The failure a `Fail` script stands for (any other script is a transient one).
    fn failure(self) -> Failure {
        match self {
            Self::Fail {
                retryable,
                cause,
                retry_after,
            } => failure(retryable, cause, retry_after),
            _ => failure(true, None, None),
        }
    }
}

fn failure(retryable: bool, cause: Option<Cause>, retry_after: Option<Duration>) -> Failure {
    let f = if retryable {
        Failure::retryable(anyhow!("scripted failure"))
    } else {
        Failure::permanent(anyhow!("scripted failure"))
    };
    let f = f.with_retry_after(retry_after);
    match cause {
        Some(c) => f.with_cause(c),
        None => f,
    }
}

fn usage(prompt: &[PromptMessage], text: &str) -> Usage {
    Usage {
        model: "fake-model".into(),
        prompt_tokens: prompt.iter().map(|m| m.content.len() as u32 / 4 + 4).sum(),
        completion_tokens: text.len() as u32 / 4 + 1,
        response_ms: 0,
        estimated: false,
    }
}

impl FakeModel {
    /// The next calls follow these scripts, in order.
    pub fn script(&self, scripts: impl IntoIterator<Item = Script>) {
        lock(&self.scripts).extend(scripts);
    }

    /// Every call so far, oldest first, for a test to check what the model was asked.
    pub fn calls(&self) -> Vec<ModelCall> {
        lock(&self.calls).clone()
    }

    fn next(
        &self,
        kind: &'static str,
        prompt: &[PromptMessage],
        max_tokens: u32,
        target: Target<'_>,
    ) -> Script {
        lock(&self.calls).push(ModelCall {
            kind,
            at: Instant::now(),
            max_tokens,
            prompt: prompt.to_vec(),
            model: target.model.map(str::to_owned),
            conversation: target.conversation.map(str::to_owned),
        });
        lock(&self.scripts)
            .pop_front()
            .unwrap_or_else(|| echo(prompt))
    }

    fn stream(
        &self,
        prompt: &[PromptMessage],
        max_tokens: u32,
        target: Target<'_>,
    ) -> Result<ReplyStream, Failure> {
        match self.next("stream", prompt, max_tokens, target) {
            fail @ Script::Fail { .. } => Err(fail.failure()),
            Script::Empty => Ok(Box::pin(futures::stream::once(async {
                Err(failure(true, Some(Cause::EmptyStream), None))
            }))),
            Script::Reply {
                pieces,
                gap,
                usage: with_usage,
            } => {
                let text: String = pieces.concat();
                let mut events: Vec<(Duration, StreamEvent)> = pieces
                    .into_iter()
                    .map(|p| (gap, StreamEvent::Delta(p)))
                    .collect();
                if with_usage {
                    let u = usage(prompt, &text);
                    events.push((
                        Duration::ZERO,
                        StreamEvent::Usage {
                            model: u.model,
                            prompt_tokens: u.prompt_tokens,
                            completion_tokens: u.completion_tokens,
                        },
                    ));
                }
                Ok(Box::pin(futures::stream::iter(events).then(
                    |(gap, event)| async move {
                        tokio::time::sleep(gap).await;
                        Ok(event)
                    },
                )))
            }
        }
    }

    async fn whole(
        &self,
        prompt: &[PromptMessage],
        max_tokens: u32,
        target: Target<'_>,
    ) -> Result<Completion, Failure> {
        match self.next("whole", prompt, max_tokens, target) {
            fail @ Script::Fail { .. } => Err(fail.failure()),
            Script::Empty => Err(failure(true, Some(Cause::EmptyReply), None)),
            Script::Reply { pieces, gap, .. } => {
                tokio::time::sleep(gap * pieces.len() as u32).await;
                let text = pieces.concat();
                let u = usage(prompt, &text);
                Ok(Completion::answer(text, u))
            }
        }
    }
}

impl ChatModel for FakeModel {
    async fn complete(
        &self,
        messages: &[PromptMessage],
        model: Option<&str>,
        max_tokens: u32,
    ) -> Result<Completion, Failure> {
        let target = Target {
            model,
            conversation: None,
        };
        self.whole(messages, max_tokens, target).await
    }

    async fn complete_stream(
        &self,
        messages: &[PromptMessage],
        model: Option<&str>,
        max_tokens: u32,
    ) -> Result<ReplyStream, Failure> {
        let target = Target {
            model,
            conversation: None,
        };
        self.stream(messages, max_tokens, target)
    }
}

impl ConversationModel for FakeModel {
    async fn new_conversation(&self, seed: &[PromptMessage]) -> Result<String, Failure> {
        let mut calls = lock(&self.calls);
        let opened = calls
            .iter()
            .filter(|c| c.kind == "new_conversation")
            .count();
        calls.push(ModelCall {
            kind: "new_conversation",
            at: Instant::now(),
            max_tokens: 0,
            prompt: seed.to_vec(),
            model: None,
            conversation: None,
        });
        Ok(format!("conv_fake_{}", opened + 1))
    }

    async fn respond(
        &self,
        conversation: &str,
        _: &str,
        input: &PromptMessage,
        model: Option<&str>,
        max_tokens: u32,
    ) -> Result<Completion, Failure> {
        let target = Target {
            model,
            conversation: Some(conversation),
        };
        self.whole(std::slice::from_ref(input), max_tokens, target)
            .await
    }

    async fn respond_stream(
        &self,
        conversation: &str,
        _: &str,
        input: &PromptMessage,
        model: Option<&str>,
        max_tokens: u32,
    ) -> Result<ReplyStream, Failure> {
        let target = Target {
            model,
            conversation: Some(conversation),
        };
        self.stream(std::slice::from_ref(input), max_tokens, target)
    }

    async fn delete_conversation(&self, conversation: &str) -> Result<bool, Failure> {
        let target = Target {
            model: None,
            conversation: Some(conversation),
        };
        match self.next("delete_conversation", &[], 0, target) {
            // What the adapter makes of a 404: nothing there to delete.
            Script::Fail {
                cause: Some(Cause::ConversationGone | Cause::EndpointMissing),
                ..
            } => Ok(false),
            fail @ Script::Fail { .. } => Err(fail.failure()),
            _ => Ok(true),
        }
    }
}

impl Transcriber for FakeModel {
    async fn transcribe(&self, _: Vec<u8>, _: &str) -> Result<String, Failure> {
        match self.next("transcribe", &[], 0, Target::default()) {
            fail @ Script::Fail { .. } => Err(fail.failure()),
            Script::Empty => Ok(String::new()),
            Script::Reply { pieces, .. } => Ok(pieces.concat()),
        }
    }
}

impl Speaker for FakeModel {
    async fn speak(&self, text: &str) -> Result<Vec<u8>, Failure> {
        let said = [PromptMessage {
            role: PromptRole::Assistant,
            content: text.to_owned(),
            images: Vec::new(),
        }];
        match self.next("speak", &said, 0, Target::default()) {
            fail @ Script::Fail { .. } => Err(fail.failure()),
            // An Ogg file starts so; the sender only passes the bytes on.
            _ => Ok(b"OggS fake voice".to_vec()),
        }
    }
}
