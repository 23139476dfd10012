//! A Telegram Bot API stand-in.
//!
//! It answers like the real server (recorded success bodies, real error bodies), checks
//! the bot token in the URL, and refuses any method or parameter the Bot API description
//! does not have, recording it as a violation tests fail on. Files registered with
//! [`TelegramStandIn::add_file`] are served by `getFile` and the `/file/bot<token>/…`
//! download URL as the real server serves them.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::updates::file_unique_id;
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
    /// When the request arrived.
    pub at: Instant,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadedFile {
    pub field: String,
    pub file_name: String,
    /// The bytes as text (lossy), for text uploads.
    pub content: String,
    pub bytes: Vec<u8>,
}

/// Splits a multipart/form-data body into its text fields and its files. Form fields are
/// always text; like the Bot API, numbers and booleans are read from them where the method
/// declares such a parameter (and no String alternative).
fn parse_multipart(
    method: &str,
    content_type: &str,
    body: &[u8],
) -> Result<(Value, Vec<UploadedFile>), String> {
    let mut fields = serde_json::Map::new();
    let mut files = Vec::new();
    for part in spec::parse_multipart(content_type, body)? {
        match &part.file_name {
            Some(file_name) => {
                // The Bot API reads an uploaded file where an InputFile is expected.
                fields.insert(part.name.clone(), json!(format!("attach://{file_name}")));
                files.push(UploadedFile {
                    field: part.name.clone(),
                    file_name: file_name.clone(),
                    content: part.text(),
                    bytes: part.bytes,
                });
            }
            None => {
                let value = form_value(method, &part.name, part.text());
                fields.insert(part.name, value);
            }
        }
    }
    Ok((Value::Object(fields), files))
}

fn form_value(method: &str, name: &str, text: String) -> Value {
    let Some(types) = spec::telegram().param_types(method, name) else {
        return Value::String(text);
    };
    if types.iter().any(|t| t == "String" || t == "InputFile") {
        return Value::String(text);
    }
    for declared in types {
        let read = match declared.as_str() {
            "Integer" => text.parse::<i64>().ok().map(Value::from),
            "Float" => text.parse::<f64>().ok().map(Value::from),
            "Boolean" => text.parse::<bool>().ok().map(Value::from),
            // Objects and arrays arrive JSON-serialised, which the spec check accepts.
            _ => None,
        };
        if let Some(value) = read {
            return value;
        }
    }
    Value::String(text)
}

/// A chat id sent as a number (JSON) or as text (forms).
fn chat_id_of(params: &Value) -> Option<i64> {
    let id = &params["chat_id"];
    id.as_i64().or_else(|| id.as_str()?.parse().ok())
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
    members: HashMap<i64, &'static str>,
    violations: Vec<String>,
    next_message_id: i64,
    files: HashMap<String, StoredFile>,
    downloads: Vec<String>,
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

fn recorded(status: u16, file: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(
        fixtures::text(&format!("telegram/responses/{file}")),
        "application/json",
    )
}

/// Content types by file extension, for downloads.
fn media_type(file_path: &str) -> &'static str {
    let extension = file_path.rsplit_once('.').map_or("", |(_, e)| e);
    match extension.to_ascii_lowercase().as_str() {
        "oga" | "ogg" | "opus" => "audio/ogg",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

impl Responder {
    /// `GET /file/bot<token>/<file_path>`.
    fn download(&self, rest: &str) -> ResponseTemplate {
        let Some((token, file_path)) = rest.split_once('/') else {
            return error_body(404, "Not Found");
        };
        if token != self.token {
            return recorded(401, "21-error-401-unauthorized.json");
        }
        let mut state = lock(&self.state);
        let Some(bytes) = state
            .files
            .values()
            .find(|f| f.file_path == file_path)
            .map(|f| f.bytes.clone())
        else {
            return error_body(404, "Not Found");
        };
        state.downloads.push(file_path.to_owned());
        ResponseTemplate::new(200).set_body_raw(bytes, media_type(file_path))
    }
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
        let at = Instant::now();
        let path = request.url.path();
        if let Some(rest) = path.strip_prefix("/file/bot") {
            return self.download(rest);
        }
        let Some((token, method)) = path
            .strip_prefix("/bot")
            .and_then(|rest| rest.split_once('/'))
        else {
            return error_body(404, "Not Found");
        };
        if token != self.token {
            return recorded(401, "21-error-401-unauthorized.json");
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
            match parse_multipart(method, &content_type, &request.body) {
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
                at,
            });
            return error_body(400, &format!("Bad Request: {reason}"));
        }
        let fault = state
            .faults
            .get_mut(&method.to_ascii_lowercase())
            .and_then(VecDeque::pop_front);
        let Answer(response, status) = match fault {
            Some(TgFault::Pass) | None => success(&mut state, method, &params, &files),
            Some(f) => fault_response(&f),
        };
        state.calls.push(TgCall {
            method: method.to_owned(),
            params,
            status,
            via_webhook_response: false,
            files,
            at,
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

/// A sent message as the recorded sendMessage answer has it, in the chat `params` name.
fn sent_message(state: &mut State, params: &Value) -> Value {
    state.next_message_id += 1;
    let mut msg = fixtures::json("telegram/responses/01-sendMessage-ok.json")["result"].clone();
    msg["message_id"] = json!(1000 + state.next_message_id);
    msg["date"] = json!(now());
    let chat_id = chat_id_of(params).unwrap_or_default();
    msg["chat"] = if chat_id > 0 {
        json!({"id": chat_id, "type": "private", "first_name": "User"})
    } else {
        json!({"id": chat_id, "type": "supergroup", "title": "Group"})
    };
    msg
}

fn success(state: &mut State, method: &str, params: &Value, files: &[UploadedFile]) -> Answer {
    let result = match method.to_ascii_lowercase().as_str() {
        "sendmessage" => {
            let mut msg = sent_message(state, params);
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
        "sendvoice" => {
            let mut msg = sent_message(state, params);
            if let Some(obj) = msg.as_object_mut() {
                obj.remove("text");
            }
            let n = state.next_message_id;
            let duration = params["duration"]
                .as_i64()
                .or_else(|| params["duration"].as_str()?.parse().ok())
                .unwrap_or(1);
            let uploaded = files.iter().find(|f| f.field == "voice");
            let (file_id, size) = match (uploaded, params["voice"].as_str()) {
                (Some(file), _) => {
                    let file_id = format!("AwACAgIAAxkBAAI{n:06}");
                    let size = file.bytes.len() as u64;
                    state.files.insert(
                        file_id.clone(),
                        StoredFile {
                            file_path: format!("voice/file_{n}.oga"),
                            bytes: file.bytes.clone(),
                            reported_size: size,
                        },
                    );
                    (file_id, Some(size))
                }
                // Re-sending a file by its id.
                (None, Some(id)) => (id.to_owned(), state.files.get(id).map(|f| f.reported_size)),
                (None, None) => (format!("AwACAgIAAxkBAAI{n:06}"), None),
            };
            let mut voice = json!({
                "file_id": file_id,
                "file_unique_id": file_unique_id(&file_id),
                "duration": duration,
                "mime_type": "audio/ogg",
            });
            if let Some(size) = size {
                voice["file_size"] = json!(size);
            }
            msg["voice"] = voice;
            if let Some(caption) = params.get("caption") {
                msg["caption"] = caption.clone();
            }
            msg
        }
        "getfile" => {
            let file_id = params["file_id"].as_str().unwrap_or_default();
            let Some(file) = state.files.get(file_id) else {
                return Answer(recorded(400, "23-error-400-wrong-file-id.json"), 400);
            };
            if file.reported_size > MAX_DOWNLOAD_SIZE {
                return Answer(error_body(400, "Bad Request: file is too big"), 400);
            }
            let mut result =
                fixtures::json("telegram/responses/03-getFile-ok.json")["result"].clone();
            result["file_id"] = json!(file_id);
            result["file_unique_id"] = json!(file_unique_id(file_id));
            result["file_size"] = json!(file.reported_size);
            result["file_path"] = json!(file.file_path);
            result
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
            at: Instant::now(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openai_standin::ogg_opus;
    use crate::raw_http::{RawResponse, http};

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

    const TOKEN: &str = "123:test-token";

    async fn call(tg: &TelegramStandIn, method: &str, params: &Value) -> RawResponse {
        http(
            "POST",
            &tg.base_url(),
            &format!("/bot{TOKEN}/{method}"),
            &[("Content-Type", "application/json")],
            params.to_string().as_bytes(),
        )
        .await
    }

    fn voice_form(chat_id: &str, audio: &[u8], extra: &[(&str, &str)]) -> Vec<u8> {
        let mut body = Vec::new();
        let mut text = |name: &str, value: &str| {
            body.extend_from_slice(
                format!(
                    "--B\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        };
        text("chat_id", chat_id);
        for (name, value) in extra {
            text(name, value);
        }
        body.extend_from_slice(
            b"--B\r\nContent-Disposition: form-data; name=\"voice\"; filename=\"reply.ogg\"\r\n\
              Content-Type: audio/ogg\r\n\r\n",
        );
        body.extend_from_slice(audio);
        body.extend_from_slice(b"\r\n--B--\r\n");
        body
    }

    #[tokio::test]
    async fn send_voice_takes_binary_uploads_and_answers_a_voice_message() {
        let tg = TelegramStandIn::start(TOKEN).await;
        let audio = ogg_opus(3);
        let answer = http(
            "POST",
            &tg.base_url(),
            &format!("/bot{TOKEN}/sendVoice"),
            &[("Content-Type", "multipart/form-data; boundary=B")],
            &voice_form("42", &audio, &[("duration", "3"), ("caption", "for you")]),
        )
        .await;
        assert_eq!(
            answer.status,
            200,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
        let message = &answer.json()["result"];
        spec::telegram().check_type("Message", message).unwrap();
        assert_eq!(message["chat"]["id"], 42);
        assert_eq!(message["voice"]["duration"], 3);
        assert_eq!(message["voice"]["mime_type"], "audio/ogg");
        assert_eq!(message["voice"]["file_size"], audio.len());
        assert_eq!(message["caption"], "for you");
        assert!(message.get("text").is_none());
        let voices = tg.voices_to(42);
        assert_eq!(voices.len(), 1);
        assert_eq!(voices[0].files[0].bytes, audio);
        assert_eq!(voices[0].files[0].field, "voice");
        // Form fields are text; the declared Integer is read from it.
        assert_eq!(voices[0].params["duration"], 3);
        assert!(tg.violations().is_empty(), "{:?}", tg.violations());

        let bare = http(
            "POST",
            &tg.base_url(),
            &format!("/bot{TOKEN}/sendVoice"),
            &[("Content-Type", "multipart/form-data; boundary=B")],
            &voice_form("42", &audio, &[]),
        )
        .await;
        assert_eq!(bare.json()["result"]["voice"]["duration"], 1);
        let wrong = http(
            "POST",
            &tg.base_url(),
            &format!("/bot{TOKEN}/sendVoice"),
            &[("Content-Type", "multipart/form-data; boundary=B")],
            &voice_form("42", &audio, &[("duration", "long")]),
        )
        .await;
        assert_eq!(wrong.status, 400);
        assert_eq!(tg.voices_to(42).len(), 2);
        assert_eq!(tg.violations().len(), 1);
    }

    #[tokio::test]
    async fn files_are_served_like_the_real_server_serves_them() {
        let tg = TelegramStandIn::start(TOKEN).await;
        let audio = ogg_opus(2);
        tg.add_file("VOICE1", "voice/file_1.oga", audio.clone());
        tg.add_file_with_size("HUGE", "voice/file_2.oga", vec![0; 8], 25 * 1024 * 1024);

        let known = call(&tg, "getFile", &json!({"file_id": "VOICE1"})).await;
        assert_eq!(known.status, 200);
        let file = &known.json()["result"];
        spec::telegram().check_type("File", file).unwrap();
        assert_eq!(file["file_path"], "voice/file_1.oga");
        assert_eq!(file["file_size"], audio.len());

        let unknown = call(&tg, "getFile", &json!({"file_id": "NOPE"})).await;
        assert_eq!(unknown.status, 400);
        assert_eq!(
            unknown.json()["description"],
            "Bad Request: wrong file_id or the file is temporarily unavailable"
        );
        let huge = call(&tg, "getFile", &json!({"file_id": "HUGE"})).await;
        assert_eq!(huge.status, 400);
        assert_eq!(huge.json()["description"], "Bad Request: file is too big");

        let base = tg.base_url();
        let download = http(
            "GET",
            &base,
            &format!("/file/bot{TOKEN}/voice/file_1.oga"),
            &[],
            b"",
        )
        .await;
        assert_eq!(download.status, 200);
        assert_eq!(download.body, audio);
        assert_eq!(download.header("content-type"), Some("audio/ogg"));
        let stranger = http(
            "GET",
            &base,
            "/file/bot999:wrong/voice/file_1.oga",
            &[],
            b"",
        )
        .await;
        assert_eq!(stranger.status, 401);
        let missing = http(
            "GET",
            &base,
            &format!("/file/bot{TOKEN}/voice/nothing.oga"),
            &[],
            b"",
        )
        .await;
        assert_eq!(missing.status, 404);
        assert_eq!(
            missing.json(),
            json!({"ok": false, "error_code": 404, "description": "Not Found"})
        );
        assert_eq!(tg.downloads(), vec!["voice/file_1.oga".to_owned()]);
        assert!(tg.violations().is_empty(), "{:?}", tg.violations());
    }

    #[tokio::test]
    async fn drafts_and_chat_actions_take_faults_like_any_method() {
        let tg = TelegramStandIn::start(TOKEN).await;
        tg.fail_next(
            "sendMessageDraft",
            TgFault::TooManyRequests { retry_after: 2 },
        );
        tg.fail_next("sendChatAction", TgFault::Blocked);
        let draft = json!({"chat_id": 7, "draft_id": 1, "text": "Hel", "can_stop": true});
        let limited = call(&tg, "sendMessageDraft", &draft).await;
        assert_eq!(limited.status, 429);
        assert_eq!(limited.json()["parameters"]["retry_after"], 2);
        let mut longer = draft.clone();
        longer["text"] = json!("Hello");
        let ok = call(&tg, "sendMessageDraft", &longer).await;
        assert_eq!(ok.json(), json!({"ok": true, "result": true}));
        call(
            &tg,
            "sendMessageDraft",
            &json!({"chat_id": 8, "draft_id": 1, "text": "x"}),
        )
        .await;
        let blocked = call(
            &tg,
            "sendChatAction",
            &json!({"chat_id": 7, "action": "typing"}),
        )
        .await;
        assert_eq!(blocked.status, 403);
        let typing = call(
            &tg,
            "sendChatAction",
            &json!({"chat_id": 7, "action": "typing"}),
        )
        .await;
        assert_eq!(typing.status, 200);

        let drafts = tg.drafts_to(7);
        assert_eq!(
            drafts.iter().map(|c| c.status).collect::<Vec<_>>(),
            [429, 200]
        );
        assert_eq!(drafts[1].params["text"], "Hello");
        assert!(drafts[0].at <= drafts[1].at);
        assert_eq!(tg.drafts_to(8).len(), 1);
        assert!(tg.violations().is_empty(), "{:?}", tg.violations());
    }
}
