use shared::domain::{Lang, texts};

use crate::env::TestEnv;

#[tokio::test]
async fn export_sends_the_current_conversation_as_a_markdown_document() {
    let env = TestEnv::start().await;
    assert_eq!(
        env.chat(1801, "/export").await,
        [texts::export_nothing(Lang::En)]
    );
    env.chat(1801, "I adopted a cat today").await;
    env.chat(1801, "her name is Miso").await;
    env.chat(1801, "/export").await;

    let upload = env
        .telegram
        .calls()
        .into_iter()
        .find(|c| c.method == "sendDocument")
        .expect("a sendDocument call");
    assert_eq!(upload.status, 200);
    assert_eq!(upload.params["chat_id"], "1801");
    assert_eq!(
        upload.params["caption"],
        texts::conversation_export_caption(Lang::En, "I adopted a cat today", 4, false)
    );
    let file = &upload.files[0];
    assert_eq!(file.field, "document");
    assert!(
        file.file_name.starts_with("conversation-") && file.file_name.ends_with(".md"),
        "{}",
        file.file_name
    );
    let cat = file
        .content
        .find("**You**: I adopted a cat today")
        .expect("first message");
    let miso = file
        .content
        .find("**You**: her name is Miso")
        .expect("second message");
    assert!(cat < miso, "oldest first:\n{}", file.content);
    assert!(file.content.starts_with("# I adopted a cat today\n"));
}

#[tokio::test]
async fn export_all_sends_every_conversation_one_file_each() {
    let env = TestEnv::start().await;
    let user = 1802;
    env.chat(user, "I adopted a cat today").await;
    env.chat(user, "/reset").await;
    env.chat(user, "Planning a garden").await;
    assert_eq!(
        env.chat(user, "/export all").await.last().unwrap(),
        &texts::export_all_done(Lang::En, 2)
    );
    let files: Vec<_> = env
        .telegram
        .calls()
        .into_iter()
        .filter(|c| c.method == "sendDocument" && c.status == 200)
        .map(|c| c.files[0].content.clone())
        .collect();
    assert_eq!(files.len(), 2);
    assert!(
        files[0].starts_with("# Planning a garden\n"),
        "{}",
        files[0]
    );
    assert!(
        files[1].starts_with("# I adopted a cat today\n"),
        "{}",
        files[1]
    );
    assert!(!files[0].contains("cat"));
}

#[tokio::test]
async fn export_keeps_the_turns_folded_into_notes_and_the_notes() {
    let env = TestEnv::with(testkit::StackOptions {
        extra_env: vec![("HISTORY_TURNS".into(), "8".into())],
        ..testkit::StackOptions::default()
    })
    .await;
    let user = 1803;
    for text in [
        "my name is Ann",
        "I love hiking",
        "I live in Oslo",
        "I have a cat",
        "what do you know about me?",
    ] {
        env.chat(user, text).await;
    }
    assert!(
        env.telegram
            .texts_to(user)
            .contains(&texts::memory_folded(Lang::En)),
        "folded"
    );
    env.chat(user, "/export").await;
    let upload = env
        .telegram
        .calls()
        .into_iter()
        .rfind(|c| c.method == "sendDocument")
        .expect("a sendDocument call");
    let file = &upload.files[0].content;
    let name = file.find("**You**: my name is Ann").expect("a folded turn");
    let notes = file
        .find("> _My notes on the conversation so far_")
        .expect("the notes");
    let last = file
        .find("**You**: what do you know about me?")
        .expect("the newest");
    assert!(name < notes && notes < last, "{file}");
    assert_eq!(
        upload.params["caption"],
        texts::conversation_export_caption(Lang::En, "my name is Ann", 10, false)
    );
}
