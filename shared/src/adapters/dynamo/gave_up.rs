//! The processor's last word on an update, on the item its answer would have (the
//! exchange's key in the conversation): the same read finds either.

use super::items::{AnswerItem, ExchangeItem, Item, LastWordItem, from_item, to_item};
use super::keys::{self, Key};
use super::{DynamoStore, REPLY_TTL, secs, written};
use crate::adapters::now_ms;
use crate::domain::GaveUp;
use crate::error::Result;
use crate::ports::{GiveUpLog, ReplySlot, StoredReply};

/// The write condition of an answer: nothing stored yet, or only a last word (a redrive).
pub(super) const ANSWER_CONDITION: &str = "attribute_not_exists(pk) OR attribute_exists(notice)";

/// What an item at an answer's key says, if it is one: a last word has a `notice`, an
/// exchange its `reply`; an item with neither is the answer older versions stored under
/// the update (`keys::legacy_reply`).
pub(super) fn stored(item: Item) -> Result<StoredReply> {
    if item.contains_key("notice") {
        let word: LastWordItem = from_item(item)?;
        return Ok(StoredReply::LastWord(GaveUp {
            notice: word.notice,
            kept: word.kept,
        }));
    }
    if item.contains_key("reply") {
        let exchange: ExchangeItem = from_item(item)?;
        return Ok(StoredReply::Answer(exchange.reply));
    }
    let answer: AnswerItem = from_item(item)?;
    Ok(StoredReply::Answer(answer.text))
}

impl GiveUpLog for DynamoStore {
    async fn record_gave_up(&self, slot: ReplySlot, word: &GaveUp) -> Result<()> {
        let Key { pk, sk } = keys::exchange(slot.conversation, slot.sent_ms, slot.update_id);
        let item = LastWordItem {
            pk,
            sk,
            notice: word.notice.clone(),
            kept: word.kept,
            // As long as the record, or its copy in the dead-letter queue, can come back.
            expires_at: secs(now_ms()) + REPLY_TTL,
        };
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(&item)?))
            // An answer stored meanwhile (the outbox failed after it) stays.
            .condition_expression(ANSWER_CONDITION)
            .send()
            .await;
        written("PutItem", result).map(|_| ())
    }
}
