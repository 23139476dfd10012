//! Conversations you can come back to, on fakes: the idle timeout, `/history` and its
//! buttons, `/rename`, `/retry` and `/export`.

use std::time::Duration;

use super::{BUDGET, answered, replies};
use crate::domain::{Lang, texts};
use crate::ports::ConversationIndex;
use crate::testing::{message, processor};

const USER: i64 = 42;
const HOUR: Duration = Duration::from_secs(3600);

fn prompt_text(state: &crate::testing::FakeProcessor, call: usize) -> String {
    state.model.calls()[call]
        .prompt
        .iter()
        .map(|m| m.content.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(start_paused = true)]
async fn a_conversation_idle_past_the_limit_is_filed_and_the_user_told() {
    let state = processor(BUDGET);
    answered(&state, &message(1, USER, "Tell me about whales")).await;
    tokio::time::advance(23 * HOUR).await;
    answered(&state, &message(2, USER, "and dolphins?")).await;
    assert!(
        prompt_text(&state, 1).contains("whales"),
        "23 h is not idle"
    );
    tokio::time::advance(24 * HOUR + Duration::from_secs(1)).await;
    answered(&state, &message(3, USER, "Cooking tonight")).await;
    let prompt = prompt_text(&state, 2);
    assert!(!prompt.contains("whales"), "{prompt}");
    let sent = replies(&state);
    assert_eq!(sent.len(), 4, "{sent:?}");
    assert_eq!(sent[2].1, texts::idle_fresh_start(Lang::En));
    let conv = message(3, USER, "").conversation();
    let filed = state.store.conversation_list(conv, 10).await.unwrap();
    assert_eq!(filed.len(), 1);
    assert_eq!(filed[0].title, "Tell me about whales");
    // A redelivery of the message that broke the silence files nothing more.
    answered(&state, &message(3, USER, "Cooking tonight")).await;
    assert_eq!(
        state.store.conversation_list(conv, 10).await.unwrap().len(),
        1
    );
}

#[tokio::test(start_paused = true)]
async fn with_no_idle_limit_a_conversation_goes_on_for_ever() {
    let mut state = processor(BUDGET);
    state.conversation_idle = None;
    answered(&state, &message(1, USER, "Tell me about whales")).await;
    tokio::time::advance(400 * 24 * HOUR).await;
    answered(&state, &message(2, USER, "and dolphins?")).await;
    assert!(prompt_text(&state, 1).contains("whales"));
    assert_eq!(replies(&state).len(), 2);
}
