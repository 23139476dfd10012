//! Scripted failures, and the flood control and chat migrations the real server keeps
//! up once it has answered them.

use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::ResponseTemplate;

use super::State;
use super::answers::success;
use super::responder::{Answer, error_body};
use super::{TgCall, UploadedFile};
use crate::fixtures;

/// A scripted failure for the next call of a method.
#[derive(Clone, Debug)]
pub enum TgFault {
    /// 429 with `parameters.retry_after` (real body shape, our number of seconds). Until
    /// that many seconds have passed, the same method for the same chat is refused again
    /// with the seconds left, and the call is recorded as a flood violation.
    TooManyRequests { retry_after: u64 },
    /// 403 "bot was blocked by the user".
    Blocked,
    /// 400 "can't parse entities".
    CantParseEntities,
    /// 400 "chat not found".
    ChatNotFound,
    /// 400 "group chat was upgraded to a supergroup chat" with
    /// `parameters.migrate_to_chat_id`. From then on every call for the old chat but
    /// `getChat` gets the same answer, as the real server refuses a deactivated group.
    MigrateToChat(i64),
    /// nginx's HTML 502, as Telegram's front end sends it.
    BadGatewayHtml,
    /// No answer for this long (a client timeout); nothing is done.
    Hang(Duration),
    /// The call is carried out (a message is delivered) but its answer comes only after
    /// this long, after the client has given up: a send whose outcome it cannot know.
    SlowButDelivered(Duration),
    /// 401 "Unauthorized", as recorded: what every call gets with a revoked token.
    Unauthorized,
    /// An error with this status and description, in the real body shape (e.g. 400
    /// "Bad Request: bad webhook: HTTPS url must be provided for webhook").
    Refused { code: u16, description: String },
    /// Answer this call normally: lets a test fail a later call instead.
    Pass,
}

fn recorded_error(status: u16, file: &str) -> Answer {
    Answer(
        ResponseTemplate::new(status).set_body_raw(
            fixtures::text(&format!("telegram/responses/{file}")),
            "application/json",
        ),
        status,
    )
}

/// 429 as recorded, with our number of seconds.
pub(crate) fn too_many_requests(retry_after: u64) -> Answer {
    let mut body =
        fixtures::json("telegram/responses/15-error-429-too-many-requests-retry-after.json");
    body["description"] = json!(format!("Too Many Requests: retry after {retry_after}"));
    body["parameters"]["retry_after"] = json!(retry_after);
    Answer(ResponseTemplate::new(429).set_body_json(body), 429)
}

/// The real server's answer for an upgraded group (telegram-bot-api `Client.cpp`,
/// `check_chat_access`), keys in its order.
pub(crate) fn migrated(to: i64) -> Answer {
    let body = format!(
        r#"{{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{{"migrate_to_chat_id":{to}}}}}"#
    );
    Answer(
        ResponseTemplate::new(400).set_body_raw(body, "application/json"),
        400,
    )
}

/// The answer to a call under `fault`; `state` is changed as the real server would be.
pub(crate) fn fault_answer(
    state: &mut State,
    fault: &TgFault,
    call: &TgCall,
    files: &[UploadedFile],
) -> Answer {
    match fault {
        TgFault::TooManyRequests { retry_after } => {
            state
                .floods
                .insert(flood_key(call), (call.at, *retry_after));
            too_many_requests(*retry_after)
        }
        TgFault::Blocked => recorded_error(403, "18-error-403-bot-blocked-by-user.json"),
        TgFault::CantParseEntities => recorded_error(400, "16-error-400-cant-parse-entities.json"),
        TgFault::ChatNotFound => recorded_error(400, "19-error-400-chat-not-found.json"),
        TgFault::MigrateToChat(to) => {
            if let Some(chat) = call.chat_id() {
                state.migrated.insert(chat, *to);
            }
            migrated(*to)
        }
        TgFault::BadGatewayHtml => Answer(
            ResponseTemplate::new(502).set_body_raw(
                fixtures::text("telegram/responses/26-error-502-bad-gateway-nginx.html"),
                "text/html",
            ),
            502,
        ),
        // Status 0 in the call log: the client gave up before an answer came.
        TgFault::Hang(d) => Answer(
            ResponseTemplate::new(200)
                .set_delay(*d)
                .set_body_json(json!({"ok": true, "result": true})),
            0,
        ),
        TgFault::SlowButDelivered(d) => {
            let Answer(response, status) = success(state, &call.method, &call.params, files);
            Answer(response.set_delay(*d), status)
        }
        TgFault::Unauthorized => recorded_error(401, "21-error-401-unauthorized.json"),
        TgFault::Refused { code, description } => Answer(error_body(*code, description), *code),
        TgFault::Pass => success(state, &call.method, &call.params, files),
    }
}

/// Flood control is kept per method and chat.
pub(crate) type FloodKey = (String, Option<i64>);

pub(crate) fn flood_key(call: &TgCall) -> FloodKey {
    (call.method.to_ascii_lowercase(), call.chat_id())
}

/// Whole seconds of flood wait left at `now`, if any, counted from when the 429 was
/// answered.
pub(crate) fn flood_left(state: &State, key: &FloodKey, now: Instant) -> Option<u64> {
    let (since, retry_after) = state.floods.get(key)?;
    let wait = Duration::from_secs(*retry_after);
    let elapsed = now.saturating_duration_since(*since);
    let left = wait.checked_sub(elapsed).filter(|d| !d.is_zero())?;
    Some(left.as_millis().div_ceil(1000).max(1) as u64)
}
