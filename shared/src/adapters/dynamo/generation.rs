//! `GenerationLog`: the chat's `GENERATING` flag that a stop press clears.

#[allow(clippy::wildcard_imports)]
use super::*;
use items::GenerationItem;

/// A generation older than this is over whatever its item says (a crashed container).
pub(super) const GENERATION_TTL: i64 = 15 * 60;

impl GenerationLog for DynamoStore {
    async fn begin_generation(&self, chat: ChatId, draft_id: i64) -> Result<()> {
        let Key { pk, sk } = keys::generation(chat);
        let at = now_ms();
        self.write(&GenerationItem {
            pk,
            sk,
            draft_id,
            cancelled: false,
            at,
            expires_at: secs(at) + GENERATION_TTL,
        })
        .await
    }

    async fn generation_cancelled(&self, chat: ChatId, draft_id: i64) -> Result<bool> {
        let item: Option<GenerationItem> = self.get(keys::generation(chat), true).await?;
        // Another draft's flag says nothing about this one.
        Ok(item.is_some_and(|g| g.draft_id == draft_id && g.cancelled))
    }

    async fn end_generation(&self, chat: ChatId, draft_id: i64) -> Result<()> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(keys::generation(chat).attributes()))
            // A newer generation in the same chat keeps its item.
            .condition_expression("draft_id = :d")
            .expression_attribute_values(":d", value(draft_id)?)
            .send()
            .await;
        written("DeleteItem", result).map(|_| ())
    }

    async fn cancel_generation(&self, chat: ChatId, draft_id: Option<i64>) -> Result<bool> {
        let mut request = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::generation(chat).attributes()))
            .update_expression("SET cancelled = :t")
            .expression_attribute_values(":t", value(true)?)
            .expression_attribute_values(":now", value(now_secs())?);
        // An expired item may linger: TTL deletion is lazy.
        let live = "attribute_exists(pk) AND expires_at > :now";
        request = match draft_id {
            Some(d) => request
                .condition_expression(format!("{live} AND draft_id = :d"))
                .expression_attribute_values(":d", value(d)?),
            None => request.condition_expression(live),
        };
        written("UpdateItem", request.send().await)
    }
}
