//! A message for the model: everything that comes before the call (the stored-reply
//! guard, limits, media, style samples, the prompt and its budget) and the call itself.

use super::chat::Chat;
use super::delivery::say_last_word;
use super::finish::model_reply;
use super::media::read_media;
use super::progress::Progress;
use super::reserve::{self, Reserved};
use super::{Delivery, ProcessorModel, ProcessorState, ProcessorStore, responses};
use crate::config::ApiMode;
use crate::domain::budget::{self, Budget, Verdict};
use crate::domain::persona::Persona;
use crate::domain::{
    Command, History, Image, IncomingMessage, Media, OutgoingMessage, StoredTurn, StyleProfile,
    Totals, Turn, UserProfile, texts,
};
use crate::error::{Cause, Result};
use crate::handlers::capabilities::Feature;
use crate::handlers::enqueue_reply;
use crate::handlers::style_refresh::refresh_user;
use crate::ports::{Queue, ReplySlot, StoredReply, Telegram};

/// Who is answering and for whom: the sender's profile, and the profile whose persona and
/// settings apply (the group's, in a group).
pub(super) struct Speakers {
    /// The sender's: their limits, credits, style and whether they are new.
    pub profile: UserProfile,
    /// Whose persona and settings apply: the sender's, or in a group the group's.
    pub owner: UserProfile,
    /// Tokens come from the user's credits: they are past a limit.
    pub over_limit: bool,
    /// A budget hold was made for this call: the exchange settles it, else it is released.
    pub held: bool,
    /// The longest reply to ask for: `MAX_REPLY_TOKENS`, or less when a limit is near.
    pub max_tokens: u32,
    /// Set once the exchange (and with it the hold's settlement) is recorded.
    pub settled: std::sync::atomic::AtomicBool,
    /// What hearing a voice note cost (micro-dollars), added to the exchange's cost.
    pub audio_micros: u64,
}

/// The steps of answering a message: a stored answer or last word is repeated; else the
/// message is prepared (`prepare`), answered in a provider-side conversation in Responses
/// mode (`in_conversation`), and otherwise with our own history (`Chat::answer`).
pub(super) async fn answer<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    delivery: Delivery,
) -> Result<()>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    // Every read the answer may need, at once: one round trip before anything else.
    let loaded = load(state, message).await?;
    Box::pin(answer_loaded(state, message, delivery, loaded)).await
}

/// `answer`, with its reads already made (alongside the fragments' by the caller).
pub(super) async fn answer_loaded<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    delivery: Delivery,
    loaded: Loaded,
) -> Result<()>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    // The profile is loaded: from here on, the bot's words follow the user's `/language`.
    let message = &message.with_chosen_lang(loaded.profile.lang);
    if Box::pin(repeated(state, message, delivery, &loaded)).await? {
        return Ok(());
    }
    let Some(mut plan) = Box::pin(prepare(state, message, loaded, delivery)).await? else {
        return Ok(());
    };
    // A retry writes an answer again in its place, not in a new conversation.
    if plan.message.command != Some(Command::Retry) {
        let history = std::mem::take(&mut plan.history);
        plan.history = Box::pin(super::idle::fresh_if_idle(state, &plan.message, history)).await?;
    }
    let Plan {
        message,
        images,
        history,
        speakers,
        chosen,
        vision_model,
    } = plan;
    let mut progress = Progress::new(state, &message);
    let asked = responses::Asked {
        speakers: &speakers,
        images: &images,
        history: &history,
        // VISION_MODEL is for chat mode; a conversation keeps the chat's model.
        model: chosen,
    };
    let conversation = in_conversation(state, &message, asked, &mut progress, delivery);
    let answered = Box::pin(conversation).await;
    let outcome = match answered {
        Some(outcome) => outcome,
        None => {
            let chat = Chat {
                message: &message,
                speakers: &speakers,
                model: if images.is_empty() {
                    chosen
                } else {
                    Some(vision_model)
                },
                images,
                vision_model,
            };
            Box::pin(chat.answer(state, history, &mut progress, delivery)).await
        }
    };
    // Whatever stopped the exchange from being recorded (a failure, a notice instead of
    // an answer), the call's hold must not keep counting against the user.
    if speakers.held && !speakers.settled.load(std::sync::atomic::Ordering::Relaxed) {
        reserve::release(state, &message).await;
    }
    outcome
}

/// What a prepared message is answered from.
struct Plan<'s> {
    /// The message, with a voice note's words as its text.
    message: IncomingMessage,
    images: Vec<Image>,
    history: History,
    speakers: Speakers,
    /// The chat's pick in /settings, if still allowed.
    chosen: Option<&'s str>,
    /// Where photos go in chat mode.
    vision_model: &'s str,
}

/// Whether this update was dealt with before: its stored answer is sent again, or its
/// last word repeated (unless an operator's redrive asks for the answer after all).
async fn repeated<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    delivery: Delivery,
    loaded: &Loaded,
) -> Result<bool>
where
    S: ProcessorStore,
    Q: Queue,
{
    match &loaded.stored {
        Some(StoredReply::Answer(stored)) => {
            tracing::info!(update_id = %message.update_id, "reply already stored; re-enqueueing it without calling the model");
            let owner = loaded.group_profile.as_ref().unwrap_or(&loaded.profile);
            let reply = model_reply(message, stored.clone(), &owner.settings);
            enqueue_reply(&state.outbox, &reply).await?;
            Ok(true)
        }
        Some(StoredReply::LastWord(word)) if !delivery.redrive => {
            tracing::info!(update_id = %message.update_id, "given up on before; repeating the last word");
            say_last_word(state, message, word).await?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// Reads what the answer needs, checks the limits, and turns media into text and images.
/// `None` when the message was answered on the way (a limit, a notice, a style sample).
async fn prepare<'s, S, M, Q, T>(
    state: &'s ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    loaded: Loaded,
    delivery: Delivery,
) -> Result<Option<Plan<'s>>>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    let Loaded {
        history,
        profile,
        group_profile,
        budget,
        ..
    } = loaded;
    let owner = group_profile.unwrap_or_else(|| profile.clone());
    let totals = budget.as_ref().map(|b| b.totals);
    let over_limit = match within_limits(state, message, &profile, totals) {
        Limit::Within { from_credits } => from_credits,
        Limit::Reached(notice) => {
            return enqueue_reply(&state.outbox, &notice).await.map(|()| None);
        }
    };
    let chosen = chosen_model(state, &owner);
    let vision_model = state
        .vision_model
        .as_deref()
        .or(chosen)
        .unwrap_or(&state.default_model);
    // Voice becomes text and photos come along as images, before anything else.
    let media = Box::pin(read_media(state, message, &owner, vision_model, delivery)).await?;
    let audio_micros = match &message.media {
        Some(Media::Sound { duration_secs, .. }) if media.is_ok() => state
            .prices
            .audio_micros(&state.transcription_model, *duration_secs),
        _ => 0,
    };
    let (message, images) = match media {
        Ok(prepared) => prepared,
        Err(notice) => return enqueue_reply(&state.outbox, &notice).await.map(|()| None),
    };
    // Right after /new_style, a forward is a sample of how the user writes elsewhere.
    if message.forwarded && !message.group && profile.sample_window_until_ms > state.clock.now_ms()
    {
        return add_sample(state, &message).await.map(|()| None);
    }
    let mut speakers = Speakers {
        profile,
        owner,
        over_limit,
        held: false,
        max_tokens: state.reply_tokens,
        settled: std::sync::atomic::AtomicBool::new(false),
        audio_micros,
    };
    if let Some(budget) = budget.filter(|_| !over_limit) {
        let model = if images.is_empty() {
            chosen.unwrap_or(&state.default_model)
        } else {
            vision_model
        };
        let reserving = reserve::reserve(state, &message, &speakers, &history, model, budget);
        match Box::pin(reserving).await? {
            Reserved::Go { held, max_tokens } => {
                speakers.held = held;
                speakers.max_tokens = max_tokens;
            }
            Reserved::FromCredits => speakers.over_limit = true,
            Reserved::Refused(notice) => {
                return enqueue_reply(&state.outbox, &notice).await.map(|()| None);
            }
        }
    }
    Ok(Some(Plan {
        message,
        images,
        history,
        speakers,
        chosen,
        vision_model,
    }))
}

/// The answer in Responses mode, from the provider-side conversation. `None` when this is
/// not Responses mode, or the server turned out to have no Responses API (remembered, and
/// answered with Chat Completions instead).
async fn in_conversation<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    asked: responses::Asked<'_>,
    progress: &mut Progress<'_>,
    delivery: Delivery,
) -> Option<Result<()>>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    let responses_api = Feature::ResponsesApi;
    if state.mode != ApiMode::Responses
        || state
            .capabilities
            .missing(&state.store, &responses_api)
            .await
    {
        return None;
    }
    let outcome = Box::pin(responses::respond(
        state, message, asked, progress, delivery,
    ))
    .await;
    match outcome {
        Err(e) if e.is(Cause::EndpointMissing) => {
            tracing::error!(error = %e, "the server has no Responses API; answering with Chat Completions and local history");
            state
                .capabilities
                .mark_missing(&state.store, &responses_api)
                .await;
            None
        }
        other => Some(other),
    }
}

impl Loaded {
    /// Whether this update was answered (or given up on) before.
    pub(super) fn answered_before(&self) -> bool {
        self.stored.is_some()
    }

    /// Takes the newest exchange out of the history (for `/retry`): the user's words and
    /// the positions of both turns; `None` unless the newest turn is an answer.
    pub(super) fn take_last_exchange(&mut self) -> Option<(String, Vec<String>)> {
        let [answer, asked, ..] = self.history.turns.as_slice() else {
            return None;
        };
        if answer.turn.role != crate::domain::Role::Assistant
            || asked.turn.role != crate::domain::Role::User
        {
            return None;
        }
        let text = asked.turn.text.clone();
        let mut keys = vec![answer.key.clone()];
        if asked.key != answer.key {
            keys.push(asked.key.clone());
        }
        self.history.turns.drain(..2);
        Some((text, keys))
    }
}

/// What an answer starts from, read together.
pub(super) struct Loaded {
    /// What is stored for this update already: its answer, or the word given up with.
    stored: Option<StoredReply>,
    /// The sender's meter (today, this month, all time, holds), when a limit applies.
    budget: Option<Budget>,
    history: History,
    /// The sender's.
    profile: UserProfile,
    /// In a group, the group's: its persona and settings apply.
    group_profile: Option<UserProfile>,
}

/// The stored reply, history, the sender's profile and usage and, in a group, the group's
/// profile: read together, in one round trip.
pub(super) async fn load<S: ProcessorStore, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
) -> Result<Loaded> {
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
    let budget = async {
        if limited(state, message) {
            let now = state.clock.now_ms();
            state
                .store
                .user_budget(message.from.id, now, false)
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    };
    let (stored, history, profile, group_profile, budget) = futures::try_join!(
        state.store.stored_reply(ReplySlot::of(message)),
        state
            .store
            .recent_history(message.conversation(), state.history_turns),
        state.store.profile(message.from.id.into()),
        group_profile,
        budget,
    )?;
    Ok(Loaded {
        stored,
        budget,
        history,
        profile,
        group_profile,
    })
}

/// Whether limits apply to the sender at all (none configured, or an admin: no read).
fn limited<S, M, Q, T>(state: &ProcessorState<S, M, Q, T>, message: &IncomingMessage) -> bool {
    !state.limits.is_unlimited() && !state.admins.contains(&message.from.id)
}

/// Whether the user may have an answer.
enum Limit {
    /// Yes; `from_credits` when they are past a limit and their credits pay.
    Within { from_credits: bool },
    /// No: a limit is reached, and this notice says until when. Nothing goes to the model
    /// and nothing is recorded.
    Reached(Box<OutgoingMessage>),
}

/// Checks the limits against `totals`, which were read with everything else when limits
/// apply (`None` when they do not).
fn within_limits<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    profile: &UserProfile,
    totals: Option<[Totals; 3]>,
) -> Limit {
    let Some([today, month, _]) = totals else {
        return Limit::Within {
            from_credits: false,
        };
    };
    let now = state.clock.now_ms();
    match budget::check(&state.limits, &today, &month, profile.credits, now) {
        Verdict::Allowed => Limit::Within {
            from_credits: false,
        },
        Verdict::FromCredits => Limit::Within { from_credits: true },
        Verdict::Exceeded {
            period,
            resets_at_ms,
        } => Limit::Reached(Box::new(OutgoingMessage::reply_to(
            message,
            "limit",
            texts::limit_reached(message.lang(), period, resets_at_ms),
        ))),
    }
}

async fn add_sample<S: ProcessorStore, M, Q: Queue, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
) -> Result<()> {
    state
        .store
        .add_style_sample(
            message.from.id,
            message.update_id,
            &message.text,
            message.date * 1000,
        )
        .await?;
    let samples = refresh_user(&state.store, message.from.id, state.clock.now_ms())
        .await?
        .map_or(0, |p| p.samples);
    enqueue_reply(
        &state.outbox,
        &OutgoingMessage::reply_to(
            message,
            "sample",
            texts::sample_added(message.lang(), samples),
        ),
    )
    .await
}

/// The model for this chat: the one picked in /settings if it is still allowed.
pub(super) fn chosen_model<'a, S, M, Q, T>(
    state: &'a ProcessorState<S, M, Q, T>,
    owner: &UserProfile,
) -> Option<&'a str> {
    let picked = owner.settings.model.as_deref()?;
    state
        .allowed_models
        .iter()
        .find(|m| m.as_str() == picked)
        .map(crate::domain::ModelName::as_str)
}

/// The persona's and style's part of every prompt.
pub(super) fn voice_of(
    speakers: &Speakers,
    message: &IncomingMessage,
) -> (Persona, Option<StyleProfile>) {
    let persona = Persona::from_choice(&speakers.owner.persona.clone().unwrap_or_default());
    let style = speakers
        .profile
        .style
        .clone()
        .filter(|_| speakers.profile.style_enabled && !message.group);
    (persona, style)
}

/// Turns as stored, for callers that only need their text.
pub(super) fn turns_of(turns: &[StoredTurn]) -> Vec<Turn> {
    turns.iter().map(|t| t.turn.clone()).collect()
}
