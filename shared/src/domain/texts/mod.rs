//! Everything the bot says that is not written by the model, in the user's language.
//!
//! The words are in `shared/locales/<code>/*.ftl`; each function here names one text and
//! its arguments, so call sites stay readable and typed.

mod buttons;
mod conversations;
mod edges;
mod limits;
mod privacy;

pub use buttons::*;
pub use conversations::*;
pub use edges::*;
pub use limits::*;
pub use privacy::*;

use super::l10n::tr;
use super::{AccessDecision, Lang, MemberStatus};

/// The answer to `/start`: a greeting, and where to find the rest.
pub fn start(lang: Lang) -> String {
    tr(lang, "start", &[])
}

/// After `/reset`: the old conversation is closed and stays in `/history`.
pub fn reset_done(lang: Lang) -> String {
    tr(lang, "reset-done", &[])
}

/// The first line of the answer to `/new_style`, before what the profile was built from.
pub fn new_style_done_heading(lang: Lang) -> String {
    tr(lang, "new-style-done-heading", &[])
}

/// For a message the bot cannot read: no text, sound or photo (a sticker, a location, …).
pub fn unsupported_message(lang: Lang) -> String {
    tr(lang, "unsupported-message", &[])
}

/// When a message is too big to queue at all, so the user splits it rather than waits.
pub fn message_too_big(lang: Lang) -> String {
    tr(lang, "message-too-big", &[])
}

/// A refusal when a channel membership is required and the user is not a member.
pub fn refused_channel(lang: Lang) -> String {
    tr(lang, "refused-channel", &[])
}

/// A refusal when only the allow-list may use the bot.
pub fn refused_private(lang: Lang) -> String {
    tr(lang, "refused-private", &[])
}

/// For a command this bot does not have, naming it so a typo is easy to spot.
pub fn unknown_command(lang: Lang, name: &str) -> String {
    tr(lang, "unknown-command", &[("name", name.into())])
}

/// The answer to `/subscribe`: whether the user has access, and on what grounds.
pub fn subscription_status(lang: Lang, decision: &AccessDecision) -> String {
    match decision {
        AccessDecision::AllowListed => tr(lang, "access-allow-listed", &[]),
        AccessDecision::Open => tr(lang, "access-open", &[]),
        AccessDecision::Member(status) => {
            let status = match status {
                MemberStatus::Creator => "creator",
                MemberStatus::Administrator => "administrator",
                MemberStatus::Restricted { .. } => "restricted",
                _ => "member",
            };
            tr(lang, "access-member", &[("status", status.into())])
        }
        AccessDecision::AsGroup => tr(lang, "access-as-group", &[]),
        AccessDecision::AsChannel => tr(lang, "access-as-channel", &[]),
        AccessDecision::Refused {
            status: Some(MemberStatus::Kicked),
        } => tr(lang, "access-banned", &[]),
        AccessDecision::Refused { status: Some(_) } => tr(lang, "access-not-member", &[]),
        AccessDecision::Refused { status: None } => tr(lang, "access-refused", &[]),
    }
}

/// Heads the `/persona` menu, and says how to describe someone of one's own.
pub fn persona_menu(lang: Lang) -> String {
    tr(lang, "persona-menu", &[])
}

/// When "Other" is pressed in the persona menu: other personas need a description.
pub fn persona_other_hint(lang: Lang) -> String {
    tr(lang, "persona-other-hint", &[])
}

/// Confirms a persona choice in the words the user will recognise.
pub fn persona_set(lang: Lang, choice: &super::PersonaChoice) -> String {
    tr(lang, "persona-set", &[("who", choice.summary(lang).into())])
}

/// What `/persona custom` needs, with an example.
pub fn persona_custom_hint(lang: Lang) -> String {
    tr(lang, "persona-custom-hint", &[])
}

/// A custom persona over `max` characters.
pub fn persona_too_long(lang: Lang, max: usize) -> String {
    tr(lang, "persona-too-long", &[("max", max.into())])
}

/// How a persona confirmation names a kind picked from the menu ("your friend").
pub fn persona_noun(lang: Lang, kind: super::PersonaKind) -> String {
    use super::PersonaKind;
    match kind {
        PersonaKind::Parent => tr(lang, "persona-noun-parent", &[]),
        PersonaKind::Spouse => tr(lang, "persona-noun-spouse", &[]),
        PersonaKind::Child => tr(lang, "persona-noun-child", &[]),
        PersonaKind::Sibling => tr(lang, "persona-noun-sibling", &[]),
        PersonaKind::Friend => tr(lang, "persona-noun-friend", &[]),
        PersonaKind::Colleague => tr(lang, "persona-noun-colleague", &[]),
        PersonaKind::Other => tr(lang, "persona-noun-other", &[]),
    }
}

/// Said after /new_style: the sample count, and how to add samples from elsewhere.
pub fn new_style_done(lang: Lang, samples: u32, window_minutes: i64) -> String {
    let args = [
        ("samples", samples.into()),
        ("minutes", window_minutes.into()),
    ];
    tr(lang, "new-style-done", &args)
}

/// When a forwarded message is added to the style samples during the sample window.
pub fn sample_added(lang: Lang, samples: u32) -> String {
    tr(lang, "sample-added", &[("samples", samples.into())])
}

/// The answer to a bare `/style`: the profile, and whether imitation is on.
pub fn style_report(lang: Lang, profile: &super::UserProfile) -> String {
    let Some(style) = &profile.style else {
        return tr(lang, "style-none", &[]);
    };
    let args = [
        ("samples", style.samples.into()),
        ("description", style.description.as_str().into()),
    ];
    if profile.style_enabled {
        tr(lang, "style-report-on", &args)
    } else {
        tr(lang, "style-report-off", &args)
    }
}

/// After `/style on`.
pub fn style_on(lang: Lang) -> String {
    tr(lang, "style-on", &[])
}

/// After `/style off`: the profile is kept, only imitation stops.
pub fn style_off(lang: Lang) -> String {
    tr(lang, "style-off", &[])
}

/// After `/style` with an argument other than `on` or `off`.
pub fn style_usage(lang: Lang) -> String {
    tr(lang, "style-usage", &[])
}

/// After `/new_style` when the user has too few messages to learn from.
pub fn new_style_too_few(lang: Lang) -> String {
    tr(lang, "new-style-too-few", &[])
}

/// When older turns were folded into notes, so the user knows the bot still remembers.
pub fn memory_folded(lang: Lang) -> String {
    tr(lang, "memory-folded", &[])
}

/// Ends a reply the user stopped: what was written stands.
pub fn stopped(lang: Lang) -> String {
    tr(lang, "stopped", &[])
}

/// When the user stopped the reply before any of it was written.
pub fn stopped_empty(lang: Lang) -> String {
    tr(lang, "stopped-empty", &[])
}

/// Answers `/cancel`. The webhook cannot tell whether a reply is being written (nothing is
/// stored per reply for it to look at); a reply it stops ends with [`stopped`].
pub fn cancelling(lang: Lang) -> String {
    tr(lang, "cancelling", &[])
}

/// Quotes a voice message's transcript back, for users with transcripts shown.
pub fn transcript(lang: Lang, text: &str) -> String {
    tr(lang, "transcript", &[("text", text.trim().into())])
}

/// After `/voice on` or its button.
pub fn voice_on(lang: Lang) -> String {
    tr(lang, "voice-on", &[])
}

/// After `/voice off` or its button.
pub fn voice_off(lang: Lang) -> String {
    tr(lang, "voice-off", &[])
}

/// After `/voice` without `on` or `off`.
pub fn voice_usage(lang: Lang) -> String {
    tr(lang, "voice-usage", &[])
}

/// Heads the `/settings` keyboard, whose buttons show each setting's current state.
pub fn settings_menu(lang: Lang) -> String {
    tr(lang, "settings-menu", &[])
}

/// When someone other than a group's admins tries to change its persona or settings.
pub fn group_admins_only(lang: Lang) -> String {
    tr(lang, "group-admins-only", &[])
}

/// When a model button names a model that is no longer allowed.
pub fn model_not_allowed(lang: Lang) -> String {
    tr(lang, "model-not-allowed", &[])
}

/// "on" or "off", as settings show their state.
pub fn on_off(lang: Lang, on: bool) -> String {
    if on {
        tr(lang, "setting-on", &[])
    } else {
        tr(lang, "setting-off", &[])
    }
}

/// Confirms a `/settings` change; a model of `None` is shown as the default's name.
pub fn setting_changed(
    lang: Lang,
    change: &super::SettingChange,
    default_model: Option<&super::ModelName>,
) -> String {
    match change {
        super::SettingChange::VoiceReplies(on) => tr(
            lang,
            "setting-voice-replies",
            &[("state", on_off(lang, *on).into())],
        ),
        super::SettingChange::ShowTranscript(on) => tr(
            lang,
            "setting-transcripts",
            &[("state", on_off(lang, *on).into())],
        ),
        super::SettingChange::Language(chosen) => language_set(lang, *chosen),
        super::SettingChange::Model(m) => {
            let name = m.as_ref().or(default_model).map_or_else(
                || tr(lang, "setting-model-default", &[]),
                |m| m.as_str().to_owned(),
            );
            tr(lang, "setting-model", &[("model", name.into())])
        }
    }
}

mod failures;
mod help;
mod language;
mod reports;

pub use failures::*;
pub use help::*;
pub use language::*;
pub use reports::*;
