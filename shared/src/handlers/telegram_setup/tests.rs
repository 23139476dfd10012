//! telegram-setup's tests on a scripted fake Bot API: what each request does on Telegram,
//! what CloudFormation is told, and that a Delete always succeeds.

use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Value, json};

use super::request::{Action, action, webhook_props};
use super::*;
use crate::adapters::secrets::BotSecrets;
use crate::domain::menu::Menu;
use crate::ports::{BotProfile, BotSetup, TelegramError, WebhookSettings};

const TOKEN: &str = "123456789:secret-part";

/// A method and the error its every call gets.
type Scripted = (&'static str, fn() -> TelegramError);

/// Records the calls; `fail` scripts a failure for a method's every call.
#[derive(Default)]
struct FakeBot {
    calls: Mutex<Vec<String>>,
    webhook: Mutex<Option<WebhookSettings>>,
    fail: Option<Scripted>,
    hang: bool,
}

impl FakeBot {
    fn failing(method: &'static str, error: fn() -> TelegramError) -> Self {
        Self {
            fail: Some((method, error)),
            ..Self::default()
        }
    }

    async fn answer(&self, method: &str) -> Result<(), TelegramError> {
        self.calls.lock().unwrap().push(method.to_owned());
        if self.hang {
            std::future::pending::<()>().await;
        }
        match self.fail {
            Some((failing, error)) if failing == method => Err(error()),
            _ => Ok(()),
        }
    }

    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }
}

impl BotSetup for FakeBot {
    async fn get_me(&self) -> Result<BotProfile, TelegramError> {
        self.answer("getMe").await?;
        Ok(BotProfile {
            id: 123_456_789,
            username: Some("companion_bot".into()),
        })
    }
    async fn set_webhook(&self, webhook: &WebhookSettings) -> Result<(), TelegramError> {
        *self.webhook.lock().unwrap() = Some(webhook.clone());
        self.answer("setWebhook").await
    }
    async fn set_my_commands(&self, menu: &Menu) -> Result<(), TelegramError> {
        let lang = menu.lang.map_or("default", |l| l.code());
        self.answer(&format!("setMyCommands {} {lang}", menu.scope.type_name()))
            .await
    }
    async fn delete_webhook(&self) -> Result<(), TelegramError> {
        self.answer("deleteWebhook").await
    }
}

fn secrets(token: &str) -> BotSecrets {
    BotSecrets::parse(&json!({ "telegram_bot_token": token }).to_string()).unwrap()
}

fn props(url: &str, max: Value) -> Value {
    json!({"ServiceToken": "arn:aws:lambda:x", "Action": "webhook", "WebhookUrl": url,
           "MaxConnections": max, "TokenChange": TOKEN})
}

fn deadline() -> Deadline {
    Deadline::after(Duration::from_secs(25))
}

async fn webhook(
    bot: &FakeBot,
    token: Result<&str, &str>,
    kind: Kind,
    properties: &Value,
) -> Outcome {
    let secrets = token.map(secrets).map_err(str::to_owned);
    webhook::run(
        bot,
        secrets.as_ref().map_err(Clone::clone),
        &kind,
        properties,
        deadline(),
    )
    .await
}

fn update(physical_id: &str) -> Kind {
    Kind::Update {
        physical_id: physical_id.into(),
    }
}

fn delete(physical_id: &str) -> Kind {
    Kind::Delete {
        physical_id: physical_id.into(),
    }
}

#[test]
fn properties_read_as_cloudformation_sends_them() {
    assert_eq!(action(&json!({"Action": "identity"})), Ok(Action::Identity));
    assert_eq!(action(&json!({"Action": "Webhook"})), Ok(Action::Webhook));
    assert!(
        action(&json!({"Action": "bot"}))
            .unwrap_err()
            .contains("\"identity\" or \"webhook\"")
    );
    assert!(action(&json!({})).unwrap_err().contains("missing"));

    let read = |max: Value| webhook_props(&props("https://x.example/", max));
    assert_eq!(read(json!("40")).unwrap().max_connections, Some(40));
    assert_eq!(read(json!(" 100 ")).unwrap().max_connections, Some(100));
    assert_eq!(read(json!(7)).unwrap().max_connections, Some(7));
    assert_eq!(read(json!("")).unwrap().max_connections, None);
    assert_eq!(read(Value::Null).unwrap().max_connections, None);
    for bad in [
        json!("0"),
        json!("101"),
        json!("many"),
        json!(-1),
        json!(2.5),
        json!([1]),
    ] {
        let err = read(bad.clone()).unwrap_err();
        assert!(err.contains("MaxConnections"), "{bad}: {err}");
    }
    assert_eq!(read(json!("40")).unwrap().url, "https://x.example/");
    let err = webhook_props(&json!({"Action": "webhook", "WebhookUrl": " "})).unwrap_err();
    assert!(err.contains("WebhookUrl"), "{err}");
    // No property value in a Debug either: the properties hold the token.
    assert!(!format!("{:?}", read(json!("40")).unwrap()).contains("x.example"));
}

#[test]
fn a_request_reads_whatever_its_type_and_an_unreadable_one_can_still_be_answered() {
    let base = json!({"ServiceToken": "arn", "ResponseURL": "https://s3.example/signed?X-Amz-Signature=abc",
        "StackId": "arn:stack", "RequestId": "r1", "LogicalResourceId": "TelegramWebhook",
        "ResourceType": "Custom::TelegramWebhook", "ResourceProperties": props("https://x/", json!("40"))});
    let mut update = base.clone();
    update["RequestType"] = json!("Update");
    update["PhysicalResourceId"] = json!("telegram-webhook-1");
    update["OldResourceProperties"] = json!({});
    let read = Request::read(update).ok().unwrap();
    assert_eq!(
        read.kind,
        Kind::Update {
            physical_id: "telegram-webhook-1".into()
        }
    );
    assert_eq!(read.reply.request_id, "r1");
    assert!(!format!("{:?}", read.reply).contains("Signature"));

    let mut odd = base.clone();
    odd["RequestType"] = json!("Replace");
    odd["PhysicalResourceId"] = json!("telegram-webhook-1");
    let unreadable = Request::read(odd).err().unwrap();
    let (reply, physical) = *unreadable.reply.unwrap();
    assert_eq!(reply.logical_resource_id, "TelegramWebhook");
    assert_eq!(physical.as_deref(), Some("telegram-webhook-1"));
    assert!(
        unreadable.reason.contains("Replace"),
        "{}",
        unreadable.reason
    );

    let mut nowhere = base;
    nowhere["RequestType"] = json!("Create");
    nowhere.as_object_mut().unwrap().remove("ResponseURL");
    let unreadable = Request::read(nowhere).err().unwrap();
    assert!(unreadable.reply.is_none());
    assert!(
        unreadable.reason.contains("ResponseURL"),
        "{}",
        unreadable.reason
    );
}

#[tokio::test]
async fn a_create_sets_the_webhook_then_every_menu() {
    let bot = FakeBot::default();
    let properties = props("https://hook.example/", json!("40"));
    let outcome = webhook(&bot, Ok(TOKEN), Kind::Create, &properties).await;
    assert!(outcome.success, "{outcome:?}");
    assert_eq!(outcome.physical_id, "telegram-webhook-123456789");
    // The default (English) menus, then one pair per other language, for Telegram to
    // show users whose app is set to it.
    let mut calls = vec!["setWebhook".to_owned()];
    for lang in ["default", "ru", "uk", "es", "pt", "de", "fr", "tr"] {
        calls.push(format!("setMyCommands all_private_chats {lang}"));
        calls.push(format!("setMyCommands all_group_chats {lang}"));
    }
    assert_eq!(bot.calls(), calls);
    assert!(
        outcome.reason.contains("16 command menus"),
        "{}",
        outcome.reason
    );
    let sent = bot.webhook.lock().unwrap().clone().unwrap();
    assert_eq!(sent.url, "https://hook.example/");
    assert_eq!(sent.secret_token, secrets(TOKEN).webhook_secret());
    assert_eq!(sent.max_connections, Some(40));
    assert!(sent.allowed_updates.contains(&"chat_member".to_owned()));
}

#[tokio::test]
async fn an_update_keeps_its_id_unless_the_bot_changed() {
    let properties = props("https://hook.example/", json!("40"));
    let same = webhook(
        &FakeBot::default(),
        Ok(TOKEN),
        update("telegram-webhook-123456789"),
        &properties,
    )
    .await;
    assert_eq!(same.physical_id, "telegram-webhook-123456789");
    let other = webhook(
        &FakeBot::default(),
        Ok("987:new"),
        update("telegram-webhook-123456789"),
        &properties,
    )
    .await;
    assert!(other.success);
    assert_eq!(other.physical_id, "telegram-webhook-987");
    // A failed update keeps the id it had, whatever the bot: nothing gets deleted.
    let bot = FakeBot::failing("setWebhook", || TelegramError::Rejected {
        code: 400,
        description: "Bad Request: bad webhook: HTTPS url must be provided for webhook".into(),
    });
    let failed = webhook(
        &bot,
        Ok("987:new"),
        update("telegram-webhook-123456789"),
        &properties,
    )
    .await;
    assert!(!failed.success);
    assert_eq!(failed.physical_id, "telegram-webhook-123456789");
    assert_eq!(
        failed.reason,
        "setWebhook: Bad Request: bad webhook: HTTPS url must be provided for webhook"
    );
}

#[tokio::test]
async fn a_create_that_cannot_start_fails_with_a_reason_and_no_secret() {
    let properties = props("https://hook.example/", json!("40"));
    let no_secret = webhook(
        &FakeBot::default(),
        Err("GetSecretValue s: not found"),
        Kind::Create,
        &properties,
    )
    .await;
    assert!(!no_secret.success);
    assert!(
        no_secret.reason.contains("not found"),
        "{}",
        no_secret.reason
    );
    assert_eq!(no_secret.physical_id, "telegram-webhook-unknown");

    let no_url = webhook(
        &FakeBot::default(),
        Ok(TOKEN),
        Kind::Create,
        &json!({"Action": "webhook"}),
    )
    .await;
    assert!(
        !no_url.success && no_url.reason.contains("WebhookUrl"),
        "{no_url:?}"
    );

    let odd_token = webhook(
        &FakeBot::default(),
        Ok("not-a-token"),
        Kind::Create,
        &properties,
    )
    .await;
    assert!(
        !odd_token.success && !odd_token.reason.contains("not-a-token"),
        "{odd_token:?}"
    );

    let bot = FakeBot::failing("setMyCommands all_group_chats de", || {
        TelegramError::Transient("setMyCommands: HTTP 502: HTTP 502 with a non-JSON body".into())
    });
    let menus = webhook(&bot, Ok(TOKEN), Kind::Create, &properties).await;
    assert!(!menus.success);
    assert!(
        menus
            .reason
            .starts_with("setMyCommands (all_group_chats, de): "),
        "{}",
        menus.reason
    );
    assert!(!menus.reason.contains("secret-part"));
}

#[tokio::test]
async fn a_delete_always_succeeds_and_spares_another_bots_webhook() {
    let properties = props("https://hook.example/", json!("40"));
    let ours = "telegram-webhook-123456789";
    let bot = FakeBot::default();
    let deleted = webhook(&bot, Ok(TOKEN), delete(ours), &properties).await;
    assert!(deleted.success);
    assert_eq!(deleted.physical_id, ours);
    assert_eq!(bot.calls(), ["deleteWebhook"]);

    let bot = FakeBot::default();
    let old_bot = webhook(&bot, Ok("987:new"), delete(ours), &properties).await;
    assert!(old_bot.success);
    assert!(bot.calls().is_empty(), "the new bot's webhook stays");

    let bot = FakeBot::failing("deleteWebhook", || TelegramError::Rejected {
        code: 401,
        description: "Unauthorized".into(),
    });
    let refused = webhook(&bot, Ok(TOKEN), delete(ours), &properties).await;
    assert!(
        refused.success && refused.reason.contains("Unauthorized"),
        "{refused:?}"
    );

    let bot = FakeBot::default();
    let no_secret = webhook(&bot, Err("gone"), delete(ours), &json!({})).await;
    assert!(no_secret.success);
    assert!(bot.calls().is_empty());

    let never_made = webhook(
        &bot,
        Ok(TOKEN),
        delete("telegram-webhook-unknown"),
        &properties,
    )
    .await;
    assert!(never_made.success);
    assert!(bot.calls().is_empty());
}

#[tokio::test]
async fn identity_answers_the_username_and_id() {
    let bot = FakeBot::default();
    let fp = || Some("0123456789abcdef".to_owned());
    let created = identity::run(&bot, &Kind::Create, fp(), deadline()).await;
    assert!(created.success);
    assert_eq!(created.physical_id, "telegram-bot-123456789");
    assert_eq!(created.data["Username"], "companion_bot");
    assert_eq!(created.data["Id"], "123456789");
    assert_eq!(created.data["TokenFingerprint"], "0123456789abcdef");
    let kept = identity::run(&bot, &update("telegram-bot-123456789"), fp(), deadline()).await;
    assert_eq!(kept.physical_id, "telegram-bot-123456789");

    let deleted = identity::run(&bot, &delete("telegram-bot-123456789"), None, deadline()).await;
    assert!(deleted.success);
    assert_eq!(bot.calls(), ["getMe", "getMe"], "a delete calls nothing");

    let bot = FakeBot::failing("getMe", || TelegramError::Rejected {
        code: 401,
        description: "Unauthorized".into(),
    });
    let refused = identity::run(&bot, &Kind::Create, fp(), deadline()).await;
    assert!(!refused.success);
    assert_eq!(refused.reason, "getMe: Unauthorized");

    let unread = identity::run(&FakeBot::default(), &Kind::Create, None, deadline()).await;
    assert!(!unread.success, "no fingerprint, no identity");
}

#[tokio::test(start_paused = true)]
async fn a_hung_telegram_is_cut_before_the_deadline_and_a_delete_still_succeeds() {
    let bot = FakeBot {
        hang: true,
        ..FakeBot::default()
    };
    let properties = props("https://hook.example/", json!("40"));
    let limit = Deadline::after(Duration::from_secs(20));
    for kind in [Kind::Create, delete("telegram-webhook-123456789")] {
        let secrets = secrets(TOKEN);
        let run = webhook::run(&bot, Ok(&secrets), &kind, &properties, limit);
        let outcome = within(&kind, limit, run).await;
        assert_eq!(
            outcome.success,
            matches!(kind, Kind::Delete { .. }),
            "{outcome:?}"
        );
        assert!(outcome.reason.contains("in time"), "{}", outcome.reason);
    }
    // A whole run that outlasts its deadline (the secret's fetch, say) is cut too.
    let late = within(&Kind::Create, limit, std::future::pending()).await;
    assert!(
        !late.success && late.reason.contains("deadline"),
        "{late:?}"
    );
}
