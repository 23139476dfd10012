//! Streamed answers as plans of writes and pauses, built before anything is sent so
//! faults can reshape them and unit tests can read them without a server.

mod chat;
mod responses;

use std::time::Duration;

use serde_json::{Value, json};

use crate::fixtures;

pub(crate) use chat::chat_stream;
pub(crate) use responses::responses_stream;

/// One step of writing a stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    Write(String),
    /// The pause between pieces that [`super::OpenAiStandIn::set_stream_delay`] sets.
    Pause,
    /// A fixed silence.
    Silence(Duration),
    /// Break the connection once what was written has reached the client.
    Break,
}

/// A stream to write: its opening at once, then each piece after a pause, then after one
/// more pause its closing.
#[derive(Clone, Debug, Default)]
pub(crate) struct StreamPlan {
    steps: Vec<Step>,
}

impl StreamPlan {
    pub(crate) fn new(opening: Vec<String>, pieces: Vec<String>, closing: Vec<String>) -> Self {
        let mut steps: Vec<Step> = opening.into_iter().map(Step::Write).collect();
        for piece in pieces {
            steps.push(Step::Pause);
            steps.push(Step::Write(piece));
        }
        steps.push(Step::Pause);
        steps.extend(closing.into_iter().map(Step::Write));
        Self { steps }
    }

    /// A stream with no event at all.
    pub(crate) fn empty() -> Self {
        Self::default()
    }

    /// Everything the stream writes, for checking it without a server.
    #[cfg(test)]
    pub(crate) fn events(&self) -> impl Iterator<Item = &str> {
        self.steps.iter().filter_map(|s| match s {
            Step::Write(event) => Some(event.as_str()),
            _ => None,
        })
    }

    #[cfg(test)]
    pub(crate) fn steps(&self) -> &[Step] {
        &self.steps
    }

    pub(crate) fn into_steps(self) -> Vec<Step> {
        self.steps
    }

    /// Where the opening ends: at the first pause.
    fn opening_end(&self) -> usize {
        self.steps
            .iter()
            .position(|s| *s == Step::Pause)
            .unwrap_or(self.steps.len())
    }

    /// Just after the first piece (the first write after the opening).
    fn first_piece_end(&self) -> usize {
        let from = self.opening_end();
        self.steps[from..]
            .iter()
            .position(|s| matches!(s, Step::Write(_)))
            .map_or(self.steps.len(), |i| from + i + 1)
    }

    /// The opening and one piece, then the connection breaks: no finish, no `[DONE]`.
    pub(crate) fn cut_after_first_piece(mut self) -> Self {
        self.steps.truncate(self.first_piece_end());
        self.steps.push(Step::Break);
        self
    }

    /// The opening and one piece, then silence for `silence`, then the rest as planned.
    pub(crate) fn stall_after_first_piece(mut self, silence: Duration) -> Self {
        let at = self.first_piece_end();
        self.steps.insert(at, Step::Silence(silence));
        self
    }

    /// The opening, then `data: {"error": …}`, then the body ends.
    pub(crate) fn error_after_opening(mut self, error: &Value) -> Self {
        self.steps.truncate(self.opening_end());
        self.steps
            .push(Step::Write(data_line(&json!({ "error": error }))));
        self
    }
}

pub(crate) fn data_line(chunk: &Value) -> String {
    format!("data: {chunk}\n\n")
}

pub(crate) fn recorded_sse_data(file: &str) -> Vec<Value> {
    fixtures::text(&format!("openai/{file}"))
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .filter_map(|d| serde_json::from_str(d).ok())
        .collect()
}

/// Cuts `text` into pieces of about three words, each starting with the whitespace before
/// its first word as model tokens do, so the pieces concatenate to exactly `text`.
pub fn stream_pieces(text: &str) -> Vec<String> {
    let mut cuts = Vec::new();
    let mut words = 0usize;
    let mut gap: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            gap.get_or_insert(i);
            continue;
        }
        let before = gap.take();
        if i == 0 || before.is_some() {
            if words > 0 && words.is_multiple_of(3) {
                cuts.push(before.unwrap_or(i));
            }
            words += 1;
        }
    }
    let mut pieces = Vec::new();
    let mut from = 0;
    for cut in cuts {
        pieces.push(text[from..cut].to_owned());
        from = cut;
    }
    if from < text.len() {
        pieces.push(text[from..].to_owned());
    }
    pieces
}

/// Letters and digits from a seed, for ids and padding that must differ between streams
/// but stay the same from run to run.
pub(crate) fn opaque_id(seed: u64, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            char::from(ALPHABET[(x >> 33) as usize % ALPHABET.len()])
        })
        .collect()
}

/// The padding the live API adds to every streamed chunk so that chunk sizes do not give
/// away the text.
pub(crate) fn obfuscation(seed: u64, visible_len: usize) -> String {
    opaque_id(seed, 16 - visible_len % 16)
}

pub(crate) fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
