//! `FragmentStore`: the parts of a long message held until the last one arrives.

#[allow(clippy::wildcard_imports)]
use super::*;
use items::FragmentsItem;

/// Held fragments are answered within seconds; the item outlives a crash by a little.
pub(super) const FRAGMENTS_TTL: i64 = 3600;

impl FragmentStore for DynamoStore {
    async fn held_fragments(&self, chat: ChatId) -> Result<HeldFragments> {
        let Some(held) = self
            .get::<FragmentsItem>(keys::fragments(chat), true)
            .await?
        else {
            return Ok(HeldFragments::default());
        };
        let messages =
            serde_json::from_str::<Vec<IncomingMessage>>(&held.messages).map_err(|e| {
                Failure::permanent(anyhow!(
                    "unreadable {} item {} / {}: messages: {e}",
                    FragmentsItem::KIND,
                    held.pk,
                    held.sk
                ))
            })?;
        Ok(HeldFragments {
            messages,
            claimed_by: held.claimed_by.map(UpdateId),
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
        let Key { pk, sk } = keys::fragments(chat);
        let held = FragmentsItem {
            pk,
            sk,
            messages: serde_json::to_string(messages).map_err(Failure::permanent)?,
            last_update: last.update_id.0,
            claimed_by: None,
            expires_at: now_secs() + FRAGMENTS_TTL,
        };
        let request = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(&held)?));
        let request = match replacing {
            None => request.condition_expression("attribute_not_exists(pk)"),
            Some(u) => request
                .condition_expression("last_update = :r AND attribute_not_exists(claimed_by)")
                .expression_attribute_values(":r", value(u.0)?),
        };
        written("PutItem", request.send().await)
    }

    async fn claim_fragments(&self, chat: ChatId, last: UpdateId, by: UpdateId) -> Result<bool> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::fragments(chat).attributes()))
            .update_expression("SET claimed_by = :by")
            .condition_expression(
                "last_update = :last AND (attribute_not_exists(claimed_by) OR claimed_by = :by)",
            )
            .expression_attribute_values(":by", value(by.0)?)
            .expression_attribute_values(":last", value(last.0)?)
            .send()
            .await;
        written("UpdateItem", result)
    }

    async fn release_fragments(&self, chat: ChatId, by: UpdateId) -> Result<()> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(keys::fragments(chat).attributes()))
            .condition_expression("claimed_by = :by")
            .expression_attribute_values(":by", value(by.0)?)
            .send()
            .await;
        written("DeleteItem", result).map(|_| ())
    }
}
