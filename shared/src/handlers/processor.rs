//! processor: turns an allowed message into a reply from the model.
//!
//! Exactly once: the reply, both turns and the usage record are stored in one
//! transaction keyed by the update before anything is enqueued. A redelivered record
//! finds the stored reply and only re-enqueues it, so the model is never called twice
//! for an update whose answer was saved.

use std::time::Duration;

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use backon::{ExponentialBuilder, Retryable};

use super::batch::{Record, process_fifo};
use super::enqueue_reply;
use super::style_refresh::refresh_user;
use crate::adapters::now_ms;
use std::sync::Mutex;

use crate::adapters::openai::CONTEXT_LENGTH_EXCEEDED;
use crate::config::ApiMode;
use crate::domain::budget::{self, Limits, Verdict, parse_grant};
use crate::domain::conversation::{build_prompt, export_markdown, title_from};
use crate::domain::memory::{
    Calibration, estimate_messages, estimate_text, plan_fold, summary_prompt,
};
use crate::domain::persona::Persona;
use crate::domain::usage::day_key;
use crate::domain::{Command, IncomingMessage, OutgoingMessage, PriceTable, UserId, texts};
use crate::domain::{Document, History, PromptMessage, StoredTurn, Turn, Usage, UserProfile};
use crate::error::Result;
use crate::ports::{
    ChatModel, Completion, ConversationModel, ConversationStore, CreditStore, Exchange, Queue,
    UsageStore, UserStore,
};

/// At most this many turns go into an /export.
const EXPORT_TURNS: usize = 2000;

/// How long after /new_style forwarded messages count as style samples.
const SAMPLE_WINDOW_MS: i64 = 10 * 60_000;

pub struct ProcessorState<S, M, Q> {
    pub store: S,
    pub model: M,
    pub outbox: Q,
    /// The queue this function consumes, to schedule the retry of a failed record.
    pub work: Q,
    pub history_turns: usize,
    /// Model calls per record before giving up on this delivery (at least 1).
    pub max_attempts: u32,
    pub retry_delay: Duration,
    /// First wait before a failed record is delivered again; doubles per attempt.
    pub redelivery_delay: Duration,
    pub prices: PriceTable,
    pub admins: Vec<UserId>,
    pub limits: Limits,
    /// Most prompt tokens a model call may use; older turns are folded to stay inside.
    pub context_budget: u32,
    /// Learned ratio of real to estimated tokens, for this container's life.
    pub calibration: Mutex<Calibration>,
    pub mode: ApiMode,
}

impl<S, M, Q> ProcessorState<S, M, Q> {
    fn calibration(&self) -> Calibration {
        *self.calibration.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub async fn handle<S, M, Q>(
    state: &ProcessorState<S, M, Q>,
    event: SqsEvent,
) -> Result<SqsBatchResponse, lambda_runtime::Error>
where
    S: ConversationStore + UserStore + UsageStore + CreditStore,
    M: ChatModel + ConversationModel,
    Q: Queue,
{
    Ok(process_fifo(&event, |record| handle_record(state, record)).await)
}

async fn handle_record<S, M, Q>(state: &ProcessorState<S, M, Q>, record: Record<'_>) -> Result<()>
where
    S: ConversationStore + UserStore + UsageStore + CreditStore,
    M: ChatModel + ConversationModel,
    Q: Queue,
{
    let message: IncomingMessage = record.parse()?;
    let result = handle_message(state, &message).await;
    if let Err(e) = &result
        && e.retryable
        && let Some(handle) = record.receipt_handle
    {
        // Without this the record would wait out the queue's whole visibility timeout
        // (6x the function timeout) before the next try.
        let wait = retry_backoff(state.redelivery_delay, record.receive_count);
        if let Err(delay_error) = state.work.delay(handle, wait).await {
            tracing::warn!(error = %delay_error, "could not schedule the retry");
        }
    }
    result
}

/// `base`, doubling with each delivery attempt, capped at 20 × `base`.
pub fn retry_backoff(base: Duration, receive_count: u32) -> Duration {
    (base * (1u32 << receive_count.saturating_sub(1).min(5))).min(base * 20)
}

async fn handle_message<S, M, Q>(
    state: &ProcessorState<S, M, Q>,
    message: &IncomingMessage,
) -> Result<()>
where
    S: ConversationStore + UserStore + UsageStore + CreditStore,
    M: ChatModel + ConversationModel,
    Q: Queue,
{
    let reply = |purpose: &str, text: String| OutgoingMessage::reply_to(message, purpose, text);
    match &message.command {
        None => answer(state, message).await,
        Some(Command::Reset) => {
            state
                .store
                .start_new_conversation(message.chat_id, message.update_id, now_ms())
                .await?;
            if state.mode == ApiMode::Responses {
                // The next message opens a fresh server-side conversation.
                state
                    .store
                    .set_server_conversation(message.chat_id, None)
                    .await?;
            }
            enqueue_reply(&state.outbox, &reply("reset", texts::RESET_DONE.into())).await
        }
        Some(Command::NewStyle) => {
            let text = match refresh_user(&state.store, message.from.id).await? {
                Some(profile) => {
                    state
                        .store
                        .open_sample_window(message.from.id, now_ms() + SAMPLE_WINDOW_MS)
                        .await?;
                    texts::new_style_done(profile.samples, SAMPLE_WINDOW_MS / 60_000)
                }
                None => "I need a few of your messages before I can learn your style. Chat with me a little, then try /new_style again.".to_owned(),
            };
            enqueue_reply(&state.outbox, &reply("style", text)).await
        }
        Some(Command::Start) => {
            enqueue_reply(&state.outbox, &reply("start", texts::START.into())).await
        }
        Some(Command::Help) => {
            enqueue_reply(&state.outbox, &reply("help", texts::HELP.into())).await
        }
        Some(Command::Style) => {
            let args = Command::parse(&message.text, None)
                .map(|(_, a)| a)
                .unwrap_or_default();
            let text = match args.to_ascii_lowercase().as_str() {
                "" => texts::style_report(&state.store.profile(message.from.id).await?),
                "on" => {
                    state.store.set_style_enabled(message.from.id, true).await?;
                    texts::STYLE_ON.to_owned()
                }
                "off" => {
                    state
                        .store
                        .set_style_enabled(message.from.id, false)
                        .await?;
                    texts::STYLE_OFF.to_owned()
                }
                _ => texts::STYLE_USAGE.to_owned(),
            };
            enqueue_reply(&state.outbox, &reply("style", text)).await
        }
        Some(Command::Export) => {
            let history = state
                .store
                .recent_history(message.chat_id, EXPORT_TURNS)
                .await?;
            let mut out = if history.turns.is_empty() && history.summary.is_none() {
                reply("export", texts::NOTHING_TO_EXPORT.to_owned())
            } else {
                let date = day_key(now_ms());
                let mut out = reply("export", texts::export_caption(history.turns.len()));
                out.document = Some(Document {
                    file_name: format!("conversation-{date}.md"),
                    content: export_markdown("your companion", &date, &history),
                });
                out
            };
            out.reply_to_message_id = None;
            enqueue_reply(&state.outbox, &out).await
        }
        Some(Command::History) => {
            let list = state.store.conversation_list(message.chat_id, 10).await?;
            enqueue_reply(
                &state.outbox,
                &reply("history", texts::history_report(&list)),
            )
            .await
        }
        Some(Command::Usage) => {
            let (totals, profile) = futures::try_join!(
                state.store.user_totals(message.from.id, now_ms()),
                state.store.profile(message.from.id),
            )?;
            let [today, month, total] = totals;
            let mut text = texts::usage_report(&today, &month, &total);
            if profile.credits != 0 {
                text = format!("{text}\n{}", texts::credits_line(profile.credits));
            }
            enqueue_reply(&state.outbox, &reply("usage", text)).await
        }
        Some(Command::Grant) => {
            let text = if !state.admins.contains(&message.from.id) {
                texts::ADMINS_ONLY.to_owned()
            } else {
                let args = Command::parse(&message.text, None)
                    .map(|(_, a)| a)
                    .unwrap_or_default();
                match parse_grant(&args) {
                    Err(usage) => usage,
                    Ok((user, amount)) => {
                        let balance = state
                            .store
                            .grant_credits(UserId(user), amount, message.from.id, message.update_id)
                            .await?;
                        texts::granted(user, amount, balance)
                    }
                }
            };
            enqueue_reply(&state.outbox, &reply("grant", text)).await
        }
        Some(Command::Stats) => {
            let text = if state.admins.contains(&message.from.id) {
                let [today, total] = state.store.bot_totals(now_ms()).await?;
                texts::stats_report(&today, &total)
            } else {
                texts::ADMINS_ONLY.to_owned()
            };
            enqueue_reply(&state.outbox, &reply("stats", text)).await
        }
        Some(Command::Persona) => {
            tracing::warn!("/persona reached the processor; the webhook answers it");
            Ok(())
        }
        Some(Command::Subscribe) => {
            tracing::warn!("/subscribe reached the processor; subscription-check answers it");
            Ok(())
        }
        Some(Command::Unknown(name)) => {
            enqueue_reply(
                &state.outbox,
                &reply("unknown", texts::unknown_command(name)),
            )
            .await
        }
    }
}

async fn answer<S, M, Q>(state: &ProcessorState<S, M, Q>, message: &IncomingMessage) -> Result<()>
where
    S: ConversationStore + UserStore + UsageStore + CreditStore,
    M: ChatModel + ConversationModel,
    Q: Queue,
{
    if let Some(stored) = state.store.stored_reply(message.update_id).await? {
        tracing::info!(update_id = %message.update_id, "reply already stored; re-enqueueing it without calling the model");
        return enqueue_reply(&state.outbox, &model_reply(message, stored)).await;
    }

    let (history, profile) = futures::try_join!(
        state
            .store
            .recent_history(message.chat_id, state.history_turns),
        state.store.profile(message.from.id),
    )?;
    let mut over_limit = false;
    if !state.limits.is_unlimited() && !state.admins.contains(&message.from.id) {
        let [today, month, _] = state.store.user_totals(message.from.id, now_ms()).await?;
        match budget::check(&state.limits, &today, &month, profile.credits, now_ms()) {
            Verdict::Allowed => {}
            Verdict::FromCredits => over_limit = true,
            Verdict::Exceeded {
                period,
                resets_at_ms,
            } => {
                // Nothing goes to the model, and nothing is recorded as usage.
                let notice = OutgoingMessage::reply_to(
                    message,
                    "limit",
                    texts::limit_reached(period, resets_at_ms),
                );
                return enqueue_reply(&state.outbox, &notice).await;
            }
        }
    }
    // Right after /new_style, a forward is a sample of how the user writes elsewhere.
    if message.forwarded && profile.sample_window_until_ms > now_ms() {
        state
            .store
            .add_style_sample(
                message.from.id,
                message.update_id,
                &message.text,
                message.date * 1000,
            )
            .await?;
        let samples = refresh_user(&state.store, message.from.id)
            .await?
            .map_or(0, |p| p.samples);
        return enqueue_reply(
            &state.outbox,
            &OutgoingMessage::reply_to(message, "sample", texts::sample_added(samples)),
        )
        .await;
    }
    let persona = Persona::from_choice(&profile.persona.clone().unwrap_or_default());
    let style = profile.style.as_ref().filter(|_| profile.style_enabled);
    if state.mode == ApiMode::Responses {
        let instructions =
            build_prompt(&persona, style, None, &[], 0, &message.from.first_name, "")
                .swap_remove(0)
                .content;
        let completion = respond_in_conversation(state, message, &instructions).await;
        return finish(state, message, &profile, over_limit, completion, None).await;
    }
    let History {
        mut summary,
        mut turns,
        more,
    } = history;
    if turns.is_empty() && summary.is_none() {
        let title = title_from(&message.text);
        state
            .store
            .begin_conversation(message.chat_id, &title, now_ms())
            .await?;
    }
    let prompt_for = |summary: Option<&str>, turns: &[StoredTurn]| {
        let turns: Vec<Turn> = turns.iter().map(|t| t.turn.clone()).collect();
        build_prompt(
            &persona,
            style,
            summary,
            &turns,
            state.history_turns,
            &message.from.first_name,
            &message.text,
        )
    };
    let estimate =
        |messages: &[PromptMessage]| state.calibration().apply(estimate_messages(messages));

    // A message that alone overflows the budget can never be answered: say so, call nothing.
    let fixed = estimate(&prompt_for(summary.as_deref(), &[]));
    if fixed > state.context_budget {
        let text = texts::message_too_long(fixed, state.context_budget);
        return enqueue_reply(
            &state.outbox,
            &OutgoingMessage::reply_to(message, "too-long", text),
        )
        .await;
    }
    let turn_tokens: Vec<u32> = turns
        .iter()
        .map(|t| estimate_text(&t.turn.text) + 4)
        .collect();
    let mut extra_usage = Usage {
        model: String::new(),
        prompt_tokens: 0,
        completion_tokens: 0,
        response_ms: 0,
    };
    // Fold as soon as the window is full, not when it overflows: a turn beyond the window
    // is never loaded, so a summary placed after it would skip it.
    let window_full = more || turns.len() >= state.history_turns;
    if let Some(keep) = plan_fold(fixed, &turn_tokens, state.context_budget, window_full) {
        fold(
            state,
            message,
            &mut summary,
            &mut turns,
            keep,
            &mut extra_usage,
        )
        .await?;
    }

    let mut prompt = prompt_for(summary.as_deref(), &turns);
    let mut completion = call_model(state, &prompt).await;
    // The estimate can be wrong; the provider's refusal is the last word. Fold all but the
    // last exchange and try once more.
    if let Err(e) = &completion
        && e.tag == Some(CONTEXT_LENGTH_EXCEEDED)
        && !turns.is_empty()
    {
        tracing::warn!("context length exceeded; folding history and retrying once");
        let keep = turns.len().min(2);
        fold(
            state,
            message,
            &mut summary,
            &mut turns,
            keep,
            &mut extra_usage,
        )
        .await?;
        prompt = prompt_for(summary.as_deref(), &turns);
        completion = call_model(state, &prompt).await;
    }
    finish(
        state,
        message,
        &profile,
        over_limit,
        completion,
        Some((&prompt, extra_usage)),
    )
    .await
}

/// Responses mode: the provider keeps the history in a conversation we open lazily.
async fn respond_in_conversation<S, M, Q>(
    state: &ProcessorState<S, M, Q>,
    message: &IncomingMessage,
    instructions: &str,
) -> Result<Completion>
where
    S: ConversationStore,
    M: ChatModel + ConversationModel,
    Q: Queue,
{
    let conversation = match state.store.server_conversation(message.chat_id).await? {
        Some(id) => id,
        None => {
            // A new server-side conversation starts a new one of ours: it takes its title
            // from this first message.
            let id = retrying(state, || state.model.new_conversation()).await?;
            state
                .store
                .set_server_conversation(message.chat_id, Some(&id))
                .await?;
            let title = title_from(&message.text);
            state
                .store
                .begin_conversation(message.chat_id, &title, now_ms())
                .await?;
            id
        }
    };
    retrying(state, || {
        state
            .model
            .respond(&conversation, instructions, &message.text)
    })
    .await
}

/// Stores the exchange and enqueues the reply, or tells the user the model failed.
/// `chat` carries the prompt (to calibrate the estimate) and the summary calls' usage.
async fn finish<S, M, Q>(
    state: &ProcessorState<S, M, Q>,
    message: &IncomingMessage,
    profile: &UserProfile,
    over_limit: bool,
    completion: Result<Completion>,
    chat: Option<(&[PromptMessage], Usage)>,
) -> Result<()>
where
    S: ConversationStore + UserStore + UsageStore + CreditStore,
    M: ChatModel + ConversationModel,
    Q: Queue,
{
    let mut completion = match completion {
        Ok(c) => c,
        Err(e) => {
            // Tell the user now, keep the record: SQS redelivers it, and after the last
            // receive it waits in the dead-letter queue for a redrive. The notice has its
            // own delivery id, so redeliveries do not repeat it.
            let notice = OutgoingMessage::reply_to(message, "notice", texts::MODEL_FAILED);
            enqueue_reply(&state.outbox, &notice).await?;
            return Err(e.context(format!("model failed for update {}", message.update_id)));
        }
    };
    if let Some((prompt, extra_usage)) = chat {
        state
            .calibration
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .observe(estimate_messages(prompt), completion.usage.prompt_tokens);
        // The summary call is part of what this reply cost.
        completion.usage.prompt_tokens += extra_usage.prompt_tokens;
        completion.usage.completion_tokens += extra_usage.completion_tokens;
    }

    let cost_micros = state.prices.cost_micros(&completion.usage);
    let tokens_used =
        u64::from(completion.usage.prompt_tokens) + u64::from(completion.usage.completion_tokens);
    if cost_micros.is_none() {
        tracing::warn!(model = %completion.usage.model, "no price configured for this model; cost not recorded");
    }
    let stored = state
        .store
        .record_exchange(&Exchange {
            update_id: message.update_id,
            chat_id: message.chat_id,
            user: message.from.clone(),
            user_text: message.text.clone(),
            reply: completion.text,
            usage: completion.usage,
            cost_micros,
            new_user: !profile.known,
            credits_used: if over_limit { tokens_used } else { 0 },
            at_ms: now_ms(),
        })
        .await?;
    enqueue_reply(&state.outbox, &model_reply(message, stored)).await
}

/// The model's answer: Markdown, rendered by the sender.
fn model_reply(message: &IncomingMessage, text: String) -> OutgoingMessage {
    let mut reply = OutgoingMessage::reply_to(message, "reply", text);
    reply.markdown = true;
    reply
}

/// One model call with bounded, jittered retries of the retryable failures.
async fn call_model<S, M: ChatModel + ConversationModel, Q>(
    state: &ProcessorState<S, M, Q>,
    prompt: &[PromptMessage],
) -> Result<Completion> {
    retrying(state, || state.model.complete(prompt)).await
}

/// Runs `call` with bounded, jittered retries of the retryable failures.
async fn retrying<S, M, Q, T, F, Fut>(state: &ProcessorState<S, M, Q>, call: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let policy = ExponentialBuilder::default()
        .with_min_delay(state.retry_delay)
        .with_max_delay(state.retry_delay * 8)
        .with_max_times(state.max_attempts.saturating_sub(1) as usize)
        .with_jitter();
    call.retry(policy)
        .when(|e| e.retryable)
        .notify(|e, after| tracing::warn!(error = %e, ?after, "model call failed; retrying"))
        .await
}

/// Folds all but the newest `keep` turns into the running summary, stores it, and tells the
/// user the first time a conversation is condensed.
async fn fold<S, M, Q>(
    state: &ProcessorState<S, M, Q>,
    message: &IncomingMessage,
    summary: &mut Option<String>,
    turns: &mut Vec<StoredTurn>,
    keep: usize,
    usage: &mut Usage,
) -> Result<()>
where
    S: ConversationStore,
    M: ChatModel + ConversationModel,
    Q: Queue,
{
    let Some(newest_folded) = turns.get(keep).map(|t| t.key.clone()) else {
        return Ok(());
    };
    let folded: Vec<Turn> = turns[keep..].iter().rev().map(|t| t.turn.clone()).collect();
    let request = summary_prompt(summary.as_deref(), &folded);
    let notes = call_model(state, &request).await?;
    state
        .store
        .save_summary(message.chat_id, &newest_folded, &notes.text)
        .await?;
    usage.prompt_tokens += notes.usage.prompt_tokens;
    usage.completion_tokens += notes.usage.completion_tokens;
    tracing::info!(
        folded = folded.len(),
        kept = keep,
        "older turns folded into the summary"
    );
    if summary.is_none() {
        let notice = OutgoingMessage::reply_to(message, "memory", texts::MEMORY_FOLDED);
        enqueue_reply(&state.outbox, &notice).await?;
    }
    *summary = Some(notes.text);
    turns.truncate(keep);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_backoff_grows_and_caps() {
        let base = Duration::from_secs(30);
        let got: Vec<u64> = [1, 2, 3, 5, 6, 12]
            .iter()
            .map(|n| retry_backoff(base, *n).as_secs())
            .collect();
        assert_eq!(got, [30, 60, 120, 480, 600, 600]);
    }
}
