//! Keeping a long conversation inside the model's context budget.
//!
//! Tokens are estimated from characters by script, with no tokenizer tables to ship, and
//! the estimate is calibrated against the `usage.prompt_tokens` the API reports.

use super::conversation::{PromptMessage, PromptRole, Role, Turn};

/// The request that folds older turns (oldest first) into the running summary.
pub fn summary_prompt(previous: Option<&str>, turns_oldest_first: &[Turn]) -> Vec<PromptMessage> {
    let mut transcript = String::new();
    if let Some(previous) = previous {
        transcript.push_str(&format!("Your earlier notes: {previous}\n\n"));
    }
    for t in turns_oldest_first {
        let who = match t.role {
            Role::User => "User",
            Role::Assistant => "You",
        };
        transcript.push_str(&format!("{who}: {}\n", t.text));
    }
    vec![
        PromptMessage {
            image: None,
            role: PromptRole::System,
            content: "Summarise this conversation as notes for your own memory: what you learned \
                      about the user, what was discussed and decided, anything you promised, and \
                      the mood. At most 150 words, in the conversation's language. Keep every \
                      fact from your earlier notes that still matters."
                .into(),
        },
        PromptMessage {
            image: None,
            role: PromptRole::User,
            content: transcript,
        },
    ]
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
    pub fn observe(&mut self, estimated: u32, actual: u32) {
        if estimated == 0 || actual == 0 {
            return;
        }
        // Clamped, so one odd response (a cached prompt, a proxy that rewrites) cannot
        // swing the estimate far.
        let sample = (f64::from(actual) / f64::from(estimated)).clamp(0.5, 2.0);
        self.ratio = 0.8 * self.ratio + 0.2 * sample;
    }

    pub fn apply(&self, estimated: u32) -> u32 {
        (f64::from(estimated) * self.ratio).ceil() as u32
    }

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
        let msgs = [PromptMessage {
            image: None,
            role: PromptRole::User,
            content: "hello world".into(),
        }];
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
