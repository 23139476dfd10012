//! One `TransactWriteItems`, its items by name: DynamoDB reports a failed condition by
//! position, and the names say which position is which.

use anyhow::anyhow;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem};

use super::items::{Item, Record, to_item};
use super::keys::Key;
use super::sdk_err;
use crate::error::{Failure, Result};

/// The condition of an item that may only be created.
const ABSENT: &str = "attribute_not_exists(pk)";

/// Items of one transaction, each under a name.
pub(super) struct Transaction<'a> {
    table: &'a str,
    items: Vec<TransactWriteItem>,
    names: Vec<&'static str>,
}

/// What became of a transaction that was sent.
pub(super) enum Committed {
    /// Every item was written.
    Yes,
    /// Cancelled because conditions failed; nothing was written.
    Refused(Refused),
}

/// The items whose condition failed, and the error to report when the caller has no use
/// for that.
pub(super) struct Refused {
    names: Vec<&'static str>,
    error: Failure,
}

impl Refused {
    /// Whether the item called `name` failed its condition.
    pub(super) fn on(&self, name: &str) -> bool {
        self.names.contains(&name)
    }

    /// The refusal as an error, for a caller that expected none.
    pub(super) fn into_error(self) -> Failure {
        self.error
    }
}

fn built<T, E: std::fmt::Display>(result: std::result::Result<T, E>) -> Result<T> {
    result.map_err(|e| Failure::permanent(anyhow!("{e}")))
}

impl<'a> Transaction<'a> {
    /// An empty transaction on `table`.
    pub(super) fn new(table: &'a str) -> Self {
        Self {
            table,
            items: Vec::new(),
            names: Vec::new(),
        }
    }

    fn add(&mut self, name: &'static str, item: TransactWriteItem) {
        self.items.push(item);
        self.names.push(name);
    }

    fn put_item(&mut self, name: &'static str, item: Item, condition: Option<&str>) -> Result<()> {
        let put = Put::builder()
            .table_name(self.table)
            .set_item(Some(item))
            .set_condition_expression(condition.map(str::to_owned));
        let put = built(put.build())?;
        self.add(name, TransactWriteItem::builder().put(put).build());
        Ok(())
    }

    /// Writes `record`, whatever is there.
    pub(super) fn put<T: Record>(&mut self, name: &'static str, record: &T) -> Result<()> {
        self.put_item(name, to_item(record)?, None)
    }

    /// Writes `record` only if its key holds nothing yet.
    pub(super) fn put_new<T: Record>(&mut self, name: &'static str, record: &T) -> Result<()> {
        self.put_item(name, to_item(record)?, Some(ABSENT))
    }

    /// Writes `record` only if `condition` holds for what is there.
    pub(super) fn put_if<T: Record>(
        &mut self,
        name: &'static str,
        record: &T,
        condition: &str,
    ) -> Result<()> {
        self.put_item(name, to_item(record)?, Some(condition))
    }

    /// An `UpdateItem` of `key`; `update` holds the expression and its values.
    pub(super) fn update(
        &mut self,
        name: &'static str,
        key: Key,
        update: UpdateBuilder,
    ) -> Result<()> {
        let update = update
            .table_name(self.table)
            .set_key(Some(key.attributes()));
        let update = built(update.build())?;
        self.add(name, TransactWriteItem::builder().update(update).build());
        Ok(())
    }

    /// Deletes the item at `key`.
    pub(super) fn delete(&mut self, name: &'static str, key: Key) -> Result<()> {
        let delete = Delete::builder()
            .table_name(self.table)
            .set_key(Some(key.attributes()));
        let delete = built(delete.build())?;
        self.add(name, TransactWriteItem::builder().delete(delete).build());
        Ok(())
    }

    /// Sends the transaction: one request.
    pub(super) async fn commit(self, client: &Client) -> Result<Committed> {
        let Self { items, names, .. } = self;
        let result = client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await;
        let Err(e) = result else {
            return Ok(Committed::Yes);
        };
        let failed: Vec<&'static str> = match e.as_service_error() {
            Some(TransactWriteItemsError::TransactionCanceledException(tc)) => tc
                .cancellation_reasons()
                .iter()
                .zip(&names)
                .filter(|(reason, _)| reason.code() == Some("ConditionalCheckFailed"))
                .map(|(_, name)| *name)
                .collect(),
            _ => Vec::new(),
        };
        if failed.is_empty() {
            return Err(sdk_err("TransactWriteItems", e));
        }
        let error = Failure::retryable(anyhow!(
            "DynamoDB TransactWriteItems: condition failed on {failed:?}: {}",
            DisplayErrorContext(e)
        ));
        Ok(Committed::Refused(Refused {
            names: failed,
            error,
        }))
    }
}
