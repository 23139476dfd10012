//! A reply, once written: its usage priced and recorded with both turns in one
//! transaction, then queued for the sender.

use super::answer::{Speakers, chosen_model};
use super::{ProcessorState, ProcessorStore};
use crate::domain::memory::estimate_messages;
use crate::domain::{IncomingMessage, OutgoingMessage, PromptMessage, Settings, Usage, texts};
use crate::error::Result;
use crate::handlers::enqueue_reply;
use crate::ports::{Completion, Exchange, Queue, ReplySlot};

/// `chat` carries the prompt (to calibrate the estimate) and the summary calls' usage.
pub(super) async fn finish<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    speakers: &Speakers,
    mut completion: Completion,
    chat: Option<(&[PromptMessage], Usage)>,
) -> Result<()>
where
    S: ProcessorStore,
    Q: Queue,
{
    if completion.usage.model.is_empty() {
        completion.usage.model = chosen_model(state, &speakers.owner)
            .unwrap_or(&state.default_model)
            .to_owned();
    }
    if let Some((prompt, extra)) = chat {
        if !completion.usage.estimated {
            state
                .calibration
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .observe(estimate_messages(prompt), completion.usage.prompt_tokens);
        }
        // The summary calls are part of what this reply cost.
        completion.usage.prompt_tokens += extra.prompt_tokens;
        completion.usage.completion_tokens += extra.completion_tokens;
        completion.usage.estimated |= extra.estimated;
    }
    let cost_micros = with_audio(
        state.prices.cost_micros(&completion.usage),
        speakers.audio_micros + speech_micros(state, speakers, &completion.text),
    );
    let tokens_used =
        u64::from(completion.usage.prompt_tokens) + u64::from(completion.usage.completion_tokens);
    if cost_micros.is_none() {
        tracing::warn!(model = %completion.usage.model, "no price configured for this model; cost not recorded");
    }
    if completion.stopped && completion.text.trim().is_empty() {
        let notice =
            OutgoingMessage::reply_to(message, "stopped", texts::stopped_empty(message.lang()));
        return enqueue_reply(&state.outbox, &notice).await;
    }
    let ending = if completion.stopped {
        Some(texts::stopped(message.lang()))
    } else if completion.cut_short {
        Some(texts::cut_short(message.lang()))
    } else {
        None
    };
    let exchange = Exchange {
        update_id: message.update_id,
        sent_ms: ReplySlot::of(message).sent_ms,
        conversation: message.conversation(),
        user: message.from.clone(),
        user_text: message.text.clone(),
        reply: completion.text,
        usage: completion.usage,
        cost_micros,
        new_user: !speakers.profile.known,
        profile_changed: speakers
            .profile
            .seen_as
            .as_ref()
            .is_none_or(|seen| seen.changed_by(&message.from)),
        credits_used: if speakers.over_limit { tokens_used } else { 0 },
        held: speakers.held,
        at_ms: state.clock.now_ms(),
        replaces: super::retry::replaced(message),
    };
    let stored = state.store.record_exchange(&exchange).await?;
    speakers
        .settled
        .store(true, std::sync::atomic::Ordering::Relaxed);
    crate::metrics::usage(&exchange.usage, exchange.cost_micros);
    enqueue_reply(
        &state.outbox,
        &model_reply(message, stored, &speakers.owner.settings),
    )
    .await?;
    if let Some(text) = ending {
        // What was written is kept (stored above and sent); say why it ends there.
        let notice = OutgoingMessage::reply_to(message, "stopped", text);
        enqueue_reply(&state.outbox, &notice).await?;
    }
    Ok(())
}

/// What speaking `reply` will cost with `/voice on`. The sender speaks it, but the cost is
/// counted here, in the exchange's own transaction: no write of its own, covered by the
/// hold, and counted once however often the sender's record is delivered. It is priced
/// from the text (the sender's own estimate of a voice note's length), so a voice note
/// that then fails is still counted; the user is told it is missing.
fn speech_micros<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    speakers: &Speakers,
    reply: &str,
) -> u64 {
    if !speakers.owner.settings.voice_replies || reply.trim().is_empty() {
        return 0;
    }
    let secs = crate::domain::audio::estimated_speech_secs(reply);
    state.prices.audio_micros(&state.speech_model, secs)
}

/// The model's cost plus audio's: known when either is priced.
fn with_audio(model: Option<u64>, audio: u64) -> Option<u64> {
    match (model, audio) {
        (model, 0) => model,
        (model, audio) => Some(model.unwrap_or(0) + audio),
    }
}

/// The model's answer: Markdown, rendered by the sender; also spoken with `/voice on`.
pub(super) fn model_reply(
    message: &IncomingMessage,
    text: String,
    settings: &Settings,
) -> OutgoingMessage {
    let mut reply = OutgoingMessage::reply_to(message, "reply", text);
    reply.markdown = true;
    reply.voice = settings.voice_replies;
    reply
}
