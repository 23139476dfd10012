//! The builders' updates against the Bot API description and frankenstein.

mod senders;

use super::*;
use crate::spec;
use frankenstein::updates::{Update, UpdateContent};

fn built() -> Vec<(&'static str, Value)> {
    vec![
        ("private_text", private_text(42, "Ann", "/start now")),
        (
            "private_text_with_id",
            private_text_with_id(42, "Ann", "part two", 777),
        ),
        (
            "group_text",
            group_text(-4_000_123, "group", 42, "hey @companion_bot, hi"),
        ),
        (
            "supergroup_text",
            group_text(
                -1_001_234_567_890,
                "supergroup",
                42,
                "/ask@companion_bot why?",
            ),
        ),
        (
            "group_reply_to_bot",
            group_reply_to_bot(
                -1_001_234_567_890,
                42,
                "thanks!",
                "companion_bot",
                123_456_789,
            ),
        ),
        (
            "forum_topic_text",
            forum_topic_text(-1_001_847_508_954, 4, 42, "@companion_bot hello"),
        ),
        ("voice_note", voice_note(42, "AwACAgIAAxkBAAIB", 3, 8386)),
        ("video_note", video_note(42, "DQACAgIAAxkBAAIC", 5, 290_925)),
        (
            "audio_file",
            audio_file(42, "CQACAgIAAxkBAAID", 61, 1_000_000),
        ),
        (
            "photo",
            photo(
                42,
                &[
                    ("AgACAgIAAxkBAAIE", 2077, 90),
                    ("AgACAgIAAxkBAAIF", 162_061, 1280),
                ],
                Some("look @companion_bot"),
            ),
        ),
        (
            "photo_without_caption",
            photo(42, &[("AgACAgIAAxkBAAIG", 2077, 90)], None),
        ),
        ("stopped_generation", stopped_generation(42, 9)),
        ("callback_query", callback_query(42, "persona:friend")),
        (
            "group_callback_query",
            group_callback_query(-1_001_234_567_890, 42, "menu"),
        ),
    ]
}

#[test]
fn every_builder_makes_an_update_the_bot_api_and_frankenstein_accept() {
    let mut ids = std::collections::HashSet::new();
    for (name, update) in built().into_iter().chain(senders::built_by_senders()) {
        spec::telegram()
            .check_type("Update", &update)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(ids.insert(update["update_id"].as_u64().unwrap()), "{name}");
        // frankenstein 0.52.1 already knows `stopped_message_generation`
        // (UpdateContent::StoppedMessageGeneration), so this one parses too.
        let parsed: Update = serde_json::from_value(update.clone())
            .unwrap_or_else(|e| panic!("{name}: frankenstein: {e}"));
        if name == "stopped_generation" {
            let UpdateContent::StoppedMessageGeneration(stopped) = parsed.content else {
                panic!("{name}: parsed as {:?}", parsed.content);
            };
            assert_eq!((stopped.chat.id, stopped.draft_id), (42, 9));
        }
    }
}

#[test]
fn builders_carry_what_their_names_say() {
    let fragment = private_text_with_id(42, "Ann", "x", 777);
    assert_eq!(fragment["message"]["message_id"], 777);
    let reply = group_reply_to_bot(-1_001_234_567_890, 42, "ok", "companion_bot", 99);
    let replied = &reply["message"]["reply_to_message"];
    assert_eq!(replied["from"]["id"], 99);
    assert_eq!(replied["from"]["is_bot"], true);
    assert_eq!(reply["message"]["chat"]["type"], "supergroup");
    let topic = forum_topic_text(-100_500, 4, 42, "hi");
    assert_eq!(topic["message"]["message_thread_id"], 4);
    assert_eq!(topic["message"]["is_topic_message"], true);
    assert_eq!(topic["message"]["chat"]["is_forum"], true);
    let note = video_note(42, "DQ", 5, 10);
    assert!(note["message"]["video_note"].get("thumb").is_none());
    let pic = photo(42, &[("a", 1, 90), ("b", 2, 320)], None);
    assert_eq!(pic["message"]["photo"][1]["file_id"], "b");
    assert!(pic["message"].get("caption").is_none());
    let callback = group_callback_query(-100_200, 42, "x");
    assert_eq!(
        callback["callback_query"]["message"]["chat"]["id"],
        -100_200
    );
    let now_ish = now();
    let voice = voice_note(42, "AwAC", 3, 8386);
    assert!(voice["message"]["date"].as_u64().unwrap() + 5 >= now_ish);
    assert_eq!(
        voice["message"]["voice"]["file_unique_id"],
        file_unique_id("AwAC")
    );
}

#[test]
fn entities_count_utf16_units_and_keep_commands_whole() {
    let update = group_text(-5, "group", 1, "😀 hi @ann_1 and @bob, mail a@b");
    let entities = &update["message"]["entities"];
    assert_eq!(
        entities,
        &json!([{"offset": 6, "length": 6, "type": "mention"},
                {"offset": 17, "length": 4, "type": "mention"}])
    );
    let command = group_text(-5, "group", 1, "/ask@companion_bot tell @ann");
    assert_eq!(
        command["message"]["entities"],
        json!([{"offset": 0, "length": 18, "type": "bot_command"},
               {"offset": 24, "length": 4, "type": "mention"}])
    );
    let plain = group_text(-5, "group", 1, "no entities here");
    assert!(plain["message"].get("entities").is_none());
}
