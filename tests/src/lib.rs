//! The bot's local stack, shared by the integration tests and the `local-chat` binary.
//!
//! Real parts where they can run here (moto for DynamoDB/SQS/Secrets Manager,
//! `redis-server`), and HTTP stand-ins for Telegram and OpenAI that speak the real wire
//! format and reject requests their official descriptions do not allow.

pub mod bench;
pub mod cfn_standin;
pub mod costs;
pub mod esm;
pub mod faultsuite;
pub mod fixtures;
pub mod flaky;
pub mod gate;
pub mod meter;
pub mod openai_standin;
pub mod provision;
#[cfg(test)]
mod raw_http;
pub mod services;
pub mod spec;
pub mod stack;
pub mod telegram_standin;
pub mod updates;

/// In-memory fakes of every port: the library's own, under the name the tests know.
pub use shared::testing as fakes;
pub use stack::{Stack, StackOptions, Stage};
