//! The plan derived from the real template matches what the template says (read here
//! straight from its YAML), a changed setting flows through, and what cannot be mapped
//! is refused by name.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_yaml_ng::Value as Yaml;

use super::raw::{get_att_arn, raw_resources, raw_template, text};
use super::template::Template;
use super::{Plan, ProvisionOptions, QueueSpec, Redrive};

fn real_plan() -> Plan {
    Plan::load().expect("template.yaml derives a plan")
}

#[test]
fn every_template_queue_is_planned_with_the_template_settings() {
    let raw = raw_template();
    let plan = real_plan();
    let queues = raw_resources(&raw, "AWS::SQS::Queue");
    assert_eq!(plan.queues.len(), queues.len());
    assert!(queues.len() >= 7, "the bot's seven queues at least");
    for (id, properties) in queues {
        let spec = plan.queue(id).expect("every template queue is planned");
        let properties = properties.as_mapping().expect("queue properties");
        let mut plain = 0;
        for (name, value) in properties {
            let name = name.as_str().expect("property names");
            if name == "RedrivePolicy" {
                let expected = Redrive {
                    dead_letter_queue: get_att_arn(&value["deadLetterTargetArn"]),
                    max_receive_count: text(&value["maxReceiveCount"]).parse().expect("a count"),
                };
                assert_eq!(spec.redrive.as_ref(), Some(&expected), "{id}");
            } else {
                plain += 1;
                assert_eq!(
                    spec.attribute(name),
                    Some(text(value).as_str()),
                    "{id}.{name}"
                );
            }
        }
        assert_eq!(spec.attributes.len(), plain, "{id}: nothing added");
        if !properties.contains_key("RedrivePolicy") {
            assert_eq!(spec.redrive, None, "{id}");
        }
    }
}

#[test]
fn the_table_is_planned_with_the_template_keys_billing_and_ttl() {
    let raw = raw_template();
    let plan = real_plan();
    let tables = raw_resources(&raw, "AWS::DynamoDB::Table");
    assert_eq!(plan.tables.len(), tables.len());
    for (id, p) in tables {
        let spec = plan
            .tables
            .iter()
            .find(|t| t.logical_id == id)
            .expect("planned");
        let pairs = |list: &Yaml, a: &str, b: &str| -> Vec<(String, String)> {
            let items = list.as_sequence().expect("a list");
            items.iter().map(|i| (text(&i[a]), text(&i[b]))).collect()
        };
        assert_eq!(
            spec.key_schema,
            pairs(&p["KeySchema"], "AttributeName", "KeyType")
        );
        let definitions = pairs(&p["AttributeDefinitions"], "AttributeName", "AttributeType");
        assert_eq!(spec.attributes, definitions);
        assert_eq!(spec.billing_mode, text(&p["BillingMode"]));
        let ttl = &p["TimeToLiveSpecification"];
        let ttl_on = ttl["Enabled"].as_bool() == Some(true);
        assert_eq!(
            spec.ttl_attribute,
            ttl_on.then(|| text(&ttl["AttributeName"]))
        );
        let pitr = &p["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"];
        assert_eq!(spec.point_in_time_recovery, pitr.as_bool() == Some(true));
        assert_eq!(
            spec.sse_enabled,
            p["SSESpecification"]["SSEEnabled"].as_bool()
        );
        let gsis = p.get("GlobalSecondaryIndexes").and_then(Yaml::as_sequence);
        assert_eq!(spec.global_indexes.len(), gsis.map_or(0, Vec::len));
    }
}

#[test]
fn secrets_functions_and_variables_follow_the_template() {
    let raw = raw_template();
    let plan = real_plan();
    for (id, p) in raw_resources(&raw, "AWS::SecretsManager::Secret") {
        let spec = plan
            .secrets
            .iter()
            .find(|s| s.logical_id == id)
            .expect("planned");
        assert_eq!(
            spec.description.as_deref(),
            p["Description"].as_str(),
            "{id}"
        );
    }
    for (id, p) in raw_resources(&raw, "AWS::Serverless::Function") {
        let spec = plan.function(id).expect("planned");
        let timeout = text(&p["Timeout"]).parse().expect("seconds");
        assert_eq!(spec.timeout, Duration::from_secs(timeout), "{id}");
        let memory = p
            .get("MemorySize")
            .unwrap_or(&raw["Globals"]["Function"]["MemorySize"]);
        assert_eq!(
            spec.memory_mb,
            text(memory).parse::<u32>().expect("MB"),
            "{id}"
        );
        let events = p.get("Events").and_then(Yaml::as_mapping);
        let sqs = events
            .into_iter()
            .flatten()
            .find(|(_, e)| e["Type"].as_str() == Some("SQS"));
        let queue = sqs.map(|(_, e)| get_att_arn(&e["Properties"]["Queue"]));
        assert_eq!(spec.queue, queue, "{id}");
    }
    let globals = raw["Globals"]["Function"]["Environment"]["Variables"]
        .as_mapping()
        .expect("global variables");
    for (name, value) in globals {
        let Yaml::Tagged(tagged) = value else {
            continue;
        };
        let target = text(&tagged.value);
        if tagged.tag == "Ref" && plan.created().contains(&target) {
            let name = name.as_str().expect("names");
            assert_eq!(plan.resource_of(name).expect("bound"), target, "{name}");
        }
    }
}

/// The template restates the work queue's receive count for the processor: they agree.
#[test]
fn work_max_receives_is_the_work_queue_receive_count() {
    let raw = raw_template();
    let plan = real_plan();
    let stated = text(&raw["Globals"]["Function"]["Environment"]["Variables"]["WORK_MAX_RECEIVES"]);
    let work = plan
        .resource_of("WORK_QUEUE_URL")
        .expect("WORK_QUEUE_URL names a queue");
    let redrive = plan
        .queue(work)
        .and_then(|q| q.redrive.as_ref())
        .expect("a redrive");
    assert_eq!(stated, redrive.max_receive_count.to_string());
}

const SMALL_TEMPLATE: &str = r#"
Parameters:
  Receives: {Type: Number, Default: 9}
  Secret: {Type: String, NoEcho: true}
Globals:
  Function:
    Timeout: 7
    Environment:
      Variables:
        JOBS_URL: !Ref Jobs
        STORE: {Ref: Store}
        MODE: !Ref Secret
Resources:
  Store:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: id, AttributeType: S}
        - {AttributeName: owner, AttributeType: N}
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      GlobalSecondaryIndexes:
        - IndexName: by-owner
          KeySchema: [{AttributeName: owner, KeyType: HASH}]
          Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [title]}
      TimeToLiveSpecification: {AttributeName: gone_at, Enabled: true}
  JobsDead:
    Type: AWS::SQS::Queue
    Properties: {FifoQueue: true, MessageRetentionPeriod: 600}
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: true
      ContentBasedDeduplication: true
      VisibilityTimeout: 77
      DelaySeconds: 4
      RedrivePolicy:
        deadLetterTargetArn: {"Fn::GetAtt": [JobsDead, Arn]}
        maxReceiveCount: !Ref Receives
  Key:
    Type: AWS::SecretsManager::Secret
    Properties:
      Description: a key
      SecretString: !Sub '{"key":"${Secret}"}'
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Role: !If [HasRole, !Ref AWS::NoValue, !Ref AWS::NoValue]
      Environment: {Variables: {KEY_ID: !Ref Key}}
      Events:
        Feed: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn, BatchSize: 3}}
  Hook:
    Type: Custom::Anything
    Properties: {ServiceToken: !GetAtt Worker.Arn}
"#;

fn small_plan(text: &str) -> anyhow::Result<Plan> {
    Plan::from_template(&Template::parse(text)?)
}

#[test]
fn a_changed_template_setting_flows_into_the_plan() {
    let plan = small_plan(SMALL_TEMPLATE).expect("the small template derives");
    let jobs = plan.queue("Jobs").expect("Jobs");
    let expected: BTreeMap<String, String> = [
        ("ContentBasedDeduplication", "true"),
        ("DelaySeconds", "4"),
        ("FifoQueue", "true"),
        ("VisibilityTimeout", "77"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(jobs.attributes, expected);
    let redrive = Redrive {
        dead_letter_queue: "JobsDead".into(),
        max_receive_count: 9,
    };
    assert_eq!(
        jobs.redrive,
        Some(redrive),
        "!Ref resolves to the parameter's Default"
    );
    assert_eq!(
        plan.queue("JobsDead")
            .and_then(|q| q.attribute("MessageRetentionPeriod")),
        Some("600")
    );

    let store = &plan.tables[0];
    assert_eq!(store.ttl_attribute.as_deref(), Some("gone_at"));
    assert_eq!(store.global_indexes[0].name, "by-owner");
    assert_eq!(store.global_indexes[0].non_key_attributes, ["title"]);
    assert_eq!(store.attributes[1], ("owner".to_owned(), "N".to_owned()));

    let worker = plan.function("Worker").expect("Worker");
    assert_eq!(worker.timeout, Duration::from_secs(7), "from Globals");
    assert_eq!(worker.memory_mb, 128, "Lambda's default, none being given");
    assert_eq!(
        (worker.queue.as_deref(), worker.batch_size),
        (Some("Jobs"), Some(3))
    );
    let names: Vec<(&str, &str)> = plan
        .variables
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        names,
        [("JOBS_URL", "Jobs"), ("KEY_ID", "Key"), ("STORE", "Store")]
    );
    assert_eq!(plan.secrets[0].description.as_deref(), Some("a key"));
}

#[test]
fn overrides_change_only_what_they_name() {
    let plan = small_plan(SMALL_TEMPLATE).expect("the small template derives");
    let opts = ProvisionOptions {
        prefix: "p".into(),
        visibility_timeout_secs: Some(1),
        max_receive_count: Some(2),
        secrets: BTreeMap::new(),
    };
    let mut jobs: QueueSpec = plan.queue("Jobs").cloned().expect("Jobs");
    jobs.apply(&opts);
    assert_eq!(jobs.attribute("VisibilityTimeout"), Some("1"));
    assert_eq!(jobs.redrive.as_ref().map(|r| r.max_receive_count), Some(2));
    assert_eq!(jobs.attribute("DelaySeconds"), Some("4"));
    let mut dead = plan.queue("JobsDead").cloned().expect("JobsDead");
    dead.apply(&opts);
    assert_eq!(
        dead.attribute("VisibilityTimeout"),
        None,
        "DLQs keep SQS's default"
    );
}

/// Each broken template must fail, with an error that names what is wrong.
#[test]
fn what_cannot_be_mapped_is_refused_by_name() {
    let cases = [
        (
            "Jobs:\n    Type: AWS::SQS::Queue",
            "Jobs:\n    Type: AWS::S3::Bucket",
            "AWS::S3::Bucket",
        ),
        (
            "DelaySeconds: 4",
            "KmsMasterKeyId: alias/x",
            "KmsMasterKeyId",
        ),
        (
            "maxReceiveCount: !Ref Receives",
            "maxReceiveCount: !Ref Secret",
            "no Default",
        ),
        (
            "{\"Fn::GetAtt\": [JobsDead, Arn]}",
            "!GetAtt Elsewhere.Arn",
            "Elsewhere",
        ),
        (
            "BillingMode: PAY_PER_REQUEST",
            "BillingMode: PAY_PER_REQUEST\n      StreamSpecification: {}",
            "StreamSpecification",
        ),
        (
            "Projection: {ProjectionType: INCLUDE",
            "Projection: {ProjectionType: SOME",
            "SOME",
        ),
        (
            "Jobs:\n    Type: AWS::SQS::Queue",
            "Jobs:\n    Condition: C\n    Type: AWS::SQS::Queue",
            "Condition C",
        ),
        (
            "VisibilityTimeout: 77",
            "VisibilityTimeout: !Sub '77'",
            "!Sub",
        ),
        (
            "BatchSize: 3}",
            "BatchSize: 3}}\n        Again: {Type: SQS, Properties: {Queue: !GetAtt JobsDead.Arn}",
            "second SQS event",
        ),
    ];
    for (from, to, named) in cases {
        assert!(
            SMALL_TEMPLATE.contains(from),
            "the case edits the template: {from}"
        );
        let broken = SMALL_TEMPLATE.replacen(from, to, 1);
        let error = small_plan(&broken).expect_err(named);
        let message = format!("{error:#}");
        assert!(message.contains(named), "{named}: {message}");
    }
}
