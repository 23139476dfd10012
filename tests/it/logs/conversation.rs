//! A conversation that goes through every path the functions log on: the pipeline, a
//! redelivery, a command answered in the webhook's response, OpenAI and Telegram faults,
//! a voice note, a photo, a group mention, and commands that read history back.

use http::StatusCode;
use shared::domain::Lang;
use shared::domain::texts;
use testkit::openai_standin::{AiFault, spoken_ogg};
use testkit::stack::LOCAL_BOT_USERNAME;
use testkit::telegram_standin::TgFault;
use testkit::updates::{callback_query, group_text, photo, private_text, voice_note};

use super::USER;
use crate::env::TestEnv;

const GROUP: i64 = -1_001_234_567_027;
const PRIVATE_TEXT: &str = "my neighbour Bartholomew keeps bees on the roof";
const FAULT_TEXT: &str = "the quince jam burnt again";
const MARKUP_TEXT: &str = "**bold** claims about the heron";
const TRANSCRIPT: &str = "please remember the locksmith on Tuesday";
const CAPTION: &str = "my grandmother's walnut cupboard";
const GROUP_TEXT: &str = "which marigold seeds should we order";

/// What was said, by what it is: what no log line may hold.
type Said = Vec<(&'static str, String)>;

/// Runs the conversation, and returns what the user said and the model answered, by
/// what it is.
pub(super) async fn conversation(env: &TestEnv) -> Said {
    let mut said = Said::new();
    private_text_delivered_twice(env, &mut said).await;
    faults_on_both_sides(env, &mut said).await;
    voice_and_photo(env, &mut said).await;
    let group_replies = group_mention(env, &mut said).await;

    // /usage and /export: the processor reads the history and usage back.
    let usage = env.chat(USER, "/usage").await;
    assert_eq!(usage.len(), 1, "{usage:?}");
    env.chat(USER, "/export").await;
    assert!(env.telegram.count("sendDocument") >= 1);

    // Everything the model wrote, and the distinctive words of what the user sent.
    let model_said = |t: &String| t.contains("You said");
    for reply in env.telegram.texts_to(USER).iter().filter(|t| model_said(t)) {
        said.push(("model reply", reply.clone()));
    }
    for reply in group_replies.iter().filter(|t| model_said(t)) {
        said.push(("model reply in the group", reply.clone()));
    }
    for word in [
        "Bartholomew",
        "quince",
        "heron",
        "locksmith",
        "walnut",
        "marigold",
    ] {
        said.push(("a word the user sent", word.into()));
    }
    said
}

/// A private text, answered through the whole pipeline; Telegram delivers it twice (the
/// second claim fails DynamoDB's condition: an SDK error path). Then /start, answered in
/// the webhook's response.
async fn private_text_delivered_twice(env: &TestEnv, said: &mut Said) {
    let update = private_text(USER, "Ann", PRIVATE_TEXT);
    for _ in 0..2 {
        let (status, _) = env.post_update(&update).await.unwrap();
        assert_eq!(status, StatusCode::OK);
    }
    env.drain().await.unwrap();
    let replies = env.telegram.texts_to(USER);
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(replies[0].contains(PRIVATE_TEXT), "{replies:?}");
    said.push(("private text", PRIVATE_TEXT.into()));

    let (status, body) = env
        .post_update(&private_text(USER, "Ann", "/start"))
        .await
        .unwrap();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["method"], "sendMessage", "{body}");
}

/// OpenAI fails once (a 500 with its body), then answers; Telegram refuses a reply's
/// markup, and the same text goes again plain.
async fn faults_on_both_sides(env: &TestEnv, said: &mut Said) {
    let openai = env.openai.as_ref().unwrap();
    openai.fail_next(AiFault::ServerError);
    let replies = env.chat(USER, FAULT_TEXT).await;
    assert!(
        replies.iter().any(|r| r.contains(FAULT_TEXT)),
        "{replies:?}"
    );
    said.push(("text answered after an OpenAI 500", FAULT_TEXT.into()));

    env.telegram
        .fail_next("sendMessage", TgFault::CantParseEntities);
    let before = env.telegram.count("sendMessage");
    let replies = env.chat(USER, MARKUP_TEXT).await;
    assert!(
        replies.iter().any(|r| r.contains("claims about the heron")),
        "{replies:?}"
    );
    assert!(env.telegram.count("sendMessage") >= before + 2);
    said.push(("text whose reply Telegram refused", MARKUP_TEXT.into()));
}

/// A voice note with its transcript shown, and a photo with a caption.
async fn voice_and_photo(env: &TestEnv, said: &mut Said) {
    let (_, pressed) = env
        .post_update(&callback_query(USER, "settings:transcript:on"))
        .await
        .unwrap();
    assert_eq!(pressed["method"], "editMessageReplyMarkup", "{pressed}");
    let voice = spoken_ogg(2, TRANSCRIPT);
    let size = voice.len() as u64;
    env.telegram.add_file("LOGS-VOICE", "voice/logs.oga", voice);
    env.post_update(&voice_note(USER, "LOGS-VOICE", 2, size))
        .await
        .unwrap();
    env.drain().await.unwrap();
    assert!(
        env.telegram
            .texts_to(USER)
            .contains(&texts::transcript(Lang::En, TRANSCRIPT))
    );
    said.push(("transcript", TRANSCRIPT.into()));

    let picture = testkit::stack::demo_photo();
    let size = picture.len() as u64;
    env.telegram
        .add_file("LOGS-PHOTO", "photos/logs.jpg", picture);
    env.post_update(&photo(USER, &[("LOGS-PHOTO", size, 800)], Some(CAPTION)))
        .await
        .unwrap();
    env.drain().await.unwrap();
    assert!(
        env.telegram
            .texts_to(USER)
            .iter()
            .any(|t| t.contains("walnut cupboard"))
    );
    said.push(("caption", CAPTION.into()));
}

/// A mention in a group; returns what the group received.
async fn group_mention(env: &TestEnv, said: &mut Said) -> Vec<String> {
    let mention = format!("@{LOCAL_BOT_USERNAME} {GROUP_TEXT}");
    env.post_update(&group_text(GROUP, "supergroup", USER + 1, &mention))
        .await
        .unwrap();
    env.drain().await.unwrap();
    let group_replies = env.telegram.texts_to(GROUP);
    assert!(
        group_replies.iter().any(|t| t.contains(GROUP_TEXT)),
        "{group_replies:?}"
    );
    said.push(("group mention", mention));
    said.push(("group mention", GROUP_TEXT.into()));
    group_replies
}
