//! Telegram's real behaviour: a group that became a supergroup, a send whose answer was
//! lost, an album, a voice note that cannot be made.

use shared::domain::Lang;
use std::time::Duration;

use shared::domain::texts;
use testkit::openai_standin::{AiFault, Endpoint};
use testkit::stack::{LOCAL_BOT_USERNAME, demo_photo};
use testkit::telegram_standin::TgFault;
use testkit::updates::{album, group_migrated, group_text};

use crate::env::TestEnv;

const OLD: i64 = -4_000_777;
const NEW: i64 = -1_001_000_777;

fn to_bot(text: &str) -> String {
    format!("@{LOCAL_BOT_USERNAME} {text}")
}

#[tokio::test]
async fn a_reply_to_a_group_that_became_a_supergroup_goes_there_and_the_conversation_follows() {
    let env = TestEnv::start().await;
    let member = 3501;
    env.post_update(&group_text(OLD, "group", member, &to_bot("hello group")))
        .await
        .unwrap();
    env.drain().await.unwrap();
    assert_eq!(env.telegram.texts_to(OLD).len(), 1);
    // The group is upgraded; the next reply to the old id is refused with the new one.
    env.telegram
        .fail_next("sendMessage", TgFault::MigrateToChat(NEW));
    env.post_update(&group_text(OLD, "group", member, &to_bot("still here?")))
        .await
        .unwrap();
    env.drain().await.unwrap();
    let moved = env.telegram.texts_to(NEW);
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!(
        moved[0].contains("You said \u{201c}still here?\u{201d}"),
        "{moved:?}"
    );
    // The conversation moved too: the supergroup's next answer sees both exchanges.
    env.post_update(&group_text(NEW, "supergroup", member, &to_bot("and now?")))
        .await
        .unwrap();
    env.drain().await.unwrap();
    let texts = env.telegram.texts_to(NEW);
    assert!(texts[1].contains("I can see 4 earlier"), "{texts:?}");
}

#[tokio::test]
async fn the_migration_service_messages_move_the_conversation_before_the_next_answer() {
    let env = TestEnv::start().await;
    let member = 3502;
    let (old, new) = (OLD - 1, NEW - 1);
    env.post_update(&group_text(old, "group", member, &to_bot("remember me")))
        .await
        .unwrap();
    env.drain().await.unwrap();
    for update in group_migrated(old, new) {
        env.post_update(&update).await.unwrap();
    }
    env.post_update(&group_text(new, "supergroup", member, &to_bot("do you?")))
        .await
        .unwrap();
    env.drain().await.unwrap();
    let texts = env.telegram.texts_to(new);
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].contains("I can see 2 earlier"), "{texts:?}");
}

#[tokio::test]
async fn a_send_whose_answer_was_lost_is_not_sent_again() {
    let env = TestEnv::start().await;
    // Delivered by Telegram, but the answer comes after the client's 5 s timeout.
    env.telegram.fail_next(
        "sendMessage",
        TgFault::SlowButDelivered(Duration::from_secs(8)),
    );
    let replies = env.chat(3503, "did you get this?").await;
    assert_eq!(replies.len(), 1, "shown once, not twice: {replies:?}");
    assert_eq!(env.telegram.count("sendMessage"), 1);
}

#[tokio::test]
async fn an_album_is_answered_once_with_all_its_photos() {
    let env = TestEnv::with(testkit::StackOptions {
        extra_env: vec![("VISION_MODEL".into(), "gpt-4o".into())],
        ..testkit::StackOptions::default()
    })
    .await;
    let user = 3504;
    for id in ["A1", "A2", "A3"] {
        env.telegram
            .add_file(id, &format!("photos/{id}.jpg"), demo_photo());
    }
    let photos: [&[(&str, u64, i64)]; 3] =
        [&[("A1", 34, 320)], &[("A2", 34, 320)], &[("A3", 34, 320)]];
    for update in album(user, user, "album-9", &photos, Some("our trip")) {
        env.post_update(&update).await.unwrap();
    }
    env.drain().await.unwrap();
    let replies = env.telegram.texts_to(user);
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(replies[0].contains("[3 photos] our trip"), "{replies:?}");
    assert_eq!(
        replies[0].matches("[image: image/jpeg").count(),
        3,
        "{replies:?}"
    );
    let ai = env.openai.as_ref().unwrap();
    assert_eq!(ai.count(Endpoint::Chat), 1);
}

#[tokio::test]
async fn a_voice_note_that_cannot_be_made_is_one_line_and_holds_up_nothing() {
    let env = TestEnv::start().await;
    let user = 3505;
    env.chat(user, "/voice on").await;
    let ai = env.openai.as_ref().unwrap();
    for _ in 0..3 {
        ai.fail_next_on(Endpoint::Speech, AiFault::Overloaded);
    }
    let first = env.chat(user, "say something").await;
    assert_eq!(first.len(), 2, "{first:?}");
    assert_eq!(first[1], texts::speech_failed(Lang::En));
    assert!(env.telegram.voices_to(user).is_empty());
    // The chat's next reply comes, spoken, at once: nothing was left waiting.
    let second = env.chat(user, "and now?").await;
    assert_eq!(second.len(), 1, "{second:?}");
    assert_eq!(env.telegram.voices_to(user).len(), 1);
}
