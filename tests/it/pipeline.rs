use testkit::StackOptions;

use crate::env::TestEnv;

#[tokio::test]
async fn a_private_text_gets_exactly_one_reply_with_the_models_text() {
    let env = TestEnv::start().await;
    let replies = env.chat(501, "Hello there!").await;
    assert_eq!(
        replies,
        [
            "[your close friend] You said \u{201c}Hello there!\u{201d}. I can see 0 earlier messages of ours."
        ]
    );
    assert_eq!(env.model_calls(), 1);
    assert_eq!(env.usage_records(501).await, 1);

    // The model saw the persona, then the message.
    let request = &env.openai.as_ref().unwrap().requests()[0];
    assert_eq!(request["model"], "gpt-4o-mini");
    assert_eq!(request["messages"][0]["role"], "system");
    assert!(
        request["messages"][0]["content"]
            .as_str()
            .unwrap()
            .contains("You are their close friend")
    );
    assert_eq!(request["messages"][1]["content"], "Hello there!");
}

#[tokio::test]
async fn the_conversation_is_remembered_and_usage_is_recorded_per_turn() {
    let env = TestEnv::start().await;
    env.chat(502, "first").await;
    let second = env.chat(502, "second").await;
    assert_eq!(
        second,
        [
            "[your close friend] You said \u{201c}second\u{201d}. I can see 2 earlier messages of ours."
        ]
    );
    let usage = env.usage_items(502).await;
    assert_eq!(usage.len(), 2);
    for record in usage {
        for field in ["model", "prompt_tokens", "completion_tokens", "response_ms"] {
            assert!(
                record.contains_key(field),
                "usage lacks {field}: {record:?}"
            );
        }
    }
}

#[tokio::test]
async fn answers_still_arrive_with_redis_stopped() {
    let env = TestEnv::with(StackOptions {
        channel: Some("@news_channel".into()),
        ..StackOptions::default()
    })
    .await;
    env.telegram.set_member_status(503, "member");
    assert_eq!(env.chat(503, "cached?").await.len(), 1);
    env.stop_redis();
    let replies = env.chat(503, "still there?").await;
    assert_eq!(
        replies,
        [
            "[your close friend] You said \u{201c}still there?\u{201d}. I can see 2 earlier messages of ours."
        ]
    );
    // Without its cache the check asked Telegram again.
    let lookups = env.telegram.count("getChatMember");
    assert_eq!(lookups, 2);
}

#[tokio::test]
async fn without_redis_membership_is_cached_in_dynamodb() {
    let env = TestEnv::with(StackOptions {
        redis: false,
        channel: Some("@news_channel".into()),
        ..StackOptions::default()
    })
    .await;
    env.telegram.set_member_status(504, "administrator");
    env.chat(504, "one").await;
    env.chat(504, "two").await;
    let lookups = env.telegram.count("getChatMember");
    assert_eq!(lookups, 1, "the second message used the cached status");
}

#[tokio::test]
async fn health_reports_config_and_dependencies_without_secrets() {
    let env = TestEnv::start().await;
    let event = testkit::updates::function_url_event(
        "GET",
        "/health",
        Some(testkit::stack::LOCAL_WEBHOOK_SECRET),
        None,
    );
    let (status, body) = env.invoke_webhook(&event).await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "ok");
    for dep in ["dynamodb", "sqs", "secrets", "redis"] {
        assert_eq!(body["dependencies"][dep]["ok"], true, "{dep}: {body}");
    }
    assert_eq!(body["config"]["cache"], "redis");
    let text = body.to_string();
    for secret in [
        testkit::stack::LOCAL_BOT_TOKEN,
        testkit::stack::LOCAL_WEBHOOK_SECRET,
        testkit::stack::LOCAL_OPENAI_KEY,
    ] {
        assert!(!text.contains(secret), "health leaks a secret: {text}");
    }
}

#[tokio::test]
async fn scheduled_style_refresh_builds_profiles_for_known_users() {
    let env = TestEnv::start().await;
    env.chat(505, "hey 😂").await;
    env.chat(505, "lol ok 😂").await;
    env.chat(506, "Good evening. How are you today?").await;
    let event = serde_json::from_value(serde_json::json!({
        "version": "0", "id": "1", "detail-type": "Scheduled Event", "source": "aws.events",
        "account": "123456789012", "time": "2026-11-22T00:00:00Z", "region": "us-east-1",
        "resources": [], "detail": {}
    }))
    .unwrap();
    let summary = env.invoke_style_refresh(event).await.unwrap();
    assert!(summary.finished);
    assert!(summary.profiles_updated >= 2, "{summary:?}");
    for user in [505, 506] {
        let profile = env.profile(user).await;
        assert!(
            profile.contains_key("style_description"),
            "user {user}: {profile:?}"
        );
    }
}
