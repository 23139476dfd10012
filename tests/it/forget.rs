//! `/forget` end to end: a user goes through everything the bot keeps (private chat and a
//! group, voice, photo, a custom persona, settings, style samples, /reset, Responses
//! mode, credits, the membership cache), confirms `/forget`, and then no item in the
//! table and no Redis key names them, in a key or any attribute. The scan is generic:
//! items other work adds later are caught without changing it. Extend `go_through`
//! when a feature adds something a user leaves behind.

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::Value;
use shared::adapters::dynamo::keys;
use shared::domain::ChatId;
use testkit::StackOptions;
use testkit::updates::{callback_query, group_text, photo, private_text, voice_note};

use crate::env::TestEnv;

/// Distinctive, so a match is the user: no update id, date or count has these digits alone.
const USER: i64 = 8_675_309_123;
const ADMIN: i64 = 1_999;
const GROUP: i64 = -1_009_876_543_210;

/// Does `text` hold `id` as a whole number (not inside a longer one)?
fn names(text: &str, id: &str) -> bool {
    text.match_indices(id).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + id.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

fn flatten(value: &AttributeValue, out: &mut Vec<String>) {
    match value {
        AttributeValue::S(s) | AttributeValue::N(s) => out.push(s.clone()),
        AttributeValue::Ss(v) | AttributeValue::Ns(v) => out.extend(v.iter().cloned()),
        AttributeValue::L(list) => list.iter().for_each(|v| flatten(v, out)),
        AttributeValue::M(map) => map.iter().for_each(|(k, v)| {
            out.push(k.clone());
            flatten(v, out);
        }),
        AttributeValue::B(b) => out.push(String::from_utf8_lossy(b.as_ref()).into_owned()),
        _ => {}
    }
}

/// `pk / sk` of every item of the table that names `id` anywhere.
async fn items_naming(env: &TestEnv, id: i64) -> Vec<String> {
    let id = id.to_string();
    let mut found = Vec::new();
    let mut start = None;
    loop {
        let out = env
            .clients
            .dynamo
            .scan()
            .table_name(&env.resources.table)
            .set_exclusive_start_key(start)
            .send()
            .await
            .expect("scan");
        for item in out.items.unwrap_or_default() {
            let mut strings = Vec::new();
            for (name, value) in &item {
                strings.push(name.clone());
                flatten(value, &mut strings);
            }
            if strings.iter().any(|s| names(s, &id)) {
                let key = |k: &str| item.get(k).and_then(|v| v.as_s().ok()).cloned();
                found.push(format!(
                    "{} / {}",
                    key("pk").unwrap_or_default(),
                    key("sk").unwrap_or_default()
                ));
            }
        }
        start = out.last_evaluated_key;
        if start.is_none() {
            found.sort();
            return found;
        }
    }
}

fn redis_cli(url: &str, args: &[&str]) -> String {
    let out = std::process::Command::new("redis-cli")
        .arg("-u")
        .arg(url)
        .args(args)
        .output()
        .expect("redis-cli");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every Redis key that names `id` in its name or its value.
fn redis_keys_naming(env: &TestEnv, id: i64) -> Vec<String> {
    let url = env
        .redis
        .lock()
        .unwrap()
        .as_ref()
        .expect("redis")
        .url
        .clone();
    let id = id.to_string();
    redis_cli(&url, &["--scan"])
        .lines()
        .filter(|key| names(key, &id) || names(&redis_cli(&url, &["GET", key]), &id))
        .map(|key| format!("redis {key}"))
        .collect()
}

async fn post(env: &TestEnv, update: &Value) {
    let (status, _) = env.post_update(update).await.expect("webhook");
    assert_eq!(status, 200, "{update}");
    env.drain().await.expect("drain");
}

/// Everything a user can leave behind. Add here what a new feature stores.
async fn go_through(env: &TestEnv) {
    let say = |text: &str| private_text(USER, "Ann", text);
    for text in [
        "hello there",
        "tell me a story",
        "/persona custom Mira: a calm friend",
    ] {
        post(env, &say(text)).await;
    }
    post(env, &callback_query(USER, "settings:voice:on")).await;
    post(env, &callback_query(USER, "settings:voice:off")).await;
    env.telegram.add_file(
        "FORGET-VOICE",
        "voice/forget.oga",
        testkit::openai_standin::spoken_ogg(3, "how was your day"),
    );
    post(env, &voice_note(USER, "FORGET-VOICE", 3, 0)).await;
    env.telegram.add_file(
        "FORGET-PHOTO",
        "photos/forget.jpg",
        testkit::stack::demo_photo(),
    );
    post(
        env,
        &photo(USER, &[("FORGET-PHOTO", 2000, 640)], Some("look")),
    )
    .await;
    post(env, &say("/new_style")).await;
    let mut forward = say("a line of mine, forwarded");
    forward["message"]["forward_origin"] = serde_json::json!({
        "type": "user", "date": 1_795_000_000,
        "sender_user": {"id": USER, "is_bot": false, "first_name": "Ann"}
    });
    post(env, &forward).await;
    post(env, &say("/reset")).await;
    post(env, &say("a second conversation")).await;
    post(
        env,
        &private_text(ADMIN, "Boss", &format!("/grant {USER} 5000")),
    )
    .await;
    post(env, &say("spending credits")).await;
    post(
        env,
        &group_text(GROUP, "supergroup", USER, "@companion_bot hi all"),
    )
    .await;
    post(env, &say("/usage")).await;
}

#[tokio::test]
#[expect(
    clippy::print_stdout,
    reason = "lists what /forget deleted, for a reader of `--nocapture`"
)]
async fn forget_leaves_no_item_or_key_that_names_the_user() {
    let env = TestEnv::with(StackOptions {
        redis: true,
        channel: Some("@news_channel".into()),
        admins: vec![ADMIN],
        extra_env: vec![("OPENAI_API_MODE".into(), "responses".into())],
        meter: true,
        ..StackOptions::default()
    })
    .await;
    env.telegram.set_member_status(USER, "member");
    env.telegram.set_member_status(ADMIN, "member");
    go_through(&env).await;

    let mut before = items_naming(&env, USER).await;
    before.extend(redis_keys_naming(&env, USER));
    assert!(before.iter().any(|k| k.starts_with("USER#")), "{before:#?}");
    assert!(
        before.iter().any(|k| k.starts_with("redis member:")),
        "{before:#?}"
    );

    // The current provider conversation and the one /reset left behind.
    let mut server_conversations = env
        .clients
        .dynamo
        .get_item()
        .table_name(&env.resources.table)
        .set_key(Some(
            keys::server_conversation(ChatId::new(USER)).attributes(),
        ))
        .send()
        .await
        .unwrap()
        .item
        .and_then(|i| i.get("ids").and_then(|v| v.as_ss().ok()).cloned())
        .expect("provider conversations");
    server_conversations.sort();
    assert_eq!(server_conversations.len(), 2, "{server_conversations:?}");
    let openai = env.openai.as_ref().expect("the stand-in");
    assert!(
        server_conversations
            .iter()
            .all(|id| openai.holds_conversation(id))
    );

    post(&env, &private_text(USER, "Ann", "/forget")).await;
    let warning = env
        .telegram
        .calls()
        .into_iter()
        .rev()
        .find(|c| c.via_webhook_response && c.params["reply_markup"].is_object())
        .expect("the warning with its buttons");
    let confirm = warning.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        .as_str()
        .unwrap()
        .to_owned();
    // Someone else's press deletes nothing.
    post(&env, &callback_query(ADMIN, &confirm)).await;
    assert_eq!(
        items_naming(&env, USER).await.len() + redis_keys_naming(&env, USER).len(),
        before.len()
    );
    let meter = env.meter.as_ref().expect("metered");
    meter.reset();
    post(&env, &callback_query(USER, &confirm)).await;
    let requests = testkit::meter::summary(&meter.calls());
    println!("AWS requests for /forget's confirmation:");
    for ((function, service, operation), (count, _)) in &requests {
        println!("  {function} {service} {operation}: {count}");
    }
    let processor_dynamo: usize = requests
        .iter()
        .filter(|((f, s, _), _)| f == "processor" && *s == "DynamoDB")
        .map(|(_, (n, _))| n)
        .sum();
    // Four reads of single items, the two partitions' queries, the report, and one batch
    // of deletes (16 items fit one): a typical user costs a handful of requests.
    assert_eq!(processor_dynamo, 8, "{requests:#?}");

    let mut left = items_naming(&env, USER).await;
    left.extend(redis_keys_naming(&env, USER));
    println!(
        "deleted by /forget ({}):\n{}",
        before.len(),
        before.join("\n")
    );
    assert!(left.is_empty(), "left behind: {left:#?}");
    let report = env
        .telegram
        .calls()
        .into_iter()
        .rev()
        .find(|c| c.method.eq_ignore_ascii_case("editMessageText"))
        .expect("the confirmation edited into the report");
    let text = report.params["text"].as_str().unwrap_or_default();
    assert!(text.starts_with("Done."), "{text}");
    assert!(
        text.contains("2 conversations at the AI provider"),
        "{text}"
    );
    let mut deleted = openai.deleted_conversations();
    deleted.sort();
    assert_eq!(deleted, server_conversations);
    assert!(
        server_conversations
            .iter()
            .all(|id| !openai.holds_conversation(id))
    );
}

/// The confirmation's job runs to its end and its function dies before SQS hears: the
/// redelivery finds nothing left, yet reports what the first run found, and the user
/// gets one report.
#[tokio::test]
async fn a_redelivered_confirmation_reports_once_what_the_first_run_deleted() {
    let env = TestEnv::start().await;
    let user = 8_675_309_124;
    for text in ["one", "two", "/reset", "three"] {
        post(&env, &private_text(user, "Ann", text)).await;
    }
    let before = items_naming(&env, user).await;
    env.crash_after_next_batch(testkit::Stage::Processor);
    let confirm = shared::domain::CallbackData::Forget {
        user: shared::domain::UserId::new(user),
        asked_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64,
    }
    .encode();
    post(&env, &callback_query(user, &confirm)).await;
    assert!(items_naming(&env, user).await.is_empty(), "{before:#?}");
    let reports: Vec<String> = env
        .telegram
        .calls()
        .into_iter()
        .filter(|c| c.method.eq_ignore_ascii_case("editMessageText"))
        .map(|c| c.params["text"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(reports.len(), 1, "{reports:#?}");
    assert!(reports[0].contains("3 messages"), "{}", reports[0]);
    assert!(
        env.invocations(testkit::Stage::Processor) >= 2,
        "it was delivered again"
    );
}

/// Without Redis the membership is cached in the table: that entry goes too.
#[tokio::test]
async fn without_redis_the_cached_membership_in_the_table_goes_too() {
    let env = TestEnv::with(StackOptions {
        redis: false,
        channel: Some("@news_channel".into()),
        ..StackOptions::default()
    })
    .await;
    let user = 8_675_309_125;
    env.telegram.set_member_status(user, "member");
    post(&env, &private_text(user, "Ann", "hello")).await;
    let before = items_naming(&env, user).await;
    assert!(
        before.iter().any(|k| k.starts_with("CACHE#member:")),
        "{before:#?}"
    );
    let confirm = shared::domain::CallbackData::Forget {
        user: shared::domain::UserId::new(user),
        asked_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64,
    }
    .encode();
    post(&env, &callback_query(user, &confirm)).await;
    let left = items_naming(&env, user).await;
    assert!(left.is_empty(), "left behind: {left:#?}");
}
