//! Voice, video, audio and photo messages, and albums.

use serde_json::{Value, json};

use super::entities::set_entities;
use super::{file_unique_id, fresh, group_chat, next_update_ids};
use crate::fixtures;

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

/// An album (media group) of photos as Telegram delivers it: one update per photo with
/// consecutive update and message ids, the same `media_group_id` (real ones are strings
/// of digits), and the caption, if any, on the first photo only. `chat_id == user_id` is
/// a private chat, anything else a group.
pub fn album(
    chat_id: i64,
    user_id: i64,
    media_group_id: &str,
    photos: &[&[(&str, u64, i64)]],
    caption_on_first: Option<&str>,
) -> Vec<Value> {
    let first_update = next_update_ids(photos.len() as u64);
    let first_message = first_update % 1_000_000;
    photos
        .iter()
        .zip(0u64..)
        .map(|(sizes, i)| {
            let caption = if i == 0 { caption_on_first } else { None };
            let mut update = photo(user_id, sizes, caption);
            update["update_id"] = json!(first_update + i);
            let message = &mut update["message"];
            message["message_id"] = json!(first_message + i);
            message["media_group_id"] = json!(media_group_id);
            if chat_id != user_id {
                message["chat"] = group_chat(chat_id);
            }
            update
        })
        .collect()
}
