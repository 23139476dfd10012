use shared::domain::Lang;
use shared::domain::texts;
use testkit::updates::private_text;

use crate::env::TestEnv;

#[tokio::test]
async fn start_and_help_are_answered_in_the_webhook_response() {
    let env = TestEnv::start().await;
    for (command, text) in [
        ("/start", texts::start(Lang::En)),
        ("/help", texts::help(Lang::En, texts::Asker::USER)),
    ] {
        let (status, body) = env
            .post_update(&private_text(801, "Ann", command))
            .await
            .unwrap();
        assert_eq!(status, 200);
        assert_eq!(body["method"], "sendMessage", "{command}");
        assert_eq!(body["chat_id"], 801);
        assert_eq!(body["text"], text);
    }
    assert_eq!(
        env.queue_depths().await,
        0,
        "quick commands are not enqueued"
    );
}

#[tokio::test]
async fn reset_starts_a_new_conversation_and_says_so() {
    let env = TestEnv::start().await;
    env.chat(802, "remember this").await;
    assert_eq!(env.chat(802, "/reset").await, [texts::reset_done(Lang::En)]);
    let after = env.chat(802, "what did I say?").await;
    assert_eq!(
        after,
        [
            "[your close friend] You said \u{201c}what did I say?\u{201d}. I can see 0 earlier messages of ours."
        ]
    );
}

#[tokio::test]
async fn new_style_refreshes_the_profile_and_replies_imitate_it() {
    let env = TestEnv::start().await;
    env.chat(803, "omg hiii 😂").await;
    env.chat(803, "lol ok 😂😂").await;
    assert!(
        env.chat(803, "/new_style").await[0].starts_with(&texts::new_style_done_heading(Lang::En))
    );
    let profile = env.profile(803).await;
    let description = profile["style_description"].as_s().unwrap();
    assert!(description.contains("emoji"), "{description}");

    let reply = env.chat(803, "sup").await;
    assert!(
        reply[0].ends_with("and I'm writing in your style."),
        "{reply:?}"
    );
    let last = env.openai.as_ref().unwrap().requests().pop().unwrap();
    assert!(
        last["messages"][0]["content"]
            .as_str()
            .unwrap()
            .contains(description.as_str())
    );
}

#[tokio::test]
async fn new_style_with_nothing_to_learn_from_says_so() {
    let env = TestEnv::start().await;
    let reply = env.chat(804, "/new_style").await;
    assert_eq!(reply.len(), 1);
    assert!(
        reply[0].contains("need a few of your messages"),
        "{reply:?}"
    );
}

#[tokio::test]
async fn subscribe_reports_the_users_status() {
    let env = TestEnv::with(testkit::StackOptions {
        channel: Some("@news_channel".into()),
        ..testkit::StackOptions::default()
    })
    .await;
    env.telegram.set_member_status(805, "administrator");
    env.telegram.set_member_status(806, "kicked");
    assert_eq!(
        env.chat(805, "/subscribe").await,
        ["You have access: you are an administrator of the channel."]
    );
    assert_eq!(
        env.chat(806, "/subscribe").await,
        ["You don't have access: you are banned from the channel."]
    );
    assert_eq!(env.model_calls(), 0);
}

#[tokio::test]
async fn unknown_commands_are_explained() {
    let env = TestEnv::start().await;
    assert_eq!(
        env.chat(807, "/weather").await,
        [texts::unknown_command(Lang::En, "weather")]
    );
}

#[tokio::test]
async fn unhandled_and_unparseable_updates_get_200_and_are_dropped() {
    let env = TestEnv::start().await;
    let unknown = testkit::fixtures::json("telegram/updates/70-unknown-update-type.json");
    let edited =
        testkit::fixtures::json("telegram/updates/11-edited-message-private-with-reply.json");
    for update in [
        unknown,
        edited,
        serde_json::json!({"garbage": true}),
        serde_json::json!("not even an object"),
    ] {
        let (status, _) = env.post_update(&update).await.unwrap();
        assert_eq!(status, 200, "{update}");
    }
    assert_eq!(env.queue_depths().await, 0);
}
