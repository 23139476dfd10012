//! The webhook: Telegram's only door. It must answer fast and never make Telegram
//! redeliver an update it has accepted.

use std::future::Future;
use std::sync::Arc;

use frankenstein::methods::{AnswerCallbackQueryParams, SendMessageParams};
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
    ChannelRef, ChatId, Command, PersonaChoice, PersonaKind, UpdateId, UserId, texts,
};
use crate::error::Failure;
use crate::ports::{Claim, Envelope, PersonaStore, Queue, UpdateLog};

pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// Dependency checks for `GET /health`: (name, detail) pairs, `Ok` when healthy.
pub trait HealthProbe: Sync {
    fn probe(&self) -> impl Future<Output = Vec<(&'static str, Result<String, String>)>> + Send;
}

pub struct WebhookState<L, Q, H> {
    pub log: L,
    pub inbound: Q,
    pub secrets: Arc<Secrets>,
    pub channel: Option<ChannelRef>,
    pub bot_username: Option<String>,
    pub health: H,
    /// Non-secret configuration shown by `/health`.
    pub config_summary: serde_json::Value,
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
            Self::Message {
                chat_id,
                text,
                keyboard,
            } => {
                let markup = (!keyboard.is_empty()).then(|| {
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
                    ReplyMarkup::InlineKeyboardMarkup(
                        InlineKeyboardMarkup::builder()
                            .inline_keyboard(rows)
                            .build(),
                    )
                });
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

fn route_persona(chat_id: ChatId, user: UserId, args: &str) -> Route {
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

fn route_callback(query: &CallbackQuery) -> Route {
    let user = UserId(query.from.id as i64);
    let answer = |text: Option<&str>, alert: bool| QuickReply::Callback {
        query_id: query.id.clone(),
        text: text.map(str::to_owned),
        alert,
    };
    let Some(key) = query
        .data
        .as_deref()
        .and_then(|d| d.strip_prefix(PERSONA_DATA))
    else {
        return Route::Answer(answer(None, false));
    };
    match PersonaKind::from_key(key) {
        Some(PersonaKind::Other) => Route::Answer(answer(Some(texts::PERSONA_OTHER_HINT), true)),
        Some(kind) => {
            let choice = PersonaChoice::of(kind);
            Route::SetPersona {
                user,
                reply: answer(Some(&texts::persona_set(&choice)), false),
                choice,
            }
        }
        None => Route::Answer(answer(None, false)),
    }
}

pub fn route(update: &Update, channel: Option<&ChannelRef>, bot_username: Option<&str>) -> Route {
    let update_id = UpdateId(u64::from(update.update_id));
    match &update.content {
        UpdateContent::Message(message) => route_message(update_id, message, bot_username),
        UpdateContent::CallbackQuery(query) => route_callback(query),
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

fn route_message(update_id: UpdateId, message: &Message, bot_username: Option<&str>) -> Route {
    if message.chat.type_field != ChatType::Private {
        return Route::Ignore("messages outside private chats are not handled yet".into());
    }
    let Some(from) = message.from.as_deref() else {
        return Route::Ignore("message without a sender".into());
    };
    let chat_id = ChatId(message.chat.id);
    let Some(text) = message.text.as_deref() else {
        return Route::Answer(QuickReply::message(chat_id, texts::UNSUPPORTED_MESSAGE));
    };
    let parsed = Command::parse(text, bot_username);
    let args = parsed.as_ref().map(|(_, a)| a.as_str()).unwrap_or_default();
    match parsed.as_ref().map(|(c, _)| c.clone()) {
        Some(Command::Start) => Route::Answer(QuickReply::message(chat_id, texts::START)),
        Some(Command::Help) => Route::Answer(QuickReply::message(chat_id, texts::HELP)),
        Some(Command::Persona) => route_persona(chat_id, UserId(from.id as i64), args),
        command => Route::Enqueue(InboundJob::Message(IncomingMessage {
            update_id,
            chat_id,
            message_id: i64::from(message.message_id),
            date: message.date as i64,
            from: Person {
                id: UserId(from.id as i64),
                first_name: from.first_name.clone(),
                username: from.username.clone(),
                language_code: from.language_code.clone(),
            },
            text: text.to_owned(),
            command,
            forwarded: message.forward_origin.is_some(),
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

pub async fn handle<L, Q, H>(
    state: &WebhookState<L, Q, H>,
    request: Request,
) -> Result<Response<Body>, lambda_http::Error>
where
    L: UpdateLog + PersonaStore,
    Q: Queue,
    H: HealthProbe,
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

    match route(
        &update,
        state.channel.as_ref(),
        state.bot_username.as_deref(),
    ) {
        Route::Ignore(reason) => {
            tracing::warn!(update_id = update.update_id, %reason, "update accepted and dropped");
            Ok(ok())
        }
        // No dedup here: Telegram only retries when it did not get this response, and then
        // it never ran the method, so answering again is right.
        Route::Answer(reply) => Ok(respond(StatusCode::OK, reply.to_body())),
        Route::SetPersona {
            user,
            choice,
            reply,
        } => match state.log.set_persona(user, &choice).await {
            Ok(()) => Ok(respond(StatusCode::OK, reply.to_body())),
            Err(e) => {
                tracing::error!(%user, error = %e, "could not store the persona; Telegram will retry");
                Ok(respond(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"ok": false}),
                ))
            }
        },
        Route::Enqueue(job) => match enqueue(state, &job).await {
            Ok(()) => Ok(ok()),
            Err(e) => {
                tracing::error!(update_id = update.update_id, error = %e, "could not enqueue; Telegram will retry");
                Ok(respond(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"ok": false}),
                ))
            }
        },
    }
}

async fn enqueue<L: UpdateLog, Q: Queue, H>(
    state: &WebhookState<L, Q, H>,
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

async fn health<L, Q, H: HealthProbe>(state: &WebhookState<L, Q, H>) -> Response<Body> {
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

    #[test]
    fn routes_table() {
        let private = |text: &str| {
            format!(
                r#"{{"update_id":10,"message":{{"message_id":1,"date":1,"chat":{{"id":42,"type":"private","first_name":"A"}},"from":{{"id":42,"is_bot":false,"first_name":"A"}},"text":{}}}}}"#,
                serde_json::to_string(text).unwrap()
            )
        };
        assert_eq!(
            route(&parse(&private("/start")), None, None),
            Route::Answer(QuickReply::message(ChatId(42), texts::START))
        );
        assert_eq!(
            route(&parse(&private("/help@my_bot")), None, Some("my_bot")),
            Route::Answer(QuickReply::message(ChatId(42), texts::HELP))
        );
        match route(&parse(&private("/persona")), None, None) {
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
            None,
        ) {
            Route::SetPersona { user, choice, .. } => {
                assert_eq!(user, UserId(42));
                assert_eq!(choice.name.as_deref(), Some("Anna"));
            }
            other => panic!("{other:?}"),
        }
        match route(&parse(&private("/persona sibling")), None, None) {
            Route::SetPersona { choice, .. } => assert_eq!(choice.kind, PersonaKind::Sibling),
            other => panic!("{other:?}"),
        }
        match route(&parse(&private("hello")), None, None) {
            Route::Enqueue(InboundJob::Message(m)) => {
                assert_eq!(
                    (m.text.as_str(), m.command, m.update_id),
                    ("hello", None, UpdateId(10))
                );
            }
            other => panic!("{other:?}"),
        }
        match route(&parse(&private("/reset")), None, None) {
            Route::Enqueue(InboundJob::Message(m)) => assert_eq!(m.command, Some(Command::Reset)),
            other => panic!("{other:?}"),
        }
        let group = r#"{"update_id":11,"message":{"message_id":1,"date":1,"chat":{"id":-5,"type":"group","title":"G"},"from":{"id":42,"is_bot":false,"first_name":"A"},"text":"hi"}}"#;
        assert!(matches!(route(&parse(group), None, None), Route::Ignore(_)));
        let sticker = r#"{"update_id":12,"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private","first_name":"A"},"from":{"id":42,"is_bot":false,"first_name":"A"},"location":{"latitude":1.0,"longitude":2.0}}}"#;
        assert_eq!(
            route(&parse(sticker), None, None),
            Route::Answer(QuickReply::message(ChatId(42), texts::UNSUPPORTED_MESSAGE))
        );
        let edited = r#"{"update_id":13,"edited_message":{"message_id":1,"date":1,"edit_date":2,"chat":{"id":42,"type":"private","first_name":"A"},"from":{"id":42,"is_bot":false,"first_name":"A"},"text":"x"}}"#;
        assert_eq!(
            route(&parse(edited), None, None),
            Route::Ignore("unhandled update kind edited_message".into())
        );
    }

    #[test]
    fn chat_member_updates_only_for_the_channel() {
        let json = r#"{"update_id":20,"chat_member":{"chat":{"id":-1001,"type":"channel","title":"C","username":"news_chan"},"from":{"id":1,"is_bot":false,"first_name":"A"},"date":1,"old_chat_member":{"status":"member","user":{"id":7,"is_bot":false,"first_name":"U"}},"new_chat_member":{"status":"left","user":{"id":7,"is_bot":false,"first_name":"U"}}}}"#;
        let update = parse(json);
        let chan = ChannelRef::Username("news_chan".into());
        assert_eq!(
            route(&update, Some(&chan), None),
            Route::Enqueue(InboundJob::MemberUpdate(MemberUpdate {
                update_id: UpdateId(20),
                user_id: UserId(7),
                status: crate::domain::MemberStatus::Left,
            }))
        );
        assert!(matches!(
            route(&update, Some(&ChannelRef::Id(-99)), None),
            Route::Ignore(_)
        ));
        assert!(matches!(route(&update, None, None), Route::Ignore(_)));
    }
}
