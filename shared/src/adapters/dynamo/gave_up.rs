//! The processor's last word on an update, next to its stored reply (`UPD#<id>`).

use aws_sdk_dynamodb::types::AttributeValue;

use super::{DynamoStore, REPLY_TTL, key, n, s, update_pk};
use crate::adapters::now_secs;
use crate::domain::{GaveUp, UpdateId};
use crate::error::Result;
use crate::ports::GiveUpLog;

const SK: &str = "GAVE_UP";

impl GiveUpLog for DynamoStore {
    async fn gave_up(&self, id: UpdateId) -> Result<Option<GaveUp>> {
        let Some(mut item) = self.get(update_pk(id), SK, true).await? else {
            return Ok(None);
        };
        let notice = match item.remove("notice") {
            Some(AttributeValue::S(text)) => text,
            _ => String::new(),
        };
        let kept = matches!(item.get("kept"), Some(AttributeValue::Bool(true)));
        Ok(Some(GaveUp { notice, kept }))
    }

    async fn record_gave_up(&self, id: UpdateId, word: &GaveUp) -> Result<()> {
        let mut item = key(update_pk(id), SK);
        item.insert("notice".into(), s(word.notice.clone()));
        item.insert("kept".into(), AttributeValue::Bool(word.kept));
        // As long as the record, or its copy in the dead-letter queue, can come back.
        item.insert("expires_at".into(), n(now_secs() + REPLY_TTL));
        self.write(item).await
    }
}
