//! Answers one HTTP request: a download, or a Bot API call checked against the spec,
//! flood control, migrated chats and the scripted faults, in that order.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::answers::success;
use super::faults::{TgFault, fault_answer, flood_key, flood_left, migrated, too_many_requests};
use super::form::parse_multipart;
use super::{State, TgCall, lock};
use crate::{fixtures, spec};

pub(crate) struct Responder {
    pub(crate) token: String,
    pub(crate) state: Arc<Mutex<State>>,
}

/// A response with its status remembered (ResponseTemplate does not expose it).
pub(crate) struct Answer(pub(crate) ResponseTemplate, pub(crate) u16);

pub(crate) fn recorded(status: u16, file: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(
        fixtures::text(&format!("telegram/responses/{file}")),
        "application/json",
    )
}

pub(crate) fn error_body(code: u16, description: &str) -> ResponseTemplate {
    ResponseTemplate::new(code)
        .set_body_json(json!({"ok": false, "error_code": code, "description": description}))
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

/// The parameters and files of a call, or why its body cannot be read.
fn read_call(method: &str, request: &Request) -> Result<(Value, Vec<super::UploadedFile>), String> {
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if request.body.is_empty() {
        Ok((json!({}), Vec::new()))
    } else if content_type.starts_with("multipart/form-data") {
        parse_multipart(method, &content_type, &request.body)
    } else {
        serde_json::from_slice(&request.body)
            .map(|v| (v, Vec::new()))
            .map_err(|e| format!("request body is not JSON: {e}"))
    }
}

/// What the server answers a valid call.
fn answer(state: &mut State, call: &TgCall) -> Answer {
    let key = flood_key(call);
    if let Some(left) = flood_left(state, &key, call.at) {
        state.flood_violations.push(format!(
            "{} for chat {:?}: called again with {left} s of a 429's retry_after left",
            call.method,
            call.chat_id()
        ));
        return too_many_requests(left);
    }
    let upgraded = call.chat_id().and_then(|c| state.migrated.get(&c)).copied();
    if let Some(to) = upgraded
        && !call.method.eq_ignore_ascii_case("getChat")
    {
        return migrated(to);
    }
    let chat_key = call.chat_id().map(|chat| (key.0.clone(), chat));
    let queue = match chat_key {
        Some(k) if state.chat_faults.get(&k).is_some_and(|q| !q.is_empty()) => {
            state.chat_faults.get_mut(&k)
        }
        _ => state.faults.get_mut(&key.0),
    };
    // The real server finds no entities to parse in a text without `parse_mode`: such a
    // fault waits for a call it could happen to.
    let fault = queue.and_then(|q| match q.front() {
        Some(TgFault::CantParseEntities) if call.params.get("parse_mode").is_none() => None,
        _ => q.pop_front(),
    });
    match fault {
        Some(fault) => fault_answer(state, &fault, call, &call.files),
        None => success(state, &call.method, &call.params, &call.files),
    }
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
        if token != self.token && !lock(&self.state).other_tokens.iter().any(|t| t == token) {
            return recorded(401, "21-error-401-unauthorized.json");
        }
        let (params, files) = match read_call(method, request) {
            Ok(call) => call,
            Err(e) => return error_body(400, &format!("Bad Request: {e}")),
        };
        let mut call = TgCall {
            method: method.to_owned(),
            params,
            status: 400,
            via_webhook_response: false,
            files,
            at,
            bot_id: token.split_once(':').and_then(|(id, _)| id.parse().ok()),
        };
        let mut state = lock(&self.state);
        let response = match spec::telegram().check_request(method, &call.params) {
            Err(reason) => {
                state.violations.push(format!("{method}: {reason}"));
                error_body(400, &format!("Bad Request: {reason}"))
            }
            Ok(()) => {
                let Answer(response, status) = answer(&mut state, &call);
                call.status = status;
                response
            }
        };
        state.calls.push(call);
        response
    }
}
