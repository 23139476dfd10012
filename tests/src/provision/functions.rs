//! What the template says about its functions that the local stack needs: their
//! timeouts, the queues that feed them, and the variables that name resources.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use anyhow::{Context, bail};

use super::template::{Cfn, Template, env_variables};

/// Function resource types whose properties follow Lambda's.
pub(super) const FUNCTION_TYPES: &[&str] = &["AWS::Serverless::Function", "AWS::Lambda::Function"];

/// SAM's and Lambda's timeout when none is given.
const DEFAULT_TIMEOUT_SECS: u32 = 3;

/// SAM's and Lambda's memory size when none is given, in MB.
const DEFAULT_MEMORY_MB: u32 = 128;

/// One function of the template, as far as the local stack runs it.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionSpec {
    /// The function's logical id.
    pub logical_id: String,
    /// Its `Timeout` (or `Globals.Function.Timeout`).
    pub timeout: Duration,
    /// Its `MemorySize` in MB (or `Globals.Function.MemorySize`): what Lambda bills
    /// GB-seconds for, and the share of a vCPU it gets.
    pub memory_mb: u32,
    /// The queue an SQS event feeds it from, by logical id.
    pub queue: Option<String>,
    /// That event's `BatchSize`.
    pub batch_size: Option<u32>,
}

impl FunctionSpec {
    /// Reads one function resource.
    pub fn from_template(
        template: &Template,
        id: &str,
        properties: &BTreeMap<String, Cfn>,
    ) -> anyhow::Result<Self> {
        let timeout = match properties
            .get("Timeout")
            .or_else(|| template.global_function.get("Timeout"))
        {
            Some(t) => template.number(t, &format!("{id}.Timeout"))?,
            None => DEFAULT_TIMEOUT_SECS,
        };
        let memory_mb = match properties
            .get("MemorySize")
            .or_else(|| template.global_function.get("MemorySize"))
        {
            Some(m) => template.number(m, &format!("{id}.MemorySize"))?,
            None => DEFAULT_MEMORY_MB,
        };
        let mut spec = Self {
            logical_id: id.to_owned(),
            timeout: Duration::from_secs(u64::from(timeout)),
            memory_mb,
            queue: None,
            batch_size: None,
        };
        for (name, event) in sqs_events(properties, id)? {
            let at = format!("{id}.Events.{name}.Properties");
            if spec.queue.is_some() {
                bail!("{at}: a second SQS event; the local stack feeds each function one queue");
            }
            let queue = event.get("Queue").and_then(Cfn::get_att);
            let Some((queue, "Arn")) = queue else {
                bail!("{at}.Queue: expected !GetAtt <queue>.Arn");
            };
            spec.queue = Some(queue.to_owned());
            spec.batch_size = match event.get("BatchSize") {
                Some(size) => Some(template.number(size, &format!("{at}.BatchSize"))?),
                None => None,
            };
        }
        Ok(spec)
    }
}

/// The `Properties` of a function's events of type `SQS`, by event name.
fn sqs_events<'a>(
    properties: &'a BTreeMap<String, Cfn>,
    id: &str,
) -> anyhow::Result<Vec<(&'a String, &'a BTreeMap<String, Cfn>)>> {
    let Some(events) = properties.get("Events") else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for (name, event) in events.as_map(&format!("{id}.Events"))? {
        let at = format!("{id}.Events.{name}");
        let event = event.as_map(&at)?;
        if event.get("Type") == Some(&Cfn::String("SQS".into())) {
            let props = event
                .get("Properties")
                .with_context(|| format!("{at}: no Properties"))?;
            found.push((name, props.as_map(&at)?));
        }
    }
    Ok(found)
}

/// Every function variable (SAM globals and each function's own) whose value is `!Ref`
/// of one of `created`, with that resource's logical id. A name bound to two different
/// resources is an error: the local stack gives all functions one environment.
pub fn resource_variables(
    template: &Template,
    created: &BTreeSet<String>,
) -> anyhow::Result<BTreeMap<String, String>> {
    let mut sources = vec![(
        "Globals.Function".to_owned(),
        env_variables(&template.global_function, "Globals.Function")?,
    )];
    for (id, resource) in &template.resources {
        if FUNCTION_TYPES.contains(&resource.kind.as_str()) {
            sources.push((id.clone(), env_variables(&resource.properties, id)?));
        }
    }
    let mut bound: BTreeMap<String, String> = BTreeMap::new();
    for (source, variables) in sources {
        for (name, value) in variables {
            let Some(target) = value.ref_target().filter(|t| created.contains(*t)) else {
                continue;
            };
            match bound.get(&name) {
                Some(other) if other != target => {
                    bail!("{source}: {name} names {target}, elsewhere {other}")
                }
                _ => bound.insert(name, target.to_owned()),
            };
        }
    }
    Ok(bound)
}
