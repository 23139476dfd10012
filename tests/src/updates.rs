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

/// Wraps a body in the Lambda Function URL request envelope (payload format 2.0).
pub fn function_url_event(
    method: &str,
    path: &str,
    secret: Option<&str>,
    body: Option<&str>,
) -> Value {
    let mut headers = json!({
        "content-type": "application/json",
        "host": "abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws",
        "user-agent": "",
        "x-forwarded-for": "91.108.6.66",
        "x-forwarded-proto": "https",
    });
    if let Some(secret) = secret {
        headers["x-telegram-bot-api-secret-token"] = json!(secret);
    }
    json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "abcdefghijklmnopqrstuvwxyz012345",
            "domainName": "abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws",
            "domainPrefix": "abcdefghijklmnopqrstuvwxyz012345",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "91.108.6.66",
                "userAgent": ""
            },
            "requestId": "0e5b3a5c-6f8b-4c1e-9d3a-2f1f8c7d9e10",
            "routeKey": "$default",
            "stage": "$default",
            "time": "22/Nov/2026:10:00:00 +0000",
            "timeEpoch": 1795341600000u64
        },
        "body": body,
        "isBase64Encoded": false
    })
}
