//! Replies stream into a draft (`sendMessageDraft`) while the model writes, paced to stay
//! inside Telegram's limits, and end as one real message. The user can stop them.

use shared::domain::Lang;
use std::time::{Duration, Instant};

use shared::domain::texts;
use testkit::telegram_standin::{TgCall, TgFault};
use testkit::updates::{private_text, stopped_generation};

use crate::env::TestEnv;

/// About this many words: with the stand-in's 3-word pieces, a reply of ~`n`/3 pieces.
fn words(n: usize) -> String {
    (0..n)
        .map(|i| ["sea", "ships", "stars", "wind", "harbour"][i % 5])
        .collect::<Vec<_>>()
        .join(" ")
}

fn text_of(call: &TgCall) -> &str {
    call.params["text"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn private_replies_stream_as_paced_drafts_and_end_as_one_message() {
    let env = TestEnv::start().await;
    env.openai
        .as_ref()
        .unwrap()
        .set_stream_delay(Duration::from_millis(50));
    let replies = env.chat(2101, &words(60)).await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    let reply = &replies[0];
    assert!(reply.starts_with("[your close friend] You said"), "{reply}");

    let drafts = env.telegram.drafts_to(2101);
    assert!(drafts.len() >= 3, "{} drafts", drafts.len());
    // The first draft is the empty "Thinking…" placeholder, sent before the model answers.
    assert_eq!(text_of(&drafts[0]), "");
    let draft_id = drafts[0].params["draft_id"].as_i64().unwrap();
    assert_ne!(draft_id, 0);
    for d in &drafts {
        assert_eq!(d.status, 200);
        assert_eq!(d.params["draft_id"].as_i64(), Some(draft_id));
        assert_eq!(d.params["can_stop"], true);
        assert_eq!(d.params["keep_on_stop"], true);
        // Each draft shows the reply so far: a growing beginning of the final text.
        assert!(reply.starts_with(text_of(d).trim_end()), "{:?}", text_of(d));
    }
    let lengths: Vec<usize> = drafts.iter().map(|d| text_of(d).len()).collect();
    assert!(lengths.windows(2).all(|w| w[0] < w[1]), "{lengths:?}");
    // The pacing itself (at most one draft per interval, none within a flood wait) is
    // checked on tokio's paused clock in `pacing.rs`, where it does not depend on how
    // busy the machine is.
    assert_eq!(env.telegram.count("sendMessage"), 1);
    assert_eq!(env.openai.as_ref().unwrap().streams_started(), 1);
    assert_eq!(env.model_calls(), 1);
    assert_eq!(env.usage_records(2101).await, 1);
}

#[tokio::test]
async fn a_429_during_streaming_pauses_drafts_for_retry_after_and_the_reply_still_arrives_once() {
    let env = TestEnv::start().await;
    env.openai
        .as_ref()
        .unwrap()
        .set_stream_delay(Duration::from_millis(100));
    // The placeholder passes; the first draft with text is refused with retry_after 1.
    env.telegram.fail_next("sendMessageDraft", TgFault::Pass);
    env.telegram.fail_next(
        "sendMessageDraft",
        TgFault::TooManyRequests { retry_after: 1 },
    );
    let replies = env.chat(2102, &words(60)).await;
    assert_eq!(replies.len(), 1, "{replies:?}");

    let drafts = env.telegram.drafts_to(2102);
    let statuses: Vec<u16> = drafts.iter().map(|d| d.status).collect();
    assert_eq!(&statuses[..2], [200, 429]);
    assert!(drafts.len() >= 3, "drafting resumed: {statuses:?}");
    // Every later draft was accepted: one sent within retry_after would have been
    // refused by the stand-in's flood control (and failed the test when it ends).
    assert!(drafts[2..].iter().all(|d| d.status == 200), "{statuses:?}");
    assert_eq!(env.telegram.count("sendMessage"), 1);
    assert!(replies[0].ends_with("earlier messages of ours."));
}

/// Runs the pipeline for the message already sent to `user`, and presses `stop` once a
/// draft with text has appeared. Returns the draft id that was stopped.
async fn stop_midway(env: &TestEnv, user: i64, stop: impl AsyncFn(i64)) -> i64 {
    let press = async {
        let give_up = Instant::now() + Duration::from_secs(30);
        let draft_id = loop {
            let drafts = env.telegram.drafts_to(user);
            if let Some(d) = drafts.iter().find(|d| !text_of(d).is_empty()) {
                break d.params["draft_id"].as_i64().unwrap();
            }
            assert!(Instant::now() < give_up, "no draft appeared");
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        stop(draft_id).await;
        draft_id
    };
    let (drained, draft_id) = tokio::join!(env.drain(), press);
    drained.expect("drain");
    draft_id
}

/// What the sender delivered to `user` (not the webhook's own quick answers).
fn sent_to(env: &TestEnv, user: i64) -> Vec<String> {
    env.telegram
        .delivered()
        .into_iter()
        .filter(|c| !c.via_webhook_response && c.params["chat_id"].as_i64() == Some(user))
        .map(|c| text_of(&c).to_owned())
        .collect()
}

async fn assert_stopped_and_kept(env: &TestEnv, user: i64) {
    let texts = sent_to(env, user);
    assert_eq!(texts.len(), 2, "{texts:?}");
    let partial = &texts[0];
    assert!(partial.starts_with("[your close friend]"), "{partial}");
    assert!(
        !partial.contains("earlier messages of ours"),
        "not cut: {partial}"
    );
    assert_eq!(texts[1], texts::stopped(Lang::En));
    // The connection to the model was closed: generation stopped upstream too.
    let ai = env.openai.as_ref().unwrap();
    let give_up = Instant::now() + Duration::from_secs(5);
    while ai.abandoned_streams() == 0 && Instant::now() < give_up {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(ai.abandoned_streams(), 1);
    // What was written is kept: usage is recorded and the next reply sees it.
    assert_eq!(env.usage_records(user).await, 1);
    ai.set_stream_delay(Duration::ZERO);
    let next = env.chat(user, "go on").await;
    assert!(next[0].contains("I can see 2 earlier messages"), "{next:?}");
}

#[tokio::test]
async fn the_stop_button_keeps_what_was_written_and_says_it_stopped() {
    let env = TestEnv::start().await;
    env.openai
        .as_ref()
        .unwrap()
        .set_stream_delay(Duration::from_millis(150));
    env.send(2103, &words(60)).await;
    stop_midway(&env, 2103, async |draft_id| {
        let (status, body) = env
            .post_update(&stopped_generation(2103, draft_id))
            .await
            .unwrap();
        assert_eq!(status, http::StatusCode::OK);
        // Nothing to say yet: the processor tells the user it stopped.
        assert!(body.get("method").is_none(), "{body}");
    })
    .await;
    assert_stopped_and_kept(&env, 2103).await;
}

#[tokio::test]
async fn cancel_stops_the_reply_being_written_and_not_the_next_messages() {
    let env = TestEnv::start().await;
    // A /cancel with nothing being written stops nothing that comes after it.
    let (_, body) = env
        .post_update(&private_text(2104, "Ann", "/cancel"))
        .await
        .unwrap();
    assert_eq!(body["text"], texts::cancelling(Lang::En));
    let ai = env.openai.as_ref().unwrap();
    ai.set_stream_delay(Duration::from_millis(150));
    env.send(2104, &words(60)).await;
    stop_midway(&env, 2104, async |_| {
        let (_, body) = env
            .post_update(&private_text(2104, "Ann", "/cancel"))
            .await
            .unwrap();
        assert_eq!(body["text"], texts::cancelling(Lang::En));
    })
    .await;
    // The answer came in the webhook response; the partial reply and the notice follow.
    assert_stopped_and_kept(&env, 2104).await;
}

#[tokio::test]
async fn a_stream_that_breaks_midway_is_retried_and_the_reply_arrives_once() {
    let env = TestEnv::start().await;
    let ai = env.openai.as_ref().unwrap();
    ai.fail_next(testkit::openai_standin::AiFault::CutStream);
    let replies = env.chat(2105, "are you there?").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(
        replies[0].ends_with("earlier messages of ours."),
        "{replies:?}"
    );
    assert_eq!(ai.streams_started(), 2);
    assert_eq!(env.usage_records(2105).await, 1);
    // The retry animates the same draft.
    let ids: std::collections::HashSet<i64> = env
        .telegram
        .drafts_to(2105)
        .iter()
        .filter_map(|d| d.params["draft_id"].as_i64())
        .collect();
    assert_eq!(ids.len(), 1);
}
