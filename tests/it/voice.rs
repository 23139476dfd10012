//! Voice: voice notes, audio and video notes are transcribed with a current model and
//! answered like text; `/voice on` adds spoken OGG/Opus replies; files over the Bot API's
//! 20 MB download limit get a clear message.

use shared::domain::Lang;
use shared::domain::texts;
use testkit::Stage;
use testkit::openai_standin::{ogg_opus, speech_seconds, spoken_ogg};
use testkit::updates::{audio_file, callback_query, private_text, video_note, voice_note};

use crate::env::TestEnv;

#[tokio::test]
async fn voice_audio_and_video_notes_are_transcribed_and_answered_like_text() {
    let env = TestEnv::start().await;
    let user = 2301;
    let cases = [
        (voice_note(user, "VOICE-1", 3, 0), "how was your day"),
        (
            audio_file(user, "AUDIO-1", 5, 0),
            "I recorded this on the train",
        ),
        (video_note(user, "ROUND-1", 4, 0), "look at my new haircut"),
    ];
    for (i, (mut update, spoken)) in cases.into_iter().enumerate() {
        let message = update["message"].as_object_mut().unwrap();
        let key = ["voice", "audio", "video_note"][i];
        let file = spoken_ogg(3, spoken);
        message[key]["file_size"] = serde_json::json!(file.len());
        let file_id = message[key]["file_id"].as_str().unwrap().to_owned();
        env.telegram
            .add_file(&file_id, &format!("voice/file_{i}.oga"), file);
        env.post_update(&update).await.unwrap();
        env.drain().await.unwrap();
        let replies = env.telegram.texts_to(user);
        assert_eq!(replies.len(), i + 1, "{replies:?}");
        assert!(
            replies[i].contains(&format!("You said \u{201c}{spoken}\u{201d}")),
            "{replies:?}"
        );
    }
    let ai = env.openai.as_ref().unwrap();
    let transcriptions = ai.transcriptions();
    assert_eq!(transcriptions.len(), 3);
    assert!(
        transcriptions
            .iter()
            .all(|t| t.model == "gpt-4o-mini-transcribe")
    );
    assert_eq!(env.telegram.downloads().len(), 3);
    // The transcript is the user's turn: the third answer saw the first two exchanges.
    assert!(env.telegram.texts_to(user)[2].contains("I can see 4 earlier"));
}

#[tokio::test]
async fn transcripts_are_shown_when_the_settings_ask_for_it() {
    let env = TestEnv::start().await;
    let user = 2302;
    let (_, pressed) = env
        .post_update(&callback_query(user, "settings:transcript:on"))
        .await
        .unwrap();
    // A settings button: answered directly, and its menu redrawn in the response.
    assert_eq!(pressed["method"], "editMessageReplyMarkup", "{pressed}");
    let toast = env
        .telegram
        .calls()
        .into_iter()
        .find(|c| c.method == "answerCallbackQuery")
        .expect("the press was answered");
    assert_eq!(toast.params["text"], "Show transcripts: on");
    let file = spoken_ogg(2, "remind me to call mum");
    let size = file.len() as u64;
    env.telegram.add_file("VOICE-2", "voice/file_2.oga", file);
    env.post_update(&voice_note(user, "VOICE-2", 2, size))
        .await
        .unwrap();
    env.drain().await.unwrap();
    let texts = env.telegram.texts_to(user);
    let sent: Vec<&String> = texts.iter().filter(|t| !t.starts_with("Show")).collect();
    assert_eq!(sent.len(), 2, "{texts:?}");
    assert_eq!(
        sent[0],
        &texts::transcript(Lang::En, "remind me to call mum")
    );
    assert!(sent[1].contains("You said \u{201c}remind me to call mum\u{201d}"));
}

#[tokio::test]
async fn voice_on_adds_spoken_ogg_opus_replies_uploaded_with_send_voice() {
    let env = TestEnv::start().await;
    let user = 2303;
    let (_, on) = env
        .post_update(&private_text(user, "Ann", "/voice on"))
        .await
        .unwrap();
    assert_eq!(on["text"], texts::voice_on(Lang::En));
    // The sender "crashes" after its first batch: the redelivery must send nothing twice.
    env.crash_after_next_batch(Stage::Sender);
    let replies = env.chat(user, "tell me something nice").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    let reply = &replies[0];
    assert!(env.invocations(Stage::Sender) >= 2);

    let speeches = env.openai.as_ref().unwrap().speeches();
    assert_eq!(speeches.len(), 1);
    assert_eq!(speeches[0]["response_format"], "opus");
    assert_eq!(speeches[0]["model"], "gpt-4o-mini-tts");
    assert_eq!(speeches[0]["input"].as_str(), Some(reply.as_str()));

    let voices = env.telegram.voices_to(user);
    assert_eq!(voices.len(), 1);
    let upload = &voices[0].files[0];
    assert_eq!(upload.field, "voice");
    assert_eq!(upload.file_name, "reply.ogg");
    assert!(upload.bytes.starts_with(b"OggS"));
    // The duration is read from the Ogg stream itself.
    assert_eq!(
        voices[0].params["duration"].as_i64(),
        Some(i64::from(speech_seconds(reply)))
    );

    let (_, off) = env
        .post_update(&private_text(user, "Ann", "/voice off"))
        .await
        .unwrap();
    assert_eq!(off["text"], texts::voice_off(Lang::En));
    env.chat(user, "and now?").await;
    assert_eq!(env.telegram.voices_to(user).len(), 1);
    assert_eq!(env.openai.as_ref().unwrap().speeches().len(), 1);
}

#[tokio::test]
async fn a_voice_file_over_20_mb_gets_a_clear_message_and_nothing_else() {
    let env = TestEnv::start().await;
    let user = 2304;
    // Telegram says how big it is: the webhook answers at once.
    let huge = 25 * 1024 * 1024;
    let (status, body) = env
        .post_update(&voice_note(user, "VOICE-HUGE", 1500, huge))
        .await
        .unwrap();
    assert_eq!(status, http::StatusCode::OK);
    assert_eq!(body["method"], "sendMessage");
    assert_eq!(body["text"], texts::file_too_large(Lang::En, Some(huge)));
    assert!(body["text"].as_str().unwrap().contains("20 MB"));

    // Without a size in the update, getFile's refusal ("file is too big") says the same.
    let mut update = voice_note(user, "VOICE-HUGE-2", 1500, 0);
    update["message"]["voice"]
        .as_object_mut()
        .unwrap()
        .remove("file_size");
    env.telegram
        .add_file_with_size("VOICE-HUGE-2", "voice/huge.oga", ogg_opus(1), huge);
    env.post_update(&update).await.unwrap();
    env.drain().await.unwrap();
    let sent: Vec<String> = env.telegram.texts_to(user);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(
        sent[1].starts_with("That file is too large for me"),
        "{sent:?}"
    );

    assert!(env.telegram.downloads().is_empty());
    assert!(env.openai.as_ref().unwrap().transcriptions().is_empty());
    assert_eq!(env.model_calls(), 0);
}
