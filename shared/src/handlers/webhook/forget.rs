//! The `/forget` confirmation's buttons. Only the user who sent `/forget` may press them;
//! a confirmation goes on the queue (the deletion may take many requests, more than a
//! webhook call should wait for), and the press is answered at once.

use super::route::Route;
use crate::adapters::telegram::inbound::CallbackView;
use crate::domain::jobs::{ForgetRequest, InboundJob};
use crate::domain::{CallbackData, ChatId, Lang, QuickReply, UpdateId, UserId, texts};

/// The route for a press on a `/forget` button; `None` for any other button.
pub(super) fn route_forget_press(update_id: UpdateId, query: &CallbackView) -> Option<Route> {
    let data = query.data.as_deref().and_then(CallbackData::parse)?;
    let lang = Lang::resolve(None, query.from.language_code.as_deref());
    let answer = |text: String, alert: bool| {
        Route::Answer(QuickReply::Callback {
            query_id: query.id.clone(),
            text: Some(text),
            alert,
        })
    };
    let presser = UserId::new(query.from.id);
    let (owner, confirmed) = match data {
        CallbackData::Forget { user, asked_at } => (user, Some(asked_at)),
        CallbackData::KeepData(user) => (user, None),
        _ => return None,
    };
    if presser != owner {
        // Someone else in the group: their press deletes nothing, and they are told why.
        return Some(answer(texts::forget_not_yours(lang), true));
    }
    let Some(asked_at) = confirmed else {
        return Some(answer(texts::forget_kept(lang), false));
    };
    // A button under an inline-mode message has no message to report in; ours never are.
    let Some(message) = &query.message else {
        return Some(Route::Ignore("forget press without its message".into()));
    };
    let job = InboundJob::Forget(ForgetRequest {
        update_id,
        user_id: owner,
        chat_id: ChatId::new(message.chat.id),
        message_id: message.message_id,
        asked_at,
        language_code: query.from.language_code.clone(),
    });
    Some(Route::EnqueueAnswered {
        job,
        reply: QuickReply::Callback {
            query_id: query.id.clone(),
            text: Some(texts::forget_working(lang)),
            alert: false,
        },
    })
}
