//! A confirmed `/forget`: the user's conversations at the provider first (their ids are
//! kept with the rest), then everything stored about them, then the confirmation edited
//! into the report. Every step is idempotent: a record cut short and delivered again
//! finishes the job, and a provider that fails is retried, never skipped.

use super::{Delivery, ProcessorModel, ProcessorState, ProcessorStore};
use crate::domain::jobs::ForgetRequest;
use crate::domain::privacy::confirmation_fresh;
use crate::domain::{DeliveryId, OutgoingMessage, texts};
use crate::error::Result;
use crate::handlers::enqueue_reply;
use crate::handlers::retry::retrying;
use crate::ports::Queue;

pub(super) async fn run<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    job: &ForgetRequest,
    delivery: Delivery,
) -> Result<()>
where
    S: ProcessorStore,
    M: ProcessorModel,
    Q: Queue,
{
    let lang = job.lang();
    let text = if confirmation_fresh(job.asked_at, state.clock.now_ms()) {
        let servers = state.store.server_conversations_of(job.user_id).await?;
        for id in &servers {
            let deleted = retrying(state.attempts(), delivery.deadline, || {
                state.model.delete_conversation(id)
            })
            .await?;
            tracing::info!(user = %job.user_id, deleted, "provider conversation handled");
        }
        let mut erased = state.store.erase_user(job.user_id, job.update_id).await?;
        // Deleted now or found gone: either way none is left at the provider.
        erased.server_conversations = servers.len() as u64;
        tracing::info!(user = %job.user_id, update_id = %job.update_id, items = erased.total(), "user's data erased");
        texts::forget_report(lang, &erased)
    } else {
        tracing::info!(user = %job.user_id, update_id = %job.update_id, "expired /forget confirmation; nothing deleted");
        texts::forget_expired(lang)
    };
    enqueue_reply(&state.outbox, &report(job, text, lang)).await
}

/// The confirmation's message, edited to `text`.
fn report(job: &ForgetRequest, text: String, lang: crate::domain::Lang) -> OutgoingMessage {
    OutgoingMessage {
        delivery_id: DeliveryId::reply_to("forget", job.update_id),
        chat_id: job.chat_id,
        // Not the user: a refusal to deliver must not mark them inactive, which would
        // write their profile again.
        user_id: None,
        text,
        reply_to_message_id: None,
        buttons: Vec::new(),
        document: None,
        markdown: false,
        html: false,
        topic: None,
        voice: false,
        edit_message_id: Some(job.message_id),
        keyboard: Vec::new(),
        lang,
    }
}
