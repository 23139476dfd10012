//! What provisioning creates in moto is what `template.yaml` declares: every queue's
//! attributes and redrive policy, the table's keys, billing, TTL, recovery and
//! encryption, and the secrets' descriptions, read back through the SDK and compared with
//! the template's own YAML (not with the provisioning code's reading of it).

use std::collections::HashMap;

use aws_sdk_sqs::types::QueueAttributeName;
use serde_yaml_ng::Value as Yaml;
use shared::app::Clients;
use testkit::provision::{Plan, ProvisionOptions, Resources, provision};
use testkit::services::{Moto, aws_clients, free_port};

use crate::env::TestEnv;
use testkit::provision::raw::{raw_resources, raw_template, text};

/// Everything the template declares, created in the shared moto with no overrides.
async fn provisioned() -> (Clients, Resources) {
    let moto = Moto::shared().expect("moto");
    let clients = aws_clients(&moto.endpoint).await;
    let plan = Plan::load().expect("template.yaml derives a plan");
    let secrets = plan
        .secrets
        .iter()
        .map(|s| {
            (
                s.logical_id.clone(),
                format!(r#"{{"of":"{}"}}"#, s.logical_id),
            )
        })
        .collect();
    let opts = ProvisionOptions {
        prefix: format!("tpl{}", free_port().expect("a number")),
        visibility_timeout_secs: None,
        max_receive_count: None,
        secrets,
    };
    let resources = provision(&clients, &plan, &opts)
        .await
        .expect("provisioned");
    (clients, resources)
}

async fn queue_attributes(clients: &Clients, url: &str) -> HashMap<String, String> {
    clients
        .sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await
        .expect("GetQueueAttributes")
        .attributes
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k.as_str().to_owned(), v))
        .collect()
}

#[tokio::test]
async fn queues_in_moto_have_the_template_attributes_and_dead_letter_queues() {
    let (clients, resources) = provisioned().await;
    let raw = raw_template();
    let queues = raw_resources(&raw, "AWS::SQS::Queue");
    assert!(queues.len() >= 7, "the bot's seven queues");
    for (id, properties) in queues {
        let attributes = queue_attributes(&clients, &resources.refs[id]).await;
        for (name, value) in properties.as_mapping().expect("properties") {
            let name = name.as_str().expect("names");
            if name != "RedrivePolicy" {
                assert_eq!(attributes.get(name), Some(&text(value)), "{id}.{name}");
                continue;
            }
            let policy: serde_json::Value =
                serde_json::from_str(&attributes["RedrivePolicy"]).expect("JSON");
            let Yaml::Tagged(target) = &value["deadLetterTargetArn"] else {
                panic!("{id}: the template's target is a !GetAtt");
            };
            let dead_letters = text(&target.value).replace(".Arn", "");
            let dlq = queue_attributes(&clients, &resources.refs[&dead_letters]).await;
            assert_eq!(policy["deadLetterTargetArn"], dlq["QueueArn"], "{id}");
            let count = policy["maxReceiveCount"].to_string().replace('"', "");
            assert_eq!(count, text(&value["maxReceiveCount"]), "{id}");
        }
    }
}

#[tokio::test]
async fn the_table_in_moto_has_the_template_keys_billing_ttl_and_protection() {
    let (clients, resources) = provisioned().await;
    let raw = raw_template();
    for (id, p) in raw_resources(&raw, "AWS::DynamoDB::Table") {
        let name = &resources.refs[id];
        let described = clients
            .dynamo
            .describe_table()
            .table_name(name)
            .send()
            .await;
        let table = described.expect("DescribeTable").table.expect("a table");
        let keys: Vec<(String, String)> = table
            .key_schema()
            .iter()
            .map(|k| {
                (
                    k.attribute_name().to_owned(),
                    k.key_type().as_str().to_owned(),
                )
            })
            .collect();
        let defined: Vec<(String, String)> = table
            .attribute_definitions()
            .iter()
            .map(|a| {
                (
                    a.attribute_name().to_owned(),
                    a.attribute_type().as_str().to_owned(),
                )
            })
            .collect();
        let pairs = |list: &Yaml, a: &str, b: &str| -> Vec<(String, String)> {
            let items = list.as_sequence().expect("a list");
            items.iter().map(|i| (text(&i[a]), text(&i[b]))).collect()
        };
        assert_eq!(keys, pairs(&p["KeySchema"], "AttributeName", "KeyType"));
        assert_eq!(
            defined,
            pairs(&p["AttributeDefinitions"], "AttributeName", "AttributeType")
        );
        let billing = table.billing_mode_summary().and_then(|b| b.billing_mode());
        assert_eq!(
            billing.map(|b| b.as_str().to_owned()),
            Some(text(&p["BillingMode"]))
        );
        let sse = table
            .sse_description()
            .and_then(|s| s.status())
            .map(|s| s.as_str());
        let sse_on = p["SSESpecification"]["SSEEnabled"].as_bool() == Some(true);
        assert_eq!(sse == Some("ENABLED"), sse_on, "{id} encryption: {sse:?}");
        let gsis = p.get("GlobalSecondaryIndexes").and_then(Yaml::as_sequence);
        assert_eq!(
            table.global_secondary_indexes().len(),
            gsis.map_or(0, Vec::len)
        );
        check_ttl_and_recovery(&clients, name, p).await;
    }
}

/// TTL and point-in-time recovery, which DescribeTable does not show.
async fn check_ttl_and_recovery(clients: &Clients, name: &str, p: &Yaml) {
    let ttl = clients
        .dynamo
        .describe_time_to_live()
        .table_name(name)
        .send()
        .await;
    let ttl = ttl
        .expect("DescribeTimeToLive")
        .time_to_live_description
        .expect("TTL");
    let declared = &p["TimeToLiveSpecification"];
    assert_eq!(ttl.attribute_name(), declared["AttributeName"].as_str());
    let status = ttl.time_to_live_status().map(|s| s.as_str());
    assert_eq!(
        status == Some("ENABLED"),
        declared["Enabled"].as_bool() == Some(true)
    );

    let backups = clients
        .dynamo
        .describe_continuous_backups()
        .table_name(name)
        .send()
        .await;
    let recovery = backups
        .expect("DescribeContinuousBackups")
        .continuous_backups_description
        .and_then(|d| d.point_in_time_recovery_description)
        .and_then(|d| d.point_in_time_recovery_status);
    let declared = &p["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"];
    let on = recovery.as_ref().map(|s| s.as_str()) == Some("ENABLED");
    assert_eq!(on, declared.as_bool() == Some(true), "{recovery:?}");
}

#[tokio::test]
async fn secrets_in_moto_have_the_template_descriptions() {
    let (clients, resources) = provisioned().await;
    let raw = raw_template();
    let secrets = raw_resources(&raw, "AWS::SecretsManager::Secret");
    assert!(!secrets.is_empty());
    for (id, p) in secrets {
        let described = clients
            .secrets
            .describe_secret()
            .secret_id(&resources.refs[id])
            .send()
            .await
            .expect("DescribeSecret");
        assert_eq!(described.description(), p["Description"].as_str(), "{id}");
    }
}

/// The stack gives the functions every resource under the name the template uses.
#[tokio::test]
async fn the_stack_names_its_resources_as_the_template_does() {
    let env = TestEnv::start().await;
    let raw = raw_template();
    let globals = raw["Globals"]["Function"]["Environment"]["Variables"]
        .as_mapping()
        .expect("global variables");
    let mut checked = 0;
    for (name, value) in globals {
        let Yaml::Tagged(tagged) = value else {
            continue;
        };
        let Some(local) = env.resources.refs.get(&text(&tagged.value)) else {
            continue;
        };
        let name = name.as_str().expect("names");
        let given = env.env.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        assert_eq!(given, Some(local), "{name}");
        checked += 1;
    }
    assert!(checked >= 6, "table, secret and queues: {checked}");
}
