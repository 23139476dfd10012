//! `DeliveryLog`: each outgoing message part recorded once delivered.

#[allow(clippy::wildcard_imports)]
use super::*;
use items::DeliveryItem;

impl DeliveryLog for DynamoStore {
    async fn was_delivered(&self, delivery_id: &DeliveryId) -> Result<bool> {
        // Only its existence matters: no attribute of it is read.
        Ok(self
            .get_item(keys::delivery(delivery_id.as_str()), true)
            .await?
            .is_some())
    }

    async fn mark_delivered(&self, delivery_id: &DeliveryId) -> Result<()> {
        let Key { pk, sk } = keys::delivery(delivery_id.as_str());
        let at = now_ms();
        self.write(&DeliveryItem {
            pk,
            sk,
            at,
            expires_at: secs(at) + DELIVERY_TTL,
        })
        .await
    }
}
