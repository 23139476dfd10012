//! `UpdateLog`: each Telegram update claimed once (`UPD#<id>`, TTL 2 days).

#[allow(clippy::wildcard_imports)]
use super::*;
use items::{ClaimStatus, UpdateClaimItem};

impl UpdateLog for DynamoStore {
    async fn claim_update(&self, id: UpdateId) -> Result<Claim> {
        let Key { pk, sk } = keys::update_claim(id);
        let at = now_ms();
        let claim = UpdateClaimItem {
            pk,
            sk,
            status: ClaimStatus::Pending,
            at,
            expires_at: secs(at) + UPDATE_CLAIM_TTL,
        };
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(&claim)?))
            // A pending claim may be retaken: the first delivery may have died before
            // enqueueing, and the FIFO deduplication id makes a second enqueue harmless.
            .condition_expression("attribute_not_exists(pk) OR #status = :pending")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":pending", value(ClaimStatus::Pending)?)
            .return_values(ReturnValue::AllOld)
            .send()
            .await;
        match result {
            Ok(out) if out.attributes.as_ref().is_some_and(|a| !a.is_empty()) => {
                Ok(Claim::Unfinished)
            }
            Ok(_) => Ok(Claim::New),
            Err(e) if is_condition_failure(&e) => Ok(Claim::Done),
            Err(e) => Err(sdk_err("PutItem", e)),
        }
    }

    async fn mark_enqueued(&self, id: UpdateId) -> Result<()> {
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::update_claim(id).attributes()))
            .update_expression("SET #status = :done")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":done", value(ClaimStatus::Enqueued)?)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_err("UpdateItem", e))
    }
}
