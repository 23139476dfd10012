//! Creates in moto what `template.yaml` declares: every DynamoDB table, SQS queue (with
//! its dead-letter queue) and Secrets Manager secret, with the template's settings.
//!
//! The template is read when a stack starts, not copied: a setting changed there is a
//! setting changed here. A resource type or property that has no local meaning and is not
//! deliberately left out (see [`NOT_LOCAL`]) is an error naming it, never skipped.
//! Tests may override two queue settings for speed ([`ProvisionOptions`]); nothing else
//! differs from the template.

mod functions;
mod queue;
pub mod raw;
mod resources;
mod secret;
mod table;
pub mod template;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use anyhow::{Context, bail};

pub use self::functions::FunctionSpec;
pub use self::queue::{QueueSpec, Redrive};
pub use self::resources::{ProvisionOptions, Resources, provision};
pub use self::secret::SecretSpec;
pub use self::table::{IndexSpec, TableSpec};
use self::template::{Cfn, Template};

/// Resource types the local stack deliberately does not create, and why.
pub const NOT_LOCAL: &[(&str, &str)] = &[
    (
        "AWS::Serverless::Function",
        "the stack runs the handlers itself, wired as their mains",
    ),
    ("AWS::Lambda::Function", "as AWS::Serverless::Function"),
    (
        "AWS::Lambda::Url",
        "tests call the webhook handler directly",
    ),
    (
        "AWS::Lambda::Permission",
        "nothing enforces permissions locally",
    ),
    (
        "AWS::IAM::Role",
        "moto does not enforce IAM; scripts/check_template.py checks the policies",
    ),
    (
        "AWS::Logs::LogGroup",
        "the functions log to the test's output",
    ),
    ("AWS::CloudWatch::Alarm", "monitoring only"),
    ("AWS::CloudWatch::Dashboard", "monitoring only"),
    ("AWS::SNS::Topic", "monitoring only (alarm notifications)"),
    (
        "AWS::SNS::Subscription",
        "monitoring only (alarm notifications)",
    ),
];

/// Custom resources are answered by telegram-setup, which tests invoke directly.
const CUSTOM_RESOURCE_PREFIX: &str = "Custom::";

/// Where the template is: the workspace root.
pub fn template_path() -> PathBuf {
    crate::fixtures::workspace_root().join("template.yaml")
}

/// Everything the template asks the local stack to create, and what it says of the
/// functions the stack runs.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Every `AWS::DynamoDB::Table`.
    pub tables: Vec<TableSpec>,
    /// Every `AWS::SQS::Queue`.
    pub queues: Vec<QueueSpec>,
    /// Every `AWS::SecretsManager::Secret`.
    pub secrets: Vec<SecretSpec>,
    /// Every function.
    pub functions: Vec<FunctionSpec>,
    /// Function variables that name a created resource, with its logical id.
    pub variables: BTreeMap<String, String>,
}

impl Plan {
    /// Reads `template.yaml`.
    pub fn load() -> anyhow::Result<Self> {
        Self::from_template(&Template::load(&template_path())?)
    }

    /// Derives the plan from a parsed template.
    pub fn from_template(template: &Template) -> anyhow::Result<Self> {
        let mut plan = Self {
            tables: Vec::new(),
            queues: Vec::new(),
            secrets: Vec::new(),
            functions: Vec::new(),
            variables: BTreeMap::new(),
        };
        for (id, resource) in &template.resources {
            plan.add(template, id, resource)
                .with_context(|| format!("template resource {id} ({})", resource.kind))?;
        }
        plan.variables = functions::resource_variables(template, &plan.created())?;
        plan.check_dead_letter_queues()?;
        Ok(plan)
    }

    /// Adds one resource, or checks that it is deliberately left out.
    fn add(
        &mut self,
        template: &Template,
        id: &str,
        resource: &template::Resource,
    ) -> anyhow::Result<()> {
        let kind = resource.kind.as_str();
        let props = &resource.properties;
        let created = [
            "AWS::DynamoDB::Table",
            "AWS::SQS::Queue",
            "AWS::SecretsManager::Secret",
        ];
        if let (true, Some(condition)) = (created.contains(&kind), &resource.condition) {
            bail!("has Condition {condition}, which the local stack does not evaluate");
        }
        match kind {
            "AWS::DynamoDB::Table" => self
                .tables
                .push(TableSpec::from_template(template, id, props)?),
            "AWS::SQS::Queue" => self
                .queues
                .push(QueueSpec::from_template(template, id, props)?),
            "AWS::SecretsManager::Secret" => {
                self.secrets
                    .push(SecretSpec::from_template(template, id, props)?);
            }
            _ if NOT_LOCAL.iter().any(|(k, _)| *k == kind)
                || kind.starts_with(CUSTOM_RESOURCE_PREFIX) => {}
            _ => bail!(
                "{kind} is a resource type the local stack neither creates nor leaves out \
                 on purpose (see provision::NOT_LOCAL)"
            ),
        }
        if functions::FUNCTION_TYPES.contains(&kind) {
            self.functions
                .push(FunctionSpec::from_template(template, id, props)?);
        }
        Ok(())
    }

    /// Every redrive policy must point at a queue of the template: only those are created.
    fn check_dead_letter_queues(&self) -> anyhow::Result<()> {
        for queue in &self.queues {
            if let Some(redrive) = &queue.redrive
                && self.queue(&redrive.dead_letter_queue).is_none()
            {
                bail!(
                    "{}.RedrivePolicy: {} is not an AWS::SQS::Queue of the template",
                    queue.logical_id,
                    redrive.dead_letter_queue
                );
            }
        }
        Ok(())
    }

    /// Logical ids of everything the plan creates.
    fn created(&self) -> BTreeSet<String> {
        let tables = self.tables.iter().map(|t| &t.logical_id);
        let queues = self.queues.iter().map(|q| &q.logical_id);
        let secrets = self.secrets.iter().map(|s| &s.logical_id);
        tables.chain(queues).chain(secrets).cloned().collect()
    }

    /// The queue with this logical id.
    pub fn queue(&self, id: &str) -> Option<&QueueSpec> {
        self.queues.iter().find(|q| q.logical_id == id)
    }

    /// The function with this logical id.
    pub fn function(&self, id: &str) -> Option<&FunctionSpec> {
        self.functions.iter().find(|f| f.logical_id == id)
    }

    /// The logical id of the resource a function variable names (`SECRET_ID`, say).
    pub fn resource_of(&self, variable: &str) -> anyhow::Result<&str> {
        self.variables
            .get(variable)
            .map(String::as_str)
            .with_context(|| format!("no function variable {variable} names a template resource"))
    }
}

/// Errors on any key of `map` outside `known`: a setting the local stack would otherwise
/// silently not apply. `at` and `what` name the place.
pub(crate) fn reject_unknown(
    at: &str,
    what: &str,
    map: &BTreeMap<String, Cfn>,
    known: &[&str],
) -> anyhow::Result<()> {
    match map.keys().find(|k| !known.contains(&k.as_str())) {
        Some(key) => bail!(
            "{at}: {what} property `{key}` is not mapped to the local stack (it knows {})",
            known.join(", ")
        ),
        None => Ok(()),
    }
}
