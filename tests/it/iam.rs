//! Every AWS request each function makes is allowed by its role in `template.yaml`.
//! Moto does not enforce IAM, so without this a role missing an action passes every
//! other test and fails with AccessDenied once deployed. A broad scenario runs through
//! the stack with every function behind its own meter port (with Redis and Responses
//! mode, then without either), and each recorded call's IAM actions (a transaction's
//! per item) are looked up in the actions its function's role grants. Resources
//! (`!GetAtt`, `!Sub`) are not compared: the actions alone.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use serde_yaml_ng::Value as Yaml;
use testkit::StackOptions;
use testkit::meter::Call;
use testkit::provision::raw::{get_att_arn, raw_resources, raw_template};
use testkit::telegram_standin::TgFault;
use testkit::updates::{callback_query, group_text, photo, private_text, voice_note};

use crate::env::TestEnv;

const USER: i64 = 4_401;
const NEWCOMER: i64 = 4_402;
const ADMIN: i64 = 4_499;
const GROUP: i64 = -1_004_400_000_001;

/// The meter's name for each function, and its logical id in the template.
const FUNCTIONS: [(&str, &str); 5] = [
    ("webhook", "WebhookFunction"),
    ("subscription-check", "SubscriptionCheckFunction"),
    ("processor", "ProcessorFunction"),
    ("sender", "SenderFunction"),
    ("style-refresh", "StyleRefreshFunction"),
];

/// Actions the event source mapping uses with the function's role (it receives and
/// deletes for the function), which no function code makes itself.
const POLLING: [&str; 4] = [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueAttributes",
];

/// Actions Lambda itself uses with a function's role: style-refresh's failed scheduled
/// runs go to its `OnFailure` queue.
const LAMBDA_ITSELF: [(&str, &str); 1] = [("style-refresh", "sqs:SendMessage")];

/// Every `Action` under `value`, whichever branch of an `!If` it is in.
fn actions_in(value: &Yaml, out: &mut BTreeSet<String>) {
    match value {
        Yaml::Mapping(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    (Some("Action"), Yaml::String(a)) => {
                        out.insert(a.clone());
                    }
                    (Some("Action"), Yaml::Sequence(list)) => {
                        out.extend(list.iter().filter_map(|a| a.as_str().map(str::to_owned)));
                    }
                    _ => actions_in(v, out),
                }
            }
        }
        Yaml::Sequence(list) => list.iter().for_each(|v| actions_in(v, out)),
        Yaml::Tagged(tagged) => actions_in(&tagged.value, out),
        _ => {}
    }
}

/// Per function (meter name): the actions its role's policies allow.
fn granted(template: &Yaml) -> BTreeMap<&'static str, BTreeSet<String>> {
    let functions = raw_resources(template, "AWS::Serverless::Function");
    let roles = raw_resources(template, "AWS::IAM::Role");
    FUNCTIONS
        .iter()
        .map(|(name, id)| {
            let (_, function) = functions
                .iter()
                .find(|(f, _)| f == id)
                .unwrap_or_else(|| panic!("template.yaml declares no {id}"));
            let role = get_att_arn(&function["Role"]);
            let (_, role) = roles
                .iter()
                .find(|(r, _)| *r == role)
                .unwrap_or_else(|| panic!("{id}'s role {role} is not in template.yaml"));
            let mut actions = BTreeSet::new();
            actions_in(&role["Policies"], &mut actions);
            (*name, actions)
        })
        .collect()
}

/// Per function: each action its calls needed, with the operations that needed it.
type Used = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

fn used(calls: &[Call], into: &mut Used) {
    for call in calls {
        for action in &call.actions {
            into.entry(call.function.clone())
                .or_default()
                .entry(action.clone())
                .or_default()
                .insert(call.operation.clone());
        }
    }
}

/// `(function, operation, missing action)` for every needed action no role grants.
fn missing(granted: &BTreeMap<&str, BTreeSet<String>>, used: &Used) -> Vec<String> {
    let mut out = Vec::new();
    for (function, actions) in used {
        let role = granted.get(function.as_str());
        for (action, operations) in actions {
            if !role.is_some_and(|r| r.contains(action)) {
                for operation in operations {
                    out.push(format!("({function}, {operation}, {action})"));
                }
            }
        }
    }
    out
}

/// `(function, action)` a role grants for DynamoDB or SQS that no recorded call used.
fn unused(granted: &BTreeMap<&str, BTreeSet<String>>, used: &Used) -> Vec<String> {
    let mut out = Vec::new();
    for (function, actions) in granted {
        let calls = used.get(*function);
        for action in actions {
            let ours = action.starts_with("dynamodb:") || action.starts_with("sqs:");
            let needed = calls.is_some_and(|c| c.contains_key(action));
            let lambdas = POLLING.contains(&action.as_str())
                || LAMBDA_ITSELF.contains(&(*function, action.as_str()));
            if ours && !needed && !lambdas {
                out.push(format!("({function}, {action})"));
            }
        }
    }
    out
}

async fn post(env: &TestEnv, update: &Value) {
    let (status, _) = env.post_update(update).await.expect("webhook");
    assert_eq!(status, 200, "{update}");
    env.drain().await.expect("drain");
}

async fn say(env: &TestEnv, user: i64, text: &str) {
    post(env, &private_text(user, "Ann", text)).await;
}

/// Presses the first button of the newest keyboard sent to `user` whose label starts
/// with `label`.
async fn press(env: &TestEnv, user: i64, label: &str) {
    let data = env
        .telegram
        .calls()
        .into_iter()
        .rev()
        .filter(|c| c.chat_id() == Some(user))
        .find_map(|c| {
            let rows = c.params["reply_markup"]["inline_keyboard"]
                .as_array()?
                .clone();
            rows.iter()
                .flat_map(|r| r.as_array().cloned().unwrap_or_default())
                .find(|b| b["text"].as_str().is_some_and(|t| t.starts_with(label)))
                .and_then(|b| b["callback_data"].as_str().map(str::to_owned))
        })
        .unwrap_or_else(|| panic!("no button {label:?} sent to {user}"));
    post(env, &callback_query(user, &data)).await;
}

/// Ordinary messages, media, settings and persona, style, limits and credits.
async fn everyday(env: &TestEnv) {
    for text in ["/start", "/help", "hello there", "tell me a story"] {
        say(env, USER, text).await;
    }
    say(env, NEWCOMER, "Hi, I'm new").await;
    for text in [
        "/persona",
        "/persona custom Mira: a calm friend",
        "/settings",
    ] {
        say(env, USER, text).await;
    }
    post(env, &callback_query(USER, "settings:voice:on")).await;
    say(env, USER, "speak to me").await;
    say(env, USER, "/voice off").await;
    env.telegram.add_file(
        "IAM-VOICE",
        "voice/iam.oga",
        testkit::openai_standin::spoken_ogg(3, "how was your day"),
    );
    post(env, &voice_note(USER, "IAM-VOICE", 3, 0)).await;
    env.telegram
        .add_file("IAM-PHOTO", "photos/iam.jpg", testkit::stack::demo_photo());
    post(env, &photo(USER, &[("IAM-PHOTO", 2000, 640)], Some("look"))).await;
    say(env, USER, "/new_style").await;
    let mut forward = private_text(USER, "Ann", "a line of mine, forwarded");
    forward["message"]["forward_origin"] = serde_json::json!({
        "type": "user", "date": 1_795_000_000,
        "sender_user": {"id": USER, "is_bot": false, "first_name": "Ann"}
    });
    post(env, &forward).await;
    for text in ["/usage", "/language de", "/language en"] {
        say(env, USER, text).await;
    }
    for text in [format!("/grant {USER} 5000"), "/stats".to_owned()] {
        say(env, ADMIN, &text).await;
    }
    say(env, USER, "spending credits").await;
    post(
        env,
        &group_text(GROUP, "supergroup", USER, "@companion_bot hi all"),
    )
    .await;
}

/// Conversations: /reset, /history and its buttons, /rename, /retry, /export.
async fn conversations(env: &TestEnv) {
    for text in ["Tell me about whales", "/reset", "Cooking pasta tonight"] {
        say(env, USER, text).await;
    }
    say(env, USER, "/history").await;
    press(env, USER, "\u{25b6}").await;
    say(env, USER, "and dolphins?").await;
    say(env, USER, "/history").await;
    press(env, USER, "\u{270f}").await;
    say(env, USER, "/rename 2 Sea mammals").await;
    for text in ["/retry", "/export", "/export all", "/history"] {
        say(env, USER, text).await;
    }
    press(env, USER, "\u{1f5d1}").await;
    press(env, USER, "Yes, delete").await;
}

/// The schedule's style refresh, then `/forget` confirmed.
async fn refresh_and_forget(env: &TestEnv) {
    let schedule = serde_json::from_str(
        &std::fs::read_to_string(
            testkit::fixtures::workspace_root().join("events/style-refresh-schedule.json"),
        )
        .unwrap(),
    )
    .unwrap();
    env.invoke_style_refresh(schedule)
        .await
        .expect("style refresh");
    say(env, USER, "/forget").await;
    press(env, USER, "").await;
}

/// Runs the scenario on a stack with `options` and the meter; adds what it used.
async fn run(options: StackOptions, into: &mut Used) {
    let env = TestEnv::with(StackOptions {
        channel: Some("@news_channel".into()),
        admins: vec![ADMIN],
        meter: true,
        ..options
    })
    .await;
    for user in [USER, NEWCOMER, ADMIN] {
        env.telegram.set_member_status(user, "member");
    }
    let health = std::fs::read_to_string(
        testkit::fixtures::workspace_root().join("events/webhook-health-detailed.json"),
    )
    .unwrap();
    let (status, _) = env
        .invoke_webhook(&serde_json::from_str(&health).unwrap())
        .await
        .expect("health");
    assert_eq!(status, 200);
    everyday(&env).await;
    conversations(&env).await;
    refresh_and_forget(&env).await;
    // Telegram refuses a reply for good: the sender parks it on the dead-letter queue.
    env.telegram.fail_next("sendMessage", TgFault::ChatNotFound);
    say(&env, USER, "back again").await;
    // The user has blocked the bot: the sender marks them inactive.
    env.telegram.fail_next("sendMessage", TgFault::Blocked);
    say(&env, USER, "are you there?").await;
    used(&env.meter.as_ref().expect("metered").calls(), into);
}

#[tokio::test]
#[expect(
    clippy::print_stdout,
    reason = "lists granted actions no call used, for a reader of `--nocapture`"
)]
async fn every_aws_call_of_each_function_is_allowed_by_its_role() {
    let mut calls = Used::new();
    let redis_and_responses = StackOptions {
        redis: true,
        extra_env: vec![("OPENAI_API_MODE".into(), "responses".into())],
        ..StackOptions::default()
    };
    Box::pin(run(redis_and_responses, &mut calls)).await;
    let neither = StackOptions {
        redis: false,
        ..StackOptions::default()
    };
    Box::pin(run(neither, &mut calls)).await;
    for (name, _) in FUNCTIONS {
        assert!(calls.contains_key(name), "{name} made no call: {calls:#?}");
    }
    let roles = granted(&raw_template());
    println!(
        "granted but not used by this scenario: {:#?}",
        unused(&roles, &calls)
    );
    let missing = missing(&roles, &calls);
    assert!(
        missing.is_empty(),
        "(function, operation, action its role lacks) in template.yaml: {missing:#?}"
    );
}

/// The comparison fails on a role that lacks an action, and names it.
#[test]
fn a_role_without_an_action_a_call_needs_is_reported() {
    let roles = BTreeMap::from([("processor", BTreeSet::from(["dynamodb:GetItem".to_owned()]))]);
    let mut calls = Used::new();
    let needed = |a: &str, op: &str| (a.to_owned(), BTreeSet::from([op.to_owned()]));
    calls.insert(
        "processor".into(),
        BTreeMap::from([
            needed("dynamodb:GetItem", "GetItem"),
            needed("dynamodb:PutItem", "TransactWriteItems"),
        ]),
    );
    assert_eq!(
        missing(&roles, &calls),
        ["(processor, TransactWriteItems, dynamodb:PutItem)"]
    );
    calls.insert(
        "sender".into(),
        BTreeMap::from([needed("sqs:SendMessage", "SendMessage")]),
    );
    assert_eq!(missing(&roles, &calls).len(), 2);
}
