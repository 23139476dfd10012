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
    };
    Route::Pressed {
        job: InboundJob::Message(job),
        reply: answered,
    }
}
