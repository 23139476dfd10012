//! The webhook: Telegram's only door. It must answer fast and never make Telegram
//! redeliver an update it has accepted.

use std::future::Future;
use std::sync::Arc;

use frankenstein::methods::{
    AnswerCallbackQueryParams, EditMessageReplyMarkupParams, SendMessageParams,
};
use frankenstein::types::{
    CallbackQuery, ChatType, InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyMarkup,
};
use frankenstein::updates::{Update, UpdateContent};
use http::{Method, StatusCode};
use lambda_http::{Body, Request, Response};
use serde_json::json;
use subtle::ConstantTimeEq;

use crate::adapters::secrets::Secrets;
use crate::adapters::telegram::member_status;
use crate::domain::jobs::{InboundJob, IncomingMessage, MemberUpdate, Person};
use crate::domain::{
    ChannelRef, ChatId, Command, MAX_DOWNLOAD_BYTES, Media, MemberStatus, PersonaChoice,
    PersonaKind, SettingChange, Settings, SoundKind, UpdateId, UserId, texts,
};
use crate::error::Failure;
use crate::ports::{
    Claim, Envelope, GenerationLog, PersonaStore, Queue, Telegram, TelegramError, UpdateLog,
    UserStore,
};

pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// Dependency checks for `GET /health`: (name, detail) pairs, `Ok` when healthy.
pub trait HealthProbe: Sync {
    fn probe(&self) -> impl Future<Output = Vec<(&'static str, Result<String, String>)>> + Send;
}

pub struct WebhookState<L, Q, H, T> {
    pub log: L,
    pub inbound: Q,
    pub secrets: Arc<Secrets>,
    pub channel: Option<ChannelRef>,
    pub bot_username: Option<String>,
    pub health: H,
    /// Non-secret configuration shown by `/health`.
    pub config_summary: serde_json::Value,
    /// Asks whether someone is a group admin before they change the group's settings.
    pub telegram: T,
    /// Models `/settings` offers.
    pub allowed_models: Vec<String>,
}

/// Who the bot is, to tell whether a group message is addressed to it.
#[derive(Clone, Debug, Default)]
pub struct BotIdentity<'a> {
    /// Without the @.
    pub username: Option<&'a str>,
    /// The numeric part of the bot token.
    pub id: Option<i64>,
    pub allowed_models: &'a [String],
}

/// A button that sends `data` back as a callback query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallbackButton {
    pub text: String,
    pub data: String,
}

/// A Bot API call returned in the webhook's HTTP response ("method in the response body"):
/// Telegram runs it, and it costs no extra request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuickReply {
    Message {
        chat_id: ChatId,
        text: String,
        keyboard: Vec<Vec<CallbackButton>>,
    },
    /// Redraws a message's inline keyboard (the settings menu after a change).
    EditKeyboard {
        chat_id: ChatId,
        message_id: i64,
        keyboard: Vec<Vec<CallbackButton>>,
    },
    /// Every button press must be answered, or the button keeps spinning.
    Callback {
        query_id: String,
        text: Option<String>,
        alert: bool,
    },
}

impl QuickReply {
    fn message(chat_id: ChatId, text: impl Into<String>) -> Self {
        Self::Message {
            chat_id,
            text: text.into(),
            keyboard: Vec::new(),
        }
    }

    /// The response body: the method's parameters plus `method`.
    pub fn to_body(&self) -> serde_json::Value {
        let (method, params) = match self {
            Self::EditKeyboard {
                chat_id,
                message_id,
                keyboard,
            } => {
                let params = EditMessageReplyMarkupParams::builder()
                    .chat_id(chat_id.0)
                    .message_id(*message_id as i32)
                    .reply_markup(inline_keyboard(keyboard))
                    .build();
                ("editMessageReplyMarkup", serde_json::to_value(params))
            }
            Self::Message {
                chat_id,
                text,
                keyboard,
            } => {
                let markup = (!keyboard.is_empty())
                    .then(|| ReplyMarkup::InlineKeyboardMarkup(inline_keyboard(keyboard)));
                let params = SendMessageParams::builder()
                    .chat_id(chat_id.0)
                    .text(text.clone())
                    .maybe_reply_markup(markup)
                    .build();
                ("sendMessage", serde_json::to_value(params))
            }
            Self::Callback {
                query_id,
                text,
                alert,
            } => {
                let params = AnswerCallbackQueryParams::builder()
                    .callback_query_id(query_id.clone())
                    .maybe_text(text.clone())
                    .maybe_show_alert(alert.then_some(true))
                    .build();
                ("answerCallbackQuery", serde_json::to_value(params))
            }
        };
        let mut body = params.unwrap_or_else(|_| json!({}));
        body["method"] = json!(method);
        body
    }
}

fn inline_keyboard(keyboard: &[Vec<CallbackButton>]) -> InlineKeyboardMarkup {
    let rows = keyboard
        .iter()
        .map(|row| {
            row.iter()
                .map(|b| {
                    InlineKeyboardButton::builder()
                        .text(b.text.clone())
                        .callback_data(b.data.clone())
                        .build()
                })
                .collect()
        })
        .collect();
    InlineKeyboardMarkup::builder()
        .inline_keyboard(rows)
        .build()
}

/// What to do with one update.
#[derive(Debug, PartialEq)]
pub enum Route {
    Answer(QuickReply),
    /// Store the user's persona, then answer.
    SetPersona {
        user: UserId,
        choice: PersonaChoice,
        reply: QuickReply,
    },
    Enqueue(InboundJob),
    /// Asks the generation in `chat` to stop (`/cancel`, or the draft's stop button).
    Cancel {
        chat: ChatId,
        draft_id: Option<i64>,
        /// Said only for `/cancel`; the stop button needs no answer.
        say: bool,
    },
    /// Shows the settings keyboard for `owner` (needs their current settings).
    ShowSettings {
        chat: ChatId,
        owner: UserId,
    },
    ChangeSetting {
        owner: UserId,
        change: SettingChange,
        reply: QuickReply,
    },
    /// In a group, only admins may change the group's persona and settings: ask Telegram
    /// about `user` first, and answer `refusal` if they are not one.
    AdminsOnly {
        chat: ChatId,
        user: UserId,
        then: Box<Route>,
        refusal: QuickReply,
    },
    /// A press on the settings menu: do `then` (which answers the press), then redraw the
    /// menu so it shows the new state.
    Redraw {
        then: Box<Route>,
        chat: ChatId,
        message_id: i64,
        owner: UserId,
    },
    /// Accepted and dropped, with the reason for the log.
    Ignore(String),
}

const PERSONA_DATA: &str = "persona:";

fn persona_menu(chat_id: ChatId) -> QuickReply {
    let buttons: Vec<CallbackButton> = PersonaKind::ALL
        .iter()
        .map(|k| CallbackButton {
            text: k.label().to_owned(),
            data: format!("{PERSONA_DATA}{}", k.key()),
        })
        .collect();
    QuickReply::Message {
        chat_id,
        text: texts::PERSONA_MENU.to_owned(),
        keyboard: buttons.chunks(2).map(<[CallbackButton]>::to_vec).collect(),
    }
}

fn route_persona(chat_id: ChatId, owner: UserId, args: &str) -> Route {
    let user = owner;
    let (sub, rest) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
    if sub.eq_ignore_ascii_case("custom") {
        return match PersonaChoice::custom(rest) {
            Ok(choice) => Route::SetPersona {
                user,
                reply: QuickReply::message(chat_id, texts::persona_set(&choice)),
                choice,
            },
            Err(hint) => Route::Answer(QuickReply::message(chat_id, hint)),
        };
    }
    match PersonaKind::from_key(&sub.to_ascii_lowercase()) {
        Some(kind) if kind != PersonaKind::Other && rest.is_empty() => {
            let choice = PersonaChoice::of(kind);
            Route::SetPersona {
                user,
                reply: QuickReply::message(chat_id, texts::persona_set(&choice)),
                choice,
            }
        }
        _ => Route::Answer(persona_menu(chat_id)),
    }
}

const SETTINGS_DATA: &str = "settings:";

/// The `/settings` keyboard, showing the current state; each button sets a value (rather
/// than toggling), so pressing a stale keyboard twice does no harm.
pub fn settings_menu(
    chat_id: ChatId,
    settings: &Settings,
    persona: Option<&PersonaChoice>,
    models: &[String],
) -> QuickReply {
    let onoff = |on: bool| if on { "on" } else { "off" };
    let mut keyboard = vec![
        vec![CallbackButton {
            text: format!(
                "🎙 Voice replies: {} (tap for {})",
                onoff(settings.voice_replies),
                onoff(!settings.voice_replies)
            ),
            data: format!("{SETTINGS_DATA}voice:{}", onoff(!settings.voice_replies)),
        }],
        vec![CallbackButton {
            text: format!(
                "📝 Show transcripts: {} (tap for {})",
                onoff(settings.show_transcript),
                onoff(!settings.show_transcript)
            ),
            data: format!(
                "{SETTINGS_DATA}transcript:{}",
                onoff(!settings.show_transcript)
            ),
        }],
    ];
    // Who the bot is, one button per kind; "Other" explains `/persona custom`.
    let current = persona.map_or(PersonaKind::Friend, |p| p.kind);
    let personas: Vec<CallbackButton> = PersonaKind::ALL
        .iter()
        .map(|k| CallbackButton {
            text: if *k == current {
                format!("👤 ✓ {}", k.label())
            } else {
                format!("👤 {}", k.label())
            },
            data: format!("{PERSONA_DATA}{}", k.key()),
        })
        .collect();
    keyboard.extend(personas.chunks(3).map(<[CallbackButton]>::to_vec));
    if models.len() > 1 {
        let current = settings.model.as_deref().unwrap_or(&models[0]);
        let buttons: Vec<CallbackButton> = models
            .iter()
            .map(|m| CallbackButton {
                text: if m == current {
                    format!("✓ {m}")
                } else {
                    m.clone()
                },
                data: format!("{SETTINGS_DATA}model:{m}"),
            })
            .collect();
        keyboard.extend(buttons.chunks(2).map(<[CallbackButton]>::to_vec));
    }
    QuickReply::Message {
        chat_id,
        text: texts::SETTINGS_MENU.to_owned(),
        keyboard,
    }
}

fn parse_on_off(arg: &str) -> Option<bool> {
    match arg.trim().to_ascii_lowercase().as_str() {
        "on" | "yes" | "true" => Some(true),
        "off" | "no" | "false" => Some(false),
        _ => None,
    }
}

fn route_callback(query: &CallbackQuery, bot: &BotIdentity<'_>) -> Route {
    let user = UserId(query.from.id as i64);
    let answer = |text: Option<&str>, alert: bool| QuickReply::Callback {
        query_id: query.id.clone(),
        text: text.map(str::to_owned),
        alert,
    };
    // Buttons under a group message change the group's settings, and only admins may.
    let group_chat = query.message.as_ref().and_then(|m| match m {
        frankenstein::types::MaybeInaccessibleMessage::Message(m)
            if m.chat.type_field != ChatType::Private =>
        {
            Some(ChatId(m.chat.id))
        }
        frankenstein::types::MaybeInaccessibleMessage::InaccessibleMessage(m)
            if m.chat.type_field != ChatType::Private =>
        {
            Some(ChatId(m.chat.id))
        }
        _ => None,
    });
    let owner = group_chat.map_or(user, |c| UserId(c.0));
    let data = query.data.as_deref().unwrap_or_default();
    let route = if let Some(key) = data.strip_prefix(PERSONA_DATA) {
        match PersonaKind::from_key(key) {
            Some(PersonaKind::Other) => {
                return Route::Answer(answer(Some(texts::PERSONA_OTHER_HINT), true));
            }
            Some(kind) => {
                let choice = PersonaChoice::of(kind);
                Route::SetPersona {
                    user: owner,
                    reply: answer(Some(&texts::persona_set(&choice)), false),
                    choice,
                }
            }
            None => return Route::Answer(answer(None, false)),
        }
    } else if let Some(setting) = data.strip_prefix(SETTINGS_DATA) {
        let (name, value) = setting.split_once(':').unwrap_or((setting, ""));
        let change = match (name, parse_on_off(value)) {
            ("voice", Some(on)) => SettingChange::VoiceReplies(on),
            ("transcript", Some(on)) => SettingChange::ShowTranscript(on),
            ("model", _) if bot.allowed_models.iter().any(|m| m == value) => {
                // The first allowed model is the default: store "none" for it.
                SettingChange::Model(
                    (bot.allowed_models.first().map(String::as_str) != Some(value))
                        .then(|| value.to_owned()),
                )
            }
            ("model", _) => return Route::Answer(answer(Some(texts::MODEL_NOT_ALLOWED), true)),
            _ => return Route::Answer(answer(None, false)),
        };
        let text = texts::setting_changed(&change, bot.allowed_models.first());
        Route::ChangeSetting {
            owner,
            change,
            reply: answer(Some(&text), false),
        }
    } else {
        return Route::Answer(answer(None, false));
    };
    // A press on the settings menu redraws it, so its ticks follow the change.
    let route = match query.message.as_ref() {
        Some(frankenstein::types::MaybeInaccessibleMessage::Message(m))
            if m.text.as_deref() == Some(texts::SETTINGS_MENU) =>
        {
            Route::Redraw {
                then: Box::new(route),
                chat: ChatId(m.chat.id),
                message_id: i64::from(m.message_id),
                owner,
            }
        }
        _ => route,
    };
    match group_chat {
        Some(chat) => Route::AdminsOnly {
            chat,
            user,
            then: Box::new(route),
            refusal: answer(Some(texts::GROUP_ADMINS_ONLY), true),
        },
        None => route,
    }
}

pub fn route(update: &Update, channel: Option<&ChannelRef>, bot: &BotIdentity<'_>) -> Route {
    let update_id = UpdateId(u64::from(update.update_id));
    match &update.content {
        UpdateContent::Message(message) => route_message(update_id, message, bot),
        UpdateContent::CallbackQuery(query) => route_callback(query, bot),
        UpdateContent::StoppedMessageGeneration(stopped) => Route::Cancel {
            chat: ChatId(stopped.chat.id),
            draft_id: Some(stopped.draft_id),
            say: false,
        },
        UpdateContent::ChatMember(change) => match channel {
            Some(ch) if ch.matches(change.chat.id, change.chat.username.as_deref()) => {
                let user = chat_member_user(&change.new_chat_member);
                Route::Enqueue(InboundJob::MemberUpdate(MemberUpdate {
                    update_id,
                    user_id: UserId(user.id as i64),
                    status: member_status(&change.new_chat_member),
                }))
            }
            _ => Route::Ignore("chat_member update for a chat other than the channel".into()),
        },
        other => Route::Ignore(format!("unhandled update kind {}", kind_name(other))),
    }
}

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

fn route_message(update_id: UpdateId, message: &Message, bot: &BotIdentity<'_>) -> Route {
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
            album: Vec::new(),
        })),
    }
}

fn chat_member_user(member: &frankenstein::types::ChatMember) -> &frankenstein::types::User {
    use frankenstein::types::ChatMember as M;
    match member {
        M::Creator(m) => &m.user,
        M::Administrator(m) => &m.user,
        M::Member(m) => &m.user,
        M::Restricted(m) => &m.user,
        M::Left(m) => &m.user,
        M::Kicked(m) => &m.user,
    }
}

fn kind_name(content: &UpdateContent) -> String {
    // The serde tag is the Bot API field name (`edited_message`, `callback_query`, ...).
    serde_json::to_value(content)
        .ok()
        .and_then(|v| v.as_object().and_then(|o| o.keys().next().cloned()))
        .unwrap_or_else(|| "unknown".into())
}

fn respond(status: StatusCode, body: serde_json::Value) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap_or_else(|_| Response::new(Body::Empty))
}

fn ok() -> Response<Body> {
    respond(StatusCode::OK, json!({"ok": true}))
}

pub async fn handle<L, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    request: Request,
) -> Result<Response<Body>, lambda_http::Error>
where
    L: UpdateLog + PersonaStore + GenerationLog + UserStore,
    Q: Queue,
    H: HealthProbe,
    T: Telegram,
{
    if request.method() == Method::GET
        && request
            .uri()
            .path()
            .trim_end_matches('/')
            .ends_with("/health")
    {
        return Ok(health(state).await);
    }
    if request.method() != Method::POST {
        return Ok(respond(
            StatusCode::METHOD_NOT_ALLOWED,
            json!({"ok": false}),
        ));
    }

    let secrets = match state.secrets.get().await {
        Ok(s) => s,
        Err(e) => {
            // 5xx makes Telegram retry later, which is right: we could not check anything.
            tracing::error!(error = %e, "cannot load secrets");
            return Ok(respond(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"ok": false}),
            ));
        }
    };
    let presented = request
        .headers()
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !bool::from(presented.ct_eq(secrets.webhook_secret.as_bytes())) {
        tracing::warn!(
            header_present = !presented.is_empty(),
            "rejected request with a missing or wrong secret token"
        );
        return Ok(respond(
            StatusCode::UNAUTHORIZED,
            json!({"ok": false, "error": "unauthorized"}),
        ));
    }

    let update: Update = match serde_json::from_slice(request.body().as_ref()) {
        Ok(u) => u,
        Err(e) => {
            // Anything but 200 would make Telegram redeliver this body forever.
            tracing::warn!(error = %e, bytes = request.body().len(), "unparseable update accepted and dropped");
            return Ok(ok());
        }
    };

    let bot = BotIdentity {
        username: state.bot_username.as_deref(),
        id: secrets
            .telegram_bot_token
            .split_once(':')
            .and_then(|(id, _)| id.parse().ok()),
        allowed_models: &state.allowed_models,
    };
    let topic = match &update.content {
        UpdateContent::Message(m) if m.is_topic_message == Some(true) => m.message_thread_id,
        _ => None,
    };
    let mut response = Box::pin(act(state, route(&update, state.channel.as_ref(), &bot))).await;
    // Quick replies in a forum topic belong in that topic.
    if let (Some(topic), Some(body)) = (topic, response.1.as_mut())
        && body["method"] == "sendMessage"
    {
        body["message_thread_id"] = json!(topic);
    }
    if let Some(reason) = &response.2 {
        tracing::warn!(update_id = update.update_id, %reason, "update accepted and dropped");
    }
    Ok(match response.1 {
        Some(body) => respond(response.0, body),
        None => respond(response.0, json!({"ok": response.0 == StatusCode::OK})),
    })
}

/// Carries out a route: (status, body with a method for Telegram to run, why it was dropped).
async fn act<L, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    route: Route,
) -> (StatusCode, Option<serde_json::Value>, Option<String>)
where
    L: UpdateLog + PersonaStore + GenerationLog + UserStore,
    Q: Queue,
    T: Telegram,
{
    let failed = |what: &str, e: &Failure| {
        // Telegram retries a 5xx, which is right: nothing was done.
        tracing::error!(error = %e, "{what}; Telegram will retry");
        (StatusCode::INTERNAL_SERVER_ERROR, None, None)
    };
    match route {
        Route::Ignore(reason) => (StatusCode::OK, None, Some(reason)),
        // No dedup here: Telegram only retries when it did not get this response, and then
        // it never ran the method, so answering again is right.
        Route::Answer(reply) => (StatusCode::OK, Some(reply.to_body()), None),
        Route::SetPersona {
            user,
            choice,
            reply,
        } => match state.log.set_persona(user, &choice).await {
            Ok(()) => (StatusCode::OK, Some(reply.to_body()), None),
            Err(e) => failed("could not store the persona", &e),
        },
        Route::ChangeSetting {
            owner,
            change,
            reply,
        } => match state.log.change_setting(owner, &change).await {
            Ok(()) => (StatusCode::OK, Some(reply.to_body()), None),
            Err(e) => failed("could not store the setting", &e),
        },
        Route::ShowSettings { chat, owner } => match state.log.profile(owner).await {
            Ok(profile) => {
                let menu = settings_menu(
                    chat,
                    &profile.settings,
                    profile.persona.as_ref(),
                    &state.allowed_models,
                );
                (StatusCode::OK, Some(menu.to_body()), None)
            }
            Err(e) => failed("could not read the settings", &e),
        },
        Route::Cancel {
            chat,
            draft_id,
            say,
        } => match state.log.cancel_generation(chat, draft_id).await {
            Ok(stopping) => {
                tracing::info!(%chat, stopping, "stop requested");
                let text = if stopping {
                    texts::CANCELLING
                } else {
                    texts::NOTHING_TO_CANCEL
                };
                let body = say.then(|| QuickReply::message(chat, text).to_body());
                (StatusCode::OK, body, None)
            }
            Err(e) => failed("could not record the stop request", &e),
        },
        Route::AdminsOnly {
            chat,
            user,
            then,
            refusal,
        } => match state
            .telegram
            .get_chat_member(&chat.0.to_string(), user)
            .await
        {
            Ok(MemberStatus::Creator | MemberStatus::Administrator) => {
                Box::pin(act(state, *then)).await
            }
            Ok(_) => (StatusCode::OK, Some(refusal.to_body()), None),
            // Telegram will not say (the bot left the group, say): refuse rather than have
            // the update redelivered for a day.
            Err(e @ (TelegramError::Rejected { .. } | TelegramError::Forbidden(_))) => {
                tracing::warn!(error = %e, "group admin status unavailable; refusing the change");
                (StatusCode::OK, Some(refusal.to_body()), None)
            }
            Err(e) => {
                tracing::error!(error = %e, "could not check group admin status; Telegram will retry");
                (StatusCode::INTERNAL_SERVER_ERROR, None, None)
            }
        },
        Route::Redraw {
            then,
            chat,
            message_id,
            owner,
        } => {
            let done = Box::pin(act(state, *then)).await;
            let (StatusCode::OK, Some(answer), _) = &done else {
                return done;
            };
            // The response can carry one method: answer the press directly, and let the
            // response redraw the menu. If either read fails, the plain answer still goes.
            let answered = state
                .telegram
                .answer_callback(
                    answer["callback_query_id"].as_str().unwrap_or_default(),
                    answer["text"].as_str(),
                    answer["show_alert"] == true,
                )
                .await;
            let profile = match answered {
                Ok(()) => state.log.profile(owner).await,
                Err(e) => {
                    tracing::warn!(error = %e, "could not answer the press directly; not redrawing");
                    return done;
                }
            };
            match profile {
                Ok(profile) => {
                    let QuickReply::Message { keyboard, .. } = settings_menu(
                        chat,
                        &profile.settings,
                        profile.persona.as_ref(),
                        &state.allowed_models,
                    ) else {
                        return done;
                    };
                    let redraw = QuickReply::EditKeyboard {
                        chat_id: chat,
                        message_id,
                        keyboard,
                    };
                    (StatusCode::OK, Some(redraw.to_body()), None)
                }
                Err(e) => {
                    // Already answered: an empty 200 is all that is left to send.
                    tracing::warn!(error = %e, "could not read the settings to redraw them");
                    (StatusCode::OK, None, None)
                }
            }
        }
        Route::Enqueue(job) => match enqueue(state, &job).await {
            Ok(()) => (StatusCode::OK, None, None),
            Err(e) => failed("could not enqueue", &e),
        },
    }
}

async fn enqueue<L: UpdateLog, Q: Queue, H, T>(
    state: &WebhookState<L, Q, H, T>,
    job: &InboundJob,
) -> Result<(), Failure> {
    let update_id = job.update_id();
    match state.log.claim_update(update_id).await? {
        Claim::Done => {
            tracing::info!(%update_id, "duplicate update dropped");
            return Ok(());
        }
        Claim::Unfinished => {
            tracing::info!(%update_id, "re-enqueueing an update whose first delivery did not finish")
        }
        Claim::New => {}
    }
    let group_id = match job {
        InboundJob::Message(m) => super::chat_group(m.chat_id),
        InboundJob::MemberUpdate(m) => format!("member-{}", m.user_id),
        // Queued with the new chat's messages, so the move is done before they are answered.
        InboundJob::ChatMigrated(m) => super::chat_group(m.to),
    };
    state
        .inbound
        .send(&Envelope {
            body: serde_json::to_string(job).map_err(Failure::permanent)?,
            group_id,
            dedup_id: format!("upd-{update_id}"),
        })
        .await?;
    state.log.mark_enqueued(update_id).await
}

async fn health<L, Q, H: HealthProbe, T>(state: &WebhookState<L, Q, H, T>) -> Response<Body> {
    let checks = state.health.probe().await;
    let healthy = checks.iter().all(|(_, r)| r.is_ok());
    let deps: serde_json::Map<String, serde_json::Value> = checks
        .into_iter()
        .map(|(name, r)| {
            let v = match r {
                Ok(detail) => json!({"ok": true, "detail": detail}),
                Err(e) => json!({"ok": false, "error": e}),
            };
            (name.to_owned(), v)
        })
        .collect();
    respond(
        if healthy {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        },
        json!({
            "status": if healthy { "ok" } else { "degraded" },
            "version": env!("CARGO_PKG_VERSION"),
            "config": state.config_summary,
            "dependencies": deps,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Update {
        serde_json::from_str(json).expect("update")
    }

    fn my_bot() -> BotIdentity<'static> {
        BotIdentity {
            username: Some("my_bot"),
            id: Some(555),
            allowed_models: &[],
        }
    }

    fn group(text: &str, extra: &str) -> Update {
        let mut entities = Vec::new();
        let utf16: Vec<u16> = text.encode_utf16().collect();
        let mut i = 0;
        while i < utf16.len() {
            if utf16[i] == u16::from(b'@') || (i == 0 && utf16[0] == u16::from(b'/')) {
                let end = (i..utf16.len())
                    .find(|&j| utf16[j] == u16::from(b' '))
                    .unwrap_or(utf16.len());
                let kind = if utf16[i] == u16::from(b'/') {
                    "bot_command"
                } else {
                    "mention"
                };
                entities.push(format!(
                    r#"{{"type":"{kind}","offset":{i},"length":{}}}"#,
                    end - i
                ));
                i = end;
            } else {
                i += 1;
            }
        }
        parse(&format!(
            r#"{{"update_id":30,"message":{{"message_id":9,"date":1,"chat":{{"id":-100777,"type":"supergroup","title":"G"}},"from":{{"id":42,"is_bot":false,"first_name":"A"}},"text":{},"entities":[{}]{extra}}}}}"#,
            serde_json::to_string(text).unwrap(),
            entities.join(",")
        ))
    }

    #[test]
    fn groups_are_answered_only_when_addressed() {
        let bot = my_bot();
        let enqueued = |u: &Update| match route(u, None, &bot) {
            Route::Enqueue(InboundJob::Message(m)) => Some(m),
            _ => None,
        };
        assert!(enqueued(&group("hello everyone", "")).is_none());
        assert!(enqueued(&group("hey @other_bot what's up", "")).is_none());
        assert!(enqueued(&group("/reset", "")).is_none());
        assert!(enqueued(&group("/reset@other_bot", "")).is_none());
        let m = enqueued(&group("hey @My_Bot how are you?", "")).expect("mention");
        assert_eq!(
            (m.text.as_str(), m.group, m.chat_id, m.topic),
            ("hey how are you?", true, ChatId(-100777), None)
        );
        let m = enqueued(&group("/reset@my_bot", "")).expect("addressed command");
        assert_eq!(m.command, Some(Command::Reset));
        let reply = r#","reply_to_message":{"message_id":8,"date":1,"chat":{"id":-100777,"type":"supergroup","title":"G"},"from":{"id":555,"is_bot":true,"first_name":"Bot","username":"my_bot"},"text":"earlier"}"#;
        let m = enqueued(&group("and then?", reply)).expect("reply to the bot");
        assert_eq!(m.text, "and then?");
        let topic = r#","message_thread_id":4,"is_topic_message":true"#;
        let m = enqueued(&group("@my_bot hi", topic)).expect("topic");
        assert_eq!(m.topic, Some(4));
        assert_eq!(m.conversation().to_string(), "-100777/4");
        // Changing the group's persona needs an admin; a private chat does not.
        match route(&group("/persona@my_bot parent", ""), None, &bot) {
            Route::AdminsOnly {
                chat, user, then, ..
            } => {
                assert_eq!((chat, user), (ChatId(-100777), UserId(42)));
                assert!(matches!(
                    *then,
                    Route::SetPersona {
                        user: UserId(-100777),
                        ..
                    }
                ));
            }
            other => panic!("{other:?}"),
        }
        match route(&group("/cancel@my_bot", ""), None, &bot) {
            Route::Cancel { chat, say, .. } => assert_eq!((chat, say), (ChatId(-100777), true)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn stop_button_and_settings_callbacks() {
        let stopped = parse(
            r#"{"update_id":40,"stopped_message_generation":{"chat":{"id":42,"type":"private","first_name":"A"},"draft_id":77}}"#,
        );
        assert_eq!(
            route(&stopped, None, &BotIdentity::default()),
            Route::Cancel {
                chat: ChatId(42),
                draft_id: Some(77),
                say: false
            }
        );
        let models = ["gpt-4o-mini".to_owned(), "gpt-4o".to_owned()];
        let bot = BotIdentity {
            allowed_models: &models,
            ..my_bot()
        };
        let press = |data: &str| {
            parse(&format!(
                r#"{{"update_id":41,"callback_query":{{"id":"q1","from":{{"id":42,"is_bot":false,"first_name":"A"}},"chat_instance":"1","message":{{"message_id":5,"date":1,"chat":{{"id":42,"type":"private","first_name":"A"}},"text":"Settings"}},"data":"{data}"}}}}"#
            ))
        };
        match route(&press("settings:voice:on"), None, &bot) {
            Route::ChangeSetting { owner, change, .. } => {
                assert_eq!(
                    (owner, change),
                    (UserId(42), SettingChange::VoiceReplies(true))
                );
            }
            other => panic!("{other:?}"),
        }
        match route(&press("settings:model:gpt-4o"), None, &bot) {
            Route::ChangeSetting { change, .. } => {
                assert_eq!(change, SettingChange::Model(Some("gpt-4o".into())));
            }
            other => panic!("{other:?}"),
        }
        match route(&press("settings:model:gpt-5-pro"), None, &bot) {
            Route::Answer(QuickReply::Callback { alert, .. }) => assert!(alert),
            other => panic!("{other:?}"),
        }
        let menu = settings_menu(ChatId(42), &Settings::default(), None, &models).to_body();
        let datas: Vec<&str> = menu["reply_markup"]["inline_keyboard"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|row| row.as_array().unwrap())
            .map(|b| b["callback_data"].as_str().unwrap())
            .collect();
        assert_eq!(
            datas,
            [
                "settings:voice:on",
                "settings:transcript:on",
                "persona:parent",
                "persona:spouse",
                "persona:child",
                "persona:sibling",
                "persona:friend",
                "persona:colleague",
                "persona:other",
                "settings:model:gpt-4o-mini",
                "settings:model:gpt-4o"
            ]
        );
        assert!(datas.iter().all(|d| d.len() <= 64));
    }

    #[test]
    fn voice_photo_and_oversized_files() {
        let voice = |size: u64| {
            parse(&format!(
                r#"{{"update_id":50,"message":{{"message_id":1,"date":1,"chat":{{"id":42,"type":"private","first_name":"A"}},"from":{{"id":42,"is_bot":false,"first_name":"A"}},"voice":{{"file_id":"V1","file_unique_id":"u","duration":3,"mime_type":"audio/ogg","file_size":{size}}}}}}}"#
            ))
        };
        match route(&voice(9000), None, &BotIdentity::default()) {
            Route::Enqueue(InboundJob::Message(m)) => assert_eq!(
                m.media,
                Some(Media::Sound {
                    kind: SoundKind::Voice,
                    file_id: "V1".into(),
                    duration_secs: 3,
                    size: Some(9000)
                })
            ),
            other => panic!("{other:?}"),
        }
        match route(&voice(25 * 1024 * 1024), None, &BotIdentity::default()) {
            Route::Answer(QuickReply::Message { text, .. }) => {
                assert!(text.contains("20 MB"), "{text}")
            }
            other => panic!("{other:?}"),
        }
        let photo = parse(
            r#"{"update_id":51,"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private","first_name":"A"},"from":{"id":42,"is_bot":false,"first_name":"A"},"caption":"what is this?","photo":[{"file_id":"small","file_unique_id":"a","width":90,"height":60,"file_size":900},{"file_id":"big","file_unique_id":"b","width":1280,"height":853,"file_size":90000}]}}"#,
        );
        match route(&photo, None, &BotIdentity::default()) {
            Route::Enqueue(InboundJob::Message(m)) => {
                assert_eq!(m.text, "what is this?");
                assert_eq!(
                    m.media,
                    Some(Media::Photo {
                        file_id: "big".into(),
                        size: Some(90000)
                    })
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn routes_table() {
        let private = |text: &str| {
            format!(
                r#"{{"update_id":10,"message":{{"message_id":1,"date":1,"chat":{{"id":42,"type":"private","first_name":"A"}},"from":{{"id":42,"is_bot":false,"first_name":"A"}},"text":{}}}}}"#,
                serde_json::to_string(text).unwrap()
            )
        };
        assert_eq!(
            route(&parse(&private("/start")), None, &BotIdentity::default()),
            Route::Answer(QuickReply::message(ChatId(42), texts::START))
        );
        assert_eq!(
            route(&parse(&private("/help@my_bot")), None, &my_bot()),
            Route::Answer(QuickReply::message(ChatId(42), texts::HELP))
        );
        match route(&parse(&private("/persona")), None, &BotIdentity::default()) {
            Route::Answer(QuickReply::Message { keyboard, .. }) => {
                let data: Vec<String> = keyboard.concat().into_iter().map(|b| b.data).collect();
                assert_eq!(data.len(), PersonaKind::ALL.len());
                assert!(data.contains(&"persona:parent".to_owned()));
            }
            other => panic!("{other:?}"),
        }
        match route(
            &parse(&private("/persona custom Anna: my sister")),
            None,
            &BotIdentity::default(),
        ) {
            Route::SetPersona { user, choice, .. } => {
                assert_eq!(user, UserId(42));
                assert_eq!(choice.name.as_deref(), Some("Anna"));
            }
            other => panic!("{other:?}"),
        }
        match route(
            &parse(&private("/persona sibling")),
            None,
            &BotIdentity::default(),
        ) {
            Route::SetPersona { choice, .. } => assert_eq!(choice.kind, PersonaKind::Sibling),
            other => panic!("{other:?}"),
        }
        match route(&parse(&private("hello")), None, &BotIdentity::default()) {
            Route::Enqueue(InboundJob::Message(m)) => {
                assert_eq!(
                    (m.text.as_str(), m.command, m.update_id),
                    ("hello", None, UpdateId(10))
                );
            }
            other => panic!("{other:?}"),
        }
        match route(&parse(&private("/reset")), None, &BotIdentity::default()) {
            Route::Enqueue(InboundJob::Message(m)) => assert_eq!(m.command, Some(Command::Reset)),
            other => panic!("{other:?}"),
        }
        let group = r#"{"update_id":11,"message":{"message_id":1,"date":1,"chat":{"id":-5,"type":"group","title":"G"},"from":{"id":42,"is_bot":false,"first_name":"A"},"text":"hi"}}"#;
        assert!(matches!(
            route(&parse(group), None, &BotIdentity::default()),
            Route::Ignore(_)
        ));
        let sticker = r#"{"update_id":12,"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private","first_name":"A"},"from":{"id":42,"is_bot":false,"first_name":"A"},"location":{"latitude":1.0,"longitude":2.0}}}"#;
        assert_eq!(
            route(&parse(sticker), None, &BotIdentity::default()),
            Route::Answer(QuickReply::message(ChatId(42), texts::UNSUPPORTED_MESSAGE))
        );
        let edited = r#"{"update_id":13,"edited_message":{"message_id":1,"date":1,"edit_date":2,"chat":{"id":42,"type":"private","first_name":"A"},"from":{"id":42,"is_bot":false,"first_name":"A"},"text":"x"}}"#;
        assert_eq!(
            route(&parse(edited), None, &BotIdentity::default()),
            Route::Ignore("unhandled update kind edited_message".into())
        );
    }

    #[test]
    fn chat_member_updates_only_for_the_channel() {
        let json = r#"{"update_id":20,"chat_member":{"chat":{"id":-1001,"type":"channel","title":"C","username":"news_chan"},"from":{"id":1,"is_bot":false,"first_name":"A"},"date":1,"old_chat_member":{"status":"member","user":{"id":7,"is_bot":false,"first_name":"U"}},"new_chat_member":{"status":"left","user":{"id":7,"is_bot":false,"first_name":"U"}}}}"#;
        let update = parse(json);
        let chan = ChannelRef::Username("news_chan".into());
        assert_eq!(
            route(&update, Some(&chan), &BotIdentity::default()),
            Route::Enqueue(InboundJob::MemberUpdate(MemberUpdate {
                update_id: UpdateId(20),
                user_id: UserId(7),
                status: crate::domain::MemberStatus::Left,
            }))
        );
        assert!(matches!(
            route(&update, Some(&ChannelRef::Id(-99)), &BotIdentity::default()),
            Route::Ignore(_)
        ));
        assert!(matches!(
            route(&update, None, &BotIdentity::default()),
            Route::Ignore(_)
        ));
    }
}
