//! `CreditStore`: credits granted with `/grant`, kept on the profile.

#[allow(clippy::wildcard_imports)]
use super::*;
use items::{GuardItem, LedgerItem};

impl CreditStore for DynamoStore {
    async fn grant_credits(
        &self,
        user: UserId,
        delta: i64,
        by: UserId,
        update: UpdateId,
    ) -> Result<i64> {
        let at = now_ms();
        let mut tx = Transaction::new(&self.table);
        // The guard makes a redelivered /grant a no-op.
        let Key { pk, sk } = keys::grant_guard(update);
        let guard = GuardItem {
            pk,
            sk,
            expires_at: secs(at) + REPLY_TTL,
        };
        tx.put_new("guard", &guard)?;
        let balance = Update::builder()
            .update_expression("ADD credits :d")
            .expression_attribute_values(":d", value(delta)?);
        tx.update("balance", keys::profile(user), balance)?;
        let Key { pk, sk } = keys::ledger_entry(user, at, update);
        let entry = LedgerItem {
            pk,
            sk,
            delta,
            reason: format!("grant by {by}"),
            update_id: update.0,
        };
        tx.put("ledger", &entry)?;
        match tx.commit(&self.client).await? {
            Committed::Yes => {}
            Committed::Refused(refused) if refused.on("guard") => {}
            Committed::Refused(refused) => return Err(refused.into_error()),
        }
        Ok(self.profile(user.into()).await?.credits)
    }
}
