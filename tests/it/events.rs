//! Every file in `events/` is a recorded event for the function its name starts with;
//! each must parse and run through that function on the local stack.

use shared::domain::Lang;
use std::time::Duration;

use aws_lambda_events::event::sqs::SqsEvent;
use testkit::Stage;
use testkit::cfn_standin::ResponseUrlStandIn;
use testkit::fixtures::workspace_root;

use crate::env::TestEnv;

#[tokio::test]
async fn every_event_file_parses_and_runs_through_its_function() {
    let env = TestEnv::start().await;
    let mut files: Vec<_> = std::fs::read_dir(workspace_root().join("events"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "events/ has only {} files", files.len());
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        if name.starts_with("webhook-") {
            let (status, body) = env
                .invoke_webhook(&json)
                .await
                .unwrap_or_else(|e| panic!("{name}: {e:#}"));
            let want = if name.contains("wrong-secret") {
                401
            } else {
                200
            };
            assert_eq!(status, want, "{name}: {body}");
            continue;
        }
        if name.starts_with("telegram-setup-") {
            // A CloudFormation custom resource request: answered SUCCESS at its response
            // URL (pointed at a local stand-in), once.
            let responses = ResponseUrlStandIn::start().await;
            let answered = env
                .invoke_telegram_setup(&responses, json, Duration::from_secs(30))
                .await
                .unwrap_or_else(|e| panic!("{name}: {e:#}"));
            assert_eq!(answered["Status"], "SUCCESS", "{name}: {answered}");
            assert_eq!(responses.answers(), [answered], "{name}");
            continue;
        }
        if name.starts_with("style-refresh-") {
            let event = serde_json::from_value(json).unwrap_or_else(|e| panic!("{name}: {e}"));
            let summary = env
                .invoke_style_refresh(event)
                .await
                .unwrap_or_else(|e| panic!("{name}: {e:#}"));
            assert!(summary.finished, "{name}");
            continue;
        }
        let stage = [Stage::Subscription, Stage::Processor, Stage::Sender]
            .into_iter()
            .find(|s| name.starts_with(&format!("{}-", s.function())))
            .unwrap_or_else(|| panic!("{name}: no function is named like this file"));
        let event: SqsEvent =
            serde_json::from_value(json).unwrap_or_else(|e| panic!("{name}: {e}"));
        let response = env
            .invoke_stage(stage, event)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:#}"));
        assert!(
            response.batch_item_failures.is_empty(),
            "{name}: {:?}",
            response.batch_item_failures
        );
    }
    // What the events enqueued flows on through the rest of the pipeline.
    env.drain().await.unwrap();
    assert!(!env.telegram.delivered().is_empty());
}

#[tokio::test]
async fn the_demo_conversation_replays_end_to_end() {
    let env = TestEnv::start().await;
    env.add_demo_files();
    let updates: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(workspace_root().join("events/conversations/demo.json")).unwrap(),
    )
    .unwrap();
    for update in &updates {
        let (status, _) = env.post_update(update).await.unwrap();
        assert_eq!(status, 200);
        env.drain().await.unwrap();
    }
    let chat = updates[0]["message"]["chat"]["id"].as_i64().unwrap();
    let texts = env.telegram.texts_to(chat);
    assert_eq!(texts.len(), updates.len(), "{texts:#?}");
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with(&shared::domain::texts::new_style_done_heading(Lang::En)))
    );
    assert!(texts.contains(&shared::domain::texts::reset_done(Lang::En)));
    // The voice note was heard, the photo seen, and /voice on added one spoken reply.
    assert!(
        texts
            .iter()
            .any(|t| t.contains(testkit::stack::DEMO_VOICE_TEXT))
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("[photo] look at this sunset"))
    );
    assert_eq!(env.telegram.voices_to(chat).len(), 1);
}
