//! The rough edges, end to end on moto and the stand-ins: what a refused or banned user
//! sees, a group's admins-only reset, private figures in groups, redrawn menus, and
//! answers that say when nothing happened.

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::{Value, json};
use shared::adapters::dynamo::keys;
use shared::domain::{AccessDecision, ChatId, Lang, MemberStatus, PersonaKind, texts};
use testkit::StackOptions;
use testkit::stack::LOCAL_BOT_USERNAME;
use testkit::telegram_standin::TgFault;
use testkit::updates::{callback_query, group_text, private_text};

use crate::env::TestEnv;

const GROUP: i64 = -1_001_234_567_301;

fn channel_env(redis: bool) -> StackOptions {
    StackOptions {
        channel: Some("@news_channel".into()),
        redis,
        ..StackOptions::default()
    }
}

fn banned() -> String {
    texts::refusal(
        Lang::En,
        &AccessDecision::Refused {
            status: Some(MemberStatus::Kicked),
        },
        true,
    )
}

/// Items under the chat's `CHAT#` partition whose sort key starts with `prefix`.
async fn chat_items(
    env: &TestEnv,
    chat: i64,
    prefix: &str,
) -> Vec<std::collections::HashMap<String, AttributeValue>> {
    env.items_under(&keys::chat_pk(ChatId::new(chat)), prefix)
        .await
}

async fn post(env: &TestEnv, update: &Value) -> Value {
    let (status, body) = env.post_update(update).await.expect("webhook");
    assert_eq!(status, 200);
    body
}

#[tokio::test]
async fn a_refused_user_cannot_use_quick_commands_or_buttons_and_is_shown_the_way_in() {
    let env = TestEnv::with(channel_env(false)).await;
    let user = 4401;
    env.telegram.set_member_status(user, "left");
    // Refused once by subscription-check, which caches the standing in the table.
    assert_eq!(
        env.chat(user, "hi").await,
        [texts::refused_channel(Lang::En)]
    );
    let lookups = env.telegram.count("getChatMember");
    for text in ["/persona sibling", "/settings", "/voice on", "/cancel"] {
        let body = post(&env, &private_text(user, "Ann", text)).await;
        assert_eq!(body["text"], texts::refused_channel(Lang::En), "{text}");
        assert_eq!(
            body["reply_markup"]["inline_keyboard"][0][0]["url"], "https://t.me/news_channel",
            "{text}"
        );
    }
    for data in [
        "persona:parent",
        "settings:voice:on",
        "settings:persona:child",
    ] {
        let body = post(&env, &callback_query(user, data)).await;
        assert_eq!(
            (
                body["method"].clone(),
                body["text"].clone(),
                body["show_alert"].clone()
            ),
            (
                json!("answerCallbackQuery"),
                json!(texts::refused_channel(Lang::En)),
                json!(true)
            ),
            "{data}"
        );
    }
    // Nothing was stored or queued, and every decision came from the cache.
    assert!(env.profile(user).await.is_empty(), "no profile written");
    assert_eq!(env.queue_depths().await, 0);
    assert_eq!(env.telegram.count("getChatMember"), lookups);
    // /start and /help stay open.
    let body = post(&env, &private_text(user, "Ann", "/help")).await;
    assert_eq!(body["text"], texts::help(Lang::En, texts::Asker::USER));
}

#[tokio::test]
async fn with_redis_the_webhook_keeps_its_own_table_entry_and_asks_telegram_once_per_ttl() {
    let env = TestEnv::with(channel_env(true)).await;
    let user = 4402;
    env.telegram.set_member_status(user, "member");
    let before = env.telegram.count("getChatMember");
    for text in ["/voice on", "/persona sibling", "/voice off"] {
        let body = post(&env, &private_text(user, "Ann", text)).await;
        assert_eq!(body["method"], "sendMessage", "{text}");
        assert_ne!(body["text"], texts::refused_channel(Lang::En), "{text}");
    }
    assert_eq!(env.telegram.count("getChatMember"), before + 1);
    assert_eq!(
        env.profile(user).await.get("voice_replies"),
        Some(&AttributeValue::Bool(false))
    );
}

#[tokio::test]
async fn a_banned_user_is_told_they_are_banned_and_never_asked_to_join() {
    let env = TestEnv::with(channel_env(false)).await;
    let user = 4403;
    env.telegram.set_member_status(user, "kicked");
    assert_eq!(env.chat(user, "hello?").await, [banned()]);
    assert_eq!(
        env.chat(user, "/subscribe").await,
        [texts::subscription_status(
            Lang::En,
            &AccessDecision::Refused {
                status: Some(MemberStatus::Kicked)
            }
        )]
    );
    for call in env.telegram.delivered() {
        assert!(
            call.params.get("reply_markup").is_none(),
            "{:?}",
            call.params
        );
    }
    let body = post(&env, &private_text(user, "Ann", "/persona parent")).await;
    assert_eq!(body["text"], banned().as_str());
    assert!(body.get("reply_markup").is_none(), "{body}");
    let body = post(&env, &callback_query(user, "settings:voice:on")).await;
    assert_eq!(body["text"], banned().as_str());
    assert!(env.profile(user).await.is_empty());
}

#[tokio::test]
async fn in_a_group_only_admins_reset_the_shared_conversation() {
    let env = TestEnv::start().await;
    let (member, admin) = (4404, 4405);
    env.telegram.set_member_status(member, "member");
    env.telegram.set_member_status(admin, "administrator");
    let to_bot = |text: &str| format!("@{LOCAL_BOT_USERNAME} {text}");
    post(
        &env,
        &group_text(GROUP, "supergroup", member, &to_bot("let's plan a trip")),
    )
    .await;
    env.drain().await.unwrap();
    let reset = format!("/reset@{LOCAL_BOT_USERNAME}");
    let body = post(&env, &group_text(GROUP, "supergroup", member, &reset)).await;
    assert_eq!(body["text"], texts::group_reset_admins_only(Lang::En));
    assert_eq!(env.queue_depths().await, 0, "nothing queued");
    let body = post(&env, &group_text(GROUP, "supergroup", admin, &reset)).await;
    assert!(body.get("method").is_none(), "{body}");
    env.drain().await.unwrap();
    assert_eq!(
        env.telegram.texts_to(GROUP).last().unwrap(),
        &texts::reset_done(Lang::En)
    );
    assert_eq!(chat_items(&env, GROUP, "CONV#").await.len(), 1);
}

#[tokio::test]
async fn usage_in_a_group_is_answered_privately_or_the_user_is_asked_to_open_a_chat() {
    let env = TestEnv::start().await;
    let user = 4406;
    env.chat(user, "hello").await;
    let usage = format!("/usage@{LOCAL_BOT_USERNAME}");
    post(&env, &group_text(GROUP, "supergroup", user, &usage)).await;
    env.drain().await.unwrap();
    let in_group = env.telegram.texts_to(GROUP);
    assert_eq!(in_group, [texts::sent_privately(Lang::En)]);
    let private = env.telegram.texts_to(user);
    let report = private.last().unwrap().clone();
    // The same report /usage gives in private.
    assert_eq!(env.chat(user, "/usage").await, [report]);

    // A user who never started the bot: Telegram refuses the private message.
    let stranger = 4407;
    env.telegram
        .fail_next_in(stranger, "sendMessage", TgFault::Blocked);
    post(&env, &group_text(GROUP, "supergroup", stranger, &usage)).await;
    env.drain().await.unwrap();
    let said = env.telegram.texts_to(GROUP).pop().unwrap();
    assert_eq!(said, texts::open_private_chat(Lang::En));
    assert!(!said.chars().any(|c| c.is_ascii_digit()));
    assert!(env.telegram.texts_to(stranger).is_empty());
}

#[tokio::test]
async fn a_persona_press_redraws_its_menu_with_the_choice_ticked() {
    let env = TestEnv::start().await;
    let user = 4408;
    let body = post(&env, &callback_query(user, "persona:colleague")).await;
    assert_eq!(body["method"], "editMessageReplyMarkup", "{body}");
    let ticked: Vec<&str> = body["reply_markup"]["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap())
        .map(|b| b["text"].as_str().unwrap())
        .filter(|t| t.contains('✓'))
        .collect();
    assert_eq!(
        ticked,
        [texts::persona_button(
            Lang::En,
            PersonaKind::Colleague,
            true
        )]
    );
    let toast = env
        .telegram
        .calls()
        .into_iter()
        .find(|c| c.method == "answerCallbackQuery")
        .expect("answered directly");
    assert_eq!(
        toast.params["text"],
        "Okay! From now on I'm your colleague."
    );
}

#[tokio::test]
async fn grant_refuses_an_id_that_never_used_the_bot() {
    let env = TestEnv::with(StackOptions {
        admins: vec![4409],
        ..StackOptions::default()
    })
    .await;
    assert_eq!(
        env.chat(4409, "/grant 4410 1000").await,
        [texts::grant_unknown_user(Lang::En, 4410)]
    );
    assert!(env.profile(4410).await.is_empty());
    assert!(env.user_items(4410, "LEDGER#").await.is_empty());
    env.chat(4410, "hi").await;
    assert_eq!(
        env.chat(4409, "/grant 4410 1000").await,
        [texts::granted(Lang::En, 4410, 1000, 1000)]
    );
}

#[tokio::test]
async fn answers_say_when_nothing_changed() {
    let env = TestEnv::start().await;
    let user = 4411;
    assert_eq!(
        env.chat(user, "/reset").await,
        [texts::reset_nothing(Lang::En)]
    );
    assert!(chat_items(&env, user, "CONV#").await.is_empty());
    assert!(env.telegram.texts_to(user).len() == 1);
    assert_eq!(
        env.chat(user, "/style on").await,
        [texts::style_already(Lang::En, true)]
    );
    let body = post(&env, &private_text(user, "Ann", "/voice off")).await;
    assert_eq!(body["text"], texts::voice_already(Lang::En, false));
    assert!(env.profile(user).await.is_empty(), "nothing written");
}
