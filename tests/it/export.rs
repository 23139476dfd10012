use shared::domain::Lang;
use shared::domain::texts;

use crate::env::TestEnv;

#[tokio::test]
async fn export_sends_the_current_conversation_as_a_markdown_document() {
    let env = TestEnv::start().await;
    assert_eq!(
        env.chat(1801, "/export").await,
        [texts::nothing_to_export(Lang::En)]
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
    assert_eq!(upload.params["caption"], texts::export_caption(Lang::En, 4));
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
    assert!(
        file.content
            .starts_with("# Conversation with your companion")
    );
}
