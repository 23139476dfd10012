//! Every key of the table, one builder per item kind: the `pk` and `sk` columns of
//! `docs/dynamodb.md`.
//!
//! Public so the test kit reads the very keys the adapter writes, instead of formatting
//! its own copies of them.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use serde::{Deserialize, Serialize};

use crate::domain::usage::{day_key, month_key};
use crate::domain::{ChatId, ConvId, Role, UpdateId, UserId};

/// An item's primary key: partition key `pk` and sort key `sk`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Key {
    /// The partition key.
    pub pk: String,
    /// The sort key.
    pub sk: String,
}

impl Key {
    fn new(pk: impl Into<String>, sk: impl Into<String>) -> Self {
        Self {
            pk: pk.into(),
            sk: sk.into(),
        }
    }

    /// The key as the attribute map GetItem, UpdateItem, DeleteItem and a Query's
    /// `ExclusiveStartKey` take.
    pub fn attributes(self) -> HashMap<String, AttributeValue> {
        // Both key attributes are strings by the table's definition: nothing to convert.
        HashMap::from([
            ("pk".to_owned(), AttributeValue::S(self.pk)),
            ("sk".to_owned(), AttributeValue::S(self.sk)),
        ])
    }
}

/// The user directory's partition: one item per known user.
pub const DIRECTORY_PK: &str = "USERS";
/// The bot-wide counters' partition.
pub const BOT_STATS_PK: &str = "STATS";

/// Sort-key prefix of a conversation's turns and their summary and start markers.
pub const TURN_PREFIX: &str = "T#";
/// Sort-key prefix of a chat's closed conversations.
pub const CLOSED_CONVERSATION_PREFIX: &str = "CONV#";
/// Sort-key prefix of a user's style samples.
pub const STYLE_SAMPLE_PREFIX: &str = "MSG#";
/// Sort-key prefix of a user's credit ledger.
pub const LEDGER_PREFIX: &str = "LEDGER#";

/// A conversation's partition: `CHAT#<chat>`, or `CHAT#<chat>/<topic>` for a forum topic.
pub fn chat_pk(conv: impl Into<ConvId>) -> String {
    format!("CHAT#{}", conv.into())
}

/// A user's (or, with its negative chat id, a group's) partition: `USER#<id>`.
pub fn user_pk(user: UserId) -> String {
    format!("USER#{user}")
}

/// An update's partition: `UPD#<update_id>`.
pub fn update_pk(update: UpdateId) -> String {
    format!("UPD#{update}")
}

/// `UPD#<id>` / `RECEIVED`: the webhook's claim on an update.
pub fn update_claim(update: UpdateId) -> Key {
    Key::new(update_pk(update), "RECEIVED")
}

/// `UPD#<id>` / `REPLY`: where versions before the exchange item kept an update's stored
/// answer or last word. Still read (a record from before may come back), never written.
pub fn legacy_reply(update: UpdateId) -> Key {
    Key::new(update_pk(update), "REPLY")
}

/// `UPD#<id>` / `RESET`: a `/reset` done once.
pub fn reset_guard(update: UpdateId) -> Key {
    Key::new(update_pk(update), "RESET")
}

/// `UPD#<id>` / `GRANT`: a `/grant` done once.
pub fn grant_guard(update: UpdateId) -> Key {
    Key::new(update_pk(update), "GRANT")
}

/// `UPD#<id>` / `FORGET`: what a confirmed `/forget` found, kept for its redelivery's report.
pub fn forget_report(update: UpdateId) -> Key {
    Key::new(update_pk(update), "FORGET")
}

/// `DLV#<delivery_id>` / `SENT`: one outgoing message (or part of one) delivered.
pub fn delivery(delivery_id: &str) -> Key {
    Key::new(format!("DLV#{delivery_id}"), "SENT")
}

/// Sorts by time, then update, then what comes last in the same update (`0` the user's
/// turn, `1` the answer, `R` a reset): Telegram's order survives equal milliseconds.
fn turn_sk(at_ms: i64, update: UpdateId, suffix: &str) -> String {
    format!("T#{at_ms:013}#{update:020}#{suffix}", update = update.0)
}

/// `CHAT#<conv>` / `T#<ms:13>#<update:20>#0` (user) or `#1` (assistant): one turn.
pub fn turn(conv: impl Into<ConvId>, at_ms: i64, update: UpdateId, role: Role) -> Key {
    let side = match role {
        Role::User => "0",
        Role::Assistant => "1",
    };
    Key::new(chat_pk(conv), turn_sk(at_ms, update, side))
}

/// `CHAT#<conv>` / `T#<sent ms:13>#<update:20>#X`: one answered message, both turns in
/// one item, placed by when the user sent it.
pub fn exchange(conv: impl Into<ConvId>, sent_ms: i64, update: UpdateId) -> Key {
    Key::new(chat_pk(conv), turn_sk(sent_ms, update, EXCHANGE_SUFFIX))
}

/// The last part of an exchange's sort key.
pub const EXCHANGE_SUFFIX: &str = "X";

/// `CHAT#<conv>` / `T#<ms:13>#<update:20>#R`: where a new conversation starts.
pub fn conversation_start(conv: impl Into<ConvId>, at_ms: i64, update: UpdateId) -> Key {
    Key::new(chat_pk(conv), turn_sk(at_ms, update, "R"))
}

/// `CHAT#<conv>` / `<through_key>#S`: sorts right after the last turn it folds.
pub fn summary(conv: impl Into<ConvId>, through_key: &str) -> Key {
    Key::new(chat_pk(conv), format!("{through_key}#S"))
}

/// `CHAT#<conv>` / `OPENAI_CONVERSATION`: the provider-side conversation's id.
pub fn server_conversation(conv: impl Into<ConvId>) -> Key {
    Key::new(chat_pk(conv), "OPENAI_CONVERSATION")
}

/// `CHAT#<conv>` / `CURRENT`: the title and start of the conversation going on.
pub fn current_conversation(conv: impl Into<ConvId>) -> Key {
    Key::new(chat_pk(conv), "CURRENT")
}

/// `CHAT#<conv>` / `CONV#<ms:13>#<update>`: a conversation closed by `/reset`.
pub fn closed_conversation(conv: impl Into<ConvId>, at_ms: i64, update: UpdateId) -> Key {
    Key::new(
        chat_pk(conv),
        format!("{CLOSED_CONVERSATION_PREFIX}{at_ms:013}#{update}"),
    )
}

/// `CHAT#<chat>` / `STOP`: a stop request for the replies being written there.
pub fn stop_request(chat: ChatId) -> Key {
    Key::new(chat_pk(chat), "STOP")
}

/// `CHAT#<chat>` / `FRAGMENTS`: the parts of a long message held so far.
pub fn fragments(chat: ChatId) -> Key {
    Key::new(chat_pk(chat), "FRAGMENTS")
}

/// `CHAT#<chat>` / `MIGRATED`: a group's items all copied to its supergroup.
pub fn migrated(chat: ChatId) -> Key {
    Key::new(chat_pk(chat), "MIGRATED")
}

/// `USER#<id>` / `METER`: a user's usage, all time, today and this month.
pub fn meter(user: UserId) -> Key {
    Key::new(user_pk(user), "METER")
}

/// `USER#<id>` / `PROFILE`: a user's (or group's) profile, persona and settings.
pub fn profile(user: UserId) -> Key {
    Key::new(user_pk(user), "PROFILE")
}

/// `USER#<id>` / `MSG#<ms:13>#<update>`: a user's own words, for their style.
pub fn style_sample(user: UserId, at_ms: i64, update: UpdateId) -> Key {
    Key::new(
        user_pk(user),
        format!("{STYLE_SAMPLE_PREFIX}{at_ms:013}#{update}"),
    )
}

/// `USER#<id>` / `LEDGER#<ms:13>#<update>`: credits granted or spent.
pub fn ledger_entry(user: UserId, at_ms: i64, update: UpdateId) -> Key {
    Key::new(
        user_pk(user),
        format!("{LEDGER_PREFIX}{at_ms:013}#{update}"),
    )
}

/// `USER#<id>` / `RATE#<minute>`: how many messages a person sent in one minute (Unix
/// seconds / 60), for the rate limit; kept under the user so `/forget` finds it.
pub fn rate_window(user: UserId, window: i64) -> Key {
    Key::new(user_pk(user), format!("RATE#{window}"))
}

/// `USER#<id>` / `STATS#D#<yyyy-mm-dd>`: a user's counters for the UTC day of `at_ms`.
pub fn user_day_counter(user: UserId, at_ms: i64) -> Key {
    Key::new(user_pk(user), format!("STATS#D#{}", day_key(at_ms)))
}

/// The sort-key prefix of a user's day counters in the UTC month of `at_ms`: a month is
/// the sum of its days, read with one Query.
pub fn user_days_of_month(at_ms: i64) -> String {
    format!("STATS#D#{}-", month_key(at_ms))
}

/// `USER#<id>` / `STATS#M#<yyyy-mm>`: the monthly counter versions before 2026-12 kept;
/// no longer written (a month is the sum of its day counters).
pub fn user_month_counter(user: UserId, at_ms: i64) -> Key {
    Key::new(user_pk(user), format!("STATS#M#{}", month_key(at_ms)))
}

/// `USER#<id>` / `STATS#ALL`: a user's counters for all time.
pub fn user_total_counter(user: UserId) -> Key {
    Key::new(user_pk(user), "STATS#ALL")
}

/// How many partitions the bot-wide counters are spread over: no item is written by every
/// user, so concurrent messages do not contend for one key.
pub const BOT_STATS_SHARDS: u64 = 16;

/// The shard whose bot-wide counters `id` (a user's or chat's) adds to.
pub fn bot_shard(id: i64) -> u64 {
    id.unsigned_abs() % BOT_STATS_SHARDS
}

/// `STATS#<shard>` / `METER`: one shard of the bot's meter (all time and today).
pub fn bot_meter(shard: u64) -> Key {
    Key::new(format!("{BOT_STATS_PK}#{shard:02}"), "METER")
}

/// `STATS#<shard>` / `D#<yyyy-mm-dd>`: one shard of the bot's counters for the UTC day, as
/// written before the bot's meter; read and added in, never written.
pub fn bot_day_counter(shard: u64, at_ms: i64) -> Key {
    Key::new(
        format!("{BOT_STATS_PK}#{shard:02}"),
        format!("D#{}", day_key(at_ms)),
    )
}

/// `STATS#<shard>` / `ALL`: one shard of the bot's counters for all time, as written
/// before the bot's meter; read only.
pub fn bot_total_counter(shard: u64) -> Key {
    Key::new(format!("{BOT_STATS_PK}#{shard:02}"), "ALL")
}

/// `STATS` / `D#<yyyy-mm-dd>`: the unsharded day counter bots before 2026-12 wrote; read
/// and added in, never written.
pub fn legacy_bot_day_counter(at_ms: i64) -> Key {
    Key::new(BOT_STATS_PK, format!("D#{}", day_key(at_ms)))
}

/// `STATS` / `ALL`: the unsharded all-time counter bots before 2026-12 wrote; read only.
pub fn legacy_bot_total_counter() -> Key {
    Key::new(BOT_STATS_PK, "ALL")
}

/// `USERS` / `USER#<id>`: a user's entry in the directory the style refresh pages through.
pub fn directory_entry(user: UserId) -> Key {
    Key::new(DIRECTORY_PK, user_pk(user))
}

/// The directory key whose sort key is `sk`: where a paged directory query resumes.
pub fn directory_page_start(sk: String) -> Key {
    Key::new(DIRECTORY_PK, sk)
}

/// `JOB#<job>` / `CURSOR`: where a paged job stopped.
pub fn job_cursor(job: &str) -> Key {
    Key::new(format!("JOB#{job}"), "CURSOR")
}

/// `CACHE#<key>` / `CACHE`: a cache entry (used when there is no Redis).
pub fn cache_entry(cache_key: &str) -> Key {
    Key::new(format!("CACHE#{cache_key}"), "CACHE")
}

/// `CACHE#cap:<feature>` / `CACHE`: a model-server feature found missing, kept as a cache
/// entry so it expires like one.
pub fn capability(feature: &str) -> Key {
    cache_entry(&format!("cap:{feature}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(key: Key) -> (String, String) {
        (key.pk, key.sk)
    }

    fn owned(pk: &str, sk: &str) -> (String, String) {
        (pk.to_owned(), sk.to_owned())
    }

    const AT: i64 = 1_700_000_000_123; // 2023-11-14T22:13:20.123Z
    const UPD: UpdateId = UpdateId(987_654);

    /// The strings stored today: changing one orphans every item written with it.
    #[test]
    fn update_and_delivery_keys_are_pinned() {
        assert_eq!(pair(update_claim(UPD)), owned("UPD#987654", "RECEIVED"));
        assert_eq!(pair(legacy_reply(UPD)), owned("UPD#987654", "REPLY"));
        assert_eq!(pair(reset_guard(UPD)), owned("UPD#987654", "RESET"));
        assert_eq!(pair(grant_guard(UPD)), owned("UPD#987654", "GRANT"));
        assert_eq!(pair(forget_report(UPD)), owned("UPD#987654", "FORGET"));
        assert_eq!(pair(delivery("r-5#2")), owned("DLV#r-5#2", "SENT"));
    }

    #[test]
    fn conversation_keys_are_pinned() {
        let chat = ChatId::new(-100_123);
        let topic = ConvId {
            chat,
            topic: Some(7),
        };
        let turn_sk = "T#1700000000123#00000000000000987654#";
        assert_eq!(
            pair(turn(chat, AT, UPD, Role::User)),
            owned("CHAT#-100123", &format!("{turn_sk}0"))
        );
        assert_eq!(
            pair(turn(topic, AT, UPD, Role::Assistant)),
            owned("CHAT#-100123/7", &format!("{turn_sk}1"))
        );
        assert_eq!(
            pair(conversation_start(chat, AT, UPD)),
            owned("CHAT#-100123", &format!("{turn_sk}R"))
        );
        assert_eq!(
            pair(summary(chat, &format!("{turn_sk}1"))),
            owned("CHAT#-100123", &format!("{turn_sk}1#S"))
        );
        assert_eq!(
            pair(server_conversation(topic)),
            owned("CHAT#-100123/7", "OPENAI_CONVERSATION")
        );
        assert_eq!(
            pair(current_conversation(chat)),
            owned("CHAT#-100123", "CURRENT")
        );
        assert_eq!(
            pair(closed_conversation(chat, AT, UPD)),
            owned("CHAT#-100123", "CONV#1700000000123#987654")
        );
        assert_eq!(pair(stop_request(chat)), owned("CHAT#-100123", "STOP"));
        assert_eq!(pair(fragments(chat)), owned("CHAT#-100123", "FRAGMENTS"));
        assert_eq!(pair(migrated(chat)), owned("CHAT#-100123", "MIGRATED"));
    }

    #[test]
    fn user_keys_are_pinned() {
        let user = UserId::new(42);
        assert_eq!(pair(profile(user)), owned("USER#42", "PROFILE"));
        assert_eq!(
            pair(profile(UserId::new(-1005))),
            owned("USER#-1005", "PROFILE")
        );
        assert_eq!(
            pair(style_sample(user, AT, UPD)),
            owned("USER#42", "MSG#1700000000123#987654")
        );
        assert_eq!(
            pair(ledger_entry(user, 5, UPD)),
            owned("USER#42", "LEDGER#0000000000005#987654")
        );
        assert_eq!(pair(directory_entry(user)), owned("USERS", "USER#42"));
        assert_eq!(
            pair(directory_page_start("USER#42".into())),
            owned("USERS", "USER#42")
        );
        assert_eq!(
            pair(job_cursor("style-refresh")),
            owned("JOB#style-refresh", "CURSOR")
        );
    }

    #[test]
    fn counter_keys_are_pinned() {
        let user = UserId::new(42);
        assert_eq!(
            pair(user_day_counter(user, AT)),
            owned("USER#42", "STATS#D#2023-11-14")
        );
        assert_eq!(
            pair(user_month_counter(user, AT)),
            owned("USER#42", "STATS#M#2023-11")
        );
        assert_eq!(
            pair(user_total_counter(user)),
            owned("USER#42", "STATS#ALL")
        );
        assert_eq!(
            pair(bot_day_counter(3, AT)),
            owned("STATS#03", "D#2023-11-14")
        );
        assert_eq!(pair(bot_total_counter(15)), owned("STATS#15", "ALL"));
        assert_eq!(pair(bot_meter(3)), owned("STATS#03", "METER"));
        assert_eq!(
            pair(legacy_bot_day_counter(AT)),
            owned("STATS", "D#2023-11-14")
        );
        assert_eq!(pair(legacy_bot_total_counter()), owned("STATS", "ALL"));
        assert_eq!((bot_shard(17), bot_shard(-100_017)), (1, 1));
    }

    #[test]
    fn cache_keys_are_pinned() {
        assert_eq!(
            pair(cache_entry("member:@chan:42")),
            owned("CACHE#member:@chan:42", "CACHE")
        );
        assert_eq!(
            pair(capability("vision")),
            owned("CACHE#cap:vision", "CACHE")
        );
    }

    #[test]
    fn prefixes_match_the_keys_they_select() {
        let user = UserId::new(1);
        assert!(
            turn(ChatId::new(1), AT, UPD, Role::User)
                .sk
                .starts_with(TURN_PREFIX)
        );
        assert!(
            conversation_start(ChatId::new(1), AT, UPD)
                .sk
                .starts_with(TURN_PREFIX)
        );
        assert!(
            closed_conversation(ChatId::new(1), AT, UPD)
                .sk
                .starts_with(CLOSED_CONVERSATION_PREFIX)
        );
        assert!(
            style_sample(user, AT, UPD)
                .sk
                .starts_with(STYLE_SAMPLE_PREFIX)
        );
        assert!(ledger_entry(user, AT, UPD).sk.starts_with(LEDGER_PREFIX));
    }

    #[test]
    fn turn_keys_sort_by_time_then_update_then_role() {
        let chat = ChatId::new(1);
        let a = turn(chat, 1_700_000_000_000, UpdateId(9), Role::User).sk;
        let b = turn(chat, 1_700_000_000_000, UpdateId(9), Role::Assistant).sk;
        let r = conversation_start(chat, 1_700_000_000_000, UpdateId(9)).sk;
        let c = turn(chat, 1_700_000_000_000, UpdateId(10), Role::User).sk;
        let d = turn(chat, 1_700_000_000_001, UpdateId(1), Role::User).sk;
        let s = summary(chat, &b).sk;
        let mut keys = vec![
            d.clone(),
            c.clone(),
            r.clone(),
            s.clone(),
            b.clone(),
            a.clone(),
        ];
        keys.sort();
        assert_eq!(keys, vec![a, b, s, r, c, d]);
    }

    #[test]
    fn a_key_becomes_two_string_attributes() {
        let attributes = profile(UserId::new(3)).attributes();
        assert_eq!(attributes.len(), 2);
        assert_eq!(
            attributes["pk"].as_s().ok().map(String::as_str),
            Some("USER#3")
        );
        assert_eq!(
            attributes["sk"].as_s().ok().map(String::as_str),
            Some("PROFILE")
        );
    }
}
