//! Every route carried out on fakes: what Telegram gets back and what was stored.

use crate::domain::Lang;
use http::StatusCode;
use serde_json::json;

use super::{group_text, press, private_text};
use crate::domain::jobs::InboundJob;
use crate::domain::{ChannelRef, ChatId, MemberStatus, PersonaKind, UpdateId, UserId, texts};
use crate::ports::{GenerationLog, TelegramError};
use crate::testing::{post_update, webhook};

const GROUP: i64 = -100777;

#[tokio::test]
async fn start_and_help_are_answered_in_the_response() {
    let state = webhook(None);
    for (text, said) in [
        ("/start", texts::start(Lang::En)),
        ("/help", texts::help(Lang::En, texts::Asker::USER)),
    ] {
        let (status, body) = post_update(&state, &private_text(1, text)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["method"], "sendMessage", "{text}");
        assert_eq!(
            (body["chat_id"].clone(), body["text"].clone()),
            (json!(42), json!(said))
        );
    }
    assert!(state.inbound.sent().is_empty(), "nothing for the processor");
}

#[tokio::test]
async fn a_persona_is_stored_and_confirmed() {
    let state = webhook(None);
    let (_, body) = post_update(&state, &private_text(1, "/persona sibling")).await;
    let profile = state.log.stored_profile(UserId::new(42));
    let choice = profile.persona.expect("stored");
    assert_eq!(choice.kind, PersonaKind::Sibling);
    assert_eq!(body["text"], texts::persona_set(Lang::En, &choice));
    // Without a choice, the menu.
    let (_, body) = post_update(&state, &private_text(2, "/persona")).await;
    assert_eq!(body["text"], texts::persona_menu(Lang::En));
    assert!(body["reply_markup"]["inline_keyboard"].is_array(), "{body}");
}

#[tokio::test]
async fn a_persona_that_cannot_be_stored_is_a_500() {
    let state = webhook(None);
    state.log.fail("set_persona", 1, true);
    let (status, _) = post_update(&state, &private_text(1, "/persona friend")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn voice_on_and_off_change_the_setting() {
    let state = webhook(None);
    let (_, body) = post_update(&state, &private_text(1, "/voice on")).await;
    assert_eq!(body["text"], texts::voice_on(Lang::En));
    assert!(
        state
            .log
            .stored_profile(UserId::new(42))
            .settings
            .voice_replies
    );
    let (_, body) = post_update(&state, &private_text(2, "/voice maybe")).await;
    assert_eq!(body["text"], texts::voice_usage(Lang::En));
    assert!(
        state
            .log
            .stored_profile(UserId::new(42))
            .settings
            .voice_replies
    );
}

#[tokio::test]
async fn settings_shows_the_current_state() {
    let state = webhook(None);
    post_update(&state, &private_text(1, "/voice on")).await;
    let (_, body) = post_update(&state, &private_text(2, "/settings")).await;
    assert_eq!(body["text"], texts::settings_menu(Lang::En));
    let first = &body["reply_markup"]["inline_keyboard"][0][0];
    assert!(
        first["text"]
            .as_str()
            .unwrap_or("")
            .contains("Voice replies: on"),
        "{body}"
    );
}

#[tokio::test]
async fn cancel_stops_the_replies_to_earlier_updates_only() {
    let state = webhook(None);
    let (_, body) = post_update(&state, &private_text(20, "/cancel")).await;
    assert_eq!(body["text"], texts::cancelling(Lang::En));
    let chat = ChatId::new(42);
    for (update, stops) in [(19, true), (20, false), (21, false)] {
        let got = state
            .log
            .stop_requested(chat, 77, UpdateId(update))
            .await
            .unwrap();
        assert_eq!(got, stops, "the reply to update {update}");
    }
    let elsewhere = state.log.stop_requested(ChatId::new(43), 77, UpdateId(19));
    assert!(!elsewhere.await.unwrap());
}

#[tokio::test]
async fn the_drafts_stop_button_stops_that_reply_and_says_nothing() {
    let state = webhook(None);
    let stop = r#"{"update_id":9,"stopped_message_generation":{"chat":{"id":42,"type":"private","first_name":"A"},"draft_id":77}}"#;
    let (status, body) = post_update(&state, stop).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"ok": true})));
    let chat = ChatId::new(42);
    assert!(
        state
            .log
            .stop_requested(chat, 77, UpdateId(99))
            .await
            .unwrap()
    );
    assert!(
        !state
            .log
            .stop_requested(chat, 78, UpdateId(1))
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_settings_press_is_stored_answered_directly_and_the_menu_redrawn() {
    let state = webhook(None);
    let (status, body) = post_update(&state, &press(1, 42, 42, "settings:voice:on")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        state
            .log
            .stored_profile(UserId::new(42))
            .settings
            .voice_replies
    );
    let toasts = state.telegram.calls("answerCallbackQuery");
    assert_eq!(toasts.len(), 1, "the press is answered directly");
    assert_eq!(toasts[0].text, "Voice replies: on");
    assert_eq!(body["method"], "editMessageReplyMarkup");
    assert_eq!(
        (body["chat_id"].clone(), body["message_id"].clone()),
        (json!(42), json!(5))
    );
    let first = &body["reply_markup"]["inline_keyboard"][0][0];
    assert!(
        first["text"]
            .as_str()
            .unwrap_or("")
            .contains("Voice replies: on"),
        "{body}"
    );
}

#[tokio::test]
async fn a_press_whose_direct_answer_fails_is_answered_in_the_response() {
    let state = webhook(None);
    state.telegram.fail(
        "answerCallbackQuery",
        TelegramError::Transient("502".into()),
    );
    let (_, body) = post_update(&state, &press(1, 42, 42, "settings:voice:on")).await;
    assert_eq!(body["method"], "answerCallbackQuery", "{body}");
    assert!(
        state
            .log
            .stored_profile(UserId::new(42))
            .settings
            .voice_replies
    );
}

#[tokio::test]
async fn a_persona_menu_press_is_confirmed_by_a_toast_and_the_menu_redrawn() {
    let state = webhook(None);
    let (_, body) = post_update(&state, &press(1, 42, 42, "persona:friend")).await;
    let stored = state
        .log
        .stored_profile(UserId::new(42))
        .persona
        .expect("stored");
    let toast = state.telegram.calls("answerCallbackQuery");
    assert_eq!(toast.len(), 1);
    assert_eq!(toast[0].text, texts::persona_set(Lang::En, &stored));
    // The menu's keyboard is redrawn with the chosen persona ticked, nothing read back.
    assert_eq!(body["method"], "editMessageReplyMarkup", "{body}");
    let labels: Vec<&str> = body["reply_markup"]["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap())
        .map(|b| b["text"].as_str().unwrap())
        .collect();
    let ticked: Vec<&&str> = labels.iter().filter(|l| l.contains('✓')).collect();
    assert_eq!(
        ticked,
        [&texts::persona_button(Lang::En, PersonaKind::Friend, true).as_str()]
    );
    assert_eq!(labels.len(), PersonaKind::ALL.len());
    // Data this bot never wrote only stops the spinner.
    let (_, body) = post_update(&state, &press(2, 42, 42, "something:else")).await;
    assert_eq!(
        body,
        json!({"method": "answerCallbackQuery", "callback_query_id": "q2"})
    );
}

#[tokio::test]
async fn in_a_group_only_admins_change_settings() {
    let state = webhook(None);
    let (_, body) = post_update(&state, &group_text(1, 5, "/voice@my_bot on", None)).await;
    assert_eq!(body["text"], texts::group_admins_only(Lang::En));
    assert!(
        !state
            .log
            .stored_profile(UserId::new(GROUP))
            .settings
            .voice_replies
    );
    state
        .telegram
        .set_member(UserId::new(6), MemberStatus::Administrator);
    let (_, body) = post_update(&state, &group_text(2, 6, "/voice@my_bot on", None)).await;
    assert_eq!(body["text"], texts::voice_on(Lang::En));
    assert!(
        state
            .log
            .stored_profile(UserId::new(GROUP))
            .settings
            .voice_replies,
        "the group's"
    );
    // A group settings press from a non-admin is refused with an alert.
    let (_, body) = post_update(&state, &press(3, 5, GROUP, "settings:voice:off")).await;
    assert_eq!(
        (body["text"].clone(), body["show_alert"].clone()),
        (json!(texts::group_admins_only(Lang::En)), json!(true))
    );
}

#[tokio::test]
async fn an_admin_check_telegram_cannot_answer_now_is_a_500_and_a_refused_one_refuses() {
    let state = webhook(None);
    state
        .telegram
        .fail("getChatMember", TelegramError::Transient("timeout".into()));
    let (status, _) = post_update(&state, &group_text(1, 6, "/voice@my_bot on", None)).await;
    assert_eq!(
        status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "Telegram retries"
    );
    state.telegram.fail(
        "getChatMember",
        TelegramError::Rejected {
            code: 400,
            description: "Bad Request: member not found".into(),
        },
    );
    let (status, body) = post_update(&state, &group_text(2, 6, "/voice@my_bot on", None)).await;
    assert_eq!(
        (status, body["text"].clone()),
        (StatusCode::OK, json!(texts::group_admins_only(Lang::En)))
    );
}

#[tokio::test]
async fn a_quick_reply_in_a_forum_topic_goes_to_that_topic() {
    let state = webhook(None);
    let (_, body) = post_update(&state, &group_text(1, 5, "/start@my_bot", Some(9))).await;
    assert_eq!(body["text"], texts::start(Lang::En));
    assert_eq!(body["message_thread_id"], 9);
    let (_, body) = post_update(&state, &group_text(2, 5, "/start@my_bot", None)).await;
    assert!(body.get("message_thread_id").is_none(), "{body}");
}

#[tokio::test]
async fn a_group_message_not_for_the_bot_is_dropped() {
    let state = webhook(None);
    let chatter = r#"{"update_id":3,"message":{"message_id":3,"date":1,"chat":{"id":-100777,"type":"supergroup","title":"G"},"from":{"id":5,"is_bot":false,"first_name":"Bo"},"text":"lunch?"}}"#;
    let (status, body) = post_update(&state, chatter).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"ok": true})));
    assert!(state.inbound.sent().is_empty());
    assert_eq!(state.log.calls("claim_update"), 0, "not even claimed");
}

#[tokio::test]
async fn something_the_bot_cannot_read_is_said_at_once() {
    let state = webhook(None);
    let sticker = r#"{"update_id":4,"message":{"message_id":4,"date":1,"chat":{"id":42,"type":"private","first_name":"A"},"from":{"id":42,"is_bot":false,"first_name":"A"},"sticker":{"file_id":"s","file_unique_id":"u","type":"regular","width":1,"height":1,"is_animated":false,"is_video":false}}}"#;
    let (_, body) = post_update(&state, sticker).await;
    assert_eq!(body["text"], texts::unsupported_message(Lang::En));
}

#[tokio::test]
async fn a_channel_member_change_is_enqueued_for_the_subscription_check() {
    let state = webhook(Some(ChannelRef::Id(-1001)));
    let joined = r#"{"update_id":5,"chat_member":{"chat":{"id":-1001,"type":"channel","title":"C"},"from":{"id":8,"is_bot":false,"first_name":"C"},"date":1,"old_chat_member":{"status":"left","user":{"id":8,"is_bot":false,"first_name":"C"}},"new_chat_member":{"status":"member","user":{"id":8,"is_bot":false,"first_name":"C"}}}}"#;
    post_update(&state, joined).await;
    let sent = state.inbound.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].group_id, "member-8");
    match serde_json::from_str(&sent[0].body).expect("a job") {
        InboundJob::MemberUpdate(m) => assert_eq!(m.status, MemberStatus::Member),
        other => panic!("{other:?}"),
    }
    // Another chat's member changes are not ours.
    let state = webhook(Some(ChannelRef::Id(-1002)));
    post_update(&state, joined).await;
    assert!(state.inbound.sent().is_empty());
}

#[tokio::test]
async fn a_group_that_became_a_supergroup_is_moved_before_its_next_message() {
    let state = webhook(None);
    let moved = r#"{"update_id":6,"message":{"message_id":6,"date":1,"chat":{"id":-555,"type":"group","title":"G"},"from":{"id":5,"is_bot":false,"first_name":"Bo"},"migrate_to_chat_id":-100555}}"#;
    let (_, body) = post_update(&state, moved).await;
    assert_eq!(body, json!({"ok": true}), "no answer to a service message");
    let sent = state.inbound.sent();
    assert_eq!(
        sent[0].group_id, "chat--100555",
        "queued with the new chat's messages"
    );
    match serde_json::from_str(&sent[0].body).expect("a job") {
        InboundJob::ChatMigrated(m) => {
            assert_eq!((m.from, m.to), (ChatId::new(-555), ChatId::new(-100555)))
        }
        other => panic!("{other:?}"),
    }
}
