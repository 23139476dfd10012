//! subscription-check: lets a message through to the processor only if its sender may
//! use the bot.

use std::time::Duration;

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};

use super::access::Gate;
use super::batch::{Record, process_fifo};
use super::{chat_group, enqueue_reply};
use crate::domain::jobs::{InboundJob, IncomingMessage, MemberUpdate};
use crate::domain::rate::{Pace, RateLimit};
use crate::domain::{
    AccessDecision, AccessPolicy, Button, ChatId, Command, Lang, OutgoingMessage, UpdateId, texts,
};
use crate::error::{Failure, Result};
use crate::ports::{Cache, Envelope, ProfileStore, Queue, RateCounter, Telegram};

/// subscription-check's clients and settings, built once per container.
pub struct SubscriptionState<C, T, Q, P> {
    /// Who may use the bot: the allow-list, or membership of the channel.
    pub policy: AccessPolicy,
    /// The refusal's join button, for a channel known only by its numeric id.
    pub invite_url: Option<String>,
    /// Channel memberships and group admins, so most messages cost no Bot API call.
    pub cache: C,
    /// Asked about memberships and group admins the cache does not hold.
    pub telegram: T,
    /// The queue this function consumes, for hiding a record that failed until its retry.
    pub inbound: Q,
    /// Where allowed messages (and groups' moves) go, for the processor.
    pub work: Q,
    /// Where refusals and `/subscribe` answers go, straight to the sender.
    pub outbox: Q,
    /// How long a cached membership or admin list is trusted.
    pub ttl: Duration,
    /// Messages per person per minute; counted in `cache` (Redis, else the table).
    pub rate_limit: RateLimit,
    /// Users' `/language` choices, read only for a refusal, a `/subscribe` answer or the
    /// rate limit's notice.
    pub profiles: P,
}

pub use super::access::member_cache_key;

/// Checks a batch from the inbound queue: allowed messages go on to the processor.
pub async fn handle<C: Cache + RateCounter, T: Telegram, Q: Queue, P: ProfileStore>(
    state: &SubscriptionState<C, T, Q, P>,
    event: SqsEvent,
) -> Result<SqsBatchResponse, lambda_runtime::Error> {
    Ok(process_fifo(&event, &state.inbound, |record| async move {
        let result = handle_record(state, record).await;
        // Once per failed record and delivery.
        if let Err(e) = &result {
            crate::metrics::failed(e);
        }
        result
    })
    .await)
}

async fn handle_record<C: Cache + RateCounter, T: Telegram, Q: Queue, P: ProfileStore>(
    state: &SubscriptionState<C, T, Q, P>,
    record: Record<'_>,
) -> Result<()> {
    match record.parse::<InboundJob>()? {
        InboundJob::MemberUpdate(update) => {
            remember_member(state, &update).await;
            Ok(())
        }
        InboundJob::Message(message) => check_message(state, message).await,
        InboundJob::Forget(forget) => forget_membership(state, forget).await,
        // Not a user's message: nothing to check, the processor moves the chat's data.
        InboundJob::ChatMigrated(migration) => {
            let (chat, update) = (migration.to, migration.update_id);
            let job = crate::domain::WorkJob::Migrate {
                migrate_chat: migration,
            };
            to_work(state, &job, chat, update).await
        }
    }
}

/// A confirmed `/forget`: the cached standing and the rate limit's counts go here (only
/// this function reaches the cache), the rest in the processor. Never refused: anyone may
/// have their data deleted. A cache that cannot be reached fails the record, so SQS retries it: skipping would
/// leave the user's id cached.
async fn forget_membership<C: Cache + RateCounter, T, Q: Queue, P>(
    state: &SubscriptionState<C, T, Q, P>,
    forget: crate::domain::jobs::ForgetRequest,
) -> Result<()> {
    if let Some(channel) = &state.policy.channel {
        state
            .cache
            .delete(&member_cache_key(channel, forget.user_id))
            .await?;
    }
    state.cache.forget_counts(forget.user_id).await?;
    // In the user's private chat's message group, whichever chat it was asked in.
    let (chat, update) = (ChatId::new(forget.user_id.get()), forget.update_id);
    let job = crate::domain::WorkJob::Forget { forget };
    to_work(state, &job, chat, update).await
}

/// Puts `job` on the work queue in `chat`'s message group, deduplicated by the update
/// that asked for it.
async fn to_work<C, T, Q: Queue, P>(
    state: &SubscriptionState<C, T, Q, P>,
    job: &impl serde::Serialize,
    chat: ChatId,
    update: UpdateId,
) -> Result<()> {
    state
        .work
        .send(&Envelope {
            body: serde_json::to_string(job).map_err(Failure::permanent)?,
            group_id: chat_group(chat),
            dedup_id: format!("upd-{update}"),
        })
        .await
}

/// A `chat_member` update is fresher than anything cached: store it straight away.
async fn remember_member<C: Cache, T: Telegram, Q, P>(
    state: &SubscriptionState<C, T, Q, P>,
    update: &MemberUpdate,
) {
    let Some(channel) = &state.policy.channel else {
        return;
    };
    gate(state)
        .remember(channel, update.user_id, update.status)
        .await;
    tracing::info!(user = %update.user_id, status = update.status.label(), "channel membership refreshed");
}

fn gate<C, T, Q, P>(state: &SubscriptionState<C, T, Q, P>) -> Gate<'_, C, T> {
    Gate {
        policy: &state.policy,
        cache: &state.cache,
        telegram: &state.telegram,
        ttl: state.ttl,
    }
}

async fn check_message<C: Cache + RateCounter, T: Telegram, Q: Queue, P: ProfileStore>(
    state: &SubscriptionState<C, T, Q, P>,
    message: IncomingMessage,
) -> Result<()> {
    let decision = gate(state).decide(&message.from, message.chat_id).await?;
    tracing::info!(user = %message.from.id, ?decision, "access decided");
    let speaks = message.command == Some(Command::Subscribe) || !decision.allowed();
    let message = if speaks {
        in_their_language(state, message).await
    } else {
        message
    };
    if message.command == Some(Command::Subscribe) {
        let status = texts::subscription_status(message.lang(), &decision);
        let mut reply = OutgoingMessage::reply_to(&message, "subscribe", status);
        if !decision.allowed() {
            reply.buttons = join_button(state, &decision, message.lang());
        }
        return enqueue_reply(&state.outbox, &reply).await;
    }
    if decision.allowed() {
        if !within_pace(state, &message).await? {
            return Ok(());
        }
        return to_work(state, &message, message.chat_id, message.update_id).await;
    }
    let text = texts::refusal(message.lang(), &decision, state.policy.channel.is_some());
    let mut refusal = OutgoingMessage::reply_to(&message, "refused", text);
    refusal.buttons = join_button(state, &decision, message.lang());
    enqueue_reply(&state.outbox, &refusal).await
}

/// Whether `message` is within its sender's rate limit. Checked here, after access and
/// before the work queue: the excess costs no processor run, no model call and no table
/// read there, and this is the one function that already talks to Redis. Over the limit,
/// the first message of the window gets one notice and the rest nothing; none is answered.
/// A counter that cannot count lets the message through: the limit protects the budget,
/// and losing it for a while costs less than refusing everyone.
async fn within_pace<C: RateCounter, T, Q: Queue, P: ProfileStore>(
    state: &SubscriptionState<C, T, Q, P>,
    message: &IncomingMessage,
) -> Result<bool> {
    let limit = state.rate_limit;
    if !limit.is_on() {
        return Ok(true);
    }
    let window = RateLimit::window(message.date);
    let count = match state.cache.count_message(message.from.id, window).await {
        Ok(count) => count,
        Err(e) => {
            tracing::warn!(error = %e, "rate counter unavailable; letting the message through");
            return Ok(true);
        }
    };
    match limit.pace(count, message.date) {
        Pace::Within => Ok(true),
        Pace::FirstExcess { wait_secs } => {
            tracing::info!(user = %message.from.id, "rate limit reached; telling the user once");
            let message = in_their_language(state, message.clone()).await;
            let text = texts::too_fast(message.lang(), limit.per_minute, wait_secs);
            let notice = OutgoingMessage::reply_to(&message, "too-fast", text);
            enqueue_reply(&state.outbox, &notice).await.map(|()| false)
        }
        Pace::Excess => {
            tracing::info!(user = %message.from.id, "rate limit exceeded; message dropped");
            Ok(false)
        }
    }
}

/// The message with its sender's `/language` choice, read only for an answer of this
/// function's own (a refusal, `/subscribe`, the rate limit's notice); unreadable, the
/// words follow their app.
async fn in_their_language<C, T, Q, P: ProfileStore>(
    state: &SubscriptionState<C, T, Q, P>,
    message: IncomingMessage,
) -> IncomingMessage {
    match state.profiles.language(message.from.id).await {
        Ok(chosen) => message.with_chosen_lang(chosen),
        Err(e) => {
            tracing::warn!(error = %e, "could not read the language choice; using the app's");
            message
        }
    }
}

/// The channel's join link as a button, unless the user was banned from it: joining is
/// not open to them, so the button would only mislead.
fn join_button<C, T, Q, P>(
    state: &SubscriptionState<C, T, Q, P>,
    decision: &AccessDecision,
    lang: Lang,
) -> Vec<Button> {
    if decision.banned() {
        return Vec::new();
    }
    state
        .policy
        .channel
        .as_ref()
        .and_then(|c| c.join_url(state.invite_url.as_deref()))
        .map(|url| Button {
            text: texts::join_channel_button(lang),
            url,
        })
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests;
