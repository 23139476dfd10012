//! Each command that reaches the processor, on fakes.

use crate::domain::Lang;
use std::time::Duration;

use super::{BUDGET, answered, only_reply, replies};
use crate::domain::{Command, UserId, UserProfile, texts};
use crate::ports::{ConversationIndex, HistoryStore};
use crate::testing::{START_MS, command, deliver, message, processor};

const USER: i64 = 42;

#[tokio::test(start_paused = true)]
async fn start_help_and_an_unknown_command_answer_from_the_texts() {
    for (text, expected) in [
        ("/start", texts::start(Lang::En)),
        ("/help", texts::help(Lang::En, texts::Asker::USER)),
        (
            "/frobnicate",
            texts::unknown_command(Lang::En, "frobnicate"),
        ),
    ] {
        let state = processor(Duration::from_secs(1));
        answered(&state, &command(1, USER, text)).await;
        assert_eq!(only_reply(&state), expected, "{text}");
        assert!(state.model.calls().is_empty(), "{text} went to the model");
    }
}

#[tokio::test(start_paused = true)]
async fn commands_the_webhook_answers_are_not_answered_twice() {
    for text in [
        "/persona",
        "/cancel",
        "/settings",
        "/voice on",
        "/subscribe",
        "/forget",
    ] {
        let state = processor(Duration::from_secs(1));
        answered(&state, &command(1, USER, text)).await;
        assert!(
            replies(&state).is_empty(),
            "{text} answered: {:?}",
            replies(&state)
        );
    }
}

#[tokio::test(start_paused = true)]
async fn reset_files_the_conversation_and_history_lists_it() {
    let state = processor(Duration::from_secs(1));
    answered(&state, &message(1, USER, "Tell me about whales")).await;
    answered(&state, &command(2, USER, "/reset")).await;
    let conv = message(3, USER, "").conversation();
    let history = state.store.recent_history(conv, 10).await.unwrap();
    assert!(
        history.turns.is_empty(),
        "the reset conversation is not the current one"
    );
    answered(&state, &command(4, USER, "/history")).await;
    let texts_sent: Vec<String> = replies(&state).into_iter().map(|(_, t)| t).collect();
    assert_eq!(texts_sent[1], texts::reset_done(Lang::En));
    let listed = state.store.conversation_list(conv, 10).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].title, "Tell me about whales");
    assert_eq!(
        texts_sent[2],
        format!(
            "{}\n1. 2023-11-14 \u{2013} Tell me about whales",
            texts::conversation_list_heading(crate::domain::Lang::En)
        )
    );
    // A redelivered /reset files nothing more.
    answered(&state, &command(2, USER, "/reset")).await;
    assert_eq!(
        state.store.conversation_list(conv, 10).await.unwrap().len(),
        1
    );
}

#[tokio::test(start_paused = true)]
async fn export_sends_the_conversation_as_a_file_or_says_there_is_nothing() {
    let state = processor(Duration::from_secs(1));
    answered(&state, &command(1, USER, "/export")).await;
    assert_eq!(
        only_reply(&state),
        texts::export_nothing(crate::domain::Lang::En)
    );
    answered(&state, &message(2, USER, "hello")).await;
    answered(&state, &command(3, USER, "/export")).await;
    let export = state.outbox.outgoing().pop().expect("an export");
    let document = export.document.expect("the export is a file");
    assert!(document.content.contains("hello"), "{}", document.content);
    assert_eq!(
        export.text,
        texts::conversation_export_caption(crate::domain::Lang::En, "hello", 2, false)
    );
}

#[tokio::test(start_paused = true)]
async fn style_reports_and_switches_imitation() {
    let state = processor(Duration::from_secs(1));
    answered(&state, &command(1, USER, "/style off")).await;
    assert!(!state.store.stored_profile(UserId::new(USER)).style_enabled);
    answered(&state, &command(2, USER, "/style on")).await;
    assert!(state.store.stored_profile(UserId::new(USER)).style_enabled);
    answered(&state, &command(3, USER, "/style sideways")).await;
    answered(&state, &command(4, USER, "/style")).await;
    let sent: Vec<String> = replies(&state).into_iter().map(|(_, t)| t).collect();
    let report = texts::style_report(Lang::En, &state.store.stored_profile(UserId::new(USER)));
    assert_eq!(
        sent,
        [
            texts::style_off(Lang::En),
            texts::style_on(Lang::En),
            texts::style_usage(Lang::En),
            report
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn new_style_needs_messages_then_learns_and_opens_the_sample_window() {
    let state = processor(Duration::from_secs(1));
    answered(&state, &command(1, USER, "/new_style")).await;
    assert_eq!(only_reply(&state), texts::new_style_too_few(Lang::En));
    for (i, text) in ["hey there!! how r u", "lol that's wild", "ok see u tmrw"]
        .iter()
        .enumerate()
    {
        answered(&state, &message(10 + i as u64, USER, text)).await;
    }
    answered(&state, &command(20, USER, "/new_style")).await;
    let profile = state.store.stored_profile(UserId::new(USER));
    let style = profile.style.clone().expect("a style was learned");
    assert_eq!(
        replies(&state).last().map(|(_, t)| t.clone()),
        Some(texts::new_style_done(Lang::En, style.samples, 10))
    );
    assert_eq!(profile.sample_window_until_ms, START_MS + 10 * 60_000);
}

#[tokio::test(start_paused = true)]
async fn a_forward_inside_the_sample_window_is_a_sample_not_a_question() {
    let state = processor(Duration::from_secs(1));
    state.store.put_profile(
        UserId::new(USER),
        UserProfile {
            sample_window_until_ms: START_MS + 60_000,
            ..UserProfile::default()
        },
    );
    let mut forward = message(1, USER, "what I wrote to my sister");
    forward.forwarded = true;
    answered(&state, &forward).await;
    assert!(state.model.calls().is_empty());
    assert_eq!(only_reply(&state), texts::sample_added(Lang::En, 1));
    // After the window, a forward is a message like any other.
    tokio::time::advance(Duration::from_secs(61)).await;
    let mut later = message(2, USER, "another forward");
    later.forwarded = true;
    answered(&state, &later).await;
    assert_eq!(state.model.calls().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn usage_shows_what_was_spent_and_credits() {
    let state = processor(Duration::from_secs(1));
    answered(&state, &message(1, USER, "hello")).await;
    state.store.put_profile(
        UserId::new(USER),
        UserProfile {
            credits: 500,
            ..state.store.stored_profile(UserId::new(USER))
        },
    );
    answered(&state, &command(2, USER, "/usage")).await;
    let x = &state.store.exchanges()[0];
    let totals = crate::domain::Totals {
        messages: 1,
        prompt_tokens: u64::from(x.usage.prompt_tokens),
        completion_tokens: u64::from(x.usage.completion_tokens),
        cost_micros: x.cost_micros.unwrap_or(0),
        ..Default::default()
    };
    let view = texts::UsageView {
        totals: &[totals; 3],
        limits: None,
        credits: 500,
    };
    let expected = texts::usage(crate::domain::Lang::En, &view);
    assert!(expected.ends_with("\nCredits: 500 tokens (used once a limit is reached)"));
    assert_eq!(replies(&state)[1].1, expected);
}

#[tokio::test(start_paused = true)]
async fn grant_and_stats_are_for_admins() {
    let mut state = processor(Duration::from_secs(1));
    answered(&state, &command(1, USER, "/grant 7 100")).await;
    answered(&state, &command(2, USER, "/stats")).await;
    let sent: Vec<String> = replies(&state).into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        sent,
        [texts::admins_only(Lang::En), texts::admins_only(Lang::En)]
    );
    assert_eq!(state.store.stored_profile(UserId::new(7)).credits, 0);

    state.admins = vec![UserId::new(USER)];
    // User 7 has written to the bot before.
    state.store.put_profile(
        UserId::new(7),
        UserProfile {
            known: true,
            ..UserProfile::default()
        },
    );
    answered(&state, &command(3, USER, "/grant 7 100")).await;
    assert_eq!(state.store.stored_profile(UserId::new(7)).credits, 100);
    assert_eq!(replies(&state)[2].1, texts::granted(Lang::En, 7, 100, 100));
    // A redelivered grant grants nothing more.
    assert!(
        deliver(&state, &command(3, USER, "/grant 7 100"), 2, BUDGET)
            .await
            .is_empty()
    );
    assert_eq!(state.store.stored_profile(UserId::new(7)).credits, 100);
    answered(&state, &command(4, USER, "/grant seven")).await;
    let usage = crate::domain::budget::parse_grant("seven", Lang::En).expect_err("not a grant");
    assert_eq!(replies(&state).last().map(|(_, t)| t.clone()), Some(usage));
    answered(&state, &command(5, USER, "/stats")).await;
    let stats = replies(&state).pop().map(|(_, t)| t).unwrap_or_default();
    assert_ne!(stats, texts::admins_only(Lang::En));
}

#[tokio::test(start_paused = true)]
async fn the_command_is_read_from_the_message_not_parsed_again() {
    // The webhook parsed it; the text is only what the user wrote.
    let state = processor(Duration::from_secs(1));
    let mut m = message(1, USER, "/style@my_bot off");
    m.command = Some(Command::Style);
    m.args = "off".into();
    answered(&state, &m).await;
    assert_eq!(only_reply(&state), texts::style_off(Lang::En));
}
