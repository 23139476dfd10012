//! Keeping a long conversation inside the model's context budget.
//!
//! Tokens are estimated from characters by script, with no tokenizer tables to ship, and
//! the estimate is calibrated against the `usage.prompt_tokens` the API reports.

use super::conversation::{PromptMessage, PromptRole, Role, Turn};

/// Longest notes, in tokens, a summary call may write (and what the prompt keeps room for).
pub const NOTES_MAX_TOKENS: u32 = 400;

/// Notes longer than this are merged into one shorter set, so the summary stays inside
/// the room the prompt keeps for it.
pub const NOTES_BUDGET: u32 = SUMMARY_RESERVE;

fn transcript(turns_oldest_first: &[Turn]) -> String {
    let mut transcript = String::new();
    for t in turns_oldest_first {
        let who = match t.role {
            Role::User => "User",
            Role::Assistant => "You",
        };
        transcript.push_str(&format!("{who}: {}\n", t.text));
    }
    transcript
}

/// The request for notes on the turns being folded, and on those only: the earlier notes
/// are kept as they are ([`combine_notes`]), so no later fold can lose them. They come
/// along so the new notes do not repeat them.
pub fn notes_prompt(earlier: Option<&str>, turns_oldest_first: &[Turn]) -> Vec<PromptMessage> {
    let mut input = String::new();
    if let Some(earlier) = earlier.filter(|e| !e.trim().is_empty()) {
        input.push_str(&format!(
            "Your notes so far (for context only): {earlier}\n\n"
        ));
    }
    input.push_str("The next part of the conversation:\n");
    input.push_str(&transcript(turns_oldest_first));
    vec![
        PromptMessage::new(
            PromptRole::System,
            "Write notes for your own memory on the next part of this conversation only: what \
             you learned about the user, what was discussed and decided, anything you promised, \
             and the mood. At most 100 words, in the conversation's language. Do not repeat \
             what your notes so far already say.",
        ),
        PromptMessage::new(PromptRole::User, input),
    ]
}

/// Earlier notes, then the new ones: nothing is dropped by a fold.
pub fn combine_notes(earlier: Option<&str>, new: &str) -> String {
    match earlier.map(str::trim).filter(|e| !e.is_empty()) {
        Some(earlier) => format!("{earlier}\n{}", new.trim()),
        None => new.trim().to_owned(),
    }
}

/// The request that merges notes grown past [`NOTES_BUDGET`] into one shorter set: notes
/// only, so the model has nothing else to attend to.
pub fn merge_prompt(notes: &str) -> Vec<PromptMessage> {
    vec![
        PromptMessage::new(
            PromptRole::System,
            "Merge these notes into one set of notes of at most 200 words, in their language. \
             Keep every fact about the user, every decision, promise and name; drop only \
             repetition.",
        ),
        PromptMessage::new(PromptRole::User, notes),
    ]
}

/// Moves a fold's boundary so it never falls inside an exchange. `turns` are newest first
/// and the newest `keep` stay; if the oldest one kept is an answer, its question would be
/// folded without it, so the answer goes too.
pub fn keep_whole_exchanges(roles_newest_first: &[Role], keep: usize) -> usize {
    let mut keep = keep.min(roles_newest_first.len());
    while keep > 0 && roles_newest_first[keep - 1] == Role::Assistant {
        keep -= 1;
    }
    keep
}

/// Estimated tokens of one text. OpenAI's tokenizers average about four characters per
/// token in English; other scripts and emoji cost more per character.
pub fn estimate_text(text: &str) -> u32 {
    let mut quarter_tokens: u64 = 0;
    for c in text.chars() {
        quarter_tokens += match c as u32 {
            _ if c.is_ascii_alphanumeric() || c == ' ' => 1,
            0x00..=0x7F => 2,     // punctuation, often its own token
            0x0370..=0x04FF => 2, // Greek, Cyrillic
            0x3040..=0x30FF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF => 4, // CJK, kana, Hangul
            0x1F000..=0x1FAFF | 0x2600..=0x27BF => 6, // emoji
            _ => 2,
        };
    }
    quarter_tokens.div_ceil(4) as u32
}

/// Each chat message costs a few tokens of framing, and the reply is primed with a few more.
pub fn estimate_messages(messages: &[PromptMessage]) -> u32 {
    messages
        .iter()
        .map(|m| estimate_text(&m.content) + 4)
        .sum::<u32>()
        + 3
}

/// Ratio of real to estimated prompt tokens, learned from responses (moving average).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Calibration {
    ratio: f64,
}

impl Default for Calibration {
    fn default() -> Self {
        Self { ratio: 1.0 }
    }
}

impl Calibration {
    /// Learns from one response: the prompt tokens the server counted against our estimate.
    pub fn observe(&mut self, estimated: u32, actual: u32) {
        if estimated == 0 || actual == 0 {
            return;
        }
        // Clamped, so one odd response (a cached prompt, a proxy that rewrites) cannot
        // swing the estimate far.
        let sample = (f64::from(actual) / f64::from(estimated)).clamp(0.5, 2.0);
        self.ratio = 0.8 * self.ratio + 0.2 * sample;
    }

    /// An estimate corrected by what the server has been counting, for the context budget.
    pub fn apply(&self, estimated: u32) -> u32 {
        (f64::from(estimated) * self.ratio).ceil() as u32
    }

    /// Real tokens per estimated token so far; 1.0 until a response says otherwise.
    pub fn ratio(&self) -> f64 {
        self.ratio
    }
}

/// Room kept for the running summary when deciding how much history fits.
pub const SUMMARY_RESERVE: u32 = 400;

/// Decides whether to fold older turns into the summary, and how many of the newest turns
/// to keep. `fixed` is everything but the history (system prompt, summary, new message);
/// `turns` are the history's token counts, newest first; `more` says older turns exist
/// beyond the loaded window. `None`: nothing to fold.
pub fn plan_fold(fixed: u32, turns: &[u32], budget: u32, more: bool) -> Option<usize> {
    let total: u32 = fixed + turns.iter().sum::<u32>();
    if total <= budget && !more {
        return None;
    }
    // Keep the newest turns that fit beside a summary, and at most half the window, so
    // the next fold is a while away.
    let mut keep = 0;
    let mut used = fixed + SUMMARY_RESERVE;
    for t in turns.iter().take(turns.len() / 2) {
        if used + t > budget {
            break;
        }
        used += t;
        keep += 1;
    }
    (keep < turns.len()).then_some(keep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_table() {
        let cases = [
            ("", 0),
            ("hello world", 3),   // 11 chars
            ("Hello, world!", 4), // letters + 2 punctuation
            ("привет", 3),
            ("你好世界", 4),
            ("😂😂", 3),
        ];
        for (text, want) in cases {
            assert_eq!(estimate_text(text), want, "{text:?}");
        }
        let msgs = [PromptMessage::new(PromptRole::User, "hello world")];
        assert_eq!(estimate_messages(&msgs), 3 + 4 + 3);
    }

    #[test]
    fn calibration_moves_toward_reality_within_bounds() {
        let mut c = Calibration::default();
        for _ in 0..30 {
            c.observe(100, 130);
        }
        assert!((c.ratio() - 1.3).abs() < 0.01, "{}", c.ratio());
        assert_eq!(c.apply(100), 130);
        c.observe(100, 10_000); // clamped to 2.0
        assert!(c.ratio() < 1.45);
        c.observe(0, 50); // ignored
        assert!(c.ratio() < 1.45);
    }

    #[test]
    fn folds_keep_exchanges_whole() {
        use Role::{Assistant as A, User as U};
        let roles = [A, U, A, U, A, U];
        assert_eq!(
            keep_whole_exchanges(&roles, 3),
            2,
            "A2 goes with its question"
        );
        assert_eq!(keep_whole_exchanges(&roles, 2), 2);
        assert_eq!(
            keep_whole_exchanges(&roles, 1),
            0,
            "an answer alone is not kept"
        );
        assert_eq!(keep_whole_exchanges(&roles, 0), 0);
        assert_eq!(keep_whole_exchanges(&roles, 9), 6);
        // A question still waiting for its answer stays with the newest turns.
        assert_eq!(keep_whole_exchanges(&[U, A, U], 1), 1);
    }

    #[test]
    fn notes_only_ever_grow_until_merged() {
        let turns = [
            Turn {
                role: Role::User,
                text: "I have a cat called Miso".into(),
            },
            Turn {
                role: Role::Assistant,
                text: "Miso is a lovely name".into(),
            },
        ];
        let request = notes_prompt(Some("Lives in Lisbon."), &turns);
        assert!(request[1].content.contains("Lives in Lisbon."));
        assert!(
            request[1]
                .content
                .contains("User: I have a cat called Miso")
        );
        assert_eq!(
            combine_notes(Some("Lives in Lisbon."), " Has a cat, Miso. "),
            "Lives in Lisbon.\nHas a cat, Miso."
        );
        assert_eq!(combine_notes(None, "Has a cat."), "Has a cat.");
        assert!(merge_prompt("a\nb")[1].content.contains("a\nb"));
    }

    #[test]
    fn fold_plan_table() {
        let ten = [100u32; 10];
        type Case<'a> = (u32, &'a [u32], u32, bool, Option<usize>);
        let cases: &[Case<'_>] = &[
            (500, &ten, 2000, false, None),           // 1500 fits
            (500, &ten, 1400, false, Some(5)),        // over: keep half at most
            (500, &ten, 1200, false, Some(3)),        // 500+400+3*100 = 1200
            (500, &ten, 5000, true, Some(5)),         // window full: fold half
            (500, &[], 400, false, None), // nothing to fold (message alone too big is not ours)
            (500, &[900, 100], 1000, false, Some(0)), // one huge turn: fold everything
        ];
        for (fixed, turns, budget, more, want) in cases {
            assert_eq!(
                plan_fold(*fixed, turns, *budget, *more),
                *want,
                "{fixed} {turns:?} {budget} {more}"
            );
        }
    }
}
