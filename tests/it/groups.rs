//! Groups and supergroups: the bot answers when addressed (mention, reply, `/cmd@bot`)
//! and nothing else; forum topics are conversations of their own; only admins change the
//! group's persona.

use shared::domain::Lang;
use shared::domain::texts;
use testkit::stack::{LOCAL_BOT_ID, LOCAL_BOT_USERNAME};
use testkit::updates::{forum_topic_text, group_callback_query, group_reply_to_bot, group_text};

use crate::env::TestEnv;

const GROUP: i64 = -1_001_234_567_001;

fn sends_to(env: &TestEnv, chat: i64) -> Vec<testkit::telegram_standin::TgCall> {
    env.telegram
        .delivered()
        .into_iter()
        .filter(|c| c.params["chat_id"].as_i64() == Some(chat))
        .collect()
}

#[tokio::test]
async fn a_group_message_that_does_not_address_the_bot_gets_no_reply_and_no_model_call() {
    let env = TestEnv::start().await;
    for text in [
        "hello everyone",
        "has anyone seen @someone_else?",
        "/reset",
        "/help@other_bot",
    ] {
        let (status, body) = env
            .post_update(&group_text(GROUP, "supergroup", 2201, text))
            .await
            .unwrap();
        assert_eq!(status, http::StatusCode::OK);
        assert!(body.get("method").is_none(), "{text}: {body}");
    }
    env.drain().await.unwrap();
    assert!(sends_to(&env, GROUP).is_empty());
    assert_eq!(env.model_calls(), 0);
    assert_eq!(env.queue_depths().await, 0);
}

#[tokio::test]
async fn mentions_replies_and_addressed_commands_are_answered_in_the_group() {
    let env = TestEnv::start().await;
    let mention = format!("@{LOCAL_BOT_USERNAME} what should we cook tonight?");
    env.post_update(&group_text(GROUP, "supergroup", 2202, &mention))
        .await
        .unwrap();
    env.drain().await.unwrap();
    let reply = group_reply_to_bot(
        GROUP,
        2203,
        "and for dessert?",
        LOCAL_BOT_USERNAME,
        LOCAL_BOT_ID,
    );
    env.post_update(&reply).await.unwrap();
    env.drain().await.unwrap();
    let (_, help) = env
        .post_update(&group_text(
            GROUP,
            "group",
            2202,
            &format!("/help@{LOCAL_BOT_USERNAME}"),
        ))
        .await
        .unwrap();
    assert_eq!(
        help["text"],
        texts::help(Lang::En, texts::Asker::GROUP_MEMBER)
    );

    let sent: Vec<_> = sends_to(&env, GROUP)
        .into_iter()
        .filter(|c| !c.via_webhook_response)
        .collect();
    assert_eq!(sent.len(), 2);
    // The mention is not part of what the model reads; the group is one conversation.
    assert!(
        sent[0].params["text"]
            .as_str()
            .unwrap()
            .contains("You said \u{201c}what should we cook tonight?\u{201d}. I can see 0"),
        "{}",
        sent[0].params["text"]
    );
    assert!(
        sent[1].params["text"]
            .as_str()
            .unwrap()
            .contains("I can see 2 earlier messages"),
        "{}",
        sent[1].params["text"]
    );
    // Each answer quotes the message it answers.
    for call in &sent {
        assert!(
            call.params["reply_parameters"]["message_id"]
                .as_i64()
                .is_some()
        );
    }
    // Groups see "typing…" rather than drafts (drafts are for private chats).
    assert!(env.telegram.count("sendChatAction") >= 2);
    assert!(env.telegram.drafts_to(GROUP).is_empty());
    assert_eq!(env.model_calls(), 2);
}

#[tokio::test]
async fn forum_topics_keep_their_own_conversation_and_replies_stay_in_the_topic() {
    let env = TestEnv::start().await;
    let say = |topic: i64, text: &str| {
        forum_topic_text(GROUP, topic, 2204, &format!("@{LOCAL_BOT_USERNAME} {text}"))
    };
    for (topic, text) in [
        (7, "first in seven"),
        (7, "second in seven"),
        (9, "first in nine"),
    ] {
        env.post_update(&say(topic, text)).await.unwrap();
        env.drain().await.unwrap();
    }
    let sent: Vec<_> = sends_to(&env, GROUP);
    assert_eq!(sent.len(), 3);
    let threads: Vec<i64> = sent
        .iter()
        .map(|c| c.params["message_thread_id"].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(threads, [7, 7, 9]);
    let text = |i: usize| sent[i].params["text"].as_str().unwrap().to_owned();
    assert!(text(1).contains("I can see 2 earlier"), "{}", text(1));
    assert!(text(2).contains("I can see 0 earlier"), "{}", text(2));
    // "typing…" shows in the topic too.
    assert!(
        env.telegram
            .calls()
            .iter()
            .filter(|c| c.method == "sendChatAction")
            .all(|c| c.params["message_thread_id"].as_i64().is_some())
    );
}

#[tokio::test]
async fn only_group_admins_change_the_group_persona_and_settings() {
    let env = TestEnv::start().await;
    env.telegram.set_member_status(2205, "member");
    env.telegram.set_member_status(2206, "administrator");
    let command = format!("/persona@{LOCAL_BOT_USERNAME} parent");
    let (_, refused) = env
        .post_update(&group_text(GROUP, "supergroup", 2205, &command))
        .await
        .unwrap();
    assert_eq!(refused["text"], texts::group_admins_only(Lang::En));
    let (_, pressed) = env
        .post_update(&group_callback_query(GROUP, 2205, "persona:sibling"))
        .await
        .unwrap();
    assert_eq!(pressed["method"], "answerCallbackQuery");
    assert_eq!(pressed["text"], texts::group_admins_only(Lang::En));
    let (_, settings) = env
        .post_update(&group_text(
            GROUP,
            "supergroup",
            2205,
            &format!("/settings@{LOCAL_BOT_USERNAME}"),
        ))
        .await
        .unwrap();
    assert_eq!(settings["text"], texts::group_admins_only(Lang::En));

    let (_, accepted) = env
        .post_update(&group_text(GROUP, "supergroup", 2206, &command))
        .await
        .unwrap();
    assert!(
        accepted["text"].as_str().unwrap().contains("parent"),
        "{accepted}"
    );
    env.post_update(&group_text(
        GROUP,
        "supergroup",
        2205,
        &format!("@{LOCAL_BOT_USERNAME} hi all"),
    ))
    .await
    .unwrap();
    env.drain().await.unwrap();
    let answer = sends_to(&env, GROUP)
        .into_iter()
        .rfind(|c| !c.via_webhook_response)
        .unwrap();
    assert!(
        answer.params["text"]
            .as_str()
            .unwrap()
            .starts_with("[your parent]"),
        "{}",
        answer.params["text"]
    );
    // The group's persona is the group's: the member's private chat is unchanged.
    let private = env.chat(2205, "hello").await;
    assert!(private[0].starts_with("[your close friend]"), "{private:?}");
    assert_eq!(env.telegram.count("getChatMember"), 4);

    // When Telegram will not say (400 chat not found), the change is refused, not retried.
    env.telegram.fail_next(
        "getChatMember",
        testkit::telegram_standin::TgFault::ChatNotFound,
    );
    let (status, refused) = env
        .post_update(&group_text(GROUP, "supergroup", 2206, &command))
        .await
        .unwrap();
    assert_eq!(status, http::StatusCode::OK);
    assert_eq!(refused["text"], texts::group_admins_only(Lang::En));
}
