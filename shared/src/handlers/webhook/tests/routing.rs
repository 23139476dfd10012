//! Routing without I/O: which route each kind of update takes.

use super::super::*;
use crate::adapters::telegram::inbound::{Update, parse_update};
use crate::domain::Lang;
use crate::domain::jobs::InboundJob;
use crate::domain::{
    ChatId, Command, GroupId, Media, Owner, PersonaKind, SettingChange, Settings, SoundKind,
    UpdateId, UserId, texts,
};

pub(super) fn parse(json: &str) -> Update {
    parse_update(json.as_bytes()).expect("update")
}

pub(super) fn my_bot() -> BotIdentity<'static> {
    BotIdentity {
        username: Some("my_bot"),
        id: Some(555),
        allowed_models: &[],
        admins: &[],
    }
}

pub(super) fn group(text: &str, extra: &str) -> Update {
    let mut entities = Vec::new();
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let mut i = 0;
    while i < utf16.len() {
        if utf16[i] == u16::from(b'@') || (i == 0 && utf16[0] == u16::from(b'/')) {
            let end = (i..utf16.len())
                .find(|&j| utf16[j] == u16::from(b' '))
                .unwrap_or(utf16.len());
            let kind = if utf16[i] == u16::from(b'/') {
                "bot_command"
            } else {
                "mention"
            };
            entities.push(format!(
                r#"{{"type":"{kind}","offset":{i},"length":{}}}"#,
                end - i
            ));
            i = end;
        } else {
            i += 1;
        }
    }
    parse(&format!(
        r#"{{"update_id":30,"message":{{"message_id":9,"date":1,"chat":{{"id":-100777,"type":"supergroup","title":"G"}},"from":{{"id":42,"is_bot":false,"first_name":"A"}},"text":{},"entities":[{}]{extra}}}}}"#,
        serde_json::to_string(text).unwrap(),
        entities.join(",")
    ))
}

#[test]
fn groups_are_answered_only_when_addressed() {
    let bot = my_bot();
    let enqueued = |u: &Update| match route(u, None, &bot, None) {
        Route::Enqueue(InboundJob::Message(m)) => Some(m),
        _ => None,
    };
    assert!(enqueued(&group("hello everyone", "")).is_none());
    assert!(enqueued(&group("hey @other_bot what's up", "")).is_none());
    assert!(enqueued(&group("/reset", "")).is_none());
    assert!(enqueued(&group("/reset@other_bot", "")).is_none());
    let m = enqueued(&group("hey @My_Bot how are you?", "")).expect("mention");
    assert_eq!(
        (m.text.as_str(), m.group, m.chat_id, m.topic),
        ("hey how are you?", true, ChatId::new(-100777), None)
    );
    // In a group, /reset is for its admins: asked of Telegram before it is queued.
    let m = match members_only(route(&group("/reset@my_bot", ""), None, &bot, None)) {
        Route::AdminsOnly { then, refusal, .. } => {
            assert_eq!(
                refusal,
                QuickReply::message(
                    ChatId::new(-100777),
                    texts::group_reset_admins_only(crate::domain::Lang::En)
                )
            );
            match *then {
                Route::Enqueue(InboundJob::Message(m)) => m,
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(m.command, Some(Command::Reset));
    let reply = r#","reply_to_message":{"message_id":8,"date":1,"chat":{"id":-100777,"type":"supergroup","title":"G"},"from":{"id":555,"is_bot":true,"first_name":"Bot","username":"my_bot"},"text":"earlier"}"#;
    let m = enqueued(&group("and then?", reply)).expect("reply to the bot");
    assert_eq!(m.text, "and then?");
    let topic = r#","message_thread_id":4,"is_topic_message":true"#;
    let m = enqueued(&group("@my_bot hi", topic)).expect("topic");
    assert_eq!(m.topic, Some(4));
    assert_eq!(m.conversation().to_string(), "-100777/4");
    // Changing the group's persona needs an admin; a private chat does not.
    match members_only(route(
        &group("/persona@my_bot parent", ""),
        None,
        &bot,
        None,
    )) {
        Route::AdminsOnly {
            chat, user, then, ..
        } => {
            assert_eq!((chat, user), (ChatId::new(-100777), UserId::new(42)));
            assert!(matches!(
                *then,
                Route::SetPersona {
                    owner: Owner::Group(g),
                    ..
                } if g == GroupId::of(ChatId::new(-100777))
            ));
        }
        other => panic!("{other:?}"),
    }
    // So is renaming the group's conversation.
    match members_only(route(&group("/rename@my_bot Trip", ""), None, &bot, None)) {
        Route::AdminsOnly { then, .. } => assert!(matches!(
            *then,
            Route::Enqueue(InboundJob::Message(ref m)) if m.command == Some(Command::Rename) && m.args == "Trip"
        )),
        other => panic!("{other:?}"),
    }
    match members_only(route(&group("/cancel@my_bot", ""), None, &bot, None)) {
        Route::Cancel { chat, say, .. } => {
            assert_eq!((chat, say), (ChatId::new(-100777), Some(Lang::En)))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn stop_button_and_settings_callbacks() {
    let stopped = parse(
        r#"{"update_id":40,"stopped_message_generation":{"chat":{"id":42,"type":"private","first_name":"A"},"draft_id":77}}"#,
    );
    assert_eq!(
        route(&stopped, None, &BotIdentity::default(), None),
        Route::Cancel {
            chat: ChatId::new(42),
            stop: crate::ports::Stop::Draft(77),
            say: None
        }
    );
    let models = crate::testing::models(&["gpt-4o-mini", "gpt-4o"]);
    let bot = BotIdentity {
        allowed_models: &models,
        ..my_bot()
    };
    let press = |data: &str| {
        parse(&format!(
            r#"{{"update_id":41,"callback_query":{{"id":"q1","from":{{"id":42,"is_bot":false,"first_name":"A"}},"chat_instance":"1","message":{{"message_id":5,"date":1,"chat":{{"id":42,"type":"private","first_name":"A"}},"text":"Settings"}},"data":"{data}"}}}}"#
        ))
    };
    // A settings button redraws its menu, whatever the menu's text says.
    let redrawn = |data: &str| match members_only(route(&press(data), None, &bot, None)) {
        Route::Redraw {
            then,
            chat,
            message_id,
            menu,
            ..
        } => {
            assert_eq!(
                (chat, message_id, menu),
                (
                    ChatId::new(42),
                    5,
                    Menu::Settings(Owner::User(UserId::new(42)))
                )
            );
            *then
        }
        other => panic!("{other:?}"),
    };
    match redrawn("settings:voice:on") {
        Route::ChangeSetting { owner, change, .. } => {
            assert_eq!(
                (owner, change),
                (
                    Owner::User(UserId::new(42)),
                    SettingChange::VoiceReplies(true)
                )
            );
        }
        other => panic!("{other:?}"),
    }
    match redrawn("settings:model:gpt-4o") {
        Route::ChangeSetting { change, .. } => {
            assert_eq!(
                change,
                SettingChange::Model(crate::testing::models(&["gpt-4o"]).pop())
            );
        }
        other => panic!("{other:?}"),
    }
    match redrawn("settings:persona:sibling") {
        Route::SetPersona { choice, .. } => assert_eq!(choice.kind, PersonaKind::Sibling),
        other => panic!("{other:?}"),
    }
    // The /persona menu's buttons redraw it with the new persona ticked.
    match members_only(route(&press("persona:sibling"), None, &bot, None)) {
        Route::Redraw { then, menu, .. } => {
            assert_eq!(menu, Menu::Persona(PersonaKind::Sibling));
            match *then {
                Route::SetPersona { choice, .. } => {
                    assert_eq!(choice.kind, PersonaKind::Sibling)
                }
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    match route(&press("settings:model:gpt-5-pro"), None, &bot, None) {
        Route::Answer(QuickReply::Callback { alert, .. }) => assert!(alert),
        other => panic!("{other:?}"),
    }
    let menu = crate::adapters::telegram::encode_quick_reply(&settings_menu(
        ChatId::new(42),
        &Settings::default(),
        None,
        &models,
        Lang::En,
    ));
    let datas: Vec<&str> = menu["reply_markup"]["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap())
        .map(|b| b["callback_data"].as_str().unwrap())
        .collect();
    assert_eq!(
        datas,
        [
            "settings:voice:on",
            "settings:transcript:on",
            "settings:persona:parent",
            "settings:persona:spouse",
            "settings:persona:child",
            "settings:persona:sibling",
            "settings:persona:friend",
            "settings:persona:colleague",
            "settings:persona:other",
            "settings:model:gpt-4o-mini",
            "settings:model:gpt-4o"
        ]
    );
    assert!(datas.iter().all(|d| d.len() <= 64));
}

#[test]
fn voice_photo_and_oversized_files() {
    let voice = |size: u64| {
        parse(&format!(
            r#"{{"update_id":50,"message":{{"message_id":1,"date":1,"chat":{{"id":42,"type":"private","first_name":"A"}},"from":{{"id":42,"is_bot":false,"first_name":"A"}},"voice":{{"file_id":"V1","file_unique_id":"u","duration":3,"mime_type":"audio/ogg","file_size":{size}}}}}}}"#
        ))
    };
    match route(&voice(9000), None, &BotIdentity::default(), None) {
        Route::Enqueue(InboundJob::Message(m)) => assert_eq!(
            m.media,
            Some(Media::Sound {
                kind: SoundKind::Voice,
                file_id: "V1".into(),
                duration_secs: 3,
                size: Some(9000)
            })
        ),
        other => panic!("{other:?}"),
    }
    match route(
        &voice(25 * 1024 * 1024),
        None,
        &BotIdentity::default(),
        None,
    ) {
        Route::Answer(QuickReply::Message { text, .. }) => {
            assert!(text.contains("20 MB"), "{text}")
        }
        other => panic!("{other:?}"),
    }
    let photo = parse(
        r#"{"update_id":51,"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private","first_name":"A"},"from":{"id":42,"is_bot":false,"first_name":"A"},"caption":"what is this?","photo":[{"file_id":"small","file_unique_id":"a","width":90,"height":60,"file_size":900},{"file_id":"big","file_unique_id":"b","width":1280,"height":853,"file_size":90000}]}}"#,
    );
    match route(&photo, None, &BotIdentity::default(), None) {
        Route::Enqueue(InboundJob::Message(m)) => {
            assert_eq!(m.text, "what is this?");
            assert_eq!(
                m.media,
                Some(Media::Photo {
                    file_id: "big".into(),
                    size: Some(90000)
                })
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn routes_table() {
    let private = |text: &str| {
        format!(
            r#"{{"update_id":10,"message":{{"message_id":1,"date":1,"chat":{{"id":42,"type":"private","first_name":"A"}},"from":{{"id":42,"is_bot":false,"first_name":"A"}},"text":{}}}}}"#,
            serde_json::to_string(text).unwrap()
        )
    };
    assert_eq!(
        route(
            &parse(&private("/start")),
            None,
            &BotIdentity::default(),
            None
        ),
        Route::Answer(QuickReply::message(ChatId::new(42), texts::start(Lang::En)))
    );
    assert_eq!(
        route(&parse(&private("/help@my_bot")), None, &my_bot(), None),
        Route::Answer(QuickReply::message(
            ChatId::new(42),
            texts::help(Lang::En, texts::Asker::USER)
        ))
    );
    match members_only(route(
        &parse(&private("/persona")),
        None,
        &BotIdentity::default(),
        None,
    )) {
        Route::Answer(QuickReply::Message { keyboard, .. }) => {
            let data: Vec<String> = keyboard.concat().into_iter().map(|b| b.data).collect();
            assert_eq!(data.len(), PersonaKind::ALL.len());
            assert!(data.contains(&"persona:parent".to_owned()));
        }
        other => panic!("{other:?}"),
    }
    match members_only(route(
        &parse(&private("/persona custom Anna: my sister")),
        None,
        &BotIdentity::default(),
        None,
    )) {
        Route::SetPersona { owner, choice, .. } => {
            assert_eq!(owner, Owner::User(UserId::new(42)));
            assert_eq!(choice.name.as_deref(), Some("Anna"));
        }
        other => panic!("{other:?}"),
    }
    match members_only(route(
        &parse(&private("/persona sibling")),
        None,
        &BotIdentity::default(),
        None,
    )) {
        Route::SetPersona { choice, .. } => assert_eq!(choice.kind, PersonaKind::Sibling),
        other => panic!("{other:?}"),
    }
    match route(
        &parse(&private("hello")),
        None,
        &BotIdentity::default(),
        None,
    ) {
        Route::Enqueue(InboundJob::Message(m)) => {
            assert_eq!(
                (m.text.as_str(), m.command, m.update_id),
                ("hello", None, UpdateId(10))
            );
        }
        other => panic!("{other:?}"),
    }
    match route(
        &parse(&private("/reset")),
        None,
        &BotIdentity::default(),
        None,
    ) {
        Route::Enqueue(InboundJob::Message(m)) => assert_eq!(m.command, Some(Command::Reset)),
        other => panic!("{other:?}"),
    }
    let group = r#"{"update_id":11,"message":{"message_id":1,"date":1,"chat":{"id":-5,"type":"group","title":"G"},"from":{"id":42,"is_bot":false,"first_name":"A"},"text":"hi"}}"#;
    assert!(matches!(
        route(&parse(group), None, &BotIdentity::default(), None),
        Route::Ignore(_)
    ));
    let sticker = r#"{"update_id":12,"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private","first_name":"A"},"from":{"id":42,"is_bot":false,"first_name":"A"},"location":{"latitude":1.0,"longitude":2.0}}}"#;
    assert_eq!(
        route(&parse(sticker), None, &BotIdentity::default(), None),
        Route::Answer(QuickReply::message(
            ChatId::new(42),
            texts::unsupported_message(Lang::En)
        ))
    );
    let edited = r#"{"update_id":13,"edited_message":{"message_id":1,"date":1,"edit_date":2,"chat":{"id":42,"type":"private","first_name":"A"},"from":{"id":42,"is_bot":false,"first_name":"A"},"text":"x"}}"#;
    assert_eq!(
        route(&parse(edited), None, &BotIdentity::default(), None),
        Route::Ignore("unhandled update kind edited_message".into())
    );
}

/// What a quick command or press does for someone who may use the bot.
pub(super) fn members_only(route: Route) -> Route {
    match route {
        Route::MembersOnly { then, .. } => *then,
        other => panic!("not checked for access first: {other:?}"),
    }
}
