//! Routing without I/O: updates other than a user's text (membership changes, chats
//! speaking as themselves, migrations, albums, what is dropped).

use super::super::*;
use super::routing::{group, members_only, my_bot, parse};
use crate::domain::Lang;
use crate::domain::jobs::{ChatMigration, InboundJob, MemberUpdate};
use crate::domain::{ChatId, GroupId, Owner, UpdateId, UserId, texts};

#[test]
fn chat_member_updates_only_for_the_channel() {
    let json = r#"{"update_id":20,"chat_member":{"chat":{"id":-1001,"type":"channel","title":"C","username":"news_chan"},"from":{"id":1,"is_bot":false,"first_name":"A"},"date":1,"old_chat_member":{"status":"member","user":{"id":7,"is_bot":false,"first_name":"U"}},"new_chat_member":{"status":"left","user":{"id":7,"is_bot":false,"first_name":"U"}}}}"#;
    let update = parse(json);
    let chan = ChannelRef::Username("news_chan".into());
    assert_eq!(
        route(&update, Some(&chan), &BotIdentity::default(), None),
        Route::Enqueue(InboundJob::MemberUpdate(MemberUpdate {
            update_id: UpdateId(20),
            user_id: UserId::new(7),
            status: crate::domain::MemberStatus::Left,
        }))
    );
    assert!(matches!(
        route(
            &update,
            Some(&ChannelRef::Id(-99)),
            &BotIdentity::default(),
            None
        ),
        Route::Ignore(_)
    ));
    assert!(matches!(
        route(&update, None, &BotIdentity::default(), None),
        Route::Ignore(_)
    ));
}

#[test]
fn a_kick_without_until_date_reaches_the_queue_as_a_kick() {
    let json = r#"{"update_id":21,"chat_member":{"chat":{"id":-1001,"type":"channel","title":"C","username":"news_chan"},"from":{"id":1,"is_bot":false,"first_name":"A"},"date":1,"old_chat_member":{"status":"member","user":{"id":7,"is_bot":false,"first_name":"U"}},"new_chat_member":{"status":"kicked","user":{"id":7,"is_bot":false,"first_name":"U"}}}}"#;
    let chan = ChannelRef::Id(-1001);
    assert_eq!(
        route(&parse(json), Some(&chan), &BotIdentity::default(), None),
        Route::Enqueue(InboundJob::MemberUpdate(MemberUpdate {
            update_id: UpdateId(21),
            user_id: UserId::new(7),
            status: crate::domain::MemberStatus::Kicked,
        }))
    );
}

#[test]
fn an_update_without_what_the_bot_needs_is_dropped_naming_its_kind() {
    let no_chat = r#"{"update_id":22,"message":{"message_id":1,"date":1,"text":"private words"}}"#;
    match route(&parse(no_chat), None, &BotIdentity::default(), None) {
        Route::Ignore(reason) => {
            assert!(reason.starts_with("message update without"), "{reason}");
            assert!(reason.contains("`chat`"), "{reason}");
            assert!(!reason.contains("private words"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let reaction = r#"{"update_id":23,"message_reaction":{"chat":{"id":1,"type":"private"}}}"#;
    assert_eq!(
        route(&parse(reaction), None, &BotIdentity::default(), None),
        Route::Ignore("unhandled update kind message_reaction".into())
    );
}

#[test]
fn a_message_sent_on_behalf_of_a_chat_is_that_chats() {
    let bot = my_bot();
    // Telegram puts a placeholder bot in `from`: GroupAnonymousBot for an anonymous
    // admin, Channel_Bot for a channel.
    let as_group = r#","sender_chat":{"id":-100777,"type":"supergroup","title":"G"}"#;
    let as_channel =
        r#","sender_chat":{"id":-100888,"type":"channel","title":"News","username":"news_chan"}"#;
    let enqueued = |u: &Update| match route(u, None, &bot, None) {
        Route::Enqueue(InboundJob::Message(m)) => m,
        other => panic!("{other:?}"),
    };
    let m = enqueued(&group("@my_bot hello", as_group));
    assert_eq!(
        (m.from.id, m.from.first_name.as_str(), m.from.is_chat),
        (UserId::new(-100777), "G", true)
    );
    let m = enqueued(&group("@my_bot news!", as_channel));
    assert_eq!(
        (m.from.id, m.from.username.as_deref(), m.from.is_chat),
        (UserId::new(-100888), Some("news_chan"), true)
    );
    // The group itself may change its settings without asking Telegram; a channel may not.
    assert_eq!(
        members_only(route(
            &group("/settings@my_bot", as_group),
            None,
            &bot,
            None
        )),
        Route::ShowSettings {
            chat: ChatId::new(-100777),
            owner: Owner::Group(GroupId::of(ChatId::new(-100777))),
            lang: Lang::En,
        }
    );
    assert_eq!(
        members_only(route(
            &group("/voice@my_bot on", as_channel),
            None,
            &bot,
            None
        )),
        Route::Answer(QuickReply::message(
            ChatId::new(-100777),
            texts::group_admins_only(Lang::En)
        ))
    );
}

#[test]
fn both_migration_service_messages_name_the_move_and_get_no_answer() {
    let in_old = r#"{"update_id":60,"message":{"message_id":110,"from":{"id":12345678,"is_bot":false,"first_name":"F"},"chat":{"id":-4001,"title":"G","type":"group"},"date":1604281763,"migrate_to_chat_id":-1004001}}"#;
    let in_new = r#"{"update_id":61,"message":{"message_id":1,"from":{"id":1087968824,"is_bot":true,"first_name":"Group","username":"GroupAnonymousBot"},"sender_chat":{"id":-1004001,"title":"G","type":"supergroup"},"chat":{"id":-1004001,"title":"G","type":"supergroup"},"date":1604281763,"migrate_from_chat_id":-4001}}"#;
    for (json, update_id) in [(in_old, 60), (in_new, 61)] {
        assert_eq!(
            route(&parse(json), None, &my_bot(), None),
            Route::Enqueue(InboundJob::ChatMigrated(ChatMigration {
                update_id: UpdateId(update_id),
                from: ChatId::new(-4001),
                to: ChatId::new(-1004001),
            })),
            "{json}"
        );
    }
}

#[test]
fn an_album_photo_carries_its_media_group() {
    let json = r#"{"update_id":62,"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private","first_name":"A"},"from":{"id":42,"is_bot":false,"first_name":"A"},"media_group_id":"13579","photo":[{"file_id":"p","file_unique_id":"u","width":90,"height":90}]}}"#;
    match route(&parse(json), None, &BotIdentity::default(), None) {
        Route::Enqueue(InboundJob::Message(m)) => {
            assert_eq!(m.media_group.as_deref(), Some("13579"))
        }
        other => panic!("{other:?}"),
    }
}
