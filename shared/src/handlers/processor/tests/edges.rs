//! Answers that say what happened: an empty /reset files nothing, an unknown id gets no
//! grant, a switch already in place is not written again, and in a group one person's
//! figures go to their private chat.

use std::time::Duration;

use super::{BUDGET, answered, only_reply, replies};
use crate::domain::{ChatId, Command, Lang, UserId, UserProfile, texts};
use crate::ports::{ConversationIndex, TelegramError};
use crate::testing::{command, deliver, group_message, message, processor};

const USER: i64 = 42;
const GROUP: i64 = -100_500;

#[tokio::test(start_paused = true)]
async fn reset_on_an_empty_conversation_says_so_and_files_nothing() {
    let state = processor(Duration::from_secs(1));
    answered(&state, &command(1, USER, "/reset")).await;
    assert_eq!(only_reply(&state), texts::reset_nothing(Lang::En));
    let conv = message(2, USER, "").conversation();
    assert!(
        state
            .store
            .conversation_list(conv, 10)
            .await
            .unwrap()
            .is_empty()
    );
    // After a message there is something to put aside; right after, nothing again.
    answered(&state, &message(3, USER, "Tell me about whales")).await;
    answered(&state, &command(4, USER, "/reset")).await;
    answered(&state, &command(5, USER, "/reset")).await;
    let sent: Vec<String> = replies(&state).into_iter().map(|(_, t)| t).collect();
    assert_eq!(sent[2], texts::reset_done(Lang::En));
    assert_eq!(sent[3], texts::reset_nothing(Lang::En));
    assert_eq!(
        state.store.conversation_list(conv, 10).await.unwrap().len(),
        1
    );
}

#[tokio::test(start_paused = true)]
async fn grant_refuses_an_id_that_never_used_the_bot_and_writes_nothing() {
    let mut state = processor(Duration::from_secs(1));
    state.admins = vec![UserId::new(USER)];
    answered(&state, &command(1, USER, "/grant 777 100")).await;
    assert_eq!(only_reply(&state), texts::grant_unknown_user(Lang::En, 777));
    assert_eq!(state.store.calls("grant_credits"), 0);
    assert_eq!(state.store.stored_profile(UserId::new(777)).credits, 0);
    // Once they have written, the same grant goes through.
    answered(&state, &message(2, 777, "hi")).await;
    answered(&state, &command(3, USER, "/grant 777 100")).await;
    assert_eq!(state.store.stored_profile(UserId::new(777)).credits, 100);
}

#[tokio::test(start_paused = true)]
async fn style_switched_to_what_it_already_is_says_so_and_writes_nothing() {
    let state = processor(Duration::from_secs(1));
    answered(&state, &command(1, USER, "/style on")).await;
    assert_eq!(state.store.calls("set_style_enabled"), 0);
    answered(&state, &command(2, USER, "/style off")).await;
    answered(&state, &command(3, USER, "/style off")).await;
    assert_eq!(state.store.calls("set_style_enabled"), 1);
    let sent: Vec<String> = replies(&state).into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        sent,
        [
            texts::style_already(Lang::En, true),
            texts::style_off(Lang::En),
            texts::style_already(Lang::En, false),
        ]
    );
}

fn group_command(update: u64, user: i64, text: &str) -> crate::domain::IncomingMessage {
    let mut m = group_message(update, GROUP, user, text);
    let (c, args) = Command::parse(text, None).expect("a command");
    m.command = Some(c);
    m.args = args;
    m
}

#[tokio::test(start_paused = true)]
async fn usage_in_a_group_goes_to_the_private_chat_and_the_group_sees_no_figures() {
    let state = processor(Duration::from_secs(1));
    answered(&state, &message(1, USER, "hello")).await;
    answered(&state, &group_command(2, USER, "/usage")).await;
    let private = state.telegram.calls("sendMessage");
    assert_eq!(private.len(), 1);
    let group: Vec<_> = state
        .outbox
        .outgoing()
        .into_iter()
        .filter(|m| m.chat_id == ChatId::new(GROUP))
        .collect();
    assert_eq!(group.len(), 1);
    assert_eq!(group[0].text, texts::sent_privately(Lang::En));
    // What went privately is the report /usage gives in private.
    answered(&state, &command(3, USER, "/usage")).await;
    let in_private = replies(&state).pop().map(|(_, t)| t).unwrap_or_default();
    assert_eq!(private[0].text, in_private);
    assert!(!group[0].text.chars().any(|c| c.is_ascii_digit()));
}

#[tokio::test(start_paused = true)]
async fn usage_in_a_group_from_a_user_who_never_started_the_bot_asks_them_to() {
    for refusal in [
        TelegramError::Forbidden("bot can't initiate conversation with a user".into()),
        TelegramError::Rejected {
            code: 400,
            description: "chat not found".into(),
        },
    ] {
        let state = processor(Duration::from_secs(1));
        state.telegram.fail("sendMessage", refusal);
        answered(&state, &group_command(1, USER, "/usage")).await;
        let sent = state.outbox.outgoing();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].chat_id, ChatId::new(GROUP));
        assert_eq!(sent[0].text, texts::open_private_chat(Lang::En));
    }
}

#[tokio::test(start_paused = true)]
async fn a_telegram_outage_retries_the_private_answer_and_tells_the_group_nothing_yet() {
    let state = processor(Duration::from_secs(1));
    state
        .telegram
        .fail("sendMessage", TelegramError::Transient("502".into()));
    let failed = deliver(&state, &group_command(1, USER, "/usage"), 1, BUDGET).await;
    assert_eq!(failed.len(), 1, "the record is retried");
    assert!(state.outbox.outgoing().is_empty());
    answered(&state, &group_command(1, USER, "/usage")).await;
    assert_eq!(only_reply(&state), texts::sent_privately(Lang::En));
}

#[tokio::test(start_paused = true)]
async fn an_admins_stats_and_grants_in_a_group_are_private_and_refusals_are_not() {
    let mut state = processor(Duration::from_secs(1));
    answered(&state, &group_command(1, USER, "/stats")).await;
    assert_eq!(only_reply(&state), texts::admins_only(Lang::En));
    assert!(state.telegram.calls("sendMessage").is_empty());
    state.admins = vec![UserId::new(USER)];
    state.store.put_profile(
        UserId::new(7),
        UserProfile {
            known: true,
            ..UserProfile::default()
        },
    );
    answered(&state, &group_command(2, USER, "/stats")).await;
    answered(&state, &group_command(3, USER, "/grant 7 100")).await;
    let private = state.telegram.calls("sendMessage");
    assert_eq!(private.len(), 2);
    assert_eq!(private[1].text, texts::granted(Lang::En, 7, 100, 100));
    let to_group: Vec<String> = replies(&state).into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        to_group[1..],
        [
            texts::sent_privately(Lang::En),
            texts::sent_privately(Lang::En)
        ]
    );
}
