//! What one DynamoDB request costs, from its request and response bodies. Item sizes an
//! update or delete leaves (or removes) are not in either body, so they are looked up in
//! moto directly, outside the meter.

use serde_json::Value;

use super::units::{item_size, read_units, write_units};

/// Looks an item up by table and key (DynamoDB JSON), unmetered: its size, if it exists.
pub trait Lookup {
    /// The item's size in bytes, 0 when there is none.
    fn size(&self, table: &str, key: &Value) -> impl Future<Output = usize> + Send;
}

/// Read and write units of one request.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Units {
    /// Read capacity units.
    pub read: f64,
    /// Write capacity units.
    pub write: f64,
}

/// Sizes of the items a request deletes, taken before it is sent.
pub async fn sizes_before(operation: &str, request: &Value, lookup: &impl Lookup) -> Vec<usize> {
    let mut sizes = Vec::new();
    match operation {
        "DeleteItem" => sizes.push(size_of(request, lookup).await),
        "TransactWriteItems" => {
            for item in list(&request["TransactItems"]) {
                if let Some(delete) = item.get("Delete") {
                    sizes.push(size_of(delete, lookup).await);
                }
            }
        }
        _ => {}
    }
    sizes
}

async fn size_of(target: &Value, lookup: &impl Lookup) -> usize {
    let table = target["TableName"].as_str().unwrap_or_default();
    lookup.size(table, &target["Key"]).await
}

fn list(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

/// The units `operation` consumed, given what was sent, what came back, and the sizes of
/// deleted items (`sizes_before`).
pub async fn units(
    operation: &str,
    request: &Value,
    response: &Value,
    deleted: &[usize],
    lookup: &impl Lookup,
) -> Units {
    let consistent = request["ConsistentRead"].as_bool() == Some(true);
    let mut units = Units::default();
    match operation {
        "GetItem" => units.read = read_units(item_size(&response["Item"]), consistent, false),
        "Query" | "Scan" => {
            let total = list(&response["Items"]).map(item_size).sum();
            units.read = read_units(total, consistent, false);
        }
        "BatchGetItem" => units.read = batch_get(request, response),
        "TransactGetItems" => {
            units.read = list(&response["Responses"])
                .map(|r| read_units(item_size(&r["Item"]), true, true))
                .sum();
        }
        "PutItem" => units.write = write_units(item_size(&request["Item"]), false),
        "UpdateItem" => units.write = write_units(size_of(request, lookup).await, false),
        "DeleteItem" => units.write = write_units(deleted.first().copied().unwrap_or(0), false),
        "BatchWriteItem" => units.write = batch_write(request),
        "TransactWriteItems" => units.write = transact_write(request, deleted, lookup).await,
        _ => {}
    }
    units
}

/// Each key of a batch is read as its own GetItem: a found item by its size, a missing
/// one at the minimum ("a read of an item that does not exist still consumes" it). Keys
/// handed back unprocessed were not read.
fn batch_get(request: &Value, response: &Value) -> f64 {
    let mut read = 0.0;
    for (table, asked) in request["RequestItems"].as_object().into_iter().flatten() {
        let consistent = asked["ConsistentRead"].as_bool() == Some(true);
        let found: Vec<&Value> = list(&response["Responses"][table]).collect();
        let unprocessed = list(&response["UnprocessedKeys"][table]["Keys"]).count();
        let missing = list(&asked["Keys"])
            .count()
            .saturating_sub(found.len() + unprocessed);
        read += found
            .iter()
            .map(|i| read_units(item_size(i), consistent, false))
            .sum::<f64>();
        read += missing as f64 * read_units(0, consistent, false);
    }
    read
}

fn batch_write(request: &Value) -> f64 {
    let mut write = 0.0;
    for requests in request["RequestItems"].as_object().into_iter().flatten() {
        for r in list(requests.1) {
            write += match r.get("PutRequest") {
                Some(put) => write_units(item_size(&put["Item"]), false),
                None => 1.0,
            };
        }
    }
    write
}

async fn transact_write(request: &Value, deleted: &[usize], lookup: &impl Lookup) -> f64 {
    let mut write = 0.0;
    let mut deleted = deleted.iter();
    for item in list(&request["TransactItems"]) {
        write += if let Some(put) = item.get("Put") {
            write_units(item_size(&put["Item"]), true)
        } else if let Some(update) = item.get("Update") {
            write_units(size_of(update, lookup).await, true)
        } else if item.get("Delete").is_some() {
            write_units(deleted.next().copied().unwrap_or(0), true)
        } else if let Some(check) = item.get("ConditionCheck") {
            // A condition check is charged like a transactional write of the item.
            write_units(size_of(check, lookup).await, true)
        } else {
            0.0
        };
    }
    write
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_batch_read_charges_missing_keys_at_the_minimum_and_unprocessed_ones_nothing() {
        let key = |k: &str| json!({"pk": {"S": k}, "sk": {"S": "X"}});
        let request = |consistent: bool| {
            json!({"RequestItems": {"t": {
                "Keys": [key("a"), key("b"), key("c")],
                "ConsistentRead": consistent,
            }}})
        };
        let found = json!({"pk": {"S": "a"}, "sk": {"S": "X"}, "text": {"S": "x".repeat(5000)}});
        let response = json!({
            "Responses": {"t": [found]},
            "UnprocessedKeys": {"t": {"Keys": [key("c")]}},
        });
        // The 5 KB item is two 4 KB units; the missing "b" one more.
        assert_eq!(batch_get(&request(true), &response), 3.0);
        assert_eq!(batch_get(&request(false), &response), 1.5);
        let none = json!({"Responses": {"t": []}});
        assert_eq!(batch_get(&request(true), &none), 3.0);
    }
}
