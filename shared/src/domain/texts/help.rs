//! `/help`: every command the asker may use, in private or in a group, and for admins.

use super::super::Lang;
use super::super::l10n::tr;

/// Who asks for `/help`: what they may use differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Asker {
    /// In a group, where the persona and settings are the admins' to change and the style
    /// commands do not apply.
    pub group: bool,
    /// On `ADMIN_USER_IDS`: `/stats` and `/grant` too.
    pub admin: bool,
}

impl Asker {
    /// Someone in a private chat, not an admin.
    pub const USER: Self = Self {
        group: false,
        admin: false,
    };
    /// Someone in a group, not an admin of the bot.
    pub const GROUP_MEMBER: Self = Self {
        group: true,
        admin: false,
    };
}

/// The answer to `/help`: what the bot does, then one line per command `asker` may use.
pub fn help(lang: Lang, asker: Asker) -> String {
    let mut lines = vec![if asker.group {
        tr(lang, "help-intro-group", &[])
    } else {
        tr(lang, "help-intro-private", &[])
    }];
    lines.push(String::new());
    if asker.group {
        lines.extend([
            tr(lang, "help-group-reset", &[]),
            tr(lang, "help-group-rename", &[]),
            tr(lang, "help-retry", &[]),
            tr(lang, "help-group-persona", &[]),
            tr(lang, "help-group-persona-custom", &[]),
            tr(lang, "help-group-settings", &[]),
            tr(lang, "help-group-voice", &[]),
            tr(lang, "help-history", &[]),
            tr(lang, "help-export", &[]),
            tr(lang, "help-export-all", &[]),
            tr(lang, "help-usage", &[]),
        ]);
    } else {
        lines.extend([
            tr(lang, "help-reset", &[]),
            tr(lang, "help-rename", &[]),
            tr(lang, "help-retry", &[]),
            tr(lang, "help-new-style", &[]),
            tr(lang, "help-style", &[]),
            tr(lang, "help-persona", &[]),
            tr(lang, "help-persona-custom", &[]),
            tr(lang, "help-usage", &[]),
            tr(lang, "help-history", &[]),
            tr(lang, "help-export", &[]),
            tr(lang, "help-export-all", &[]),
            tr(lang, "help-settings", &[]),
            tr(lang, "help-voice", &[]),
            tr(lang, "help-forget", &[]),
        ]);
    }
    lines.extend([
        tr(lang, "help-language", &[]),
        tr(lang, "help-cancel", &[]),
        tr(lang, "help-subscribe", &[]),
    ]);
    if asker.admin {
        lines.extend([tr(lang, "help-stats", &[]), tr(lang, "help-grant", &[])]);
    }
    lines.push(tr(lang, "help-help", &[]));
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commands(text: &str) -> Vec<&str> {
        text.lines()
            .filter_map(|l| l.strip_prefix('/'))
            .map(|l| l.split([' ', '@']).next().unwrap_or_default())
            .collect()
    }

    #[test]
    fn each_asker_sees_the_commands_they_may_use() {
        let private = help(
            Lang::En,
            Asker {
                group: false,
                admin: false,
            },
        );
        assert_eq!(
            commands(&private),
            [
                "reset",
                "rename",
                "retry",
                "new_style",
                "style",
                "persona",
                "persona",
                "usage",
                "history",
                "export",
                "export",
                "settings",
                "voice",
                "forget",
                "language",
                "cancel",
                "subscribe",
                "help"
            ]
        );
        // Every command in the private menu is explained, in every language.
        for lang in Lang::ALL {
            let said = help(lang, Asker::USER);
            for (command, _) in super::super::commands_private(lang) {
                assert!(
                    command == "start" || commands(&said).contains(&command),
                    "{}: /{command} missing from /help",
                    lang.code()
                );
            }
            let group = help(lang, Asker::GROUP_MEMBER);
            for (command, _) in super::super::commands_group(lang) {
                assert!(
                    commands(&group).contains(&command),
                    "{}: /{command} missing from a group's /help",
                    lang.code()
                );
            }
        }
        assert!(private.starts_with("Write anything, send a voice note or a photo"));
        assert!(private.contains("/persona custom Name: description"));
        assert!(private.contains("/cancel or /stop"));
        assert!(!private.contains("/stats"));
        let group = help(
            Lang::En,
            Asker {
                group: true,
                admin: false,
            },
        );
        assert!(
            !group.contains("/new_style") && !group.contains("/stats"),
            "{group}"
        );
        assert!(group.contains("(admins)"), "{group}");
        let admin = help(
            Lang::En,
            Asker {
                group: false,
                admin: true,
            },
        );
        assert!(admin.contains("/stats") && admin.contains("/grant <user_id> <tokens>"));
        let group_admin = help(
            Lang::En,
            Asker {
                group: true,
                admin: true,
            },
        );
        assert!(group_admin.contains("/stats"));
        // Translated, with the commands themselves as they are.
        let de = help(
            Lang::De,
            Asker {
                group: false,
                admin: false,
            },
        );
        assert_eq!(commands(&de), commands(&private));
        assert!(de.starts_with("Schreib mir"), "{de}");
    }
}
