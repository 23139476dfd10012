//! The pre-signed S3 URL a CloudFormation custom resource answers to, and the
//! `telegram-setup` function on the local stack.
//!
//! The stand-in records every request (method, path and query, `Content-Type`, body) and
//! takes only what S3 would: a PUT to the exact URL handed out (the query is the
//! signature), with no Content-Type but an empty one, which a URL signed over an empty
//! Content-Type requires. A status scripted with [`ResponseUrlStandIn::fail_next`]
//! answers the next PUT instead.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;
use shared::config::SetupConfig;
use shared::handlers::telegram_setup::{self, TelegramSetupState};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::Stack;

/// One request to the response URL.
#[derive(Clone, Debug)]
pub struct Put {
    pub method: String,
    pub path_and_query: String,
    /// `None` when the header was not sent.
    pub content_type: Option<String>,
    pub body: String,
    pub status: u16,
}

impl Put {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

#[derive(Default)]
struct State {
    puts: Vec<Put>,
    failures: VecDeque<u16>,
    /// The path and query each event was pointed at.
    handed_out: Vec<String>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

struct Recorder(Arc<Mutex<State>>);

impl Respond for Recorder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path_and_query = match request.url.query() {
            Some(query) => format!("{}?{query}", request.url.path()),
            None => request.url.path().to_owned(),
        };
        let content_type = request
            .headers
            .get("content-type")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let mut state = lock(&self.0);
        let status = if request.method.as_str() != "PUT"
            || !state.handed_out.contains(&path_and_query)
            || content_type.as_deref().is_some_and(|t| !t.is_empty())
        {
            // S3's SignatureDoesNotMatch.
            403
        } else {
            state.failures.pop_front().unwrap_or(200)
        };
        state.puts.push(Put {
            method: request.method.to_string(),
            path_and_query,
            content_type,
            body: String::from_utf8_lossy(&request.body).into_owned(),
            status,
        });
        ResponseTemplate::new(status)
    }
}

#[derive(Clone)]
pub struct ResponseUrlStandIn {
    server: Arc<MockServer>,
    state: Arc<Mutex<State>>,
}

impl ResponseUrlStandIn {
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        Mock::given(any())
            .respond_with(Recorder(state.clone()))
            .mount(&server)
            .await;
        Self {
            server: Arc::new(server),
            state,
        }
    }

    /// Points the event's `ResponseURL` here, keeping its path and query.
    pub fn redirect(&self, event: &mut Value) {
        let url = event["ResponseURL"].as_str().unwrap_or_default();
        let rest = url
            .split_once("://")
            .and_then(|(_, after)| after.find('/').map(|i| &after[i..]))
            .unwrap_or("/")
            .to_owned();
        event["ResponseURL"] = Value::String(format!("{}{rest}", self.server.uri()));
        lock(&self.state).handed_out.push(rest);
    }

    /// The next PUT gets `status` (a 500, say) instead of 200.
    pub fn fail_next(&self, status: u16) {
        lock(&self.state).failures.push_back(status);
    }

    pub fn puts(&self) -> Vec<Put> {
        lock(&self.state).puts.clone()
    }

    /// The responses S3 took (answered 200), as JSON.
    pub fn answers(&self) -> Vec<Value> {
        self.puts()
            .iter()
            .filter(|p| p.status == 200)
            .map(Put::json)
            .collect()
    }
}

impl Stack {
    /// The function's state, built by the same wiring as its `main`, from the stack's
    /// environment.
    pub fn telegram_setup(&self) -> anyhow::Result<TelegramSetupState> {
        let config = SetupConfig::from_lookup(|name| {
            self.env
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        });
        shared::app::telegram_setup(config, self.clients.secrets.clone())
    }

    /// Runs one custom resource request through the function, its response URL pointed at
    /// `responses`, with a Lambda deadline `timeout` from now.
    pub async fn invoke_telegram_setup(
        &self,
        responses: &ResponseUrlStandIn,
        mut event: Value,
        timeout: std::time::Duration,
    ) -> anyhow::Result<Value> {
        responses.redirect(&mut event);
        let state = self.telegram_setup()?;
        let deadline = shared::clock::Deadline::after(timeout);
        telegram_setup::handle(&state, event, deadline).await
    }
}
