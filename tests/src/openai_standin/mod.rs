//! An OpenAI API stand-in: chat completions (whole or streamed), the Responses API with
//! Conversations, audio transcription and speech.
//!
//! Replies are built on recorded responses (ids, usage details, fingerprints, the event
//! stream framing as the real API sends them), with a deterministic text that shows what
//! the bot sent: the user's words, how much history came along, and whether a style
//! profile was included. Requests are checked against OpenAI's OpenAPI description and the
//! API key. [`Profile::LlamaCpp`] answers as a local llama.cpp server does instead.
//!
//! It is a small hyper server rather than a wiremock mock because a stream has to be
//! written piece by piece with pauses in between, and a client that hangs up mid-stream
//! has to be noticed.

mod bodies;
mod faults;
mod llama;
mod ogg;
mod routes;
mod said;
mod server;
mod sse;
mod text;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use tokio::net::TcpListener;

pub use bodies::{completion_body, response_body};
pub use faults::AiFault;
pub use ogg::{ogg_opus, speech_seconds, spoken_ogg};
pub use sse::stream_pieces;
pub use text::reply_text;

/// Whether a model request without an output limit is a violation unless a test says
/// otherwise ([`OpenAiStandIn::require_output_limit`]).
pub const REQUIRE_OUTPUT_LIMIT_BY_DEFAULT: bool = true;

/// Which server the stand-in acts as.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Profile {
    /// api.openai.com.
    #[default]
    OpenAi,
    /// llama-cpp-python 0.3.36's server (`python -m llama_cpp.server`): chat completions
    /// only, no usage in streams, empty streams where it fails, 4096 tokens of context.
    LlamaCpp,
}

impl Profile {
    fn default_context_size(self) -> Option<u64> {
        match self {
            Profile::OpenAi => None,
            Profile::LlamaCpp => Some(4096),
        }
    }
}

/// A kind of request, for faults aimed at one and for counting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `POST /v1/chat/completions`.
    Chat,
    /// `POST /v1/responses`.
    Responses,
    /// `/v1/conversations` and below.
    Conversations,
    /// `POST /v1/audio/transcriptions`.
    Transcriptions,
    /// `POST /v1/audio/speech`.
    Speech,
}

impl Endpoint {
    fn of(path: &str) -> Option<Self> {
        match path {
            "/v1/chat/completions" => Some(Endpoint::Chat),
            "/v1/responses" => Some(Endpoint::Responses),
            "/v1/audio/transcriptions" => Some(Endpoint::Transcriptions),
            "/v1/audio/speech" => Some(Endpoint::Speech),
            p if p == "/v1/conversations" || p.starts_with("/v1/conversations/") => {
                Some(Endpoint::Conversations)
            }
            _ => None,
        }
    }

    /// Requests that run a model, which [`OpenAiStandIn::fail_next`] aims at.
    fn runs_a_model(self) -> bool {
        self != Endpoint::Conversations
    }
}

/// One accepted `POST /v1/audio/transcriptions`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transcription {
    pub model: String,
    pub file_name: String,
    /// Size of the uploaded file.
    pub bytes: usize,
    pub response_format: Option<String>,
}

/// One request to an endpoint, whatever its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelRequest {
    pub endpoint: Endpoint,
    pub streamed: bool,
    /// `max_completion_tokens` (else `max_tokens`) of a chat completion,
    /// `max_output_tokens` of a response, as sent.
    pub output_limit: Option<u64>,
    /// When it arrived, to order it against other services' requests.
    pub at: std::time::Instant,
}

#[derive(Default)]
struct State {
    requests: Vec<Value>,
    /// Items in each server-side conversation (Responses API).
    conversations: HashMap<String, usize>,
    /// Conversations deleted with `DELETE /v1/conversations/{id}`, in order.
    deleted_conversations: Vec<String>,
    /// Conversations ever created, so that ids stay unique after they are forgotten.
    conversations_created: usize,
    faults: VecDeque<(Option<Endpoint>, AiFault)>,
    violations: Vec<String>,
    stream_delay: Duration,
    streams_started: usize,
    abandoned_streams: usize,
    transcriptions: Vec<Transcription>,
    speeches: Vec<Value>,
    model_requests: Vec<ModelRequest>,
    /// Numbers the answers, so each gets its own ids.
    serial: u64,
    profile: Profile,
    context_size: Option<u64>,
    require_output_limit: bool,
}

impl State {
    /// The first queued fault meant for `endpoint`.
    fn take_fault(&mut self, endpoint: Endpoint) -> Option<AiFault> {
        let at = self.faults.iter().position(|(target, _)| match target {
            Some(target) => *target == endpoint,
            None => endpoint.runs_a_model(),
        })?;
        self.faults.remove(at).map(|(_, fault)| fault)
    }

    fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }
}

struct Inner {
    api_key: String,
    state: Mutex<State>,
}

/// Stops accepting connections when the last handle to the stand-in is dropped, as
/// wiremock's server did.
struct Acceptor(tokio::task::AbortHandle);

impl Drop for Acceptor {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[derive(Clone)]
pub struct OpenAiStandIn {
    addr: SocketAddr,
    inner: Arc<Inner>,
    _acceptor: Arc<Acceptor>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

impl OpenAiStandIn {
    pub async fn start(api_key: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the OpenAI stand-in to a loopback port");
        let addr = listener
            .local_addr()
            .expect("the stand-in's listener has an address");
        let inner = Arc::new(Inner {
            api_key: api_key.to_owned(),
            state: Mutex::new(State {
                require_output_limit: REQUIRE_OUTPUT_LIMIT_BY_DEFAULT,
                ..State::default()
            }),
        });
        let acceptor = tokio::spawn(server::serve(listener, inner.clone()));
        Self {
            addr,
            inner,
            _acceptor: Arc::new(Acceptor(acceptor.abort_handle())),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.inner.state)
    }

    /// The value for `OPENAI_BASE_URL`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// Acts as `profile` from now on; the context size becomes the profile's default
    /// (none for OpenAI, 4096 tokens for llama.cpp).
    pub fn set_profile(&self, profile: Profile) {
        let mut state = self.state();
        state.profile = profile;
        state.context_size = profile.default_context_size();
    }

    /// The context window in prompt tokens as the stand-in estimates them (about four
    /// characters a token); `None` for no limit. OpenAI refuses a chat completion whose
    /// prompt and output limit together exceed it (400 context_length_exceeded, streamed
    /// or not); llama.cpp refuses a prompt of that many tokens or more (400 when not
    /// streamed, an empty stream when streamed).
    pub fn set_context_size(&self, tokens: Option<u64>) {
        self.state().context_size = tokens;
    }

    /// When on, a chat completion without `max_tokens`/`max_completion_tokens` (under
    /// llama.cpp: without `max_tokens`, the only one it reads) and a response without
    /// `max_output_tokens` are recorded as violations, and still answered.
    pub fn require_output_limit(&self, required: bool) {
        self.state().require_output_limit = required;
    }

    /// Queues a fault for the next request to a model (chat completions, responses,
    /// transcriptions, speech), streamed or not.
    pub fn fail_next(&self, fault: AiFault) {
        self.state().faults.push_back((None, fault));
    }

    /// Queues a fault for the next request to `endpoint` only.
    pub fn fail_next_on(&self, endpoint: Endpoint, fault: AiFault) {
        self.state().faults.push_back((Some(endpoint), fault));
    }

    /// Whether the server still holds conversation `id`.
    pub fn holds_conversation(&self, id: &str) -> bool {
        self.state().conversations.contains_key(id)
    }

    /// The server forgets every conversation: a response in one is answered 404.
    pub fn forget_conversations(&self) {
        self.state().conversations.clear();
    }

    /// The pause between the pieces of every stream started from now on (default none).
    pub fn set_stream_delay(&self, delay: Duration) {
        self.state().stream_delay = delay;
    }

    /// Every JSON request that passed the spec check, in order.
    pub fn requests(&self) -> Vec<Value> {
        self.state().requests.clone()
    }

    /// Conversations deleted through `DELETE /v1/conversations/{id}`, in order.
    pub fn deleted_conversations(&self) -> Vec<String> {
        self.state().deleted_conversations.clone()
    }

    /// Every request to an endpoint, in order, whatever it was answered.
    pub fn model_requests(&self) -> Vec<ModelRequest> {
        self.state().model_requests.clone()
    }

    /// How many requests reached `endpoint`, whatever they were answered.
    pub fn count(&self, endpoint: Endpoint) -> usize {
        let state = self.state();
        state
            .model_requests
            .iter()
            .filter(|r| r.endpoint == endpoint)
            .count()
    }

    pub fn violations(&self) -> Vec<String> {
        self.state().violations.clone()
    }

    /// Streams begun (a 200 `text/event-stream` answer), whatever became of them.
    pub fn streams_started(&self) -> usize {
        self.state().streams_started
    }

    /// Streams whose client went away before the last event was taken.
    pub fn abandoned_streams(&self) -> usize {
        self.state().abandoned_streams
    }

    /// Transcription requests that passed the checks, in order.
    pub fn transcriptions(&self) -> Vec<Transcription> {
        self.state().transcriptions.clone()
    }

    /// Speech requests (their JSON bodies) that passed the spec check, in order.
    pub fn speeches(&self) -> Vec<Value> {
        self.state().speeches.clone()
    }
}
