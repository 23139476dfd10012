//! The usage meter on the local stack: a day rolls over, one user's chats share it.

use shared::adapters::dynamo::keys;
use shared::clock::Clock as _;
use shared::domain::UserId;

use crate::env::TestEnv;
use crate::older_items::{n, number, s};

#[tokio::test]
async fn the_first_message_of_a_new_day_starts_the_meters_day_and_month_again() {
    let env = TestEnv::start().await;
    let user = UserId::new(3505);
    env.chat(3505, "hello").await;
    // As if the meter had last counted in January 2020.
    env.put(
        keys::meter(user),
        &[
            ("messages", n(10)),
            ("day", s("2020-01-31")),
            ("day_messages", n(4)),
            ("day_cost_micros", n(99)),
            ("month", s("2020-01")),
            ("month_messages", n(6)),
        ],
    )
    .await;
    env.chat(3505, "a new day").await;
    let meter = env.meter(3505).await;
    assert_eq!(number(&meter, "messages"), 11);
    assert_eq!(number(&meter, "day_messages"), 1);
    // Only today's message costs: January's 99 are gone from the day.
    let exchanges = env.usage_items(3505).await;
    let latest = exchanges.last().expect("an exchange");
    assert_eq!(
        number(&meter, "day_cost_micros"),
        number(latest, "cost_micros")
    );
    assert_eq!(number(&meter, "month_messages"), 1);
    let today = shared::domain::usage::day_key(shared::clock::SystemClock.now_ms());
    assert_eq!(meter["day"].as_s().unwrap(), &today);
}

/// One user's messages in several chats are answered side by side (a chat each), and
/// all add to the same meter: a write that finds it moved on reads it again.
#[tokio::test]
async fn one_users_messages_in_several_chats_at_once_are_each_counted_once() {
    let env = TestEnv::start().await;
    let user = 3506;
    let mention = format!("@{} tell me something", testkit::stack::LOCAL_BOT_USERNAME);
    let mut sent = 0;
    for round in 0..3 {
        env.send(user, &format!("private {round}")).await;
        for group in [-1_003_506_001_i64, -1_003_506_002] {
            let update = testkit::updates::group_text(group, "supergroup", user, &mention);
            let (status, _) = env.post_update(&update).await.unwrap();
            assert_eq!(status, 200);
        }
        sent += 3;
    }
    env.drain().await.unwrap();
    assert_eq!(env.model_calls(), sent);
    let meter = env.meter(user).await;
    assert_eq!(number(&meter, "messages"), sent as i64);
    assert_eq!(number(&meter, "day_messages"), sent as i64);
}

#[tokio::test]
async fn the_bots_meter_starts_its_day_again_on_the_first_message_of_a_day() {
    let env = TestEnv::with(testkit::StackOptions {
        admins: vec![3508],
        ..testkit::StackOptions::default()
    })
    .await;
    env.chat(3508, "hello").await;
    let shard = keys::bot_shard(3508);
    env.put(
        keys::bot_meter(shard),
        &[
            ("users", n(1)),
            ("conversations", n(1)),
            ("messages", n(9)),
            ("day", s("2020-01-31")),
            ("day_messages", n(9)),
            ("month", s("2020-01")),
        ],
    )
    .await;
    let stats = env.chat(3508, "/stats").await;
    assert!(
        stats[0].starts_with("Today: 0 new users, 0 conversations, 0 messages,"),
        "{stats:?}"
    );
    env.chat(3508, "a new day").await;
    let stats = env.chat(3508, "/stats").await;
    assert!(
        stats[0].starts_with("Today: 0 new users, 0 conversations, 1 message,"),
        "{stats:?}"
    );
    assert!(
        stats[0].contains("In total: 1 user, 1 conversation, 10 messages,"),
        "{stats:?}"
    );
}
