//! `DeliveryLog`: each outgoing message part recorded once delivered.

#[allow(clippy::wildcard_imports)]
use super::*;

impl DeliveryLog for DynamoStore {
    async fn was_delivered(&self, delivery_id: &DeliveryId) -> Result<bool> {
        Ok(self
            .get(format!("DLV#{delivery_id}"), "SENT", true)
            .await?
            .is_some())
    }

    async fn mark_delivered(&self, delivery_id: &DeliveryId) -> Result<()> {
        let mut item = key(format!("DLV#{delivery_id}"), "SENT");
        item.insert("at".into(), n(now_ms()));
        item.insert("expires_at".into(), n(now_secs() + DELIVERY_TTL));
        self.write(item).await
    }
}
