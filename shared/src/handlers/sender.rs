//! sender: delivers replies to Telegram, once each.

use std::time::Duration;

use anyhow::anyhow;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use serde_json::json;

use super::batch::{Record, process_fifo};
use super::chat_group;
use crate::domain::OutgoingMessage;
use crate::domain::audio::{estimated_speech_secs, ogg_opus_duration_secs};
use crate::domain::format::{MAX_MESSAGE, render_parts, split_plain};
use crate::error::{Failure, Result};
use crate::ports::{DeliveryLog, Envelope, Queue, Speaker, Telegram, TelegramError, UserStore};

pub struct SenderState<S, T, Q, P> {
    pub store: S,
    pub telegram: T,
    /// Speaks replies for users who turned voice replies on.
    pub speaker: P,
    /// The queue this function consumes, for delaying a message after a 429.
    pub outbox: Q,
    /// Where messages Telegram refuses for good are put aside for a human to look at.
    pub dead_letters: Q,
}

pub async fn handle<S, T, Q, P>(
    state: &SenderState<S, T, Q, P>,
    event: SqsEvent,
) -> Result<SqsBatchResponse, lambda_runtime::Error>
where
    S: DeliveryLog + UserStore,
    T: Telegram,
    Q: Queue,
    P: Speaker,
{
    Ok(process_fifo(&event, |record| handle_record(state, record)).await)
}

/// Back-off for transient failures, by delivery attempt: 2, 4, 8 … 300 s.
fn backoff(receive_count: u32) -> Duration {
    Duration::from_secs(2u64.saturating_pow(receive_count.min(9)).min(300))
}

async fn handle_record<S, T, Q, P>(
    state: &SenderState<S, T, Q, P>,
    record: Record<'_>,
) -> Result<()>
where
    S: DeliveryLog + UserStore,
    T: Telegram,
    Q: Queue,
    P: Speaker,
{
    let message: OutgoingMessage = record.parse()?;
    // A redelivery after a crash between sending and acknowledging must not send twice.
    if state.store.was_delivered(&message.delivery_id).await? {
        tracing::info!(delivery_id = %message.delivery_id, "already delivered");
        return Ok(());
    }
    if message.document.is_some() {
        return match state.telegram.send_document(&message).await {
            Ok(()) => state.store.mark_delivered(&message.delivery_id).await,
            Err(e) => failed(state, &record, &message, e).await,
        };
    }
    let parts = split(&message);
    let count = parts.len();
    // A reply that is also spoken has a part after the text, so its text parts are
    // tracked one by one too.
    let tracked = count > 1 || message.voice;
    let spoken: String = if message.voice {
        parts
            .iter()
            .map(|(_, plain)| plain.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        String::new()
    };
    for (i, (mut part, plain)) in parts.into_iter().enumerate() {
        // Each part has its own delivery record, so a redelivery resumes where it stopped
        // and the parts already sent are not sent again.
        if tracked {
            part.delivery_id = format!("{}#{}", message.delivery_id, i + 1);
            if state.store.was_delivered(&part.delivery_id).await? {
                continue;
            }
        }
        if i + 1 < count {
            part.buttons.clear();
        }
        let mut sent = state.telegram.send_message(&part).await;
        if let Err(TelegramError::Rejected { description, .. }) = &sent
            && part.html
            && description.contains("can't parse entities")
        {
            tracing::warn!(%description, delivery_id = %part.delivery_id, "Telegram refused the markup; sending the same text plain");
            part.html = false;
            part.text = plain;
            sent = state.telegram.send_message(&part).await;
        }
        match sent {
            Ok(()) => {
                if tracked {
                    state.store.mark_delivered(&part.delivery_id).await?;
                }
            }
            Err(e) => return failed(state, &record, &part, e).await,
        }
    }
    if message.voice {
        let voice_id = format!("{}#voice", message.delivery_id);
        if !state.store.was_delivered(&voice_id).await? {
            let audio = match state.speaker.speak(&spoken).await {
                Ok(audio) => audio,
                Err(e) if e.retryable => {
                    delay(state, &record, backoff(record.receive_count)).await;
                    return Err(e.context("speech"));
                }
                Err(e) => {
                    // The text arrived; a voice note we cannot make is not worth a retry.
                    tracing::error!(error = %e, "speech failed for good; the reply stays text only");
                    return state.store.mark_delivered(&message.delivery_id).await;
                }
            };
            let secs =
                ogg_opus_duration_secs(&audio).unwrap_or_else(|| estimated_speech_secs(&spoken));
            let mut voice = message.clone();
            voice.delivery_id = voice_id;
            match state.telegram.send_voice(&voice, &audio, secs).await {
                Ok(()) => state.store.mark_delivered(&voice.delivery_id).await?,
                Err(e) => return failed(state, &record, &voice, e).await,
            }
        }
    }
    state.store.mark_delivered(&message.delivery_id).await
}

/// The message as Telegram-sized parts, each with its text without markup (the fallback
/// when Telegram cannot parse the markup): model Markdown rendered to HTML, other text as is.
fn split(message: &OutgoingMessage) -> Vec<(OutgoingMessage, String)> {
    let part = |text: String, html: bool| OutgoingMessage {
        text,
        html,
        markdown: false,
        ..message.clone()
    };
    if message.markdown {
        render_parts(&message.text, MAX_MESSAGE)
            .into_iter()
            .map(|p| (part(p.html, true), p.plain))
            .collect()
    } else {
        split_plain(&message.text, MAX_MESSAGE)
            .into_iter()
            .map(|t| (part(t.clone(), message.html), t))
            .collect()
    }
}

/// What a failed send means for the record.
async fn failed<S, T, Q, P>(
    state: &SenderState<S, T, Q, P>,
    record: &Record<'_>,
    message: &OutgoingMessage,
    error: TelegramError,
) -> Result<()>
where
    S: DeliveryLog + UserStore,
    T: Telegram,
    Q: Queue,
{
    match error {
        TelegramError::RetryAfter(wait) => {
            // FIFO queues have no per-message delay, and sleeping burns Lambda time:
            // hide the message for `retry_after` and let SQS bring it back.
            delay(state, record, wait).await;
            Err(Failure::retryable(anyhow!(
                "Telegram flood limit; retrying after {wait:?}"
            )))
        }
        TelegramError::Forbidden(description) => {
            tracing::info!(chat = %message.chat_id, %description, "bot blocked; marking the user inactive and dropping the message");
            if let Some(user) = message.user_id {
                state.store.mark_inactive(user).await?;
            }
            Ok(())
        }
        TelegramError::Transient(e) => {
            delay(state, record, backoff(record.receive_count)).await;
            Err(Failure::retryable(anyhow!("Telegram unavailable: {e}")))
        }
        TelegramError::Rejected { code, description } => {
            tracing::error!(code, %description, delivery_id = %message.delivery_id, "Telegram rejected the message; moving it aside");
            let body =
                json!({"message": message, "error": {"code": code, "description": description}});
            state
                .dead_letters
                .send(&Envelope {
                    body: body.to_string(),
                    group_id: chat_group(message.chat_id),
                    dedup_id: message.delivery_id.clone(),
                })
                .await
        }
    }
}

async fn delay<S, T, Q: Queue, P>(
    state: &SenderState<S, T, Q, P>,
    record: &Record<'_>,
    wait: Duration,
) {
    let Some(handle) = record.receipt_handle else {
        return;
    };
    if let Err(e) = state.outbox.delay(handle, wait).await {
        // The queue's own visibility timeout still brings the message back, just later.
        tracing::warn!(error = %e, "could not delay the message");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        let got: Vec<u64> = [1, 2, 3, 8, 9, 20]
            .iter()
            .map(|n| backoff(*n).as_secs())
            .collect();
        assert_eq!(got, [2, 4, 8, 256, 300, 300]);
    }
}
