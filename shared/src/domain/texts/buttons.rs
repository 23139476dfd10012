//! Words on buttons and in Telegram's command menus.

use super::super::l10n::tr;
use super::super::{Lang, PersonaKind};

/// (command, description) for private chats, in `lang`.
pub fn commands_private(lang: Lang) -> Vec<(&'static str, String)> {
    vec![
        ("start", tr(lang, "cmd-start", &[])),
        ("help", tr(lang, "cmd-help", &[])),
        ("persona", tr(lang, "cmd-persona", &[])),
        ("settings", tr(lang, "cmd-settings", &[])),
        ("voice", tr(lang, "cmd-voice", &[])),
        ("cancel", tr(lang, "cmd-cancel", &[])),
        ("new_style", tr(lang, "cmd-new-style", &[])),
        ("style", tr(lang, "cmd-style", &[])),
        ("reset", tr(lang, "cmd-reset", &[])),
        ("history", tr(lang, "cmd-history", &[])),
        ("export", tr(lang, "cmd-export", &[])),
        ("usage", tr(lang, "cmd-usage", &[])),
        ("subscribe", tr(lang, "cmd-subscribe", &[])),
        ("forget", tr(lang, "cmd-forget", &[])),
        ("rename", tr(lang, "cmd-rename", &[])),
        ("retry", tr(lang, "cmd-retry", &[])),
        ("language", tr(lang, "cmd-language", &[])),
    ]
}

/// Group chats only get the commands that make sense there.
pub fn commands_group(lang: Lang) -> Vec<(&'static str, String)> {
    vec![
        ("help", tr(lang, "cmd-help", &[])),
        ("persona", tr(lang, "cmd-group-persona", &[])),
        ("settings", tr(lang, "cmd-group-settings", &[])),
        ("cancel", tr(lang, "cmd-cancel", &[])),
        ("reset", tr(lang, "cmd-reset", &[])),
        ("language", tr(lang, "cmd-language", &[])),
    ]
}

/// The button under a refusal that opens the channel to join.
pub fn join_channel_button(lang: Lang) -> String {
    tr(lang, "join-channel-button", &[])
}

fn state_args(lang: Lang, on: bool) -> [super::super::l10n::Arg<'static>; 2] {
    [
        ("state", super::on_off(lang, on).into()),
        ("next", super::on_off(lang, !on).into()),
    ]
}

/// The settings menu's voice-replies button, showing the state and what a tap does.
pub fn voice_replies_button(lang: Lang, on: bool) -> String {
    tr(lang, "voice-replies-button", &state_args(lang, on))
}

/// The settings menu's transcripts button, showing the state and what a tap does.
pub fn transcripts_button(lang: Lang, on: bool) -> String {
    tr(lang, "transcripts-button", &state_args(lang, on))
}

/// A persona's button on the settings menu, ticked when it is the current one.
pub fn persona_button(lang: Lang, kind: PersonaKind, current: bool) -> String {
    if current {
        format!("👤 ✓ {}", persona_label(lang, kind))
    } else {
        format!("👤 {}", persona_label(lang, kind))
    }
}

/// A model's button on the settings menu, ticked when it is the one in use.
pub fn model_button(model: &str, current: bool) -> String {
    if current {
        format!("✓ {model}")
    } else {
        model.to_owned()
    }
}

/// A persona's name on its button.
pub fn persona_label(lang: Lang, kind: PersonaKind) -> String {
    match kind {
        PersonaKind::Parent => tr(lang, "persona-parent", &[]),
        PersonaKind::Spouse => tr(lang, "persona-spouse", &[]),
        PersonaKind::Child => tr(lang, "persona-child", &[]),
        PersonaKind::Sibling => tr(lang, "persona-sibling", &[]),
        PersonaKind::Friend => tr(lang, "persona-friend", &[]),
        PersonaKind::Colleague => tr(lang, "persona-colleague", &[]),
        PersonaKind::Other => tr(lang, "persona-other", &[]),
    }
}
