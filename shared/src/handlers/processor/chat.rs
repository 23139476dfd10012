//! A Chat Completions answer, with the history kept here: the prompt, folding when it
//! would not fit, the model call and the context-overflow retry.

use super::answer::{Speakers, turns_of, voice_of};
use super::finish::finish;
use super::generate::{FINISH_MARGIN, Request, generate};
use super::memory::{Window, fold};
use super::progress::Progress;
use super::{Delivery, ProcessorModel, ProcessorState, ProcessorStore};
use crate::clock::Deadline;
use crate::domain::conversation::{build_prompt, title_from};
use crate::domain::memory::{estimate_messages, estimate_text, plan_fold};
use crate::domain::persona::Persona;
use crate::domain::{
    History, Image, IncomingMessage, OutgoingMessage, PromptMessage, StoredTurn, StyleProfile,
    Usage, texts,
};
use crate::error::{Cause, Result};
use crate::handlers::enqueue_reply;
use crate::ports::{Completion, Queue, Telegram};

/// A Chat Completions answer, with the history kept here.
pub(super) struct Chat<'a> {
    pub(super) message: &'a IncomingMessage,
    pub(super) speakers: &'a Speakers,
    pub(super) images: Vec<Image>,
    pub(super) model: Option<&'a str>,
    pub(super) vision_model: &'a str,
}

impl Chat<'_> {
    fn prompt(
        &self,
        summary: Option<&str>,
        turns: &[StoredTurn],
        persona: &Persona,
        style: Option<&StyleProfile>,
        turns_max: usize,
    ) -> Vec<PromptMessage> {
        let mut prompt = build_prompt(
            persona,
            style,
            summary,
            &turns_of(turns),
            turns_max,
            &self.message.from.first_name,
            &self.message.text,
        );
        if let Some(last) = prompt.last_mut() {
            last.images.clone_from(&self.images);
        }
        prompt
    }

    pub(super) async fn answer<S, M, Q, T>(
        self,
        state: &ProcessorState<S, M, Q, T>,
        history: History,
        progress: &mut Progress<'_>,
        delivery: Delivery,
    ) -> Result<()>
    where
        S: ProcessorStore,
        M: ProcessorModel,
        Q: Queue,
        T: Telegram,
    {
        let message = self.message;
        let History {
            summary,
            turns,
            more,
            ..
        } = history;
        if turns.is_empty() && summary.is_none() {
            let title = title_from(&message.text);
            state
                .store
                .begin_conversation(message.conversation(), &title, state.clock.now_ms())
                .await?;
        }
        let (persona, style) = voice_of(self.speakers, message);
        let mut window = Window { summary, turns };
        let estimate = |m: &[PromptMessage]| state.calibration().apply(estimate_messages(m));
        // A message that alone overflows the budget can never be answered: say so, call nothing.
        let max = state.history_turns;
        let fixed = estimate(&self.prompt(
            window.summary.as_deref(),
            &[],
            &persona,
            style.as_ref(),
            max,
        ));
        if fixed > state.context_budget {
            let text = texts::message_too_long(message.lang(), fixed, state.context_budget);
            let notice = OutgoingMessage::reply_to(message, "too-long", text);
            return enqueue_reply(&state.outbox, &notice).await;
        }
        let mut extra = Usage::default();
        let deadline = delivery.deadline.less(FINISH_MARGIN);
        // Fold as soon as the window is full, not when it overflows: a turn beyond the
        // window is never loaded, so a summary placed after it would skip it.
        let window_full = more || window.turns.len() >= state.history_turns;
        if let Some(keep) = fold_plan(state.context_budget, fixed, &window, window_full) {
            let folding = fold(
                state,
                message,
                progress,
                deadline,
                &mut window,
                keep,
                &mut extra,
            );
            Box::pin(folding).await?;
        }
        let voice = (&persona, style.as_ref());
        let asked = Asked {
            progress,
            delivery,
            deadline,
        };
        let Called { prompt, completion } = self
            .ask(state, &mut window, voice, asked, &mut extra)
            .await?;
        Box::pin(finish(
            state,
            message,
            self.speakers,
            completion?,
            Some((&prompt, extra)),
        ))
        .await
    }

    /// Asks the model with the window as it is. The estimate can be wrong, and the
    /// provider's refusal is the last word: on a context overflow, everything but the
    /// last exchange is folded and the model asked once more.
    async fn ask<S, M, Q, T>(
        &self,
        state: &ProcessorState<S, M, Q, T>,
        window: &mut Window,
        (persona, style): (&Persona, Option<&StyleProfile>),
        asked: Asked<'_, '_>,
        extra: &mut Usage,
    ) -> Result<Called>
    where
        S: ProcessorStore,
        M: ProcessorModel,
        Q: Queue,
        T: Telegram,
    {
        let Asked {
            progress,
            delivery,
            deadline,
        } = asked;
        let voice = (persona, style);
        let first = self.ask_once(state, window, voice, progress, delivery);
        let called = Box::pin(first).await;
        let overflowed = matches!(&called.completion, Err(e) if e.is(Cause::ContextOverflow));
        if !overflowed || window.turns.is_empty() {
            return Ok(called);
        }
        tracing::warn!("context length exceeded; folding history and trying once more");
        let keep = window.turns.len().min(2);
        let message = self.message;
        Box::pin(fold(
            state, message, progress, deadline, window, keep, extra,
        ))
        .await?;
        let again = self.ask_once(state, window, voice, progress, delivery);
        Ok(Box::pin(again).await)
    }

    /// One model call with the window as it is: the prompt sent, and what came of it.
    async fn ask_once<S, M, Q, T>(
        &self,
        state: &ProcessorState<S, M, Q, T>,
        window: &Window,
        (persona, style): (&Persona, Option<&StyleProfile>),
        progress: &mut Progress<'_>,
        delivery: Delivery,
    ) -> Called
    where
        S: ProcessorStore,
        M: ProcessorModel,
        Q: Queue,
        T: Telegram,
    {
        let max = state.history_turns;
        let prompt = self.prompt(
            window.summary.as_deref(),
            &window.turns,
            persona,
            style,
            max,
        );
        let request = Request::Chat {
            prompt: &prompt,
            model: self.model,
            max_tokens: self.speakers.max_tokens,
        };
        let completion = Box::pin(generate(
            state,
            self.message,
            request,
            progress,
            delivery,
            self.vision_model,
        ))
        .await;
        Called { prompt, completion }
    }
}

/// One model call: the prompt it was given (for calibrating estimates), and what came of it.
struct Called {
    prompt: Vec<PromptMessage>,
    completion: Result<Completion>,
}

/// How many recent turns to keep when the rest must be folded into notes, if any: when
/// `fixed` (everything but the turns) and the turns overflow `budget`, or the window is full.
fn fold_plan(budget: u32, fixed: u32, window: &Window, window_full: bool) -> Option<usize> {
    let turn_tokens: Vec<u32> = window
        .turns
        .iter()
        .map(|t| estimate_text(&t.turn.text) + 4)
        .collect();
    plan_fold(fixed, &turn_tokens, budget, window_full)
}

/// Where a model call's drafts go, and by when it must be done.
struct Asked<'p, 'q> {
    progress: &'p mut Progress<'q>,
    delivery: Delivery,
    deadline: Deadline,
}
