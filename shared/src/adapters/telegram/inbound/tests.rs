use serde_json::{Value, json};

use super::*;

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/../tests/fixtures/telegram/updates/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect(&path)
}

fn parse(update: &Value) -> Update {
    parse_update(update.to_string().as_bytes()).expect("an update")
}

fn message(update: &Value) -> MessageView {
    match parse(update).content {
        Content::Message(m) => *m,
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_recorded_update_is_read_and_named_by_its_kind() {
    let dir = format!(
        "{}/../tests/fixtures/telegram/updates",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 40, "{names:?}");
    for name in names {
        let raw = fixture(&name);
        let kind = raw
            .as_object()
            .unwrap()
            .keys()
            .find(|k| *k != "update_id")
            .unwrap()
            .clone();
        let update = parse(&raw);
        assert_eq!(update.kind, kind, "{name}");
        assert_eq!(
            update.update_id.0,
            raw["update_id"].as_u64().unwrap(),
            "{name}"
        );
        let acted_on = [
            "message",
            "callback_query",
            "chat_member",
            "stopped_message_generation",
        ];
        // Every recorded update of a kind the bot acts on has what the bot needs.
        match &update.content {
            Content::Other => assert!(!acted_on.contains(&kind.as_str()), "{name}"),
            Content::Unusable { reason } => panic!("{name}: {reason}"),
            _ => assert!(acted_on.contains(&kind.as_str()), "{name}"),
        }
    }
}

#[test]
fn a_kick_without_until_date_is_still_a_kick() {
    // Real Telegram omits `until_date` for a permanent ban; frankenstein requires it.
    let mut update = fixture("25-chat-member-user-left-supergroup.json");
    update["chat_member"]["new_chat_member"] =
        json!({"user": {"id": 77, "is_bot": false, "first_name": "Pepe"}, "status": "kicked"});
    let Content::ChatMember(change) = parse(&update).content else {
        panic!("not a chat_member update");
    };
    assert_eq!(change.new_chat_member.user.id, 77);
    assert_eq!(change.new_chat_member.status(), Some(MemberStatus::Kicked));
    assert_eq!(change.chat.username.as_deref(), Some("NoRealGroup"));
    // Restricted without any permission flags, and a status from a newer Bot API.
    for (status, want) in [
        (
            json!({"status": "restricted", "is_member": true}),
            Some(MemberStatus::Restricted { is_member: true }),
        ),
        (
            json!({"status": "restricted"}),
            Some(MemberStatus::Restricted { is_member: false }),
        ),
        (json!({"status": "visitor"}), None),
    ] {
        let mut member = status;
        member["user"] = json!({"id": 77});
        update["chat_member"]["new_chat_member"] = member;
        let Content::ChatMember(change) = parse(&update).content else {
            panic!("not a chat_member update");
        };
        assert_eq!(change.new_chat_member.status(), want);
    }
}

#[test]
fn a_press_on_an_inaccessible_message_still_names_its_chat() {
    let Content::CallbackQuery(query) =
        parse(&fixture("40-callback-query-inaccessible-message.json")).content
    else {
        panic!("not a callback query");
    };
    let message = query.message.expect("message");
    assert_eq!(
        (
            message.chat.id,
            message.chat.kind(),
            message.date,
            message.text
        ),
        (222_222_222, ChatKind::Private, 0, None)
    );
    assert_eq!(query.data.as_deref(), Some("thedata"));
    // A button under an inline-mode message has no message at all.
    let Content::CallbackQuery(inline) = parse(&fixture(
        "73-official-docs-callback-query-inline-message.json",
    ))
    .content
    else {
        panic!("not a callback query");
    };
    assert_eq!((inline.from.id, inline.message), (1_111_111, None));
}

#[test]
fn optional_parts_that_do_not_read_are_skipped_not_fatal() {
    let mut update = fixture("13-supergroup-reply.json");
    let m = &mut update["message"];
    m["reply_to_message"]["from"] = json!({"first_name": "no id"});
    m["entities"] = json!([{"type": "mention", "offset": "zero", "length": 4},
                           {"type": "mention", "offset": 0, "length": 4}]);
    m["photo"] = json!([{"width": 1}, {"file_id": "ok", "width": 2, "height": 2}]);
    m["voice"] = json!("not an object");
    m["from"]["language_code"] = Value::Null;
    m["from"]["is_bot"] = Value::Null;
    let view = message(&update);
    assert_eq!(view.reply_to_message.as_ref().map(|r| &r.from), Some(&None));
    assert_eq!(view.entities.len(), 1);
    assert_eq!(view.entities[0].kind(), EntityKind::Mention);
    assert_eq!(
        view.media(),
        Some(Media::Photo {
            file_id: "ok".into(),
            size: None
        })
    );
    assert_eq!(
        view.from.map(|f| (f.is_bot, f.language_code)),
        Some((false, None))
    );
}

#[test]
fn what_a_message_lacks_is_named_without_its_content() {
    let mut update = fixture("02-private-text-minimal.json");
    update["message"]["text"] = json!("my secret diary");
    update["message"].as_object_mut().unwrap().remove("chat");
    let parsed = parse(&update);
    assert_eq!(parsed.kind, "message");
    let Content::Unusable { reason } = parsed.content else {
        panic!("{:?}", parsed.content);
    };
    assert_eq!(reason, "missing field `chat`");
    // A value of the wrong type is not quoted either.
    update["message"]["chat"] = json!("my secret diary");
    let Content::Unusable { reason } = parse(&update).content else {
        panic!("a chat that is a string");
    };
    assert!(!reason.contains("secret"), "{reason}");
    assert_eq!(
        parse_update(b"{\"message\": {}}"),
        Err(Unreadable::NoUpdateId)
    );
    let not_json = parse_update(b"my secret diary").unwrap_err();
    assert!(!not_json.to_string().contains("secret"), "{not_json}");
}

#[test]
fn message_details_the_bot_routes_on() {
    // An anonymous admin speaks as the group.
    let anonymous = message(&fixture("46-anonymous-admin-sender-chat-migrate.json"));
    let sender = anonymous.sender().unwrap();
    assert_eq!(
        (sender.id, sender.first_name.as_str(), sender.is_chat),
        (UserId::new(-10_011_869_112_345), "My new test group", true)
    );
    assert_eq!(anonymous.migrate_from_chat_id, Some(-10_011_869_112_345));
    let migrating = message(&fixture("47-migrate-to-chat-id.json"));
    assert_eq!(migrating.migrate_to_chat_id, Some(-10_011_869_112_345));
    assert!(!migrating.sender().unwrap().is_chat);
    // A reply in a plain supergroup has a thread id but is in no topic.
    let reply = message(&fixture("05-supergroup-command-reply-to-story.json"));
    assert_eq!(reply.topic(), None);
    assert_eq!(
        message(&fixture("16-forum-topic-message-real.json")).topic(),
        Some(4)
    );
    // Old payloads: a chat without a type, users without is_bot.
    let legacy = message(&fixture("71-official-docs-start-legacy.json"));
    assert_eq!(legacy.chat.kind(), ChatKind::Private);
    assert_eq!(legacy.text_or_caption(), Some("/start"));
    let forwarded = message(&fixture("44-forward-origin-hidden-user.json"));
    assert!(forwarded.forwarded());
    assert_eq!(forwarded.from.unwrap().language_code, None);
    let photo = message(&fixture("29-photo-4-sizes-caption-entities.json"));
    assert_eq!(photo.text_or_caption(), Some("www.example.com"));
    assert_eq!(photo.text_entities().len(), 1);
    let Some(Media::Photo { size, .. }) = photo.media() else {
        panic!("no photo");
    };
    assert!(size.unwrap() > 27_640, "the largest size is chosen");
    let mut album = fixture("29-photo-4-sizes-caption-entities.json");
    album["message"]["media_group_id"] = json!("13579");
    assert_eq!(message(&album).media_group_id.as_deref(), Some("13579"));
}

#[test]
fn a_stop_press_names_the_chat_and_the_draft() {
    let update = json!({"update_id": 5, "stopped_message_generation": {
        "chat": {"id": 42, "type": "private", "first_name": "A"}, "draft_id": 77}});
    let Content::StoppedGeneration(stopped) = parse(&update).content else {
        panic!("not a stop");
    };
    assert_eq!((stopped.chat.id, stopped.draft_id), (42, 77));
}

#[test]
fn the_handled_kinds_are_the_ones_parse_update_reads() {
    let read = |kind: &str| parse(&json!({"update_id": 1, kind: {}})).content;
    for kind in HANDLED_KINDS {
        assert!(!matches!(read(kind), Content::Other), "{kind}");
    }
    for kind in ["edited_message", "my_chat_member", "channel_post", "poll"] {
        assert_eq!(read(kind), Content::Other, "{kind}");
    }
}
