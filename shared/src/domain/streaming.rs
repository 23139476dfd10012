//! Pacing of the live preview (`sendMessageDraft`) while a reply streams in.
//!
//! Telegram limits how often a bot may write to one chat. A draft per token would hit that
//! at once, so drafts go out at most once per interval, only when the text has grown, and
//! not at all while Telegram has asked us to wait (429 `retry_after`).

use std::time::Duration;

// tokio's clock, so that pacing can be tested with paused time.
use tokio::time::Instant;

/// Decides when the next draft of a streaming reply may go out, within Telegram's rate limits.
#[derive(Clone, Debug)]
pub struct DraftPacer {
    interval: Duration,
    next_at: Instant,
    paused_until: Option<Instant>,
    sent_len: usize,
    /// Off after a refusal that waiting does not cure (blocked bot, group chat).
    enabled: bool,
}

impl DraftPacer {
    /// `enabled` is false where drafts do not exist (groups, or no streaming): nothing is ever due.
    pub fn new(interval: Duration, now: Instant, enabled: bool) -> Self {
        Self {
            interval,
            next_at: now,
            paused_until: None,
            sent_len: 0,
            enabled,
        }
    }

    /// Whether a draft of `len` bytes of text should go out now.
    pub fn due(&self, now: Instant, len: usize) -> bool {
        self.enabled
            && len > self.sent_len
            && now >= self.next_at
            && self.paused_until.is_none_or(|until| now >= until)
    }

    /// A draft of `len` bytes went out: the next waits an interval, and for more text.
    pub fn sent(&mut self, now: Instant, len: usize) {
        self.sent_len = len;
        self.next_at = now + self.interval;
    }

    /// Telegram said 429: nothing more until `retry_after` has passed.
    pub fn flood_wait(&mut self, now: Instant, retry_after: Duration) {
        self.paused_until = Some(now + retry_after);
        self.next_at = self.next_at.max(now + retry_after);
    }

    /// A new attempt writes the reply from the start: its text is new even when shorter.
    pub fn restart(&mut self) {
        self.sent_len = 0;
    }

    /// The earliest a draft may go out, whatever its text: the interval since the last
    /// one, and any flood wait.
    pub fn ready_at(&self) -> Instant {
        self.paused_until
            .map_or(self.next_at, |until| until.max(self.next_at))
    }

    /// A draft that is not the reply's text (a note that the bot is still working) went
    /// out: it counts for the interval, not for the text shown.
    pub fn note_sent(&mut self, now: Instant) {
        self.next_at = now + self.interval;
    }

    /// Whether drafts still go out; off, the reply arrives only as the final message.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Stops drafts for good, after a refusal that waiting would not cure.
    pub fn disable(&mut self) {
        self.enabled = false;
    }

    /// When a draft of `len` bytes should go out, if one is waiting: what a caller
    /// waiting on the stream should wake for. `None` when there is nothing new to show.
    pub fn wake_at(&self, len: usize) -> Option<Instant> {
        (self.enabled && len > self.sent_len).then_some(self.next_at)
    }
}

/// The text a draft shows: Telegram caps a draft at 4096 characters, so a long reply shows
/// its newest part.
pub fn draft_window(text: &str, max_chars: usize) -> &str {
    let count = text.chars().count();
    if count <= max_chars {
        return text;
    }
    let skip = count - max_chars;
    let start = text.char_indices().nth(skip).map_or(0, |(i, _)| i);
    &text[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_paced_and_respect_flood_waits() {
        let t0 = Instant::now();
        let s = Duration::from_secs(1);
        let mut pacer = DraftPacer::new(s, t0, true);
        assert!(pacer.due(t0, 5));
        pacer.sent(t0, 5);
        // Not again within the interval, nor without new text.
        assert!(!pacer.due(t0 + Duration::from_millis(500), 9));
        assert!(!pacer.due(t0 + s, 5));
        assert!(pacer.due(t0 + s, 9));
        pacer.flood_wait(t0 + s, Duration::from_secs(3));
        assert!(!pacer.due(t0 + Duration::from_secs(3), 20));
        assert!(pacer.due(t0 + Duration::from_secs(4), 20));
        // Nothing to wake for without new text, so a caller never spins on an old deadline.
        assert_eq!(pacer.wake_at(5), None);
        assert_eq!(pacer.wake_at(20), Some(t0 + Duration::from_secs(4)));
        pacer.disable();
        assert!(!pacer.due(t0 + Duration::from_secs(60), 99));
        assert_eq!(pacer.wake_at(99), None);
    }

    #[test]
    fn long_text_shows_its_tail() {
        assert_eq!(draft_window("hello", 10), "hello");
        assert_eq!(draft_window("héllo wörld", 5), "wörld");
    }
}
