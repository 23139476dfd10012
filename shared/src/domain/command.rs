//! The slash commands the bot understands, and how a message's text names one.

use serde::{Deserialize, Serialize};

/// A bot command, parsed from the start of a message's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// `/start`: the greeting a new chat sees first.
    Start,
    /// `/help`: what the bot can do.
    Help,
    /// `/reset`: closes the current conversation (kept for `/history`) and starts a new one.
    Reset,
    /// `/new_style`: learns the user's style from their recent messages now.
    NewStyle,
    /// `/subscribe`: tells users whether they have access; answered by subscription-check.
    Subscribe,
    /// `/persona`: who the bot is for this chat, from a menu or `/persona custom Name: …`.
    Persona,
    /// `/usage`: the user's tokens and cost today, this month and in all.
    Usage,
    /// `/stats`: bot-wide users, conversations and cost; admins only.
    Stats,
    /// `/grant <user_id> <tokens>`: gives (or takes back) credits beyond the limits; admins only.
    Grant,
    /// `/style`: shows the style profile; `/style on|off` toggles imitation.
    Style,
    /// `/history`: lists the conversations closed by `/reset`.
    History,
    /// `/export`: sends the current conversation as a Markdown file.
    Export,
    /// `/cancel` or `/stop`: stops the reply being written.
    Cancel,
    /// `/settings`: the buttons for voice replies, transcripts and the model.
    Settings,
    /// `/voice on|off`: also answer with voice notes.
    Voice,
    /// `/forget`: asks to confirm, then deletes everything the bot keeps about the user.
    Forget,
    /// `/language` (or `/lang`): the language of the bot's own texts, from a menu or by
    /// code (`/language de`, `/language auto`).
    Language,
    /// A command we do not know; kept so the user can be told so.
    Unknown(String),
    /// `/rename <title>` names the current conversation; `/rename <n> <title>` the n-th
    /// line of `/history`.
    Rename,
    /// `/retry`: writes the last reply again, in its place.
    Retry,
    /// A button under `/history` was pressed (never typed: the webhook makes it from the
    /// press, its data in `args`).
    HistoryButton,
}

impl Command {
    /// Parses `/name`, `/name@bot_username` and `/name args`. Returns `None` for text that
    /// is not a command, and for commands addressed to a different bot (groups can hold
    /// several bots, and `/start@other_bot` is not ours).
    pub fn parse(text: &str, bot_username: Option<&str>) -> Option<(Self, String)> {
        let rest = text.strip_prefix('/')?;
        let (head, args) = match rest.find(char::is_whitespace) {
            Some(i) => (&rest[..i], rest[i..].trim()),
            None => (rest, ""),
        };
        let (name, addressee) = match head.split_once('@') {
            Some((name, bot)) => (name, Some(bot)),
            None => (head, None),
        };
        if name.is_empty() {
            return None;
        }
        if let (Some(to), Some(me)) = (addressee, bot_username)
            && !to.eq_ignore_ascii_case(me.trim_start_matches('@'))
        {
            return None;
        }
        let command = match name.to_ascii_lowercase().as_str() {
            "start" => Self::Start,
            "help" => Self::Help,
            "reset" => Self::Reset,
            "new_style" => Self::NewStyle,
            "subscribe" => Self::Subscribe,
            "persona" => Self::Persona,
            "usage" => Self::Usage,
            "stats" => Self::Stats,
            "grant" => Self::Grant,
            "style" => Self::Style,
            "history" => Self::History,
            "export" => Self::Export,
            "cancel" | "stop" => Self::Cancel,
            "settings" => Self::Settings,
            "voice" => Self::Voice,
            "forget" => Self::Forget,
            "rename" => Self::Rename,
            "retry" => Self::Retry,
            "language" | "lang" => Self::Language,
            other => Self::Unknown(other.to_owned()),
        };
        Some((command, args.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_table() {
        type Case<'a> = (&'a str, Option<&'a str>, Option<(Command, &'a str)>);
        let cases: &[Case<'_>] = &[
            ("/start", None, Some((Command::Start, ""))),
            ("/help  ", None, Some((Command::Help, ""))),
            (
                "/reset now please",
                None,
                Some((Command::Reset, "now please")),
            ),
            ("/new_style", None, Some((Command::NewStyle, ""))),
            ("/NEW_STYLE", None, Some((Command::NewStyle, ""))),
            ("/subscribe", None, Some((Command::Subscribe, ""))),
            ("/language de", None, Some((Command::Language, "de"))),
            ("/lang", None, Some((Command::Language, ""))),
            (
                "/persona custom Anna: x",
                None,
                Some((Command::Persona, "custom Anna: x")),
            ),
            ("/start@my_bot", Some("my_bot"), Some((Command::Start, ""))),
            (
                "/start@My_Bot x",
                Some("@my_bot"),
                Some((Command::Start, "x")),
            ),
            ("/start@other_bot", Some("my_bot"), None),
            ("/forget", None, Some((Command::Forget, ""))),
            (
                "/forget@my_bot",
                Some("my_bot"),
                Some((Command::Forget, "")),
            ),
            (
                "/test@foo_bot",
                None,
                Some((Command::Unknown("test".into()), "")),
            ),
            (
                "/weather\nlondon",
                None,
                Some((Command::Unknown("weather".into()), "london")),
            ),
            ("/rename 2 Trip", None, Some((Command::Rename, "2 Trip"))),
            ("/retry", None, Some((Command::Retry, ""))),
            ("/export all", None, Some((Command::Export, "all"))),
            (
                "/historybutton",
                None,
                Some((Command::Unknown("historybutton".into()), "")),
            ),
            ("hello /start", None, None),
            ("/", None, None),
            ("", None, None),
        ];
        for (text, bot, want) in cases {
            let got = Command::parse(text, *bot);
            let want = want.clone().map(|(c, a)| (c, a.to_owned()));
            assert_eq!(got, want, "parsing {text:?} with bot {bot:?}");
        }
    }
}
