//! Faults, flood control and migrated chats.

use std::time::Duration;

use serde_json::json;

use super::super::{TelegramStandIn, TgFault};
use super::{TOKEN, call};

#[tokio::test]
async fn a_429_holds_that_method_for_that_chat_until_retry_after_has_passed() {
    let tg = TelegramStandIn::start(TOKEN).await;
    tg.fail_next(
        "sendMessageDraft",
        TgFault::TooManyRequests { retry_after: 1 },
    );
    let draft = |chat: i64| json!({"chat_id": chat, "draft_id": 1, "text": "Hel"});
    let limited = call(&tg, "sendMessageDraft", &draft(7)).await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.json()["parameters"]["retry_after"], 1);
    assert!(
        tg.flood_violations().is_empty(),
        "the 429 itself is no violation"
    );

    let again = call(&tg, "sendMessageDraft", &draft(7)).await;
    assert_eq!(again.status, 429);
    assert_eq!(
        again.json()["parameters"]["retry_after"],
        1,
        "seconds left, rounded up"
    );
    // Another chat, or another method for the same chat, is not held.
    assert_eq!(call(&tg, "sendMessageDraft", &draft(8)).await.status, 200);
    let typing = json!({"chat_id": 7, "action": "typing"});
    assert_eq!(call(&tg, "sendChatAction", &typing).await.status, 200);
    let violations = tg.flood_violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert!(
        violations[0].starts_with("sendMessageDraft for chat Some(7)"),
        "{violations:?}"
    );

    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(call(&tg, "sendMessageDraft", &draft(7)).await.status, 200);
    assert_eq!(tg.flood_violations().len(), 1);
    let statuses: Vec<u16> = tg.drafts_to(7).iter().map(|c| c.status).collect();
    assert_eq!(statuses, [429, 429, 200]);
}

#[tokio::test]
async fn the_seconds_left_count_down_from_the_first_429() {
    let tg = TelegramStandIn::start(TOKEN).await;
    tg.fail_next("sendMessage", TgFault::TooManyRequests { retry_after: 30 });
    let message = json!({"chat_id": -100_123, "text": "hi"});
    assert_eq!(call(&tg, "sendMessage", &message).await.status, 429);
    let again = call(&tg, "sendMessage", &message).await.json();
    let left = again["parameters"]["retry_after"].as_u64().unwrap();
    assert!((1..=30).contains(&left), "{left}");
    assert_eq!(
        again["description"],
        format!("Too Many Requests: retry after {left}")
    );
    assert!(tg.delivered().is_empty());
}

#[tokio::test]
async fn an_upgraded_group_answers_with_the_supergroup_from_then_on() {
    let tg = TelegramStandIn::start(TOKEN).await;
    let old = -4_000_123;
    let new = -1_001_234_567_890;
    tg.fail_next("sendMessage", TgFault::MigrateToChat(new));
    let message = |chat: i64| json!({"chat_id": chat, "text": "hi"});
    let refused = call(&tg, "sendMessage", &message(old)).await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        String::from_utf8(refused.body).unwrap(),
        format!(
            r#"{{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{{"migrate_to_chat_id":{new}}}}}"#
        )
    );
    // The old group stays upgraded for every method but getChat.
    let typing = json!({"chat_id": old, "action": "typing"});
    assert_eq!(call(&tg, "sendChatAction", &typing).await.status, 400);
    assert_eq!(
        call(&tg, "getChat", &json!({"chat_id": old})).await.status,
        200
    );
    assert_eq!(call(&tg, "sendMessage", &message(new)).await.status, 200);
    assert_eq!(tg.texts_to(new), ["hi"]);
    assert!(tg.texts_to(old).is_empty());
}

#[tokio::test]
async fn a_fault_for_one_chat_waits_for_that_chat_and_comes_before_the_method_wide_ones() {
    let tg = TelegramStandIn::start(TOKEN).await;
    let group = -4_000_321;
    let new = -1_001_234_000_321;
    tg.fail_next("sendMessage", TgFault::Blocked);
    tg.fail_next_in(group, "sendMessage", TgFault::MigrateToChat(new));
    let message = |chat: i64| json!({"chat_id": chat, "text": "hi"});
    // Another chat's call takes the method-wide fault and leaves the group's alone.
    assert_eq!(call(&tg, "sendMessage", &message(7)).await.status, 403);
    assert_eq!(call(&tg, "sendMessage", &message(8)).await.status, 200);
    assert_eq!(tg.migrated_to(group), None);
    assert_eq!(call(&tg, "sendMessage", &message(group)).await.status, 400);
    assert_eq!(tg.migrated_to(group), Some(new));
    assert_eq!(tg.migrated_to(new), None);
}

#[tokio::test]
async fn a_slow_send_is_delivered_though_its_answer_comes_too_late() {
    let tg = TelegramStandIn::start(TOKEN).await;
    tg.fail_next(
        "sendMessage",
        TgFault::SlowButDelivered(Duration::from_secs(30)),
    );
    let message = json!({"chat_id": 42, "text": "did it arrive?"});
    let base = tg.base_url();
    let host = base.trim_start_matches("http://").to_owned();
    let body = message.to_string();
    let request = format!(
        "POST /bot{TOKEN}/sendMessage HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    // The client gives up once the call is in: the answer never reaches it.
    let mut stream = tokio::net::TcpStream::connect(&host).await.unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut stream, request.as_bytes())
        .await
        .unwrap();
    while tg.count("sendMessage") == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    drop(stream);
    assert_eq!(tg.texts_to(42), ["did it arrive?"]);
    assert_eq!(tg.delivered().len(), 1);
    // The next send is answered at once, with the next message id.
    let next = call(&tg, "sendMessage", &json!({"chat_id": 42, "text": "again"})).await;
    assert_eq!(next.status, 200);
    assert_eq!(next.json()["result"]["message_id"], 1002);
}

#[tokio::test]
async fn cant_parse_entities_waits_for_a_text_with_a_parse_mode() {
    let tg = TelegramStandIn::start(TOKEN).await;
    tg.fail_next("sendMessage", TgFault::CantParseEntities);
    let plain = json!({"chat_id": 7, "text": "a <b plain text"});
    assert_eq!(call(&tg, "sendMessage", &plain).await.status, 200);
    let html = json!({"chat_id": 7, "text": "<b>bold", "parse_mode": "HTML"});
    assert_eq!(call(&tg, "sendMessage", &html).await.status, 400);
    assert_eq!(call(&tg, "sendMessage", &html).await.status, 200);
}

#[tokio::test]
async fn setup_calls_can_be_refused_and_another_token_can_be_accepted() {
    let tg = TelegramStandIn::start(TOKEN).await;
    let description = "Bad Request: bad webhook: HTTPS url must be provided for webhook";
    tg.fail_next(
        "setWebhook",
        TgFault::Refused {
            code: 400,
            description: description.into(),
        },
    );
    tg.fail_next("deleteWebhook", TgFault::Unauthorized);
    let hook = json!({"url": "http://plain.example/", "secret_token": "abc"});
    let refused = call(&tg, "setWebhook", &hook).await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.json()["description"], description);
    assert_eq!(call(&tg, "setWebhook", &hook).await.status, 200);
    let unauthorized = call(&tg, "deleteWebhook", &json!({})).await;
    assert_eq!(unauthorized.status, 401);
    assert_eq!(unauthorized.json()["description"], "Unauthorized");

    let other = "456:other-bot";
    let (base, path) = (tg.base_url(), format!("/bot{other}/getMe"));
    let by_other = || crate::raw_http::http("POST", &base, &path, &[], b"");
    assert_eq!(by_other().await.status, 401);
    tg.accept_token(other);
    assert_eq!(by_other().await.status, 200);
    let bots: Vec<Option<i64>> = tg.calls().iter().map(|c| c.bot_id).collect();
    assert_eq!(bots, [Some(123), Some(123), Some(123), Some(456)]);
}
