//! Folding older turns into the running notes, so a long conversation fits the budget.
//!
//! A fold never loses anything already noted: the model writes notes on the folded turns
//! only, and they are added to the earlier ones. Only when the notes outgrow their room
//! are they merged into one shorter set, in a request that holds nothing but the notes. A
//! fold never separates a question from its answer. While it runs, the user sees a note in
//! the draft (or "typing…" in a group): a summary call can take a while.

use super::generate::with_usage;
use super::progress::Progress;
use super::{ProcessorModel, ProcessorState, ProcessorStore};
use crate::clock::Deadline;
use crate::domain::memory::{
    NOTES_BUDGET, NOTES_MAX_TOKENS, combine_notes, estimate_text, keep_whole_exchanges,
    merge_prompt, notes_prompt,
};
use crate::domain::{IncomingMessage, OutgoingMessage, Role, StoredTurn, Turn, Usage, texts};
use crate::error::Result;
use crate::handlers::enqueue_reply;
use crate::handlers::retry::retrying;
use crate::ports::{Queue, Telegram};

/// The conversation as the prompt will carry it: notes, then the turns kept (newest first).
pub(super) struct Window {
    /// The notes that stand for the turns folded so far.
    pub summary: Option<String>,
    /// The turns since the notes, newest first.
    pub turns: Vec<StoredTurn>,
}

/// Folds all but (about) the newest `keep` turns into the notes, stores them, and tells
/// the user the first time a conversation is condensed. The calls' usage is added to
/// `usage`, as part of what this reply cost.
#[allow(clippy::too_many_arguments)]
pub(super) async fn fold<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    progress: &mut Progress<'_>,
    deadline: Deadline,
    window: &mut Window,
    keep: usize,
    usage: &mut Usage,
) -> Result<()>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
    T: Telegram,
{
    let roles: Vec<Role> = window.turns.iter().map(|t| t.turn.role).collect();
    let keep = keep_whole_exchanges(&roles, keep);
    let Some(newest_folded) = window.turns.get(keep).map(|t| t.key.clone()) else {
        return Ok(());
    };
    progress
        .note(state, &texts::draft_remembering(message.lang()))
        .await;
    let folded: Vec<Turn> = window.turns[keep..]
        .iter()
        .rev()
        .map(|t| t.turn.clone())
        .collect();
    let earlier = window.summary.as_deref();
    let request = notes_prompt(earlier, &folded);
    let notes = retrying(state.attempts(), deadline, || {
        state.model.complete(&request, None, NOTES_MAX_TOKENS)
    })
    .await
    .map(|n| with_usage(state, &request, n))?;
    add(usage, &notes.usage);
    let mut combined = combine_notes(earlier, &notes.text);
    if estimate_text(&combined) > NOTES_BUDGET {
        let request = merge_prompt(&combined);
        match retrying(state.attempts(), deadline, || {
            state.model.complete(&request, None, NOTES_MAX_TOKENS)
        })
        .await
        {
            Ok(merged) if !merged.text.trim().is_empty() => {
                add(usage, &with_usage(state, &request, merged.clone()).usage);
                combined = merged.text.trim().to_owned();
            }
            // Longer notes cost tokens; dropping them would cost memories.
            Ok(_) => tracing::warn!("merging the notes gave nothing; keeping them whole"),
            Err(e) => tracing::warn!(error = %e, "could not merge the notes; keeping them whole"),
        }
    }
    state
        .store
        .save_summary(message.conversation(), &newest_folded, &combined)
        .await?;
    tracing::info!(
        folded = folded.len(),
        kept = keep,
        "older turns folded into the notes"
    );
    if window.summary.is_none() {
        let notice =
            OutgoingMessage::reply_to(message, "memory", texts::memory_folded(message.lang()));
        enqueue_reply(&state.outbox, &notice).await?;
    }
    window.summary = Some(combined);
    window.turns.truncate(keep);
    Ok(())
}

fn add(total: &mut Usage, call: &Usage) {
    total.prompt_tokens += call.prompt_tokens;
    total.completion_tokens += call.completion_tokens;
    total.estimated |= call.estimated;
}
