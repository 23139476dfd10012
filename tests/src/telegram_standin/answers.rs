//! Successful results, shaped like the recorded ones.

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use super::form::chat_id_of;
use super::responder::{Answer, error_body, recorded};
use super::{MAX_DOWNLOAD_SIZE, State, StoredFile, UploadedFile};
use crate::fixtures;
use crate::updates::file_unique_id;

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

/// The answer to a call the server carries out.
pub(crate) fn success(
    state: &mut State,
    method: &str,
    params: &Value,
    files: &[UploadedFile],
) -> Answer {
    let result = match method.to_ascii_lowercase().as_str() {
        "sendmessage" => {
            let mut msg = sent_message(state, params);
            msg["text"] = params["text"].clone();
            if params.get("reply_markup").is_some() {
                msg["reply_markup"] = params["reply_markup"].clone();
            }
            msg
        }
        "senddocument" => sent_document(state, params),
        "sendvoice" => sent_voice(state, params, files),
        "getfile" => return file_answer(state, params),
        "getchatmember" => {
            let user_id = params["user_id"].as_i64().unwrap_or_default();
            let file = state
                .members
                .get(&user_id)
                .copied()
                .unwrap_or("09-getChatMember-left.json");
            member_result(file, user_id)
        }
        "getchatadministrators" => chat_admins(state, params),
        "getme" => fixtures::json("telegram/responses/04-getMe-ok.json")["result"].clone(),
        _ => json!(true),
    };
    Answer(
        ResponseTemplate::new(200).set_body_json(json!({"ok": true, "result": result})),
        200,
    )
}

fn sent_document(state: &mut State, params: &Value) -> Value {
    state.next_message_id += 1;
    let mut msg = fixtures::json("telegram/responses/01-sendMessage-ok.json")["result"].clone();
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

fn sent_voice(state: &mut State, params: &Value, files: &[UploadedFile]) -> Value {
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

fn file_answer(state: &State, params: &Value) -> Answer {
    let file_id = params["file_id"].as_str().unwrap_or_default();
    let Some(file) = state.files.get(file_id) else {
        return Answer(recorded(400, "23-error-400-wrong-file-id.json"), 400);
    };
    if file.reported_size > MAX_DOWNLOAD_SIZE {
        return Answer(error_body(400, "Bad Request: file is too big"), 400);
    }
    let mut result = fixtures::json("telegram/responses/03-getFile-ok.json")["result"].clone();
    result["file_id"] = json!(file_id);
    result["file_unique_id"] = json!(file_unique_id(file_id));
    result["file_size"] = json!(file.reported_size);
    result["file_path"] = json!(file.file_path);
    Answer(
        ResponseTemplate::new(200).set_body_json(json!({"ok": true, "result": result})),
        200,
    )
}

/// The recorded getChatMember bodies predate Bot API 10.1; fill in the permission flags the
/// current description requires, so the stand-in answers as today's server does.
pub(crate) fn member_result(file: &str, user_id: i64) -> Value {
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

/// The recorded answer (a bot admin, then the creator), with the chat's admins as set: the
/// first is the creator, the others plain administrators.
fn chat_admins(state: &State, params: &Value) -> Value {
    let recorded = fixtures::json("telegram/responses/11-getChatAdministrators-ok.json")["result"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let Some(admins) = chat_id_of(params).and_then(|c| state.admins.get(&c)) else {
        return Value::Array(recorded);
    };
    let bot = recorded[0].clone();
    let creator = recorded[1].clone();
    let mut list = vec![bot];
    for (i, id) in admins.iter().enumerate() {
        let mut admin = if i == 0 {
            creator.clone()
        } else {
            let mut a = member_result("06-getChatMember-administrator.json", *id);
            a["is_anonymous"] = json!(false);
            a
        };
        admin["user"]["id"] = json!(id);
        list.push(admin);
    }
    Value::Array(list)
}
