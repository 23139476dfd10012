//! `telegram-setup`, the CloudFormation custom resource, driven by the recorded requests
//! in `events/` on the local stack: Secrets Manager on moto, the Telegram stand-in (which
//! checks every call against the Bot API description), and a stand-in for the pre-signed
//! response URL that takes only what S3 would.

use std::time::Duration;

use serde_json::{Value, json};
use shared::adapters::secrets::{BotSecrets, derive_webhook_secret};
use shared::adapters::telegram::inbound::{Content, parse_update};
use testkit::cfn_standin::ResponseUrlStandIn;
use testkit::fixtures::workspace_root;
use testkit::stack::{LOCAL_BOT_ID, LOCAL_BOT_TOKEN, LOCAL_WEBHOOK_SECRET};
use testkit::telegram_standin::TgCall;
use testkit::updates::private_text;

use crate::env::TestEnv;

mod failures;

/// Another bot's token: what the secret holds after the token was changed to a new bot.
pub(super) const NEW_TOKEN: &str = "987654321:NEW-bot-token_after-the-change";
const NEW_BOT_ID: i64 = 987_654_321;

pub(super) fn event(name: &str) -> Value {
    let path = workspace_root().join("events").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

pub(super) async fn start() -> (TestEnv, ResponseUrlStandIn) {
    let env = Box::pin(TestEnv::start()).await;
    (env, ResponseUrlStandIn::start().await)
}

/// Runs `event` as Lambda would (a 30 s deadline) and returns the one answer S3 took.
pub(super) async fn answer(env: &TestEnv, responses: &ResponseUrlStandIn, event: Value) -> Value {
    let before = responses.answers().len();
    let returned = env
        .invoke_telegram_setup(responses, event, Duration::from_secs(30))
        .await
        .unwrap();
    let answers = responses.answers();
    assert_eq!(answers.len(), before + 1, "one answer per request");
    assert_eq!(
        answers[before], returned,
        "the function returns what it sent"
    );
    returned
}

pub(super) async fn put_secret(env: &TestEnv, secret: &Value) {
    env.clients
        .secrets
        .put_secret_value()
        .secret_id(&env.resources.secret_id)
        .secret_string(secret.to_string())
        .send()
        .await
        .unwrap();
}

/// The token alone: the webhook secret is then derived from it.
pub(super) async fn token_only(env: &TestEnv, token: &str) {
    put_secret(env, &json!({ "telegram_bot_token": token })).await;
}

pub(super) fn calls(env: &TestEnv, method: &str) -> Vec<TgCall> {
    env.telegram
        .calls()
        .into_iter()
        .filter(|c| c.method == method)
        .collect()
}

/// The fields of the Bot API's `Update` (10.1 and the 10.3 addendum) but `update_id`.
fn update_kinds() -> Vec<String> {
    let mut kinds = Vec::new();
    for file in [
        "telegram-bot-api-10.1.api.json",
        "telegram-bot-api-10.3-addendum.json",
    ] {
        let path = workspace_root().join("tests/specs").join(file);
        let spec: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for field in spec["types"]["Update"]["fields"].as_array().unwrap() {
            kinds.push(field["name"].as_str().unwrap().to_owned());
        }
    }
    kinds.retain(|k| k != "update_id");
    kinds
}

/// Every kind of update the webhook acts on is in `allowed`, and only real kinds.
fn assert_every_handled_kind_is_asked_for(allowed: &Value) {
    let allowed: Vec<&str> = allowed
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    let kinds = update_kinds();
    for kind in &kinds {
        let update = json!({"update_id": 1, kind.as_str(): {}}).to_string();
        let read = parse_update(update.as_bytes()).unwrap().content;
        if read != Content::Other {
            assert!(allowed.contains(&kind.as_str()), "{kind} is not asked for");
        }
    }
    assert!(allowed.iter().all(|a| kinds.iter().any(|k| k == a)));
    assert!(allowed.contains(&"chat_member") && allowed.contains(&"stopped_message_generation"));
}

#[tokio::test]
async fn a_create_sets_the_webhook_the_webhook_function_accepts_and_every_menu() {
    let (env, responses) = start().await;
    token_only(&env, LOCAL_BOT_TOKEN).await;

    let create = event("telegram-setup-webhook-create.json");
    let answered = answer(&env, &responses, create.clone()).await;
    assert_eq!(answered["Status"], "SUCCESS", "{answered}");
    assert_eq!(
        answered["PhysicalResourceId"],
        format!("telegram-webhook-{LOCAL_BOT_ID}")
    );
    for field in ["StackId", "RequestId", "LogicalResourceId"] {
        assert_eq!(answered[field], create[field], "{field}");
    }
    let put = &responses.puts()[0];
    assert_eq!(put.method, "PUT");
    assert_eq!(
        put.content_type.as_deref(),
        Some(""),
        "an empty Content-Type"
    );
    assert!(put.path_and_query.contains("X-Amz-Signature="));

    let set = calls(&env, "setWebhook");
    assert_eq!(set.len(), 1);
    let params = &set[0].params;
    assert_eq!(set[0].bot_id, Some(LOCAL_BOT_ID));
    assert_eq!(params["url"], create["ResourceProperties"]["WebhookUrl"]);
    assert_eq!(params["max_connections"], 40, "a number, from the string");
    let secret = params["secret_token"].as_str().unwrap();
    assert_eq!(secret, derive_webhook_secret(LOCAL_BOT_TOKEN));
    let parsed = BotSecrets::parse(&json!({ "telegram_bot_token": LOCAL_BOT_TOKEN }).to_string());
    assert_eq!(secret, parsed.unwrap().webhook_secret());

    assert_every_handled_kind_is_asked_for(&params["allowed_updates"]);

    // Telegram will send the webhook exactly that secret, and the webhook takes it.
    let update = private_text(4101, "Ann", "/start");
    let (status, _) = env
        .post_update_with_secret(&update, Some(secret))
        .await
        .unwrap();
    assert_eq!(status, 200);
    let (status, _) = env
        .post_update_with_secret(&update, Some(LOCAL_WEBHOOK_SECRET))
        .await
        .unwrap();
    assert_eq!(status, 401, "the secret is the derived one, no other");

    // The menus, as `bot-commands` prints them.
    let menus: Vec<Value> = calls(&env, "setMyCommands")
        .into_iter()
        .map(|c| c.params)
        .collect();
    let expected: Vec<Value> = shared::adapters::telegram::setup::menu_requests()
        .iter()
        .map(|p| serde_json::to_value(p).unwrap())
        .collect();
    assert_eq!(menus, expected);
    assert_eq!(menus[0]["scope"]["type"], "all_private_chats");
    assert_eq!(menus[1]["scope"]["type"], "all_group_chats");
}

#[tokio::test]
async fn the_identity_is_the_bots_username_and_id_from_get_me() {
    let (env, responses) = start().await;
    let answered = answer(
        &env,
        &responses,
        event("telegram-setup-identity-create.json"),
    )
    .await;
    let me = testkit::fixtures::json("telegram/responses/04-getMe-ok.json")["result"].clone();
    assert_eq!(answered["Status"], "SUCCESS", "{answered}");
    assert_eq!(answered["Data"]["Username"], me["username"]);
    assert_eq!(answered["Data"]["Id"], me["id"].to_string());
    // What the template puts in every function's environment: a new token replaces
    // their warm containers. It is not the token, nor a part of the webhook secret.
    let fingerprint = shared::adapters::secrets::token_fingerprint(LOCAL_BOT_TOKEN);
    assert_eq!(answered["Data"]["TokenFingerprint"], fingerprint.as_str());
    assert!(!answered.to_string().contains(LOCAL_BOT_TOKEN));
    assert_eq!(
        answered["PhysicalResourceId"],
        format!("telegram-bot-{}", me["id"])
    );
    assert_eq!(calls(&env, "getMe").len(), 1);
    assert_eq!(calls(&env, "setWebhook").len(), 0);

    // Nothing to undo on Delete: no call at all.
    let mut delete = event("telegram-setup-identity-create.json");
    delete["RequestType"] = json!("Delete");
    delete["PhysicalResourceId"] = answered["PhysicalResourceId"].clone();
    let deleted = answer(&env, &responses, delete).await;
    assert_eq!(deleted["Status"], "SUCCESS");
    assert_eq!(env.telegram.calls().len(), 1);
}

#[tokio::test]
async fn an_update_keeps_the_physical_id_and_a_new_bot_gets_a_new_one() {
    let (env, responses) = start().await;
    let update = event("telegram-setup-webhook-update.json");
    let ours = format!("telegram-webhook-{LOCAL_BOT_ID}");
    let kept = answer(&env, &responses, update.clone()).await;
    assert_eq!(kept["Status"], "SUCCESS", "{kept}");
    assert_eq!(kept["PhysicalResourceId"], ours);
    assert_eq!(calls(&env, "setWebhook")[0].params["max_connections"], 100);

    // The token now belongs to another bot: a new id, so CloudFormation deletes the old.
    env.telegram.accept_token(NEW_TOKEN);
    token_only(&env, NEW_TOKEN).await;
    let mut changed = update;
    changed["ResourceProperties"]["TokenChange"] = json!(NEW_TOKEN);
    let replaced = answer(&env, &responses, changed).await;
    assert_eq!(replaced["Status"], "SUCCESS", "{replaced}");
    let theirs = format!("telegram-webhook-{NEW_BOT_ID}");
    assert_eq!(replaced["PhysicalResourceId"], theirs);
    let set = calls(&env, "setWebhook");
    assert_eq!(set[1].bot_id, Some(NEW_BOT_ID));
    assert_eq!(
        set[1].params["secret_token"],
        derive_webhook_secret(NEW_TOKEN)
    );

    // That Delete of the old id leaves the new bot's webhook alone.
    let mut delete_old = event("telegram-setup-webhook-delete.json");
    delete_old["PhysicalResourceId"] = json!(ours);
    let deleted = answer(&env, &responses, delete_old).await;
    assert_eq!(deleted["Status"], "SUCCESS");
    assert_eq!(deleted["PhysicalResourceId"], ours);
    assert!(calls(&env, "deleteWebhook").is_empty());

    let mut delete_new = event("telegram-setup-webhook-delete.json");
    delete_new["PhysicalResourceId"] = json!(theirs);
    assert_eq!(
        answer(&env, &responses, delete_new).await["Status"],
        "SUCCESS"
    );
    let deletes = calls(&env, "deleteWebhook");
    assert_eq!(deletes.len(), 1);
    assert_eq!(deletes[0].bot_id, Some(NEW_BOT_ID));
}
