//! Photos go to the model as data (a data URL), never as a Telegram file URL: those carry
//! the bot token, which must reach neither OpenAI nor the logs.

use shared::domain::Lang;
use std::io::Write;
use std::sync::{Arc, Mutex};

use testkit::stack::LOCAL_BOT_TOKEN;
use testkit::updates::photo;
use tracing_subscriber::fmt::MakeWriter;

use crate::env::TestEnv;

/// Every log line the code under test writes, at every level.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Self;
    fn make_writer(&'a self) -> Self {
        self.clone()
    }
}

/// A small JPEG-looking file (SOI marker, JFIF header).
fn jpeg(marker: &str) -> Vec<u8> {
    let mut bytes = vec![
        0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0,
    ];
    bytes.extend_from_slice(marker.as_bytes());
    bytes.extend_from_slice(&[0xff, 0xd9]);
    bytes
}

/// The model each OpenAI request named, in order.
fn models_asked(env: &TestEnv) -> Vec<String> {
    let requests = env.openai.as_ref().unwrap().requests();
    requests
        .iter()
        .map(|r| r["model"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn a_photo_goes_to_the_model_as_data_and_the_bot_token_leaks_nowhere() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .finish();
    // This test's thread only: #[tokio::test] runs everything on it.
    let _guard = tracing::subscriber::set_default(subscriber);

    let env = TestEnv::with(testkit::StackOptions {
        extra_env: vec![("VISION_MODEL".into(), "gpt-4o".into())],
        ..testkit::StackOptions::default()
    })
    .await;
    let user = 2401;
    let big = jpeg("the big one");
    env.telegram
        .add_file("PHOTO-S", "photos/file_1.jpg", jpeg("thumb"));
    env.telegram
        .add_file("PHOTO-L", "photos/file_2.jpg", big.clone());
    let update = photo(
        user,
        &[("PHOTO-S", 900, 90), ("PHOTO-L", big.len() as u64, 1280)],
        Some("what is this?"),
    );
    env.post_update(&update).await.unwrap();
    env.drain().await.unwrap();

    let replies = env.telegram.texts_to(user);
    assert_eq!(replies.len(), 1, "{replies:?}");
    // The largest size went to the model, as data, with the caption.
    assert!(
        replies[0].contains(&format!(
            "You said \u{201c}[photo] what is this? [image: image/jpeg, {} bytes]\u{201d}",
            big.len()
        )),
        "{replies:?}"
    );
    assert_eq!(env.telegram.downloads(), ["photos/file_2.jpg"]);
    let requests = env.openai.as_ref().unwrap().requests();
    let sent = serde_json::to_string(&requests).unwrap();
    assert!(sent.contains("data:image/jpeg;base64,"));
    assert!(!sent.contains(LOCAL_BOT_TOKEN), "the token reached OpenAI");
    assert!(
        !sent.contains("/file/bot"),
        "a Telegram file URL reached OpenAI"
    );

    // A file Telegram will not hand over: the user hears so, and still no token anywhere.
    let gone = photo(user, &[("PHOTO-GONE", 900, 90)], None);
    env.post_update(&gone).await.unwrap();
    env.drain().await.unwrap();
    let replies = env.telegram.texts_to(user);
    assert_eq!(
        replies.last().unwrap(),
        &shared::domain::texts::media_failed(Lang::En)
    );

    // The history remembers there was a photo, without the picture.
    let next = env.chat(user, "and now?").await;
    assert!(next[0].contains("I can see 2 earlier"), "{next:?}");
    // Photos went to VISION_MODEL, text to the chat's model.
    assert_eq!(models_asked(&env), ["gpt-4o", "gpt-4o-mini"]);

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(!logs.is_empty(), "logs were captured");
    assert!(
        !logs.contains(LOCAL_BOT_TOKEN),
        "the token reached the logs"
    );
    assert!(
        !logs.contains("LOCAL-dev-token"),
        "part of the token reached the logs"
    );
}

#[tokio::test]
async fn in_responses_mode_the_photo_goes_into_the_conversation_as_data_too() {
    let env = TestEnv::with(testkit::StackOptions {
        extra_env: vec![("OPENAI_API_MODE".into(), "responses".into())],
        ..testkit::StackOptions::default()
    })
    .await;
    let user = 2402;
    let picture = jpeg("a cat on a sofa");
    env.telegram
        .add_file("PHOTO-R", "photos/file_9.jpg", picture.clone());
    env.post_update(&photo(
        user,
        &[("PHOTO-R", picture.len() as u64, 800)],
        Some("whose cat?"),
    ))
    .await
    .unwrap();
    env.drain().await.unwrap();
    let replies = env.telegram.texts_to(user);
    assert!(
        replies[0].contains(&format!(
            "You said \u{201c}[photo] whose cat? [image: image/jpeg, {} bytes]\u{201d}",
            picture.len()
        )),
        "{replies:?}"
    );
    let sent = serde_json::to_string(&env.openai.as_ref().unwrap().requests()).unwrap();
    assert!(sent.contains("\"input_image\""), "{sent}");
    assert!(!sent.contains(LOCAL_BOT_TOKEN));
}
