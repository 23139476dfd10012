//! `ConversationShelf`: the current and filed conversations of a `CHAT#<conv>` partition.
//!
//! A conversation's turns are one stretch of the partition's `T#` range, from the marker
//! that began it to the one that filed it. Opening a filed conversation writes a resume
//! marker whose `from` points at where that stretch ends, so reading the current
//! conversation newest first goes on there: no turn is copied or moved.

use super::conversation::{ConversationItem, Walk, conversation_item, resume_at};
use super::items::{
    ClosedConversationItem, CurrentConversationItem, GuardItem, Item, MarkerKind,
    ServerConversationItem, TurnItem, from_item, value,
};
use super::keys::{self, Key};
use super::transaction::{Committed, Transaction};
use super::{DynamoStore, HISTORY_TTL, REPLY_TTL, Result, sdk_err, secs, written};
use crate::domain::shelf::{Entry, FiledId, Listed, Transcript, Which};
use crate::domain::{ConvId, UpdateId};
use crate::ports::{ConversationShelf, Deleted};

/// Items read per page when a conversation is read whole.
const PAGE: usize = 100;

fn sk_of(item: &Item) -> String {
    item.get("sk")
        .and_then(|v| v.as_s().ok())
        .cloned()
        .unwrap_or_default()
}

/// The id of the filed conversation at sort key `sk` (`CONV#<ms:13>#<update>`).
fn filed_id(sk: &str) -> Option<FiledId> {
    let rest = sk.strip_prefix(keys::CLOSED_CONVERSATION_PREFIX)?;
    let (ms, update) = rest.split_once('#')?;
    Some(FiledId {
        filed_at_ms: ms.parse().ok()?,
        update: UpdateId(update.parse().ok()?),
    })
}

/// Where a filed conversation's turns end: the marker written when it was filed.
fn end_of(conv: ConvId, id: FiledId) -> String {
    keys::conversation_start(conv, id.filed_at_ms, id.update).sk
}

impl DynamoStore {
    /// The current conversation's listing and its provider-side id, in one BatchGetItem.
    pub(super) async fn current_and_server(
        &self,
        conv: ConvId,
    ) -> Result<(Option<CurrentConversationItem>, Option<String>)> {
        let current = keys::current_conversation(conv);
        let found = self
            .batch_items(&[current.clone(), keys::server_conversation(conv)], true)
            .await?;
        let (mut open, mut server) = (None, None);
        for item in found {
            if sk_of(&item) == current.sk {
                open = Some(from_item::<CurrentConversationItem>(item)?);
            } else {
                server = from_item::<ServerConversationItem>(item)?.conversation_id;
            }
        }
        Ok((open, server))
    }

    /// Reads a conversation newest first from before `from` (the newest item when
    /// `None`), across the places it was opened again, until the marker that began it;
    /// `visit` gets each item's sort key and reading, and returns false to stop.
    async fn walk(
        &self,
        conv: ConvId,
        from: Option<String>,
        mut visit: impl FnMut(String, ConversationItem) -> bool + Send,
    ) -> Result<()> {
        let pk = keys::chat_pk(conv);
        let mut start = from.map(|sk| resume_at(&pk, sk));
        loop {
            let (items, next) = self
                .newest_page(pk.clone(), keys::TURN_PREFIX, PAGE, start.take())
                .await?;
            let mut walk = Walk::Next;
            for item in items {
                let sk = sk_of(&item);
                match conversation_item(item)? {
                    ConversationItem::Marker(MarkerKind::Summary, text) => {
                        if !visit(sk, ConversationItem::Marker(MarkerKind::Summary, text)) {
                            return Ok(());
                        }
                    }
                    ConversationItem::Marker(..) => return Ok(()),
                    ConversationItem::Resume(from) => {
                        visit(sk, ConversationItem::Resume(from.clone()));
                        walk = Walk::Jump(from);
                        break;
                    }
                    other => {
                        if !visit(sk, other) {
                            return Ok(());
                        }
                    }
                }
            }
            start = match walk {
                Walk::Jump(from) => Some(resume_at(&pk, from)),
                _ => match next {
                    Some(key) => Some(key),
                    None => return Ok(()),
                },
            };
        }
    }
}

impl ConversationShelf for DynamoStore {
    async fn shelf(&self, conv: ConvId, limit: usize) -> Result<Vec<Listed>> {
        // `CURRENT` sorts right after every `CONV#…`: one Query, newest first, reads both.
        let current = keys::current_conversation(conv);
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND sk BETWEEN :first AND :current")
            .expression_attribute_values(":pk", value(keys::chat_pk(conv))?)
            .expression_attribute_values(":first", value(keys::CLOSED_CONVERSATION_PREFIX)?)
            .expression_attribute_values(":current", value(&current.sk)?)
            .scan_index_forward(false)
            .limit(i32::try_from(limit).unwrap_or(i32::MAX))
            .send()
            .await
            .map_err(|e| sdk_err("Query", e))?;
        let mut listed = Vec::new();
        for item in out.items.unwrap_or_default() {
            let sk = sk_of(&item);
            if sk == current.sk {
                let c: CurrentConversationItem = from_item(item)?;
                listed.push(Listed {
                    which: Which::Current,
                    title: c.title,
                    started_at_ms: c.started_at,
                });
            } else if let Some(id) = filed_id(&sk) {
                let c: ClosedConversationItem = from_item(item)?;
                listed.push(Listed {
                    which: Which::Filed(id),
                    title: c.title,
                    started_at_ms: c.started_at,
                });
            }
        }
        Ok(listed)
    }

    async fn reopen(
        &self,
        conv: ConvId,
        filed: FiledId,
        update: UpdateId,
        at_ms: i64,
    ) -> Result<bool> {
        let filed_key = keys::closed_conversation(conv, filed.filed_at_ms, filed.update);
        let Some(opened) = self
            .get::<ClosedConversationItem>(filed_key.clone(), true)
            .await?
        else {
            return Ok(false);
        };
        let (current, server) = self.current_and_server(conv).await?;
        let mut tx = Transaction::new(&self.table);
        // A redelivered press changes nothing more.
        let Key { pk, sk } = keys::reset_guard(update);
        let expires_at = secs(at_ms) + REPLY_TTL;
        tx.put_new("guard", &GuardItem { pk, sk, expires_at })?;
        let Key { pk, sk } = keys::conversation_start(conv, at_ms, update);
        let marker = TurnItem {
            pk,
            sk,
            role: None,
            text: String::new(),
            kind: Some(MarkerKind::Resume),
            at: at_ms,
            expires_at: secs(at_ms) + HISTORY_TTL,
            from: Some(end_of(conv, filed)),
        };
        tx.put("marker", &marker)?;
        if let Some(current) = current {
            let Key { pk, sk } = keys::closed_conversation(conv, at_ms, update);
            let closed = ClosedConversationItem {
                pk,
                sk,
                title: current.title,
                started_at: current.started_at,
                closed_at: at_ms,
                conversation_id: server.clone(),
            };
            tx.put("filed", &closed)?;
        }
        if server.is_some() || opened.conversation_id.is_some() {
            let Key { pk, sk } = keys::server_conversation(conv);
            let item = ServerConversationItem {
                pk,
                sk,
                conversation_id: opened.conversation_id,
                at: at_ms,
            };
            tx.put("server", &item)?;
        }
        let Key { pk, sk } = keys::current_conversation(conv);
        let reopened = CurrentConversationItem {
            pk,
            sk,
            title: opened.title,
            started_at: opened.started_at,
        };
        tx.put("current", &reopened)?;
        tx.delete("opened", filed_key)?;
        match tx.commit(&self.client).await? {
            Committed::Yes => Ok(true),
            Committed::Refused(refused) if refused.on("guard") => Ok(true),
            Committed::Refused(refused) => Err(refused.into_error()),
        }
    }

    async fn rename(&self, conv: ConvId, which: Which, title: &str) -> Result<bool> {
        let key = match which {
            Which::Current => keys::current_conversation(conv),
            Which::Filed(id) => keys::closed_conversation(conv, id.filed_at_ms, id.update),
        };
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key.attributes()))
            .update_expression("SET title = :title")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":title", value(title)?)
            .send()
            .await;
        written("UpdateItem", result)
    }

    async fn delete(&self, conv: ConvId, which: Which) -> Result<Deleted> {
        let pk = keys::chat_pk(conv);
        let mut doomed = Vec::new();
        let (from, server) = match which {
            Which::Filed(id) => {
                let listing = keys::closed_conversation(conv, id.filed_at_ms, id.update);
                let Some(item) = self
                    .get::<ClosedConversationItem>(listing.clone(), true)
                    .await?
                else {
                    return Ok(Deleted::Gone);
                };
                doomed.push(listing);
                (Some(end_of(conv, id)), item.conversation_id)
            }
            Which::Current => {
                let (current, server) = self.current_and_server(conv).await?;
                if current.is_none() {
                    return Ok(Deleted::Gone);
                }
                doomed.push(keys::current_conversation(conv));
                if server.is_some() {
                    doomed.push(keys::server_conversation(conv));
                }
                (None, server)
            }
        };
        // Turns, notes and last words. The markers stay: they carry no words, and they
        // keep every other conversation's stretch where it was.
        let mut items = Vec::new();
        self.walk(conv, from, |sk, item| {
            if !matches!(item, ConversationItem::Resume(_)) {
                items.push(Key { pk: pk.clone(), sk });
            }
            true
        })
        .await?;
        tracing::info!(items = items.len(), "deleting a conversation");
        // The listing last: a deletion cut short is found and finished by a redelivery.
        items.extend(doomed);
        self.delete_keys(items).await?;
        Ok(Deleted::Done {
            server_conversation: server,
        })
    }

    async fn transcript(&self, conv: ConvId, which: Which, max_turns: usize) -> Result<Transcript> {
        let (listing, from) = match which {
            Which::Current => {
                let item: Option<CurrentConversationItem> =
                    self.get(keys::current_conversation(conv), true).await?;
                (item.map(|c| (c.title, c.started_at)), None)
            }
            Which::Filed(id) => {
                let key = keys::closed_conversation(conv, id.filed_at_ms, id.update);
                let Some(item) = self.get::<ClosedConversationItem>(key, true).await? else {
                    return Ok(Transcript::default());
                };
                (Some((item.title, item.started_at)), Some(end_of(conv, id)))
            }
        };
        let mut entries = Vec::new();
        let mut turns = 0;
        let mut cut = false;
        self.walk(conv, from, |_, item| {
            match item {
                ConversationItem::Turns(said) => {
                    if turns >= max_turns {
                        cut = true;
                        return false;
                    }
                    for t in said {
                        turns += 1;
                        entries.push(Entry::Turn(t.turn));
                    }
                }
                ConversationItem::Marker(MarkerKind::Summary, text) => {
                    entries.push(Entry::Notes(text));
                }
                _ => {}
            }
            true
        })
        .await?;
        // Read newest first (an exchange's answer before its question): oldest first now.
        entries.reverse();
        Ok(Transcript {
            title: listing.as_ref().map(|(title, _)| title.clone()),
            started_at_ms: listing.map(|(_, started)| started),
            entries,
            cut,
        })
    }
}
