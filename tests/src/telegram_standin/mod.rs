//! A Telegram Bot API stand-in.
//!
//! It answers like the real server (recorded success bodies, real error bodies), checks
//! the bot token in the URL, and refuses any method or parameter the Bot API description
//! does not have, recording it as a violation tests fail on. Files registered with
//! [`TelegramStandIn::add_file`] are served by `getFile` and the `/file/bot<token>/…`
//! download URL as the real server serves them. After a 429 it keeps refusing the same
//! method for the same chat until `retry_after` has passed, and records every such call
//! as a flood violation.

mod answers;
mod faults;
mod form;
mod responder;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

use crate::spec;

pub use faults::TgFault;

use faults::FloodKey;
use form::chat_id_of;
use responder::Responder;

/// One request the stand-in received.
#[derive(Clone, Debug)]
pub struct TgCall {
    pub method: String,
    pub params: Value,
    /// HTTP status the stand-in answered with.
    pub status: u16,
    /// True for a method returned in a webhook response body rather than called.
    pub via_webhook_response: bool,
    /// Files uploaded with the call (multipart/form-data).
    pub files: Vec<UploadedFile>,
    /// When the request arrived, for ordering calls (not for timing them: the client's
    /// and the stand-in's clocks differ by the network's jitter).
    pub at: Instant,
    /// The bot whose token the call was made with (the number before the token's colon);
    /// `None` for a method returned in a webhook response.
    pub bot_id: Option<i64>,
}

impl TgCall {
    /// The `chat_id` parameter, sent as a number (JSON) or as text (forms).
    pub fn chat_id(&self) -> Option<i64> {
        chat_id_of(&self.params)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadedFile {
    pub field: String,
    pub file_name: String,
    /// The bytes as text (lossy), for text uploads.
    pub content: String,
    pub bytes: Vec<u8>,
}

/// The real server refuses `getFile` for files above this size.
pub const MAX_DOWNLOAD_SIZE: u64 = 20 * 1024 * 1024;

struct StoredFile {
    file_path: String,
    bytes: Vec<u8>,
    reported_size: u64,
}

#[derive(Default)]
struct State {
    calls: Vec<TgCall>,
    faults: HashMap<String, VecDeque<TgFault>>,
    /// Faults for one chat's next call(s) of a method, before `faults`.
    chat_faults: HashMap<(String, i64), VecDeque<TgFault>>,
    members: HashMap<i64, &'static str>,
    /// Each group's human administrators, by chat id (`getChatAdministrators`).
    admins: HashMap<i64, Vec<i64>>,
    violations: Vec<String>,
    /// When a 429 was answered for a method and chat, and its retry_after.
    floods: HashMap<FloodKey, (Instant, u64)>,
    flood_violations: Vec<String>,
    /// Groups upgraded to supergroups: old chat id to new.
    migrated: HashMap<i64, i64>,
    next_message_id: i64,
    files: HashMap<String, StoredFile>,
    downloads: Vec<String>,
    /// Tokens accepted besides the stand-in's own: other bots, or the bot's new token.
    other_tokens: Vec<String>,
}

#[derive(Clone)]
pub struct TelegramStandIn {
    server: Arc<MockServer>,
    state: Arc<Mutex<State>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

impl TelegramStandIn {
    pub async fn start(token: &str) -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        // Any HTTP method: Bot API methods also take GET, and downloads are GETs.
        Mock::given(any())
            .respond_with(Responder {
                token: token.to_owned(),
                state: state.clone(),
            })
            .mount(&server)
            .await;
        Self {
            server: Arc::new(server),
            state,
        }
    }

    /// The value for `TELEGRAM_API_BASE_URL`.
    pub fn base_url(&self) -> String {
        self.server.uri()
    }

    /// Answers calls made with `token` too, as another bot (or the bot after its token
    /// was changed). Every bot sees the same chats, files and faults.
    pub fn accept_token(&self, token: &str) {
        lock(&self.state).other_tokens.push(token.to_owned());
    }

    /// Scripts the next call(s) of `method` to fail, in order.
    pub fn fail_next(&self, method: &str, fault: TgFault) {
        lock(&self.state)
            .faults
            .entry(method.to_ascii_lowercase())
            .or_default()
            .push_back(fault);
    }

    /// Scripts the next call(s) of `method` for one chat to fail, in order; other chats'
    /// calls are not affected.
    pub fn fail_next_in(&self, chat_id: i64, method: &str, fault: TgFault) {
        lock(&self.state)
            .chat_faults
            .entry((method.to_ascii_lowercase(), chat_id))
            .or_default()
            .push_back(fault);
    }

    /// The supergroup a group was upgraded to, once a call has been told so.
    pub fn migrated_to(&self, chat_id: i64) -> Option<i64> {
        lock(&self.state).migrated.get(&chat_id).copied()
    }

    /// Makes getChatMember report this user as a channel member (`member`, `administrator`,
    /// `creator`, `restricted`, `left`, `kicked`), using the recorded responses.
    pub fn set_member_status(&self, user_id: i64, status: &str) {
        let file = match status {
            "creator" => "05-getChatMember-creator.json",
            "administrator" => "06-getChatMember-administrator.json",
            "member" => "07-getChatMember-member.json",
            "restricted" => "08-getChatMember-restricted.json",
            "kicked" => "10-getChatMember-kicked.json",
            _ => "09-getChatMember-left.json",
        };
        lock(&self.state).members.insert(user_id, file);
    }

    /// Makes getChatAdministrators list these users (the first as creator) for `chat_id`,
    /// beside the bot itself, as the recorded answer has it.
    pub fn set_chat_admins(&self, chat_id: i64, user_ids: &[i64]) {
        lock(&self.state).admins.insert(chat_id, user_ids.to_vec());
    }

    /// Records a method the webhook returned in its HTTP response (Telegram runs those
    /// itself), after checking it against the spec like any other call.
    pub fn record_webhook_response(&self, body: &Value) {
        let Some(method) = body.get("method").and_then(Value::as_str) else {
            return;
        };
        let mut params = body.clone();
        if let Some(obj) = params.as_object_mut() {
            obj.remove("method");
        }
        let mut state = lock(&self.state);
        let status = match spec::telegram().check_request(method, &params) {
            Ok(()) => 200,
            Err(reason) => {
                state
                    .violations
                    .push(format!("{method} (webhook response): {reason}"));
                400
            }
        };
        state.calls.push(TgCall {
            method: method.to_owned(),
            params,
            status,
            via_webhook_response: true,
            files: Vec::new(),
            at: Instant::now(),
            bot_id: None,
        });
    }

    pub fn calls(&self) -> Vec<TgCall> {
        lock(&self.state).calls.clone()
    }

    /// How many times `method` was called, whatever the answer.
    pub fn count(&self, method: &str) -> usize {
        lock(&self.state)
            .calls
            .iter()
            .filter(|c| c.method.eq_ignore_ascii_case(method))
            .count()
    }

    /// Messages users actually received: successful sendMessage calls and webhook replies.
    pub fn delivered(&self) -> Vec<TgCall> {
        self.calls()
            .into_iter()
            .filter(|c| c.status == 200 && c.method.eq_ignore_ascii_case("sendMessage"))
            .collect()
    }

    /// Texts delivered to one chat, in order.
    pub fn texts_to(&self, chat_id: i64) -> Vec<String> {
        self.delivered()
            .into_iter()
            .filter(|c| chat_id_of(&c.params) == Some(chat_id))
            .map(|c| c.params["text"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    pub fn violations(&self) -> Vec<String> {
        lock(&self.state).violations.clone()
    }

    /// Calls made while flood control was on for their method and chat (within a 429's
    /// `retry_after`), which the real server refuses again; tests fail on these.
    pub fn flood_violations(&self) -> Vec<String> {
        lock(&self.state).flood_violations.clone()
    }

    fn calls_to(&self, method: &str, chat_id: i64) -> impl Iterator<Item = TgCall> {
        self.calls().into_iter().filter(move |c| {
            c.method.eq_ignore_ascii_case(method) && chat_id_of(&c.params) == Some(chat_id)
        })
    }

    /// sendMessageDraft calls to one chat, answered or failed, in order.
    pub fn drafts_to(&self, chat_id: i64) -> Vec<TgCall> {
        self.calls_to("sendMessageDraft", chat_id).collect()
    }

    /// Voice messages delivered to one chat (successful sendVoice calls), in order.
    pub fn voices_to(&self, chat_id: i64) -> Vec<TgCall> {
        self.calls_to("sendVoice", chat_id)
            .filter(|c| c.status == 200)
            .collect()
    }

    /// Makes a file available to `getFile` and for download at `file_path`.
    pub fn add_file(&self, file_id: &str, file_path: &str, bytes: Vec<u8>) {
        let size = bytes.len() as u64;
        self.add_file_with_size(file_id, file_path, bytes, size);
    }

    /// Like [`Self::add_file`] but with the size `getFile` reports, so a file too big to
    /// download (over 20 MB) can be simulated without holding one.
    pub fn add_file_with_size(
        &self,
        file_id: &str,
        file_path: &str,
        bytes: Vec<u8>,
        reported_size: u64,
    ) {
        lock(&self.state).files.insert(
            file_id.to_owned(),
            StoredFile {
                file_path: file_path.to_owned(),
                bytes,
                reported_size,
            },
        );
    }

    /// Paths of the files downloaded, in order.
    pub fn downloads(&self) -> Vec<String> {
        lock(&self.state).downloads.clone()
    }
}
