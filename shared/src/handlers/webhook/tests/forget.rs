//! `/forget` in the webhook: the warning with its buttons, answered at once; only the
//! sender's confirmation is queued; anyone else's press is refused with an alert.

use http::StatusCode;

use super::{group_text, press, private_text};
use crate::domain::jobs::InboundJob;
use crate::domain::{CallbackData, ChatId, Lang, UpdateId, UserId, texts};
use crate::testing::{post_update, webhook};

fn confirm(user: i64) -> String {
    CallbackData::Forget {
        user: UserId::new(user),
        asked_at: 1_700_000_000,
    }
    .encode()
}

#[tokio::test]
async fn forget_answers_with_the_warning_and_two_buttons() {
    let state = webhook(None);
    let (status, body) = post_update(&state, &private_text(1, "/forget")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["method"], "sendMessage");
    assert_eq!(body["text"], texts::forget_warning(Lang::En, false));
    let row = &body["reply_markup"]["inline_keyboard"][0];
    assert_eq!(row[0]["callback_data"], confirm(42));
    assert_eq!(
        row[1]["callback_data"],
        CallbackData::KeepData(UserId::new(42)).encode()
    );
    assert!(state.inbound.sent().is_empty(), "nothing is deleted yet");
    // In a group: said in the group, with what stays there.
    let (_, body) = post_update(&state, &group_text(2, 7, "/forget@my_bot", None)).await;
    assert_eq!(body["text"], texts::forget_warning(Lang::En, true));
}

#[tokio::test]
async fn only_the_senders_confirmation_is_queued() {
    let state = webhook(None);
    // Someone else in the group presses it: an alert, nothing queued.
    let (status, body) = post_update(&state, &press(3, 7, -100_777, &confirm(42))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["method"], "answerCallbackQuery");
    assert_eq!(body["show_alert"], true);
    assert_eq!(body["text"], texts::forget_not_yours(Lang::En));
    assert!(state.inbound.sent().is_empty());
    // "Keep my data": a toast, nothing queued.
    let keep = CallbackData::KeepData(UserId::new(42)).encode();
    let (_, body) = post_update(&state, &press(4, 42, 42, &keep)).await;
    assert_eq!(body["text"], texts::forget_kept(Lang::En));
    assert!(state.inbound.sent().is_empty());
    // Their own press: queued once, with the user's private chat, and the press answered.
    let (_, body) = post_update(&state, &press(5, 42, -100_777, &confirm(42))).await;
    assert_eq!(body["method"], "answerCallbackQuery");
    assert_eq!(body["text"], texts::forget_working(Lang::En));
    post_update(&state, &press(5, 42, -100_777, &confirm(42))).await;
    let sent = state.inbound.sent();
    assert_eq!(sent.len(), 1, "a Telegram retry is not queued twice");
    assert_eq!(
        sent[0].group_id,
        crate::handlers::chat_group(ChatId::new(42))
    );
    let InboundJob::Forget(job) = serde_json::from_str(&sent[0].body).unwrap() else {
        panic!("{}", sent[0].body);
    };
    assert_eq!(
        (job.update_id, job.user_id, job.chat_id, job.message_id),
        (UpdateId(5), UserId::new(42), ChatId::new(-100_777), 5)
    );
}

#[tokio::test]
async fn a_confirmation_that_cannot_be_queued_is_retried_by_telegram() {
    let state = webhook(None);
    state.inbound.fail_sends(1);
    let (status, body) = post_update(&state, &press(6, 42, 42, &confirm(42))).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(body.get("method").is_none(), "{body}");
}
