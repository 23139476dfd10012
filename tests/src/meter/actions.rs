//! The IAM actions one request needs, as the service authorises it: most operations are
//! their own action, but a DynamoDB transaction is checked item by item against the
//! single-item actions (a `Put` in `TransactWriteItems` needs `dynamodb:PutItem`).

use serde_json::Value;

/// The actions `operation` of `service` (as the meter names them) needs, given its request.
pub fn needed(service: &str, operation: &str, request: &Value) -> Vec<String> {
    let prefix = match service {
        "DynamoDB" => "dynamodb",
        "SQS" => "sqs",
        "SecretsManager" => "secretsmanager",
        _ => return vec![format!("unknown:{operation}")],
    };
    let items = request["TransactItems"].as_array().into_iter().flatten();
    let mut actions: Vec<String> = match operation {
        "TransactWriteItems" => items
            .filter_map(|item| {
                let kind = item.as_object()?.keys().next()?.as_str();
                Some(match kind {
                    "Put" => "PutItem",
                    "Update" => "UpdateItem",
                    "Delete" => "DeleteItem",
                    "ConditionCheck" => "ConditionCheckItem",
                    other => other,
                })
            })
            .map(|a| format!("dynamodb:{a}"))
            .collect(),
        "TransactGetItems" => vec!["dynamodb:GetItem".to_owned()],
        _ => vec![format!("{prefix}:{operation}")],
    };
    actions.sort();
    actions.dedup();
    actions
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_transaction_needs_each_item_action_and_nothing_else() {
        let request = json!({"TransactItems": [
            {"Put": {}}, {"Update": {}}, {"ConditionCheck": {}}, {"Put": {}}, {"Delete": {}}
        ]});
        assert_eq!(
            needed("DynamoDB", "TransactWriteItems", &request),
            [
                "dynamodb:ConditionCheckItem",
                "dynamodb:DeleteItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem"
            ]
        );
        assert_eq!(
            needed("DynamoDB", "TransactGetItems", &json!({})),
            ["dynamodb:GetItem"]
        );
        assert_eq!(
            needed("SQS", "SendMessage", &json!({})),
            ["sqs:SendMessage"]
        );
    }
}
