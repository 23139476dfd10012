//! Conversations as a user sees them in `/history`: the current one and the filed ones,
//! each of which can be opened again, renamed, exported or deleted.

use super::{Turn, UpdateId};

/// A filed conversation, named by the moment it was filed: when, and by which update
/// (a `/reset`, an idle timeout, or opening another one). Stable while it stays filed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FiledId {
    /// When it was filed (Unix ms).
    pub filed_at_ms: i64,
    /// The update that filed it.
    pub update: UpdateId,
}

impl FiledId {
    /// `<ms>.<update>`: short enough for a button's data.
    pub fn encode(self) -> String {
        format!("{}.{}", self.filed_at_ms, self.update.0)
    }

    /// Reads [`Self::encode`]'s form back; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let (ms, update) = text.split_once('.')?;
        Some(Self {
            filed_at_ms: ms.parse().ok().filter(|ms: &i64| *ms >= 0)?,
            update: UpdateId(update.parse().ok()?),
        })
    }
}

/// Which conversation of a chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Which {
    /// The one going on.
    Current,
    /// One filed earlier.
    Filed(FiledId),
}

impl Which {
    /// `c`, or a filed one's id.
    pub fn encode(self) -> String {
        match self {
            Self::Current => "c".to_owned(),
            Self::Filed(id) => id.encode(),
        }
    }

    /// Reads [`Self::encode`]'s form back.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "c" => Some(Self::Current),
            other => FiledId::parse(other).map(Self::Filed),
        }
    }
}

/// One line of `/history`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// Which conversation it is.
    pub which: Which,
    /// Its first message's first line, or the name given with `/rename`.
    pub title: String,
    /// When it began (Unix ms).
    pub started_at_ms: i64,
}

/// One part of a conversation as exported, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Something said.
    Turn(Turn),
    /// The notes the bot folded the turns before this point into.
    Notes(String),
}

/// A conversation whole, for `/export`: every turn still stored (those folded into notes
/// too), and the notes where they were written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transcript {
    /// Its title, when it has one.
    pub title: Option<String>,
    /// When it began (Unix ms), when known.
    pub started_at_ms: Option<i64>,
    /// Oldest first.
    pub entries: Vec<Entry>,
    /// Older turns were left out: the export's limit was reached.
    pub cut: bool,
}

impl Transcript {
    /// Whether anything was said in it.
    pub fn is_empty(&self) -> bool {
        !self.entries.iter().any(|e| matches!(e, Entry::Turn(_)))
    }
}

/// What a `/rename` names: `/rename <title>` the current conversation, `/rename <n>
/// <title>` the n-th line of `/history`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameRequest {
    /// The `/history` line, from 1; `None` for the current conversation.
    pub position: Option<usize>,
    /// The new title, cut to the longest kept.
    pub title: String,
    /// The whole text as a title: what is meant when there is no line `position` (a
    /// title that starts with a number, such as "2024 plans").
    pub whole: String,
}

impl RenameRequest {
    /// `None` when no title is given.
    pub fn parse(args: &str) -> Option<Self> {
        let args = args.trim();
        let (position, title) = match args.split_once(char::is_whitespace) {
            Some((head, rest)) if !rest.trim().is_empty() => match head.parse::<usize>() {
                Ok(n) if n >= 1 => (Some(n), rest.trim()),
                _ => (None, args),
            },
            _ => (None, args),
        };
        let title = super::conversation::title_from(title);
        let whole = super::conversation::title_from(args);
        (!title.is_empty()).then_some(Self {
            position,
            title,
            whole,
        })
    }
}

/// `transcript` as a Markdown file of at most `MAX_EXPORT_BYTES` (so it fits the outbox
/// message it travels in): the newest part when it is larger, with a line saying so.
/// Returns the file and whether anything was left out.
pub fn transcript_markdown(
    words: &super::texts::ExportWords,
    transcript: &Transcript,
) -> (String, bool) {
    let header = format!("{}\n\n{}\n\n", words.heading, words.dated);
    let cut_line = format!("_{}_\n\n", words.cut);
    let budget = super::conversation::MAX_EXPORT_BYTES - header.len() - cut_line.len();
    let mut blocks: Vec<String> = Vec::new();
    let mut size = 0;
    let mut cut = transcript.cut;
    for entry in transcript.entries.iter().rev() {
        let block = match entry {
            Entry::Turn(t) => {
                let who = match t.role {
                    super::Role::User => &words.you,
                    super::Role::Assistant => &words.bot,
                };
                format!("**{who}**: {}\n\n", t.text)
            }
            Entry::Notes(text) => format!("> _{}_: {text}\n\n", words.notes),
        };
        if size + block.len() > budget {
            cut = true;
            break;
        }
        size += block.len();
        blocks.push(block);
    }
    let mut out = header;
    if cut {
        out.push_str(&cut_line);
    }
    out.extend(blocks.into_iter().rev());
    (out, cut)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Lang, Role};

    #[test]
    fn a_transcript_keeps_its_notes_in_place_and_its_newest_part_when_too_big() {
        let words = crate::domain::texts::export_words(Lang::En, "Whales", "d1", "d2");
        let turn = |role, text: &str| {
            Entry::Turn(Turn {
                role,
                text: text.into(),
            })
        };
        let t = Transcript {
            title: Some("Whales".into()),
            started_at_ms: None,
            entries: vec![
                turn(Role::User, "hello"),
                turn(Role::Assistant, "hi"),
                Entry::Notes("they said hello".into()),
                turn(Role::User, "whales?"),
            ],
            cut: false,
        };
        let (md, cut) = transcript_markdown(&words, &t);
        assert!(!cut);
        assert_eq!(
            md,
            "# Whales\n\nStarted d1, exported d2 (UTC).\n\n**You**: hello\n\n**Bot**: hi\n\n> _My notes on the conversation so far_: they said hello\n\n**You**: whales?\n\n"
        );
        let big = Transcript {
            entries: (0..400)
                .map(|i| turn(Role::User, &format!("{i} {}", "x".repeat(1000))))
                .collect(),
            ..t
        };
        let (md, cut) = transcript_markdown(&words, &big);
        assert!(cut);
        assert!(
            md.len() <= crate::domain::conversation::MAX_EXPORT_BYTES,
            "{}",
            md.len()
        );
        assert!(md.contains("older messages did not fit"));
        assert!(md.contains("399 x"), "the newest turn is kept");
        assert!(!md.contains("\n\n**You**: 0 x"), "the oldest is not");
    }

    #[test]
    fn ids_read_back_and_garbage_does_not() {
        let id = FiledId {
            filed_at_ms: 1_700_000_000_000,
            update: UpdateId(u64::MAX),
        };
        assert_eq!(FiledId::parse(&id.encode()), Some(id));
        for which in [Which::Current, Which::Filed(id)] {
            assert_eq!(Which::parse(&which.encode()), Some(which));
        }
        for bad in ["", "c.1", "1", "-1.2", "1.x", "x"] {
            assert_eq!(Which::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn rename_names_the_current_one_or_a_line() {
        let r = |p: Option<usize>, t: &str, whole: &str| {
            Some(RenameRequest {
                position: p,
                title: t.into(),
                whole: whole.into(),
            })
        };
        let trip = "Trip to Norway";
        assert_eq!(RenameRequest::parse(trip), r(None, trip, trip));
        assert_eq!(
            RenameRequest::parse("2 Trip to Norway"),
            r(Some(2), trip, "2 Trip to Norway")
        );
        assert_eq!(RenameRequest::parse("2024"), r(None, "2024", "2024"));
        assert_eq!(
            RenameRequest::parse("0 plans"),
            r(None, "0 plans", "0 plans")
        );
        assert_eq!(RenameRequest::parse("  "), None);
    }
}
