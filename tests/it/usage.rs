use shared::domain::Lang;
use shared::domain::texts;
use shared::domain::usage::format_usd;
use testkit::{StackOptions, Stage};

use crate::env::TestEnv;

fn priced() -> StackOptions {
    StackOptions {
        model_prices: Some("gpt-4o-mini=0.15/0.60".into()),
        admins: vec![1210],
        ..StackOptions::default()
    }
}

fn num(
    item: &std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>,
    field: &str,
) -> Option<u64> {
    item.get(field)
        .and_then(|v| v.as_n().ok())
        .and_then(|n| n.parse().ok())
}

/// (prompt, completion, cost) summed over a user's usage records.
async fn sums(env: &TestEnv, user: i64) -> (u64, u64, u64) {
    let mut total = (0, 0, 0);
    for record in env.usage_items(user).await {
        total.0 += num(&record, "prompt_tokens").unwrap();
        total.1 += num(&record, "completion_tokens").unwrap();
        total.2 += num(&record, "cost_micros").unwrap_or(0);
    }
    total
}

#[tokio::test]
async fn every_usage_record_carries_its_cost_from_the_price_table() {
    let env = TestEnv::with(priced()).await;
    env.chat(1201, "how much does this cost?").await;
    let records = env.usage_items(1201).await;
    assert_eq!(records.len(), 1);
    let (p, c) = (
        num(&records[0], "prompt_tokens").unwrap(),
        num(&records[0], "completion_tokens").unwrap(),
    );
    let want = (p as f64 * 0.15 + c as f64 * 0.60).round() as u64;
    assert_eq!(num(&records[0], "cost_micros"), Some(want));
    assert!(num(&records[0], "response_ms").is_some());
}

#[tokio::test]
async fn an_unpriced_model_records_usage_without_a_cost() {
    let env = TestEnv::with(StackOptions {
        openai_model: "llama3.1-8b".into(),
        ..priced()
    })
    .await;
    env.chat(1202, "hi").await;
    let records = env.usage_items(1202).await;
    assert_eq!(
        records[0]
            .get("model")
            .and_then(|m| m.as_s().ok())
            .map(String::as_str),
        Some("llama3.1-8b")
    );
    assert_eq!(num(&records[0], "cost_micros"), None);
}

#[tokio::test]
async fn usage_reports_today_this_month_and_all_time() {
    let env = TestEnv::with(priced()).await;
    env.chat(1203, "one").await;
    env.chat(1203, "two").await;
    let (p, c, cost) = sums(&env, 1203).await;
    let report = env.chat(1203, "/usage").await;
    assert_eq!(report.len(), 1);
    let line = |label: &str| {
        format!(
            "{label}: 2 messages, {} tokens, {}",
            p + c,
            format_usd(cost)
        )
    };
    // No limit applies: usage only.
    assert_eq!(
        report[0],
        [line("Today"), line("This month"), line("All time")].join("\n")
    );
    assert_eq!(env.model_calls(), 2, "/usage does not call the model");
}

#[tokio::test]
async fn stats_is_for_admins_and_counts_users_conversations_and_messages() {
    let env = TestEnv::with(priced()).await;
    env.chat(1210, "hello").await;
    env.chat(1211, "hi there").await;
    // A /reset redelivered after a crash still counts one new conversation.
    env.send(1211, "/reset").await;
    env.crash_after_next_batch(Stage::Processor);
    env.drain().await.unwrap();

    assert_eq!(
        env.chat(1211, "/stats").await,
        [texts::admins_only(Lang::En)]
    );
    let (p1, c1, cost1) = sums(&env, 1210).await;
    let (p2, c2, cost2) = sums(&env, 1211).await;
    let tokens = p1 + c1 + p2 + c2;
    let cost = format_usd(cost1 + cost2);
    assert_eq!(
        env.chat(1210, "/stats").await,
        [format!(
            "Today: 2 new users, 3 conversations, 2 messages, {tokens} tokens, {cost}\nIn total: 2 users, 3 conversations, 2 messages, {tokens} tokens, {cost}"
        )]
    );
}
