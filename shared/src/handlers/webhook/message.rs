//! Messages: commands answered at once, the rest queued.

use frankenstein::types::{ChatType, Message};

use super::quick_reply::QuickReply;
use super::route::{BotIdentity, Route};
use super::settings::{parse_on_off, route_persona};
use crate::domain::jobs::{InboundJob, IncomingMessage, Person};
use crate::domain::{
    ChatId, Command, MAX_DOWNLOAD_BYTES, Media, SettingChange, SoundKind, UpdateId, UserId, texts,
};

/// Whether a group message is for the bot: it mentions the bot, replies to one of its
/// messages, or is a command addressed `/cmd@bot`. Returns the text without the mention.
fn addressed_text(message: &Message, text: &str, bot: &BotIdentity<'_>) -> Option<String> {
    let username = bot.username.map(|u| format!("@{u}"));
    let replies_to_bot = message.reply_to_message.as_deref().is_some_and(|r| {
        r.from.as_deref().is_some_and(|f| {
            Some(f.id as i64) == bot.id
                || (f.is_bot
                    && f.username
                        .as_deref()
                        .zip(bot.username)
                        .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b)))
        })
    });
    let command_to_bot = text.starts_with('/')
        && text
            .split_whitespace()
            .next()
            .and_then(|head| head.split_once('@'))
            .zip(bot.username)
            .is_some_and(|((_, to), me)| to.eq_ignore_ascii_case(me));
    let entities = message
        .entities
        .as_deref()
        .or(message.caption_entities.as_deref())
        .unwrap_or_default();
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let mut mentions: Vec<(usize, usize)> = Vec::new();
    for e in entities {
        let range = usize::from(e.offset)..usize::from(e.offset) + usize::from(e.length);
        let Some(slice) = utf16.get(range.clone()) else {
            continue;
        };
        let mentioned = match e.type_field {
            frankenstein::types::MessageEntityType::Mention => username
                .as_deref()
                .is_some_and(|u| String::from_utf16_lossy(slice).eq_ignore_ascii_case(u)),
            frankenstein::types::MessageEntityType::TextMention => {
                e.user.as_ref().is_some_and(|u| Some(u.id as i64) == bot.id)
            }
            _ => false,
        };
        if mentioned {
            mentions.push((range.start, range.end));
        }
    }
    if !(replies_to_bot || command_to_bot || !mentions.is_empty()) {
        return None;
    }
    // The model should not see its own @name as part of what was said.
    let mut kept: Vec<u16> = Vec::with_capacity(utf16.len());
    let mut at = 0;
    for (start, end) in mentions {
        if start >= at {
            kept.extend_from_slice(&utf16[at..start]);
            at = end;
        }
    }
    kept.extend_from_slice(&utf16[at.min(utf16.len())..]);
    let cleaned = String::from_utf16_lossy(&kept);
    Some(cleaned.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The voice note, audio, video note or photo a message carries.
fn media_of(message: &Message) -> Option<Media> {
    let sound = |kind, file_id: &str, duration: u32, size: Option<u64>| Media::Sound {
        kind,
        file_id: file_id.to_owned(),
        duration_secs: duration,
        size,
    };
    if let Some(v) = &message.voice {
        return Some(sound(SoundKind::Voice, &v.file_id, v.duration, v.file_size));
    }
    if let Some(a) = &message.audio {
        return Some(sound(SoundKind::Audio, &a.file_id, a.duration, a.file_size));
    }
    if let Some(v) = &message.video_note {
        return Some(sound(
            SoundKind::VideoNote,
            &v.file_id,
            v.duration,
            v.file_size,
        ));
    }
    let photo = message.photo.as_deref()?;
    // The largest size a bot may download; Telegram lists them smallest first.
    let best = photo
        .iter()
        .filter(|p| p.file_size.is_none_or(|s| s <= MAX_DOWNLOAD_BYTES))
        .max_by_key(|p| u64::from(p.width) * u64::from(p.height))
        .or_else(|| photo.last())?;
    Some(Media::Photo {
        file_id: best.file_id.clone(),
        size: best.file_size,
    })
}

pub(super) fn route_message(
    update_id: UpdateId,
    message: &Message,
    bot: &BotIdentity<'_>,
) -> Route {
    let group = match message.chat.type_field {
        ChatType::Private => false,
        ChatType::Group | ChatType::Supergroup => true,
        _ => return Route::Ignore("messages in channels are not handled".into()),
    };
    let Some(from) = message.from.as_deref() else {
        return Route::Ignore("message without a sender".into());
    };
    let chat_id = ChatId(message.chat.id);
    let media = media_of(message);
    let raw = message
        .text
        .as_deref()
        .or(message.caption.as_deref())
        .unwrap_or_default();
    let text = if group {
        match addressed_text(message, raw, bot) {
            Some(text) => text,
            None => return Route::Ignore("group message not addressed to the bot".into()),
        }
    } else {
        raw.to_owned()
    };
    if media.is_none() && message.text.is_none() {
        return Route::Answer(QuickReply::message(chat_id, texts::UNSUPPORTED_MESSAGE));
    }
    if let Some(Media::Sound {
        size: Some(size), ..
    }) = &media
        && *size > MAX_DOWNLOAD_BYTES
    {
        // Known before any download: say so at once, nothing is queued.
        return Route::Answer(QuickReply::message(
            chat_id,
            texts::file_too_large(Some(*size)),
        ));
    }
    let user = UserId(from.id as i64);
    // A group's persona and settings belong to the group; in private, to the user.
    let owner = if group { UserId(chat_id.0) } else { user };
    // An anonymous admin posts as the group itself, and only admins can do that.
    let anonymous_admin = message
        .sender_chat
        .as_deref()
        .is_some_and(|c| c.id == message.chat.id);
    let admins_only = |route: Route| {
        if group && !anonymous_admin {
            Route::AdminsOnly {
                chat: chat_id,
                user,
                then: Box::new(route),
                refusal: QuickReply::message(chat_id, texts::GROUP_ADMINS_ONLY),
            }
        } else {
            route
        }
    };
    let parsed = if media.is_some() {
        None
    } else {
        Command::parse(&text, bot.username)
    };
    let args = parsed.as_ref().map(|(_, a)| a.as_str()).unwrap_or_default();
    match parsed.as_ref().map(|(c, _)| c.clone()) {
        Some(Command::Start) => Route::Answer(QuickReply::message(chat_id, texts::START)),
        Some(Command::Help) => Route::Answer(QuickReply::message(chat_id, texts::HELP)),
        Some(Command::Persona) => {
            let route = route_persona(chat_id, owner, args);
            if matches!(route, Route::SetPersona { .. }) {
                admins_only(route)
            } else {
                route
            }
        }
        Some(Command::Cancel) => Route::Cancel {
            chat: chat_id,
            draft_id: None,
            say: true,
        },
        Some(Command::Settings) => admins_only(Route::ShowSettings {
            chat: chat_id,
            owner,
        }),
        Some(Command::Voice) => match parse_on_off(args) {
            Some(on) => admins_only(Route::ChangeSetting {
                owner,
                change: SettingChange::VoiceReplies(on),
                reply: QuickReply::message(
                    chat_id,
                    if on {
                        texts::VOICE_ON
                    } else {
                        texts::VOICE_OFF
                    },
                ),
            }),
            None => Route::Answer(QuickReply::message(chat_id, texts::VOICE_USAGE)),
        },
        command => Route::Enqueue(InboundJob::Message(IncomingMessage {
            update_id,
            chat_id,
            message_id: i64::from(message.message_id),
            date: message.date as i64,
            from: Person {
                id: user,
                first_name: from.first_name.clone(),
                username: from.username.clone(),
                language_code: from.language_code.clone(),
                is_chat: false,
            },
            text,
            command,
            forwarded: message.forward_origin.is_some(),
            group,
            topic: message
                .is_topic_message
                .unwrap_or(false)
                .then_some(message.message_thread_id)
                .flatten()
                .map(i64::from),
            media,
            media_group: message.media_group_id.clone(),
        })),
    }
}
