//! The command menus Telegram shows (`setMyCommands`), in one place.

use super::Command;

/// (command, description) for private chats.
pub const PRIVATE: &[(&str, &str)] = super::texts::COMMANDS_PRIVATE;

/// Group chats only get the commands that make sense there.
pub const GROUP: &[(&str, &str)] = super::texts::COMMANDS_GROUP;

/// Where Telegram shows a menu (`BotCommandScope`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every private chat with the bot: [`PRIVATE`].
    AllPrivateChats,
    /// Every group the bot is in: [`GROUP`].
    AllGroupChats,
}

impl Scope {
    /// The scope's `type` in the Bot API.
    pub fn type_name(self) -> &'static str {
        match self {
            Self::AllPrivateChats => "all_private_chats",
            Self::AllGroupChats => "all_group_chats",
        }
    }
}

/// One `setMyCommands` call: a scope and the commands shown there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Menu {
    /// Which chats see these commands.
    pub scope: Scope,
    /// `(name, description)` pairs, in the order the menu lists them.
    pub commands: &'static [(&'static str, &'static str)],
}

/// Every menu the bot registers.
pub const MENUS: [Menu; 2] = [
    Menu {
        scope: Scope::AllPrivateChats,
        commands: PRIVATE,
    },
    Menu {
        scope: Scope::AllGroupChats,
        commands: GROUP,
    },
];

/// Each menu entry must be a command the bot understands.
pub fn all_known() -> bool {
    PRIVATE.iter().chain(GROUP).all(|(name, _)| {
        !matches!(
            Command::parse(&format!("/{name}"), None),
            None | Some((Command::Unknown(_), _))
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_menu_entry_is_a_real_command_within_telegram_limits() {
        assert!(all_known());
        for (name, description) in PRIVATE.iter().chain(GROUP) {
            // Bot API: 1-32 chars of a-z, 0-9, _; descriptions 1-256 chars.
            assert!(
                (1..=32).contains(&name.len())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{name}"
            );
            assert!((1..=256).contains(&description.chars().count()), "{name}");
        }
    }
}
