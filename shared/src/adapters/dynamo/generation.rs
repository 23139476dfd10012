//! `GenerationLog`: the chat's `GENERATING` flag that a stop press clears.

#[allow(clippy::wildcard_imports)]
use super::*;

/// A generation older than this is over whatever its item says (a crashed container).
pub(super) const GENERATION_TTL: i64 = 15 * 60;

impl GenerationLog for DynamoStore {
    async fn begin_generation(&self, chat: ChatId, draft_id: i64) -> Result<()> {
        let mut item = key(chat_pk(chat), "GENERATING");
        item.insert("draft_id".into(), n(draft_id));
        item.insert("cancelled".into(), AttributeValue::Bool(false));
        item.insert("at".into(), n(now_ms()));
        item.insert("expires_at".into(), n(now_secs() + GENERATION_TTL));
        self.write(item).await
    }

    async fn generation_cancelled(&self, chat: ChatId, draft_id: i64) -> Result<bool> {
        let Some(item) = self.get(chat_pk(chat), "GENERATING", true).await? else {
            return Ok(false);
        };
        let same =
            matches!(item.get("draft_id"), Some(AttributeValue::N(d)) if d.parse() == Ok(draft_id));
        Ok(same && matches!(item.get("cancelled"), Some(AttributeValue::Bool(true))))
    }

    async fn end_generation(&self, chat: ChatId, draft_id: i64) -> Result<()> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(chat_pk(chat), "GENERATING")))
            // A newer generation in the same chat keeps its item.
            .condition_expression("draft_id = :d")
            .expression_attribute_values(":d", n(draft_id))
            .send()
            .await;
        written("DeleteItem", result).map(|_| ())
    }

    async fn cancel_generation(&self, chat: ChatId, draft_id: Option<i64>) -> Result<bool> {
        let mut request = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(chat_pk(chat), "GENERATING")))
            .update_expression("SET cancelled = :t")
            .expression_attribute_values(":t", AttributeValue::Bool(true))
            .expression_attribute_values(":now", n(now_secs()));
        // An expired item may linger: TTL deletion is lazy.
        let live = "attribute_exists(pk) AND expires_at > :now";
        request = match draft_id {
            Some(d) => request
                .condition_expression(format!("{live} AND draft_id = :d"))
                .expression_attribute_values(":d", n(d)),
            None => request.condition_expression(live),
        };
        written("UpdateItem", request.send().await)
    }
}
