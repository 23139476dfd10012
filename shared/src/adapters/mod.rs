//! The only code that knows DynamoDB, SQS, Secrets Manager, Redis, Telegram, OpenAI or
//! CloudFormation's response URLs.

pub mod cache;
pub mod cloudformation;
pub mod dynamo;
pub mod openai;
pub mod redis;
pub mod secrets;
pub mod sqs;
pub mod telegram;

use std::time::{SystemTime, UNIX_EPOCH};

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

pub(crate) fn now_secs() -> i64 {
    now_ms() / 1000
}
