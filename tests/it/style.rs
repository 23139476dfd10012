use shared::domain::Lang;
use shared::domain::texts;
use testkit::StackOptions;
use testkit::updates::private_text;

use crate::env::TestEnv;

fn forwarded(user: i64, text: &str) -> serde_json::Value {
    let mut update = private_text(user, "Ann", text);
    // As Telegram sends a forward from another user (recorded shape: 43-forward-origin-user).
    update["message"]["forward_origin"] = serde_json::json!({
        "type": "user",
        "date": 1_795_000_000,
        "sender_user": {"id": user, "is_bot": false, "first_name": "Ann"}
    });
    update
}

#[tokio::test]
async fn new_style_reports_its_samples_and_forwards_right_after_it_become_samples() {
    let env = TestEnv::start().await;
    env.chat(1401, "hey there").await;
    env.chat(1401, "what's up").await;
    let reply = env.chat(1401, "/new_style").await;
    assert!(
        reply[0].starts_with(&texts::new_style_done_heading(Lang::En)),
        "{reply:?}"
    );
    assert!(
        reply[0].contains("Built from 2 of your messages"),
        "{reply:?}"
    );

    let calls_before = env.model_calls();
    for text in ["omg this is SO good 😂😂", "lol ikr 😂"] {
        let (status, _) = env.post_update(&forwarded(1401, text)).await.unwrap();
        assert_eq!(status, 200);
        env.drain().await.unwrap();
    }
    let texts_now = env.telegram.texts_to(1401);
    assert_eq!(texts_now.last().unwrap(), &texts::sample_added(Lang::En, 4));
    assert_eq!(
        env.model_calls(),
        calls_before,
        "samples are not answered by the model"
    );
    let profile = env.profile(1401).await;
    assert!(profile["style_description"].as_s().unwrap().contains("😂"));
}

#[tokio::test]
async fn style_shows_the_profile_and_off_stops_imitation() {
    let env = TestEnv::start().await;
    assert!(env.chat(1402, "/style").await[0].starts_with("I haven't learned your style yet"));
    env.chat(1402, "yo 😂").await;
    env.chat(1402, "/new_style").await;
    let shown = env.chat(1402, "/style").await;
    assert!(
        shown[0].starts_with("Your style (from 1 message):"),
        "{shown:?}"
    );
    assert!(shown[0].contains("Imitation is on."));

    assert_eq!(
        env.chat(1402, "/style off").await,
        [texts::style_off(Lang::En)]
    );
    assert!(!env.chat(1402, "hi").await[0].contains("in your style"));
    assert_eq!(
        env.chat(1402, "/style on").await,
        [texts::style_on(Lang::En)]
    );
    assert!(env.chat(1402, "hi again").await[0].contains("in your style"));
    assert_eq!(
        env.chat(1402, "/style maybe").await,
        [texts::style_usage(Lang::En)]
    );
}

#[tokio::test]
async fn the_schedule_refreshes_only_users_with_enough_new_messages() {
    let env = TestEnv::with(StackOptions {
        extra_env: vec![("STYLE_REFRESH_MIN_NEW_MESSAGES".into(), "3".into())],
        ..StackOptions::default()
    })
    .await;
    for user in [1403, 1404] {
        env.chat(user, "first message").await;
        env.chat(user, "/new_style").await;
    }
    // 1403 writes three more messages; 1404 only one.
    for text in ["a", "b", "c"] {
        env.chat(1403, text).await;
    }
    env.chat(1404, "just one").await;
    let schedule = serde_json::from_str(
        &std::fs::read_to_string(
            testkit::fixtures::workspace_root().join("events/style-refresh-schedule.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let summary = env.invoke_style_refresh(schedule).await.unwrap();
    assert!(summary.finished);
    assert_eq!(
        (
            summary.users_seen,
            summary.profiles_updated,
            summary.skipped
        ),
        (2, 1, 1),
        "{summary:?}"
    );
    let samples = |p: &std::collections::HashMap<
        String,
        aws_sdk_dynamodb::types::AttributeValue,
    >| { p["style_samples"].as_n().unwrap().parse::<u32>().unwrap() };
    assert_eq!(samples(&env.profile(1403).await), 4);
    assert_eq!(samples(&env.profile(1404).await), 1);
}
