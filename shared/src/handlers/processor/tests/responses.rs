//! Responses mode: answers continue a provider-side conversation; a lost one is rebuilt
//! from ours; a server without the API falls back to Chat Completions.

use crate::domain::Lang;
use std::time::Duration;

use super::{BUDGET, answered, replies};
use crate::config::ApiMode;
use crate::domain::{Settings, UserId, UserProfile, texts};
use crate::error::Cause;
use crate::ports::ConversationIndex;
use crate::testing::{FakeProcessor, Script, command, deliver, message, processor};

const USER: i64 = 41;

fn responses_mode() -> FakeProcessor {
    let mut state = processor(Duration::from_secs(1));
    state.mode = ApiMode::Responses;
    state
}

fn fail(cause: Cause) -> Script {
    Script::Fail {
        retryable: false,
        cause: Some(cause),
        retry_after: None,
    }
}

/// (kind, conversation) of each model call.
fn calls(state: &FakeProcessor) -> Vec<(&'static str, Option<String>)> {
    state
        .model
        .calls()
        .into_iter()
        .map(|c| (c.kind, c.conversation))
        .collect()
}

#[tokio::test(start_paused = true)]
async fn the_first_message_opens_a_conversation_and_the_next_continue_it() {
    let state = responses_mode();
    answered(&state, &message(1, USER, "hi")).await;
    answered(&state, &message(2, USER, "again")).await;
    let conv = Some("conv_fake_1".to_owned());
    assert_eq!(
        calls(&state),
        [
            ("new_conversation", None),
            ("stream", conv.clone()),
            ("stream", conv.clone())
        ]
    );
    let stored = state
        .store
        .server_conversation(message(1, USER, "").conversation())
        .await
        .unwrap();
    assert_eq!(stored, conv);
    assert_eq!(
        state.store.exchanges().len(),
        2,
        "usage is recorded as in chat mode"
    );
}

#[tokio::test(start_paused = true)]
async fn the_model_picked_in_settings_is_asked() {
    let mut state = responses_mode();
    state.allowed_models = crate::testing::models(&["gpt-4o-mini", "gpt-4o"]);
    state.store.put_profile(
        UserId::new(USER),
        UserProfile {
            settings: Settings {
                model: Some("gpt-4o".into()),
                ..Settings::default()
            },
            ..UserProfile::default()
        },
    );
    answered(&state, &message(1, USER, "hi")).await;
    let asked = state.model.calls().pop().expect("a call");
    assert_eq!(asked.model.as_deref(), Some("gpt-4o"));
}

#[tokio::test(start_paused = true)]
async fn a_conversation_the_provider_lost_is_rebuilt_from_ours_and_said() {
    let state = responses_mode();
    answered(&state, &message(1, USER, "hi")).await;
    state.model.script([fail(Cause::ConversationGone)]);
    answered(&state, &message(2, USER, "still there?")).await;
    let kinds: Vec<_> = calls(&state);
    assert_eq!(kinds[2], ("stream", Some("conv_fake_1".to_owned())));
    assert_eq!(kinds[3].0, "new_conversation");
    assert_eq!(kinds[4], ("stream", Some("conv_fake_2".to_owned())));
    let sent = replies(&state);
    assert_eq!(
        sent[1],
        (
            "restored-2".to_owned(),
            texts::conversation_restored(Lang::En)
        )
    );
    assert_eq!(sent[2].0, "reply-2");
}

#[tokio::test(start_paused = true)]
async fn a_server_without_the_responses_api_is_answered_with_chat_completions() {
    let state = responses_mode();
    state.model.script([fail(Cause::EndpointMissing)]);
    answered(&state, &message(1, USER, "hi")).await;
    let kinds = calls(&state);
    assert_eq!(
        kinds.last(),
        Some(&("stream", None)),
        "answered in chat mode"
    );
    assert_eq!(state.store.missing().len(), 1, "remembered");
    assert_eq!(replies(&state).len(), 1, "one answer, no notice");
    answered(&state, &message(2, USER, "again")).await;
    assert_eq!(calls(&state).last(), Some(&("stream", None)));
    assert_eq!(
        calls(&state)
            .iter()
            .filter(|(k, _)| *k == "new_conversation")
            .count(),
        1,
        "not tried again"
    );
}

#[tokio::test(start_paused = true)]
async fn reset_forgets_the_provider_conversation() {
    let state = responses_mode();
    answered(&state, &message(1, USER, "hi")).await;
    answered(&state, &command(2, USER, "/reset")).await;
    answered(&state, &message(3, USER, "new start")).await;
    assert_eq!(
        calls(&state).last(),
        Some(&("stream", Some("conv_fake_2".to_owned())))
    );
    assert!(
        deliver(&state, &message(3, USER, "new start"), 2, BUDGET)
            .await
            .is_empty()
    );
    assert_eq!(
        state.model.calls().len(),
        4,
        "a redelivery re-sends, does not ask"
    );
}
