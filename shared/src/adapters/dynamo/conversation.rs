//! `ConversationStore`: turns, summaries and server-side conversation ids under `CHAT#<id>`.

#[allow(clippy::wildcard_imports)]
use super::*;

impl HistoryStore for DynamoStore {
    async fn recent_history(&self, chat: ConvId, limit: usize) -> Result<History> {
        let mut history = History::default();
        if limit == 0 {
            return Ok(history);
        }
        // Newest first, stopping at the latest summary or reset marker: one Query, no
        // state item. One extra item tells whether older turns remain unsummarised.
        for item in self.newest(chat_pk(chat), "T#", limit + 1).await? {
            let item: TurnItem = from_item(item)?;
            match item.kind.as_deref() {
                Some("reset") => break,
                Some("summary") => {
                    history.summary = Some(item.text);
                    break;
                }
                _ => {}
            }
            let Some(role) = item.role else { continue };
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
        let marker = TurnItem {
            pk: chat_pk(chat),
            sk: format!("{through_key}#S"),
            role: None,
            text: summary.to_owned(),
            kind: Some("summary".into()),
            at: now_ms(),
            expires_at: now_secs() + HISTORY_TTL,
        };
        self.write(to_item(&marker)?).await
    }

    async fn stored_reply(&self, id: UpdateId) -> Result<Option<StoredReply>> {
        let item = self.get(update_pk(id), gave_up::REPLY, true).await?;
        Ok(item.and_then(gave_up::stored))
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
        Ok(self
            .get(chat_pk(chat), "OPENAI_CONVERSATION", true)
            .await?
            .and_then(|mut i| match i.remove("conversation_id") {
                Some(AttributeValue::S(id)) => Some(id),
                _ => None,
            }))
    }

    async fn set_server_conversation(&self, chat: ConvId, id: Option<&str>) -> Result<()> {
        let mut item = key(chat_pk(chat), "OPENAI_CONVERSATION");
        item.insert("at".into(), n(now_ms()));
        // Without an id the item stays as a tombstone: the next message starts a new one.
        if let Some(id) = id {
            item.insert("conversation_id".into(), s(id));
        }
        self.write(item).await
    }

    async fn begin_conversation(&self, chat: ConvId, title: &str, at_ms: i64) -> Result<()> {
        let mut item = key(chat_pk(chat), "CURRENT");
        item.insert("title".into(), s(title));
        item.insert("started_at".into(), n(at_ms));
        // Only the first message names a conversation; a redelivery must not rename it.
        match self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if is_condition_failure(&e) => Ok(()),
            Err(e) => Err(sdk_err("PutItem", e)),
        }
    }

    async fn conversation_list(
        &self,
        chat: ConvId,
        limit: usize,
    ) -> Result<Vec<ClosedConversation>> {
        let items = self.newest(chat_pk(chat), "CONV#", limit).await?;
        let num = |i: &HashMap<String, AttributeValue>, f: &str| match i.get(f) {
            Some(AttributeValue::N(v)) => v.parse().unwrap_or(0),
            _ => 0,
        };
        Ok(items
            .iter()
            .map(|i| ClosedConversation {
                title: match i.get("title") {
                    Some(AttributeValue::S(t)) => t.clone(),
                    _ => String::new(),
                },
                started_at_ms: num(i, "started_at"),
                closed_at_ms: num(i, "closed_at"),
            })
            .collect())
    }

    async fn start_new_conversation(&self, chat: ConvId, id: UpdateId, at_ms: i64) -> Result<()> {
        let marker = TurnItem {
            pk: chat_pk(chat),
            sk: turn_sk(at_ms, id, "R"),
            role: None,
            text: String::new(),
            kind: Some("reset".into()),
            at: at_ms,
            expires_at: now_secs() + HISTORY_TTL,
        };
        // The guard makes a redelivered /reset a no-op, so conversations are counted once.
        let mut guard = key(update_pk(id), "RESET");
        guard.insert("expires_at".into(), n(now_secs() + REPLY_TTL));
        let delta = Delta {
            conversations: 1,
            ..Delta::default()
        };
        let mut items = vec![self.put_new(guard)?, self.put(to_item(&marker)?)?];
        for (pk, sk) in bot_counter_keys(at_ms) {
            items.push(self.counter(pk, sk, &delta, at_ms)?);
        }
        // File the closed conversation under its title, in the same transaction.
        if let Some(current) = self.get(chat_pk(chat), "CURRENT", true).await? {
            let mut closed = key(chat_pk(chat), format!("CONV#{at_ms:013}#{id}"));
            for field in ["title", "started_at"] {
                if let Some(v) = current.get(field) {
                    closed.insert(field.into(), v.clone());
                }
            }
            closed.insert("closed_at".into(), n(at_ms));
            items.push(self.put(closed)?);
            items.push(
                TransactWriteItem::builder()
                    .delete(
                        aws_sdk_dynamodb::types::Delete::builder()
                            .table_name(&self.table)
                            .set_key(Some(key(chat_pk(chat), "CURRENT")))
                            .build()
                            .map_err(|e| Failure::permanent(anyhow!("{e}")))?,
                    )
                    .build(),
            );
        }
        match self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if condition_failed_at(&e, 0) => Ok(()),
            Err(e) => Err(sdk_err("TransactWriteItems", e)),
        }
    }
}
