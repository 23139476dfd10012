//! `ConversationStore`: turns, summaries and server-side conversation ids under `CHAT#<id>`.

#[allow(clippy::wildcard_imports)]
use super::*;
use crate::ports::ReplySlot;
use items::{
    ClosedConversationItem, CurrentConversationItem, ExchangeItem, GuardItem, MarkerKind,
    ServerConversationItem, TurnItem,
};

impl HistoryStore for DynamoStore {
    async fn recent_history(&self, chat: ConvId, limit: usize) -> Result<History> {
        let mut history = History::default();
        // Newest first, stopping at the latest summary or reset marker: no state item.
        // An exchange holds two turns, so half the limit (and one more, to tell whether
        // older turns remain unsummarised) is one page; the one-turn items of older
        // versions may take another.
        let pk = keys::chat_pk(chat);
        let mut start = None;
        while history.turns.len() < limit {
            let want = (limit - history.turns.len()) / 2 + 1;
            let (items, next) = self
                .newest_page(pk.clone(), keys::TURN_PREFIX, want, start)
                .await?;
            if history.newest_at_ms.is_none() {
                history.newest_at_ms = newest_at(&items);
            }
            match add_turns(&mut history, items, limit)? {
                Walk::Done => return Ok(history),
                // A conversation opened again goes on where it was filed.
                Walk::Jump(from) => start = Some(resume_at(&pk, from)),
                Walk::Next => match next {
                    Some(key) => start = Some(key),
                    None => return Ok(history),
                },
            }
        }
        // Exactly `limit` turns read: one more item says whether any are left.
        if limit == 0 {
            return Ok(history);
        }
        loop {
            let (items, _) = self
                .newest_page(pk.clone(), keys::TURN_PREFIX, 1, start)
                .await?;
            let mut rest = History::default();
            if let Walk::Jump(from) = add_turns(&mut rest, items, 0)? {
                start = Some(resume_at(&pk, from));
                continue;
            }
            history.more = rest.more;
            break;
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
            from: None,
        })
        .await
    }

    async fn stored_reply(&self, slot: ReplySlot) -> Result<Option<StoredReply>> {
        let current = keys::exchange(slot.conversation, slot.sent_ms, slot.update_id);
        // Versions before the exchange item kept the answer under the update; a record
        // from then may still come back (for `REPLY_TTL`). Both keys in one request.
        let wanted = [current.clone(), keys::legacy_reply(slot.update_id)];
        let mut found = self.batch_items(&wanted, true).await?;
        // Both exist only if a last word was given before and an answer after: the
        // newer place is the one written last.
        let at_current =
            |item: &Item| item.get("sk").and_then(|v| v.as_s().ok()) == Some(&current.sk);
        found.sort_by_key(|item| !at_current(item));
        found.into_iter().next().map(gave_up::stored).transpose()
    }

    async fn record_exchange(&self, x: &Exchange) -> Result<String> {
        let mut x = std::borrow::Cow::Borrowed(x);
        let mut meter = self
            .meter_base(x.user.id, x.new_user, x.at_ms, false)
            .await?;
        // Each retry follows something another message of the same user did meanwhile;
        // a few are plenty for one user's concurrent chats.
        for _ in 0..4 {
            match self.write_exchange(&x, &meter).await? {
                Written::Reply(reply) => return Ok(reply),
                // Not new after all: a concurrent first message counted them.
                Written::NotNewUser => {
                    x.to_mut().new_user = false;
                    meter = self.meter_base(x.user.id, false, x.at_ms, true).await?;
                }
                Written::MeterMoved => {
                    meter = self
                        .meter_base(x.user.id, x.new_user, x.at_ms, true)
                        .await?;
                }
            }
        }
        Err(Failure::retryable(anyhow!(
            "the usage meter kept changing under update {}",
            x.update_id
        )))
    }
}

/// When the newest of `items` (newest first) that is part of the conversation was
/// written: a last word is not.
fn newest_at(items: &[Item]) -> Option<i64> {
    items
        .iter()
        .find(|item| !item.contains_key("notice"))
        .and_then(|item| item.get("at")?.as_n().ok()?.parse().ok())
}

/// Where reading a conversation goes after one page.
pub(super) enum Walk {
    /// On to the next page, if there is one.
    Next,
    /// The conversation goes on before this sort key (it was opened again there).
    Jump(String),
    /// Nothing more to read.
    Done,
}

/// The `ExclusiveStartKey` that reads on from before `sk`.
pub(super) fn resume_at(pk: &str, sk: String) -> Item {
    Key {
        pk: pk.to_owned(),
        sk,
    }
    .attributes()
}

/// Adds `items` (newest first) to `history`, up to `limit` turns; `Done` once the history
/// is complete: a marker reached, or a turn found past the limit (`more`).
fn add_turns(history: &mut History, items: Vec<Item>, limit: usize) -> Result<Walk> {
    for item in items {
        let turns = match conversation_item(item)? {
            ConversationItem::Marker(MarkerKind::Summary, text) => {
                history.summary = Some(text);
                return Ok(Walk::Done);
            }
            ConversationItem::Marker(..) => return Ok(Walk::Done),
            ConversationItem::Resume(from) => return Ok(Walk::Jump(from)),
            ConversationItem::Turns(turns) => turns,
            ConversationItem::LastWord => continue,
        };
        for turn in turns {
            if history.turns.len() == limit {
                history.more = true;
                return Ok(Walk::Done);
            }
            history.turns.push(turn);
        }
    }
    Ok(Walk::Next)
}

/// What one item among a conversation's turns is.
pub(super) enum ConversationItem {
    /// One turn (the items before 2026-12), or an exchange's two, newest first.
    Turns(Vec<StoredTurn>),
    /// Where the history stops: a reset, or a summary (with its text).
    Marker(MarkerKind, String),
    /// A filed conversation opened again: it goes on before this sort key.
    Resume(String),
    /// The processor's last word on a message: no part of the conversation.
    LastWord,
}

/// Reads one item of a conversation's `T#` range.
pub(super) fn conversation_item(item: Item) -> Result<ConversationItem> {
    if item.contains_key("notice") {
        return Ok(ConversationItem::LastWord);
    }
    if item.contains_key("reply") {
        let x: ExchangeItem = from_item(item)?;
        let turn = |role, text| StoredTurn {
            turn: Turn { role, text },
            key: x.sk.clone(),
        };
        return Ok(ConversationItem::Turns(vec![
            turn(Role::Assistant, x.reply.clone()),
            turn(Role::User, x.text.clone()),
        ]));
    }
    let item: TurnItem = from_item(item)?;
    match (item.kind, item.role) {
        (Some(MarkerKind::Resume), _) => {
            Ok(ConversationItem::Resume(item.from.unwrap_or_default()))
        }
        (Some(kind), _) => Ok(ConversationItem::Marker(kind, item.text)),
        (None, Some(role)) => Ok(ConversationItem::Turns(vec![StoredTurn {
            turn: Turn {
                role,
                text: item.text,
            },
            key: item.sk,
        }])),
        (None, None) => Err(Failure::permanent(anyhow!(
            "unreadable {} item {} / {}: neither a role nor a kind",
            TurnItem::KIND,
            item.pk,
            item.sk
        ))),
    }
}

impl ConversationIndex for DynamoStore {
    async fn server_conversation(&self, chat: ConvId) -> Result<Option<String>> {
        let item: Option<ServerConversationItem> =
            self.get(keys::server_conversation(chat), true).await?;
        Ok(item.and_then(|c| c.conversation_id))
    }

    async fn set_server_conversation(&self, chat: ConvId, id: Option<&str>) -> Result<()> {
        // Every id ever set is kept in `ids`, so /forget can delete at the provider the
        // conversations /reset left behind as well as the current one.
        let (expression, mut values) = match id {
            Some(id) => (
                "SET conversation_id = :id, #at = :at ADD ids :ids",
                vec![
                    (":id", AttributeValue::S(id.to_owned())),
                    (":ids", AttributeValue::Ss(vec![id.to_owned()])),
                ],
            ),
            None => ("REMOVE conversation_id SET #at = :at", Vec::new()),
        };
        values.push((":at", AttributeValue::N(now_ms().to_string())));
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::server_conversation(chat).attributes()))
            .update_expression(expression)
            .expression_attribute_names("#at", "at")
            .set_expression_attribute_values(Some(
                values.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            ))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_err("UpdateItem", e))
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
            from: None,
        };
        tx.put("marker", &marker)?;
        // File the closed conversation under its title, in the same transaction.
        let current = keys::current_conversation(chat);
        let (open, server) = self.current_and_server(chat).await?;
        if let Some(open) = open {
            let Key { pk, sk } = keys::closed_conversation(chat, at_ms, id);
            let closed = ClosedConversationItem {
                pk,
                sk,
                title: open.title,
                started_at: open.started_at,
                closed_at: at_ms,
                conversation_id: server,
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
