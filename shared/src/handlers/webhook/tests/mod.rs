//! The webhook's tests: `routing` decides routes without I/O; `edge` and `flows` send
//! requests through `handle` on in-memory fakes (`crate::testing`), one per route.

mod access;
mod edge;
mod edges;
mod flows;
mod forget;
mod language;
mod routing;
mod updates;

/// A private text message from user 42, as Telegram posts it.
fn private_text(update: u64, text: &str) -> String {
    let entities = if text.starts_with('/') {
        let len = text
            .split_whitespace()
            .next()
            .unwrap_or("")
            .encode_utf16()
            .count();
        format!(r#","entities":[{{"type":"bot_command","offset":0,"length":{len}}}]"#)
    } else {
        String::new()
    };
    format!(
        r#"{{"update_id":{update},"message":{{"message_id":{update},"date":1700000000,"chat":{{"id":42,"type":"private","first_name":"Ann"}},"from":{{"id":42,"is_bot":false,"first_name":"Ann","language_code":"en"}},"text":{}{entities}}}}}"#,
        serde_json::to_string(text).unwrap_or_default()
    )
}

/// A message from user `user` in supergroup -100777, optionally in forum topic `topic`.
fn group_text(update: u64, user: i64, text: &str, topic: Option<i64>) -> String {
    let len = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .encode_utf16()
        .count();
    let thread = topic.map_or(String::new(), |t| {
        format!(r#","message_thread_id":{t},"is_topic_message":true"#)
    });
    format!(
        r#"{{"update_id":{update},"message":{{"message_id":{update},"date":1700000000,"chat":{{"id":-100777,"type":"supergroup","title":"G","is_forum":{}}},"from":{{"id":{user},"is_bot":false,"first_name":"Bo"}},"text":{},"entities":[{{"type":"bot_command","offset":0,"length":{len}}}]{thread}}}}}"#,
        topic.is_some(),
        serde_json::to_string(text).unwrap_or_default()
    )
}

/// A press on a button with `data`, on message 5 of chat `chat` (42: private).
fn press(update: u64, user: i64, chat: i64, data: &str) -> String {
    let kind = if chat > 0 { "private" } else { "supergroup" };
    format!(
        r#"{{"update_id":{update},"callback_query":{{"id":"q{update}","from":{{"id":{user},"is_bot":false,"first_name":"Ann"}},"chat_instance":"1","message":{{"message_id":5,"date":1700000000,"chat":{{"id":{chat},"type":"{kind}","title":"G","first_name":"Ann"}},"text":"Settings. Tap to change:"}},"data":"{data}"}}}}"#
    )
}
