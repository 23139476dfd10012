//! Quick commands and presses skip subscription-check, so the webhook asks who may use
//! them: a refused user changes nothing and is told why, from the cached membership.

use std::time::Duration;

use http::StatusCode;
use serde_json::json;

use super::{press, private_text};
use crate::domain::{ChannelRef, Lang, MemberStatus, UserId, texts};
use crate::handlers::access::member_cache_key;
use crate::ports::Cache;
use crate::ports::TelegramError;
use crate::testing::{FakeWebhook, post_update, webhook};

fn channel() -> ChannelRef {
    ChannelRef::Username("news_channel".into())
}

/// A webhook for `@news_channel` whose cache holds user 42's standing.
async fn cached(status: MemberStatus) -> FakeWebhook {
    let state = webhook(Some(channel()));
    let value = serde_json::to_string(&status).unwrap();
    let key = member_cache_key(&channel(), UserId::new(42));
    state
        .log
        .cache
        .set(&key, &value, Duration::from_secs(600))
        .await
        .unwrap();
    state
}

/// What changes state or costs money, as commands and as presses.
const COMMANDS: [&str; 6] = [
    "/persona sibling",
    "/persona custom Anna: my sister",
    "/persona",
    "/settings",
    "/voice on",
    "/cancel",
];
const PRESSES: [&str; 4] = [
    "persona:friend",
    "settings:persona:sibling",
    "settings:voice:on",
    "settings:model:gpt-4o",
];

fn nothing_stored(state: &FakeWebhook) {
    for op in ["set_persona", "change_setting", "request_stop", "profile"] {
        assert_eq!(state.log.calls(op), 0, "{op}");
    }
    assert!(state.inbound.sent().is_empty());
}

#[tokio::test]
async fn a_user_who_left_the_channel_is_refused_with_the_join_link_and_nothing_changes() {
    let state = cached(MemberStatus::Left).await;
    for (i, text) in COMMANDS.iter().enumerate() {
        let (status, body) = post_update(&state, &private_text(i as u64 + 1, text)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["method"], "sendMessage", "{text}");
        assert_eq!(body["text"], texts::refused_channel(Lang::En), "{text}");
        assert_eq!(
            body["reply_markup"]["inline_keyboard"][0][0],
            json!({"text": texts::join_channel_button(Lang::En), "url": "https://t.me/news_channel"}),
            "{text}"
        );
    }
    for (i, data) in PRESSES.iter().enumerate() {
        let (_, body) = post_update(&state, &press(i as u64 + 10, 42, 42, data)).await;
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
    nothing_stored(&state);
    // Decided from the cache: no Bot API call at all.
    assert_eq!(state.telegram.lookups(), 0);
    assert!(state.telegram.calls("answerCallbackQuery").is_empty());
}

#[tokio::test]
async fn a_banned_user_is_told_so_and_gets_no_join_button() {
    let state = cached(MemberStatus::Kicked).await;
    let banned = texts::refusal(
        Lang::En,
        &crate::domain::AccessDecision::Refused {
            status: Some(MemberStatus::Kicked),
        },
        true,
    );
    assert!(banned.contains("banned"), "{banned}");
    let (_, body) = post_update(&state, &private_text(1, "/voice on")).await;
    assert_eq!(body["text"], banned.as_str());
    assert!(body.get("reply_markup").is_none(), "{body}");
    let (_, body) = post_update(&state, &press(2, 42, 42, "persona:friend")).await;
    assert_eq!(body["text"], banned.as_str());
    nothing_stored(&state);
}

#[tokio::test]
async fn start_help_and_forget_stay_open_to_refused_users_at_no_cost() {
    let state = cached(MemberStatus::Kicked).await;
    for (text, said) in [
        ("/start", texts::start(Lang::En)),
        (
            "/help",
            texts::help(
                Lang::En,
                texts::Asker {
                    group: false,
                    admin: false,
                },
            ),
        ),
    ] {
        let (_, body) = post_update(&state, &private_text(1, text)).await;
        assert_eq!(body["text"], said);
    }
    // Anyone may have their data deleted: a banned user is asked to confirm, not refused.
    let (_, body) = post_update(&state, &private_text(2, "/forget")).await;
    assert_eq!(
        body["text"],
        texts::forget_warning(Lang::En, false),
        "{body}"
    );
    assert_eq!(state.telegram.lookups(), 0);
}

#[tokio::test]
async fn a_member_not_yet_cached_is_looked_up_once_then_served_from_the_cache() {
    let state = webhook(Some(channel()));
    state
        .telegram
        .set_member(UserId::new(42), MemberStatus::Member);
    let (_, body) = post_update(&state, &private_text(1, "/voice on")).await;
    assert_eq!(body["text"], texts::voice_on(Lang::En));
    let (_, body) = post_update(&state, &press(2, 42, 42, "settings:voice:off")).await;
    assert_eq!(body["method"], "editMessageReplyMarkup", "{body}");
    assert!(
        !state
            .log
            .stored_profile(UserId::new(42))
            .settings
            .voice_replies
    );
    assert_eq!(
        state.telegram.lookups(),
        1,
        "the second decision was cached"
    );
}

#[tokio::test]
async fn an_unreachable_cache_falls_back_to_telegram_and_a_telegram_outage_is_retried() {
    let state = webhook(Some(channel()));
    // The cache's read fails (throttled): Telegram is asked instead.
    state.log.cache.fail(1);
    let (_, body) = post_update(&state, &private_text(1, "/voice on")).await;
    assert_eq!(body["text"], texts::voice_on(Lang::En));
    assert_eq!((state.telegram.lookups(), state.log.cache.reads()), (1, 1));

    let state = webhook(Some(channel()));
    state.telegram.fail(
        "getChatMember",
        TelegramError::Transient("502 Bad Gateway".into()),
    );
    let (status, body) = post_update(&state, &private_text(2, "/persona sibling")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    nothing_stored(&state);
    // Telegram's redelivery finds Telegram answering again.
    let (status, body) = post_update(&state, &private_text(2, "/persona sibling")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["method"], "sendMessage");
    assert!(state.log.stored_profile(UserId::new(42)).persona.is_some());
}

#[tokio::test]
async fn an_open_bot_costs_no_lookup() {
    let state = webhook(None);
    let (_, body) = post_update(&state, &private_text(1, "/voice on")).await;
    assert_eq!(body["text"], texts::voice_on(Lang::En));
    assert_eq!(state.telegram.lookups(), 0);
}
