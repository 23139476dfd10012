//! The processor's timing on tokio's paused clock, with in-memory fakes of its ports:
//! draft pacing, flood waits, retries within a delivery and the invocation's deadline.
//! Time is virtual here, so every check is exact and none depends on the machine's load.

use crate::domain::Lang;
use std::time::Duration;

use crate::domain::texts;
use crate::error::Cause;
use crate::ports::TelegramError;
use crate::testing::{FakeProcessor, Script, deliver, message, processor};
use tokio::time::Instant;

const INTERVAL: Duration = Duration::from_millis(1000);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn replies(state: &FakeProcessor) -> Vec<String> {
    state
        .outbox
        .outgoing()
        .into_iter()
        .map(|m| m.text)
        .collect()
}

#[tokio::test(start_paused = true)]
async fn drafts_go_out_at_most_once_per_interval_and_only_with_new_text() {
    let state = processor(INTERVAL);
    // 40 pieces, one every 250 ms: a 10 s reply.
    state.model.script([Script::slow_reply(40, ms(250))]);
    let failed = deliver(
        &state,
        &message(1, 42, "tell me a story"),
        1,
        Duration::from_secs(120),
    )
    .await;
    assert!(failed.is_empty());
    let drafts = state.telegram.drafts();
    assert_eq!(
        drafts[0].text, "",
        "the first draft is the Thinking… placeholder"
    );
    for pair in drafts.windows(2) {
        assert!(
            pair[1].at - pair[0].at >= INTERVAL,
            "{:?} apart",
            pair[1].at - pair[0].at
        );
    }
    // About one a second over ten seconds: paced, yet live.
    assert!((9..=12).contains(&drafts.len()), "{} drafts", drafts.len());
    assert!(drafts.iter().all(|d| d.draft_id == drafts[0].draft_id));
    assert_eq!(replies(&state).len(), 1);
    assert!(replies(&state)[0].starts_with("w0 w1"));
}

#[tokio::test(start_paused = true)]
async fn a_429_pauses_drafts_for_retry_after_counted_from_its_answer() {
    let state = processor(INTERVAL);
    state.model.script([Script::slow_reply(40, ms(250))]);
    // The placeholder passes; the first draft with text is answered, 400 ms later, with a
    // flood wait of 3 s.
    state.telegram.answer_drafts([
        (Duration::ZERO, Ok(())),
        (
            ms(400),
            Err(TelegramError::RetryAfter(Duration::from_secs(3))),
        ),
    ]);
    deliver(
        &state,
        &message(2, 42, "a story please"),
        1,
        Duration::from_secs(120),
    )
    .await;
    let drafts = state.telegram.drafts();
    let limited = drafts
        .iter()
        .position(|d| !d.ok)
        .expect("the refused draft");
    let refused = &drafts[limited];
    let next = &drafts[limited + 1];
    // From the answer, not from the request: counting from the request would allow a
    // draft 400 ms too soon (the flaky test this replaces saw 986 ms).
    assert!(
        next.at - refused.answered >= Duration::from_secs(3),
        "{:?}",
        next.at - refused.answered
    );
    assert!(drafts[limited + 1..].iter().all(|d| d.ok));
    assert_eq!(replies(&state).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn retries_animate_one_draft_that_says_so_and_no_second_placeholder() {
    let state = processor(INTERVAL);
    state
        .model
        .script([Script::transient(), Script::transient()]);
    let failed = deliver(
        &state,
        &message(3, 42, "hello?"),
        1,
        Duration::from_secs(120),
    )
    .await;
    assert!(failed.is_empty(), "the third attempt answers");
    let drafts = state.telegram.drafts();
    let texts: Vec<&str> = drafts.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(
        texts.iter().filter(|t| t.is_empty()).count(),
        1,
        "{texts:?}"
    );
    assert!(
        texts.contains(&texts::draft_retrying(Lang::En).as_str()),
        "{texts:?}"
    );
    assert!(drafts.iter().all(|d| d.draft_id == drafts[0].draft_id));
    assert_eq!(state.model.calls().len(), 3);
    assert_eq!(replies(&state), ["You said \u{201c}hello?\u{201d}"]);
}

#[tokio::test(start_paused = true)]
async fn a_redelivery_starts_with_the_retrying_note_not_thinking() {
    let state = processor(INTERVAL);
    deliver(
        &state,
        &message(4, 42, "again"),
        2,
        Duration::from_secs(120),
    )
    .await;
    let drafts = state.telegram.drafts();
    assert_eq!(drafts[0].text, texts::draft_retrying(Lang::En));
    assert!(drafts.iter().all(|d| !d.text.is_empty()));
}

#[tokio::test(start_paused = true)]
async fn a_reply_that_takes_a_minute_is_delivered_whole() {
    let state = processor(INTERVAL);
    // 120 pieces, one every 500 ms.
    state.model.script([Script::slow_reply(120, ms(500))]);
    let started = Instant::now();
    let failed = deliver(
        &state,
        &message(5, 42, "a long one"),
        1,
        Duration::from_secs(120),
    )
    .await;
    assert!(failed.is_empty());
    assert!(started.elapsed() >= Duration::from_secs(60));
    let sent = replies(&state);
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].ends_with("w119 "),
        "whole: {}",
        &sent[0][sent[0].len() - 20..]
    );
    assert_eq!(state.model.calls().len(), 1, "never cut and restarted");
}

#[tokio::test(start_paused = true)]
async fn a_reply_longer_than_the_invocation_is_sent_as_far_as_it_got_and_says_so() {
    let state = processor(INTERVAL);
    // 100 s of reply in a 60 s invocation.
    state.model.script([Script::slow_reply(200, ms(500))]);
    let failed = deliver(
        &state,
        &message(6, 42, "go on and on"),
        1,
        Duration::from_secs(60),
    )
    .await;
    assert!(failed.is_empty());
    let sent = replies(&state);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent[0].starts_with("w0 ") && !sent[0].contains("w199"));
    assert_eq!(sent[1], texts::cut_short(Lang::En));
    // Kept as the reply, with its usage (estimated: the stream never finished).
    let exchanges = state.store.exchanges();
    assert_eq!(exchanges.len(), 1);
    assert!(exchanges[0].usage.estimated);
}

#[tokio::test(start_paused = true)]
async fn retries_stop_before_the_deadline_and_leave_the_rest_to_sqs() {
    let state = processor(INTERVAL);
    // The provider asks for 40 s each time; 60 s leave room for one wait, not two.
    let busy = Script::Fail {
        retryable: true,
        cause: None,
        retry_after: Some(Duration::from_secs(40)),
    };
    state.model.script([busy.clone(), busy.clone(), busy]);
    let started = Instant::now();
    let failed = deliver(&state, &message(7, 42, "busy?"), 1, Duration::from_secs(60)).await;
    assert_eq!(failed.len(), 1, "back to SQS");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "done inside the invocation"
    );
    assert_eq!(state.model.calls().len(), 2);
    assert_eq!(replies(&state), [texts::still_trying(Lang::En)]);
    // Brought back no sooner than the provider asked.
    assert!(
        state
            .work
            .delays()
            .iter()
            .all(|d| *d >= Duration::from_secs(40))
    );
}

#[tokio::test(start_paused = true)]
async fn a_permanent_failure_is_told_at_once_and_kept_for_a_redrive() {
    let state = processor(INTERVAL);
    state.model.script([Script::Fail {
        retryable: false,
        cause: Some(Cause::QuotaExhausted),
        retry_after: None,
    }]);
    let failed = deliver(&state, &message(8, 42, "hi"), 1, Duration::from_secs(120)).await;
    assert!(failed.is_empty(), "not redelivered");
    assert_eq!(state.model.calls().len(), 1, "not retried");
    assert_eq!(
        replies(&state),
        [texts::gave_up(
            Lang::En,
            Some(Cause::QuotaExhausted),
            false,
            true
        )]
    );
    assert_eq!(state.dead_letters.sent().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_last_delivery_keeps_the_promise() {
    let state = processor(INTERVAL);
    state.model.script([
        Script::transient(),
        Script::transient(),
        Script::transient(),
    ]);
    let failed = deliver(
        &state,
        &message(9, 42, "anyone?"),
        5,
        Duration::from_secs(120),
    )
    .await;
    assert!(failed.is_empty(), "settled, not left to expire");
    assert_eq!(
        replies(&state),
        [texts::gave_up(Lang::En, None, true, true)]
    );
    let parked = state.dead_letters.sent();
    assert_eq!(parked.len(), 1);
    assert!(parked[0].body.contains("anyone?"));
}

#[tokio::test(start_paused = true)]
async fn every_model_call_carries_an_output_limit() {
    let state = processor(INTERVAL);
    state.store.add_exchanges(
        crate::domain::ChatId::new(42),
        &[("one", "1"), ("two", "2"), ("three", "3"), ("four", "4")],
    );
    let state = FakeProcessor {
        history_turns: 8,
        conversation_idle: None,
        ..state
    };
    deliver(
        &state,
        &message(10, 42, "and five"),
        1,
        Duration::from_secs(120),
    )
    .await;
    let calls = state.model.calls();
    assert_eq!(calls.len(), 2, "notes, then the reply");
    assert_eq!(calls[0].max_tokens, crate::domain::memory::NOTES_MAX_TOKENS);
    assert_eq!(calls[1].max_tokens, 1000);
    // While the notes were written, the draft said so.
    let drafts = state.telegram.drafts();
    assert!(
        drafts
            .iter()
            .any(|d| d.text == texts::draft_remembering(Lang::En))
    );
}
