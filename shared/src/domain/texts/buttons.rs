//! Words on buttons and in Telegram's command menus.

/// (command, description) for private chats.
pub const COMMANDS_PRIVATE: &[(&str, &str)] = &[
    ("start", "Say hello"),
    ("help", "What I can do"),
    ("persona", "Choose who I am for you"),
    ("settings", "Voice replies, transcripts, model"),
    ("voice", "Voice replies: /voice on or off"),
    ("cancel", "Stop the reply I'm writing"),
    ("new_style", "Learn how you write"),
    ("style", "Show or toggle style imitation"),
    ("reset", "Start a new conversation"),
    ("history", "Your last conversations"),
    ("export", "This conversation as a file"),
    ("usage", "What you have used"),
    ("subscribe", "Check your access"),
    ("rename", "Rename a conversation"),
    ("retry", "Write my last reply again"),
];

/// Group chats only get the commands that make sense there.
pub const COMMANDS_GROUP: &[(&str, &str)] = &[
    ("help", "What I can do"),
    ("persona", "Choose who I am in this group (admins)"),
    ("settings", "Voice replies, transcripts, model (admins)"),
    ("cancel", "Stop the reply I'm writing"),
    ("reset", "Start a new conversation"),
];

/// The button under a refusal that opens the channel to join.
pub const JOIN_CHANNEL_BUTTON: &str = "Join the channel";

/// The settings menu's voice-replies button, showing the state and what a tap does.
pub fn voice_replies_button(on: bool) -> String {
    format!("🎙 Voice replies: {} (tap for {})", on_off(on), on_off(!on))
}

/// The settings menu's transcripts button, showing the state and what a tap does.
pub fn transcripts_button(on: bool) -> String {
    format!(
        "📝 Show transcripts: {} (tap for {})",
        on_off(on),
        on_off(!on)
    )
}

/// A persona's button on the settings menu, ticked when it is the current one.
pub fn persona_button(kind: crate::domain::PersonaKind, current: bool) -> String {
    if current {
        format!("👤 ✓ {}", kind.label())
    } else {
        format!("👤 {}", kind.label())
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

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

/// A persona's name on its button.
pub fn persona_label(kind: crate::domain::PersonaKind) -> &'static str {
    use crate::domain::PersonaKind;
    match kind {
        PersonaKind::Parent => "Parent",
        PersonaKind::Spouse => "Spouse",
        PersonaKind::Child => "Child",
        PersonaKind::Sibling => "Sibling",
        PersonaKind::Friend => "Friend",
        PersonaKind::Colleague => "Colleague",
        PersonaKind::Other => "Other (describe it)",
    }
}
