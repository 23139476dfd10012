//! `ConversationStore`: turns, summaries and server-side conversation ids under `CHAT#<id>`.

#[allow(clippy::wildcard_imports)]
use super::*;
use items::{
    ClosedConversationItem, CurrentConversationItem, GuardItem, MarkerKind, ServerConversationItem,
    TurnItem,
};

impl HistoryStore for DynamoStore {
    async fn recent_history(&self, chat: ConvId, limit: usize) -> Result<History> {
        let mut history = History::default();
        if limit == 0 {
            return Ok(history);
        }
        // Newest first, stopping at the latest summary or reset marker: one Query, no
        // state item. One extra item tells whether older turns remain unsummarised.
        // Read one by one: what lies past the marker is no part of the history.
        let items = self
            .newest_items(keys::chat_pk(chat), keys::TURN_PREFIX, limit + 1)
            .await?;
        for item in items {
            let item: TurnItem = from_item(item)?;
            let role = match (item.kind, item.role) {
                (Some(MarkerKind::Reset), _) => break,
                (Some(MarkerKind::Summary), _) => {
                    history.summary = Some(item.text);
                    break;
                }
                (None, Some(role)) => role,
                (None, None) => {
                    return Err(Failure::permanent(anyhow!(
                        "unreadable {} item {} / {}: neither a role nor a kind",
                        TurnItem::KIND,
                        item.pk,
                        item.sk
                    )));
                }
            };
            if history.turns.len() == limit {
                history.more = true;
                break;
            }
            history.turns.push(StoredTurn {
                turn: Turn {
                    role,
                    text: item.text,
                },
                key: item.sk,
            });
        }
        Ok(history)
    }

    async fn save_summary(&self, chat: ConvId, through_key: &str, summary: &str) -> Result<()> {
        // Sorts right after the last folded turn and before the first kept one.
        let Key { pk, sk } = keys::summary(chat, through_key);
        let at = now_ms();
        self.write(&TurnItem {
            pk,
            sk,
            role: None,
            text: summary.to_owned(),
            kind: Some(MarkerKind::Summary),
            at,
            expires_at: secs(at) + HISTORY_TTL,
        })
        .await
    }

    async fn stored_reply(&self, id: UpdateId) -> Result<Option<StoredReply>> {
        let item = self.get_item(keys::reply(id), true).await?;
        item.map(gave_up::stored).transpose()
    }

    async fn record_exchange(&self, x: &Exchange) -> Result<String> {
        match self.write_exchange(x).await? {
            Written::Reply(reply) => Ok(reply),
            // Not new after all: a concurrent first message counted them. Once more as known.
            Written::NotNewUser => {
                let known = Exchange {
                    new_user: false,
                    ..x.clone()
                };
                match self.write_exchange(&known).await? {
                    Written::Reply(reply) => Ok(reply),
                    Written::NotNewUser => Err(Failure::retryable(anyhow!("user directory race"))),
                }
            }
        }
    }
}

impl ConversationIndex for DynamoStore {
    async fn server_conversation(&self, chat: ConvId) -> Result<Option<String>> {
        let item: Option<ServerConversationItem> =
            self.get(keys::server_conversation(chat), true).await?;
        Ok(item.and_then(|c| c.conversation_id))
    }

    async fn set_server_conversation(&self, chat: ConvId, id: Option<&str>) -> Result<()> {
        let Key { pk, sk } = keys::server_conversation(chat);
        self.write(&ServerConversationItem {
            pk,
            sk,
            conversation_id: id.map(str::to_owned),
            at: now_ms(),
        })
        .await
    }

    async fn begin_conversation(&self, chat: ConvId, title: &str, at_ms: i64) -> Result<()> {
        let Key { pk, sk } = keys::current_conversation(chat);
        let current = CurrentConversationItem {
            pk,
            sk,
            title: title.to_owned(),
            started_at: at_ms,
        };
        // Only the first message names a conversation; a redelivery must not rename it.
        self.write_new(&current).await.map(|_| ())
    }

    async fn conversation_list(
        &self,
        chat: ConvId,
        limit: usize,
    ) -> Result<Vec<ClosedConversation>> {
        let items: Vec<ClosedConversationItem> = self
            .newest(keys::chat_pk(chat), keys::CLOSED_CONVERSATION_PREFIX, limit)
            .await?;
        Ok(items
            .into_iter()
            .map(|c| ClosedConversation {
                title: c.title,
                started_at_ms: c.started_at,
                closed_at_ms: c.closed_at,
            })
            .collect())
    }

    async fn start_new_conversation(&self, chat: ConvId, id: UpdateId, at_ms: i64) -> Result<()> {
        let mut tx = Transaction::new(&self.table);
        // The guard makes a redelivered /reset a no-op, so conversations are counted once.
        let Key { pk, sk } = keys::reset_guard(id);
        let guard = GuardItem {
            pk,
            sk,
            expires_at: secs(at_ms) + REPLY_TTL,
        };
        tx.put_new("guard", &guard)?;
        let Key { pk, sk } = keys::conversation_start(chat, at_ms, id);
        let marker = TurnItem {
            pk,
            sk,
            role: None,
            text: String::new(),
            kind: Some(MarkerKind::Reset),
            at: at_ms,
            expires_at: secs(at_ms) + HISTORY_TTL,
        };
        tx.put("marker", &marker)?;
        // File the closed conversation under its title, in the same transaction.
        let current = keys::current_conversation(chat);
        let open: Option<CurrentConversationItem> = self.get(current.clone(), true).await?;
        if let Some(open) = open {
            let Key { pk, sk } = keys::closed_conversation(chat, at_ms, id);
            let closed = ClosedConversationItem {
                pk,
                sk,
                title: open.title,
                started_at: open.started_at,
                closed_at: at_ms,
            };
            tx.put("closed", &closed)?;
            tx.delete("current", current)?;
        }
        match tx.commit(&self.client).await? {
            Committed::Yes => {
                // Counted once: a redelivered /reset is refused by its guard above.
                let delta = Delta {
                    conversations: 1,
                    ..Delta::default()
                };
                let shard = keys::bot_shard(chat.chat.get());
                self.count_for_bot(shard, &delta, at_ms).await;
                Ok(())
            }
            Committed::Refused(refused) if refused.on("guard") => Ok(()),
            Committed::Refused(refused) => Err(refused.into_error()),
        }
    }
}
