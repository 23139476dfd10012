use shared::domain::Lang;
use testkit::StackOptions;
use testkit::updates::private_text;

use crate::env::TestEnv;

fn channel_env() -> StackOptions {
    StackOptions {
        channel: Some("@news_channel".into()),
        ..StackOptions::default()
    }
}

#[tokio::test]
async fn a_wrong_or_missing_secret_gets_401_and_nothing_is_enqueued() {
    let env = TestEnv::start().await;
    let update = private_text(701, "Eve", "let me in");
    for secret in [None, Some("wrong-secret"), Some("")] {
        let (status, _) = env.post_update_with_secret(&update, secret).await.unwrap();
        assert_eq!(status, 401, "secret {secret:?}");
    }
    assert_eq!(env.queue_depths().await, 0);
    env.drain().await.unwrap();
    assert!(env.telegram.calls().is_empty());
    // Nothing was stored either: the real delivery afterwards is not taken for a duplicate.
    let (status, _) = env.post_update(&update).await.unwrap();
    assert_eq!(status, 200);
    env.drain().await.unwrap();
    assert_eq!(env.telegram.texts_to(701).len(), 1);
}

#[tokio::test]
async fn a_non_member_is_refused_with_a_join_button_and_a_member_is_answered() {
    let env = TestEnv::with(channel_env()).await;
    env.telegram.set_member_status(702, "left");
    env.telegram.set_member_status(703, "member");

    let refused = env.chat(702, "hi").await;
    assert_eq!(refused, [shared::domain::texts::refused_channel(Lang::En)]);
    let call = env
        .telegram
        .delivered()
        .into_iter()
        .find(|c| c.params["chat_id"] == 702)
        .unwrap();
    assert_eq!(
        call.params["reply_markup"]["inline_keyboard"][0][0]["url"],
        "https://t.me/news_channel"
    );
    assert_eq!(env.model_calls(), 0);

    let answered = env.chat(703, "hi").await;
    assert_eq!(answered.len(), 1);
    assert!(answered[0].contains("You said"), "{answered:?}");
}

#[tokio::test]
async fn every_member_status_is_judged_as_the_bot_api_defines_it() {
    let env = TestEnv::with(channel_env()).await;
    let cases = [
        (710, "creator", true),
        (711, "administrator", true),
        (712, "member", true),
        (713, "restricted", true), // the recorded restricted member has is_member: true
        (714, "left", false),
        (715, "kicked", false),
    ];
    for (user, status, allowed) in cases {
        env.telegram.set_member_status(user, status);
        let replies = env.chat(user, "hello").await;
        assert_eq!(replies.len(), 1, "{status}");
        assert_eq!(
            replies[0].contains("You said"),
            allowed,
            "{status}: {replies:?}"
        );
    }
}

#[tokio::test]
async fn allow_listed_users_pass_without_a_membership_check() {
    let env = TestEnv::with(StackOptions {
        allowed_users: vec![720],
        ..channel_env()
    })
    .await;
    assert!(env.chat(720, "hello").await[0].contains("You said"));
    assert_eq!(env.telegram.count("getChatMember"), 0);
}

#[tokio::test]
async fn an_allow_list_without_a_channel_refuses_everyone_else() {
    let env = TestEnv::with(StackOptions {
        allowed_users: vec![721],
        ..StackOptions::default()
    })
    .await;
    assert_eq!(
        env.chat(722, "hello").await,
        [shared::domain::texts::refused_private(Lang::En)]
    );
}

#[tokio::test]
async fn a_chat_member_update_refreshes_the_cached_status_at_once() {
    let env = TestEnv::with(channel_env()).await;
    env.telegram.set_member_status(730, "member");
    assert!(env.chat(730, "hello").await[0].contains("You said"));

    // The user leaves the channel; Telegram tells the bot (it is a channel admin).
    let mut left =
        testkit::fixtures::json("telegram/updates/25-chat-member-user-left-supergroup.json");
    left["update_id"] = serde_json::json!(testkit::updates::next_update_id());
    left["chat_member"]["chat"] = serde_json::json!({"id": -1001234567890i64, "type": "channel", "title": "News", "username": "news_channel"});
    for who in ["old_chat_member", "new_chat_member"] {
        left["chat_member"][who]["user"]["id"] = serde_json::json!(730);
    }
    let (status, _) = env.post_update(&left).await.unwrap();
    assert_eq!(status, 200);
    env.drain().await.unwrap();

    let lookups_before = env.telegram.count("getChatMember");
    assert_eq!(
        env.chat(730, "still here?").await,
        [shared::domain::texts::refused_channel(Lang::En)]
    );
    let lookups_after = env.telegram.count("getChatMember");
    assert_eq!(
        lookups_before, lookups_after,
        "decided from the refreshed cache"
    );
}
