//! The local SQS keeps a FIFO message group's order as SQS does (moto, through
//! `tests/support/moto_server.py`): every redelivery test relies on it.

use std::time::Duration;

use testkit::esm;

use crate::env::TestEnv;

async fn bodies(env: &TestEnv, url: &str) -> Vec<String> {
    esm::receive(&env.clients.sqs, url, 10)
        .await
        .expect("ReceiveMessage")
        .into_iter()
        .map(|m| m.body.unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn a_batch_that_timed_out_comes_back_first_message_first() {
    let env = TestEnv::start().await;
    let url = env.resources.work.clone();
    for body in ["first", "second"] {
        env.clients
            .sqs
            .send_message()
            .queue_url(&url)
            .message_body(body)
            .message_group_id("chat-1")
            .message_deduplication_id(body)
            .send()
            .await
            .expect("SendMessage");
    }
    let taken = esm::receive(&env.clients.sqs, &url, 10).await.unwrap();
    assert_eq!(taken.len(), 2);
    // The consumer dies: both time out together.
    for m in &taken {
        env.clients
            .sqs
            .change_message_visibility()
            .queue_url(&url)
            .set_receipt_handle(m.receipt_handle.clone())
            .visibility_timeout(1)
            .send()
            .await
            .expect("ChangeMessageVisibility");
    }
    // Until both are back nothing of the group may be handed out; then the first leads.
    let mut back = Vec::new();
    for _ in 0..300 {
        back = bodies(&env, &url).await;
        if !back.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(back, ["first", "second"]);
}
