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

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

fn username_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The entities Telegram attaches to a typed text: `bot_command` for a leading `/command`
/// (covering an `@botname` suffix, as recorded in `04-command-with-botname-suffix`) and
/// `mention` for every other `@username`, with offsets and lengths in UTF-16 code units.
/// Telegram also checks that a mentioned username could exist; tests choose their names.
fn entities_of(text: &str) -> Vec<Value> {
    let mut entities = Vec::new();
    let mut scan_from = 0;
    if text.starts_with('/') {
        let end = text.find(char::is_whitespace).unwrap_or(text.len());
        entities
            .push(json!({"offset": 0, "length": utf16_len(&text[..end]), "type": "bot_command"}));
        scan_from = end;
    }
    let mut previous: Option<char> = None;
    for (i, c) in text.char_indices() {
        let starts_mention = c == '@' && i >= scan_from && !previous.is_some_and(username_char);
        previous = Some(c);
        if !starts_mention {
            continue;
        }
        let name = text[i + 1..]
            .chars()
            .take_while(|c| username_char(*c))
            .count();
        if name > 0 {
            entities.push(
                json!({"offset": utf16_len(&text[..i]), "length": 1 + name, "type": "mention"}),
            );
        }
    }
    entities
}

fn set_entities(message: &mut Value, key: &str, text: &str) {
    let entities = entities_of(text);
    if let Some(obj) = message.as_object_mut() {
        if entities.is_empty() {
            obj.remove(key);
        } else {
            obj.insert(key.to_owned(), json!(entities));
        }
    }
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

/// A private message from `user_id` as recorded, with its content replaced by `key`.
fn private_media(fixture: &str, user_id: i64, key: &str, media: Value) -> Value {
    let mut update = fresh(fixture);
    let message = &mut update["message"];
    for who in ["chat", "from"] {
        message[who]["id"] = json!(user_id);
        message[who]["username"] = json!(format!("user{user_id}"));
    }
    if let Some(obj) = message.as_object_mut() {
        for content in [
            "voice",
            "video_note",
            "audio",
            "photo",
            "caption",
            "caption_entities",
            "text",
        ] {
            obj.remove(content);
        }
        obj.insert(key.to_owned(), media);
    }
    update
}

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

/// A voice message in a private chat, shaped like the recorded `26-voice-note`.
pub fn voice_note(user_id: i64, file_id: &str, duration: i64, file_size: u64) -> Value {
    let voice = json!({"duration": duration, "mime_type": "audio/ogg", "file_id": file_id,
                       "file_unique_id": file_unique_id(file_id), "file_size": file_size});
    private_media("26-voice-note.json", user_id, "voice", voice)
}

/// A round video message in a private chat, shaped like the recorded `28-video-note`
/// (whose legacy `thumb` is today's `thumbnail`).
pub fn video_note(user_id: i64, file_id: &str, duration: i64, file_size: u64) -> Value {
    let recorded = fixtures::json("telegram/updates/28-video-note.json");
    let mut note = recorded["message"]["video_note"].clone();
    if let Some(obj) = note.as_object_mut()
        && let Some(thumb) = obj.remove("thumb")
    {
        obj.insert("thumbnail".into(), thumb);
    }
    note["duration"] = json!(duration);
    note["file_id"] = json!(file_id);
    note["file_unique_id"] = json!(file_unique_id(file_id));
    note["file_size"] = json!(file_size);
    private_media("28-video-note.json", user_id, "video_note", note)
}

/// An audio file (`message.audio`, e.g. a forwarded recording) in a private chat.
pub fn audio_file(user_id: i64, file_id: &str, duration: i64, file_size: u64) -> Value {
    let audio = json!({"duration": duration, "file_name": "recording.mp3", "mime_type": "audio/mpeg",
                       "file_id": file_id, "file_unique_id": file_unique_id(file_id), "file_size": file_size});
    private_media("26-voice-note.json", user_id, "audio", audio)
}

/// A photo in a private chat, shaped like the recorded `29-photo-4-sizes-caption-entities`:
/// one square `PhotoSize` per `(file_id, file_size, width)`, smallest first, and the
/// caption with its entities.
pub fn photo(
    user_id: i64,
    file_ids_small_to_large: &[(&str, u64, i64)],
    caption: Option<&str>,
) -> Value {
    let sizes: Vec<Value> = file_ids_small_to_large
        .iter()
        .map(|(file_id, file_size, width)| {
            json!({"file_id": file_id, "file_unique_id": file_unique_id(file_id),
                   "file_size": file_size, "width": width, "height": width})
        })
        .collect();
    let mut update = private_media(
        "29-photo-4-sizes-caption-entities.json",
        user_id,
        "photo",
        json!(sizes),
    );
    if let Some(caption) = caption {
        let message = &mut update["message"];
        message["caption"] = json!(caption);
        set_entities(message, "caption_entities", caption);
    }
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

/// Telegram's placeholder `from` for an anonymous group admin.
pub const GROUP_ANONYMOUS_BOT: i64 = 1_087_968_824;
/// Telegram's placeholder `from` for a channel posting in a group.
pub const CHANNEL_BOT: i64 = 136_817_688;

/// An anonymous admin's message in a group: sent on behalf of the group itself, with
/// GroupAnonymousBot as `from` (as in the recorded `46-anonymous-admin-sender-chat-migrate`).
pub fn anonymous_admin_text(chat_id: i64, text: &str) -> Value {
    let mut update = group_text(chat_id, "supergroup", GROUP_ANONYMOUS_BOT, text);
    let message = &mut update["message"];
    message["from"] = json!({"id": GROUP_ANONYMOUS_BOT, "is_bot": true, "first_name": "Group", "username": "GroupAnonymousBot"});
    message["sender_chat"] = message["chat"].clone();
    update
}

/// A channel's post in a group (the linked channel's automatic forward, or a user posting
/// as their channel): `sender_chat` is the channel, `from` is Channel_Bot.
pub fn channel_in_group_text(
    chat_id: i64,
    channel_id: i64,
    channel_username: &str,
    text: &str,
) -> Value {
    let mut update = group_text(chat_id, "supergroup", CHANNEL_BOT, text);
    let message = &mut update["message"];
    message["from"] = json!({"id": CHANNEL_BOT, "is_bot": true, "first_name": "Channel", "username": "Channel_Bot"});
    message["sender_chat"] =
        json!({"id": channel_id, "title": "News", "username": channel_username, "type": "channel"});
    update
}

/// The two service messages of a group becoming a supergroup, as recorded in
/// `47-migrate-to-chat-id` (in the old group) and `46-anonymous-admin-sender-chat-migrate`
/// (in the new supergroup, from the group itself).
pub fn chat_migration(old_chat: i64, new_chat: i64) -> [Value; 2] {
    let mut to = fresh("47-migrate-to-chat-id.json");
    to["message"]["chat"]["id"] = json!(old_chat);
    to["message"]["migrate_to_chat_id"] = json!(new_chat);
    let mut from = fresh("46-anonymous-admin-sender-chat-migrate.json");
    for chat in ["chat", "sender_chat"] {
        from["message"][chat]["id"] = json!(new_chat);
    }
    from["message"]["migrate_from_chat_id"] = json!(old_chat);
    [to, from]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec;
    use frankenstein::updates::{Update, UpdateContent};

    fn built() -> Vec<(&'static str, Value)> {
        vec![
            ("private_text", private_text(42, "Ann", "/start now")),
            (
                "private_text_with_id",
                private_text_with_id(42, "Ann", "part two", 777),
            ),
            (
                "group_text",
                group_text(-4_000_123, "group", 42, "hey @companion_bot, hi"),
            ),
            (
                "supergroup_text",
                group_text(
                    -1_001_234_567_890,
                    "supergroup",
                    42,
                    "/ask@companion_bot why?",
                ),
            ),
            (
                "group_reply_to_bot",
                group_reply_to_bot(
                    -1_001_234_567_890,
                    42,
                    "thanks!",
                    "companion_bot",
                    123_456_789,
                ),
            ),
            (
                "forum_topic_text",
                forum_topic_text(-1_001_847_508_954, 4, 42, "@companion_bot hello"),
            ),
            ("voice_note", voice_note(42, "AwACAgIAAxkBAAIB", 3, 8386)),
            ("video_note", video_note(42, "DQACAgIAAxkBAAIC", 5, 290_925)),
            (
                "audio_file",
                audio_file(42, "CQACAgIAAxkBAAID", 61, 1_000_000),
            ),
            (
                "photo",
                photo(
                    42,
                    &[
                        ("AgACAgIAAxkBAAIE", 2077, 90),
                        ("AgACAgIAAxkBAAIF", 162_061, 1280),
                    ],
                    Some("look @companion_bot"),
                ),
            ),
            (
                "photo_without_caption",
                photo(42, &[("AgACAgIAAxkBAAIG", 2077, 90)], None),
            ),
            ("stopped_generation", stopped_generation(42, 9)),
            ("callback_query", callback_query(42, "persona:friend")),
            (
                "group_callback_query",
                group_callback_query(-1_001_234_567_890, 42, "menu"),
            ),
        ]
    }

    #[test]
    fn every_builder_makes_an_update_the_bot_api_and_frankenstein_accept() {
        let mut ids = std::collections::HashSet::new();
        for (name, update) in built() {
            spec::telegram()
                .check_type("Update", &update)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(ids.insert(update["update_id"].as_u64().unwrap()), "{name}");
            // frankenstein 0.52.1 already knows `stopped_message_generation`
            // (UpdateContent::StoppedMessageGeneration), so this one parses too.
            let parsed: Update = serde_json::from_value(update.clone())
                .unwrap_or_else(|e| panic!("{name}: frankenstein: {e}"));
            if name == "stopped_generation" {
                let UpdateContent::StoppedMessageGeneration(stopped) = parsed.content else {
                    panic!("{name}: parsed as {:?}", parsed.content);
                };
                assert_eq!((stopped.chat.id, stopped.draft_id), (42, 9));
            }
        }
    }

    #[test]
    fn builders_carry_what_their_names_say() {
        let fragment = private_text_with_id(42, "Ann", "x", 777);
        assert_eq!(fragment["message"]["message_id"], 777);
        let reply = group_reply_to_bot(-1_001_234_567_890, 42, "ok", "companion_bot", 99);
        let replied = &reply["message"]["reply_to_message"];
        assert_eq!(replied["from"]["id"], 99);
        assert_eq!(replied["from"]["is_bot"], true);
        assert_eq!(reply["message"]["chat"]["type"], "supergroup");
        let topic = forum_topic_text(-100_500, 4, 42, "hi");
        assert_eq!(topic["message"]["message_thread_id"], 4);
        assert_eq!(topic["message"]["is_topic_message"], true);
        assert_eq!(topic["message"]["chat"]["is_forum"], true);
        let note = video_note(42, "DQ", 5, 10);
        assert!(note["message"]["video_note"].get("thumb").is_none());
        let pic = photo(42, &[("a", 1, 90), ("b", 2, 320)], None);
        assert_eq!(pic["message"]["photo"][1]["file_id"], "b");
        assert!(pic["message"].get("caption").is_none());
        let callback = group_callback_query(-100_200, 42, "x");
        assert_eq!(
            callback["callback_query"]["message"]["chat"]["id"],
            -100_200
        );
        let now_ish = now();
        let voice = voice_note(42, "AwAC", 3, 8386);
        assert!(voice["message"]["date"].as_u64().unwrap() + 5 >= now_ish);
        assert_eq!(
            voice["message"]["voice"]["file_unique_id"],
            file_unique_id("AwAC")
        );
    }

    #[test]
    fn entities_count_utf16_units_and_keep_commands_whole() {
        let update = group_text(-5, "group", 1, "😀 hi @ann_1 and @bob, mail a@b");
        let entities = &update["message"]["entities"];
        assert_eq!(
            entities,
            &json!([{"offset": 6, "length": 6, "type": "mention"},
                    {"offset": 17, "length": 4, "type": "mention"}])
        );
        let command = group_text(-5, "group", 1, "/ask@companion_bot tell @ann");
        assert_eq!(
            command["message"]["entities"],
            json!([{"offset": 0, "length": 18, "type": "bot_command"},
                   {"offset": 24, "length": 4, "type": "mention"}])
        );
        let plain = group_text(-5, "group", 1, "no entities here");
        assert!(plain["message"].get("entities").is_none());
    }
}
