//! The processor's last word on an update, on the item its answer would have
//! (`UPD#<id>` / `REPLY`): the same read finds either.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

use super::{DynamoStore, REPLY_TTL, is_condition_failure, key, n, s, sdk_err, update_pk};
use crate::adapters::now_secs;
use crate::domain::{GaveUp, UpdateId};
use crate::error::Result;
use crate::ports::{GiveUpLog, StoredReply};

/// The reply item's sort key.
pub(super) const REPLY: &str = "REPLY";
/// Only a last word carries it.
const NOTICE: &str = "notice";

/// The write condition of an answer: nothing stored yet, or only a last word (a redrive).
pub(super) const ANSWER_CONDITION: &str = "attribute_not_exists(pk) OR attribute_exists(notice)";

/// Reads a reply item.
pub(super) fn stored(mut item: HashMap<String, AttributeValue>) -> Option<StoredReply> {
    if let Some(AttributeValue::S(notice)) = item.remove(NOTICE) {
        let kept = matches!(item.get("kept"), Some(AttributeValue::Bool(true)));
        return Some(StoredReply::LastWord(GaveUp { notice, kept }));
    }
    match item.remove("text") {
        Some(AttributeValue::S(text)) => Some(StoredReply::Answer(text)),
        _ => None,
    }
}

impl GiveUpLog for DynamoStore {
    async fn record_gave_up(&self, id: UpdateId, word: &GaveUp) -> Result<()> {
        let mut item = key(update_pk(id), REPLY);
        item.insert(NOTICE.into(), s(word.notice.clone()));
        item.insert("kept".into(), AttributeValue::Bool(word.kept));
        // As long as the record, or its copy in the dead-letter queue, can come back.
        item.insert("expires_at".into(), n(now_secs() + REPLY_TTL));
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            // An answer stored meanwhile (the outbox failed after it) stays.
            .condition_expression(ANSWER_CONDITION)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if is_condition_failure(&e) => Ok(()),
            Err(e) => Err(sdk_err("PutItem", e)),
        }
    }
}
