//! Voice becomes text, photos become images; what cannot be read is said in one sentence.

use crate::domain::Lang;
use std::time::Duration;

use super::{BUDGET, only_reply, replies};
use crate::domain::{
    IncomingMessage, MAX_DOWNLOAD_BYTES, Media, Settings, SoundKind, UserId, UserProfile, texts,
};
use crate::error::Cause;
use crate::ports::TelegramError;
use crate::testing::{Script, deliver, message, processor};

const USER: i64 = 31;

fn voice(update: u64) -> IncomingMessage {
    let mut m = message(update, USER, "");
    m.media = Some(Media::Sound {
        kind: SoundKind::Voice,
        file_id: "voice-file".into(),
        duration_secs: 3,
        size: Some(5_000),
    });
    m
}

fn photo(update: u64, caption: &str, size: u64) -> IncomingMessage {
    let mut m = message(update, USER, caption);
    m.media = Some(Media::Photo {
        file_id: "photo-file".into(),
        size: Some(size),
    });
    m
}

fn says(text: &str) -> Script {
    Script::Reply {
        pieces: vec![text.to_owned()],
        gap: Duration::ZERO,
        usage: true,
    }
}

fn fail(cause: Cause) -> Script {
    Script::Fail {
        retryable: false,
        cause: Some(cause),
        retry_after: None,
    }
}

#[tokio::test(start_paused = true)]
async fn a_voice_note_is_answered_from_its_words() {
    let state = processor(Duration::from_secs(1));
    state.model.script([says("what's the weather like")]);
    assert!(deliver(&state, &voice(1), 1, BUDGET).await.is_empty());
    let calls = state.model.calls();
    assert_eq!(calls[0].kind, "transcribe");
    let asked = &calls[1].prompt.last().expect("a user message").content;
    assert_eq!(asked, "what's the weather like");
    assert_eq!(
        state.store.exchanges()[0].user_text,
        "what's the weather like"
    );
}

#[tokio::test(start_paused = true)]
async fn the_transcript_is_shown_first_when_the_setting_is_on() {
    let state = processor(Duration::from_secs(1));
    state.store.put_profile(
        UserId::new(USER),
        UserProfile {
            settings: Settings {
                show_transcript: true,
                ..Settings::default()
            },
            ..UserProfile::default()
        },
    );
    state.model.script([says("hello there")]);
    assert!(deliver(&state, &voice(1), 1, BUDGET).await.is_empty());
    let sent = replies(&state);
    assert_eq!(
        sent[0],
        (
            "transcript-1".to_owned(),
            texts::transcript(Lang::En, "hello there")
        )
    );
    assert_eq!(sent[1].0, "reply-1");
}

#[tokio::test(start_paused = true)]
async fn silence_and_unreadable_recordings_are_said_and_not_answered() {
    for (script, expected) in [
        (says("  "), texts::no_words_heard(Lang::En)),
        (fail(Cause::BadRequest), texts::voice_unreadable(Lang::En)),
    ] {
        let state = processor(Duration::from_secs(1));
        state.model.script([script]);
        assert!(deliver(&state, &voice(1), 1, BUDGET).await.is_empty());
        assert_eq!(only_reply(&state), expected);
        assert_eq!(state.model.calls().len(), 1, "only the transcription");
    }
}

#[tokio::test(start_paused = true)]
async fn a_server_without_speech_recognition_is_remembered() {
    let state = processor(Duration::from_secs(1));
    state.model.script([fail(Cause::EndpointMissing)]);
    assert!(deliver(&state, &voice(1), 1, BUDGET).await.is_empty());
    assert_eq!(only_reply(&state), texts::no_transcription(Lang::En));
    assert_eq!(state.store.missing().len(), 1);
    // The next voice note is not even tried.
    assert!(deliver(&state, &voice(2), 1, BUDGET).await.is_empty());
    assert_eq!(state.model.calls().len(), 1);
    assert_eq!(replies(&state)[1].1, texts::no_transcription(Lang::En));
}

#[tokio::test(start_paused = true)]
async fn a_photo_goes_to_the_model_as_an_image_with_its_caption() {
    let state = processor(Duration::from_secs(1));
    assert!(
        deliver(&state, &photo(1, "what is this?", 1_000), 1, BUDGET)
            .await
            .is_empty()
    );
    let asked = state.model.calls()[0]
        .prompt
        .last()
        .cloned()
        .expect("asked");
    assert_eq!(asked.images.len(), 1);
    assert_eq!(asked.content, "[photo] what is this?");
}

#[tokio::test(start_paused = true)]
async fn a_model_that_cannot_see_is_said_and_remembered() {
    let state = processor(Duration::from_secs(1));
    state.model.script([Script::Empty]);
    assert!(
        deliver(&state, &photo(1, "what is this?", 1_000), 1, BUDGET)
            .await
            .is_empty()
    );
    assert_eq!(replies(&state)[0].1, texts::no_vision(Lang::En));
    assert!(
        state.dead_letters.sent().is_empty(),
        "a redrive cannot see either"
    );
    assert!(
        deliver(&state, &photo(2, "and this?", 1_000), 1, BUDGET)
            .await
            .is_empty()
    );
    assert_eq!(state.model.calls().len(), 1, "not asked again");
    assert_eq!(
        replies(&state)[1],
        ("no-vision-2".to_owned(), texts::no_vision(Lang::En))
    );
}

#[tokio::test(start_paused = true)]
async fn files_too_large_or_gone_are_said() {
    let state = processor(Duration::from_secs(1));
    let big = MAX_DOWNLOAD_BYTES + 1;
    assert!(
        deliver(&state, &photo(1, "", big), 1, BUDGET)
            .await
            .is_empty()
    );
    assert_eq!(
        only_reply(&state),
        texts::file_too_large(Lang::En, Some(big))
    );

    let state = processor(Duration::from_secs(1));
    state.telegram.fail(
        "getFile",
        TelegramError::Rejected {
            code: 400,
            description: "Bad Request: wrong file_id or the file is temporarily unavailable".into(),
        },
    );
    assert!(
        deliver(&state, &photo(1, "", 1_000), 1, BUDGET)
            .await
            .is_empty()
    );
    assert_eq!(only_reply(&state), texts::media_failed(Lang::En));
    assert!(state.model.calls().is_empty());
}

#[tokio::test(start_paused = true)]
async fn telegram_failing_to_hand_over_a_file_is_retried_by_sqs() {
    let state = processor(Duration::from_secs(1));
    state.telegram.fail(
        "getFile",
        TelegramError::Transient("502 Bad Gateway".into()),
    );
    assert_eq!(deliver(&state, &voice(1), 1, BUDGET).await.len(), 1);
    assert!(
        replies(&state).is_empty(),
        "nothing said yet: the next delivery may work"
    );
    assert!(deliver(&state, &voice(1), 2, BUDGET).await.is_empty());
    assert_eq!(replies(&state).len(), 1);
}

/// Audio priced, the chat model not: what an exchange costs is its audio alone.
fn audio_priced() -> crate::testing::FakeProcessor {
    let mut state = processor(Duration::from_secs(1));
    state.prices = crate::domain::PriceTable::parse("")
        .unwrap()
        .with_audio("gpt-4o-mini-transcribe=0.003,gpt-4o-mini-tts=0.015")
        .unwrap();
    state
}

#[tokio::test(start_paused = true)]
async fn hearing_a_voice_note_is_priced_by_its_minutes_and_counted_with_the_exchange() {
    let state = audio_priced();
    state.model.script([says("what's the weather like")]);
    assert!(deliver(&state, &voice(1), 1, BUDGET).await.is_empty());
    // 3 s at $0.003 a minute.
    assert_eq!(state.store.exchanges()[0].cost_micros, Some(150));
}

#[tokio::test(start_paused = true)]
async fn a_reply_to_be_spoken_is_priced_when_it_is_recorded() {
    let state = audio_priced();
    state.store.put_profile(
        UserId::new(USER),
        UserProfile {
            settings: Settings {
                voice_replies: true,
                ..Settings::default()
            },
            ..UserProfile::default()
        },
    );
    assert!(
        deliver(&state, &message(1, USER, "hello"), 1, BUDGET)
            .await
            .is_empty()
    );
    let x = &state.store.exchanges()[0];
    let secs = crate::domain::audio::estimated_speech_secs(&x.reply);
    let want = state.prices.audio_micros("gpt-4o-mini-tts", secs);
    assert!(want > 0);
    assert_eq!(x.cost_micros, Some(want));
    // Without /voice on, nothing is spoken and nothing is priced.
    assert!(
        deliver(&state, &message(2, USER + 1, "hello"), 1, BUDGET)
            .await
            .is_empty()
    );
    assert_eq!(state.store.exchanges()[1].cost_micros, None);
}
