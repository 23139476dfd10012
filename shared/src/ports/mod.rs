//! The small traits handlers are generic over. Adapters implement them for AWS, Redis,
//! Telegram and OpenAI; tests may wrap them to inject faults.
//!
//! Methods return `impl Future + Send` rather than `async fn` so handler futures stay
//! `Send`, which `lambda_http::run` requires.

use std::future::Future;
use std::time::Duration;

use crate::domain::budget::{Budget, Hold};
use crate::domain::{
    BotTotals, ChatId, ClosedConversation, ConvId, DeliveryId, GaveUp, History, IncomingMessage,
    MemberStatus, OutgoingMessage, Owner, PersonaChoice, PromptMessage, SettingChange,
    StyleProfile, Totals, UpdateId, Usage, UserId, UserProfile, jobs::Person,
};
use crate::error::{Failure, Result};

mod chat_state;
mod model;
mod queue;
mod shelf;
mod store;
mod telegram;

pub use chat_state::*;
pub use model::*;
pub use queue::*;
pub use shelf::*;
pub use store::*;
pub use telegram::*;
