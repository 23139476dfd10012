//! An OpenAI API stand-in for `POST /v1/chat/completions`.
//!
//! Replies are built on a recorded response (ids, usage details, fingerprints as the
//! real API sends them), with a deterministic text that shows what the bot sent: the
//! user's words, how much history came along, and whether a style profile was included.
//! Requests are checked against OpenAI's OpenAPI description and the API key.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::{fixtures, spec};

#[derive(Clone, Debug)]
pub enum AiFault {
    /// 500 server_error (recorded body).
    ServerError,
    /// No answer for this long: longer than the client's timeout.
    Timeout(Duration),
    /// 429 rate_limit_exceeded (recorded body).
    RateLimited,
    /// 429 insufficient_quota: not worth retrying.
    InsufficientQuota,
    /// 400 context_length_exceeded.
    ContextLengthExceeded,
}

#[derive(Default)]
struct State {
    requests: Vec<Value>,
    /// Items in each server-side conversation (Responses API).
    conversations: HashMap<String, usize>,
    faults: VecDeque<AiFault>,
    violations: Vec<String>,
}

#[derive(Clone)]
pub struct OpenAiStandIn {
    server: Arc<MockServer>,
    state: Arc<Mutex<State>>,
}

struct Responder {
    api_key: String,
    state: Arc<Mutex<State>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

fn recorded(status: u16, file: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(
        fixtures::text(&format!("openai/{file}")),
        "application/json",
    )
}

/// Roughly four characters a token, as OpenAI's own rule of thumb says.
fn tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4).max(1)
}

pub fn reply_text(request: &Value) -> String {
    let messages = request["messages"].as_array().cloned().unwrap_or_default();
    let last_user = messages
        .iter()
        .rev()
        .find(|m| m["role"] == "user")
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default();
    let earlier = messages
        .iter()
        .filter(|m| m["role"] == "user" || m["role"] == "assistant")
        .count()
        .saturating_sub(1);
    let system = messages
        .iter()
        .find(|m| m["role"] == "system")
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default();
    describe(system, last_user, earlier)
}

/// The deterministic reply: who the instructions make the bot, what the user said, how
/// much history came along, and whether a style profile was included.
fn describe(system: &str, last_user: &str, earlier: usize) -> String {
    // Who the system prompt says the bot is: a custom name, else the relationship.
    let who = system
        .split_once("Your name is ")
        .and_then(|(_, rest)| rest.split_once('.'))
        .map(|(name, _)| name.to_owned())
        .or_else(|| {
            system
                .split_once("You are their ")
                .and_then(|(_, rest)| rest.split_once(':'))
                .map(|(who, _)| format!("your {who}"))
        })
        .unwrap_or_else(|| "no persona".to_owned());
    let styled = system.contains("Their style:");
    format!(
        "[{who}] You said \u{201c}{last_user}\u{201d}. I can see {earlier} earlier message{s} of ours{style}.",
        s = if earlier == 1 { "" } else { "s" },
        style = if styled {
            ", and I'm writing in your style"
        } else {
            ""
        },
    )
}

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path().to_owned();
        let auth = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if auth != format!("Bearer {}", self.api_key) {
            return recorded(401, "26-error-401-invalid-api-key.json");
        }
        let body: Value = match serde_json::from_slice(&request.body) {
            Ok(v) => v,
            Err(e) => {
                return ResponseTemplate::new(400).set_body_json(json!({"error": {"message": format!("We could not parse the JSON body of your request. ({e})"), "type": "invalid_request_error", "param": null, "code": null}}));
            }
        };
        let mut state = lock(&self.state);
        if let Err(reason) = spec::openai().check_request("POST", &path, &body) {
            state.violations.push(format!("POST {path}: {reason}"));
            return ResponseTemplate::new(400).set_body_json(json!({"error": {"message": reason, "type": "invalid_request_error", "param": null, "code": null}}));
        }
        state.requests.push(body.clone());
        if path == "/v1/conversations" {
            let id = format!("conv_{:048x}", state.conversations.len() + 1);
            state.conversations.insert(id.clone(), 0);
            let mut conversation = fixtures::json("openai/15-conversation-object.json");
            conversation["id"] = json!(id);
            conversation["metadata"] = json!({});
            return ResponseTemplate::new(200).set_body_json(conversation);
        }
        if path == "/v1/responses" {
            let id = body["conversation"]
                .as_str()
                .or(body["conversation"]["id"].as_str())
                .unwrap_or_default()
                .to_owned();
            let Some(items) = state.conversations.get(&id).copied() else {
                return ResponseTemplate::new(404).set_body_json(json!({"error": {
                    "message": format!("Conversation with id '{id}' not found."),
                    "type": "invalid_request_error", "param": null, "code": null}}));
            };
            if let Some(fault) = state.faults.pop_front() {
                return fault_response(&fault, None);
            }
            state.conversations.insert(id, items + 2);
            return ResponseTemplate::new(200).set_body_json(response_body(&body, items));
        }
        if path != "/v1/chat/completions" {
            return recorded(404, "34-error-404-not-found.json");
        }
        if let Some(fault) = state.faults.pop_front() {
            return fault_response(&fault, Some(&body));
        }
        completion(&body)
    }
}

/// `body`: the chat request, for a timeout that answers late; `None` for other APIs.
fn fault_response(fault: &AiFault, body: Option<&Value>) -> ResponseTemplate {
    match fault {
        AiFault::ServerError => recorded(500, "32-error-500-server-error.json"),
        AiFault::Timeout(d) => body
            .map_or_else(
                || recorded(500, "32-error-500-server-error.json"),
                completion,
            )
            .set_delay(*d),
        AiFault::RateLimited => recorded(429, "29-error-429-rate-limit-exceeded-tpm.json"),
        AiFault::InsufficientQuota => recorded(429, "27-error-429-insufficient-quota.json"),
        AiFault::ContextLengthExceeded => {
            recorded(400, "31-error-400-context-length-exceeded.json")
        }
    }
}

/// A Responses API `response`, shaped exactly like the recorded one.
pub fn response_body(request: &Value, earlier_items: usize) -> Value {
    let mut body = fixtures::json("openai/11-responses-response-output-text.json");
    let instructions = request["instructions"].as_str().unwrap_or_default();
    let input = request["input"].as_str().unwrap_or_default();
    let text = describe(instructions, input, earlier_items);
    let input_tokens = tokens(instructions) + tokens(input) + 8;
    let output_tokens = tokens(&text);
    body["output"][0]["content"][0]["text"] = json!(text);
    body["model"] = request["model"].clone();
    body["instructions"] = json!(instructions);
    body["usage"]["input_tokens"] = json!(input_tokens);
    body["usage"]["output_tokens"] = json!(output_tokens);
    body["usage"]["total_tokens"] = json!(input_tokens + output_tokens);
    body
}

/// A chat.completion shaped exactly like the recorded gpt-4o-mini response.
pub fn completion_body(request: &Value) -> Value {
    let mut body = fixtures::json("openai/01-chat-completion-gpt-4o-mini-usage-details.json");
    let text = reply_text(request);
    let prompt: u64 = request["messages"]
        .as_array()
        .map(|ms| {
            ms.iter()
                .map(|m| tokens(m["content"].as_str().unwrap_or_default()) + 4)
                .sum()
        })
        .unwrap_or(0);
    let completion = tokens(&text);
    body["choices"][0]["message"]["content"] = json!(text);
    body["model"] = request["model"].clone();
    body["usage"]["prompt_tokens"] = json!(prompt);
    body["usage"]["completion_tokens"] = json!(completion);
    body["usage"]["total_tokens"] = json!(prompt + completion);
    body
}

fn completion(request: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(completion_body(request))
}

impl OpenAiStandIn {
    pub async fn start(api_key: &str) -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        Mock::given(method("POST"))
            .respond_with(Responder {
                api_key: api_key.to_owned(),
                state: state.clone(),
            })
            .mount(&server)
            .await;
        Self {
            server: Arc::new(server),
            state,
        }
    }

    /// The value for `OPENAI_BASE_URL`.
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.server.uri())
    }

    pub fn fail_next(&self, fault: AiFault) {
        lock(&self.state).faults.push_back(fault);
    }

    /// Every request that passed the spec check, in order.
    pub fn requests(&self) -> Vec<Value> {
        lock(&self.state).requests.clone()
    }

    pub fn violations(&self) -> Vec<String> {
        lock(&self.state).violations.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_responses_fit_the_documented_api() {
        let request = json!({"model": "gpt-4o-mini", "conversation": "conv_1",
            "instructions": "You are their parent: caring", "input": "hi"});
        spec::openai()
            .check_request("POST", "/v1/responses", &request)
            .unwrap();
        let body = response_body(&request, 2);
        spec::openai()
            .check_response("POST", "/v1/responses", &body)
            .unwrap();
        assert_eq!(
            body["output"][0]["content"][0]["text"],
            "[your parent] You said \u{201c}hi\u{201d}. I can see 2 earlier messages of ours."
        );
    }

    #[test]
    fn generated_completion_fits_the_documented_response() {
        let request = json!({"model": "gpt-4o-mini", "messages": [
            {"role": "system", "content": "persona. Their style: short"},
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "hello"},
            {"role": "user", "content": "how are you?"}
        ]});
        spec::openai()
            .check_request("POST", "/v1/chat/completions", &request)
            .unwrap();
        let body = completion_body(&request);
        spec::openai()
            .check_response("POST", "/v1/chat/completions", &body)
            .unwrap();
        let text = body["choices"][0]["message"]["content"].as_str().unwrap();
        assert_eq!(
            text,
            "[no persona] You said \u{201c}how are you?\u{201d}. I can see 2 earlier messages of ours, and I'm writing in your style."
        );
        assert!(body["usage"]["prompt_tokens"].as_u64().unwrap() > 4);
    }
}
