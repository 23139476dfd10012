//! The bookkeeping items pinned to their stored shape: counters, the job cursor, stop
//! requests, fragments, cache entries, migration markers; and how a bad item fails.

use super::super::*;
use super::{attributes, error_of, n, pinned, s};

#[test]
fn counters_count_from_zero() {
    let fresh = attributes("STATS", "ALL", &[("users", n(3))]);
    let counters: CounterItem = from_item(fresh).expect("a partial counter reads");
    assert_eq!((counters.users, counters.messages), (3, 0));
    let full = CounterItem {
        pk: "STATS".into(),
        sk: "D#2024-01-01".into(),
        messages: 1,
        prompt_tokens: 2,
        completion_tokens: 3,
        cost_micros: 4,
        users: 5,
        conversations: 6,
        estimated_tokens: 7,
        expires_at: Some(8),
    };
    let stored = [
        ("messages", n(1)),
        ("prompt_tokens", n(2)),
        ("completion_tokens", n(3)),
        ("cost_micros", n(4)),
        ("users", n(5)),
        ("conversations", n(6)),
        ("estimated_tokens", n(7)),
        ("expires_at", n(8)),
    ];
    pinned(&full, &attributes("STATS", "D#2024-01-01", &stored));
}

#[test]
fn job_cursor() {
    let mut cursor = JobCursorItem {
        pk: "JOB#style-refresh".into(),
        sk: "CURSOR".into(),
        cursor: Some("USER#9".into()),
        at: 5,
    };
    let stored = [("cursor", s("USER#9")), ("at", n(5))];
    pinned(&cursor, &attributes("JOB#style-refresh", "CURSOR", &stored));
    cursor.cursor = None;
    let done = attributes("JOB#style-refresh", "CURSOR", &[("at", n(5))]);
    pinned(&cursor, &done);
}

#[test]
fn stop_request_and_fragments() {
    let mut stop = StopItem {
        pk: "CHAT#1".into(),
        sk: "STOP".into(),
        draft_id: Some(77),
        before_update: None,
        at: 5,
        expires_at: 6,
    };
    let stored = [("draft_id", n(77)), ("at", n(5)), ("expires_at", n(6))];
    pinned(&stop, &attributes("CHAT#1", "STOP", &stored));
    stop.draft_id = None;
    stop.before_update = Some(9);
    let cancel = [("before_update", n(9)), ("at", n(5)), ("expires_at", n(6))];
    pinned(&stop, &attributes("CHAT#1", "STOP", &cancel));
    let mut held = FragmentsItem {
        pk: "CHAT#1".into(),
        sk: "FRAGMENTS".into(),
        messages: "[]".into(),
        last_update: 7,
        claimed_by: None,
        expires_at: 6,
    };
    let mut stored = vec![
        ("messages", s("[]")),
        ("last_update", n(7)),
        ("expires_at", n(6)),
    ];
    pinned(&held, &attributes("CHAT#1", "FRAGMENTS", &stored));
    held.claimed_by = Some(8);
    stored.push(("claimed_by", n(8)));
    pinned(&held, &attributes("CHAT#1", "FRAGMENTS", &stored));
}

#[test]
fn cache_entry_and_migration_marker() {
    let entry = CacheItem {
        pk: "CACHE#cap:vision".into(),
        sk: "CACHE".into(),
        value: "missing".into(),
        expires_at_ms: 5_500,
        expires_at: 6,
    };
    let stored = [
        ("value", s("missing")),
        ("expires_at_ms", n(5_500)),
        ("expires_at", n(6)),
    ];
    pinned(&entry, &attributes("CACHE#cap:vision", "CACHE", &stored));
    let marker = MigratedItem {
        pk: "CHAT#-1".into(),
        sk: "MIGRATED".into(),
        to: -1001,
        at: 5,
    };
    let stored = [("to", n(-1001)), ("at", n(5))];
    pinned(&marker, &attributes("CHAT#-1", "MIGRATED", &stored));
}

#[test]
fn a_key_reads_back_from_a_key_only_item() {
    let key = Key {
        pk: "USERS".into(),
        sk: "USER#4".into(),
    };
    pinned(&key, &attributes("USERS", "USER#4", &[]));
}

#[test]
fn a_missing_attribute_is_a_permanent_error_naming_the_item() {
    let item = attributes("UPD#7", "REPLY", &[("chat_id", n(1)), ("at", n(5))]);
    let e = error_of::<AnswerItem>(item);
    assert!(!e.retryable);
    let message = e.to_string();
    assert!(
        message.contains("unreadable stored reply item UPD#7 / REPLY")
            && message.contains("missing field `text`"),
        "{message}"
    );
}

#[test]
fn a_mistyped_attribute_is_a_permanent_error_not_a_zero() {
    let stop = [("draft_id", s("77")), ("at", n(5)), ("expires_at", n(6))];
    let e = error_of::<StopItem>(attributes("CHAT#1", "STOP", &stop));
    assert!(!e.retryable);
    assert!(
        e.to_string()
            .contains("unreadable stop request item CHAT#1 / STOP"),
        "{e}"
    );
    // Counters default when absent, but a present one must be a number.
    let counter = attributes("STATS", "ALL", &[("messages", s("many"))]);
    let e = error_of::<CounterItem>(counter);
    assert!(
        e.to_string()
            .contains("unreadable counter item STATS / ALL"),
        "{e}"
    );
    let profile = attributes(
        "USER#1",
        "PROFILE",
        &[("credits", n(1)), ("active", s("yes"))],
    );
    let e = error_of::<ProfileItem>(profile);
    assert!(
        e.to_string()
            .contains("unreadable user profile item USER#1 / PROFILE"),
        "{e}"
    );
    let turn = attributes(
        "CHAT#1",
        "T#x#0",
        &[("role", s("robot")), ("text", s("hi"))],
    );
    let e = error_of::<TurnItem>(turn);
    assert!(
        e.to_string()
            .contains("unreadable conversation turn item CHAT#1 / T#x#0"),
        "{e}"
    );
}
