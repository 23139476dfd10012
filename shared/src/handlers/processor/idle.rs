//! A conversation quiet for longer than `CONVERSATION_IDLE_HOURS` is filed (it stays in
//! `/history`, and can be opened again) and the message that breaks the silence starts a
//! new one. Decided from the history the answer reads anyway: no extra request unless
//! the conversation is filed.

use super::{ProcessorState, ProcessorStore};
use crate::config::ApiMode;
use crate::domain::{ConvId, History, IncomingMessage, OutgoingMessage, UpdateId, texts};
use crate::error::Result;
use crate::handlers::enqueue_reply;
use crate::ports::{ConversationStore, Queue};

/// `history`, or an empty one if it was idle too long and has just been filed (the user
/// is told so in one line before the answer).
pub(super) async fn fresh_if_idle<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    history: History,
) -> Result<History>
where
    S: ProcessorStore,
    Q: Queue,
{
    let now_ms = state.clock.now_ms();
    if !is_idle(&history, state.conversation_idle, now_ms) {
        return Ok(history);
    }
    tracing::info!(update_id = %message.update_id, "conversation idle too long; filing it");
    // Placed at the message's own date, so its exchange (same date and update, sorting
    // after the marker) is the new conversation's first.
    file_current(
        &state.store,
        state.mode,
        message.conversation(),
        message.update_id,
        message.sent_ms(),
    )
    .await?;
    let notice =
        OutgoingMessage::reply_to(message, "idle", texts::idle_fresh_start(message.lang()));
    enqueue_reply(&state.outbox, &notice).await?;
    Ok(History::default())
}

/// Whether there is a conversation, and nothing was written to it for longer than `idle`.
fn is_idle(history: &History, idle: Option<std::time::Duration>, now_ms: i64) -> bool {
    let (Some(idle), Some(newest)) = (idle, history.newest_at_ms) else {
        return false;
    };
    let empty = history.turns.is_empty() && history.summary.is_none();
    let idle_ms = i64::try_from(idle.as_millis()).unwrap_or(i64::MAX);
    !empty && now_ms.saturating_sub(newest) > idle_ms
}

/// Files the current conversation (for `/history`) and starts a new one; idempotent per
/// update. In Responses mode the next message opens a fresh server-side conversation.
pub(super) async fn file_current<S: ConversationStore>(
    store: &S,
    mode: ApiMode,
    conv: ConvId,
    update: UpdateId,
    at_ms: i64,
) -> Result<()> {
    store.start_new_conversation(conv, update, at_ms).await?;
    if mode == ApiMode::Responses {
        store.set_server_conversation(conv, None).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Role, StoredTurn, Turn};
    use std::time::Duration;

    fn with_turn(newest_at_ms: Option<i64>) -> History {
        History {
            turns: vec![StoredTurn {
                turn: Turn {
                    role: Role::User,
                    text: "hi".into(),
                },
                key: String::new(),
            }],
            newest_at_ms,
            ..History::default()
        }
    }

    #[test]
    fn idle_only_past_the_limit_with_something_to_file() {
        let day = Duration::from_secs(86_400);
        let day_ms = 86_400_000;
        assert!(!is_idle(&with_turn(Some(0)), Some(day), day_ms));
        assert!(is_idle(&with_turn(Some(0)), Some(day), day_ms + 1));
        // 0 hours: never.
        assert!(!is_idle(&with_turn(Some(0)), None, i64::MAX));
        // Unknown age, or nothing to file.
        assert!(!is_idle(&with_turn(None), Some(day), i64::MAX));
        let empty = History {
            newest_at_ms: Some(0),
            ..History::default()
        };
        assert!(!is_idle(&empty, Some(day), i64::MAX));
    }
}
