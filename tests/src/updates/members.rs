//! `chat_member` updates that leave out what frankenstein 0.52's types require, for
//! testing that the bot parses updates leniently.

use serde_json::{Value, json};

use super::{next_update_id, now, user};
use crate::fixtures;

/// A `chat_member` update in a channel, shaped like the recorded
/// `25-chat-member-user-left-supergroup`: `user_id` goes from member to `new_member`.
fn member_update(channel_id: i64, user_id: i64, mut new_member: Value) -> Value {
    let mut update = fixtures::json("telegram/updates/25-chat-member-user-left-supergroup.json");
    update["update_id"] = json!(next_update_id());
    let changed = &mut update["chat_member"];
    changed["chat"] = json!({"id": channel_id, "title": "My channel", "type": "channel"});
    changed["date"] = json!(now());
    changed["old_chat_member"] = json!({"user": user(user_id), "status": "member"});
    new_member["user"] = user(user_id);
    changed["new_chat_member"] = new_member;
    update
}

/// A member banned from a channel, without `until_date`. The Bot API marks `until_date`
/// required for ChatMemberBanned and frankenstein 0.52's `ChatMemberBanned` requires it;
/// note that telegram-bot-api's `JsonChatMember` (checked up to 2026-05) writes it for
/// every banned member, 0 meaning forever, so this is a server that leaves it out rather
/// than today's api.telegram.org.
pub fn chat_member_kicked_without_until_date(channel_id: i64, user_id: i64) -> Value {
    member_update(channel_id, user_id, json!({"status": "kicked"}))
}

/// A member restricted in a channel, as telegram-bot-api's `JsonChatMember` writes it
/// outside supergroups: only `user` and `status`. The Bot API marks `is_member`, every
/// `can_*` permission and `until_date` required for ChatMemberRestricted, and frankenstein
/// 0.52's `ChatMemberRestricted` requires them all.
pub fn chat_member_restricted_sparse(channel_id: i64, user_id: i64) -> Value {
    member_update(channel_id, user_id, json!({"status": "restricted"}))
}
