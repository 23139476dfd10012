//! processor: turns an allowed message into a reply from the model.
//!
//! Exactly once: the reply, both turns and the usage record are stored in one
//! transaction keyed by the update before anything is enqueued. A redelivered record
//! finds the stored reply and only re-enqueues it, so the model is never called twice
//! for an update whose answer was saved.

use std::time::{Duration, Instant};

use anyhow::anyhow;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use backon::{ExponentialBuilder, Retryable};

use super::batch::{Record, process_fifo};
use super::enqueue_reply;
use super::style_refresh::refresh_user;
use crate::adapters::now_ms;
use futures::StreamExt;
use std::sync::Mutex;

use crate::adapters::openai::CONTEXT_LENGTH_EXCEEDED;
use crate::config::ApiMode;
use crate::domain::budget::{self, Limits, Verdict, parse_grant};
use crate::domain::conversation::{build_prompt, export_markdown, title_from};
use crate::domain::format::{MAX_MESSAGE, render_parts};
use crate::domain::fragments::{self, Step};
use crate::domain::jobs::{FlushFragments, WorkJob};
use crate::domain::memory::{
    Calibration, estimate_messages, estimate_text, plan_fold, summary_prompt,
};
use crate::domain::persona::Persona;
use crate::domain::streaming::{DraftPacer, draft_window};
use crate::domain::usage::day_key;
use crate::domain::{
    Command, Image, IncomingMessage, MAX_DOWNLOAD_BYTES, Media, OutgoingMessage, PriceTable,
    SoundKind, UserId, texts,
};
use crate::domain::{Document, History, PromptMessage, StoredTurn, Turn, Usage, UserProfile};
use crate::error::{Failure, Result};
use crate::ports::{
    ChatModel, Completion, ConversationModel, ConversationStore, CreditStore, Draft, Envelope,
    Exchange, FragmentStore, GenerationLog, Queue, ReplyStream, StreamEvent, Telegram,
    TelegramError, Transcriber, UsageStore, UserStore,
};

/// At most this many turns go into an /export.
const EXPORT_TURNS: usize = 2000;

/// How long after /new_style forwarded messages count as style samples.
const SAMPLE_WINDOW_MS: i64 = 10 * 60_000;

pub struct ProcessorState<S, M, Q, T> {
    pub store: S,
    pub model: M,
    /// Drafts, "typing…" and file downloads; replies themselves go through the outbox.
    pub telegram: T,
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
    /// Stream replies: drafts in private chats, "typing…" in groups.
    pub stream: bool,
    /// At most one draft per this long, per chat.
    pub draft_interval: Duration,
    /// Models a user may pick in /settings.
    pub allowed_models: Vec<String>,
    /// `OPENAI_MODEL`: what a reply is recorded under when the provider does not say.
    pub default_model: String,
    /// Where photos go, if not to the chat's model.
    pub vision_model: Option<String>,
}

/// What the processor's store must do.
pub trait ProcessorStore:
    ConversationStore + UserStore + UsageStore + CreditStore + GenerationLog + FragmentStore
{
}
impl<T> ProcessorStore for T where
    T: ConversationStore + UserStore + UsageStore + CreditStore + GenerationLog + FragmentStore
{
}

/// What the processor's model client must do.
pub trait ProcessorModel: ChatModel + ConversationModel + Transcriber {}
impl<T> ProcessorModel for T where T: ChatModel + ConversationModel + Transcriber {}

/// "typing…" lasts about five seconds; renew it a little sooner.
const TYPING_EVERY: Duration = Duration::from_secs(4);

impl<S, M, Q, T> ProcessorState<S, M, Q, T> {
    fn calibration(&self) -> Calibration {
        *self.calibration.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub async fn handle<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    event: SqsEvent,
) -> Result<SqsBatchResponse, lambda_runtime::Error>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    Ok(process_fifo(&event, |record| handle_record(state, record)).await)
}

async fn handle_record<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    record: Record<'_>,
) -> Result<()>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    let result = match record.parse::<WorkJob>()? {
        WorkJob::Message(message) => Box::pin(handle_incoming(state, &message)).await,
        WorkJob::Flush { flush_fragments } => {
            let wait = flush_fragments.due_ms - now_ms();
            if wait > 0 {
                // Its own message group, so waiting here holds up no chat.
                if let Some(handle) = record.receipt_handle {
                    let wait = Duration::from_millis(wait as u64);
                    if let Err(e) = state.work.delay(handle, wait).await {
                        tracing::warn!(error = %e, "could not delay the fragment check");
                    }
                }
                return Err(Failure::retryable(anyhow!(
                    "held fragments not due for {wait} ms"
                )));
            }
            flush(state, &flush_fragments).await
        }
        WorkJob::Migrate { migrate_chat } => {
            tracing::warn!(from = %migrate_chat.from, to = %migrate_chat.to, "chat migration not handled yet");
            Ok(())
        }
    };
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

/// Holds back a part of a long message Telegram split, and answers the whole once the last
/// part arrives (`domain::fragments`).
async fn handle_incoming<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
) -> Result<()>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    if message.command.is_some() || message.media.is_some() {
        return handle_message(state, message).await;
    }
    let chat = message.chat_id;
    let held = state.store.held_fragments(chat).await?;
    // Fragments another update is answering are not ours to join, unless we are that update.
    let joinable = match held.claimed_by {
        Some(by) if by != message.update_id => &[][..],
        _ => &held.messages[..],
    };
    match fragments::next_step(joinable, message) {
        Step::Answer => handle_message(state, message).await,
        Step::Hold(parts) => {
            if !state
                .store
                .hold_fragments(chat, &parts, held.last().filter(|_| !joinable.is_empty()))
                .await?
            {
                return Err(Failure::retryable(anyhow!(
                    "held fragments changed meanwhile"
                )));
            }
            schedule_flush(state, message).await
        }
        Step::AlreadyHeld => schedule_flush(state, message).await,
        Step::Complete(joined) => {
            let last = held.last().unwrap_or(message.update_id);
            if state
                .store
                .claim_fragments(chat, last, message.update_id)
                .await?
            {
                tracing::info!(
                    parts = joinable.len() + 1,
                    "answering a message Telegram delivered in parts"
                );
                handle_message(state, &joined).await?;
                state.store.release_fragments(chat, message.update_id).await
            } else {
                // The wait ran out and the held parts were answered on their own.
                handle_message(state, message).await
            }
        }
        Step::FlushThenAnswer(joined) => {
            if state
                .store
                .claim_fragments(chat, joined.update_id, joined.update_id)
                .await?
            {
                handle_message(state, &joined).await?;
                state
                    .store
                    .release_fragments(chat, joined.update_id)
                    .await?;
            }
            handle_message(state, message).await
        }
    }
}

/// Looks at the held fragments again after `HOLD_MS`, in case no more parts come.
async fn schedule_flush<S, M, Q: Queue, T>(
    state: &ProcessorState<S, M, Q, T>,
    newest: &IncomingMessage,
) -> Result<()> {
    let job = WorkJob::Flush {
        flush_fragments: FlushFragments {
            chat_id: newest.chat_id,
            update_id: newest.update_id,
            // Counted from now, not from when the part was sent: after a backlog that
            // deadline would have passed, and the check could answer this part alone
            // before the next one, queued right behind it, is read.
            due_ms: now_ms() + fragments::HOLD_MS,
        },
    };
    state
        .work
        .send(&Envelope {
            body: serde_json::to_string(&job).map_err(Failure::permanent)?,
            group_id: format!("fragments-{}", newest.chat_id),
            dedup_id: format!("flush-{}", newest.update_id),
        })
        .await
}

async fn flush<S, M, Q, T>(state: &ProcessorState<S, M, Q, T>, job: &FlushFragments) -> Result<()>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    let held = state.store.held_fragments(job.chat_id).await?;
    // A later part took over (it scheduled its own check), or they were answered.
    if held.last() != Some(job.update_id)
        || !state
            .store
            .claim_fragments(job.chat_id, job.update_id, job.update_id)
            .await?
    {
        return Ok(());
    }
    tracing::info!(
        parts = held.messages.len(),
        "no further part came; answering what was held"
    );
    handle_message(state, &fragments::join(&held.messages)).await?;
    state
        .store
        .release_fragments(job.chat_id, job.update_id)
        .await
}

async fn handle_message<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
) -> Result<()>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    let reply = |purpose: &str, text: String| OutgoingMessage::reply_to(message, purpose, text);
    match &message.command {
        None => Box::pin(answer(state, message)).await,
        Some(Command::Reset) => {
            state
                .store
                .start_new_conversation(message.conversation(), message.update_id, now_ms())
                .await?;
            if state.mode == ApiMode::Responses {
                // The next message opens a fresh server-side conversation.
                state
                    .store
                    .set_server_conversation(message.conversation(), None)
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
                .recent_history(message.conversation(), EXPORT_TURNS)
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
            let list = state
                .store
                .conversation_list(message.conversation(), 10)
                .await?;
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
        Some(Command::Persona | Command::Cancel | Command::Settings | Command::Voice) => {
            tracing::warn!(command = ?message.command, "reached the processor; the webhook answers it");
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

async fn answer<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
) -> Result<()>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    if let Some(stored) = state.store.stored_reply(message.update_id).await? {
        tracing::info!(update_id = %message.update_id, "reply already stored; re-enqueueing it without calling the model");
        let settings = state
            .store
            .profile(message.settings_owner())
            .await?
            .settings;
        return enqueue_reply(&state.outbox, &model_reply(message, stored, &settings)).await;
    }

    // In a group the group's persona and settings apply, and nobody's personal style;
    // its profile is read alongside the rest.
    let group_profile = async {
        if message.group {
            state
                .store
                .profile(message.settings_owner())
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    };
    let (history, profile, group_profile) = futures::try_join!(
        state
            .store
            .recent_history(message.conversation(), state.history_turns),
        state.store.profile(message.from.id),
        group_profile,
    )?;
    let owner = group_profile.unwrap_or_else(|| profile.clone());
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
    // Voice becomes text and a photo comes along as an image, before anything else.
    let (message, image) = match Box::pin(read_media(state, message, &owner)).await? {
        Ok(prepared) => prepared,
        Err(notice) => return enqueue_reply(&state.outbox, &notice).await,
    };
    let message = &message;
    // Right after /new_style, a forward is a sample of how the user writes elsewhere.
    if message.forwarded && !message.group && profile.sample_window_until_ms > now_ms() {
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
    let persona = Persona::from_choice(&owner.persona.clone().unwrap_or_default());
    let style = profile
        .style
        .as_ref()
        .filter(|_| profile.style_enabled && !message.group);
    // A picture needs a model that sees; text goes to the chat's choice.
    let model = match (&image, &state.vision_model) {
        (Some(_), Some(vision)) => Some(vision.as_str()),
        _ => chosen_model(state, &owner),
    };
    if state.mode == ApiMode::Responses {
        let instructions =
            build_prompt(&persona, style, None, &[], 0, &message.from.first_name, "")
                .swap_remove(0)
                .content;
        let completion = Box::pin(respond_in_conversation(
            state,
            message,
            &instructions,
            image,
        ))
        .await;
        return finish(
            state, message, &profile, &owner, over_limit, completion, None,
        )
        .await;
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
            .begin_conversation(message.conversation(), &title, now_ms())
            .await?;
    }
    let prompt_for = |summary: Option<&str>, turns: &[StoredTurn]| {
        let turns: Vec<Turn> = turns.iter().map(|t| t.turn.clone()).collect();
        let mut prompt = build_prompt(
            &persona,
            style,
            summary,
            &turns,
            state.history_turns,
            &message.from.first_name,
            &message.text,
        );
        if let Some(last) = prompt.last_mut() {
            last.image.clone_from(&image);
        }
        prompt
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
    let mut completion = Box::pin(generate(
        state,
        message,
        || state.model.complete_stream(&prompt, model),
        || state.model.complete(&prompt, model),
        &prompt,
    ))
    .await;
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
        completion = Box::pin(generate(
            state,
            message,
            || state.model.complete_stream(&prompt, model),
            || state.model.complete(&prompt, model),
            &prompt,
        ))
        .await;
    }
    finish(
        state,
        message,
        &profile,
        &owner,
        over_limit,
        completion,
        Some((&prompt, extra_usage)),
    )
    .await
}

/// The model for this chat: the one picked in /settings if it is still allowed.
fn chosen_model<'a, S, M, Q, T>(
    state: &'a ProcessorState<S, M, Q, T>,
    owner: &UserProfile,
) -> Option<&'a str> {
    let picked = owner.settings.model.as_deref()?;
    state
        .allowed_models
        .iter()
        .find(|m| *m == picked)
        .map(String::as_str)
}

/// A voice message becomes its transcript, a photo an image for the model. `Err` is a
/// notice for the user instead of an answer (too large, nothing heard).
async fn read_media<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    owner: &UserProfile,
) -> Result<std::result::Result<(IncomingMessage, Option<Image>), OutgoingMessage>>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    let Some(media) = &message.media else {
        return Ok(Ok((message.clone(), None)));
    };
    let (file_id, size) = match media {
        Media::Sound { file_id, size, .. } | Media::Photo { file_id, size } => (file_id, *size),
    };
    let notice =
        |purpose: &str, text: String| Ok(Err(OutgoingMessage::reply_to(message, purpose, text)));
    if size.is_some_and(|s| s > MAX_DOWNLOAD_BYTES) {
        return notice("too-large", texts::file_too_large(size));
    }
    let data = match download(state, file_id).await {
        Ok(data) => data,
        Err(DownloadError::TooLarge(size)) => {
            return notice("too-large", texts::file_too_large(size));
        }
        Err(DownloadError::Unreadable(why)) => {
            tracing::warn!(%why, "could not download the user's file");
            return notice("media", texts::MEDIA_FAILED.to_owned());
        }
        Err(DownloadError::Failed(e)) => return Err(e),
    };
    let mut message = message.clone();
    match media {
        Media::Photo { .. } => {
            // The caption is the question; the history remembers that there was a picture.
            message.text = if message.text.trim().is_empty() {
                "[photo]".to_owned()
            } else {
                format!("[photo] {}", message.text)
            };
            Ok(Ok((message, Some(Image::sniff(data)))))
        }
        Media::Sound { kind, .. } => {
            let file_name = match kind {
                SoundKind::Voice => "voice.ogg",
                SoundKind::Audio => "audio.mp3",
                SoundKind::VideoNote => "video-note.mp4",
            };
            let transcript = retrying(state, || state.model.transcribe(data.clone(), file_name))
                .await
                .map_err(|e| e.context("transcription failed"))?;
            if transcript.trim().is_empty() {
                return notice("transcript", texts::NO_WORDS_HEARD.to_owned());
            }
            if owner.settings.show_transcript {
                let shown = OutgoingMessage::reply_to(
                    &message,
                    "transcript",
                    texts::transcript(&transcript),
                );
                enqueue_reply(&state.outbox, &shown).await?;
            }
            message.text = if message.text.trim().is_empty() {
                transcript
            } else {
                format!("{}\n{transcript}", message.text)
            };
            Ok(Ok((message, None)))
        }
    }
}

enum DownloadError {
    TooLarge(Option<u64>),
    /// Telegram will not give us this file (wrong id, gone): retrying will not help.
    Unreadable(String),
    Failed(Failure),
}

async fn download<S, M, Q, T: Telegram>(
    state: &ProcessorState<S, M, Q, T>,
    file_id: &str,
) -> std::result::Result<Vec<u8>, DownloadError> {
    let classify = |e: TelegramError| match e {
        TelegramError::Rejected { description, .. }
            if description.to_ascii_lowercase().contains("too big") =>
        {
            DownloadError::TooLarge(None)
        }
        TelegramError::Rejected { code, description } => {
            DownloadError::Unreadable(format!("{code}: {description}"))
        }
        TelegramError::Forbidden(d) => DownloadError::Unreadable(d),
        other => DownloadError::Failed(Failure::retryable(anyhow!("Telegram file: {other}"))),
    };
    let file = state.telegram.get_file(file_id).await.map_err(classify)?;
    if file.size.is_some_and(|s| s > MAX_DOWNLOAD_BYTES) {
        return Err(DownloadError::TooLarge(file.size));
    }
    state.telegram.download(&file).await.map_err(classify)
}

/// One model reply, streamed when streaming is on (drafts in private chats, "typing…" in
/// groups), with bounded retries. The user can stop it.
async fn generate<S, M, Q, T, O, OF, C, CF>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    open: O,
    once: C,
    prompt: &[PromptMessage],
) -> Result<Completion>
where
    S: ProcessorStore,
    Q: Queue,
    T: Telegram,
    O: Fn() -> OF,
    OF: std::future::Future<Output = Result<ReplyStream>>,
    C: Fn() -> CF,
    CF: std::future::Future<Output = Result<Completion>>,
{
    if !state.stream {
        typing(state, message).await;
        return retrying(state, once).await;
    }
    let chat = message.chat_id;
    let draft_id = draft_id(message);
    state.store.begin_generation(chat, draft_id).await?;
    let result = retrying(state, || stream_once(state, message, &open, prompt)).await;
    if let Err(e) = state.store.end_generation(chat, draft_id).await {
        tracing::warn!(error = %e, "could not clear the generation marker; it expires by itself");
    }
    result
}

/// Drafts are numbered by the message they answer, so a retry animates the same draft.
fn draft_id(message: &IncomingMessage) -> i64 {
    // Non-zero and within Telegram's 32-bit range.
    (message.update_id.0 % (i32::MAX as u64 - 1)) as i64 + 1
}

async fn typing<S, M, Q, T: Telegram>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
) {
    if let Err(e) = state
        .telegram
        .send_typing(message.chat_id, message.topic)
        .await
    {
        tracing::debug!(error = %e, "could not show typing");
    }
}

async fn stream_once<S, M, Q, T, O, OF>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    open: &O,
    prompt: &[PromptMessage],
) -> Result<Completion>
where
    S: ProcessorStore,
    T: Telegram,
    O: Fn() -> OF,
    OF: std::future::Future<Output = Result<ReplyStream>>,
{
    let started = Instant::now();
    let draft_id = draft_id(message);
    // Drafts exist in private chats only; groups see "typing…".
    let mut pacer = DraftPacer::new(state.draft_interval, started, !message.group);
    let mut html = true;
    if message.group {
        typing(state, message).await;
    } else {
        // An empty draft shows "Thinking…" until the first words arrive.
        send_draft(state, message, draft_id, "", &mut html, &mut pacer).await;
    }
    let mut stream = open().await?;
    let mut text = String::new();
    let mut reported: Option<Usage> = None;
    let mut stopped = false;
    let mut next_check = started + state.draft_interval;
    let mut next_typing = started + TYPING_EVERY;
    loop {
        let mut wake = next_check;
        if message.group {
            wake = wake.min(next_typing);
        }
        if let Some(draft_due) = pacer.wake_at(text.len()) {
            wake = wake.min(draft_due);
        }
        let event =
            tokio::time::timeout_at(tokio::time::Instant::from_std(wake), stream.next()).await;
        match event {
            Ok(Some(Ok(StreamEvent::Delta(delta)))) => text.push_str(&delta),
            Ok(Some(Ok(StreamEvent::Usage {
                model,
                prompt_tokens,
                completion_tokens,
            }))) => {
                reported = Some(Usage {
                    model,
                    prompt_tokens,
                    completion_tokens,
                    response_ms: 0,
                });
            }
            Ok(Some(Err(e))) => return Err(e),
            Ok(None) => break,
            Err(_) => {}
        }
        let now = Instant::now();
        if now >= next_check {
            next_check = now + state.draft_interval;
            match state
                .store
                .generation_cancelled(message.chat_id, draft_id)
                .await
            {
                Ok(true) => {
                    stopped = true;
                    break;
                }
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "could not check for a stop request"),
            }
        }
        if pacer.due(now, text.len()) {
            let shown = draft_window(&text, MAX_MESSAGE - 96).to_owned();
            send_draft(state, message, draft_id, &shown, &mut html, &mut pacer).await;
        }
        if message.group && now >= next_typing {
            next_typing = now + TYPING_EVERY;
            typing(state, message).await;
        }
    }
    // Dropping the stream closes the connection, which stops the generation upstream.
    drop(stream);
    if stopped {
        tracing::info!(chars = text.len(), "the user stopped the reply");
    } else if text.trim().is_empty() {
        return Err(Failure::retryable(anyhow!("OpenAI streamed no text")));
    }
    let mut usage = reported.unwrap_or_else(|| Usage {
        // A stopped stream never reports usage: count what was sent and written.
        model: String::new(),
        prompt_tokens: state.calibration().apply(estimate_messages(prompt)),
        completion_tokens: estimate_text(&text),
        response_ms: 0,
    });
    usage.response_ms = started.elapsed().as_millis() as u64;
    Ok(Completion {
        text,
        usage,
        stopped,
    })
}

/// Shows the partial reply. Failures never stop the reply itself: a 429 pauses drafts for
/// `retry_after`, a markup error falls back to plain text, anything else ends drafting.
async fn send_draft<S, M, Q, T: Telegram>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    draft_id: i64,
    markdown: &str,
    html: &mut bool,
    pacer: &mut DraftPacer,
) {
    let text = if markdown.is_empty() {
        String::new()
    } else {
        let parts = render_parts(markdown, MAX_MESSAGE);
        let last = parts.into_iter().last();
        match last {
            Some(p) if *html => p.html,
            Some(p) => p.plain,
            None => String::new(),
        }
    };
    let draft = Draft {
        chat_id: message.chat_id,
        topic: message.topic,
        draft_id,
        text,
        html: *html && !markdown.is_empty(),
    };
    let now = Instant::now();
    match state.telegram.send_draft(&draft).await {
        Ok(()) => pacer.sent(now, markdown.len()),
        Err(TelegramError::RetryAfter(wait)) => {
            tracing::info!(?wait, "Telegram asked to slow down; pausing drafts");
            pacer.flood_wait(now, wait);
        }
        Err(TelegramError::Rejected { description, .. })
            if *html && description.contains("can't parse entities") =>
        {
            tracing::warn!(%description, "draft markup refused; drafting in plain text");
            *html = false;
        }
        Err(e) => {
            tracing::warn!(error = %e, "drafts failed; the reply still comes as a message");
            pacer.disable();
        }
    }
}

/// Responses mode: the provider keeps the history in a conversation we open lazily.
async fn respond_in_conversation<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    instructions: &str,
    image: Option<Image>,
) -> Result<Completion>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    let conversation = match state
        .store
        .server_conversation(message.conversation())
        .await?
    {
        Some(id) => id,
        None => {
            // A new server-side conversation starts a new one of ours: it takes its title
            // from this first message.
            let id = retrying(state, || state.model.new_conversation()).await?;
            state
                .store
                .set_server_conversation(message.conversation(), Some(&id))
                .await?;
            let title = title_from(&message.text);
            state
                .store
                .begin_conversation(message.conversation(), &title, now_ms())
                .await?;
            id
        }
    };
    let mut input = PromptMessage::new(crate::domain::PromptRole::User, message.text.clone());
    input.image = image;
    let prompt = [input];
    generate(
        state,
        message,
        || {
            state
                .model
                .respond_stream(&conversation, instructions, &prompt[0])
        },
        || state.model.respond(&conversation, instructions, &prompt[0]),
        &prompt,
    )
    .await
}

/// Stores the exchange and enqueues the reply, or tells the user the model failed.
/// `chat` carries the prompt (to calibrate the estimate) and the summary calls' usage.
async fn finish<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    profile: &UserProfile,
    owner: &UserProfile,
    over_limit: bool,
    completion: Result<Completion>,
    chat: Option<(&[PromptMessage], Usage)>,
) -> Result<()>
where
    S: ProcessorStore,
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
    if completion.usage.model.is_empty() {
        completion.usage.model = chosen_model(state, owner)
            .unwrap_or(&state.default_model)
            .to_owned();
    }
    if let Some((prompt, extra_usage)) = chat {
        if !completion.stopped {
            state
                .calibration
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .observe(estimate_messages(prompt), completion.usage.prompt_tokens);
        }
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
    let stopped = completion.stopped;
    if stopped && completion.text.trim().is_empty() {
        let notice = OutgoingMessage::reply_to(message, "stopped", texts::STOPPED_EMPTY);
        return enqueue_reply(&state.outbox, &notice).await;
    }
    let stored = state
        .store
        .record_exchange(&Exchange {
            update_id: message.update_id,
            conversation: message.conversation(),
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
    enqueue_reply(
        &state.outbox,
        &model_reply(message, stored, &owner.settings),
    )
    .await?;
    if stopped {
        // What was written is kept (stored above and sent); say why it ends there.
        let notice = OutgoingMessage::reply_to(message, "stopped", texts::STOPPED);
        enqueue_reply(&state.outbox, &notice).await?;
    }
    Ok(())
}

/// The model's answer: Markdown, rendered by the sender; also spoken with `/voice on`.
fn model_reply(
    message: &IncomingMessage,
    text: String,
    settings: &crate::domain::Settings,
) -> OutgoingMessage {
    let mut reply = OutgoingMessage::reply_to(message, "reply", text);
    reply.markdown = true;
    reply.voice = settings.voice_replies;
    reply
}

/// One model call with bounded, jittered retries of the retryable failures.
async fn call_model<S, M: ChatModel, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    prompt: &[PromptMessage],
) -> Result<Completion> {
    retrying(state, || state.model.complete(prompt, None)).await
}

/// Runs `call` with bounded, jittered retries of the retryable failures.
async fn retrying<S, M, Q, T, R, F, Fut>(state: &ProcessorState<S, M, Q, T>, call: F) -> Result<R>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<R>>,
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
async fn fold<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    summary: &mut Option<String>,
    turns: &mut Vec<StoredTurn>,
    keep: usize,
    usage: &mut Usage,
) -> Result<()>
where
    S: ConversationStore,
    M: ChatModel,
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
        .save_summary(message.conversation(), &newest_folded, &notes.text)
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
