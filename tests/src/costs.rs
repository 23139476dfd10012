//! What one message costs in AWS requests and DynamoDB units: a user's first message and
//! then `n` ordinary ones (distinct texts, each answered for real), through the whole
//! pipeline on the local stack with every function behind its own meter port.

use std::collections::BTreeMap;

use anyhow::{Context, bail};

use crate::meter::{Call, Units, summary};
use crate::updates::private_text;
use crate::{Stack, StackOptions};

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
}

/// What the processor waited for before it asked the model.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BeforeModel {
    /// AWS requests the processor started before its model request.
    pub requests: usize,
    /// Of those, how many ran one after another (overlapping requests count once).
    pub round_trips: usize,
}

/// The processor's requests among `calls` that began before `asked`, and their round trips.
pub fn before_model(calls: &[Call], asked: std::time::Instant) -> BeforeModel {
    let mut early: Vec<&Call> = calls
        .iter()
        .filter(|c| c.function == "processor" && c.started < asked)
        .collect();
    early.sort_by_key(|c| c.started);

    let mut round_trips = 0;
    let mut busy_until: Option<std::time::Instant> = None;
    for c in &early {
        // A request that starts after every earlier one has ended waited for them.
        if busy_until.is_none_or(|until| c.started >= until) {
            round_trips += 1;
        }
        busy_until = Some(busy_until.map_or(c.ended, |until| until.max(c.ended)));
    }
    BeforeModel {
        requests: early.len(),
        round_trips,
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
pub async fn measure(messages: usize) -> anyhow::Result<Costs> {
    let stack = Stack::start(StackOptions {
        meter: true,
        ..StackOptions::default()
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
        waits.push(before_model(&meter.calls()[calls_before..], asked));
    }
    Ok(Costs {
        first,
        ordinary: per_message(&meter.calls(), messages),
        messages,
        before_model: waits,
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
