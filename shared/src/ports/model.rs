//! The model: chat completions, Responses conversations, speech.

use super::*;

/// A reply the model finished, with what it cost and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// The reply in Markdown (rendered at sending); partial when it ended early.
    pub text: String,
    /// Tokens and model: what the limits, credits and price are counted from.
    pub usage: Usage,
    /// The user stopped the generation; `text` is what was written until then.
    pub stopped: bool,
    /// The model declined to answer; `text` is its refusal, a final answer like any other.
    pub refused: bool,
    /// The invocation ran out of time mid-reply; `text` is what was written until then.
    pub cut_short: bool,
}

impl Completion {
    /// A reply that ran to its end: not stopped, refused or cut short.
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
    /// The next piece of the answer, shown in the draft as it grows.
    Delta(String),
    /// A piece of the model's refusal to answer.
    Refusal(String),
    /// The provider's safety system stopped the reply.
    Filtered,
    /// Token counts, when the provider reports them (the last event).
    Usage {
        /// The model that answered, as the provider names it: it sets the price.
        model: String,
        /// Tokens the model read: the prompt, history and notes.
        prompt_tokens: u32,
        /// Tokens the model wrote.
        completion_tokens: u32,
    },
}

/// A streamed reply's events; an error item means the stream broke mid-way.
pub type ReplyStream =
    std::pin::Pin<Box<dyn futures::Stream<Item = Result<StreamEvent, Failure>> + Send>>;

/// Speech to text.
pub trait Transcriber: Sync {
    /// The words spoken in `audio`; `file_name`'s extension tells the server the format.
    fn transcribe(
        &self,
        audio: Vec<u8>,
        file_name: &str,
    ) -> impl Future<Output = Result<String, Failure>> + Send;
}

/// Text to speech, as OGG/Opus (what Telegram plays as a voice note).
pub trait Speaker: Sync {
    /// `text`, spoken as one voice note.
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
    /// Deletes a server-side conversation (a conversation deleted from `/history`). A
    /// server without the endpoint fails with `Cause::EndpointMissing`, one that no longer
    /// has the conversation with `Cause::ConversationGone`: both leave nothing to delete.
    fn delete_conversation(&self, id: &str) -> impl Future<Output = Result<(), Failure>> + Send;
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

/// Chat completions: the bot keeps the history and sends what fits with each call.
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
