//! Voice becomes text and photos become images, before anything goes to the model.
//!
//! What cannot be read gets one sentence that says why (too large, gone, no words heard,
//! a server without speech recognition or vision), and nothing is sent to the model.

use anyhow::anyhow;

use super::{Delivery, ProcessorModel, ProcessorState, ProcessorStore};
use crate::domain::{
    Image, IncomingMessage, MAX_DOWNLOAD_BYTES, Media, OutgoingMessage, SoundKind, UserProfile,
    texts,
};
use crate::error::{Cause, Failure, Result};
use crate::handlers::capabilities::Feature;
use crate::handlers::enqueue_reply;
use crate::handlers::retry::retrying;
use crate::ports::{Queue, Telegram, TelegramError};

/// The message ready for the model, or the notice that replaces the answer.
pub(super) type Prepared = std::result::Result<(IncomingMessage, Vec<Image>), OutgoingMessage>;

/// A voice message becomes its transcript, a photo (or an album's photos) images for the
/// model. `vision_model` is where pictures would go.
pub(super) async fn read_media<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    owner: &UserProfile,
    vision_model: &str,
    delivery: Delivery,
) -> Result<Prepared>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    let Some(media) = &message.media else {
        return Ok(Ok((message.clone(), Vec::new())));
    };
    let notice =
        |purpose: &str, text: String| Ok(Err(OutgoingMessage::reply_to(message, purpose, text)));
    match media {
        Media::Photo { .. } => {
            let vision = Feature::Vision(vision_model.to_owned());
            if state.capabilities.missing(&state.store, &vision).await {
                return notice("no-vision", texts::no_vision(message.lang()));
            }
            let mut images = Vec::with_capacity(1 + message.album.len());
            for photo in std::iter::once(media).chain(&message.album) {
                match fetch(state, message, photo).await? {
                    Ok(data) => images.push(Image::sniff(data)),
                    Err(notice) => return Ok(Err(notice)),
                }
            }
            let mut message = message.clone();
            // The caption is the question; the history remembers that there were pictures.
            let tag = match images.len() {
                1 => "[photo]".to_owned(),
                n => format!("[{n} photos]"),
            };
            message.text = if message.text.trim().is_empty() {
                tag
            } else {
                format!("{tag} {}", message.text)
            };
            Ok(Ok((message, images)))
        }
        Media::Sound { kind, .. } => {
            let feature = Feature::Transcription(state.transcription_model.clone());
            if state.capabilities.missing(&state.store, &feature).await {
                return notice("no-transcription", texts::no_transcription(message.lang()));
            }
            let data = match fetch(state, message, media).await? {
                Ok(data) => data,
                Err(notice) => return Ok(Err(notice)),
            };
            transcribed(state, message, owner, *kind, data, delivery).await
        }
    }
}

async fn transcribed<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    owner: &UserProfile,
    kind: SoundKind,
    data: Vec<u8>,
    delivery: Delivery,
) -> Result<Prepared>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
{
    let file_name = match kind {
        SoundKind::Voice => "voice.ogg",
        SoundKind::Audio => "audio.mp3",
        SoundKind::VideoNote => "video-note.mp4",
    };
    let notice =
        |purpose: &str, text: String| Ok(Err(OutgoingMessage::reply_to(message, purpose, text)));
    let deadline = delivery.deadline.less(super::generate::FINISH_MARGIN);
    let heard = retrying(state.attempts(), deadline, || {
        state.model.transcribe(data.clone(), file_name)
    })
    .await;
    let transcript = match heard {
        Ok(transcript) => transcript,
        Err(e) if e.is(Cause::EndpointMissing) || e.is(Cause::ModelNotFound) => {
            tracing::warn!(error = %e, "no speech recognition on this server");
            let feature = Feature::Transcription(state.transcription_model.clone());
            state
                .capabilities
                .mark_missing(&state.store, &feature)
                .await;
            return notice("no-transcription", texts::no_transcription(message.lang()));
        }
        Err(e) if e.is(Cause::BadRequest) => {
            tracing::warn!(error = %e, "the recording was refused by speech recognition");
            return notice("transcript", texts::voice_unreadable(message.lang()));
        }
        Err(e) => return Err(e.context("transcription failed")),
    };
    if transcript.trim().is_empty() {
        return notice("transcript", texts::no_words_heard(message.lang()));
    }
    let mut message = message.clone();
    if owner.settings.show_transcript {
        let shown = OutgoingMessage::reply_to(
            &message,
            "transcript",
            texts::transcript(message.lang(), &transcript),
        );
        enqueue_reply(&state.outbox, &shown).await?;
    }
    message.text = if message.text.trim().is_empty() {
        transcript
    } else {
        format!("{}\n{transcript}", message.text)
    };
    Ok(Ok((message, Vec::new())))
}

/// The file's bytes, or the notice that it cannot be had.
async fn fetch<S, M, Q, T: Telegram>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    media: &Media,
) -> Result<std::result::Result<Vec<u8>, OutgoingMessage>> {
    let (file_id, size) = match media {
        Media::Sound { file_id, size, .. } | Media::Photo { file_id, size } => (file_id, *size),
    };
    let notice =
        |purpose: &str, text: String| Ok(Err(OutgoingMessage::reply_to(message, purpose, text)));
    if size.is_some_and(|s| s > MAX_DOWNLOAD_BYTES) {
        return notice("too-large", texts::file_too_large(message.lang(), size));
    }
    match download(state, file_id).await {
        Ok(data) => Ok(Ok(data)),
        Err(DownloadError::TooLarge(size)) => {
            notice("too-large", texts::file_too_large(message.lang(), size))
        }
        Err(DownloadError::Unreadable(why)) => {
            tracing::warn!(%why, "could not download the user's file");
            notice("media", texts::media_failed(message.lang()))
        }
        Err(DownloadError::Failed(e)) => Err(e),
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
