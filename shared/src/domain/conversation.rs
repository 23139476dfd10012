//! Conversation turns and prompt assembly.

use serde::{Deserialize, Serialize};

use super::persona::Persona;
use super::style::StyleProfile;

/// Who said a stored turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The person writing to the bot.
    User,
    /// The bot, in the persona's voice.
    Assistant,
}

/// One message of a conversation, kept so the model can read it again next time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    /// Whose turn it was; the prompt replays it as a user or an assistant message.
    pub role: Role,
    /// What was said, as the model reads it (a voice note as its transcript).
    pub text: String,
}

/// A stored turn and its position, so older turns can be folded into a summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredTurn {
    /// What was said, and by whom.
    pub turn: Turn,
    /// Opaque position in the conversation.
    pub key: String,
}

/// What the model is given of a conversation: the running summary of what came before,
/// and the recent turns (newest first).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// Notes the bot folded older turns into; `None` until the conversation first gets long.
    pub summary: Option<String>,
    /// The recent turns not yet folded into the notes, newest first.
    pub turns: Vec<StoredTurn>,
    /// Older turns exist beyond `turns` that no summary covers yet.
    pub more: bool,
    /// When the newest item of the conversation was written (Unix ms), if the store knows:
    /// how long the conversation has been quiet.
    pub newest_at_ms: Option<i64>,
}

/// A conversation closed by /reset, for /history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosedConversation {
    /// Its first message's first line ([`title_from`]), so the user can tell them apart.
    pub title: String,
    /// When it began (Unix ms); `/history` shows the date.
    pub started_at_ms: i64,
    /// When `/reset` closed it (Unix ms).
    pub closed_at_ms: i64,
}

/// Longest title kept, in characters, so each `/history` line stays short.
pub const MAX_TITLE_CHARS: usize = 60;

/// A title from a conversation's first message: its first line, trimmed to a length that
/// fits a list.
pub fn title_from(first_message: &str) -> String {
    let line = first_message
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    if line.chars().count() <= MAX_TITLE_CHARS {
        return line.to_owned();
    }
    let cut: String = line.chars().take(MAX_TITLE_CHARS - 1).collect();
    // Prefer ending on a word.
    let cut = match cut.rfind(' ') {
        Some(i) if i > MAX_TITLE_CHARS / 2 => cut[..i].to_owned(),
        _ => cut,
    };
    format!("{}\u{2026}", cut.trim_end())
}

/// SQS caps a message at 256 KiB; an export leaves room for the envelope.
pub const MAX_EXPORT_BYTES: usize = 200 * 1024;

/// The current conversation as Markdown, oldest first. When it is too long, the oldest
/// turns are left out and the document says so.
pub fn export_markdown(bot_name: &str, date: &str, history: &History) -> String {
    let header = format!("# Conversation with {bot_name}\n\nExported {date} (UTC).\n\n");
    let mut body: Vec<String> = Vec::new();
    let mut size = header.len();
    let mut omitted = 0;
    for t in &history.turns {
        let who = match t.turn.role {
            Role::User => "**You**",
            Role::Assistant => "**Bot**",
        };
        let block = format!("{who}: {}\n\n", t.turn.text);
        if size + block.len() > MAX_EXPORT_BYTES {
            omitted += 1;
            continue;
        }
        size += block.len();
        body.push(block);
    }
    body.reverse();
    let mut out = header;
    if let Some(summary) = &history.summary {
        out.push_str(&format!(
            "> Earlier in this conversation (summary): {summary}\n\n"
        ));
    }
    if omitted > 0 {
        out.push_str(&format!(
            "_{omitted} older messages did not fit and are left out._\n\n"
        ));
    }
    out.extend(body);
    out
}

/// Who a prompt message speaks as, in the model's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptRole {
    /// The bot's instructions: persona, the user's style and the notes.
    System,
    /// The user's words.
    User,
    /// The bot's earlier replies.
    Assistant,
}

/// One message of the model's input, the same for Chat Completions and Responses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromptMessage {
    /// Whether the model reads it as its instructions, the user, or itself.
    pub role: PromptRole,
    /// The text; for a user message, what goes with any `images`.
    pub content: String,
    /// Pictures that go with a user message (vision models only): a photo, or an album.
    pub images: Vec<Image>,
}

/// Image bytes with their media type; sent to the model as data, never as a Telegram URL.
#[derive(Clone, PartialEq, Eq)]
pub struct Image {
    /// The media type the data URL is labelled with (`image/jpeg`, `image/png`, …).
    pub mime: String,
    /// The image as downloaded from Telegram.
    pub data: Vec<u8>,
}

impl std::fmt::Debug for Image {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Image({}, {} bytes)", self.mime, self.data.len())
    }
}

impl Image {
    /// The media type from the first bytes: Telegram re-encodes photos as JPEG, but a
    /// sticker or document image may be PNG or WebP.
    pub fn sniff(data: Vec<u8>) -> Self {
        let mime = if data.starts_with(&[0x89, b'P', b'N', b'G']) {
            "image/png"
        } else if data.starts_with(b"RIFF") && data.get(8..12) == Some(b"WEBP") {
            "image/webp"
        } else if data.starts_with(b"GIF8") {
            "image/gif"
        } else {
            "image/jpeg"
        };
        Self {
            mime: mime.to_owned(),
            data,
        }
    }
}

impl PromptMessage {
    /// A message with text only; a photo's images are added by the caller.
    pub fn new(role: PromptRole, content: impl Into<String>) -> Self {
        Self {
            images: Vec::new(),
            role,
            content: content.into(),
        }
    }
}

/// Builds the model input: one system message (persona, then the user's style), the
/// history oldest first, then the new user message.
///
/// `history` is newest first, as the store returns it, and is cut to `max_turns`.
#[allow(clippy::too_many_arguments)]
pub fn build_prompt(
    persona: &Persona,
    style: Option<&StyleProfile>,
    summary: Option<&str>,
    history_newest_first: &[Turn],
    max_turns: usize,
    user_name: &str,
    user_text: &str,
) -> Vec<PromptMessage> {
    let mut system = persona.prompt.clone();
    if !user_name.trim().is_empty() {
        system.push_str(&format!(
            "\n\nThe person you are talking with is called {}.",
            user_name.trim()
        ));
    }
    if let Some(style) = style.filter(|s| !s.description.trim().is_empty()) {
        system.push_str(
            "\n\nMirror how this person writes, so your replies feel like theirs. Their style: ",
        );
        system.push_str(style.description.trim());
    }

    if let Some(summary) = summary.filter(|s| !s.trim().is_empty()) {
        system.push_str("\n\nWhat happened earlier in this conversation, in your own notes: ");
        system.push_str(summary.trim());
    }

    let kept = &history_newest_first[..history_newest_first.len().min(max_turns)];
    let mut messages = Vec::with_capacity(kept.len() + 2);
    messages.push(PromptMessage::new(PromptRole::System, system));
    // A window that starts with an assistant turn reads as if the bot spoke first;
    // drop it so every exchange in the window is whole.
    let mut window: Vec<&Turn> = kept.iter().rev().collect();
    while window.first().is_some_and(|t| t.role == Role::Assistant) {
        window.remove(0);
    }
    for turn in window {
        let role = match turn.role {
            Role::User => PromptRole::User,
            Role::Assistant => PromptRole::Assistant,
        };
        messages.push(PromptMessage::new(role, turn.text.clone()));
    }
    messages.push(PromptMessage::new(PromptRole::User, user_text));
    messages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(role: Role, text: &str) -> Turn {
        Turn {
            role,
            text: text.into(),
        }
    }

    #[test]
    fn export_is_oldest_first_with_the_summary_and_stays_small() {
        let st = |role, text: &str| StoredTurn {
            turn: Turn {
                role,
                text: text.into(),
            },
            key: String::new(),
        };
        let history = History {
            summary: Some("we met".into()),
            turns: vec![st(Role::Assistant, "hi Ann"), st(Role::User, "hello")],
            more: false,
            newest_at_ms: None,
        };
        let md = export_markdown("Companion", "2026-11-22", &history);
        assert_eq!(
            md,
            "# Conversation with Companion\n\nExported 2026-11-22 (UTC).\n\n> Earlier in this conversation (summary): we met\n\n**You**: hello\n\n**Bot**: hi Ann\n\n"
        );
        let big = History {
            summary: None,
            turns: (0..300)
                .map(|_| st(Role::User, &"x".repeat(1000)))
                .collect(),
            more: false,
            newest_at_ms: None,
        };
        let md = export_markdown("C", "d", &big);
        assert!(md.len() <= MAX_EXPORT_BYTES + 100, "{}", md.len());
        assert!(md.contains("older messages did not fit"));
    }

    #[test]
    fn titles_table() {
        let cases = [
            ("hello", "hello"),
            ("\n  first line \nsecond", "first line"),
            (
                "I want to talk about my trip to Norway next summer and what to pack for it",
                "I want to talk about my trip to Norway next summer and\u{2026}",
            ),
            (&"x".repeat(100), &format!("{}\u{2026}", "x".repeat(59))),
        ];
        for (input, want) in cases {
            assert_eq!(title_from(input), want, "{input:?}");
        }
    }

    #[test]
    fn prompt_table() {
        let persona = Persona::default_companion();
        let style = StyleProfile {
            description: "short, lowercase, lots of 😂".into(),
            samples: 12,
        };
        // history newest first
        let history = vec![
            t(Role::Assistant, "a2"),
            t(Role::User, "u2"),
            t(Role::Assistant, "a1"),
            t(Role::User, "u1"),
        ];
        struct Case {
            max: usize,
            style: bool,
            want_roles: Vec<PromptRole>,
            want_texts: Vec<&'static str>,
        }
        use PromptRole::*;
        let cases = [
            Case {
                max: 4,
                style: true,
                want_roles: vec![System, User, Assistant, User, Assistant, User],
                want_texts: vec!["u1", "a1", "u2", "a2", "now"],
            },
            // Window of 3 starts with a1 (assistant): dropped.
            Case {
                max: 3,
                style: false,
                want_roles: vec![System, User, Assistant, User],
                want_texts: vec!["u2", "a2", "now"],
            },
            Case {
                max: 0,
                style: false,
                want_roles: vec![System, User],
                want_texts: vec!["now"],
            },
        ];
        for case in cases {
            let msgs = build_prompt(
                &persona,
                case.style.then_some(&style),
                None,
                &history,
                case.max,
                "Ann",
                "now",
            );
            let roles: Vec<_> = msgs.iter().map(|m| m.role).collect();
            assert_eq!(roles, case.want_roles, "max {}", case.max);
            let texts: Vec<_> = msgs[1..].iter().map(|m| m.content.as_str()).collect();
            assert_eq!(texts, case.want_texts);
            assert!(msgs[0].content.starts_with(&persona.prompt));
            assert!(msgs[0].content.contains("Ann"));
            // The model answers in the user's language, not the bot's interface language.
            assert!(
                msgs[0]
                    .content
                    .contains("answer in the language the person writes in"),
                "{}",
                msgs[0].content
            );
            assert_eq!(msgs[0].content.contains("lots of 😂"), case.style);
        }
    }
}
