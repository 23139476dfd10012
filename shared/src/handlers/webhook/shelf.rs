//! Presses on `/history`'s buttons: the rename button is answered here with how to
//! rename; the others go to the processor, which changes the conversations and redraws
//! the list.

use super::route::Route;
use crate::adapters::telegram::inbound::{CallbackView, ChatKind};
use crate::domain::callback::ShelfPress;
use crate::domain::jobs::{InboundJob, IncomingMessage, Person};
use crate::domain::{CallbackData, ChatId, Command, Lang, QuickReply, UpdateId, UserId, texts};

/// What a press on a `/history` button becomes; `answered` stops its spinner.
pub(super) fn route_press(
    update_id: UpdateId,
    query: &CallbackView,
    press: ShelfPress,
    answered: QuickReply,
) -> Route {
    let from = &query.from;
    if let ShelfPress::Rename(n) = press {
        let lang = Lang::resolve(None, from.language_code.as_deref());
        return Route::Answer(QuickReply::Callback {
            query_id: query.id.clone(),
            text: Some(texts::conversation_rename_hint(lang, n)),
            alert: true,
        });
    }
    // Without its message the press cannot say which chat's list to redraw.
    let Some(list) = &query.message else {
        return Route::Answer(answered);
    };
    let job = IncomingMessage {
        update_id,
        chat_id: ChatId::new(list.chat.id),
        // The list, which the processor redraws.
        message_id: list.message_id,
        date: list.date,
        from: Person {
            id: UserId::new(from.id),
            first_name: from.first_name.clone(),
            username: from.username.clone(),
            language_code: from.language_code.clone(),
            is_chat: false,
        },
        text: String::new(),
        command: Some(Command::HistoryButton),
        args: CallbackData::Shelf(press).encode(),
        forwarded: false,
        group: list.chat.kind() != ChatKind::Private,
        topic: list.topic(),
        media: None,
        media_group: None,
        album: Vec::new(),
        chosen_lang: None,
    };
    Route::Pressed {
        job: InboundJob::Message(job),
        reply: answered,
    }
}

#[cfg(test)]
mod tests {
    use super::super::route::{BotIdentity, route};
    use super::*;
    use crate::adapters::telegram::inbound::parse_update;
    use crate::domain::shelf::Which;

    fn pressed(chat: &str, data: &str) -> Route {
        let json = format!(
            r#"{{"update_id":41,"callback_query":{{"id":"q1","from":{{"id":42,"is_bot":false,"first_name":"A","language_code":"de"}},"chat_instance":"1","message":{{"message_id":5,"date":1,"chat":{chat},"text":"list","message_thread_id":9,"is_topic_message":true}},"data":"{data}"}}}}"#
        );
        let update = parse_update(json.as_bytes()).expect("update");
        route(&update, None, &BotIdentity::default(), None)
    }

    const PRIVATE: &str = r#"{"id":42,"type":"private","first_name":"A"}"#;

    #[test]
    fn a_press_goes_to_the_processor_with_the_list_to_redraw() {
        let data = CallbackData::Shelf(ShelfPress::Delete(Which::Current)).encode();
        let Route::Pressed {
            job: InboundJob::Message(job),
            reply,
        } = pressed(PRIVATE, &data)
        else {
            panic!("not queued")
        };
        assert_eq!(job.update_id, UpdateId(41));
        assert_eq!(job.command, Some(Command::HistoryButton));
        assert_eq!(job.args, data);
        assert_eq!((job.message_id, job.topic), (5, Some(9)));
        assert_eq!(
            reply,
            QuickReply::Callback {
                query_id: "q1".into(),
                text: None,
                alert: false
            }
        );
    }

    #[test]
    fn rename_is_answered_with_how_in_the_users_language() {
        let data = CallbackData::Shelf(ShelfPress::Rename(3)).encode();
        assert_eq!(
            pressed(PRIVATE, &data),
            Route::Answer(QuickReply::Callback {
                query_id: "q1".into(),
                text: Some(texts::conversation_rename_hint(Lang::De, 3)),
                alert: true
            })
        );
    }

    #[test]
    fn in_a_group_only_admins_open_or_delete() {
        let group = r#"{"id":-100777,"type":"supergroup","title":"G"}"#;
        let data = CallbackData::Shelf(ShelfPress::Keep).encode();
        match pressed(group, &data) {
            Route::AdminsOnly {
                chat, user, then, ..
            } => {
                assert_eq!((chat, user), (ChatId::new(-100_777), UserId::new(42)));
                assert!(matches!(*then, Route::Pressed { .. }));
            }
            other => panic!("{other:?}"),
        }
    }
}
