//! A message for the model: everything that comes before the call (the stored-reply
//! guard, limits, media, style samples, the prompt and its budget) and the call itself.

use super::chat::Chat;
use super::delivery::say_last_word;
use super::finish::model_reply;
use super::media::read_media;
use super::progress::Progress;
use super::{Delivery, ProcessorModel, ProcessorState, ProcessorStore, responses};
use crate::config::ApiMode;
use crate::domain::budget::{self, Verdict};
use crate::domain::persona::Persona;
use crate::domain::{
    History, Image, IncomingMessage, OutgoingMessage, StoredTurn, StyleProfile, Totals, Turn,
    UserProfile, texts,
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
    let Some(plan) = Box::pin(prepare(state, message, loaded, delivery)).await? else {
        return Ok(());
    };
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
    if let Some(outcome) = Box::pin(conversation).await {
        return outcome;
    }
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
        totals,
        ..
    } = loaded;
    let owner = group_profile.unwrap_or_else(|| profile.clone());
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
    let (message, images) = match media {
        Ok(prepared) => prepared,
        Err(notice) => return enqueue_reply(&state.outbox, &notice).await.map(|()| None),
    };
    // Right after /new_style, a forward is a sample of how the user writes elsewhere.
    if message.forwarded && !message.group && profile.sample_window_until_ms > state.clock.now_ms()
    {
        return add_sample(state, &message).await.map(|()| None);
    }
    Ok(Some(Plan {
        message,
        images,
        history,
        speakers: Speakers {
            profile,
            owner,
            over_limit,
        },
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

/// What an answer starts from, read together.
pub(super) struct Loaded {
    /// What is stored for this update already: its answer, or the word given up with.
    stored: Option<StoredReply>,
    /// Today, this month and all time for the sender, when a limit applies to them.
    totals: Option<[Totals; 3]>,
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
    let totals = async {
        if limited(state, message) {
            let now = state.clock.now_ms();
            state
                .store
                .user_totals(message.from.id, now)
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    };
    let (stored, history, profile, group_profile, totals) = futures::try_join!(
        state.store.stored_reply(ReplySlot::of(message)),
        state
            .store
            .recent_history(message.conversation(), state.history_turns),
        state.store.profile(message.from.id.into()),
        group_profile,
        totals,
    )?;
    Ok(Loaded {
        stored,
        totals,
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
    Reached(OutgoingMessage),
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
        } => Limit::Reached(OutgoingMessage::reply_to(
            message,
            "limit",
            texts::limit_reached(message.lang(), period, resets_at_ms),
        )),
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
