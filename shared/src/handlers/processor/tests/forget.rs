//! `/forget` confirmed: everything about the user goes, the group's conversation stays,
//! the provider's conversation is deleted (a failing provider is retried, never
//! skipped), and the confirmation becomes the report.

use std::time::Duration;

use super::{BUDGET, answered};
use crate::config::ApiMode;
use crate::domain::jobs::{ForgetRequest, WorkJob};
use crate::domain::privacy::{CONFIRM_WITHIN_SECS, Erased};
use crate::domain::{ChatId, Lang, UpdateId, UserId, texts};
use crate::error::Cause;
use crate::ports::{ConversationIndex, Eraser, HistoryStore, ProfileStore, StyleStore};
use crate::testing::{
    FakeProcessor, START_MS, Script, command, deliver_body, group_message, message, processor,
};

const USER: i64 = 43;
const GROUP: i64 = -100_555;

fn confirmation(update: u64, asked_at: i64) -> String {
    serde_json::to_string(&WorkJob::Forget {
        forget: ForgetRequest {
            update_id: UpdateId(update),
            user_id: UserId::new(USER),
            chat_id: ChatId::new(USER),
            message_id: 77,
            asked_at,
            language_code: None,
        },
    })
    .unwrap()
}

/// A user who chatted in private and in a group, reset once, and forwarded a sample.
async fn with_history(state: &FakeProcessor) {
    answered(state, &message(1, USER, "hello")).await;
    answered(state, &command(2, USER, "/reset")).await;
    answered(state, &message(3, USER, "again")).await;
    answered(state, &command(4, USER, "/new_style")).await;
    let mut forward = message(5, USER, "a forwarded line");
    forward.forwarded = true;
    answered(state, &forward).await;
    answered(state, &group_message(6, GROUP, USER, "@bot hi all")).await;
}

fn sent(state: &FakeProcessor) -> Vec<crate::domain::OutgoingMessage> {
    state.outbox.outgoing()
}

#[tokio::test(start_paused = true)]
async fn a_confirmation_erases_the_user_and_edits_itself_into_the_report() {
    let mut state = processor(Duration::from_secs(1));
    state.mode = ApiMode::Responses;
    with_history(&state).await;
    let user = UserId::new(USER);
    assert!(
        !state
            .store
            .server_conversations_of(user)
            .await
            .unwrap()
            .is_empty()
    );
    let before = sent(&state).len();
    let failed = deliver_body(&state, &confirmation(9, START_MS / 1000), 1, BUDGET).await;
    assert!(failed.is_empty(), "{failed:?}");

    let conv = message(1, USER, "").conversation();
    assert!(
        state
            .store
            .recent_history(conv, 50)
            .await
            .unwrap()
            .turns
            .is_empty()
    );
    assert!(
        state
            .store
            .conversation_list(conv, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(state.store.server_conversation(conv).await.unwrap(), None);
    assert!(!state.store.profile(user.into()).await.unwrap().known);
    assert!(
        state
            .store
            .recent_user_messages(user, 100)
            .await
            .unwrap()
            .is_empty()
    );
    // The group's conversation is the group's.
    let group = group_message(6, GROUP, USER, "").conversation();
    assert!(
        !state
            .store
            .recent_history(group, 50)
            .await
            .unwrap()
            .turns
            .is_empty()
    );
    // The provider's conversation was deleted through the model.
    let deletes: Vec<_> = state
        .model
        .calls()
        .into_iter()
        .filter(|c| c.kind == "delete_conversation")
        .collect();
    // The one /reset left behind too.
    assert_eq!(deletes.len(), 2);

    let report = &sent(&state)[before..];
    assert_eq!(report.len(), 1);
    assert_eq!(report[0].edit_message_id, Some(77));
    assert_eq!(report[0].user_id, None);
    assert!(
        report[0]
            .text
            .contains("2 conversations at the AI provider"),
        "{}",
        report[0].text
    );

    // Pressed again (a redelivery of the same press): the same report, nothing left.
    deliver_body(&state, &confirmation(9, START_MS / 1000), 2, BUDGET).await;
    let again = &sent(&state)[before..];
    assert_eq!(again.last().unwrap().delivery_id, report[0].delivery_id);
    // A new press finds nothing.
    deliver_body(&state, &confirmation(10, START_MS / 1000), 1, BUDGET).await;
    assert_eq!(
        sent(&state).last().unwrap().text,
        texts::forget_report(Lang::En, &Erased::default())
    );
}

#[tokio::test(start_paused = true)]
async fn a_provider_failure_is_retried_and_nothing_is_deleted_until_it_passes() {
    let mut state = processor(Duration::from_secs(1));
    state.mode = ApiMode::Responses;
    answered(&state, &message(1, USER, "hello")).await;
    let user = UserId::new(USER);
    // More failures than one delivery's attempts: the record goes back to the queue.
    state
        .model
        .script((0..state.max_attempts).map(|_| Script::transient()));
    let failed = deliver_body(&state, &confirmation(9, START_MS / 1000), 1, BUDGET).await;
    assert_eq!(failed.len(), 1, "the record is retried");
    assert!(
        state.store.profile(user.into()).await.unwrap().known,
        "nothing deleted yet"
    );
    assert!(sent(&state).iter().all(|m| m.edit_message_id.is_none()));
    // The redelivery finishes it; a provider that lacks the endpoint counts as done.
    state.model.script([Script::Fail {
        retryable: false,
        cause: Some(Cause::EndpointMissing),
        retry_after: None,
    }]);
    let failed = deliver_body(&state, &confirmation(9, START_MS / 1000), 2, BUDGET).await;
    assert!(failed.is_empty(), "{failed:?}");
    assert!(!state.store.profile(user.into()).await.unwrap().known);
}

#[tokio::test(start_paused = true)]
async fn a_store_failure_midway_is_finished_by_the_redelivery() {
    let state = processor(Duration::from_secs(1));
    with_history(&state).await;
    state.store.fail("erase_user", 1, true);
    let failed = deliver_body(&state, &confirmation(9, START_MS / 1000), 1, BUDGET).await;
    assert_eq!(failed.len(), 1);
    let failed = deliver_body(&state, &confirmation(9, START_MS / 1000), 2, BUDGET).await;
    assert!(failed.is_empty(), "{failed:?}");
    assert!(
        !state
            .store
            .profile(UserId::new(USER).into())
            .await
            .unwrap()
            .known
    );
    assert!(sent(&state).last().unwrap().text.starts_with("Done."));
}

#[tokio::test(start_paused = true)]
async fn an_expired_confirmation_deletes_nothing_and_says_so() {
    let state = processor(Duration::from_secs(1));
    answered(&state, &message(1, USER, "hello")).await;
    let asked_at = START_MS / 1000 - CONFIRM_WITHIN_SECS - 1;
    let failed = deliver_body(&state, &confirmation(9, asked_at), 1, BUDGET).await;
    assert!(failed.is_empty());
    assert!(
        state
            .store
            .profile(UserId::new(USER).into())
            .await
            .unwrap()
            .known
    );
    let last = sent(&state).pop().unwrap();
    assert_eq!(last.text, texts::forget_expired(Lang::En));
    assert_eq!(last.edit_message_id, Some(77));
}

#[tokio::test(start_paused = true)]
async fn a_report_that_could_not_be_queued_still_counts_what_the_first_run_deleted() {
    let state = processor(Duration::from_secs(1));
    with_history(&state).await;
    state.outbox.fail_sends(1);
    let failed = deliver_body(&state, &confirmation(9, START_MS / 1000), 1, BUDGET).await;
    assert_eq!(failed.len(), 1, "retried");
    assert!(
        !state
            .store
            .profile(UserId::new(USER).into())
            .await
            .unwrap()
            .known
    );
    let failed = deliver_body(&state, &confirmation(9, START_MS / 1000), 2, BUDGET).await;
    assert!(failed.is_empty(), "{failed:?}");
    let report = sent(&state).pop().unwrap().text;
    // Nothing was left for the redelivery; the report is the first run's.
    assert!(report.starts_with("Done."), "{report}");
    assert!(report.contains("2 messages"), "{report}");
}
