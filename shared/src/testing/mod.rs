//! In-memory fakes of every port — store, queue, model, Telegram, cache, health — and
//! builders for what the functions receive, so each handler branch can be tested in
//! milliseconds on tokio's paused clock: pacing, flood waits, retries and deadlines are
//! then exact and do not depend on how busy the machine is. Beside (not instead of) the
//! integration tests on moto, redis-server and the HTTP stand-ins.
//!
//! Every fake records what it was asked, with the (virtual) time it was asked, and can be
//! told to fail.

mod builders;
mod cache;
mod model;
mod processor;
mod queue;
mod store;
mod telegram;
mod webhook;

use std::sync::{Mutex, MutexGuard};

pub use builders::{body_event, command, group_message, message, work_event};
pub use cache::{FakeCache, FakeHealth};
pub use model::{FakeModel, ModelCall, Script};
pub use processor::{FakeProcessor, START_MS, deliver, deliver_body, deliver_event, processor};
pub use queue::FakeQueue;
pub use store::FakeStore;
pub use telegram::{FakeTelegram, Sent};
pub use webhook::{ADMIN, FakeWebhook, WEBHOOK_SECRET, post, post_update, webhook};

/// Model names for a test's configuration; fails the test on a bad name.
pub fn models(names: &[&str]) -> Vec<crate::domain::ModelName> {
    names
        .iter()
        .map(|n| crate::domain::ModelName::parse(n).expect("a model name"))
        .collect()
}

/// A poisoned lock still holds the data a test wants to look at.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
