//! The interface languages: what the bot's own texts are written in for a user.

use serde::{Deserialize, Serialize};

/// A language the bot's texts are translated into. English is the fallback for any
/// other language, and for a text a translation lacks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Russian.
    Ru,
    /// Ukrainian.
    Uk,
    /// Spanish.
    Es,
    /// Portuguese.
    Pt,
    /// German.
    De,
    /// French.
    Fr,
    /// Turkish.
    Tr,
}

impl Lang {
    /// Every language, English first: the order of the `/language` menu.
    pub const ALL: [Lang; 8] = [
        Lang::En,
        Lang::Ru,
        Lang::Uk,
        Lang::Es,
        Lang::Pt,
        Lang::De,
        Lang::Fr,
        Lang::Tr,
    ];

    /// The ISO 639-1 code: the folder under `shared/locales/`, and what Telegram's
    /// `language_code` and `setMyCommands` use.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Uk => "uk",
            Lang::Es => "es",
            Lang::Pt => "pt",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Tr => "tr",
        }
    }

    /// The language of an IETF tag such as Telegram's `language_code` (`pt-br`, `de`,
    /// `en-US`), when the bot has it; `None` for any other.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// The language to write in: the user's own choice (`/language`), else their
    /// Telegram app's, else English.
    pub fn resolve(chosen: Option<Lang>, language_code: Option<&str>) -> Lang {
        chosen
            .or_else(|| language_code.and_then(Lang::from_tag))
            .unwrap_or_default()
    }

    /// English, which a queue message written before languages existed was in.
    pub fn is_default(&self) -> bool {
        *self == Lang::En
    }

    /// The language's name in itself ("Deutsch"), as the `/language` menu shows it.
    pub fn native_name(self) -> String {
        super::l10n::tr(self, "language-name", &[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_their_language_and_others_fall_back_to_english() {
        assert_eq!(Lang::from_tag("pt-br"), Some(Lang::Pt));
        assert_eq!(Lang::from_tag("en-US"), Some(Lang::En));
        assert_eq!(Lang::from_tag("UK"), Some(Lang::Uk));
        assert_eq!(Lang::from_tag("it"), None);
        assert_eq!(Lang::from_tag(""), None);
        assert_eq!(Lang::resolve(None, Some("it")), Lang::En);
        assert_eq!(Lang::resolve(None, Some("de-AT")), Lang::De);
        assert_eq!(Lang::resolve(Some(Lang::Fr), Some("de")), Lang::Fr);
        assert_eq!(Lang::resolve(None, None), Lang::En);
    }

    #[test]
    fn every_language_names_itself() {
        assert_eq!(Lang::Ru.native_name(), "Русский");
        assert_eq!(Lang::En.native_name(), "English");
        let names: std::collections::HashSet<String> =
            Lang::ALL.iter().map(|l| l.native_name()).collect();
        assert_eq!(names.len(), Lang::ALL.len());
    }
}
