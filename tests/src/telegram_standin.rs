//! A Telegram Bot API stand-in.
//!
//! It answers like the real server (recorded success bodies, real error bodies), checks
//! the bot token in the URL, and refuses any method or parameter the Bot API description
//! does not have, recording it as a violation tests fail on.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::{fixtures, spec};

/// A scripted failure for the next call of a method.
#[derive(Clone, Debug)]
pub enum TgFault {
    /// 429 with `parameters.retry_after` (real body shape, our number of seconds).
    TooManyRequests { retry_after: u64 },
    /// 403 "bot was blocked by the user".
    Blocked,
    /// 400 "can't parse entities".
    CantParseEntities,
    /// 400 "chat not found".
    ChatNotFound,
    /// nginx's HTML 502, as Telegram's front end sends it.
    BadGatewayHtml,
    /// No answer for this long (a client timeout).
    Hang(Duration),
    /// Answer this call normally: lets a test fail a later call instead.
    Pass,
}

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
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadedFile {
    pub field: String,
    pub file_name: String,
    pub content: String,
}

/// Splits a multipart/form-data body into its text fields (as JSON strings, the way the
/// Bot API reads them) and its files.
fn parse_multipart(content_type: &str, body: &[u8]) -> Result<(Value, Vec<UploadedFile>), String> {
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .ok_or("multipart body without a boundary")?
        .trim_matches('"');
    let body = String::from_utf8_lossy(body);
    let mut fields = serde_json::Map::new();
    let mut files = Vec::new();
    for part in body.split(&format!("--{boundary}")).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let (headers, value) = part
            .trim_start_matches("\r\n")
            .split_once("\r\n\r\n")
            .ok_or("malformed part")?;
        let value = value.strip_suffix("\r\n").unwrap_or(value);
        let disposition = headers
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
            .ok_or("part without Content-Disposition")?;
        let attr = |name: &str| {
            disposition
                .split(';')
                .find_map(|p| p.trim().strip_prefix(&format!("{name}=")))
                .map(|v| v.trim_matches('"').to_owned())
        };
        let field = attr("name").ok_or("part without a name")?;
        match attr("filename") {
            Some(file_name) => {
                // The Bot API reads an uploaded file where an InputFile is expected.
                fields.insert(field.clone(), json!(format!("attach://{file_name}")));
                files.push(UploadedFile {
                    field,
                    file_name,
                    content: value.to_owned(),
                });
            }
            None => {
                fields.insert(field, json!(value));
            }
        }
    }
    Ok((Value::Object(fields), files))
}

#[derive(Default)]
struct State {
    calls: Vec<TgCall>,
    faults: HashMap<String, VecDeque<TgFault>>,
    members: HashMap<i64, &'static str>,
    violations: Vec<String>,
    next_message_id: i64,
}

#[derive(Clone)]
pub struct TelegramStandIn {
    server: Arc<MockServer>,
    state: Arc<Mutex<State>>,
}

struct Responder {
    token: String,
    state: Arc<Mutex<State>>,
}

fn error_body(code: u16, description: &str) -> ResponseTemplate {
    ResponseTemplate::new(code)
        .set_body_json(json!({"ok": false, "error_code": code, "description": description}))
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        let Some((token, method)) = path
            .strip_prefix("/bot")
            .and_then(|rest| rest.split_once('/'))
        else {
            return error_body(404, "Not Found");
        };
        if token != self.token {
            return ResponseTemplate::new(401).set_body_raw(
                fixtures::text("telegram/responses/21-error-401-unauthorized.json"),
                "application/json",
            );
        }
        let content_type = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let (params, files) = if request.body.is_empty() {
            (json!({}), Vec::new())
        } else if content_type.starts_with("multipart/form-data") {
            match parse_multipart(&content_type, &request.body) {
                Ok(parsed) => parsed,
                Err(e) => return error_body(400, &format!("Bad Request: {e}")),
            }
        } else {
            match serde_json::from_slice(&request.body) {
                Ok(v) => (v, Vec::new()),
                Err(e) => {
                    return error_body(400, &format!("Bad Request: request body is not JSON: {e}"));
                }
            }
        };
        let mut state = lock(&self.state);
        if let Err(reason) = spec::telegram().check_request(method, &params) {
            state.violations.push(format!("{method}: {reason}"));
            state.calls.push(TgCall {
                method: method.to_owned(),
                params,
                status: 400,
                via_webhook_response: false,
                files,
            });
            return error_body(400, &format!("Bad Request: {reason}"));
        }
        let fault = state
            .faults
            .get_mut(&method.to_ascii_lowercase())
            .and_then(VecDeque::pop_front);
        let Answer(response, status) = match fault {
            Some(TgFault::Pass) | None => success(&mut state, method, &params),
            Some(f) => fault_response(&f),
        };
        state.calls.push(TgCall {
            method: method.to_owned(),
            params,
            status,
            via_webhook_response: false,
            files,
        });
        response
    }
}

/// A response with its status remembered (ResponseTemplate does not expose it).
struct Answer(ResponseTemplate, u16);

fn fault_response(fault: &TgFault) -> Answer {
    match fault {
        TgFault::TooManyRequests { retry_after } => {
            let mut body = fixtures::json(
                "telegram/responses/15-error-429-too-many-requests-retry-after.json",
            );
            body["description"] = json!(format!("Too Many Requests: retry after {retry_after}"));
            body["parameters"]["retry_after"] = json!(retry_after);
            Answer(ResponseTemplate::new(429).set_body_json(body), 429)
        }
        TgFault::Blocked => Answer(
            ResponseTemplate::new(403).set_body_raw(
                fixtures::text("telegram/responses/18-error-403-bot-blocked-by-user.json"),
                "application/json",
            ),
            403,
        ),
        TgFault::CantParseEntities => Answer(
            ResponseTemplate::new(400).set_body_raw(
                fixtures::text("telegram/responses/16-error-400-cant-parse-entities.json"),
                "application/json",
            ),
            400,
        ),
        TgFault::ChatNotFound => Answer(
            ResponseTemplate::new(400).set_body_raw(
                fixtures::text("telegram/responses/19-error-400-chat-not-found.json"),
                "application/json",
            ),
            400,
        ),
        TgFault::BadGatewayHtml => Answer(
            ResponseTemplate::new(502).set_body_raw(
                fixtures::text("telegram/responses/26-error-502-bad-gateway-nginx.html"),
                "text/html",
            ),
            502,
        ),
        // Status 0 in the call log: the client gave up before an answer came.
        TgFault::Pass => Answer(
            ResponseTemplate::new(200).set_body_json(json!({"ok": true, "result": true})),
            200,
        ),
        TgFault::Hang(d) => Answer(
            ResponseTemplate::new(200)
                .set_delay(*d)
                .set_body_json(json!({"ok": true, "result": true})),
            0,
        ),
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn success(state: &mut State, method: &str, params: &Value) -> Answer {
    let result = match method.to_ascii_lowercase().as_str() {
        "sendmessage" => {
            state.next_message_id += 1;
            let mut msg =
                fixtures::json("telegram/responses/01-sendMessage-ok.json")["result"].clone();
            msg["message_id"] = json!(1000 + state.next_message_id);
            msg["date"] = json!(now());
            let chat_id = params["chat_id"].as_i64().unwrap_or_default();
            msg["chat"] = if chat_id > 0 {
                json!({"id": chat_id, "type": "private", "first_name": "User"})
            } else {
                json!({"id": chat_id, "type": "supergroup", "title": "Group"})
            };
            msg["text"] = params["text"].clone();
            if params.get("reply_markup").is_some() {
                msg["reply_markup"] = params["reply_markup"].clone();
            }
            msg
        }
        "senddocument" => {
            state.next_message_id += 1;
            let mut msg =
                fixtures::json("telegram/responses/01-sendMessage-ok.json")["result"].clone();
            msg["message_id"] = json!(1000 + state.next_message_id);
            msg["date"] = json!(now());
            msg["chat"] = json!({"id": params["chat_id"].as_str().and_then(|c| c.parse::<i64>().ok()), "type": "private", "first_name": "User"});
            if let Some(obj) = msg.as_object_mut() {
                obj.remove("text");
            }
            msg["caption"] = params["caption"].clone();
            msg["document"] = json!({
                "file_name": params["document"].as_str().unwrap_or_default().trim_start_matches("attach://"),
                "mime_type": "text/markdown",
                "file_id": format!("BQACAgIAAxkBAAI{}", state.next_message_id),
                "file_unique_id": format!("AgAD{}", state.next_message_id),
                "file_size": 1
            });
            msg
        }
        "getchatmember" => {
            let user_id = params["user_id"].as_i64().unwrap_or_default();
            let file = state
                .members
                .get(&user_id)
                .copied()
                .unwrap_or("09-getChatMember-left.json");
            member_result(file, user_id)
        }
        "getme" => fixtures::json("telegram/responses/04-getMe-ok.json")["result"].clone(),
        _ => json!(true),
    };
    Answer(
        ResponseTemplate::new(200).set_body_json(json!({"ok": true, "result": result})),
        200,
    )
}

/// The recorded getChatMember bodies predate Bot API 10.1; fill in the permission flags the
/// current description requires, so the stand-in answers as today's server does.
fn member_result(file: &str, user_id: i64) -> Value {
    let mut member = fixtures::json(&format!("telegram/responses/{file}"))["result"].clone();
    member["user"]["id"] = json!(user_id);
    member["user"]["is_bot"] = json!(false);
    upgrade_member(&mut member);
    member
}

fn upgrade_member(member: &mut Value) {
    let required: &[&str] = match member["status"].as_str() {
        Some("administrator") => &["can_post_stories", "can_edit_stories", "can_delete_stories"],
        Some("restricted") => &[
            "can_send_audios",
            "can_send_documents",
            "can_send_photos",
            "can_send_videos",
            "can_send_video_notes",
            "can_send_voice_notes",
            "can_manage_topics",
            "can_edit_tag",
            "can_react_to_messages",
        ],
        _ => &[],
    };
    for flag in required {
        if member.get(*flag).is_none() {
            member[*flag] = json!(false);
        }
    }
}

impl TelegramStandIn {
    pub async fn start(token: &str) -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        Mock::given(method("POST"))
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

    /// Scripts the next call(s) of `method` to fail, in order.
    pub fn fail_next(&self, method: &str, fault: TgFault) {
        lock(&self.state)
            .faults
            .entry(method.to_ascii_lowercase())
            .or_default()
            .push_back(fault);
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
            .filter(|c| c.params["chat_id"].as_i64() == Some(chat_id))
            .map(|c| c.params["text"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    pub fn violations(&self) -> Vec<String> {
        lock(&self.state).violations.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn served_chat_members_fit_the_current_bot_api() {
        for file in [
            "05-getChatMember-creator.json",
            "06-getChatMember-administrator.json",
            "07-getChatMember-member.json",
            "08-getChatMember-restricted.json",
            "09-getChatMember-left.json",
            "10-getChatMember-kicked.json",
        ] {
            spec::telegram()
                .check_type("ChatMember", &member_result(file, 42))
                .unwrap_or_else(|e| panic!("{file}: {e}"));
        }
    }
}
