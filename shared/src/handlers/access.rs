//! Who may use the bot, decided on the cached channel membership. subscription-check asks
//! for every queued message; the webhook asks before the quick commands and button
//! presses it carries out itself, so both judge alike from the same cache entries.

use std::time::Duration;

use anyhow::anyhow;

use crate::domain::jobs::Person;
use crate::domain::{
    AccessDecision, AccessPolicy, ChannelRef, ChatId, Lookup, MemberStatus, UserId,
};
use crate::error::{Failure, Result};
use crate::ports::{Cache, Telegram, TelegramError};

/// Where `user`'s standing in `channel` is cached; `chat_member` updates refresh it.
pub fn member_cache_key(channel: &ChannelRef, user: UserId) -> String {
    format!("member:{}:{user}", channel.chat_id_param())
}

/// What an access decision needs, borrowed from the function's state.
pub struct Gate<'a, C, T> {
    /// The allow-list and the channel.
    pub policy: &'a AccessPolicy,
    /// Memberships and group admins, so most decisions cost no Bot API call.
    pub cache: &'a C,
    /// Asked about what the cache does not hold.
    pub telegram: &'a T,
    /// How long a looked-up standing is cached.
    pub ttl: Duration,
}

impl<C: Cache, T: Telegram> Gate<'_, C, T> {
    /// Whether `from`, writing in `chat`, may use the bot. The allow-list and an open bot
    /// cost nothing; a channel costs one cache read, and a `getChatMember` (and a cache
    /// write) only when the cache has no answer.
    pub async fn decide(&self, from: &Person, chat: ChatId) -> Result<AccessDecision> {
        match self.policy.precheck_sender(from, chat) {
            Ok(decision) => Ok(decision),
            Err(Lookup::Member(channel)) => Ok(AccessPolicy::decide(
                self.membership(channel, from.id).await?,
            )),
            Err(Lookup::GroupAdmins(_)) => self.vouched(chat).await,
        }
    }

    /// Caches `status` as `user`'s standing; a cache outage only costs a later lookup.
    pub async fn remember(&self, channel: &ChannelRef, user: UserId, status: MemberStatus) {
        let value = serde_json::to_string(&status).unwrap_or_default();
        if let Err(e) = self
            .cache
            .set(&member_cache_key(channel, user), &value, self.ttl)
            .await
        {
            tracing::warn!(error = %e, "membership cache unavailable; carrying on without it");
        }
    }

    /// A group speaking as itself passes if one of its (human) admins would: otherwise
    /// anyone could make a group, post there anonymously, and walk past the channel check.
    async fn vouched(&self, group: ChatId) -> Result<AccessDecision> {
        for admin in self.group_admins(group).await? {
            let passes = match self.policy.precheck(admin) {
                Ok(decision) => decision.allowed(),
                Err(channel) => self.membership(channel, admin).await?.is_member(),
            };
            if passes {
                return Ok(AccessDecision::AsGroup);
            }
        }
        tracing::info!(%group, "no admin of this group may use the bot; refusing its anonymous posts");
        Ok(AccessDecision::Refused { status: None })
    }

    /// A group's admins, cached like memberships (they change about as rarely).
    async fn group_admins(&self, group: ChatId) -> Result<Vec<UserId>> {
        let key = format!("admins:{group}");
        if let Ok(Some(cached)) = self.cache.get(&key).await
            && let Ok(admins) = serde_json::from_str::<Vec<UserId>>(&cached)
        {
            return Ok(admins);
        }
        match self.telegram.get_chat_administrators(group).await {
            Ok(admins) => {
                let value = serde_json::to_string(&admins).unwrap_or_default();
                if let Err(e) = self.cache.set(&key, &value, self.ttl).await {
                    tracing::warn!(error = %e, "admin cache unavailable; carrying on without it");
                }
                Ok(admins)
            }
            Err(TelegramError::RetryAfter(_) | TelegramError::Transient(_)) => Err(
                Failure::retryable(anyhow!("getChatAdministrators failed; will retry")),
            ),
            Err(e) => {
                tracing::warn!(error = %e, "getChatAdministrators refused; the group's anonymous posts are refused");
                Ok(Vec::new())
            }
        }
    }

    /// `user`'s standing in the channel: cached, else asked of Telegram.
    async fn membership(&self, channel: &ChannelRef, user: UserId) -> Result<MemberStatus> {
        let key = member_cache_key(channel, user);
        let cached = match self.cache.get(&key).await {
            Ok(v) => v.and_then(|v| serde_json::from_str::<MemberStatus>(&v).ok()),
            Err(e) => {
                tracing::warn!(error = %e, "membership cache unavailable; asking Telegram");
                None
            }
        };
        if let Some(status) = cached {
            return Ok(status);
        }
        match self
            .telegram
            .get_chat_member(&channel.chat_id_param(), user)
            .await
        {
            Ok(status) => {
                self.remember(channel, user, status).await;
                Ok(status)
            }
            Err(TelegramError::RetryAfter(_) | TelegramError::Transient(_)) => Err(
                Failure::retryable(anyhow!("getChatMember failed; will retry")),
            ),
            Err(e) => {
                // Usually the bot is not an administrator of the channel. Refuse rather
                // than let everyone in, and say why in the log.
                tracing::error!(error = %e, "getChatMember refused; is the bot an administrator of the channel?");
                Ok(MemberStatus::Left)
            }
        }
    }
}
