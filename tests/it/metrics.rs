//! The functions' CloudWatch metrics, as Lambda would receive them: each function's `main`
//! (the production tracing and metrics set-up, the real `lambda_runtime`) runs in a child
//! process, this test binary again as in `logs.rs`, for one invocation, while the test
//! carries the messages from queue to queue as the event source mappings do. The EMF lines
//! each child writes on stdout are checked against the contract in `shared::metrics`.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use lambda_runtime::LambdaEvent;
use serde_json::{Value, json};
use shared::clock::Deadline;
use shared::domain::Lang;
use shared::domain::texts;
use shared::error::Cause;
use shared::metrics::{DIMENSION, Function, Metrics};
use testkit::Stage;
use testkit::esm;
use testkit::openai_standin::AiFault;
use testkit::stack::LOCAL_WEBHOOK_SECRET;
use testkit::updates::{function_url_event, private_text};

use crate::env::TestEnv;
use crate::logs::child_function;

/// Which function's `main` the child runs.
const CHILD_FUNCTION: &str = "METRICS_IT_FUNCTION";
const CHILD_TEST: &str = "metrics::a_function_main_in_a_child_process";

/// A user id and a message no metric may carry.
const USER: i64 = 770_011_223;
const SAID: &str = "the lighthouse keeper's parrot speaks Portuguese";
const SAID_AFTER: &str = "and it sings when the fog horn blows";

/// Every metric the contract names, with its unit (`None`: CloudWatch's `None`).
const CONTRACT: [(&str, Option<&str>); 10] = [
    ("UpdatesReceived", Some("Count")),
    ("RepliesSent", Some("Count")),
    ("ModelLatency", Some("Milliseconds")),
    ("TimeToFirstToken", Some("Milliseconds")),
    ("InputTokens", Some("Count")),
    ("OutputTokens", Some("Count")),
    ("CostUsd", None),
    ("FailuresTransient", Some("Count")),
    ("FailuresPermanent", Some("Count")),
    ("MessagesParked", Some("Count")),
];

/// A function's `main`, as in `functions/*/src/main.rs`, run by [`invoke`] in a child
/// process; without [`CHILD_FUNCTION`] it does nothing.
#[test]
#[ignore = "run in a child process by the metrics test below"]
fn a_function_main_in_a_child_process() {
    let Some(function) = std::env::var(CHILD_FUNCTION)
        .ok()
        .and_then(|name| Function::from_name(&name))
    else {
        return;
    };
    shared::runtime::init_tracing();
    let metrics = Metrics::init(function);
    let result = shared::runtime::block_on(async {
        let (config, clients) = shared::app::bootstrap().await?;
        match function {
            Function::Webhook => {
                let state = shared::app::webhook(&config, &clients)?;
                lambda_http::run(lambda_http::service_fn(|request| {
                    metrics.flush_after(shared::handlers::webhook::handle(&state, request))
                }))
                .await
            }
            Function::SubscriptionCheck => {
                let state = shared::app::subscription(&config, &clients)?;
                lambda_runtime::run(lambda_runtime::service_fn(
                    |event: LambdaEvent<SqsEvent>| {
                        Box::pin(metrics.flush_after(shared::handlers::subscription::handle(
                            &state,
                            event.payload,
                        )))
                    },
                ))
                .await
            }
            Function::Processor => {
                let state = shared::app::processor(&config, &clients)?;
                lambda_runtime::run(lambda_runtime::service_fn(
                    |event: LambdaEvent<SqsEvent>| {
                        let deadline = Deadline::from_unix_ms(
                            event.context.deadline,
                            std::time::Duration::from_secs(120),
                        );
                        Box::pin(metrics.flush_after(shared::handlers::processor::handle(
                            &state,
                            event.payload,
                            deadline,
                        )))
                    },
                ))
                .await
            }
            Function::Sender => {
                let state = shared::app::sender(&config, &clients)?;
                lambda_runtime::run(lambda_runtime::service_fn(
                    |event: LambdaEvent<SqsEvent>| {
                        let deadline = Deadline::from_unix_ms(
                            event.context.deadline,
                            std::time::Duration::from_secs(60),
                        );
                        Box::pin(metrics.flush_after(shared::handlers::sender::handle(
                            &state,
                            event.payload,
                            deadline,
                        )))
                    },
                ))
                .await
            }
            Function::StyleRefresh => Err("style-refresh is not run here".into()),
        }
    });
    panic!("the runtime stopped: {result:?}");
}

/// Runs `function`'s `main` in a child process for one invocation with `event`; returns
/// the EMF documents it wrote, and its answer.
async fn invoke(env: &TestEnv, function: Function, event: Value) -> (Vec<Value>, String) {
    let vars = [
        (CHILD_FUNCTION, function.name()),
        ("AWS_LAMBDA_FUNCTION_NAME", function.name()),
        ("AWS_LAMBDA_LOG_LEVEL", "INFO"),
    ];
    let (lines, answer) = child_function(env, CHILD_TEST, &vars, event).await;
    let documents = lines
        .iter()
        .filter(|l| l.starts_with(r#"{"_aws""#))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect::<Vec<Value>>();
    for doc in &documents {
        check_contract(doc, function);
    }
    (documents, answer)
}

/// One EMF document as the contract says: a millisecond timestamp, the namespace, one
/// dimension set with the function's name, metrics by name and unit with their values at
/// the top level, and nothing else: no user's text, no user or chat id.
fn check_contract(doc: &Value, function: Function) {
    let aws = &doc["_aws"];
    assert!(aws["Timestamp"].as_u64().is_some(), "{doc}");
    let directives = aws["CloudWatchMetrics"].as_array().expect("a list");
    assert_eq!(directives.len(), 1, "{doc}");
    assert_eq!(directives[0]["Namespace"], "TelegramBot", "{doc}");
    assert_eq!(directives[0]["Dimensions"], json!([["Function"]]), "{doc}");
    assert_eq!(doc[DIMENSION], function.name(), "{doc}");
    let declared = directives[0]["Metrics"].as_array().expect("a list");
    assert!(!declared.is_empty(), "{doc}");
    for metric in declared {
        let name = metric["Name"].as_str().expect("a name");
        let unit = CONTRACT
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{name} is not in the contract: {doc}"))
            .1;
        assert_eq!(metric.get("Unit").and_then(Value::as_str), unit, "{doc}");
        assert!(
            doc[name].is_number() || doc[name].is_array(),
            "{name} has its value at the top level: {doc}"
        );
    }
    let members = doc.as_object().unwrap();
    assert_eq!(
        members.len(),
        2 + declared.len(),
        "only _aws, Function and the metrics: {doc}"
    );
    let text = doc.to_string();
    for needle in [USER.to_string(), SAID.into(), SAID_AFTER.into()] {
        assert!(!text.contains(&needle), "{needle:?} in {doc}");
    }
}

/// The value `name` has in `docs` (at most one document per invocation holds it).
fn value<'d>(docs: &'d [Value], name: &str) -> Option<&'d Value> {
    assert!(docs.len() <= 1, "one line per invocation: {docs:#?}");
    docs.first().and_then(|d| d.get(name))
}

fn count(docs: &[Value], name: &str) -> u64 {
    value(docs, name).map_or(0, |v| v.as_u64().expect("a count"))
}

/// The values a histogram metric recorded.
fn samples(docs: &[Value], name: &str) -> Vec<f64> {
    value(docs, name).map_or_else(Vec::new, |v| {
        v.as_array()
            .expect("a list of values")
            .iter()
            .map(|x| x.as_f64().expect("a number"))
            .collect()
    })
}

/// The user says `text` to the webhook's `main`.
async fn webhook(env: &TestEnv, text: &str) -> Vec<Value> {
    let update = private_text(USER, "Ann", text).to_string();
    let event = function_url_event("POST", "/", Some(LOCAL_WEBHOOK_SECRET), Some(&update));
    let (docs, answer) = invoke(env, Function::Webhook, event).await;
    assert!(answer.contains(r#""statusCode":200"#), "{answer}");
    docs
}

/// One delivery of what waits in `stage`'s queue to the stage's `main`, acknowledged as
/// the event source mapping would. Returns the EMF documents and the failed records.
async fn deliver(env: &TestEnv, stage: Stage) -> (Vec<Value>, usize) {
    let url = env.queue_url(stage).to_owned();
    let messages = esm::receive(&env.clients.sqs, &url, 10).await.unwrap();
    assert!(!messages.is_empty(), "nothing for {}", stage.function());
    let event = serde_json::to_value(esm::event_of(&messages)).unwrap();
    let function = Function::from_name(stage.function()).unwrap();
    let (docs, answer) = invoke(env, function, event).await;
    let response: SqsBatchResponse =
        serde_json::from_str(&answer).unwrap_or_else(|e| panic!("{e}: {answer}"));
    esm::acknowledge(&env.clients.sqs, &url, &messages, &response)
        .await
        .unwrap();
    (docs, response.batch_item_failures.len())
}

#[tokio::test]
async fn every_function_writes_its_metrics_as_one_emf_line_per_invocation() {
    let env = TestEnv::start().await;

    // A message answered: webhook, subscription-check, processor, sender.
    let docs = webhook(&env, SAID).await;
    assert_eq!(count(&docs, "UpdatesReceived"), 1, "{docs:#?}");
    let (docs, failed) = deliver(&env, Stage::Subscription).await;
    assert_eq!(failed, 0);
    assert!(docs.is_empty(), "nothing to count, no line: {docs:#?}");
    let (docs, failed) = deliver(&env, Stage::Processor).await;
    assert_eq!(failed, 0);
    let latency = samples(&docs, "ModelLatency");
    let first_token = samples(&docs, "TimeToFirstToken");
    assert_eq!(latency.len(), 1, "one streamed model call: {docs:#?}");
    assert_eq!(first_token.len(), 1, "{docs:#?}");
    assert!(
        0.0 < first_token[0] && first_token[0] <= latency[0],
        "{docs:#?}"
    );
    assert!(count(&docs, "InputTokens") > 0, "{docs:#?}");
    assert!(count(&docs, "OutputTokens") > 0, "{docs:#?}");
    let cost = samples(&docs, "CostUsd");
    assert!(
        cost.len() == 1 && cost[0] > 0.0,
        "gpt-4o-mini has a price: {docs:#?}"
    );
    assert_eq!(count(&docs, "FailuresPermanent"), 0, "{docs:#?}");
    assert_eq!(count(&docs, "FailuresTransient"), 0, "{docs:#?}");
    let (docs, failed) = deliver(&env, Stage::Sender).await;
    assert_eq!(failed, 0);
    assert_eq!(count(&docs, "RepliesSent"), 1, "{docs:#?}");
    let replies = env.telegram.texts_to(USER);
    assert!(
        replies.len() == 1 && replies[0].contains(SAID),
        "{replies:?}"
    );

    // The provider's account is out of credit: a permanent failure, told to the user, and
    // the message parked for a redrive.
    env.openai
        .as_ref()
        .unwrap()
        .fail_next(AiFault::InsufficientQuota);
    let docs = webhook(&env, SAID_AFTER).await;
    assert_eq!(count(&docs, "UpdatesReceived"), 1, "{docs:#?}");
    deliver(&env, Stage::Subscription).await;
    let (docs, failed) = deliver(&env, Stage::Processor).await;
    assert_eq!(failed, 0, "given up on, not retried");
    assert_eq!(count(&docs, "FailuresPermanent"), 1, "{docs:#?}");
    assert_eq!(count(&docs, "FailuresTransient"), 0, "{docs:#?}");
    assert_eq!(count(&docs, "MessagesParked"), 1, "{docs:#?}");
    assert!(value(&docs, "ModelLatency").is_none(), "{docs:#?}");
    assert!(value(&docs, "InputTokens").is_none(), "{docs:#?}");
    let parked = env.dead_letters(&env.resources.work_dlq).await.unwrap();
    assert_eq!(parked.len(), 1, "{parked:?}");
    let (docs, _) = deliver(&env, Stage::Sender).await;
    assert_eq!(count(&docs, "RepliesSent"), 1, "the notice: {docs:#?}");
    assert_eq!(
        env.telegram.texts_to(USER).last(),
        Some(&texts::gave_up(
            Lang::En,
            Some(Cause::QuotaExhausted),
            false,
            true
        ))
    );

    // subscription-check counts under its own name: a record it can never read.
    env.clients
        .sqs
        .send_message()
        .queue_url(&env.resources.inbound)
        .message_body("not a job")
        .message_group_id("garbage")
        .message_deduplication_id("garbage-1")
        .send()
        .await
        .unwrap();
    let (docs, failed) = deliver(&env, Stage::Subscription).await;
    assert_eq!(failed, 1);
    assert_eq!(count(&docs, "FailuresPermanent"), 1, "{docs:#?}");
    assert_eq!(docs[0][DIMENSION], "subscription-check");
}
