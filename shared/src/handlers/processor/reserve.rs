//! Holding the most a call can cost against the sender's limits before it is made
//! (`domain::budget::reserve`), so that messages from several chats at once cannot
//! together overshoot a cap. The exchange settles the hold; a call that fails or is not
//! made lets go of it (`release`); a hold left by a crash expires.

use super::answer::{Speakers, turns_of, voice_of};
use super::{ProcessorState, ProcessorStore};
use crate::domain::budget::{Ask, Budget, Reservation};
use crate::domain::conversation::build_prompt;
use crate::domain::memory::estimate_messages;
use crate::domain::{History, IncomingMessage, OutgoingMessage, texts};
use crate::error::{Failure, Result};

/// Holds refused because another message of the same user held first, before the record
/// is left to SQS's retry: each retry reads the meter again.
const HOLD_ATTEMPTS: usize = 6;

/// What the reservation leaves the answer with.
pub(super) enum Reserved {
    /// Answer, with replies of at most `max_tokens`; `held` when a hold was written.
    Go { held: bool, max_tokens: u32 },
    /// Answer from credits: past a limit, no hold.
    FromCredits,
    /// No room left: this notice instead of an answer.
    Refused(Box<OutgoingMessage>),
}

/// Holds what answering `message` can cost, when a limit applies (`budget` is `Some`,
/// read with everything else).
pub(super) async fn reserve<S: ProcessorStore, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    speakers: &Speakers,
    history: &History,
    model: &str,
    mut budget: Budget,
) -> Result<Reserved> {
    let ask = Ask {
        update: message.update_id.0,
        prompt_tokens: prompt_estimate(state, message, speakers, history),
        reply_tokens: state.reply_tokens,
        price: if speakers.owner.settings.voice_replies {
            // The sender will speak the reply: its cost is held too.
            state
                .prices
                .with_speech(state.prices.price(model), &state.speech_model)
        } else {
            state.prices.price(model)
        },
        spent_micros: speakers.audio_micros,
    };
    let user = message.from.id;
    for _ in 0..HOLD_ATTEMPTS {
        let now = state.clock.now_ms();
        let credits = speakers.profile.credits;
        match crate::domain::budget::reserve(&state.limits, &budget, credits, now, ask) {
            Reservation::Hold { hold, max_tokens } => {
                if state.store.hold(user, &budget, &hold, now).await? {
                    return Ok(Reserved::Go {
                        held: true,
                        max_tokens,
                    });
                }
                budget = state.store.user_budget(user, now, true).await?;
            }
            Reservation::FromCredits => return Ok(Reserved::FromCredits),
            Reservation::Exceeded {
                period,
                resets_at_ms,
            } => {
                let text = texts::limit_reached(message.lang(), period, resets_at_ms);
                return Ok(Reserved::Refused(Box::new(OutgoingMessage::reply_to(
                    message, "limit", text,
                ))));
            }
        }
    }
    Err(Failure::retryable(anyhow::anyhow!(
        "the budget kept changing under update {}",
        message.update_id
    )))
}

/// The prompt's tokens as the call will send them, before any folding (which only makes
/// it smaller), with a margin for the estimate's error: a tenth, and a few tokens.
fn prompt_estimate<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    speakers: &Speakers,
    history: &History,
) -> u32 {
    let (persona, style) = voice_of(speakers, message);
    let prompt = build_prompt(
        &persona,
        style.as_ref(),
        history.summary.as_deref(),
        &turns_of(&history.turns),
        state.history_turns,
        &message.from.first_name,
        &message.text,
    );
    let estimate = state.calibration().apply(estimate_messages(&prompt));
    estimate.saturating_add(estimate / 10).saturating_add(16)
}

/// Lets go of the hold for `message` after a call that failed or was not made. A hold
/// that cannot be released now expires on its own.
pub(super) async fn release<S: ProcessorStore, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
) {
    if let Err(e) = state
        .store
        .release_hold(message.from.id, message.update_id)
        .await
    {
        tracing::warn!(error = %e, "could not release a budget hold; it will expire");
    }
}
