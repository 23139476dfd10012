//! What one message costs in AWS requests and DynamoDB units: a user's first message and
//! then `n` ordinary ones (distinct texts, each answered for real), through the whole
//! pipeline on the local stack with every function behind its own meter port.

pub mod duration;

use std::collections::BTreeMap;

use anyhow::{Context, bail};

use crate::meter::{Call, Units, summary};
use crate::updates::private_text;
use crate::{Stack, StackOptions, Stage};

/// Per (function, service, operation): requests and units per message.
pub type PerMessage = BTreeMap<(String, &'static str, String), (f64, Units)>;

/// The costs measured in one run.
pub struct Costs {
    /// The user's first message (first contact: directory, profile, counters created).
    pub first: PerMessage,
    /// The mean over the ordinary messages that followed.
    pub ordinary: PerMessage,
    /// How many ordinary messages were sent.
    pub messages: usize,
    /// Per ordinary message: the processor's AWS requests before its model request, and in
    /// how many sequential round trips they went.
    pub before_model: Vec<BeforeModel>,
    /// Lambda invocations per ordinary message, by function.
    pub invocations: BTreeMap<&'static str, f64>,
}

/// Prices from `docs/aws-prices.json` (USD, on-demand, one region).
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Prices {
    /// Where they apply.
    pub region: String,
    /// DynamoDB on-demand, per million write request units.
    pub dynamodb_on_demand_write_per_million: f64,
    /// DynamoDB on-demand, per million read request units.
    pub dynamodb_on_demand_read_per_million: f64,
    /// SQS FIFO, per million requests.
    pub sqs_fifo_requests_per_million: f64,
    /// Lambda, per million invocations.
    pub lambda_requests_per_million: f64,
    /// Lambda on arm64, per GB-second of duration (the first pricing tier).
    pub lambda_arm64_gb_second: f64,
    /// Secrets Manager, per 10,000 API calls.
    pub secrets_manager_per_10k_calls: f64,
}

impl Prices {
    /// The repo's price table.
    pub fn load() -> anyhow::Result<Self> {
        let path = crate::fixtures::workspace_root().join("docs/aws-prices.json");
        let text = std::fs::read_to_string(&path).with_context(|| format!("{}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{}", path.display()))
    }
}

/// SQS requests the event source mapping makes per consumer invocation (a receive and a
/// delete), which the functions' meters do not see.
pub const POLLING_REQUESTS_PER_INVOCATION: f64 = 2.0;

/// USD per 100,000 ordinary messages, by what is billed per request or unit (Lambda
/// duration is [`duration`]'s).
pub fn usd_per_100k(costs: &Costs, prices: &Prices) -> Vec<(&'static str, f64)> {
    let n = 100_000.0;
    let units = costs.ordinary_units();
    let requests = |service: &str| -> f64 {
        costs
            .ordinary
            .iter()
            .filter(|((_, s, _), _)| *s == service)
            // A fold from +0.0: an empty f64 sum is -0.0, which prints as "-0.000".
            .fold(0.0, |sum, (_, (count, _))| sum + count)
    };
    let consumers: f64 = costs
        .invocations
        .iter()
        .filter(|(f, _)| **f != "webhook")
        .map(|(_, i)| i)
        .sum();
    let sqs = requests("SQS") + consumers * POLLING_REQUESTS_PER_INVOCATION;
    let lambda: f64 = costs.invocations.values().sum();
    vec![
        (
            "DynamoDB writes",
            units.write * n * prices.dynamodb_on_demand_write_per_million / 1e6,
        ),
        (
            "DynamoDB reads",
            units.read * n * prices.dynamodb_on_demand_read_per_million / 1e6,
        ),
        (
            "SQS FIFO requests",
            sqs * n * prices.sqs_fifo_requests_per_million / 1e6,
        ),
        (
            "Lambda requests",
            lambda * n * prices.lambda_requests_per_million / 1e6,
        ),
        (
            "Secrets Manager",
            requests("SecretsManager") * n * prices.secrets_manager_per_10k_calls / 1e4,
        ),
    ]
}

/// What the processor waited for before it asked the model.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BeforeModel {
    /// AWS requests the processor started before its model request.
    pub requests: usize,
    /// Of those, how many ran one after another (overlapping requests count once).
    pub round_trips: usize,
    /// The operations, a round trip's joined by `+`, round trips by ` -> `.
    pub path: String,
    /// From the processor being handed the record to its model request.
    pub wait: std::time::Duration,
}

/// The processor's requests among `calls` that began before `asked`, and their round trips.
pub fn before_model(calls: &[Call], asked: std::time::Instant) -> BeforeModel {
    let mut early: Vec<&Call> = calls
        .iter()
        .filter(|c| c.function == "processor" && c.started < asked)
        .collect();
    early.sort_by_key(|c| c.started);

    let mut round_trips = 0;
    let mut path = String::new();
    let mut busy_until: Option<std::time::Instant> = None;
    for c in &early {
        // A request that starts after every earlier one has ended waited for them.
        if busy_until.is_none_or(|until| c.started >= until) {
            round_trips += 1;
            if !path.is_empty() {
                path.push_str(" -> ");
            }
        } else {
            path.push('+');
        }
        path.push_str(&c.operation);
        busy_until = Some(busy_until.map_or(c.ended, |until| until.max(c.ended)));
    }
    BeforeModel {
        requests: early.len(),
        round_trips,
        path,
        wait: std::time::Duration::ZERO,
    }
}

impl Costs {
    /// Write and read units per ordinary message, all functions together.
    pub fn ordinary_units(&self) -> Units {
        total(&self.ordinary)
    }
}

/// The sum of units over every function and operation.
pub fn total(per: &PerMessage) -> Units {
    per.values().fold(Units::default(), |mut sum, (_, u)| {
        sum.read += u.read;
        sum.write += u.write;
        sum
    })
}

fn per_message(calls: &[Call], messages: usize) -> PerMessage {
    let n = messages.max(1) as f64;
    summary(calls)
        .into_iter()
        .map(|(key, (count, units))| {
            let units = Units {
                read: units.read / n,
                write: units.write / n,
            };
            (key, (count as f64 / n, units))
        })
        .collect()
}

/// Starts a metered stack and sends one user's first message, then `messages` more.
/// `options`: the stack to measure on (Redis or not, limits); the meter is added.
pub async fn measure(messages: usize, options: StackOptions) -> anyhow::Result<Costs> {
    let stack = Stack::start(StackOptions {
        meter: true,
        ..options
    })
    .await?;
    let meter = stack
        .meter
        .as_ref()
        .context("the stack was asked for a meter")?;
    let user = 7001;
    send(&stack, user, "Hello! I'm new here.").await?;
    let first = per_message(&meter.calls(), 1);
    meter.reset();
    let stages = [Stage::Subscription, Stage::Processor, Stage::Sender];
    let invoked_before: Vec<usize> = stages.iter().map(|s| stack.invocations(*s)).collect();
    let openai = stack.openai.as_ref().context("the OpenAI stand-in")?;
    let mut waits = Vec::new();
    for i in 0..messages {
        let (calls_before, asked_before) = (meter.calls().len(), openai.model_requests().len());
        let text = format!("Message {i}: what do you think about topic number {i}?");
        send(&stack, user, &text).await?;
        let asked = openai
            .model_requests()
            .get(asked_before)
            .map(|r| r.at)
            .context("the model was asked")?;
        let mut wait = before_model(&meter.calls()[calls_before..], asked);
        // The invocation that asked: the last one handed its record before the request.
        let handed = stack
            .invoked_at(Stage::Processor)
            .into_iter()
            .rfind(|at| *at <= asked)
            .context("the processor was invoked before the model was asked")?;
        wait.wait = asked - handed;
        waits.push(wait);
    }
    let n = messages.max(1) as f64;
    let mut invocations = BTreeMap::from([("webhook", 1.0)]);
    for (stage, before) in stages.iter().zip(invoked_before) {
        invocations.insert(
            stage.function(),
            (stack.invocations(*stage) - before) as f64 / n,
        );
    }
    Ok(Costs {
        first,
        ordinary: per_message(&meter.calls(), messages),
        messages,
        before_model: waits,
        invocations,
    })
}

async fn send(stack: &Stack, user: i64, text: &str) -> anyhow::Result<()> {
    let before = stack.telegram.texts_to(user).len();
    let (status, _) = stack.post_update(&private_text(user, "Ann", text)).await?;
    if !status.is_success() {
        bail!("the webhook answered {status}");
    }
    stack.drain().await?;
    if stack.telegram.texts_to(user).len() <= before {
        bail!("no reply to {text:?}");
    }
    Ok(())
}

/// A Markdown table of one `PerMessage`.
pub fn table(per: &PerMessage) -> String {
    let mut out = String::from(
        "| function | service | operation | requests | WRU | RRU |\n|---|---|---|---:|---:|---:|\n",
    );
    for ((function, service, operation), (count, units)) in per {
        out.push_str(&format!(
            "| {function} | {service} | {operation} | {count:.1} | {:.1} | {:.1} |\n",
            units.write, units.read
        ));
    }
    let sum = total(per);
    let requests: f64 = per.values().map(|(c, _)| c).sum();
    out.push_str(&format!(
        "| **all** | | | **{requests:.1}** | **{:.1}** | **{:.1}** |\n",
        sum.write, sum.read
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_follow_the_price_table() {
        let mut ordinary = PerMessage::new();
        ordinary.insert(
            ("processor".into(), "DynamoDB", "PutItem".into()),
            (
                1.0,
                Units {
                    read: 0.0,
                    write: 10.0,
                },
            ),
        );
        ordinary.insert(
            ("processor".into(), "DynamoDB", "GetItem".into()),
            (
                2.0,
                Units {
                    read: 4.0,
                    write: 0.0,
                },
            ),
        );
        ordinary.insert(
            ("webhook".into(), "SQS", "SendMessage".into()),
            (1.0, Units::default()),
        );
        let costs = Costs {
            first: PerMessage::new(),
            ordinary,
            messages: 1,
            before_model: Vec::new(),
            invocations: BTreeMap::from([("webhook", 1.0), ("processor", 1.0)]),
        };
        let prices = Prices::load().expect("the repo's price table");
        let usd: BTreeMap<&str, f64> = usd_per_100k(&costs, &prices).into_iter().collect();
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        // 10 WRU × 100k = 1M WRU; 4 RRU × 100k = 0.4M RRU.
        assert!(close(
            usd["DynamoDB writes"],
            prices.dynamodb_on_demand_write_per_million
        ));
        assert!(close(
            usd["DynamoDB reads"],
            0.4 * prices.dynamodb_on_demand_read_per_million
        ));
        // One send, plus the processor's polling (receive and delete): 3 × 100k requests.
        assert!(close(
            usd["SQS FIFO requests"],
            0.3 * prices.sqs_fifo_requests_per_million
        ));
        assert!(close(
            usd["Lambda requests"],
            0.2 * prices.lambda_requests_per_million
        ));
        assert!(close(usd["Secrets Manager"], 0.0));
    }
}
