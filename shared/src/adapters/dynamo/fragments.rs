//! `FragmentStore`: the parts of a long message held until the last one arrives.

#[allow(clippy::wildcard_imports)]
use super::*;

/// Held fragments are answered within seconds; the item outlives a crash by a little.
pub(super) const FRAGMENTS_TTL: i64 = 3600;

impl FragmentStore for DynamoStore {
    async fn held_fragments(&self, chat: ChatId) -> Result<HeldFragments> {
        let Some(item) = self.get(chat_pk(chat), "FRAGMENTS", true).await? else {
            return Ok(HeldFragments::default());
        };
        let messages = match item.get("messages") {
            Some(AttributeValue::S(json)) => serde_json::from_str::<Vec<IncomingMessage>>(json)
                .map_err(|e| Failure::permanent(anyhow!("unreadable held fragments: {e}")))?,
            _ => Vec::new(),
        };
        let claimed_by = match item.get("claimed_by") {
            Some(AttributeValue::N(u)) => u.parse().ok().map(UpdateId),
            _ => None,
        };
        Ok(HeldFragments {
            messages,
            claimed_by,
        })
    }

    async fn hold_fragments(
        &self,
        chat: ChatId,
        messages: &[IncomingMessage],
        replacing: Option<UpdateId>,
    ) -> Result<bool> {
        let Some(last) = messages.last() else {
            return Ok(true);
        };
        let mut item = key(chat_pk(chat), "FRAGMENTS");
        item.insert(
            "messages".into(),
            s(serde_json::to_string(messages).map_err(Failure::permanent)?),
        );
        item.insert("last_update".into(), n(last.update_id.0));
        item.insert("expires_at".into(), n(now_secs() + FRAGMENTS_TTL));
        let request = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item));
        let request = match replacing {
            None => request.condition_expression("attribute_not_exists(pk)"),
            Some(u) => request
                .condition_expression("last_update = :r AND attribute_not_exists(claimed_by)")
                .expression_attribute_values(":r", n(u.0)),
        };
        written("PutItem", request.send().await)
    }

    async fn claim_fragments(&self, chat: ChatId, last: UpdateId, by: UpdateId) -> Result<bool> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(chat_pk(chat), "FRAGMENTS")))
            .update_expression("SET claimed_by = :by")
            .condition_expression(
                "last_update = :last AND (attribute_not_exists(claimed_by) OR claimed_by = :by)",
            )
            .expression_attribute_values(":by", n(by.0))
            .expression_attribute_values(":last", n(last.0))
            .send()
            .await;
        written("UpdateItem", result)
    }

    async fn release_fragments(&self, chat: ChatId, by: UpdateId) -> Result<()> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(chat_pk(chat), "FRAGMENTS")))
            .condition_expression("claimed_by = :by")
            .expression_attribute_values(":by", n(by.0))
            .send()
            .await;
        written("DeleteItem", result).map(|_| ())
    }
}
