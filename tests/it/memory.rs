use shared::domain::Lang;
use shared::domain::texts;
use testkit::StackOptions;
use testkit::openai_standin::AiFault;

use crate::env::TestEnv;

fn small_window() -> StackOptions {
    StackOptions {
        extra_env: vec![("HISTORY_TURNS".into(), "8".into())],
        ..StackOptions::default()
    }
}

fn is_summary_request(request: &serde_json::Value) -> bool {
    request["messages"][0]["content"]
        .as_str()
        .is_some_and(|c| c.starts_with("Write notes for your own memory"))
}

#[tokio::test]
async fn older_turns_fold_into_a_summary_the_user_is_told_once_and_the_model_keeps_it() {
    let env = TestEnv::with(small_window()).await;
    for text in [
        "my name is Ann",
        "I love hiking",
        "I live in Oslo",
        "I have a cat",
    ] {
        env.chat(1501, text).await;
    }
    assert!(
        !env.telegram
            .texts_to(1501)
            .iter()
            .any(|t| *t == texts::memory_folded(Lang::En))
    );

    // The window (8 turns) is full: the older half is folded before answering.
    let replies = env.chat(1501, "what do you know about me?").await;
    assert_eq!(replies.len(), 2, "{replies:?}");
    assert_eq!(replies[0], texts::memory_folded(Lang::En));
    let requests = env.openai.as_ref().unwrap().requests();
    let summary_request = requests
        .iter()
        .find(|r| is_summary_request(r))
        .expect("a summary call");
    let transcript = summary_request["messages"][1]["content"].as_str().unwrap();
    assert!(
        transcript.starts_with("The next part of the conversation:\nUser: my name is Ann"),
        "{transcript}"
    );
    assert!(transcript.contains("User: I love hiking"), "{transcript}");
    assert!(
        !transcript.contains("Oslo") && !transcript.contains("cat"),
        "the newer half is kept: {transcript}"
    );
    let answer = requests.last().unwrap();
    let system = answer["messages"][0]["content"].as_str().unwrap();
    assert!(
        system.contains("What happened earlier in this conversation"),
        "{system}"
    );
    assert_eq!(
        answer["messages"][1]["content"], "I live in Oslo",
        "kept turns follow the summary"
    );
    later_folds_are_quiet_and_keep_every_note(&env).await;
}

/// After the first fold: later folds happen quietly, and the notes build on the previous
/// ones.
async fn later_folds_are_quiet_and_keep_every_note(env: &TestEnv) {
    for text in ["one", "two", "three"] {
        env.chat(1501, text).await;
    }
    let told = env
        .telegram
        .texts_to(1501)
        .iter()
        .filter(|t| **t == texts::memory_folded(Lang::En))
        .count();
    assert_eq!(told, 1);
    let summaries: Vec<_> = env
        .openai
        .as_ref()
        .unwrap()
        .requests()
        .into_iter()
        .filter(is_summary_request)
        .collect();
    assert_eq!(summaries.len(), 2);
    let second = summaries[1]["messages"][1]["content"].as_str().unwrap();
    assert!(second.starts_with("Your notes so far"), "{second}");
    let (_, folded) = second
        .rsplit_once("The next part of the conversation:")
        .expect("the folded turns");
    assert!(
        folded.contains("User: I live in Oslo") && !folded.contains("User: my name is Ann"),
        "the second fold writes notes on the newly folded turns only: {folded}"
    );
    // Nothing noted is ever dropped: the prompt now carries both folds' notes.
    let requests = env.openai.as_ref().unwrap().requests();
    let system = requests.last().unwrap()["messages"][0]["content"]
        .as_str()
        .unwrap()
        .to_owned();
    for fact in [
        "my name is Ann",
        "I love hiking",
        "I live in Oslo",
        "I have a cat",
    ] {
        assert!(
            system.contains(fact),
            "{fact:?} lost from the notes: {system}"
        );
    }
    // Usage includes the summary call.
    assert_eq!(env.usage_records(1501).await, 8);
}

#[tokio::test]
async fn context_length_exceeded_is_recovered_by_summarising_and_retrying_once() {
    let env = TestEnv::start().await;
    env.chat(1502, "first").await;
    env.chat(1502, "second").await;
    env.openai
        .as_ref()
        .unwrap()
        .fail_next(AiFault::ContextLengthExceeded);
    let replies = env.chat(1502, "third").await;
    assert_eq!(replies.len(), 2, "{replies:?}");
    assert_eq!(replies[0], texts::memory_folded(Lang::En));
    assert!(
        replies[1].contains("You said \u{201c}third\u{201d}"),
        "{replies:?}"
    );
    // 2 answers, the refused call, the summary, the retry.
    assert_eq!(env.model_calls(), 5);
}

#[tokio::test]
async fn a_message_too_long_for_the_budget_is_refused_without_a_model_call() {
    let env = TestEnv::with(StackOptions {
        extra_env: vec![("CONTEXT_TOKEN_BUDGET".into(), "500".into())],
        ..StackOptions::default()
    })
    .await;
    let long = "word ".repeat(1000);
    let replies = env.chat(1503, &long).await;
    assert_eq!(replies.len(), 1);
    assert!(
        replies[0].starts_with("That message is too long for me"),
        "{replies:?}"
    );
    assert_eq!(env.model_calls(), 0);
}
