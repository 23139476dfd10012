//! The Bot API calls' parameters and how Telegram's answers are classified.

use super::*;

#[test]
fn classify_table() {
    let cases: &[(u16, &str, &str)] = &[
        (
            429,
            r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 14","parameters":{"retry_after":14}}"#,
            "RetryAfter(14s)",
        ),
        (
            403,
            r#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#,
            "Forbidden(\"Forbidden: bot was blocked by the user\")",
        ),
        (
            400,
            r#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#,
            "Rejected { code: 400, description: \"Bad Request: chat not found\" }",
        ),
        (
            502,
            "<html><body>502 Bad Gateway</body></html>",
            "Transient(\"sendMessage: HTTP 502: HTTP 502 with a non-JSON body\")",
        ),
        (
            400,
            r#"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001234567890}}"#,
            "Migrated(-1001234567890)",
        ),
    ];
    for (status, body, want) in cases {
        let got = format!("{:?}", classify("sendMessage", *status, body.as_bytes()));
        assert_eq!(&got, want);
    }
}

#[test]
fn params_carry_buttons_and_reply() {
    let msg = OutgoingMessage {
        delivery_id: crate::domain::DeliveryId::reply_to("d", 1),
        chat_id: crate::domain::ChatId::new(5),
        user_id: None,
        text: "hi".into(),
        reply_to_message_id: Some(7),
        buttons: vec![crate::domain::Button {
            text: "Join".into(),
            url: "https://t.me/x".into(),
        }],
        document: None,
        markdown: false,
        html: true,
        topic: None,
        voice: false,
        lang: crate::domain::Lang::En,
        keyboard: Vec::new(),
        edit_message_id: None,
    };
    let json = serde_json::to_value(send_message_params(&msg)).unwrap();
    assert_eq!(json["chat_id"], 5);
    assert_eq!(json["reply_parameters"]["message_id"], 7);
    assert_eq!(
        json["reply_markup"]["inline_keyboard"][0][0]["url"],
        "https://t.me/x"
    );
}
