//! A metering proxy between the functions and moto: one loopback port per function, so
//! every AWS request is counted by function and operation, with the DynamoDB read and
//! write units it consumed (`units`, `dynamo`). What the cost benchmark and the request
//! budget tests read.

mod actions;
mod dynamo;
mod proxy;
mod units;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

pub use dynamo::Units;
pub use units::{item_size, read_units, write_units};

/// One AWS request a function made.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The function that made it (its meter port's name).
    pub function: String,
    /// `DynamoDB`, `SQS`, `SecretsManager` or `other`.
    pub service: &'static str,
    /// The API operation (`PutItem`, `SendMessage`…).
    pub operation: String,
    /// The IAM actions it needs (`dynamodb:PutItem`…): one per operation, but a
    /// transaction is authorised per item (`Put` needs `dynamodb:PutItem`).
    pub actions: Vec<String>,
    /// DynamoDB capacity it consumed (zero elsewhere).
    pub units: Units,
    /// When the request reached the meter.
    pub started: std::time::Instant,
    /// When its answer was on the way back.
    pub ended: std::time::Instant,
}

type Log = Arc<Mutex<Vec<Call>>>;

fn lock(log: &Log) -> MutexGuard<'_, Vec<Call>> {
    log.lock().unwrap_or_else(|e| e.into_inner())
}

/// Metering proxies in front of one AWS endpoint, one per function.
pub struct Meter {
    ports: BTreeMap<String, proxy::Proxy>,
    log: Log,
}

impl Meter {
    /// Starts one proxy per name in `functions`, each forwarding to `target`.
    pub async fn start(target: String, functions: &'static [&'static str]) -> anyhow::Result<Self> {
        let log = Log::default();
        let mut ports = BTreeMap::new();
        for name in functions {
            let proxy = proxy::Proxy::start(name, &target, log.clone()).await?;
            ports.insert((*name).to_owned(), proxy);
        }
        Ok(Self { ports, log })
    }

    /// The endpoint `function`'s AWS clients use.
    pub fn endpoint(&self, function: &str) -> Option<String> {
        self.ports.get(function).map(proxy::Proxy::url)
    }

    /// Every call so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        lock(&self.log).clone()
    }

    /// Forgets the calls so far (after a warm-up).
    pub fn reset(&self) {
        lock(&self.log).clear();
    }
}

/// Calls summed by (function, service, operation): count and units.
pub fn summary(calls: &[Call]) -> BTreeMap<(String, &'static str, String), (usize, Units)> {
    let mut sums: BTreeMap<_, (usize, Units)> = BTreeMap::new();
    for c in calls {
        let entry = sums
            .entry((c.function.clone(), c.service, c.operation.clone()))
            .or_default();
        entry.0 += 1;
        entry.1.read += c.units.read;
        entry.1.write += c.units.write;
    }
    sums
}
