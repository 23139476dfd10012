//! Responses mode: the provider keeps the conversation, we keep its id (and, as in chat
//! mode, every turn). A conversation the provider lost is replaced by a new one seeded
//! with our own record of it, and the user is told once; a server without the Responses
//! API is left to the caller, which answers with Chat Completions instead.

use super::answer::{Speakers, turns_of, voice_of};
use super::finish::finish;
use super::generate::{FINISH_MARGIN, Request, generate};
use super::progress::Progress;
use super::{Delivery, ProcessorModel, ProcessorState, ProcessorStore};
use crate::clock::Deadline;
use crate::domain::conversation::{build_prompt, title_from};
use crate::domain::memory::{NOTES_MAX_TOKENS, combine_notes, keep_whole_exchanges, notes_prompt};
use crate::domain::{
    History, Image, IncomingMessage, OutgoingMessage, PromptMessage, PromptRole, Role, texts,
};
use crate::error::{Cause, Result};
use crate::handlers::enqueue_reply;
use crate::handlers::retry::retrying;
use crate::ports::{Queue, Telegram};

/// A new conversation takes this many of our turns; older ones go into notes.
const SEED_TURNS: usize = 18;

/// What the answer is made of, besides the message itself.
pub(super) struct Asked<'a> {
    /// Whose persona, style and settings shape the answer.
    pub speakers: &'a Speakers,
    /// Photos the message carried, sent to the model with it.
    pub images: &'a [Image],
    /// Ours, for seeding a conversation the provider lost.
    pub history: &'a History,
    /// The chat's pick in /settings, as in chat mode; else the configured model.
    pub model: Option<&'a str>,
}

pub(super) async fn respond<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    asked: Asked<'_>,
    progress: &mut Progress<'_>,
    delivery: Delivery,
) -> Result<()>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    let Asked {
        speakers,
        images,
        history,
        model: chosen,
    } = asked;
    let (persona, style) = voice_of(speakers, message);
    let instructions = build_prompt(
        &persona,
        style.as_ref(),
        None,
        &[],
        0,
        &message.from.first_name,
        "",
    )
    .swap_remove(0)
    .content;
    let deadline = delivery.deadline.less(FINISH_MARGIN);
    let conversation = match state
        .store
        .server_conversation(message.conversation())
        .await?
    {
        Some(id) => id,
        // A new server-side conversation starts a new one of ours, unless ours goes on
        // (opened again from /history, or an answer written again with /retry): then
        // the new one is seeded from ours.
        None => {
            let ours = !history.turns.is_empty() || history.summary.is_some();
            open(state, message, ours.then_some(history), deadline).await?
        }
    };
    let mut input = PromptMessage::new(PromptRole::User, message.text.clone());
    input.images = images.to_vec();
    let sent = [
        PromptMessage::new(PromptRole::System, instructions.clone()),
        input,
    ];
    let model = chosen.unwrap_or(state.default_model.as_str());
    let request = Request::Responses {
        conversation: &conversation,
        instructions: &instructions,
        input: &sent,
        model: chosen,
        max_tokens: speakers.max_tokens,
    };
    let completion = match Box::pin(generate(state, message, request, progress, delivery, model))
        .await
    {
        Err(e) if e.is(Cause::ConversationGone) => {
            tracing::warn!(error = %e, "the provider lost this conversation; starting a new one from ours");
            let conversation = open(state, message, Some(history), deadline).await?;
            let notice = OutgoingMessage::reply_to(
                message,
                "restored",
                texts::conversation_restored(message.lang()),
            );
            enqueue_reply(&state.outbox, &notice).await?;
            let request = Request::Responses {
                conversation: &conversation,
                instructions: &instructions,
                input: &sent,
                model: chosen,
                max_tokens: speakers.max_tokens,
            };
            Box::pin(generate(state, message, request, progress, delivery, model)).await
        }
        other => other,
    }?;
    Box::pin(finish(state, message, speakers, completion, None)).await
}

/// Opens a server-side conversation and remembers it. `carried`: the history of ours it
/// replaces, seeded into it; without one this message starts a conversation of ours too.
async fn open<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    carried: Option<&History>,
    deadline: Deadline,
) -> Result<String>
where
    S: ProcessorStore,
    M: ProcessorModel,
{
    let seed = match carried {
        Some(history) => seed(state, history, deadline).await,
        None => Vec::new(),
    };
    let id = retrying(state.attempts(), deadline, || {
        state.model.new_conversation(&seed)
    })
    .await?;
    state
        .store
        .set_server_conversation(message.conversation(), Some(&id))
        .await?;
    if carried.is_none() {
        let title = title_from(&message.text);
        state
            .store
            .begin_conversation(message.conversation(), &title, state.clock.now_ms())
            .await?;
    }
    Ok(id)
}

/// Our record of the conversation as items for a new one: notes on what came before (the
/// stored summary, plus notes on turns too old to carry), then the newest whole exchanges.
async fn seed<S, M: ProcessorModel, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    history: &History,
    deadline: Deadline,
) -> Vec<PromptMessage> {
    let roles: Vec<Role> = history.turns.iter().map(|t| t.turn.role).collect();
    let keep = keep_whole_exchanges(&roles, SEED_TURNS);
    let older: Vec<_> = turns_of(&history.turns[keep..]).into_iter().rev().collect();
    let mut notes = history.summary.clone();
    if !older.is_empty() {
        let request = notes_prompt(notes.as_deref(), &older);
        match retrying(state.attempts(), deadline, || {
            state.model.complete(&request, None, NOTES_MAX_TOKENS)
        })
        .await
        {
            Ok(written) => notes = Some(combine_notes(notes.as_deref(), &written.text)),
            Err(e) => {
                tracing::warn!(error = %e, "could not write notes on the oldest turns; carrying the newest only")
            }
        }
    }
    let mut seed = Vec::with_capacity(keep + 1);
    if let Some(notes) = notes.filter(|n| !n.trim().is_empty()) {
        seed.push(PromptMessage::new(
            PromptRole::System,
            format!("What happened earlier in this conversation, in your own notes: {notes}"),
        ));
    }
    for turn in history.turns[..keep].iter().rev() {
        let role = match turn.turn.role {
            Role::User => PromptRole::User,
            Role::Assistant => PromptRole::Assistant,
        };
        seed.push(PromptMessage::new(role, turn.turn.text.clone()));
    }
    seed
}
