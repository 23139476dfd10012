//! Texts for the rough edges: refusals that fit the user's standing, group-only rules,
//! private answers in groups, and answers that say when nothing changed.

use crate::domain::l10n::tr;
use crate::domain::{AccessDecision, Lang};

/// Why a message is refused: banned from the channel, not in it, or not on the list.
pub fn refusal(lang: Lang, decision: &AccessDecision, channel: bool) -> String {
    if decision.banned() {
        tr(lang, "edges-refused-banned", &[])
    } else if channel {
        super::refused_channel(lang)
    } else {
        super::refused_private(lang)
    }
}

/// `/reset` when the current conversation has no turns: nothing was filed.
pub fn reset_nothing(lang: Lang) -> String {
    tr(lang, "edges-reset-nothing", &[])
}

/// `/reset` in a group by someone who is not one of its admins.
pub fn group_reset_admins_only(lang: Lang) -> String {
    tr(lang, "edges-group-reset-admins-only", &[])
}

/// `/grant` for an id the bot has never heard from: nothing was written.
pub fn grant_unknown_user(lang: Lang, user: i64) -> String {
    tr(
        lang,
        "edges-grant-unknown-user",
        &[("user", user.to_string().into())],
    )
}

/// In a group, after a private answer (`/usage`, `/stats`, `/grant`) went to the user.
pub fn sent_privately(lang: Lang) -> String {
    tr(lang, "edges-sent-privately", &[])
}

/// In a group, when Telegram will not let the bot write to the user privately.
pub fn open_private_chat(lang: Lang) -> String {
    tr(lang, "edges-open-private-chat", &[])
}

/// `/style on|off` when imitation already was so: nothing changed.
pub fn style_already(lang: Lang, on: bool) -> String {
    if on {
        tr(lang, "edges-style-already-on", &[])
    } else {
        tr(lang, "edges-style-already-off", &[])
    }
}

/// `/voice on|off` when voice replies already were so: nothing changed.
pub fn voice_already(lang: Lang, on: bool) -> String {
    if on {
        tr(lang, "edges-voice-already-on", &[])
    } else {
        tr(lang, "edges-voice-already-off", &[])
    }
}
