//! Servers that can do less than OpenAI, as the stand-in's llama.cpp profile acts (no
//! usage in streams, empty streams where it fails, `{"detail":"Not Found"}` for what it
//! lacks): each lack gets one clear sentence, and the bot stops calling what is missing.

use shared::domain::Lang;
use shared::domain::texts;
use testkit::StackOptions;
use testkit::openai_standin::{AiFault, Endpoint, Profile, spoken_ogg};
use testkit::updates::{photo, voice_note};

use crate::env::TestEnv;

async fn llama(opts: StackOptions) -> TestEnv {
    let env = TestEnv::with(opts).await;
    env.openai.as_ref().unwrap().set_profile(Profile::LlamaCpp);
    env
}

#[tokio::test]
async fn usage_a_server_does_not_report_is_estimated_and_shown_as_such() {
    let env = llama(StackOptions::default()).await;
    let replies = env.chat(3301, "hello there").await;
    assert!(
        replies[0].contains("You said \u{201c}hello there\u{201d}"),
        "{replies:?}"
    );
    let ai = env.openai.as_ref().unwrap();
    // Every request carried `max_tokens`, the name this server knows.
    let requests = ai.model_requests();
    assert!(
        requests.iter().all(|r| r.output_limit == Some(1000)),
        "{requests:?}"
    );
    let usage = env.usage_items(3301).await;
    assert_eq!(usage.len(), 1);
    assert_eq!(usage[0]["estimated"].as_bool().ok(), Some(&true));
    let report = env.chat(3301, "/usage").await;
    assert!(report[0].contains("are my own estimate"), "{report:?}");
}

#[tokio::test]
async fn a_photo_for_a_model_that_cannot_see_gets_one_sentence_and_no_more_calls() {
    let env = llama(StackOptions::default()).await;
    let user = 3302;
    env.telegram
        .add_file("P1", "photos/file_1.jpg", testkit::stack::demo_photo());
    for _ in 0..2 {
        env.post_update(&photo(user, &[("P1", 100, 320)], Some("what is this?")))
            .await
            .unwrap();
        env.drain().await.unwrap();
    }
    assert_eq!(
        env.telegram.texts_to(user),
        [texts::no_vision(Lang::En), texts::no_vision(Lang::En)]
    );
    let ai = env.openai.as_ref().unwrap();
    // The first photo's stream came back empty; the second was not sent at all.
    assert_eq!(ai.count(Endpoint::Chat), 1);
    // Text still works.
    let replies = env.chat(user, "fine, in words then").await;
    assert!(replies[0].contains("You said"), "{replies:?}");
}

#[tokio::test]
async fn a_voice_note_for_a_server_without_speech_recognition_gets_one_sentence() {
    let env = llama(StackOptions::default()).await;
    let user = 3303;
    for i in 0..2 {
        let file_id = format!("V{i}");
        env.telegram.add_file(
            &file_id,
            &format!("voice/{i}.oga"),
            spoken_ogg(2, "good morning"),
        );
        env.post_update(&voice_note(user, &file_id, 2, 0))
            .await
            .unwrap();
        env.drain().await.unwrap();
    }
    assert_eq!(
        env.telegram.texts_to(user),
        [
            texts::no_transcription(Lang::En),
            texts::no_transcription(Lang::En)
        ]
    );
    let ai = env.openai.as_ref().unwrap();
    assert_eq!(
        ai.count(Endpoint::Transcriptions),
        1,
        "asked once, then remembered"
    );
    assert_eq!(ai.count(Endpoint::Chat), 0);
}

#[tokio::test]
async fn voice_replies_on_a_server_without_speech_say_so_once_and_stay_text() {
    let env = llama(StackOptions::default()).await;
    let user = 3304;
    env.chat(user, "/voice on").await;
    let first = env.chat(user, "talk to me").await;
    assert_eq!(first.len(), 2, "{first:?}");
    assert!(first[0].contains("You said"), "{first:?}");
    assert_eq!(first[1], texts::no_speech(Lang::En));
    let second = env.chat(user, "and again").await;
    assert_eq!(second.len(), 1, "{second:?}");
    let ai = env.openai.as_ref().unwrap();
    assert_eq!(ai.count(Endpoint::Speech), 1);
    assert!(env.telegram.voices_to(user).is_empty());
}

#[tokio::test]
async fn responses_mode_on_a_server_without_the_responses_api_answers_with_chat_completions() {
    let env = llama(StackOptions {
        extra_env: vec![("OPENAI_API_MODE".into(), "responses".into())],
        ..StackOptions::default()
    })
    .await;
    let first = env.chat(3305, "hi").await;
    assert!(
        first[0].contains("You said \u{201c}hi\u{201d}"),
        "{first:?}"
    );
    let second = env.chat(3305, "still there?").await;
    assert!(second[0].contains("I can see 2 earlier"), "{second:?}");
    let ai = env.openai.as_ref().unwrap();
    assert_eq!(ai.count(Endpoint::Conversations), 1, "found missing once");
    assert_eq!(ai.count(Endpoint::Chat), 2);
}

/// Three exchanges, then a message the server refuses as too long in the way `fault`
/// says; the bot folds the history into notes and asks once more.
async fn overflow_recovered(env: &TestEnv, user: i64, faults: Vec<AiFault>) {
    for i in 0..3 {
        env.chat(user, &format!("message {i}")).await;
    }
    let ai = env.openai.as_ref().unwrap();
    for fault in faults {
        ai.fail_next_on(Endpoint::Chat, fault);
    }
    let replies = env.chat(user, "short question").await;
    assert_eq!(replies.len(), 2, "{replies:?}");
    assert_eq!(replies[0], texts::memory_folded(Lang::En));
    assert!(
        replies[1].contains("You said \u{201c}short question\u{201d}"),
        "{replies:?}"
    );
}

#[tokio::test]
async fn an_empty_stream_is_asked_again_whole_and_its_overflow_recovered_by_folding() {
    // What llama.cpp does with a prompt over its context: an empty stream, and the same
    // request without streaming answers context_length_exceeded.
    let env = llama(StackOptions::default()).await;
    overflow_recovered(
        &env,
        3306,
        vec![AiFault::EmptyStream, AiFault::ContextLengthExceeded],
    )
    .await;
    let requests = env.openai.as_ref().unwrap().model_requests();
    let streamed: Vec<bool> = requests.iter().map(|r| r.streamed).collect();
    // 3 answers, the empty stream, the whole retry, the notes, the answer.
    assert_eq!(streamed[3..], [true, false, false, true], "{streamed:?}");
}

#[tokio::test]
async fn an_overflow_reported_inside_a_stream_is_recovered_like_a_400() {
    let env = TestEnv::start().await;
    overflow_recovered(&env, 3307, vec![AiFault::context_overflow_in_stream()]).await;
}
