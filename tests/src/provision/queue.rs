//! SQS queues as the template declares them, and their creation in moto.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use aws_sdk_sqs::types::QueueAttributeName;

use super::template::{Cfn, Template};
use super::{ProvisionOptions, reject_unknown};

/// `AWS::SQS::Queue` properties that are SQS attributes of the same name and value.
const PLAIN_ATTRIBUTES: &[&str] = &[
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "DelaySeconds",
    "FifoQueue",
    "FifoThroughputLimit",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds",
    "SqsManagedSseEnabled",
    "VisibilityTimeout",
];

/// What one template queue asks of SQS.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueSpec {
    /// The queue's logical id in the template.
    pub logical_id: String,
    /// SQS attributes by name, valued as SQS takes them (`"true"`, `"180"`).
    pub attributes: BTreeMap<String, String>,
    /// Where messages go after too many receives.
    pub redrive: Option<Redrive>,
}

/// A queue's `RedrivePolicy`.
#[derive(Clone, Debug, PartialEq)]
pub struct Redrive {
    /// Logical id of the dead-letter queue (`deadLetterTargetArn: !GetAtt X.Arn`).
    pub dead_letter_queue: String,
    /// Receives before a message moves there.
    pub max_receive_count: u32,
}

/// A queue created in moto.
#[derive(Clone, Debug)]
pub struct CreatedQueue {
    /// What `!Ref` of the queue gives, and what the functions are told.
    pub url: String,
    /// What `!GetAtt X.Arn` gives.
    pub arn: String,
}

impl QueueSpec {
    /// Reads one `AWS::SQS::Queue`; properties with no local meaning are errors.
    pub fn from_template(
        template: &Template,
        id: &str,
        properties: &BTreeMap<String, Cfn>,
    ) -> anyhow::Result<Self> {
        let known: Vec<&str> = PLAIN_ATTRIBUTES
            .iter()
            .copied()
            .chain(["RedrivePolicy"])
            .collect();
        reject_unknown(id, "AWS::SQS::Queue", properties, &known)?;
        let mut attributes = BTreeMap::new();
        for name in PLAIN_ATTRIBUTES {
            if let Some(value) = properties.get(*name) {
                let value = template.scalar(value, &format!("{id}.{name}"))?;
                attributes.insert((*name).to_owned(), value);
            }
        }
        let redrive = match properties.get("RedrivePolicy") {
            Some(policy) => Some(redrive(template, id, policy)?),
            None => None,
        };
        Ok(Self {
            logical_id: id.to_owned(),
            attributes,
            redrive,
        })
    }

    /// Whether the template makes it a FIFO queue.
    pub fn fifo(&self) -> bool {
        self.attribute("FifoQueue") == Some("true")
    }

    /// One attribute as the template sets it.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    /// Applies the local overrides: a visibility timeout only where the template sets one
    /// (the queues a function consumes; dead-letter queues keep SQS's default), and the
    /// receive count of every redrive policy.
    pub(super) fn apply(&mut self, overrides: &ProvisionOptions) {
        if let Some(secs) = overrides.visibility_timeout_secs
            && let Some(value) = self.attributes.get_mut("VisibilityTimeout")
        {
            *value = secs.to_string();
        }
        if let (Some(count), Some(redrive)) = (overrides.max_receive_count, &mut self.redrive) {
            redrive.max_receive_count = count;
        }
    }
}

/// A `RedrivePolicy` whose target is a queue of the same template.
fn redrive(template: &Template, id: &str, policy: &Cfn) -> anyhow::Result<Redrive> {
    let at = format!("{id}.RedrivePolicy");
    let policy = policy.as_map(&at)?;
    reject_unknown(
        &at,
        "RedrivePolicy",
        policy,
        &["deadLetterTargetArn", "maxReceiveCount"],
    )?;
    let target = policy
        .get("deadLetterTargetArn")
        .with_context(|| format!("{at}: no deadLetterTargetArn"))?;
    let dead_letter_queue = match target.get_att() {
        Some((queue, "Arn")) => queue.to_owned(),
        _ => bail!("{at}.deadLetterTargetArn: expected !GetAtt <queue>.Arn, got {target:?}"),
    };
    let count = policy
        .get("maxReceiveCount")
        .with_context(|| format!("{at}: no maxReceiveCount"))?;
    Ok(Redrive {
        dead_letter_queue,
        max_receive_count: template.number(count, &format!("{at}.maxReceiveCount"))?,
    })
}

/// Creates every queue, each after its dead-letter queue; named `<prefix>-<logical id>`
/// (plus `.fifo`, which SQS requires of FIFO queues).
pub async fn create_all(
    sqs: &aws_sdk_sqs::Client,
    prefix: &str,
    specs: &[QueueSpec],
) -> anyhow::Result<BTreeMap<String, CreatedQueue>> {
    let mut created: BTreeMap<String, CreatedQueue> = BTreeMap::new();
    while created.len() < specs.len() {
        let ready: Vec<&QueueSpec> = specs
            .iter()
            .filter(|s| !created.contains_key(&s.logical_id))
            .filter(|s| {
                s.redrive
                    .as_ref()
                    .is_none_or(|r| created.contains_key(&r.dead_letter_queue))
            })
            .collect();
        if ready.is_empty() {
            let waiting: Vec<String> = specs
                .iter()
                .filter(|s| !created.contains_key(&s.logical_id))
                .map(|s| s.logical_id.clone())
                .collect();
            bail!("dead-letter queues that are not template queues (or a cycle): {waiting:?}");
        }
        for spec in ready {
            let dead_letter_arn = spec
                .redrive
                .as_ref()
                .and_then(|r| created.get(&r.dead_letter_queue))
                .map(|q| q.arn.clone());
            let queue = create(sqs, prefix, spec, dead_letter_arn.as_deref()).await?;
            created.insert(spec.logical_id.clone(), queue);
        }
    }
    Ok(created)
}

/// Creates one queue with its attributes and, given its dead-letter queue's ARN, redrive.
async fn create(
    sqs: &aws_sdk_sqs::Client,
    prefix: &str,
    spec: &QueueSpec,
    dead_letter_arn: Option<&str>,
) -> anyhow::Result<CreatedQueue> {
    let suffix = if spec.fifo() { ".fifo" } else { "" };
    let mut request = sqs
        .create_queue()
        .queue_name(format!("{prefix}-{}{suffix}", spec.logical_id));
    for (name, value) in &spec.attributes {
        request = request.attributes(QueueAttributeName::from(name.as_str()), value);
    }
    if let (Some(redrive), Some(arn)) = (&spec.redrive, dead_letter_arn) {
        let policy = serde_json::json!({
            "deadLetterTargetArn": arn,
            "maxReceiveCount": redrive.max_receive_count,
        });
        request = request.attributes(QueueAttributeName::RedrivePolicy, policy.to_string());
    }
    let url = request
        .send()
        .await
        .with_context(|| format!("CreateQueue {}", spec.logical_id))?
        .queue_url
        .with_context(|| format!("no URL for {}", spec.logical_id))?;
    let arn = sqs
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .with_context(|| format!("GetQueueAttributes {}", spec.logical_id))?
        .attributes
        .and_then(|mut a| a.remove(&QueueAttributeName::QueueArn))
        .with_context(|| format!("no ARN for {}", spec.logical_id))?;
    Ok(CreatedQueue { url, arn })
}
