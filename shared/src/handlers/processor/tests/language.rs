//! The processor's words in the user's language: their `/language` choice from the
//! profile it loads anyway, else their Telegram app's; commands and failure notices,
//! which may come before any profile is loaded, read the choice alone.

use std::time::Duration;

use super::{BUDGET, answered, only_reply, replies};
use crate::domain::{IncomingMessage, Lang, UserId, UserProfile, texts};
use crate::error::Cause;
use crate::testing::{FakeProcessor, Script, command, deliver, message, processor};

const USER: i64 = 42;

fn in_app(mut m: IncomingMessage, code: &str) -> IncomingMessage {
    m.from.language_code = Some(code.into());
    m
}

fn choose(state: &FakeProcessor, lang: Lang) {
    state.store.put_profile(
        UserId::new(USER),
        UserProfile {
            lang: Some(lang),
            ..UserProfile::default()
        },
    );
}

#[tokio::test(start_paused = true)]
async fn a_command_answers_in_the_app_s_language_or_the_choice() {
    let state = processor(Duration::from_secs(1));
    answered(&state, &in_app(command(1, USER, "/style maybe"), "ru")).await;
    assert_eq!(
        only_reply(&state),
        "Использование: /style, /style on или /style off"
    );
    assert_eq!(
        state.outbox.outgoing()[0].lang,
        Lang::Ru,
        "carried to the sender"
    );

    let state = processor(Duration::from_secs(1));
    choose(&state, Lang::De);
    answered(&state, &in_app(command(2, USER, "/weather"), "ru")).await;
    assert_eq!(
        only_reply(&state),
        "Den Befehl /weather kenne ich nicht. Versuch es mit /help."
    );
    assert_eq!(state.store.calls("language"), 1);
    // The choice unreadable: the app's language, and the command still answered.
    let state = processor(Duration::from_secs(1));
    choose(&state, Lang::De);
    state.store.fail("language", 1, true);
    answered(&state, &in_app(command(3, USER, "/style maybe"), "ru")).await;
    assert_eq!(only_reply(&state), texts::style_usage(Lang::Ru));
}

#[tokio::test(start_paused = true)]
async fn an_answer_takes_the_choice_from_the_profile_with_no_read_of_its_own() {
    let state = processor(Duration::from_secs(1));
    choose(&state, Lang::De);
    answered(&state, &in_app(message(4, USER, "hi"), "ru")).await;
    assert_eq!(
        state.store.calls("language"),
        0,
        "the ordinary path reads nothing more"
    );
    assert_eq!(
        state.outbox.outgoing()[0].lang,
        Lang::De,
        "for the sender's own words"
    );
}

#[tokio::test(start_paused = true)]
async fn failure_notices_are_in_the_user_s_language() {
    // The first delivery of a slow model: the notice in the app's language.
    let state = processor(Duration::from_secs(1));
    let slow = Script::Fail {
        retryable: true,
        cause: None,
        retry_after: None,
    };
    state.model.script([slow.clone(), slow.clone(), slow]);
    let failed = deliver(&state, &in_app(message(5, USER, "hi"), "ru"), 1, BUDGET).await;
    assert_eq!(failed.len(), 1);
    assert_eq!(replies(&state)[0].1, texts::still_trying(Lang::Ru));
    assert!(replies(&state)[0].1.starts_with("У меня сейчас"));

    // Given up on: in the German the user chose, over their Russian app.
    let state = processor(Duration::from_secs(1));
    choose(&state, Lang::De);
    state.model.script([Script::Fail {
        retryable: false,
        cause: Some(Cause::QuotaExhausted),
        retry_after: None,
    }]);
    assert!(
        deliver(&state, &in_app(message(6, USER, "hi"), "ru"), 1, BUDGET)
            .await
            .is_empty()
    );
    let told = texts::gave_up(Lang::De, Some(Cause::QuotaExhausted), false, true);
    assert!(
        told.starts_with("Entschuldige, ich kann gerade nicht antworten"),
        "{told}"
    );
    assert_eq!(replies(&state), [("failed-6".to_owned(), told)]);
}
