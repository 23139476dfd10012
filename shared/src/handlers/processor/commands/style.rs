//! /style and /new_style: the user's style profile.

use super::arguments;
use crate::domain::{IncomingMessage, OutgoingMessage, texts};
use crate::error::Result;
use crate::handlers::style_refresh::refresh_user;
use crate::ports::UserStore;

/// How long after /new_style forwarded messages count as style samples.
const SAMPLE_WINDOW_MS: i64 = 10 * 60_000;

pub(super) async fn new_style<S: UserStore>(
    store: &S,
    message: &IncomingMessage,
    now_ms: i64,
) -> Result<OutgoingMessage> {
    let user = message.from.id;
    let text = match refresh_user(store, user, now_ms).await? {
        Some(profile) => {
            store
                .open_sample_window(user, now_ms + SAMPLE_WINDOW_MS)
                .await?;
            texts::new_style_done(message.lang(), profile.samples, SAMPLE_WINDOW_MS / 60_000)
        }
        None => texts::new_style_too_few(message.lang()),
    };
    Ok(OutgoingMessage::reply_to(message, "style", text))
}

pub(super) async fn style<S: UserStore>(
    store: &S,
    message: &IncomingMessage,
) -> Result<OutgoingMessage> {
    let user = message.from.id;
    let on = match arguments(message).to_ascii_lowercase().as_str() {
        "" => None,
        "on" => Some(true),
        "off" => Some(false),
        _ => {
            return Ok(OutgoingMessage::reply_to(
                message,
                "style",
                texts::style_usage(message.lang()),
            ));
        }
    };
    // Read first either way: the report needs it, and a switch already in place costs
    // no write and is answered as such.
    let profile = store.profile(user.into()).await?;
    let text = match on {
        None => texts::style_report(message.lang(), &profile),
        Some(on) if profile.style_enabled == on => texts::style_already(message.lang(), on),
        Some(true) => {
            store.set_style_enabled(user, true).await?;
            texts::style_on(message.lang())
        }
        Some(false) => {
            store.set_style_enabled(user, false).await?;
            texts::style_off(message.lang())
        }
    };
    Ok(OutgoingMessage::reply_to(message, "style", text))
}
