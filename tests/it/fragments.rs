//! A message Telegram delivered in parts (clients split texts over 4096 characters) is
//! answered once, to the whole text.

use testkit::Stage;
use testkit::updates::private_text_with_id;

use crate::env::{TestEnv, long_replies};

/// What the model was asked last: the user's text in the newest request.
fn last_question(env: &TestEnv) -> String {
    let requests = env.openai.as_ref().unwrap().requests();
    let messages = requests.last().unwrap()["messages"]
        .as_array()
        .unwrap()
        .clone();
    messages.last().unwrap()["content"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_message_telegram_split_in_three_is_answered_once_to_the_whole_text() {
    let env = TestEnv::with(long_replies()).await;
    let user = 2501;
    let first = "first part words ".repeat(240); // 4080 characters: cut by the client
    let second = "second part words ".repeat(226);
    let last = "and the end.";
    for (i, text) in [first.trim_end(), second.trim_end(), last]
        .iter()
        .enumerate()
    {
        let update = private_text_with_id(user, "Ann", text, 700 + i as i64);
        env.post_update(&update).await.unwrap();
    }
    env.drain().await.unwrap();
    // One answer (its echo of 8000 characters arrives in Telegram-sized parts).
    assert_eq!(env.model_calls(), 1);
    assert_eq!(env.usage_records(user).await, 1);
    let replies = env.telegram.texts_to(user);
    assert!(
        replies
            .concat()
            .contains("and the end.\u{201d}. I can see 0 earlier")
    );
    assert_eq!(
        last_question(&env),
        format!("{}\n{}\n{last}", first.trim_end(), second.trim_end())
    );
    // The next message is an ordinary one again.
    let next = env.chat(user, "short one").await;
    assert!(next[0].contains("I can see 2 earlier"), "{next:?}");
}

#[tokio::test]
async fn a_long_message_nothing_follows_is_answered_after_a_short_wait() {
    let env = TestEnv::with(long_replies()).await;
    let user = 2502;
    let text = "exactly at the limit ".repeat(190); // 3990 characters
    let replies = env.chat(user, text.trim_end()).await;
    assert_eq!(replies.len(), 1);
    assert_eq!(last_question(&env), text.trim_end());
    // Held for the continuation that never came, not lost: the delayed look answered it
    // (the message, then the look brought back after its wait).
    assert!(
        env.invocations(Stage::Processor) >= 3,
        "{}",
        env.invocations(Stage::Processor)
    );
    assert_eq!(env.model_calls(), 1);
}
