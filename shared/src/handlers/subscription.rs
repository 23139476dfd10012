//! subscription-check: lets a message through to the processor only if its sender may
//! use the bot.

use std::time::Duration;

use anyhow::anyhow;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};

use super::batch::{Record, process_fifo};
use super::{chat_group, enqueue_reply};
use crate::domain::jobs::{InboundJob, IncomingMessage, MemberUpdate};
use crate::domain::{
    AccessDecision, AccessPolicy, Button, ChannelRef, ChatId, Command, Lang, Lookup, MemberStatus,
    OutgoingMessage, UserId, texts,
};
use crate::error::{Failure, Result};
use crate::ports::{Cache, Envelope, ProfileStore, Queue, Telegram, TelegramError};

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
    /// Users' `/language` choices, read only for a refusal or a `/subscribe` answer.
    pub profiles: P,
}

/// Where `user`'s standing in `channel` is cached; `chat_member` updates refresh it.
pub fn member_cache_key(channel: &ChannelRef, user: UserId) -> String {
    format!("member:{}:{user}", channel.chat_id_param())
}

/// Checks a batch from the inbound queue: allowed messages go on to the processor.
pub async fn handle<C: Cache, T: Telegram, Q: Queue, P: ProfileStore>(
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

async fn handle_record<C: Cache, T: Telegram, Q: Queue, P: ProfileStore>(
    state: &SubscriptionState<C, T, Q, P>,
    record: Record<'_>,
) -> Result<()> {
    match record.parse::<InboundJob>()? {
        InboundJob::MemberUpdate(update) => {
            remember_member(state, &update).await;
            Ok(())
        }
        InboundJob::Message(message) => check_message(state, message).await,
        // Not a user's message: nothing to check, the processor moves the chat's data.
        InboundJob::ChatMigrated(migration) => {
            let group_id = chat_group(migration.to);
            let dedup_id = format!("upd-{}", migration.update_id);
            let job = crate::domain::WorkJob::Migrate {
                migrate_chat: migration,
            };
            state
                .work
                .send(&Envelope {
                    body: serde_json::to_string(&job).map_err(Failure::permanent)?,
                    group_id,
                    dedup_id,
                })
                .await
        }
    }
}

/// A `chat_member` update is fresher than anything cached: store it straight away.
async fn remember_member<C: Cache, T, Q, P: ProfileStore>(
    state: &SubscriptionState<C, T, Q, P>,
    update: &MemberUpdate,
) {
    let Some(channel) = &state.policy.channel else {
        return;
    };
    store_status(state, channel, update.user_id, update.status).await;
    tracing::info!(user = %update.user_id, status = update.status.label(), "channel membership refreshed");
}

async fn store_status<C: Cache, T, Q, P: ProfileStore>(
    state: &SubscriptionState<C, T, Q, P>,
    channel: &ChannelRef,
    user: UserId,
    status: MemberStatus,
) {
    let value = serde_json::to_string(&status).unwrap_or_default();
    if let Err(e) = state
        .cache
        .set(&member_cache_key(channel, user), &value, state.ttl)
        .await
    {
        tracing::warn!(error = %e, "membership cache unavailable; carrying on without it");
    }
}

async fn check_message<C: Cache, T: Telegram, Q: Queue, P: ProfileStore>(
    state: &SubscriptionState<C, T, Q, P>,
    message: IncomingMessage,
) -> Result<()> {
    let decision = decide(state, &message).await?;
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
            reply.buttons = join_button(state, message.lang());
        }
        return enqueue_reply(&state.outbox, &reply).await;
    }
    if decision.allowed() {
        return state
            .work
            .send(&Envelope {
                body: serde_json::to_string(&message).map_err(Failure::permanent)?,
                group_id: chat_group(message.chat_id),
                dedup_id: format!("upd-{}", message.update_id),
            })
            .await;
    }
    let text = if state.policy.channel.is_some() {
        texts::refused_channel(message.lang())
    } else {
        texts::refused_private(message.lang())
    };
    let mut refusal = OutgoingMessage::reply_to(&message, "refused", text);
    refusal.buttons = join_button(state, message.lang());
    enqueue_reply(&state.outbox, &refusal).await
}

/// The message with its sender's `/language` choice, read only for an answer of this
/// function's own (a refusal, `/subscribe`); unreadable, the words follow their app.
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

fn join_button<C, T, Q, P: ProfileStore>(
    state: &SubscriptionState<C, T, Q, P>,
    lang: Lang,
) -> Vec<Button> {
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

async fn decide<C: Cache, T: Telegram, Q, P: ProfileStore>(
    state: &SubscriptionState<C, T, Q, P>,
    message: &IncomingMessage,
) -> Result<AccessDecision> {
    match state.policy.precheck_sender(&message.from, message.chat_id) {
        Ok(decision) => Ok(decision),
        Err(Lookup::Member(channel)) => Ok(AccessPolicy::decide(
            membership(state, channel, message.from.id).await?,
        )),
        Err(Lookup::GroupAdmins(_)) => vouched(state, message.chat_id).await,
    }
}

/// A group speaking as itself passes if one of its (human) admins would: otherwise anyone
/// could make a group, post there anonymously, and walk past the channel check.
async fn vouched<C: Cache, T: Telegram, Q, P: ProfileStore>(
    state: &SubscriptionState<C, T, Q, P>,
    group: ChatId,
) -> Result<AccessDecision> {
    for admin in group_admins(state, group).await? {
        let passes = match state.policy.precheck(admin) {
            Ok(decision) => decision.allowed(),
            Err(channel) => membership(state, channel, admin).await?.is_member(),
        };
        if passes {
            return Ok(AccessDecision::AsGroup);
        }
    }
    tracing::info!(%group, "no admin of this group may use the bot; refusing its anonymous posts");
    Ok(AccessDecision::Refused { status: None })
}

/// A group's admins, cached like memberships (they change about as rarely).
async fn group_admins<C: Cache, T: Telegram, Q, P: ProfileStore>(
    state: &SubscriptionState<C, T, Q, P>,
    group: ChatId,
) -> Result<Vec<UserId>> {
    let key = format!("admins:{group}");
    if let Ok(Some(cached)) = state.cache.get(&key).await
        && let Ok(admins) = serde_json::from_str::<Vec<UserId>>(&cached)
    {
        return Ok(admins);
    }
    match state.telegram.get_chat_administrators(group).await {
        Ok(admins) => {
            let value = serde_json::to_string(&admins).unwrap_or_default();
            if let Err(e) = state.cache.set(&key, &value, state.ttl).await {
                tracing::warn!(error = %e, "admin cache unavailable; carrying on without it");
            }
            Ok(admins)
        }
        Err(TelegramError::RetryAfter(_) | TelegramError::Transient(_)) => Err(Failure::retryable(
            anyhow!("getChatAdministrators failed; will retry"),
        )),
        Err(e) => {
            tracing::warn!(error = %e, "getChatAdministrators refused; the group's anonymous posts are refused");
            Ok(Vec::new())
        }
    }
}

/// `user`'s standing in the channel: cached, else asked of Telegram.
async fn membership<C: Cache, T: Telegram, Q, P: ProfileStore>(
    state: &SubscriptionState<C, T, Q, P>,
    channel: &ChannelRef,
    user: UserId,
) -> Result<MemberStatus> {
    let key = member_cache_key(channel, user);
    let cached = match state.cache.get(&key).await {
        Ok(v) => v.and_then(|v| serde_json::from_str::<MemberStatus>(&v).ok()),
        Err(e) => {
            tracing::warn!(error = %e, "membership cache unavailable; asking Telegram");
            None
        }
    };
    if let Some(status) = cached {
        return Ok(status);
    }
    match state
        .telegram
        .get_chat_member(&channel.chat_id_param(), user)
        .await
    {
        Ok(status) => {
            store_status(state, channel, user, status).await;
            Ok(status)
        }
        Err(TelegramError::RetryAfter(_) | TelegramError::Transient(_)) => Err(Failure::retryable(
            anyhow!("getChatMember failed; will retry"),
        )),
        Err(e) => {
            // Usually the bot is not an administrator of the channel. Refuse rather
            // than let everyone in, and say why in the log.
            tracing::error!(error = %e, "getChatMember refused; is the bot an administrator of the channel?");
            Ok(MemberStatus::Left)
        }
    }
}
