//! Scripted failures for the next model request, and what each makes of the answer.

use std::time::Duration;

use serde_json::{Value, json};

use super::Endpoint;
use super::bodies::{ResponseBody, json_reply, recorded, server_error};
use super::said::Said;
use super::server::Plan;
use super::sse::StreamPlan;
use hyper::Response;

#[derive(Clone, Debug)]
pub enum AiFault {
    /// 500 server_error (recorded body).
    ServerError,
    /// No answer for this long: longer than the client's timeout. A chat completion (whole
    /// or streamed) is answered normally afterwards, anything else with a 500.
    Timeout(Duration),
    /// 429 rate_limit_exceeded (recorded body).
    RateLimited,
    /// 429 rate_limit_exceeded (recorded body) with the `retry-after-ms` and `retry-after`
    /// (whole seconds, rounded up) headers OpenAI's SDKs wait by.
    RateLimitedFor(Duration),
    /// 429 insufficient_quota: not worth retrying.
    InsufficientQuota,
    /// 400 context_length_exceeded.
    ContextLengthExceeded,
    /// 503 "The server is overloaded or not ready yet."
    Overloaded,
    /// The connection is reset (RST) before any byte of an answer.
    ConnectionReset,
    /// No byte for this long, then the connection closes without an answer.
    Hang(Duration),
    /// A stream sends its opening (the role chunk, or the Responses API's opening events)
    /// and one piece of text, then the connection closes: no finish, no `[DONE]`. A request
    /// that does not stream gets its connection closed without an answer.
    CutStream,
    /// A stream sends its opening and first piece, then nothing for this long, then the
    /// rest as usual. A whole answer comes this much later.
    StallMidStream(Duration),
    /// The model refuses: `refusal` set and `content` null (streamed as `delta.refusal`
    /// pieces, finish_reason `stop`); the Responses API answers with a `refusal` content
    /// part. Elsewhere the request is answered as usual. In a chat completion, `{said}`
    /// in the text becomes what the user said.
    Refusal(String),
    /// finish_reason `content_filter` with no content (streamed: a finish chunk with no
    /// text before it); the Responses API answers `incomplete` for `content_filter`.
    /// Elsewhere the request is answered as usual.
    ContentFilter,
    /// 200 `text/event-stream` with no events at all.
    EmptyStream,
    /// A stream sends its opening, then `data: {"error": <value>}`, then ends. A request
    /// that does not stream gets `{"error": <value>}` with the value's `code` as status
    /// (500 unless it is an HTTP error status).
    ErrorInStream(Value),
}

impl AiFault {
    /// llama.cpp's own server (`llama-server`) when a prompt outgrows the context
    /// mid-stream.
    pub fn context_overflow_in_stream() -> Self {
        AiFault::ErrorInStream(json!({
            "code": 400,
            "message": "the request exceeds the available context size, try increasing it",
            "type": "exceed_context_size_error",
            "n_prompt_tokens": 5000,
            "n_ctx": 4096
        }))
    }

    /// The answer when the fault takes the place of the model's, or None when the model
    /// answers and [`Self::shape`] changes that answer.
    pub(crate) fn instead(&self, endpoint: Endpoint, streamed: bool) -> Option<Plan> {
        let reply = |response| Some(Plan::Reply(response));
        match self {
            AiFault::ServerError => reply(server_error()),
            AiFault::RateLimited => reply(rate_limited()),
            AiFault::RateLimitedFor(wait) => reply(rate_limited_for(*wait)),
            AiFault::InsufficientQuota => {
                reply(recorded(429, "27-error-429-insufficient-quota.json"))
            }
            AiFault::ContextLengthExceeded => reply(context_length_exceeded()),
            AiFault::Overloaded => reply(overloaded()),
            AiFault::ConnectionReset => Some(Plan::Reset),
            AiFault::Hang(silence) => Some(Plan::Late(*silence, Box::new(Plan::Hangup))),
            AiFault::EmptyStream => Some(Plan::Stream(StreamPlan::empty())),
            AiFault::Timeout(silence) if endpoint != Endpoint::Chat => {
                Some(Plan::Late(*silence, Box::new(Plan::Reply(server_error()))))
            }
            AiFault::CutStream if !streamed => Some(Plan::Hangup),
            AiFault::ErrorInStream(error) if !streamed => reply(error_reply(error)),
            _ => None,
        }
    }

    /// What the model says under this fault at `endpoint`, when the fault decides it.
    pub(crate) fn said(&self, endpoint: Endpoint) -> Option<Said> {
        if !matches!(endpoint, Endpoint::Chat | Endpoint::Responses) {
            return None;
        }
        match self {
            AiFault::Refusal(text) => Some(Said::Refusal(text.clone())),
            AiFault::ContentFilter => Some(Said::Filtered),
            _ => None,
        }
    }

    /// The model's answer as this fault changes it.
    pub(crate) fn shape(&self, answer: Plan) -> Plan {
        match (self, answer) {
            (AiFault::Timeout(silence), answer) => Plan::Late(*silence, Box::new(answer)),
            (AiFault::CutStream, Plan::Stream(s)) => Plan::Stream(s.cut_after_first_piece()),
            (AiFault::StallMidStream(silence), Plan::Stream(s)) => {
                Plan::Stream(s.stall_after_first_piece(*silence))
            }
            (AiFault::StallMidStream(silence), answer) => Plan::Late(*silence, Box::new(answer)),
            (AiFault::ErrorInStream(error), Plan::Stream(s)) => {
                Plan::Stream(s.error_after_opening(error))
            }
            (_, answer) => answer,
        }
    }

    /// Whether the request still completes under this fault (so a conversation grows).
    pub(crate) fn completes(&self) -> bool {
        matches!(
            self,
            AiFault::StallMidStream(_) | AiFault::Refusal(_) | AiFault::ContentFilter
        )
    }
}

pub(crate) fn rate_limited() -> Response<ResponseBody> {
    recorded(429, "29-error-429-rate-limit-exceeded-tpm.json")
}

pub(crate) fn context_length_exceeded() -> Response<ResponseBody> {
    recorded(400, "31-error-400-context-length-exceeded.json")
}

fn rate_limited_for(wait: Duration) -> Response<ResponseBody> {
    let mut response = rate_limited();
    let seconds = wait.as_millis().div_ceil(1000);
    let headers = response.headers_mut();
    for (name, value) in [
        ("retry-after-ms", wait.as_millis().to_string()),
        ("retry-after", seconds.to_string()),
    ] {
        if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

fn overloaded() -> Response<ResponseBody> {
    json_reply(
        503,
        &json!({"error": {"message": "The server is overloaded or not ready yet.",
                          "type": "server_error", "param": null, "code": null}}),
    )
}

fn error_reply(error: &Value) -> Response<ResponseBody> {
    let status = error["code"]
        .as_u64()
        .and_then(|c| u16::try_from(c).ok())
        .filter(|c| (400..600).contains(c))
        .unwrap_or(500);
    json_reply(status, &json!({ "error": error }))
}
