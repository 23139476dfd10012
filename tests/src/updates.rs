//! Builds Telegram updates and Function URL events the way Telegram and Lambda send them.

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

use crate::fixtures;

static NEXT_UPDATE_ID: AtomicU64 = AtomicU64::new(0);

/// A fresh update id, unique within this process and across runs that share a table.
pub fn next_update_id() -> u64 {
    let base = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() % 1_000_000)
        * 1000;
    let n = NEXT_UPDATE_ID.fetch_add(1, Ordering::SeqCst);
    100_000_000 + base + n
}

/// A private-chat text message, shaped like the recorded `02-private-text-minimal` update.
pub fn private_text(user_id: i64, first_name: &str, text: &str) -> Value {
    let mut update = fixtures::json("telegram/updates/02-private-text-minimal.json");
    let update_id = next_update_id();
    update["update_id"] = json!(update_id);
    let message = &mut update["message"];
    message["message_id"] = json!(update_id % 1_000_000);
    message["date"] = json!(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    );
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
