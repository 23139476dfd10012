//! The Telegram description: requests, results, unions, and the 10.3 addendum.

use serde_json::{Value, json};

use crate::spec::telegram::{TgType, tg_primitive_fits};
use crate::spec::{TELEGRAM_ADDENDUM, TELEGRAM_SPEC, TelegramSpec, telegram};

fn tg_err(method: &str, params: &Value) -> String {
    telegram()
        .check_request(method, params)
        .expect_err("request should be rejected")
}

#[test]
fn telegram_accepts_a_valid_send_message_with_inline_keyboard() {
    let params = json!({
        "chat_id": 42,
        "text": "hello",
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": true},
        "reply_parameters": {"message_id": 7},
        "reply_markup": {"inline_keyboard": [[{"text": "Open", "url": "https://example.com"}]]}
    });
    telegram().check_request("sendMessage", &params).unwrap();
    // Method names are case-insensitive on Telegram's side.
    telegram().check_request("SENDMESSAGE", &params).unwrap();
    telegram()
        .check_request("sendMessage", &json!({"chat_id": "@channel", "text": "x"}))
        .unwrap();
}

#[test]
fn telegram_rejects_missing_unknown_and_mistyped_parameters() {
    let e = tg_err("sendMessage", &json!({"chat_id": 1}));
    assert!(e.contains("`text`") && e.contains("missing"), "{e}");
    let e = tg_err("sendMessage", &json!({"chat_id": 1, "text": "x", "foo": 1}));
    assert!(e.contains("`foo`") && e.contains("unknown"), "{e}");
    let e = tg_err("sendMessage", &json!({"chat_id": true, "text": "x"}));
    assert!(e.contains("chat_id") && e.contains("boolean"), "{e}");
    let e = tg_err("sendMessage", &json!({"chat_id": 1.5, "text": "x"}));
    assert!(e.contains("chat_id"), "{e}");
    let e = tg_err("sendMessage", &json!({"chat_id": 1, "text": 5}));
    assert!(e.contains("text") && e.contains("String"), "{e}");
}

#[test]
fn telegram_checks_nested_objects_and_arrays() {
    let e = tg_err(
        "sendMessage",
        &json!({"chat_id": 1, "text": "x",
               "reply_markup": {"inline_keyboard": [[{"text": "a", "url": "u", "colour": 1}]]}}),
    );
    assert!(
        e.contains("reply_markup.inline_keyboard[0][0]") && e.contains("`colour`"),
        "{e}"
    );
    // Only the markup kind the value resembles is blamed.
    assert!(!e.contains("ReplyKeyboardMarkup"), "{e}");
    // One level of nesting too few: a row must itself be an array of buttons.
    let e = tg_err(
        "sendMessage",
        &json!({"chat_id": 1, "text": "x", "reply_markup": {"inline_keyboard": [{"text": "a"}]}}),
    );
    assert!(e.contains("reply_markup"), "{e}");
    let e = tg_err(
        "sendMessage",
        &json!({"chat_id": 1, "text": "x", "reply_parameters": {"chat_id": 1}}),
    );
    assert!(e.contains("message_id"), "{e}");
    // Other markup alternatives are accepted too.
    telegram()
        .check_request(
            "sendMessage",
            &json!({"chat_id": 1, "text": "x", "reply_markup": {"force_reply": true}}),
        )
        .unwrap();
    telegram()
        .check_request(
            "sendMessage",
            &json!({"chat_id": 1, "text": "x", "reply_markup": {"remove_keyboard": true}}),
        )
        .unwrap();
}

#[test]
fn telegram_accepts_json_serialised_structured_parameters() {
    let markup = r#"{"inline_keyboard":[[{"text":"a","callback_data":"b"}]]}"#;
    telegram()
        .check_request(
            "sendMessage",
            &json!({"chat_id": 1, "text": "x", "reply_markup": markup}),
        )
        .unwrap();
    let e = tg_err(
        "sendMessage",
        &json!({"chat_id": 1, "text": "x", "reply_markup": r#"{"inline_keyboard":[[{"txt":"a"}]]}"#}),
    );
    assert!(e.contains("JSON-serialised"), "{e}");
    let e = tg_err(
        "sendMessage",
        &json!({"chat_id": 1, "text": "x", "reply_markup": "not json"}),
    );
    assert!(
        e.contains("reply_markup") && e.contains("must hold a JSON-serialised"),
        "{e}"
    );
    // The leniency goes one way only: an object is no string.
    let e = tg_err(
        "sendMessage",
        &json!({"chat_id": 1, "text": "{}", "parse_mode": {}}),
    );
    assert!(e.contains("parse_mode"), "{e}");
}

#[test]
fn telegram_send_message_draft_exists_with_its_required_parameters() {
    let spec = telegram();
    assert!(spec.has_method("sendMessageDraft"));
    assert!(spec.has_method("sendmessagedraft"));
    spec.check_request(
        "sendMessageDraft",
        &json!({"chat_id": 5, "draft_id": 1, "text": "thinking"}),
    )
    .unwrap();
    let e = tg_err("sendMessageDraft", &json!({"chat_id": 5, "text": "x"}));
    assert!(e.contains("`draft_id`"), "{e}");
    let e = tg_err("sendMessageDraft", &json!({"draft_id": 1, "text": "x"}));
    assert!(e.contains("`chat_id`"), "{e}");
    // Drafts only go to private chats, so chat_id is Integer only, unlike sendMessage.
    let e = tg_err(
        "sendMessageDraft",
        &json!({"chat_id": "@someone", "draft_id": 1}),
    );
    assert!(e.contains("chat_id"), "{e}");
}

#[test]
fn telegram_get_chat_member_requires_chat_and_user() {
    telegram()
        .check_request("getChatMember", &json!({"chat_id": -100123, "user_id": 7}))
        .unwrap();
    let e = tg_err("getChatMember", &json!({"chat_id": -100123}));
    assert!(e.contains("`user_id`"), "{e}");
    let e = tg_err("getChatMember", &json!({"user_id": 7}));
    assert!(e.contains("`chat_id`"), "{e}");
}

#[test]
fn telegram_rejects_unknown_methods_and_non_object_params() {
    assert!(!telegram().has_method("sendMesage"));
    let e = tg_err("sendMesage", &json!({"chat_id": 1, "text": "x"}));
    assert!(e.contains("sendMesage"), "{e}");
    let e = tg_err("sendMessage", &json!([1]));
    assert!(e.contains("object"), "{e}");
    telegram().check_request("getMe", &Value::Null).unwrap();
    telegram().check_request("getMe", &json!({})).unwrap();
}

#[test]
fn telegram_check_type_handles_unions_and_unknown_fields() {
    let spec = telegram();
    let member = json!({"user": {"id": 1, "is_bot": false, "first_name": "A"}, "status": "member"});
    spec.check_type("ChatMember", &member).unwrap();
    spec.check_type("ChatMemberMember", &member).unwrap();
    let e = spec
        .check_type(
            "ChatMember",
            &json!({"user": {"id": 1, "is_bot": false, "first_name": "A"}, "status": "member", "extra": 1}),
        )
        .unwrap_err();
    assert!(e.contains("`extra`"), "{e}");
    // Unknown keys deep inside are errors too.
    let e = spec
        .check_type(
            "ChatMember",
            &json!({"user": {"id": 1, "is_bot": false, "first_name": "A", "x": 1}, "status": "member"}),
        )
        .unwrap_err();
    assert!(e.contains("user") && e.contains("`x`"), "{e}");
    // The discriminator is enforced, so a member cannot pass as e.g. "left" with extra fields.
    let e = spec.check_type("ChatMemberLeft", &member).unwrap_err();
    assert!(e.contains("left"), "{e}");
    let e = spec
        .check_type(
            "ChatMember",
            &json!({"user": {"id": 1, "is_bot": false, "first_name": "A"}, "status": "boss"}),
        )
        .unwrap_err();
    assert!(e.contains("status"), "{e}");
    spec.check_type("Boolean", &json!(true)).unwrap();
    spec.check_type("Array of Update", &json!([{"update_id": 1}]))
        .unwrap();
    assert!(spec.check_type("NoSuchType", &json!({})).is_err());
}

#[test]
fn telegram_spec_is_self_consistent() {
    // Every type any field or union mentions must exist, or checks would fail at random later.
    let spec = telegram();
    let mut mentioned: Vec<&str> = Vec::new();
    let fields =
        spec.methods
            .values()
            .flat_map(|m| m.fields.iter())
            .chain(spec.types.values().flat_map(|t| match t {
                TgType::Object(fields) => fields.iter(),
                TgType::Union(_) => [].iter(),
            }));
    for field in fields {
        mentioned.extend(field.types.iter().map(String::as_str));
    }
    for t in spec.types.values() {
        if let TgType::Union(alternatives) = t {
            mentioned.extend(alternatives.iter().map(String::as_str));
        }
    }
    for expr in mentioned {
        let mut base = expr;
        while let Some(inner) = base.strip_prefix("Array of ") {
            base = inner;
        }
        assert!(
            tg_primitive_fits(base, &Value::Null).is_some() || spec.types.contains_key(base),
            "{expr}"
        );
    }
    assert!(spec.methods.len() > 150);
    let discriminated = spec
        .types
        .values()
        .filter_map(|t| match t {
            TgType::Object(fields) => Some(fields),
            TgType::Union(_) => None,
        })
        .flatten()
        .filter(|f| f.constant.is_some())
        .count();
    assert!(discriminated > 80, "{discriminated}");
}

#[test]
fn telegram_addendum_adds_bot_api_10_3_draft_stopping() {
    let spec = telegram();
    spec.check_request(
        "sendMessageDraft",
        &json!({"chat_id": 5, "draft_id": 7, "text": "<b>hi</b>", "parse_mode": "HTML",
                "can_stop": true, "keep_on_stop": true}),
    )
    .unwrap();
    let e = tg_err(
        "sendMessageDraft",
        &json!({"chat_id": 5, "draft_id": 7, "text": "x", "can_pause": true}),
    );
    assert!(e.contains("`can_pause`"), "{e}");
    let e = tg_err(
        "sendMessageDraft",
        &json!({"chat_id": 5, "draft_id": 7, "can_stop": "yes"}),
    );
    assert!(e.contains("can_stop"), "{e}");
    // The 10.1 parameters are all still there.
    assert_eq!(
        spec.param_types("sendMessageDraft", "entities"),
        Some(&["Array of MessageEntity".to_owned()][..])
    );
    let stopped = json!({"update_id": 1, "stopped_message_generation": {
        "chat": {"id": 5, "type": "private", "first_name": "A"}, "draft_id": 7}});
    spec.check_type("Update", &stopped).unwrap();
    let mut threaded = stopped;
    threaded["stopped_message_generation"]["message_thread_id"] = json!(3);
    spec.check_type("Update", &threaded).unwrap();
    let e = spec
        .check_type(
            "Update",
            &json!({"update_id": 1, "stopped_message_generation": {
                "chat": {"id": 5, "type": "private"}}}),
        )
        .unwrap_err();
    assert!(e.contains("`draft_id`"), "{e}");
    // Updates the addendum does not touch are checked as before.
    let e = spec
        .check_type("Update", &json!({"update_id": 1, "stopped_generation": {}}))
        .unwrap_err();
    assert!(e.contains("`stopped_generation`"), "{e}");
}

#[test]
fn telegram_addendum_merge_adds_and_replaces_by_name() {
    let mut spec = TelegramSpec::parse(TELEGRAM_SPEC).unwrap();
    assert!(spec.param_types("sendMessageDraft", "can_stop").is_none());
    spec.merge(TELEGRAM_ADDENDUM).unwrap();
    let before = spec.methods["sendmessagedraft"].fields.len();
    // Merging again changes nothing: fields are matched by name.
    spec.merge(TELEGRAM_ADDENDUM).unwrap();
    assert_eq!(spec.methods["sendmessagedraft"].fields.len(), before);
    assert!(spec.types.contains_key("MessageGenerationStopped"));
    let unions = r#"{"types": {"ChatMember": {"subtypes": ["ChatMemberOwner"]}}}"#;
    assert!(spec.merge(unions).is_err());
}
