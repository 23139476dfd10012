//! The command menus Telegram shows (`setMyCommands`), in one place.

use super::{Command, Lang, texts};

/// Where Telegram shows a menu (`BotCommandScope`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every private chat with the bot: [`texts::commands_private`].
    AllPrivateChats,
    /// Every group the bot is in: [`texts::commands_group`].
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

/// One `setMyCommands` call: a scope, a language and the commands shown there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Menu {
    /// Which chats see these commands.
    pub scope: Scope,
    /// Whose Telegram app is set to this language (`language_code`); `None` for everyone
    /// else, who get English.
    pub lang: Option<Lang>,
    /// `(name, description)` pairs, in the order the menu lists them.
    pub commands: Vec<(&'static str, String)>,
}

impl Menu {
    fn new(scope: Scope, lang: Option<Lang>) -> Self {
        let words = lang.unwrap_or_default();
        let commands = match scope {
            Scope::AllPrivateChats => texts::commands_private(words),
            Scope::AllGroupChats => texts::commands_group(words),
        };
        Self {
            scope,
            lang,
            commands,
        }
    }
}

/// Every menu the bot registers: per scope, the default (English) one, then one for each
/// other language, which Telegram shows to users whose app is set to it.
pub fn menus() -> Vec<Menu> {
    let langs =
        std::iter::once(None).chain(Lang::ALL.into_iter().filter(|l| *l != Lang::En).map(Some));
    langs
        .flat_map(|lang| {
            [Scope::AllPrivateChats, Scope::AllGroupChats].map(|scope| Menu::new(scope, lang))
        })
        .collect()
}

/// Each menu entry must be a command the bot understands.
pub fn all_known() -> bool {
    menus().iter().flat_map(|m| &m.commands).all(|(name, _)| {
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
        let menus = menus();
        assert_eq!(menus.len(), 2 * Lang::ALL.len());
        for (name, description) in menus.iter().flat_map(|m| &m.commands) {
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
