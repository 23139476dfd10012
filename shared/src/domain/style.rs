//! A compact description of how a user writes, built from their recent messages.
//!
//! It is computed, not generated: cheap, deterministic, and it needs no model call, so the
//! scheduled refresh over every user costs only DynamoDB reads.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// How many of the user's messages a profile is built from.
pub const SAMPLE_SIZE: usize = 100;
/// The profile goes into every system prompt, so it must stay small.
pub const MAX_DESCRIPTION_CHARS: usize = 800;

/// How a user writes, told to the model so its replies sound like them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StyleProfile {
    /// Measured traits (length, tone, habits, examples), at most [`MAX_DESCRIPTION_CHARS`].
    pub description: String,
    /// How many messages it was built from: `/style` reports it, forwarded samples add to it.
    pub samples: u32,
}

/// Builds a profile from messages (any order). Commands are ignored. `None` when there is
/// nothing to learn from.
pub fn build_profile(messages: &[String]) -> Option<StyleProfile> {
    let msgs: Vec<&str> = messages
        .iter()
        .map(|m| m.trim())
        .filter(|m| !m.is_empty() && !m.starts_with('/'))
        .take(SAMPLE_SIZE)
        .collect();
    if msgs.is_empty() {
        return None;
    }
    let traits = Traits::of(&msgs);
    let description = with_examples(&traits.habits(), &msgs);
    Some(StyleProfile {
        description: truncate_chars(&description, MAX_DESCRIPTION_CHARS),
        samples: msgs.len() as u32,
    })
}

/// What the messages show, as shares of messages (0 to 1) and the words used most.
struct Traits {
    avg_words: f64,
    lowercase_start: f64,
    ends_period: f64,
    exclaims: f64,
    questions: f64,
    ellipsis: f64,
    with_emoji: f64,
    shouting: f64,
    top_emoji: Vec<(char, usize)>,
    scripts: Vec<&'static str>,
    slang: Vec<String>,
    greetings: Vec<String>,
    sign_offs: Vec<String>,
}

impl Traits {
    fn of(msgs: &[&str]) -> Self {
        let n = msgs.len() as f64;
        let words: usize = msgs.iter().map(|m| m.split_whitespace().count()).sum();
        let share =
            |pred: &dyn Fn(&str) -> bool| msgs.iter().filter(|m| pred(m)).count() as f64 / n;
        let firsts: Vec<&str> = msgs
            .iter()
            .filter_map(|m| m.split_whitespace().next())
            .collect();
        let lasts: Vec<&str> = msgs
            .iter()
            .filter_map(|m| m.split_whitespace().last())
            .collect();
        Self {
            avg_words: words as f64 / n,
            lowercase_start: share(&|m| m.chars().next().is_some_and(char::is_lowercase)),
            ends_period: share(&|m| m.ends_with('.') && !m.ends_with("...")),
            exclaims: share(&|m| m.contains('!')),
            questions: share(&|m| m.contains('?')),
            ellipsis: share(&|m| m.contains("...") || m.contains('\u{2026}')),
            with_emoji: share(&|m| m.chars().any(is_emoji)),
            shouting: share(&|m| {
                let letters: Vec<char> = m.chars().filter(|c| c.is_alphabetic()).collect();
                letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase())
            }),
            top_emoji: top_emoji(msgs),
            scripts: scripts_used(msgs),
            slang: top_words(msgs, |w| SLANG.contains(&w), 4),
            greetings: top_words(&firsts, |w| GREETINGS.contains(&w), 2),
            sign_offs: top_words(&lasts, |w| SIGN_OFFS.contains(&w), 2),
        }
    }

    fn tone(&self) -> &'static str {
        if self.exclaims > 0.3 || self.with_emoji > 0.4 {
            "upbeat and expressive"
        } else if self.ends_period > 0.6 && self.lowercase_start < 0.2 {
            "composed and proper"
        } else {
            "relaxed"
        }
    }

    /// The profile's phrases, tone first.
    fn habits(&self) -> Vec<String> {
        let tone = self.tone();
        let article = if tone.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        let mut parts: Vec<String> = vec![format!("{article} {tone} tone")];
        parts.push(match self.avg_words {
            w if w < 4.0 => format!("very short messages (about {w:.0} words)"),
            w if w < 12.0 => format!("short messages (about {w:.0} words)"),
            w if w < 30.0 => format!("medium-length messages (about {w:.0} words)"),
            w => format!("long messages (about {w:.0} words)"),
        });
        self.punctuation(&mut parts);
        self.words(&mut parts);
        parts
    }

    fn punctuation(&self, parts: &mut Vec<String>) {
        if self.lowercase_start > 0.6 {
            parts.push("usually starts in lowercase".into());
        }
        if self.ends_period < 0.2 {
            parts.push("rarely ends with a full stop".into());
        } else if self.ends_period > 0.6 {
            parts.push("ends sentences with a full stop".into());
        }
        if self.exclaims > 0.3 {
            parts.push("uses exclamation marks often".into());
        }
        if self.questions > 0.4 {
            parts.push("asks a lot of questions".into());
        }
        if self.ellipsis > 0.2 {
            parts.push("likes ellipses".into());
        }
        if self.shouting > 0.2 {
            parts.push("sometimes writes in CAPS".into());
        }
        if self.with_emoji > 0.4 {
            parts.push(format!(
                "uses emoji a lot ({})",
                emoji_list(&self.top_emoji)
            ));
        } else if self.with_emoji > 0.1 {
            parts.push(format!(
                "uses emoji now and then ({})",
                emoji_list(&self.top_emoji)
            ));
        } else {
            parts.push("hardly uses emoji".into());
        }
    }

    fn words(&self, parts: &mut Vec<String>) {
        if !self.slang.is_empty() {
            parts.push(format!("uses slang like {}", self.slang.join(", ")));
        }
        if !self.greetings.is_empty() {
            parts.push(format!(
                "greets with \u{201c}{}\u{201d}",
                self.greetings.join("\u{201d}/\u{201c}")
            ));
        }
        if !self.sign_offs.is_empty() {
            parts.push(format!(
                "signs off with \u{201c}{}\u{201d}",
                self.sign_offs.join("\u{201d}/\u{201c}")
            ));
        }
        if !self.scripts.is_empty() {
            parts.push(format!("writes in {}", self.scripts.join(" and ")));
        }
    }
}

/// Emoji by how often they appear, most used first (ties in code-point order).
fn top_emoji(msgs: &[&str]) -> Vec<(char, usize)> {
    let mut counts: HashMap<char, usize> = HashMap::new();
    for c in msgs.iter().flat_map(|m| m.chars()).filter(|c| is_emoji(*c)) {
        *counts.entry(c).or_default() += 1;
    }
    let mut top: Vec<(char, usize)> = counts.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top
}

/// The phrases as one sentence, then up to three short messages as examples.
fn with_examples(parts: &[String], msgs: &[&str]) -> String {
    let examples: Vec<&str> = msgs
        .iter()
        .copied()
        .filter(|m| m.chars().count() <= 60)
        .take(3)
        .collect();
    let mut description = format!("{}.", capitalise(&parts.join("; ")));
    if !examples.is_empty() {
        let quoted: Vec<String> = examples
            .iter()
            .map(|e| format!("\u{201c}{e}\u{201d}"))
            .collect();
        description.push_str(&format!(" Typical messages: {}.", quoted.join(", ")));
    }
    description
}

/// Informal words worth copying when someone uses them (English and Russian chat staples).
const SLANG: &[&str] = &[
    "lol",
    "lmao",
    "omg",
    "idk",
    "tbh",
    "btw",
    "imo",
    "ikr",
    "u",
    "ur",
    "pls",
    "plz",
    "thx",
    "ty",
    "gonna",
    "wanna",
    "gotta",
    "kinda",
    "sorta",
    "ya",
    "yep",
    "nope",
    "nah",
    "yeah",
    "yup",
    "dude",
    "bro",
    "lit",
    "af",
    "rn",
    "jk",
    "smh",
    "ngl",
    "haha",
    "hahaha",
    "хах",
    "ахах",
    "лол",
    "щас",
    "норм",
    "спс",
    "пжлст",
    "ок",
    "кек",
];
const GREETINGS: &[&str] = &[
    "hi",
    "hey",
    "hello",
    "yo",
    "hiya",
    "heya",
    "morning",
    "sup",
    "привет",
    "хай",
    "здравствуй",
    "здравствуйте",
    "прив",
    "hallo",
    "hola",
    "ciao",
    "salut",
];
const SIGN_OFFS: &[&str] = &[
    "bye",
    "cya",
    "later",
    "night",
    "gn",
    "xoxo",
    "xx",
    "cheers",
    "thanks",
    "пока",
    "целую",
    "спасибо",
    "ciao",
];

/// The most frequent words matching `keep`, lowercased and stripped of punctuation.
fn top_words(texts: &[&str], keep: impl Fn(&str) -> bool, n: usize) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for word in texts.iter().flat_map(|t| t.split_whitespace()) {
        let w: String = word
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        if !w.is_empty() && keep(&w) {
            *counts.entry(w).or_default() += 1;
        }
    }
    let mut top: Vec<(String, usize)> = counts.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.into_iter().take(n).map(|(w, _)| w).collect()
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x1F000..=0x1F2FF)
}

fn emoji_list(top: &[(char, usize)]) -> String {
    top.iter()
        .take(3)
        .map(|(c, _)| c.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn scripts_used(msgs: &[&str]) -> Vec<&'static str> {
    let mut latin = 0usize;
    let mut cyrillic = 0usize;
    let mut other = 0usize;
    for c in msgs
        .iter()
        .flat_map(|m| m.chars())
        .filter(|c| c.is_alphabetic())
    {
        match c as u32 {
            0x0041..=0x024F => latin += 1,
            0x0400..=0x04FF => cyrillic += 1,
            _ => other += 1,
        }
    }
    let total = (latin + cyrillic + other).max(1) as f64;
    let mut out = Vec::new();
    if latin as f64 / total > 0.15 {
        out.push("Latin script");
    }
    if cyrillic as f64 / total > 0.15 {
        out.push("Cyrillic script");
    }
    if other as f64 / total > 0.15 {
        out.push("a non-Latin script");
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('\u{2026}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(msgs: &[&str]) -> Vec<String> {
        msgs.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn profile_table() {
        let cases: &[(&[&str], &[&str], &[&str])] = &[
            (
                &["hey lol ok 😂", "see u tmrw 😂", "omg yes 😂🔥", "nah"],
                &[
                    "upbeat and expressive tone",
                    "very short",
                    "slang like lol",
                    "greets with \u{201c}hey\u{201d}",
                    "lowercase",
                    "emoji a lot (😂",
                    "rarely ends with a full stop",
                ],
                &["CAPS"],
            ),
            (
                &[
                    "Good morning. I hope you slept well and are ready for the meeting today.",
                    "Please send me the report when you can. Thanks.",
                    "I agree with your proposal, let us discuss the details tomorrow.",
                ],
                &[
                    "composed and proper tone",
                    "short messages",
                    "signs off with \u{201c}thanks\u{201d}",
                    "full stop",
                    "hardly uses emoji",
                    "Latin script",
                ],
                &["lowercase"],
            ),
            (
                &["привет! как дела?", "всё хорошо!", "/reset", "а у тебя?"],
                &[
                    "Cyrillic script",
                    "greets with \u{201c}привет\u{201d}",
                    "exclamation",
                    "questions",
                    "greets with \u{201c}привет\u{201d}",
                ],
                &["/reset"],
            ),
        ];
        for (msgs, must, must_not) in cases {
            let p = build_profile(&v(msgs)).expect("profile");
            for m in *must {
                assert!(p.description.contains(m), "{:?} lacks {m:?}", p.description);
            }
            for m in *must_not {
                assert!(!p.description.contains(m), "{:?} has {m:?}", p.description);
            }
        }
    }

    #[test]
    fn commands_only_or_empty_gives_none() {
        assert_eq!(build_profile(&v(&["/start", "  ", "/help"])), None);
        assert_eq!(build_profile(&[]), None);
    }

    #[test]
    fn stays_compact_and_counts_samples() {
        let long = "word ".repeat(400);
        let msgs: Vec<String> = (0..250).map(|i| format!("{long}{i}")).collect();
        let p = build_profile(&msgs).unwrap();
        assert!(p.description.chars().count() <= MAX_DESCRIPTION_CHARS);
        assert_eq!(p.samples, SAMPLE_SIZE as u32);
    }
}
