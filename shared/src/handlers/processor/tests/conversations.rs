//! Conversations you can come back to, on fakes: the idle timeout, `/history` and its
//! buttons, `/rename`, `/retry` and `/export`.

use std::time::Duration;

use super::{BUDGET, answered, replies};
use crate::domain::callback::ShelfPress;
use crate::domain::shelf::Which;
use crate::domain::{CallbackData, Command, Lang, texts};
use crate::ports::{ConversationIndex, ConversationShelf, HistoryStore};
use crate::testing::{command, message, processor};

const USER: i64 = 42;
const HOUR: Duration = Duration::from_secs(3600);

fn prompt_text(state: &crate::testing::FakeProcessor, call: usize) -> String {
    state.model.calls()[call]
        .prompt
        .iter()
        .map(|m| m.content.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(start_paused = true)]
async fn a_conversation_idle_past_the_limit_is_filed_and_the_user_told() {
    let state = processor(BUDGET);
    answered(&state, &message(1, USER, "Tell me about whales")).await;
    tokio::time::advance(23 * HOUR).await;
    answered(&state, &message(2, USER, "and dolphins?")).await;
    assert!(
        prompt_text(&state, 1).contains("whales"),
        "23 h is not idle"
    );
    tokio::time::advance(24 * HOUR + Duration::from_secs(1)).await;
    answered(&state, &message(3, USER, "Cooking tonight")).await;
    let prompt = prompt_text(&state, 2);
    assert!(!prompt.contains("whales"), "{prompt}");
    let sent = replies(&state);
    assert_eq!(sent.len(), 4, "{sent:?}");
    assert_eq!(sent[2].1, texts::idle_fresh_start(Lang::En));
    let conv = message(3, USER, "").conversation();
    let filed = state.store.conversation_list(conv, 10).await.unwrap();
    assert_eq!(filed.len(), 1);
    assert_eq!(filed[0].title, "Tell me about whales");
    // A redelivery of the message that broke the silence files nothing more.
    answered(&state, &message(3, USER, "Cooking tonight")).await;
    assert_eq!(
        state.store.conversation_list(conv, 10).await.unwrap().len(),
        1
    );
}

#[tokio::test(start_paused = true)]
async fn with_no_idle_limit_a_conversation_goes_on_for_ever() {
    let mut state = processor(BUDGET);
    state.conversation_idle = None;
    answered(&state, &message(1, USER, "Tell me about whales")).await;
    tokio::time::advance(400 * 24 * HOUR).await;
    answered(&state, &message(2, USER, "and dolphins?")).await;
    assert!(prompt_text(&state, 1).contains("whales"));
    assert_eq!(replies(&state).len(), 2);
}

fn press(update: u64, press: ShelfPress) -> crate::domain::IncomingMessage {
    let mut m = message(update, USER, "");
    m.command = Some(Command::HistoryButton);
    m.args = CallbackData::Shelf(press).encode();
    m.message_id = 77;
    m
}

fn conv() -> crate::domain::ConvId {
    message(1, USER, "").conversation()
}

/// Two conversations: "Whales" filed, "Cooking" current.
async fn two_conversations(state: &crate::testing::FakeProcessor) -> (Which, Which) {
    answered(state, &message(1, USER, "Tell me about whales")).await;
    answered(state, &command(2, USER, "/reset")).await;
    answered(state, &message(3, USER, "Cooking tonight")).await;
    let list = state.store.shelf(conv(), 10).await.unwrap();
    assert_eq!(list.len(), 2, "{list:?}");
    assert_eq!(list[0].which, Which::Current);
    assert_eq!(list[0].title, "Cooking tonight");
    (list[0].which, list[1].which)
}

fn last(state: &crate::testing::FakeProcessor) -> crate::domain::OutgoingMessage {
    state.outbox.outgoing().pop().expect("a reply")
}

#[tokio::test(start_paused = true)]
async fn history_lists_the_current_one_first_with_buttons_that_fit() {
    let state = processor(BUDGET);
    let (_, whales) = two_conversations(&state).await;
    answered(&state, &command(4, USER, "/history")).await;
    let list = last(&state);
    assert!(list.text.contains("\u{25b6} 1. "), "{}", list.text);
    assert!(
        list.text
            .contains("2. 2023-11-14 \u{2013} Tell me about whales")
    );
    // The current one cannot be opened; a filed one can.
    assert_eq!(list.keyboard[0].len(), 2);
    assert_eq!(list.keyboard[1].len(), 3);
    let Which::Filed(id) = whales else {
        panic!("filed")
    };
    assert_eq!(
        list.keyboard[1][0].data,
        CallbackData::Shelf(ShelfPress::Open(id)).encode()
    );
    for button in list.keyboard.iter().flatten() {
        assert!(button.data.len() <= crate::domain::callback::MAX_LEN);
    }
}

#[tokio::test(start_paused = true)]
async fn opening_a_filed_conversation_continues_it_and_files_the_current_one() {
    let state = processor(BUDGET);
    let (_, whales) = two_conversations(&state).await;
    let Which::Filed(id) = whales else {
        panic!("filed")
    };
    answered(&state, &press(4, ShelfPress::Open(id))).await;
    let redrawn = last(&state);
    assert_eq!(
        redrawn.edit_message_id,
        Some(77),
        "the list is redrawn in place"
    );
    assert!(
        redrawn.text.starts_with(&texts::conversation_opened(
            Lang::En,
            "Tell me about whales"
        )),
        "{}",
        redrawn.text
    );
    let list = state.store.shelf(conv(), 10).await.unwrap();
    assert_eq!(list[0].title, "Tell me about whales");
    assert_eq!(list[1].title, "Cooking tonight", "the current one is filed");
    answered(&state, &message(5, USER, "and dolphins?")).await;
    let prompt = prompt_text(&state, state.model.calls().len() - 1);
    assert!(prompt.contains("Tell me about whales"), "{prompt}");
    assert!(!prompt.contains("Cooking"), "{prompt}");
    // A redelivered press changes nothing more, and says the same.
    answered(&state, &press(4, ShelfPress::Open(id))).await;
    assert_eq!(state.store.shelf(conv(), 10).await.unwrap().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn delete_asks_first_then_deletes_and_redraws() {
    let state = processor(BUDGET);
    let (_, whales) = two_conversations(&state).await;
    answered(&state, &press(4, ShelfPress::Delete(whales))).await;
    let asking = last(&state);
    assert!(
        asking.text.ends_with(&texts::conversation_confirm_delete(
            Lang::En,
            "Tell me about whales"
        )),
        "{}",
        asking.text
    );
    assert_eq!(
        asking.keyboard[1][0].data,
        CallbackData::Shelf(ShelfPress::ConfirmDelete(whales)).encode()
    );
    assert_eq!(
        state.store.shelf(conv(), 10).await.unwrap().len(),
        2,
        "not yet"
    );
    answered(&state, &press(5, ShelfPress::ConfirmDelete(whales))).await;
    let done = last(&state);
    assert!(done.text.starts_with(&texts::conversation_deleted(
        Lang::En,
        "Tell me about whales"
    )));
    let list = state.store.shelf(conv(), 10).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(done.keyboard.len(), 1);
    // Pressed again (an old keyboard): it is gone, and the user is told so.
    answered(&state, &press(6, ShelfPress::ConfirmDelete(whales))).await;
    assert!(
        last(&state)
            .text
            .starts_with(&texts::conversation_gone(Lang::En))
    );
    // "Keep" redraws as it was.
    answered(&state, &press(7, ShelfPress::Keep)).await;
    assert!(
        last(&state)
            .text
            .starts_with(&texts::conversation_list_heading(Lang::En))
    );
}

#[tokio::test(start_paused = true)]
async fn deleting_the_current_one_starts_afresh() {
    let state = processor(BUDGET);
    two_conversations(&state).await;
    answered(&state, &press(4, ShelfPress::ConfirmDelete(Which::Current))).await;
    answered(&state, &message(5, USER, "New topic")).await;
    let prompt = prompt_text(&state, state.model.calls().len() - 1);
    assert!(!prompt.contains("Cooking"), "{prompt}");
    let list = state.store.shelf(conv(), 10).await.unwrap();
    assert_eq!(list[0].title, "New topic");
    assert_eq!(list.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_deleted_responses_conversation_is_deleted_at_the_provider_unless_it_cannot_be() {
    let missing = crate::testing::Script::Fail {
        retryable: false,
        cause: Some(crate::error::Cause::EndpointMissing),
        retry_after: None,
    };
    let down = crate::testing::Script::transient;
    // (what the provider does, how many calls it gets)
    let cases = [
        (vec![], 1),
        (vec![missing], 1),
        (vec![down(), down(), down(), down()], 3),
    ];
    for (scripts, expected) in cases {
        let mut state = processor(BUDGET);
        state.mode = crate::config::ApiMode::Responses;
        answered(&state, &message(1, USER, "Tell me about whales")).await;
        answered(&state, &command(2, USER, "/reset")).await;
        let list = state.store.shelf(conv(), 10).await.unwrap();
        state.model.script(scripts);
        answered(&state, &press(3, ShelfPress::ConfirmDelete(list[0].which))).await;
        let deletes: Vec<_> = state
            .model
            .calls()
            .into_iter()
            .filter(|c| c.kind == "delete_conversation")
            .collect();
        assert_eq!(
            deletes.len(),
            expected,
            "retried within the delivery, bounded"
        );
        assert!(state.store.shelf(conv(), 10).await.unwrap().is_empty());
        assert_eq!(deletes[0].conversation.as_deref(), Some("conv_fake_1"));
        assert!(last(&state).text.starts_with(&texts::conversation_deleted(
            Lang::En,
            "Tell me about whales"
        )));
    }
}

#[tokio::test(start_paused = true)]
async fn rename_names_the_current_one_or_a_line_of_history() {
    let state = processor(BUDGET);
    two_conversations(&state).await;
    answered(&state, &command(4, USER, "/rename Dinner plans")).await;
    assert_eq!(
        last(&state).text,
        texts::conversation_renamed(Lang::En, "Dinner plans")
    );
    answered(&state, &command(5, USER, "/rename 2 Sea mammals")).await;
    answered(&state, &command(6, USER, "/rename 9 lives")).await;
    let list = state.store.shelf(conv(), 10).await.unwrap();
    assert_eq!(
        list[0].title, "9 lives",
        "no line 9: the number is part of the title"
    );
    assert_eq!(list[1].title, "Sea mammals");
    answered(&state, &command(7, USER, "/rename")).await;
    assert_eq!(
        last(&state).text,
        texts::conversation_rename_usage(Lang::En)
    );
}

#[tokio::test(start_paused = true)]
async fn retry_writes_the_last_answer_again_in_its_place_once() {
    let state = processor(BUDGET);
    answered(&state, &command(1, USER, "/retry")).await;
    assert_eq!(last(&state).text, texts::retry_nothing(Lang::En));
    answered(&state, &message(2, USER, "Tell me about whales")).await;
    answered(&state, &message(3, USER, "and dolphins?")).await;
    state.model.script([crate::testing::Script::Reply {
        pieces: vec!["Dolphins, again.".into()],
        gap: Duration::ZERO,
        usage: true,
    }]);
    answered(&state, &command(4, USER, "/retry")).await;
    assert_eq!(last(&state).text, "Dolphins, again.");
    let prompt = prompt_text(&state, state.model.calls().len() - 1);
    assert!(
        prompt.contains("and dolphins?") && prompt.contains("whales"),
        "{prompt}"
    );
    let history = state.store.recent_history(conv(), 10).await.unwrap();
    let said: Vec<&str> = history.turns.iter().map(|t| t.turn.text.as_str()).collect();
    assert_eq!(
        said[..2],
        ["Dolphins, again.", "and dolphins?"],
        "replaced, not added"
    );
    assert_eq!(said.len(), 4);
    assert_eq!(state.store.exchanges().len(), 3, "metered like any reply");
    // A redelivered /retry sends the stored answer again; the model is not asked.
    let calls = state.model.calls().len();
    answered(&state, &command(4, USER, "/retry")).await;
    assert_eq!(state.model.calls().len(), calls);
    assert_eq!(last(&state).text, "Dolphins, again.");
    assert_eq!(state.store.exchanges().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn export_all_sends_one_file_per_conversation_with_its_notes() {
    let state = processor(BUDGET);
    two_conversations(&state).await;
    answered(&state, &command(4, USER, "/export all")).await;
    let out = state.outbox.outgoing();
    let files: Vec<_> = out.iter().filter_map(|m| m.document.clone()).collect();
    assert_eq!(files.len(), 2);
    assert!(files[0].content.contains("Cooking tonight"));
    assert!(files[1].content.contains("Tell me about whales"));
    assert_eq!(last(&state).text, texts::export_all_done(Lang::En, 2));
    // The current one whole, notes and folded turns too.
    state
        .store
        .save_summary(conv(), &state.store.turns(conv())[1].key, "they cook")
        .await
        .unwrap();
    answered(&state, &command(5, USER, "/export")).await;
    let file = last(&state).document.expect("a file").content;
    assert!(
        file.contains("Cooking tonight") && file.contains("they cook"),
        "{file}"
    );
}
