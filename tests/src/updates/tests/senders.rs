//! Albums, chats speaking as themselves, migrations and sparse chat members.

use frankenstein::updates::{Update, UpdateContent};
use serde_json::{Value, json};

use super::super::*;
use crate::spec;

const GROUP: i64 = -1_001_234_567_890;
const CHANNEL: i64 = -1_009_876_543_210;

/// The builders of this file whose updates must fit the Bot API and frankenstein.
pub(super) fn built_by_senders() -> Vec<(&'static str, Value)> {
    let sizes: &[(&str, u64, i64)] = &[("AgACAgIAAxkBAAIH", 2077, 90)];
    let mut built = vec![
        ("anonymous_admin", anonymous_admin(GROUP, "/settings")),
        (
            "channel_post_in_group",
            channel_post_in_group(GROUP, CHANNEL, "my_channel", "new post"),
        ),
        (
            "as_channel_in_group",
            as_channel_in_group(GROUP, CHANNEL, "my_channel", "hello @companion_bot"),
        ),
    ];
    for update in album(42, 42, "13598785428740531", &[sizes, sizes], Some("two")) {
        built.push(("album", update));
    }
    for update in album(GROUP, 42, "13598785428740532", &[sizes, sizes], None) {
        built.push(("group_album", update));
    }
    for update in group_migrated(-4_000_123, GROUP) {
        built.push(("group_migrated", update));
    }
    built
}

#[test]
fn an_album_is_consecutive_updates_of_one_media_group_captioned_once() {
    let small: &[(&str, u64, i64)] = &[("AgACAgIAAxkBAAIA", 2077, 90)];
    let large: &[(&str, u64, i64)] = &[
        ("AgACAgIAAxkBAAIB", 2077, 90),
        ("AgACAgIAAxkBAAIC", 162_061, 1280),
    ];
    let updates = album(
        42,
        42,
        "13598785428740531",
        &[small, large, small],
        Some("our trip"),
    );
    assert_eq!(updates.len(), 3);
    let ids = |key: &str| -> Vec<i64> {
        updates
            .iter()
            .map(|u| {
                if key == "update_id" {
                    u[key].as_i64()
                } else {
                    u["message"][key].as_i64()
                }
            })
            .map(Option::unwrap)
            .collect()
    };
    for key in ["update_id", "message_id"] {
        let ids = ids(key);
        assert!(ids.windows(2).all(|w| w[1] == w[0] + 1), "{key}: {ids:?}");
    }
    for update in &updates {
        assert_eq!(update["message"]["media_group_id"], "13598785428740531");
        assert_eq!(update["message"]["chat"]["id"], 42);
    }
    assert_eq!(updates[0]["message"]["caption"], "our trip");
    assert!(
        updates[1..]
            .iter()
            .all(|u| u["message"].get("caption").is_none())
    );
    assert_eq!(
        updates[1]["message"]["photo"][1]["file_id"],
        "AgACAgIAAxkBAAIC"
    );
    let group = album(GROUP, 42, "7", &[small], None);
    assert_eq!(group[0]["message"]["chat"]["type"], "supergroup");
    assert_eq!(group[0]["message"]["from"]["id"], 42);
}

#[test]
fn chats_speaking_as_themselves_carry_the_senders_telegram_uses() {
    let admin = anonymous_admin(GROUP, "hi");
    let message = &admin["message"];
    assert_eq!(
        message["from"],
        json!({"id": 1_087_968_824, "is_bot": true, "first_name": "Group", "username": "GroupAnonymousBot"})
    );
    assert_eq!(message["sender_chat"], message["chat"]);
    assert_eq!(message["sender_chat"]["id"], GROUP);

    let forwarded = channel_post_in_group(GROUP, CHANNEL, "my_channel", "post");
    let message = &forwarded["message"];
    assert_eq!(message["from"]["id"], 777_000);
    assert_eq!(message["sender_chat"]["id"], CHANNEL);
    assert_eq!(message["sender_chat"]["type"], "channel");
    assert_eq!(message["sender_chat"]["username"], "my_channel");
    assert_eq!(message["is_automatic_forward"], true);
    assert_eq!(message["forward_origin"]["type"], "channel");
    assert_eq!(message["forward_origin"]["chat"], message["sender_chat"]);

    let posted = as_channel_in_group(GROUP, CHANNEL, "my_channel", "hi");
    let message = &posted["message"];
    assert_eq!(message["from"]["id"], 136_817_688);
    assert_eq!(message["from"]["username"], "Channel_Bot");
    assert_eq!(message["sender_chat"]["id"], CHANNEL);
    assert!(message.get("is_automatic_forward").is_none());
    assert!(message.get("forward_origin").is_none());
}

#[test]
fn a_migration_is_two_service_messages_pointing_at_each_other() {
    let old = -4_000_123;
    let [to, from] = <[Value; 2]>::try_from(group_migrated(old, GROUP)).unwrap();
    assert_eq!(
        from["update_id"].as_u64(),
        to["update_id"].as_u64().map(|id| id + 1)
    );
    assert_eq!(
        to["message"]["chat"],
        json!({"id": old, "title": "My new test group", "type": "group"})
    );
    assert_eq!(to["message"]["migrate_to_chat_id"], GROUP);
    assert_eq!(to["message"]["from"]["is_bot"], false);
    let first = &from["message"];
    assert_eq!(first["chat"]["id"], GROUP);
    assert_eq!(first["chat"]["type"], "supergroup");
    assert_eq!(first["sender_chat"], first["chat"]);
    assert_eq!(first["from"]["id"], 1_087_968_824);
    assert_eq!(first["migrate_from_chat_id"], old);
    for update in [&to, &from] {
        let parsed: Update = serde_json::from_value(update.clone()).unwrap();
        assert!(matches!(parsed.content, UpdateContent::Message(_)));
    }
}

/// `update` fits neither the Bot API description nor frankenstein until `missing` is added
/// to its new chat member, and then it fits both.
fn lacks_only(update: &Value, missing: &[(&str, Value)]) {
    let spec_error = spec::telegram().check_type("Update", update).unwrap_err();
    assert!(
        spec_error.contains(&format!("missing required field `{}`", missing[0].0)),
        "{spec_error}"
    );
    let parse_error = serde_json::from_value::<Update>(update.clone())
        .unwrap_err()
        .to_string();
    assert!(parse_error.contains("missing field"), "{parse_error}");
    let mut complete = update.clone();
    for (field, value) in missing {
        complete["chat_member"]["new_chat_member"][*field] = value.clone();
    }
    spec::telegram().check_type("Update", &complete).unwrap();
    let parsed: Update = serde_json::from_value(complete).unwrap();
    assert!(matches!(parsed.content, UpdateContent::ChatMember(_)));
}

#[test]
fn sparse_chat_members_lack_exactly_what_the_types_require() {
    let kicked = chat_member_kicked_without_until_date(CHANNEL, 42);
    let changed = &kicked["chat_member"];
    assert_eq!(changed["chat"]["type"], "channel");
    assert_eq!(changed["new_chat_member"]["user"]["id"], 42);
    assert_eq!(changed["new_chat_member"]["status"], "kicked");
    lacks_only(&kicked, &[("until_date", json!(0))]);

    let restricted = chat_member_restricted_sparse(CHANNEL, 42);
    let member = &restricted["chat_member"]["new_chat_member"];
    assert_eq!(
        member.as_object().unwrap().len(),
        2,
        "only user and status: {member}"
    );
    let mut fields = vec![("is_member", json!(true)), ("until_date", json!(0))];
    for permission in [
        "can_send_messages",
        "can_send_audios",
        "can_send_documents",
        "can_send_photos",
        "can_send_videos",
        "can_send_video_notes",
        "can_send_voice_notes",
        "can_send_polls",
        "can_send_other_messages",
        "can_add_web_page_previews",
        "can_react_to_messages",
        "can_edit_tag",
        "can_change_info",
        "can_invite_users",
        "can_pin_messages",
        "can_manage_topics",
    ] {
        fields.push((permission, json!(false)));
    }
    lacks_only(&restricted, &fields);
}
