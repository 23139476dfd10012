//! `Action: identity`: who the bot is, for the template (`BOT_USERNAME`).

use super::calls::call;
use super::physical::{self, IDENTITY};
use super::request::Kind;
use super::response::Outcome;
use crate::clock::Deadline;
use crate::ports::BotSetup;

/// The `Data` attributes.
pub const USERNAME: &str = "Username";
/// The bot's numeric id, as `getMe` gives it.
pub const ID: &str = "Id";
/// Changes with the token: set in every function's environment, it retires warm containers.
pub const TOKEN_FINGERPRINT: &str = "TokenFingerprint";

/// `fingerprint`: the token's ([`crate::adapters::secrets::token_fingerprint`]), when the
/// secret could be read.
pub async fn run<B: BotSetup>(
    bot: &B,
    kind: &Kind,
    fingerprint: Option<String>,
    deadline: Deadline,
) -> Outcome {
    let sent = match kind {
        // Nothing was made on Telegram, so there is nothing to undo.
        Kind::Delete { physical_id } => return Outcome::success(physical_id, "nothing to undo"),
        Kind::Create => None,
        Kind::Update { physical_id } => Some(physical_id),
    };
    let on_failure = sent.map_or_else(|| physical::unknown(IDENTITY), Clone::clone);
    let me = match call("getMe", deadline, || bot.get_me()).await {
        Ok(me) => me,
        Err(reason) => return Outcome::failed(on_failure, reason),
    };
    let Some(username) = me.username.filter(|u| !u.is_empty()) else {
        return Outcome::failed(on_failure, "getMe: the bot has no username");
    };
    let physical_id = match sent {
        Some(sent) => physical::kept_or_new(IDENTITY, sent, me.id),
        None => physical::for_bot(IDENTITY, me.id),
    };
    let Some(fingerprint) = fingerprint else {
        return Outcome::failed(physical_id, "the bot token's secret could not be read");
    };
    Outcome::success(physical_id, format!("the bot is @{username}"))
        .with(USERNAME, username)
        .with(ID, me.id.to_string())
        .with(TOKEN_FINGERPRINT, fingerprint)
}
