//! The webhook's edges: lenient update parsing, chats speaking as themselves, migrations,
//! bodies too large to queue, `/health`, and Bot API calls bounded by the deadline.

use shared::domain::Lang;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::types::AttributeValue;
use lambda_http::RequestExt;
use serde_json::json;
use shared::adapters::dynamo::DynamoStore;
use shared::adapters::sqs::SqsQueue;
use shared::adapters::telegram::TelegramClient;
use shared::app::Probes;
use shared::domain::{ChannelRef, ChatId, MemberStatus, UserId, WorkJob, texts};
use shared::handlers::subscription::member_cache_key;
use shared::handlers::webhook::{WebhookState, handle};
use shared::ports::Cache;
use testkit::flaky::FlakyQueue;
use testkit::stack::LOCAL_BOT_USERNAME;
use testkit::stack::LOCAL_WEBHOOK_SECRET;
use testkit::telegram_standin::TgFault;
use testkit::updates::{
    anonymous_admin, as_channel_in_group, callback_query, function_url_event, group_migrated,
    group_text, private_text,
};
use testkit::{StackOptions, Stage};

use crate::env::TestEnv;

fn channel_env() -> StackOptions {
    StackOptions {
        channel: Some("@news_channel".into()),
        ..StackOptions::default()
    }
}

#[tokio::test]
async fn a_kick_without_until_date_is_cached_as_a_kick_and_the_user_is_refused() {
    let env = TestEnv::with(channel_env()).await;
    let user = 3101;
    env.telegram.set_member_status(user, "member");
    assert!(env.chat(user, "hello").await[0].contains("You said"));

    // The recorded chat_member update, in the channel, banning the user; real Telegram
    // leaves out `until_date` for a ban without end.
    let mut kick =
        testkit::fixtures::json("telegram/updates/25-chat-member-user-left-supergroup.json");
    kick["update_id"] = json!(testkit::updates::next_update_id());
    let change = &mut kick["chat_member"];
    change["chat"] = json!({"id": -1_001_234_567_890i64, "type": "channel", "title": "News", "username": "news_channel"});
    change["old_chat_member"]["user"]["id"] = json!(user);
    change["new_chat_member"] =
        json!({"user": {"id": user, "is_bot": false, "first_name": "Pepe"}, "status": "kicked"});
    let (status, _) = env.post_update(&kick).await.unwrap();
    assert_eq!(status, 200);
    env.drain().await.unwrap();

    let key = member_cache_key(
        &ChannelRef::Username("news_channel".into()),
        UserId::new(user),
    );
    let cached = env
        .subscription
        .cache
        .get(&key)
        .await
        .unwrap()
        .expect("cached");
    assert_eq!(
        serde_json::from_str::<MemberStatus>(&cached).unwrap(),
        MemberStatus::Kicked
    );
    let lookups = env.telegram.count("getChatMember");
    // Told of the ban, not asked to join.
    let banned = texts::refusal(
        shared::domain::Lang::En,
        &shared::domain::AccessDecision::Refused {
            status: Some(MemberStatus::Kicked),
        },
        true,
    );
    assert_eq!(env.chat(user, "still there?").await, [banned]);
    assert_eq!(
        env.telegram.count("getChatMember"),
        lookups,
        "decided from the cache"
    );
}

const GROUP: i64 = -1_001_234_567_101;
const CHANNEL: i64 = -1_001_234_567_890;

fn spec_checked(update: serde_json::Value) -> serde_json::Value {
    testkit::spec::telegram()
        .check_type("Update", &update)
        .unwrap_or_else(|e| panic!("{e}: {update}"));
    update
}

#[tokio::test]
async fn a_chat_speaking_as_itself_passes_as_the_vouched_group_or_the_channel_and_no_other() {
    let env = TestEnv::with(channel_env()).await;
    // The group's admins: its creator is a member of the channel.
    let creator = 3101;
    env.telegram.set_chat_admins(GROUP, &[creator, 3102]);
    env.telegram.set_member_status(creator, "member");
    let to_bot = |text: &str| format!("@{LOCAL_BOT_USERNAME} {text}");
    for update in [
        anonymous_admin(GROUP, &to_bot("hello from the admins")),
        as_channel_in_group(GROUP, CHANNEL, "news_channel", &to_bot("fresh news")),
        as_channel_in_group(
            GROUP,
            -1_001_999_000_111,
            "other_channel",
            &to_bot("buy now"),
        ),
    ] {
        let (status, _) = env.post_update(&spec_checked(update)).await.unwrap();
        assert_eq!(status, 200);
    }
    env.drain().await.unwrap();
    let texts = env.telegram.texts_to(GROUP);
    assert_eq!(texts.len(), 3, "{texts:#?}");
    for said in ["hello from the admins", "fresh news"] {
        let quoted = format!("You said \u{201c}{said}\u{201d}");
        assert!(
            texts.iter().any(|t| t.contains(&quoted)),
            "{said}: {texts:#?}"
        );
    }
    assert_eq!(
        texts
            .iter()
            .filter(|t| **t == texts::refused_channel(Lang::En))
            .count(),
        1,
        "{texts:#?}"
    );
    // The placeholder bots and the chats are never asked about; the group's admins are,
    // until one is found who may use the bot.
    let asked: Vec<i64> = env
        .telegram
        .calls()
        .iter()
        .filter(|c| c.method == "getChatMember")
        .filter_map(|c| c.params["user_id"].as_i64())
        .collect();
    assert_eq!(asked, [creator]);
    assert_eq!(env.model_calls(), 2);
}

#[tokio::test]
async fn an_anonymous_post_in_a_group_no_member_runs_is_refused() {
    let env = TestEnv::with(channel_env()).await;
    // Someone outside the channel made a group, added the bot and posts anonymously.
    env.telegram.set_chat_admins(GROUP, &[3201]);
    env.telegram.set_member_status(3201, "left");
    let update = anonymous_admin(GROUP, &format!("@{LOCAL_BOT_USERNAME} let me in"));
    env.post_update(&spec_checked(update)).await.unwrap();
    env.drain().await.unwrap();
    assert_eq!(
        env.telegram.texts_to(GROUP),
        [texts::refused_channel(Lang::En)]
    );
    assert_eq!(env.model_calls(), 0);
    // Asked once, then cached like a membership.
    env.post_update(&anonymous_admin(
        GROUP,
        &format!("@{LOCAL_BOT_USERNAME} again"),
    ))
    .await
    .unwrap();
    env.drain().await.unwrap();
    assert_eq!(env.telegram.count("getChatAdministrators"), 1);
}

#[tokio::test]
async fn a_group_migration_is_queued_for_the_processor_and_not_answered() {
    let env = TestEnv::start().await;
    let (old, new) = (-4_000_321, -1_001_234_567_321);
    for update in group_migrated(old, new) {
        let (status, body) = env.post_update(&spec_checked(update)).await.unwrap();
        assert_eq!(status, 200);
        assert!(body.get("method").is_none(), "answered: {body}");
    }
    env.poll(Stage::Subscription).await.unwrap();
    let work = env.dead_letters(&env.resources.work).await.unwrap();
    let jobs: Vec<WorkJob> = work
        .iter()
        .map(|b| serde_json::from_str(b).unwrap())
        .collect();
    assert_eq!(jobs.len(), 2, "{work:?}");
    for job in jobs {
        let WorkJob::Migrate { migrate_chat } = job else {
            panic!("{job:?}");
        };
        assert_eq!(
            (migrate_chat.from, migrate_chat.to),
            (ChatId::new(old), ChatId::new(new))
        );
    }
    env.drain().await.unwrap();
    assert!(env.telegram.texts_to(old).is_empty());
    assert!(env.telegram.texts_to(new).is_empty());
}

#[tokio::test]
async fn a_message_too_large_to_queue_is_answered_and_not_redelivered() {
    let env = TestEnv::start().await;
    let user = 3102;
    // About 2 MB: over SQS's 1 MiB, inside a Function URL's 6 MB.
    let update = private_text(user, "Ann", &"a".repeat(2 * 1024 * 1024));
    let (status, body) = env.post_update(&update).await.unwrap();
    assert_eq!(
        status, 200,
        "a 5xx would have Telegram redeliver it forever"
    );
    assert_eq!(body["method"], "sendMessage");
    assert_eq!(body["text"], texts::message_too_big(Lang::En));
    assert_eq!(env.queue_depths().await, 0);
    env.drain().await.unwrap();
    assert_eq!(
        env.telegram.texts_to(user),
        [texts::message_too_big(Lang::En)]
    );
    assert_eq!(env.model_calls(), 0);
}

/// The stack's webhook with an inbound queue that can be told to fail.
fn flaky_webhook(env: &TestEnv) -> TestWebhook {
    webhook_with_telegram_timeout(env, env.config.telegram_timeout)
}

type TestWebhook = WebhookState<DynamoStore, FlakyQueue<SqsQueue>, Probes, TelegramClient>;

/// Like [`flaky_webhook`], with Bot API calls allowed `timeout` each.
fn webhook_with_telegram_timeout(env: &TestEnv, timeout: Duration) -> TestWebhook {
    let w = shared::app::webhook(&env.config, &env.clients).unwrap();
    let telegram = TelegramClient::new(
        &env.config.telegram_api_base_url,
        timeout,
        w.secrets.clone(),
    )
    .unwrap();
    WebhookState {
        log: w.log,
        inbound: FlakyQueue::new(w.inbound),
        secrets: w.secrets,
        channel: w.channel,
        bot_username: w.bot_username,
        health: w.health,
        probe_cache: w.probe_cache,
        config_summary: w.config_summary,
        telegram,
        allowed_models: w.allowed_models,
        access: w.access,
        admins: w.admins,
    }
}

/// `update` as Lambda hands it to the webhook, with the right secret.
fn request(update: &serde_json::Value) -> lambda_http::Request {
    let event = function_url_event(
        "POST",
        "/",
        Some(LOCAL_WEBHOOK_SECRET),
        Some(&update.to_string()),
    );
    let lambda: lambda_http::request::LambdaRequest = serde_json::from_value(event).unwrap();
    lambda.into()
}

#[tokio::test]
async fn a_transient_enqueue_failure_is_a_500_and_the_redelivery_is_answered() {
    let env = TestEnv::start().await;
    let webhook = flaky_webhook(&env);
    let user = 3103;
    let update = private_text(user, "Ann", "are you there?");
    webhook.inbound.fail_next_sends(1);
    let first = Box::pin(handle(&webhook, request(&update))).await.unwrap();
    assert_eq!(first.status(), 500);
    let again = Box::pin(handle(&webhook, request(&update))).await.unwrap();
    assert_eq!(again.status(), 200);
    env.drain().await.unwrap();
    let texts = env.telegram.texts_to(user);
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].contains("You said"), "{texts:?}");
}

#[tokio::test]
async fn health_without_the_secret_says_only_ok_and_a_wrong_secret_is_refused() {
    let env = TestEnv::start().await;
    let health = |secret: Option<&str>| function_url_event("GET", "/health", secret, None);
    let (status, body) = env.invoke_webhook(&health(None)).await.unwrap();
    assert_eq!((status.as_u16(), body), (200, json!({"status": "ok"})));
    for wrong in ["wrong-secret", ""] {
        let (status, body) = env.invoke_webhook(&health(Some(wrong))).await.unwrap();
        assert_eq!(status, 401, "{wrong:?}");
        assert!(body.get("config").is_none(), "{body}");
    }
    let (status, body) = env
        .invoke_webhook(&health(Some(LOCAL_WEBHOOK_SECRET)))
        .await
        .unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["dependencies"]["dynamodb"]["ok"], true, "{body}");
    assert!(body["config"].is_object(), "{body}");
}

/// `update` as Lambda hands it over with `remaining` left before the invocation's
/// deadline, and that deadline on tokio's clock.
fn request_due_in(
    update: &serde_json::Value,
    remaining: Duration,
) -> (lambda_http::Request, tokio::time::Instant) {
    let mut context = lambda_http::Context::default();
    let due = SystemTime::now() + remaining;
    context.deadline = due.duration_since(UNIX_EPOCH).unwrap().as_millis() as u64;
    let due_at = tokio::time::Instant::now() + remaining;
    (request(update).with_lambda_context(context), due_at)
}

#[tokio::test]
async fn a_hanging_admin_check_is_cut_at_the_deadline_and_retried() {
    let env = TestEnv::start().await;
    // Bot API calls allowed far longer than the invocation: only the deadline can cut.
    let webhook = webhook_with_telegram_timeout(&env, Duration::from_secs(120));
    env.telegram
        .fail_next("getChatMember", TgFault::Hang(Duration::from_secs(30)));
    let update = group_text(
        GROUP,
        "supergroup",
        3104,
        &format!("/settings@{LOCAL_BOT_USERNAME}"),
    );
    let (first, due) = request_due_in(&update, Duration::from_secs(3));
    let response = tokio::time::timeout_at(due, Box::pin(handle(&webhook, first)))
        .await
        .expect("answered before the invocation's deadline")
        .unwrap();
    assert_eq!(response.status(), 500, "Telegram retries");
    // The redelivery finds Telegram answering: the member is no admin, and is told so.
    let (again, _) = request_due_in(&update, Duration::from_secs(10));
    let response = Box::pin(handle(&webhook, again)).await.unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = serde_json::from_slice(response.body().as_ref()).unwrap();
    assert_eq!(body["text"], texts::group_admins_only(Lang::En));
    assert_eq!(env.telegram.count("getChatMember"), 2);
}

#[tokio::test]
async fn a_hanging_press_answer_is_cut_at_the_deadline_and_the_response_answers_it() {
    let env = TestEnv::start().await;
    let webhook = webhook_with_telegram_timeout(&env, Duration::from_secs(120));
    let user = 3105;
    env.telegram.fail_next(
        "answerCallbackQuery",
        TgFault::Hang(Duration::from_secs(30)),
    );
    let press = callback_query(user, "settings:voice:on");
    let (request, due) = request_due_in(&press, Duration::from_secs(3));
    let response = tokio::time::timeout_at(due, Box::pin(handle(&webhook, request)))
        .await
        .expect("answered before the invocation's deadline")
        .unwrap();
    // The setting is stored, so this is no failure: the response answers the press
    // instead of redrawing the menu.
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = serde_json::from_slice(response.body().as_ref()).unwrap();
    assert_eq!(body["method"], "answerCallbackQuery", "{body}");
    let profile = env.profile(user).await;
    assert_eq!(
        profile.get("voice_replies"),
        Some(&AttributeValue::Bool(true)),
        "{profile:?}"
    );
}
