//! Messages in groups, supergroups and forum topics, and what channels and anonymous
//! admins post there.

use serde_json::{Value, json};

use super::entities::set_entities;
use super::{fresh, group_chat, next_update_ids, now, user};
use crate::fixtures;

/// A text message in a group or supergroup (`chat_type`), shaped like the recorded
/// `13-supergroup-reply` update without its reply.
pub fn group_text(chat_id: i64, chat_type: &str, user_id: i64, text: &str) -> Value {
    let mut update = fresh("13-supergroup-reply.json");
    let message = &mut update["message"];
    if let Some(obj) = message.as_object_mut() {
        obj.remove("reply_to_message");
    }
    message["from"] = user(user_id);
    message["chat"] = json!({"id": chat_id, "title": "My new test group", "type": chat_type});
    message["text"] = json!(text);
    set_entities(message, "entities", text);
    update
}

/// A group member's reply to a message the bot sent (the recorded `13-supergroup-reply`,
/// replying to the bot as in `14-group-reply-to-bot-legacy`).
pub fn group_reply_to_bot(
    chat_id: i64,
    user_id: i64,
    text: &str,
    bot_username: &str,
    bot_id: i64,
) -> Value {
    let mut update = fresh("13-supergroup-reply.json");
    let message = &mut update["message"];
    let chat = group_chat(chat_id);
    let message_id = message["message_id"].as_i64().unwrap_or(2);
    message["from"] = user(user_id);
    message["chat"] = chat.clone();
    message["text"] = json!(text);
    set_entities(message, "entities", text);
    message["reply_to_message"] = json!({
        "message_id": (message_id - 1).max(1),
        "from": {"id": bot_id, "is_bot": true, "first_name": "Companion", "username": bot_username},
        "chat": chat,
        "date": now().saturating_sub(60),
        "text": "How was your day?"
    });
    update
}

/// A text message in a forum topic, shaped like the recorded `16-forum-topic-message-real`
/// (the topic's creation message as `reply_to_message`, as real topic messages carry it).
pub fn forum_topic_text(chat_id: i64, thread_id: i64, user_id: i64, text: &str) -> Value {
    let mut update = fresh("16-forum-topic-message-real.json");
    let message = &mut update["message"];
    message["chat"]["id"] = json!(chat_id);
    message["from"]["id"] = json!(user_id);
    message["from"]["username"] = json!(format!("user{user_id}"));
    message["message_thread_id"] = json!(thread_id);
    let topic = &mut message["reply_to_message"];
    topic["chat"]["id"] = json!(chat_id);
    topic["from"]["id"] = json!(user_id);
    topic["from"]["username"] = json!(format!("user{user_id}"));
    topic["message_id"] = json!(thread_id);
    topic["message_thread_id"] = json!(thread_id);
    topic["date"] = json!(now().saturating_sub(3600));
    message["text"] = json!(text);
    set_entities(message, "entities", text);
    update
}

/// Who Telegram puts in `from` when a group speaks as itself (an anonymous admin, or the
/// group's own service messages): telegram-bot-api's `group_anonymous_bot_user_id`.
fn group_anonymous_bot() -> Value {
    json!({"id": 1_087_968_824, "is_bot": true, "first_name": "Group", "username": "GroupAnonymousBot"})
}

/// Who Telegram puts in `from` when a member posts in a group as one of their channels:
/// `channel_bot_user_id`.
fn channel_bot() -> Value {
    json!({"id": 136_817_688, "is_bot": true, "first_name": "Channel", "username": "Channel_Bot"})
}

/// Who Telegram puts in `from` for a channel post automatically forwarded into its linked
/// discussion group: `service_notifications_user_id`, the "Telegram" account.
fn telegram_service() -> Value {
    json!({"id": 777_000, "is_bot": false, "first_name": "Telegram"})
}

fn channel(channel_id: i64, username: &str) -> Value {
    json!({"id": channel_id, "title": "My channel", "username": username, "type": "channel"})
}

/// A text `from` someone else in a supergroup (only supergroups have anonymous admins and
/// linked channels), with the sender's chat.
fn sent_as(group_chat_id: i64, from: Value, sender_chat: Value, text: &str) -> Value {
    let mut update = group_text(group_chat_id, "supergroup", 0, text);
    let message = &mut update["message"];
    message["from"] = from;
    message["sender_chat"] = sender_chat;
    update
}

/// An anonymous admin writes in their group: `from` is GroupAnonymousBot and
/// `sender_chat` is the group itself.
pub fn anonymous_admin(group_chat_id: i64, text: &str) -> Value {
    let group = json!({"id": group_chat_id, "title": "My new test group", "type": "supergroup"});
    sent_as(group_chat_id, group_anonymous_bot(), group, text)
}

/// A channel's post as Telegram forwards it into the channel's linked discussion group:
/// `sender_chat` is the channel, `is_automatic_forward` is true with the post as
/// `forward_origin`, and `from` is the "Telegram" service account (777000) — not
/// Channel_Bot, which is for [`as_channel_in_group`] (telegram-bot-api `Client.cpp`,
/// where `sender_user_id` is chosen). The real server also writes the legacy
/// `forward_from_chat`, `forward_from_message_id` and `forward_date`, which the Bot API no
/// longer documents; they are left out here.
pub fn channel_post_in_group(
    group_chat_id: i64,
    channel_id: i64,
    channel_username: &str,
    text: &str,
) -> Value {
    let chat = channel(channel_id, channel_username);
    let mut update = sent_as(group_chat_id, telegram_service(), chat.clone(), text);
    let message = &mut update["message"];
    let post_id = message["message_id"].as_i64().unwrap_or(1) % 10_000 + 1;
    message["forward_origin"] =
        json!({"type": "channel", "chat": chat, "message_id": post_id, "date": message["date"]});
    message["is_automatic_forward"] = json!(true);
    update
}

/// A member writes in a group as one of their channels: `from` is Channel_Bot and
/// `sender_chat` the channel; nothing is forwarded.
pub fn as_channel_in_group(
    group_chat_id: i64,
    channel_id: i64,
    channel_username: &str,
    text: &str,
) -> Value {
    let chat = channel(channel_id, channel_username);
    sent_as(group_chat_id, channel_bot(), chat, text)
}

/// The two service messages of a basic group's upgrade to a supergroup, in the order
/// Telegram sends them (recorded `47-migrate-to-chat-id` and
/// `46-anonymous-admin-sender-chat-migrate`): `migrate_to_chat_id` in the old group from
/// the member who upgraded it, then `migrate_from_chat_id` as the new supergroup's first
/// message, sent by the group itself.
pub fn group_migrated(old_chat_id: i64, new_chat_id: i64) -> Vec<Value> {
    let first = next_update_ids(2);
    let mut to = fixtures::json("telegram/updates/47-migrate-to-chat-id.json");
    to["update_id"] = json!(first);
    let message = &mut to["message"];
    message["message_id"] = json!(first % 1_000_000);
    message["chat"]["id"] = json!(old_chat_id);
    message["date"] = json!(now());
    message["migrate_to_chat_id"] = json!(new_chat_id);
    let mut from = fixtures::json("telegram/updates/46-anonymous-admin-sender-chat-migrate.json");
    from["update_id"] = json!(first + 1);
    let message = &mut from["message"];
    // The recording anonymised GroupAnonymousBot's id.
    message["from"] = group_anonymous_bot();
    message["chat"]["id"] = json!(new_chat_id);
    message["sender_chat"]["id"] = json!(new_chat_id);
    message["date"] = json!(now());
    message["migrate_from_chat_id"] = json!(old_chat_id);
    vec![to, from]
}
