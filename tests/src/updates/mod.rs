//! Builds Telegram updates and Function URL events the way Telegram and Lambda send them.

mod entities;
mod groups;
mod media;
mod members;

#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

use crate::fixtures;

pub use groups::{
    anonymous_admin, as_channel_in_group, channel_post_in_group, forum_topic_text, group_migrated,
    group_reply_to_bot, group_text,
};
pub use media::{album, audio_file, photo, video_note, voice_note};
pub use members::{chat_member_kicked_without_until_date, chat_member_restricted_sparse};

static NEXT_UPDATE_ID: AtomicU64 = AtomicU64::new(0);

/// A fresh update id, unique within this process and across runs that share a table.
pub fn next_update_id() -> u64 {
    next_update_ids(1)
}

/// The first of `n` consecutive fresh update ids, as Telegram numbers updates that come
/// together (an album, a migration).
pub fn next_update_ids(n: u64) -> u64 {
    let base = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() % 1_000_000)
        * 1000;
    let first = NEXT_UPDATE_ID.fetch_add(n, Ordering::SeqCst);
    100_000_000 + base + first
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A private-chat text message, shaped like the recorded `02-private-text-minimal` update.
pub fn private_text(user_id: i64, first_name: &str, text: &str) -> Value {
    let update_id = next_update_id();
    text_update(update_id, user_id, first_name, text, update_id % 1_000_000)
}

/// Like [`private_text`] with a chosen `message_id`, e.g. for consecutive fragments of one
/// long message.
pub fn private_text_with_id(user_id: i64, first_name: &str, text: &str, message_id: i64) -> Value {
    text_update(next_update_id(), user_id, first_name, text, message_id)
}

fn text_update(
    update_id: u64,
    user_id: i64,
    first_name: &str,
    text: &str,
    message_id: impl Into<Value>,
) -> Value {
    let mut update = fixtures::json("telegram/updates/02-private-text-minimal.json");
    update["update_id"] = json!(update_id);
    let message = &mut update["message"];
    message["message_id"] = message_id.into();
    message["date"] = json!(now());
    message["text"] = json!(text);
    for who in ["chat", "from"] {
        message[who]["id"] = json!(user_id);
        message[who]["first_name"] = json!(first_name);
        message[who]["username"] = json!(format!("user{user_id}"));
    }
    if text.starts_with('/') {
        let len = text
            .split_whitespace()
            .next()
            .map_or(0, |c| c.encode_utf16().count());
        message["entities"] = json!([{"offset": 0, "length": len, "type": "bot_command"}]);
    }
    update
}

/// Wraps a body in the Lambda Function URL request envelope (payload format 2.0), using
/// the recorded `events/webhook-private-text.json` as the template.
pub fn function_url_event(
    method: &str,
    path: &str,
    secret: Option<&str>,
    body: Option<&str>,
) -> Value {
    let template = fixtures::workspace_root().join("events/webhook-private-text.json");
    let mut event: Value =
        serde_json::from_str(&std::fs::read_to_string(&template).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{}: {e}", template.display()));
    event["rawPath"] = json!(path);
    event["requestContext"]["http"]["method"] = json!(method);
    event["requestContext"]["http"]["path"] = json!(path);
    event["body"] = json!(body);
    let headers = event["headers"]
        .as_object_mut()
        .expect("template has headers");
    match secret {
        Some(s) => {
            headers.insert("x-telegram-bot-api-secret-token".into(), json!(s));
        }
        None => {
            headers.remove("x-telegram-bot-api-secret-token");
        }
    }
    event
}

/// A button press (`callback_query`) on a message the bot sent to `user` in private.
pub fn callback_query(user_id: i64, data: &str) -> Value {
    let update_id = next_update_id();
    json!({
        "update_id": update_id,
        "callback_query": {
            "id": format!("{}", 4_382_000_000_000_000_000u64 + update_id),
            "from": {"id": user_id, "is_bot": false, "first_name": "Ann", "username": format!("user{user_id}"), "language_code": "en"},
            "message": {
                "message_id": update_id % 1_000_000,
                "from": {"id": 123_456_789, "is_bot": true, "first_name": "Companion", "username": "companion_bot"},
                "chat": {"id": user_id, "type": "private", "first_name": "Ann"},
                "date": 1_795_341_600,
                "text": "Who should I be for you?"
            },
            "chat_instance": "-6543210987654321098",
            "data": data
        }
    })
}
/// A user as updates carry them.
fn user(user_id: i64) -> Value {
    json!({"id": user_id, "is_bot": false, "first_name": "Ann", "username": format!("user{user_id}"), "language_code": "en"})
}

/// Supergroup ids carry the -100 prefix; smaller negative ids are basic groups.
fn group_chat(chat_id: i64) -> Value {
    let kind = if chat_id <= -1_000_000_000_000 {
        "supergroup"
    } else {
        "group"
    };
    json!({"id": chat_id, "title": "My new test group", "type": kind})
}

/// Takes a recorded update, gives it a fresh update id, a fresh message id and today's date.
fn fresh(fixture: &str) -> Value {
    let mut update = fixtures::json(&format!("telegram/updates/{fixture}"));
    let update_id = next_update_id();
    update["update_id"] = json!(update_id);
    update["message"]["message_id"] = json!(update_id % 1_000_000);
    update["message"]["date"] = json!(now());
    update
}

/// The user pressed "stop" on a draft the bot streamed with `can_stop` (Bot API 10.3).
pub fn stopped_generation(user_id: i64, draft_id: i64) -> Value {
    json!({
        "update_id": next_update_id(),
        "stopped_message_generation": {
            "chat": {"id": user_id, "first_name": "Ann", "username": format!("user{user_id}"), "type": "private"},
            "draft_id": draft_id
        }
    })
}

/// A button press on a message the bot sent in a supergroup.
pub fn group_callback_query(chat_id: i64, user_id: i64, data: &str) -> Value {
    let mut update = callback_query(user_id, data);
    update["callback_query"]["message"]["chat"] =
        json!({"id": chat_id, "title": "My new test group", "type": "supergroup"});
    update
}

/// A stable stand-in for Telegram's `file_unique_id`, derived from the file id.
pub fn file_unique_id(file_id: &str) -> String {
    let hash = file_id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("AgAD{:012x}", hash & 0xffff_ffff_ffff)
}
