use shared::domain::Lang;
use std::time::Duration;

use shared::domain::texts;
use testkit::openai_standin::AiFault;
use testkit::telegram_standin::TgFault;
use testkit::{StackOptions, Stage};

use crate::env::TestEnv;

fn fast_failing_openai() -> StackOptions {
    StackOptions {
        openai_timeout_secs: 1,
        openai_max_attempts: 2,
        ..StackOptions::default()
    }
}

#[tokio::test]
async fn openai_500_then_a_timeout_sends_a_friendly_message_and_the_record_recovers() {
    let env = TestEnv::with(fast_failing_openai()).await;
    let openai = env.openai.as_ref().unwrap();
    openai.fail_next(AiFault::ServerError);
    openai.fail_next(AiFault::Timeout(Duration::from_secs(3)));

    let replies = env.chat(901, "are you ok?").await;
    // First delivery: both attempts fail, the user hears it is taking a while and the
    // record stays queued; the redelivery succeeds.
    assert_eq!(replies.len(), 2, "{replies:?}");
    assert_eq!(replies[0], texts::still_trying(Lang::En));
    assert!(
        replies[1].contains("You said \u{201c}are you ok?\u{201d}"),
        "{replies:?}"
    );
    assert_eq!(openai.requests().len(), 3);
    assert_eq!(env.usage_records(901).await, 1);
}

#[tokio::test]
async fn when_openai_keeps_failing_the_message_waits_in_the_dead_letter_queue() {
    let env = TestEnv::with(StackOptions {
        max_receive_count: Some(2),
        ..fast_failing_openai()
    })
    .await;
    let openai = env.openai.as_ref().unwrap();
    for _ in 0..4 {
        openai.fail_next(AiFault::ServerError);
    }
    let replies = env.chat(902, "please keep this").await;
    // One notice that it is taking a while, however many redeliveries, and on the last
    // delivery one final word: the promise to write back either way is kept.
    assert_eq!(
        replies,
        [
            texts::still_trying(Lang::En),
            texts::gave_up(Lang::En, None, true, true)
        ],
    );
    let parked = env.dead_letters(&env.resources.work_dlq).await.unwrap();
    assert_eq!(parked.len(), 1);
    assert!(parked[0].contains("please keep this"), "{parked:?}");
    assert_eq!(
        env.queue_depths().await,
        0,
        "the record was settled, not left to expire"
    );
}

#[tokio::test]
async fn out_of_quota_is_not_retried_within_a_delivery() {
    let env = TestEnv::with(StackOptions {
        max_receive_count: Some(1),
        ..fast_failing_openai()
    })
    .await;
    env.openai
        .as_ref()
        .unwrap()
        .fail_next(AiFault::InsufficientQuota);
    let replies = env.chat(903, "hello").await;
    assert_eq!(
        replies,
        [texts::gave_up(
            Lang::En,
            Some(shared::error::Cause::QuotaExhausted),
            false,
            true
        )]
    );
    assert_eq!(env.model_calls(), 1, "insufficient_quota is permanent");
    // An operator can top up the account and redrive it.
    let parked = env.dead_letters(&env.resources.work_dlq).await.unwrap();
    assert_eq!(parked.len(), 1);
}

#[tokio::test]
async fn telegram_429_is_delivered_after_retry_after_without_sleeping_in_the_function() {
    let env = TestEnv::start().await;
    env.telegram
        .fail_next("sendMessage", TgFault::TooManyRequests { retry_after: 2 });
    let replies = env.chat(904, "flood?").await;
    assert_eq!(replies.len(), 1);
    let sends: Vec<_> = env
        .telegram
        .calls()
        .into_iter()
        .filter(|c| c.method == "sendMessage")
        .collect();
    // Sent again only after retry_after: the stand-in answers 429 again (a flood
    // violation, checked when the test ends) to a send that comes sooner.
    assert_eq!(
        sends.iter().map(|c| c.status).collect::<Vec<_>>(),
        [429, 200]
    );
    // The wait was SQS's, not a sleep in the function: the record came back.
    assert!(env.invocations(Stage::Sender) >= 2);
}

#[tokio::test]
async fn telegram_403_marks_the_user_inactive_and_is_not_retried() {
    let env = TestEnv::start().await;
    env.chat(905, "hi").await;
    env.telegram.fail_next("sendMessage", TgFault::Blocked);
    let replies = env.chat(905, "are you there?").await;
    assert!(replies.is_empty());
    let sends = env.telegram.count("sendMessage");
    assert_eq!(sends, 2, "the blocked send was not retried");
    let profile = env.profile(905).await;
    assert_eq!(
        profile["active"].as_bool().ok(),
        Some(&false),
        "{profile:?}"
    );
}

#[tokio::test]
async fn telegram_403_in_a_group_marks_the_group_inactive_not_the_member() {
    let env = TestEnv::start().await;
    let group = -1_001_234_567_905;
    let mention = format!("@{} hello", testkit::stack::LOCAL_BOT_USERNAME);
    let update = || testkit::updates::group_text(group, "supergroup", 906, &mention);
    env.post_update(&update()).await.unwrap();
    env.drain().await.unwrap();
    // The bot was removed from the group.
    env.telegram.fail_next("sendMessage", TgFault::Blocked);
    env.post_update(&update()).await.unwrap();
    env.drain().await.unwrap();
    assert_eq!(env.telegram.count("sendMessage"), 2, "not retried");
    let member = env.profile(906).await;
    assert_ne!(member["active"].as_bool().ok(), Some(&false), "{member:?}");
    let profile = env.profile(group).await;
    assert_eq!(
        profile["active"].as_bool().ok(),
        Some(&false),
        "{profile:?}"
    );
}

#[tokio::test]
async fn telegram_5xx_is_retried() {
    let env = TestEnv::start().await;
    env.telegram
        .fail_next("sendMessage", TgFault::BadGatewayHtml);
    let replies = env.chat(906, "hello").await;
    assert_eq!(replies.len(), 1);
    let statuses: Vec<u16> = env
        .telegram
        .calls()
        .into_iter()
        .filter(|c| c.method == "sendMessage")
        .map(|c| c.status)
        .collect();
    assert_eq!(statuses, [502, 200]);
}

#[tokio::test]
async fn other_telegram_4xx_is_logged_and_moved_aside() {
    let env = TestEnv::start().await;
    env.telegram.fail_next("sendMessage", TgFault::ChatNotFound);
    let replies = env.chat(907, "hello").await;
    assert!(replies.is_empty());
    let parked = env.dead_letters(&env.resources.outbox_dlq).await.unwrap();
    assert_eq!(parked.len(), 1);
    let body: serde_json::Value = serde_json::from_str(&parked[0]).unwrap();
    assert_eq!(body["error"]["code"], 400);
    assert_eq!(body["error"]["description"], "Bad Request: chat not found");
    assert_eq!(body["message"]["chat_id"], 907);
}

#[tokio::test]
async fn a_failed_record_comes_back_after_its_backoff_not_the_visibility_timeout() {
    // Visibility as long as in production (relative to the test); the processor's own
    // back-off (1 s here) must bring the record back long before it.
    let env = TestEnv::with(StackOptions {
        visibility_timeout_secs: Some(120),
        ..fast_failing_openai()
    })
    .await;
    let openai = env.openai.as_ref().unwrap();
    openai.fail_next(AiFault::ServerError);
    openai.fail_next(AiFault::ServerError);
    env.send(908, "try again soon").await;
    env.drain_within(Duration::from_secs(30)).await.unwrap();
    let texts = env.telegram.texts_to(908);
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts[1].contains("You said"), "{texts:?}");
}
