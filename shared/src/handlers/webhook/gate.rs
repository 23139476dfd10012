//! The access check before the quick commands and presses the webhook carries out
//! itself: they skip subscription-check, so without it a refused user could still set a
//! persona or voice replies. An open bot or an allow-listed user costs nothing. With a
//! channel it costs one cached read: the webhook runs outside the VPC, away from Redis,
//! so its cache is the table's (`CACHE#member:…`, one eventually consistent GetItem, the
//! entry subscription-check writes when there is no Redis). Only a miss asks Telegram
//! (`getChatMember`) and writes the entry for the TTL.

use std::time::Duration;

use super::WebhookState;
use super::act::{Outcome, act};
use super::deadline::Deadline;
use super::route::Route;
use crate::domain::jobs::Person;
use crate::domain::{AccessDecision, AccessPolicy, Button, ChatId, Lang, QuickReply, texts};
use crate::handlers::access::Gate;
use crate::ports::{
    Cache, GenerationLog, PersonaStore, Queue, Telegram, TelegramError, UpdateLog, UserStore,
};

/// Who may use the bot, as subscription-check decides it, for the webhook.
pub struct WebhookAccess {
    /// The allow-list and the channel.
    pub policy: AccessPolicy,
    /// The refusal's join button, for a channel known only by its numeric id.
    pub invite_url: Option<String>,
    /// How long a standing looked up here is cached.
    pub ttl: Duration,
}

/// How a refusal is said: as a message, or as an alert on the pressed button.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A command in `chat`.
    Message(ChatId, Lang),
    /// A press, answered by its query id.
    Press(String, Lang),
}

/// Carries out `then` if `from` may use the bot, else answers the refusal.
pub(super) async fn members_only<L, Q, H, T>(
    state: &WebhookState<L, Q, H, T>,
    (from, chat): (Person, ChatId),
    then: Route,
    refusal: Refusal,
    deadline: Deadline,
) -> Outcome
where
    L: UpdateLog + PersonaStore + GenerationLog + UserStore + Cache,
    Q: Queue,
    T: Telegram,
{
    let access = &state.access;
    let gate = Gate {
        policy: &access.policy,
        cache: &state.log,
        telegram: &state.telegram,
        ttl: access.ttl,
    };
    let decided = deadline
        .bound("access check", async {
            gate.decide(&from, chat)
                .await
                .map_err(|e| TelegramError::Transient(e.to_string()))
        })
        .await;
    match decided {
        Ok(decision) if decision.allowed() => Box::pin(act(state, then, deadline)).await,
        Ok(decision) => {
            tracing::info!(user = %from.id, ?decision, "quick command refused");
            Outcome::reply(&refused(access, &decision, refusal))
        }
        Err(e) => Outcome::retry("could not check access", &e),
    }
}

fn refused(access: &WebhookAccess, decision: &AccessDecision, refusal: Refusal) -> QuickReply {
    let channel = access.policy.channel.as_ref();
    let lang = match &refusal {
        Refusal::Message(_, lang) | Refusal::Press(_, lang) => *lang,
    };
    let text = texts::refusal(lang, decision, channel.is_some());
    let link = channel
        .filter(|_| !decision.banned())
        .and_then(|c| c.join_url(access.invite_url.as_deref()));
    match (refusal, link) {
        (Refusal::Press(query_id, _), _) => QuickReply::Callback {
            query_id,
            text: Some(text),
            alert: true,
        },
        (Refusal::Message(chat_id, _), Some(url)) => QuickReply::Linked {
            chat_id,
            text,
            link: Button {
                text: texts::join_channel_button(lang),
                url,
            },
            topic: None,
        },
        (Refusal::Message(chat_id, _), None) => QuickReply::message(chat_id, text),
    }
}
