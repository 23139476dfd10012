//! What the user sees while the bot works: a draft of the reply in a private chat
//! (`sendMessageDraft`), "typing…" in a group.
//!
//! One draft id per message answered, so everything shown for it (the "Thinking…"
//! placeholder, a note that the model is being asked again, notes being condensed, the
//! reply as it streams) replaces the same draft rather than piling up.

use std::time::Duration;

use tokio::time::Instant;

use super::ProcessorState;
use crate::domain::IncomingMessage;
use crate::domain::format::{MAX_MESSAGE, render_parts};
use crate::domain::streaming::{DraftPacer, draft_window};
use crate::ports::{Draft, Telegram, TelegramError};

/// "typing…" lasts about five seconds; renew it a little sooner.
const TYPING_EVERY: Duration = Duration::from_secs(4);

/// A note waits at most this long for Telegram's pace; past it, it is skipped.
const NOTE_PATIENCE: Duration = Duration::from_secs(2);

pub(super) struct Progress<'m> {
    message: &'m IncomingMessage,
    draft_id: i64,
    pacer: DraftPacer,
    /// Drafts in Telegram HTML until Telegram refuses the markup once.
    html: bool,
    next_typing: Instant,
    begun: bool,
}

/// Drafts are numbered by the message they answer, so a retry animates the same draft.
pub(super) fn draft_id(message: &IncomingMessage) -> i64 {
    // Non-zero and within Telegram's 32-bit range.
    (message.update_id.0 % (i32::MAX as u64 - 1)) as i64 + 1
}

impl<'m> Progress<'m> {
    /// Nothing shown yet; drafts only in private chats, and only when replies stream.
    pub fn new<S, M, Q, T>(
        state: &ProcessorState<S, M, Q, T>,
        message: &'m IncomingMessage,
    ) -> Self {
        let now = Instant::now();
        // Drafts exist in private chats only, and only when replies stream.
        let drafts = state.stream && !message.group;
        Self {
            message,
            draft_id: draft_id(message),
            pacer: DraftPacer::new(state.draft_interval, now, drafts),
            html: true,
            next_typing: now,
            begun: false,
        }
    }

    /// Shared by everything shown for this message; also what a stop press names.
    pub fn draft_id(&self) -> i64 {
        self.draft_id
    }

    /// The first sign of life: "Thinking…", or on a redelivery, that the bot is trying
    /// again (the user saw it start before).
    pub async fn begin<S, M, Q, T: Telegram>(
        &mut self,
        state: &ProcessorState<S, M, Q, T>,
        retry: bool,
    ) {
        if self.begun {
            return;
        }
        self.begun = true;
        if retry {
            let note = crate::domain::texts::draft_retrying(self.message.lang());
            self.note(state, &note).await;
        } else if self.pacer.enabled() {
            // An empty draft shows Telegram's own "Thinking…" until words arrive.
            if self.send(state, String::new(), false).await {
                self.pacer.note_sent(Instant::now());
            }
        } else {
            self.typing(state).await;
        }
    }

    /// A line that says what the bot is doing; the reply's text replaces it.
    pub async fn note<S, M, Q, T: Telegram>(
        &mut self,
        state: &ProcessorState<S, M, Q, T>,
        text: &str,
    ) {
        self.begun = true;
        if !self.pacer.enabled() {
            self.typing(state).await;
            return;
        }
        let ready = self.pacer.ready_at();
        if ready > Instant::now() + NOTE_PATIENCE {
            return;
        }
        tokio::time::sleep_until(ready).await;
        if self.send(state, text.to_owned(), false).await {
            self.pacer.note_sent(Instant::now());
        }
        // Whatever the reply writes next is new to the user.
        self.pacer.restart();
    }

    /// A new attempt writes the reply from the start.
    pub fn restart(&mut self) {
        self.pacer.restart();
    }

    /// When the caller should wake to show something: a draft of `len` bytes being due,
    /// or "typing…" running out.
    pub fn wake_at(&self, len: usize) -> Option<Instant> {
        if self.message.group {
            return Some(self.next_typing);
        }
        self.pacer.wake_at(len)
    }

    /// The reply so far, if a draft is due (or "typing…" renewed, in a group).
    pub async fn partial<S, M, Q, T: Telegram>(
        &mut self,
        state: &ProcessorState<S, M, Q, T>,
        markdown: &str,
    ) {
        let now = Instant::now();
        if self.message.group {
            if now >= self.next_typing {
                self.typing(state).await;
            }
            return;
        }
        if !self.pacer.due(now, markdown.len()) {
            return;
        }
        let shown = draft_window(markdown, MAX_MESSAGE - 96);
        let rendered = render_parts(shown, MAX_MESSAGE).into_iter().last();
        let (text, html) = match rendered {
            Some(p) if self.html => (p.html, true),
            Some(p) => (p.plain, false),
            None => return,
        };
        if self.send(state, text, html).await {
            self.pacer.sent(Instant::now(), markdown.len());
        }
    }

    /// Shows "typing…" and notes when to renew it; a failure is only logged.
    pub async fn typing<S, M, Q, T: Telegram>(&mut self, state: &ProcessorState<S, M, Q, T>) {
        self.next_typing = Instant::now() + TYPING_EVERY;
        if let Err(e) = state
            .telegram
            .send_typing(self.message.chat_id, self.message.topic)
            .await
        {
            tracing::debug!(error = %e, "could not show typing");
        }
    }

    /// One draft. Failures never stop the reply itself: a 429 pauses drafts for its
    /// `retry_after` (counted from when the answer came, not from when we asked), a
    /// markup error falls back to plain text, anything else ends drafting.
    async fn send<S, M, Q, T: Telegram>(
        &mut self,
        state: &ProcessorState<S, M, Q, T>,
        text: String,
        html: bool,
    ) -> bool {
        let draft = Draft {
            chat_id: self.message.chat_id,
            topic: self.message.topic,
            draft_id: self.draft_id,
            html: html && !text.is_empty(),
            text,
        };
        let result = state.telegram.send_draft(&draft).await;
        let answered = Instant::now();
        match result {
            Ok(()) => return true,
            Err(TelegramError::RetryAfter(wait)) => {
                tracing::info!(?wait, "Telegram asked to slow down; pausing drafts");
                self.pacer.flood_wait(answered, wait);
            }
            Err(TelegramError::Rejected { description, .. })
                if draft.html && description.contains("can't parse entities") =>
            {
                tracing::warn!(%description, "draft markup refused; drafting in plain text");
                self.html = false;
            }
            Err(e) => {
                tracing::warn!(error = %e, "drafts failed; the reply still comes as a message");
                self.pacer.disable();
            }
        }
        false
    }
}
