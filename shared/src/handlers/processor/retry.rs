//! `/retry`: the model is asked again for the current conversation's last message, and the
//! new answer takes the old one's place in the history. It is answered, metered and kept
//! exactly once like any message: under the `/retry` update, whose exchange replaces the
//! old one in the same transaction, so a redelivered `/retry` finds its answer stored and
//! sends it again rather than writing a third.

use super::answer::{answer_loaded, load};
use super::{Delivery, ProcessorModel, ProcessorState, ProcessorStore};
use crate::config::ApiMode;
use crate::domain::{Command, IncomingMessage, OutgoingMessage, texts};
use crate::error::Result;
use crate::handlers::enqueue_reply;
use crate::ports::{Queue, Telegram};

pub(super) async fn retry<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    delivery: Delivery,
) -> Result<()>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    let mut loaded = load(state, message).await?;
    if loaded.answered_before() {
        // Its answer is stored (or its last word): said again as it is.
        return Box::pin(answer_loaded(state, message, delivery, loaded)).await;
    }
    let Some((asked, replaced)) = loaded.take_last_exchange() else {
        let nothing =
            OutgoingMessage::reply_to(message, "retry", texts::retry_nothing(message.lang()));
        return enqueue_reply(&state.outbox, &nothing).await;
    };
    if state.mode == ApiMode::Responses {
        // The provider's copy holds the old answer: the next call starts a copy of ours
        // without it.
        state
            .store
            .set_server_conversation(message.conversation(), None)
            .await?;
    }
    let mut again = message.clone();
    again.text = asked;
    again.args = replaced.join("\n");
    Box::pin(answer_loaded(state, &again, delivery, loaded)).await
}

/// The positions of the turns a `/retry`'s answer replaces (none for any other message).
pub(super) fn replaced(message: &IncomingMessage) -> Vec<String> {
    if message.command != Some(Command::Retry) {
        return Vec::new();
    }
    message.args.lines().map(str::to_owned).collect()
}
