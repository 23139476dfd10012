//! The spoken copy of a reply (`/voice on`): OpenAI speech, then `sendVoice`.
//!
//! The text has already gone out. A voice note that cannot be made is not worth holding
//! up the chat's later replies: after a few quick tries the user is told in a line, and
//! the record is done. A server without speech is remembered, and not asked again.

use super::failure::{Outcome, failed};
use super::parts::send_part;
use super::{SenderState, SenderStore};
use crate::clock::Deadline;
use crate::domain::audio::{estimated_speech_secs, ogg_opus_duration_secs};
use crate::domain::{DeliveryId, OutgoingMessage, texts};
use crate::error::{Cause, Result};
use crate::handlers::capabilities::Feature;
use crate::handlers::retry::retrying;
use crate::ports::{Queue, Speaker, Telegram};

/// Sends the voice note for `message` unless it went already. `Some` ends the record.
pub(super) async fn deliver<S, T, Q, P>(
    state: &SenderState<S, T, Q, P>,
    message: &OutgoingMessage,
    spoken: &str,
    deadline: Deadline,
) -> Result<Option<Result<()>>>
where
    S: SenderStore,
    T: Telegram,
    Q: Queue,
    P: Speaker,
{
    let voice_id = message.delivery_id.voice();
    if state.store.was_delivered(&voice_id).await? {
        return Ok(None);
    }
    let feature = Feature::Speech(state.speech_model.clone());
    if state.capabilities.missing(&state.store, &feature).await {
        // The user was told when it was found missing; replies stay text.
        return Ok(None);
    }
    let audio = match retrying(state.speech_attempts, deadline, || {
        state.speaker.speak(spoken)
    })
    .await
    {
        Ok(audio) => audio,
        Err(e) => {
            let missing = e.is(Cause::EndpointMissing) || e.is(Cause::ModelNotFound);
            tracing::warn!(error = %e, missing, "no voice note for this reply");
            if missing {
                state
                    .capabilities
                    .mark_missing(&state.store, &feature)
                    .await;
            }
            let note = if missing {
                texts::no_speech(message.lang)
            } else {
                texts::speech_failed(message.lang)
            };
            tell(state, message, &voice_id, &note).await;
            state.store.mark_delivered(&voice_id).await?;
            return Ok(None);
        }
    };
    let secs = ogg_opus_duration_secs(&audio).unwrap_or_else(|| estimated_speech_secs(spoken));
    let mut voice = message.clone();
    voice.delivery_id = voice_id;
    if let Err(e) = state.telegram.send_voice(&voice, &audio, secs).await
        && let Outcome::Done(result) = failed(state, &voice, e).await
    {
        return Ok(Some(result));
    }
    state.store.mark_delivered(&voice.delivery_id).await?;
    Ok(None)
}

/// One line in place of the voice note. Best effort: the reply itself has arrived.
async fn tell<S, T, Q, P>(
    state: &SenderState<S, T, Q, P>,
    message: &OutgoingMessage,
    voice_id: &DeliveryId,
    text: &str,
) where
    T: Telegram,
    Q: Queue,
{
    let mut note = message.clone();
    note.delivery_id = voice_id.voice_note();
    note.text = text.to_owned();
    note.markdown = false;
    note.html = false;
    note.voice = false;
    note.buttons.clear();
    if let Err(e) = send_part(state, &mut note, text.to_owned()).await {
        tracing::warn!(error = %e, "could not say the voice note is missing");
    }
}
