//! When things go wrong: one clear sentence each, and no promise that is not kept.

use super::super::Lang;
use super::super::l10n::tr;
use crate::error::Cause;

/// When a message alone exceeds the model's context, so no call could ever answer it.
pub fn message_too_long(lang: Lang, tokens: u32, budget: u32) -> String {
    let args = [("tokens", tokens.into()), ("budget", budget.into())];
    tr(lang, "message-too-long", &args)
}

/// When a voice note or file is over the Bot API's 20 MB download limit.
pub fn file_too_large(lang: Lang, size_bytes: Option<u64>) -> String {
    match size_bytes {
        Some(b) => {
            let size = format!("{:.1}", b as f64 / (1024.0 * 1024.0));
            tr(lang, "file-too-large-size", &[("size", size.into())])
        }
        None => tr(lang, "file-too-large", &[]),
    }
}

/// When speech recognition heard no words in a voice message.
pub fn no_words_heard(lang: Lang) -> String {
    tr(lang, "no-words-heard", &[])
}

/// When the user's file could not be downloaded from Telegram.
pub fn media_failed(lang: Lang) -> String {
    tr(lang, "media-failed", &[])
}

/// After a delivery failed for a reason that may pass; SQS brings the message back, and
/// the last delivery ends with an answer or with [`gave_up`].
pub fn still_trying(lang: Lang) -> String {
    tr(lang, "still-trying", &[])
}

/// A draft while the bot works, replaced by the reply as it streams in.
pub fn draft_retrying(lang: Lang) -> String {
    tr(lang, "draft-retrying", &[])
}

/// The draft shown while older turns are folded into notes, which takes a model call.
pub fn draft_remembering(lang: Lang) -> String {
    tr(lang, "draft-remembering", &[])
}

/// The reply stopped because the invocation ran out of time; what was written stands.
pub fn cut_short(lang: Lang) -> String {
    tr(lang, "cut-short", &[])
}

/// When the model cannot see images, so the user can describe the photo instead.
pub fn no_vision(lang: Lang) -> String {
    tr(lang, "no-vision", &[])
}

/// When the server has no speech recognition, so the user types instead.
pub fn no_transcription(lang: Lang) -> String {
    tr(lang, "no-transcription", &[])
}

/// When speech recognition refused the recording as unreadable.
pub fn voice_unreadable(lang: Lang) -> String {
    tr(lang, "voice-unreadable", &[])
}

/// After a reply whose voice note cannot be made: the server has no speech synthesis.
pub fn no_speech(lang: Lang) -> String {
    tr(lang, "no-speech", &[])
}

/// After a reply whose voice note failed this time.
pub fn speech_failed(lang: Lang) -> String {
    tr(lang, "speech-failed", &[])
}

/// Responses mode: the provider lost the conversation and a new one was started.
pub fn conversation_restored(lang: Lang) -> String {
    tr(lang, "conversation-restored", &[])
}

/// The final word on a message the bot could not answer. `from_model`: the model provider
/// failed, rather than the bot's own storage or queues.
pub fn gave_up(lang: Lang, cause: Option<Cause>, retryable: bool, from_model: bool) -> String {
    match cause {
        Some(Cause::QuotaExhausted) => tr(lang, "gave-up-quota", &[]),
        Some(Cause::Unauthorized) => tr(lang, "gave-up-unauthorized", &[]),
        Some(Cause::ModelNotFound) => tr(lang, "gave-up-model-not-found", &[]),
        Some(Cause::EndpointMissing) => tr(lang, "gave-up-endpoint-missing", &[]),
        Some(Cause::ContentFilter) => tr(lang, "gave-up-content-filter", &[]),
        Some(Cause::ContextOverflow) => tr(lang, "gave-up-context-overflow", &[]),
        Some(Cause::VisionUnsupported) => no_vision(lang),
        Some(Cause::BadRequest) => tr(lang, "gave-up-bad-request", &[]),
        Some(Cause::EmptyStream | Cause::EmptyReply) => tr(lang, "gave-up-empty", &[]),
        _ if retryable && from_model => tr(lang, "gave-up-model-retrying", &[]),
        _ => tr(lang, "gave-up-internal", &[]),
    }
}
