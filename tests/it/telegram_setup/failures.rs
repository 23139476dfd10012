//! What goes wrong: Telegram refusing, the secret gone, the response URL failing, a
//! request that cannot be carried out; and what the logs must never hold.

use std::time::Duration;

use serde_json::{Value, json};
use shared::adapters::secrets::derive_webhook_secret;
use shared::config::SetupConfig;
use shared::handlers::telegram_setup;
use testkit::stack::LOCAL_BOT_TOKEN;
use testkit::telegram_standin::TgFault;
use tracing::level_filters::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;

use testkit::cfn_standin::ResponseUrlStandIn;

use super::{NEW_TOKEN, answer, calls, event, start, token_only};
use crate::env::TestEnv;

const BAD_WEBHOOK: &str = "Bad Request: bad webhook: HTTPS url must be provided for webhook";

/// Neither the token nor its secret part is in `answer`.
fn assert_no_token(answer: &Value, token: &str) {
    let text = answer.to_string();
    let secret_part = token.split_once(':').unwrap().1;
    assert!(
        !text.contains(token) && !text.contains(secret_part),
        "{text}"
    );
}

#[tokio::test]
async fn telegram_refusing_a_create_fails_it_in_telegrams_words_without_the_token() {
    let (env, responses) = start().await;
    env.telegram.fail_next(
        "setWebhook",
        TgFault::Refused {
            code: 400,
            description: BAD_WEBHOOK.into(),
        },
    );
    let failed = answer(
        &env,
        &responses,
        event("telegram-setup-webhook-create.json"),
    )
    .await;
    assert_eq!(failed["Status"], "FAILED");
    assert_eq!(failed["Reason"], format!("setWebhook: {BAD_WEBHOOK}"));
    assert_no_token(&failed, LOCAL_BOT_TOKEN);
    assert!(
        calls(&env, "setMyCommands").is_empty(),
        "stopped at the refusal"
    );

    // A revoked token: Telegram answers 401 to everything.
    let revoked = "555000111:REVOKED-token_nobody-accepts";
    token_only(&env, revoked).await;
    for (name, method) in [
        ("telegram-setup-identity-create.json", "getMe"),
        ("telegram-setup-webhook-create.json", "setWebhook"),
    ] {
        let failed = answer(&env, &responses, event(name)).await;
        assert_eq!(failed["Status"], "FAILED", "{name}");
        assert_eq!(
            failed["Reason"],
            format!("{method}: Unauthorized"),
            "{name}"
        );
        assert_no_token(&failed, revoked);
    }
}

#[tokio::test]
async fn a_delete_succeeds_whatever_telegram_or_the_secret_does() {
    let (env, responses) = start().await;
    let delete = || event("telegram-setup-webhook-delete.json");
    let deleted = answer(&env, &responses, delete()).await;
    assert_eq!(deleted["Status"], "SUCCESS", "{deleted}");
    assert_eq!(
        deleted["PhysicalResourceId"],
        delete()["PhysicalResourceId"]
    );
    assert_eq!(calls(&env, "deleteWebhook").len(), 1);

    env.telegram
        .fail_next("deleteWebhook", TgFault::Unauthorized);
    let refused = answer(&env, &responses, delete()).await;
    assert_eq!(refused["Status"], "SUCCESS", "{refused}");
    assert!(refused["Reason"].as_str().unwrap().contains("Unauthorized"));

    // Telegram down: tried again while there is time, then deleted anyway.
    for _ in 0..3 {
        env.telegram
            .fail_next("deleteWebhook", TgFault::BadGatewayHtml);
    }
    let down = answer(&env, &responses, delete()).await;
    assert_eq!(down["Status"], "SUCCESS", "{down}");
    assert_eq!(calls(&env, "deleteWebhook").len(), 5);

    // The secret is gone: nothing can be called, and the delete still succeeds.
    env.clients
        .secrets
        .delete_secret()
        .secret_id(&env.resources.secret_id)
        .force_delete_without_recovery(true)
        .send()
        .await
        .unwrap();
    let orphan = answer(&env, &responses, delete()).await;
    assert_eq!(orphan["Status"], "SUCCESS", "{orphan}");
    assert_eq!(calls(&env, "deleteWebhook").len(), 5);
    let create = answer(
        &env,
        &responses,
        event("telegram-setup-webhook-create.json"),
    )
    .await;
    assert_eq!(create["Status"], "FAILED", "a create needs the token");
}

#[tokio::test]
async fn a_response_url_failing_once_is_tried_again_and_answered_once() {
    let (env, responses) = start().await;
    responses.fail_next(500);
    let answered = answer(
        &env,
        &responses,
        event("telegram-setup-webhook-create.json"),
    )
    .await;
    assert_eq!(answered["Status"], "SUCCESS");
    let statuses: Vec<u16> = responses.puts().iter().map(|p| p.status).collect();
    assert_eq!(statuses, [500, 200]);
    assert_eq!(responses.puts()[0].body, responses.puts()[1].body);

    // A refusal that no retry mends (an expired signature) is the invocation's error,
    // so Lambda's own retry gets another chance.
    responses.fail_next(403);
    let refused = env
        .invoke_telegram_setup(
            &responses,
            event("telegram-setup-webhook-create.json"),
            Duration::from_secs(30),
        )
        .await;
    assert!(refused.is_err());
    assert_eq!(responses.puts().len(), 3);
}

#[tokio::test]
async fn a_request_it_cannot_carry_out_is_still_answered() {
    let (env, responses) = start().await;
    let mut unknown = event("telegram-setup-webhook-create.json");
    unknown["ResourceProperties"]["Action"] = json!("bot");
    let failed = answer(&env, &responses, unknown.clone()).await;
    assert_eq!(failed["Status"], "FAILED");
    assert!(
        failed["Reason"].as_str().unwrap().contains("Action"),
        "{failed}"
    );
    unknown["RequestType"] = json!("Delete");
    unknown["PhysicalResourceId"] = json!("telegram-setup-refused");
    assert_eq!(answer(&env, &responses, unknown).await["Status"], "SUCCESS");

    let mut no_url = event("telegram-setup-webhook-create.json");
    no_url["ResourceProperties"]
        .as_object_mut()
        .unwrap()
        .remove("WebhookUrl");
    let failed = answer(&env, &responses, no_url).await;
    assert_eq!(failed["Status"], "FAILED");
    assert!(
        failed["Reason"].as_str().unwrap().contains("WebhookUrl"),
        "{failed}"
    );
    assert!(env.telegram.calls().is_empty());

    // Deployed without SECRET_ID: no init failure, an answer naming it.
    let state = shared::app::telegram_setup(
        SetupConfig::from_lookup(|_| None),
        env.clients.secrets.clone(),
    )
    .unwrap();
    for (name, status) in [
        ("telegram-setup-webhook-create.json", "FAILED"),
        ("telegram-setup-webhook-delete.json", "SUCCESS"),
    ] {
        let mut request = event(name);
        responses.redirect(&mut request);
        let deadline = shared::clock::Deadline::after(Duration::from_secs(30));
        let answered = telegram_setup::handle(&state, request, deadline)
            .await
            .unwrap();
        assert_eq!(answered["Status"], status, "{name}");
        assert!(answered["Reason"].as_str().unwrap().contains("SECRET_ID"));
    }
}

/// Success, a retried answer, a refusal, a failed delete and a token change.
async fn every_path(env: &TestEnv, responses: &ResponseUrlStandIn) {
    token_only(env, LOCAL_BOT_TOKEN).await;
    let run = |name: &str| answer(env, responses, event(name));
    run("telegram-setup-identity-create.json").await;
    responses.fail_next(500);
    run("telegram-setup-webhook-create.json").await;
    run("telegram-setup-webhook-update.json").await;
    let refused = TgFault::Refused {
        code: 400,
        description: BAD_WEBHOOK.into(),
    };
    env.telegram.fail_next("setWebhook", refused);
    run("telegram-setup-webhook-create.json").await;
    env.telegram
        .fail_next("deleteWebhook", TgFault::Unauthorized);
    run("telegram-setup-webhook-delete.json").await;
    env.telegram.accept_token(NEW_TOKEN);
    token_only(env, NEW_TOKEN).await;
    run("telegram-setup-webhook-update.json").await;
}

/// What no log line may hold, by what it is.
fn secrets() -> Vec<(&'static str, String)> {
    let create = event("telegram-setup-webhook-create.json");
    let url = create["ResponseURL"].as_str().unwrap();
    let signature = url.split("X-Amz-Signature=").nth(1).unwrap();
    let webhook_url = create["ResourceProperties"]["WebhookUrl"].as_str().unwrap();
    let token_secret = LOCAL_BOT_TOKEN.split_once(':').unwrap().1;
    vec![
        ("bot token", LOCAL_BOT_TOKEN.into()),
        ("bot token's secret part", token_secret.into()),
        ("webhook secret", derive_webhook_secret(LOCAL_BOT_TOKEN)),
        ("new bot token", NEW_TOKEN.into()),
        ("new webhook secret", derive_webhook_secret(NEW_TOKEN)),
        ("response URL's signature", signature.into()),
        ("WebhookUrl property", webhook_url.into()),
    ]
}

#[tokio::test]
async fn at_trace_neither_the_token_nor_the_webhook_secret_reaches_the_logs() {
    let logs = crate::logs::Captured::default();
    let subscriber = tracing_subscriber::registry().with(shared::runtime::log_layer(
        LevelFilter::TRACE,
        true,
        logs.clone(),
    ));
    // This thread only: the function runs on it, the Telegram stand-in on its own.
    let _guard = tracing::subscriber::set_default(subscriber);
    let (env, responses) = start().await;
    every_path(&env, &responses).await;
    let lines = logs.lines();
    let found = crate::logs::found_in(&lines, &secrets());
    assert!(
        found.is_empty(),
        "the logs hold what they must not: {found:#?}"
    );
    // Not vacuous: the function and the HTTP clients under it did log, at TRACE.
    let logged = |needle: &str| lines.iter().any(|l| l.contains(needle));
    assert!(logged(r#""target":"shared::handlers::telegram_setup"#));
    assert!(logged("answering CloudFormation"));
    assert!(logged(r#""level":"TRACE""#));
    assert!(
        logged(BAD_WEBHOOK),
        "Telegram's refusal is logged, in its words"
    );
}
