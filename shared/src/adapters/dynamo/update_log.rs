//! `UpdateLog`: each Telegram update recorded once it is on the queue (`UPD#<id>`, TTL
//! 2 days), so a Telegram retry is not enqueued again.

#[allow(clippy::wildcard_imports)]
use super::*;
use items::{ClaimStatus, UpdateClaimItem};

impl UpdateLog for DynamoStore {
    async fn claim_update(&self, id: UpdateId) -> Result<Claim> {
        // A read, not a conditional write: an update is recorded once, when it is on the
        // queue. Two deliveries racing both enqueue it, and the FIFO deduplication id
        // (the update's) keeps one; so does a delivery that died before recording it.
        let claim: Option<UpdateClaimItem> = self.get(keys::update_claim(id), true).await?;
        Ok(match claim.map(|c| c.status) {
            None => Claim::New,
            // Versions before 2026-12 wrote a pending claim before enqueueing.
            Some(ClaimStatus::Pending) => Claim::Unfinished,
            Some(ClaimStatus::Enqueued) => Claim::Done,
        })
    }

    async fn mark_enqueued(&self, id: UpdateId) -> Result<()> {
        let Key { pk, sk } = keys::update_claim(id);
        let at = now_ms();
        self.write(&UpdateClaimItem {
            pk,
            sk,
            status: ClaimStatus::Enqueued,
            at,
            expires_at: secs(at) + UPDATE_CLAIM_TTL,
        })
        .await
    }
}
