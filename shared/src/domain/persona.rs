//! Who the bot is. Every persona prompt lives here, in one readable place.

use serde::{Deserialize, Serialize};

/// The relationship a user picks for the bot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonaKind {
    /// Their parent: caring and protective, with advice only when asked.
    Parent,
    /// Their spouse: loving and intimate, noticing how they feel.
    Spouse,
    /// Their child: curious and energetic, full of questions.
    Child,
    /// Their brother or sister: casual and teasing, always on their side.
    Sibling,
    /// A close friend: supportive, fun and honest; who the bot is until the user picks.
    Friend,
    /// A colleague: work-focused and friendly, at a professional distance.
    Colleague,
    /// Shaped by the user's own description.
    Other,
}

impl PersonaKind {
    /// Every kind, in the order the `/persona` menu shows them.
    pub const ALL: [PersonaKind; 7] = [
        Self::Parent,
        Self::Spouse,
        Self::Child,
        Self::Sibling,
        Self::Friend,
        Self::Colleague,
        Self::Other,
    ];

    /// Stable key, used in callback data and storage.
    pub fn key(self) -> &'static str {
        match self {
            Self::Parent => "parent",
            Self::Spouse => "spouse",
            Self::Child => "child",
            Self::Sibling => "sibling",
            Self::Friend => "friend",
            Self::Colleague => "colleague",
            Self::Other => "other",
        }
    }

    /// Reads back a [`Self::key`], e.g. from a button; `None` for a key this bot never wrote.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Button label, in `lang`.
    pub fn label(self, lang: super::Lang) -> String {
        super::texts::persona_label(lang, self)
    }

    /// How this relationship talks. Kept short: it goes into every request.
    pub fn traits(self) -> &'static str {
        match self {
            Self::Parent => {
                "You are their parent: caring and protective, proud of them, interested in their \
                 everyday life. Give advice when they ask for it, gently, and never lecture."
            }
            Self::Spouse => {
                "You are their spouse: loving, understanding and intimate. You know them well, \
                 notice how they feel, and make them feel seen."
            }
            Self::Child => {
                "You are their child: curious and energetic, full of questions about the world \
                 and about them, quick to share what excites you."
            }
            Self::Sibling => {
                "You are their sibling: friendly and casual, you share experiences and inside \
                 jokes, tease a little, and always have their back."
            }
            Self::Friend => {
                "You are their close friend: supportive, fun and casual. You listen, joke, and \
                 are honest with them when it matters."
            }
            Self::Colleague => {
                "You are their colleague: professional, work-focused and respectful, helpful \
                 with work matters, friendly but keeping a professional distance."
            }
            Self::Other => "You are the person they describe below; stay in that role.",
        }
    }
}

/// What the user chose: a kind, and for `Other` (or `/persona custom`) their description
/// and optionally a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonaChoice {
    /// The relationship, which sets the prompt's traits.
    pub kind: PersonaKind,
    /// What the bot calls itself, when the user gave a name (`Anna: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The user's own words for who the bot is; quoted in the prompt as data, not as orders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Default for PersonaChoice {
    fn default() -> Self {
        Self {
            kind: PersonaKind::Friend,
            name: None,
            description: None,
        }
    }
}

/// Longest `/persona custom` description, in characters: it goes into every prompt.
pub const MAX_CUSTOM_CHARS: usize = 500;
const MAX_NAME_CHARS: usize = 32;

impl PersonaChoice {
    /// A kind from the menu, with no name or description of the user's.
    pub fn of(kind: PersonaKind) -> Self {
        Self {
            kind,
            name: None,
            description: None,
        }
    }

    /// Parses the text after `/persona custom`: `Name: description` or just a description.
    /// The error is what to tell the user, in `lang`.
    pub fn custom(args: &str, lang: super::Lang) -> Result<Self, String> {
        let args = args.trim();
        if args.is_empty() {
            return Err(super::texts::persona_custom_hint(lang));
        }
        if args.chars().count() > MAX_CUSTOM_CHARS {
            return Err(super::texts::persona_too_long(lang, MAX_CUSTOM_CHARS));
        }
        let (name, description) = match args.split_once(':') {
            Some((name, rest))
                if !name.trim().is_empty()
                    && name.trim().chars().count() <= MAX_NAME_CHARS
                    && !rest.trim().is_empty() =>
            {
                (Some(name.trim().to_owned()), rest.trim().to_owned())
            }
            _ => (None, args.to_owned()),
        };
        Ok(Self {
            kind: PersonaKind::Other,
            name,
            description: Some(description),
        })
    }

    /// Short human description, for confirmations and /settings.
    pub fn summary(&self, lang: super::Lang) -> String {
        match (&self.name, &self.description) {
            (Some(name), Some(d)) => format!("{name} ({d})"),
            (None, Some(d)) => d.clone(),
            _ => super::texts::persona_noun(lang, self.kind),
        }
    }
}

/// The persona as the model sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Persona {
    /// The persona's name, or its kind's key when the user gave none.
    pub name: String,
    /// The system prompt: the base rules, the kind's traits, then the user's description.
    pub prompt: String,
}

const BASE: &str = "You are chatting with someone on Telegram as a real person in their life, not as an \
assistant. Text the way people text: natural, warm, brief unless they ask for detail, curious \
about their life. Remember what they told you earlier in this conversation. Never say you are \
an AI or a language model unless they sincerely ask.";

/// Every persona answers in the user's language, whatever the bot's own texts are in: the
/// person may write in a language their Telegram app is not set to, or switch mid-chat.
pub const ANSWER_IN_THEIR_LANGUAGE: &str = "Always answer in the language the person writes in; if they switch languages, switch with them.";

impl Persona {
    /// The persona for a user who has not chosen one: a friend.
    pub fn default_companion() -> Self {
        Self::from_choice(&PersonaChoice::default())
    }

    /// Builds the prompt for what the user chose.
    pub fn from_choice(choice: &PersonaChoice) -> Self {
        let mut prompt = format!(
            "{BASE} {ANSWER_IN_THEIR_LANGUAGE}\n\n{}",
            choice.kind.traits()
        );
        if let Some(name) = &choice.name {
            prompt.push_str(&format!(" Your name is {name}."));
        }
        if let Some(description) = &choice.description {
            // The user's words are data, not instructions to follow literally.
            prompt.push_str(&format!(
                "\n\nWho you are, in the user's words: \"{}\"",
                description.replace('"', "'")
            ));
        }
        Self {
            name: choice
                .name
                .clone()
                .unwrap_or_else(|| choice.kind.key().to_owned()),
            prompt,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_distinct_prompt_and_round_trips_its_key() {
        let mut prompts = std::collections::HashSet::new();
        for kind in PersonaKind::ALL {
            assert_eq!(PersonaKind::from_key(kind.key()), Some(kind));
            let p = Persona::from_choice(&PersonaChoice::of(kind));
            assert!(p.prompt.contains(kind.traits()));
            assert!(p.prompt.contains(ANSWER_IN_THEIR_LANGUAGE), "{kind:?}");
            assert!(prompts.insert(p.prompt), "{kind:?} repeats another prompt");
        }
        assert_eq!(PersonaKind::from_key("boss"), None);
    }

    #[test]
    fn custom_table() {
        type Case<'a> = (&'a str, Result<(Option<&'a str>, &'a str), &'a str>);
        let cases: &[Case<'_>] = &[
            (
                "Anna: my older sister",
                Ok((Some("Anna"), "my older sister")),
            ),
            (
                "a grumpy pirate who loves tea",
                Ok((None, "a grumpy pirate who loves tea")),
            ),
            (
                "note: this has: colons",
                Ok((Some("note"), "this has: colons")),
            ),
            (": no name", Ok((None, ": no name"))),
            ("   ", Err("Tell me who")),
        ];
        for (input, want) in cases {
            match (PersonaChoice::custom(input, super::super::Lang::En), want) {
                (Ok(c), Ok((name, desc))) => {
                    assert_eq!(c.kind, PersonaKind::Other);
                    assert_eq!(c.name.as_deref(), *name, "{input}");
                    assert_eq!(c.description.as_deref(), Some(*desc), "{input}");
                }
                (Err(e), Err(needle)) => assert!(e.contains(needle), "{input}: {e}"),
                (got, want) => panic!("{input}: got {got:?}, want {want:?}"),
            }
        }
        assert!(
            PersonaChoice::custom(&"x".repeat(MAX_CUSTOM_CHARS + 1), super::super::Lang::En)
                .is_err()
        );
    }

    #[test]
    fn custom_persona_prompt_carries_name_and_quoted_description() {
        let p = Persona::from_choice(
            &PersonaChoice::custom("Anna: my \"older\" sister", super::super::Lang::En).unwrap(),
        );
        assert_eq!(p.name, "Anna");
        assert!(p.prompt.contains("Your name is Anna."));
        assert!(p.prompt.contains("\"my 'older' sister\""));
    }
}
