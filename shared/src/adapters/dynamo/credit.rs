//! `CreditStore`: credits granted with `/grant`, kept on the profile.

#[allow(clippy::wildcard_imports)]
use super::*;

impl CreditStore for DynamoStore {
    async fn grant_credits(
        &self,
        user: UserId,
        delta: i64,
        by: UserId,
        update: UpdateId,
    ) -> Result<i64> {
        let at = now_ms();
        // The guard makes a redelivered /grant a no-op.
        let mut guard = key(update_pk(update), "GRANT");
        guard.insert("expires_at".into(), n(now_secs() + REPLY_TTL));
        let mut entry = key(user_pk(user), format!("LEDGER#{at:013}#{update}"));
        entry.insert("delta".into(), n(delta));
        entry.insert("reason".into(), s(format!("grant by {by}")));
        entry.insert("update_id".into(), n(update.0));
        let balance = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(user_pk(user), "PROFILE")))
            .update_expression("ADD credits :d")
            .expression_attribute_values(":d", n(delta))
            .build()
            .map_err(|e| Failure::permanent(anyhow!("{e}")))?;
        let items = vec![
            self.put_new(guard)?,
            TransactWriteItem::builder().update(balance).build(),
            self.put(entry)?,
        ];
        match self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) if condition_failed_at(&e, 0) => {}
            Err(e) => return Err(sdk_err("TransactWriteItems", e)),
        }
        Ok(self.profile(user.into()).await?.credits)
    }
}
