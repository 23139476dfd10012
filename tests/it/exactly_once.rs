use testkit::Stage;
use testkit::updates::private_text;

use crate::env::TestEnv;

#[tokio::test]
async fn the_same_update_delivered_three_times_gets_one_reply() {
    let env = TestEnv::start().await;
    let update = private_text(601, "Ann", "are you there?");
    for _ in 0..3 {
        let (status, _) = env.post_update(&update).await.unwrap();
        assert_eq!(status, 200);
    }
    env.drain().await.unwrap();
    assert_eq!(env.telegram.texts_to(601).len(), 1);
    assert_eq!(env.model_calls(), 1);
    assert_eq!(env.usage_records(601).await, 1);
}

#[tokio::test]
async fn a_record_redelivered_after_a_crash_at_each_stage_gets_one_reply_and_one_usage_record() {
    for stage in Stage::ALL {
        let env = TestEnv::start().await;
        env.send(602, "crash test").await;
        env.crash_after_next_batch(stage);
        env.drain().await.unwrap();
        assert_eq!(env.telegram.texts_to(602).len(), 1, "crash after {stage:?}");
        assert_eq!(env.model_calls(), 1, "crash after {stage:?}");
        assert_eq!(env.usage_records(602).await, 1, "crash after {stage:?}");
        assert!(env.invocations(stage) >= 2, "{stage:?} was not redelivered");
    }
}

#[tokio::test]
async fn a_crash_between_storing_the_reply_and_enqueueing_it_does_not_call_the_model_twice() {
    let env = TestEnv::start().await;
    env.send(603, "store first").await;
    env.processor.outbox.fail_next_sends(1);
    env.drain().await.unwrap();
    assert_eq!(env.model_calls(), 1);
    assert_eq!(env.telegram.texts_to(603).len(), 1);
    assert_eq!(env.usage_records(603).await, 1);
    assert!(env.invocations(Stage::Processor) >= 2);
}

#[tokio::test]
async fn a_crash_before_forwarding_from_subscription_check_loses_nothing() {
    let env = TestEnv::start().await;
    env.send(604, "forward me").await;
    env.subscription.work.fail_next_sends(1);
    env.drain().await.unwrap();
    assert_eq!(env.telegram.texts_to(604).len(), 1);
    assert_eq!(env.model_calls(), 1);
}
