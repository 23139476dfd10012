//! A group's shared conversation is its admins' to reset, and a setting switched to what
//! it already is says so without a write.

use serde_json::json;

use super::{group_text, private_text};
use crate::domain::jobs::InboundJob;
use crate::domain::{Command, Lang, MemberStatus, UserId, texts};
use crate::testing::{post_update, webhook};

#[tokio::test]
async fn in_a_group_only_admins_reset_the_conversation() {
    let state = webhook(None);
    let (_, body) = post_update(&state, &group_text(1, 5, "/reset@my_bot", Some(4))).await;
    assert_eq!(
        (body["text"].clone(), body["message_thread_id"].clone()),
        (json!(texts::group_reset_admins_only(Lang::En)), json!(4))
    );
    assert!(state.inbound.sent().is_empty(), "nothing queued");
    state
        .telegram
        .set_member(UserId::new(6), MemberStatus::Creator);
    let (_, body) = post_update(&state, &group_text(2, 6, "/reset@my_bot", Some(4))).await;
    assert!(body.get("method").is_none(), "{body}");
    let queued = state.inbound.sent();
    assert_eq!(queued.len(), 1);
    match serde_json::from_str::<InboundJob>(&queued[0].body).unwrap() {
        InboundJob::Message(m) => assert_eq!(m.command, Some(Command::Reset)),
        other => panic!("{other:?}"),
    }
    // In private, /reset is queued without asking anyone.
    let lookups = state.telegram.lookups();
    post_update(&state, &private_text(3, "/reset")).await;
    assert_eq!(state.inbound.sent().len(), 2);
    assert_eq!(state.telegram.lookups(), lookups);
}

#[tokio::test]
async fn voice_switched_to_what_it_already_is_says_so_and_writes_nothing() {
    let state = webhook(None);
    let (_, body) = post_update(&state, &private_text(1, "/voice off")).await;
    assert_eq!(body["text"], texts::voice_already(Lang::En, false));
    assert_eq!(state.log.calls("change_setting"), 0);
    let (_, body) = post_update(&state, &private_text(2, "/voice on")).await;
    assert_eq!(body["text"], texts::voice_on(Lang::En));
    let (_, body) = post_update(&state, &private_text(3, "/voice on")).await;
    assert_eq!(body["text"], texts::voice_already(Lang::En, true));
    assert_eq!(state.log.calls("change_setting"), 1);
}
