//! Secrets Manager secrets as the template declares them, and their creation in moto.

use std::collections::BTreeMap;

use anyhow::Context;

use super::reject_unknown;
use super::template::{Cfn, Template};

/// What one template secret asks of Secrets Manager. Its value is not here: the template
/// builds it from NoEcho parameters that have no default, so the local stack supplies it.
#[derive(Clone, Debug, PartialEq)]
pub struct SecretSpec {
    /// The secret's logical id in the template.
    pub logical_id: String,
    /// Its `Description`.
    pub description: Option<String>,
}

impl SecretSpec {
    /// Reads one `AWS::SecretsManager::Secret`; properties with no local meaning are errors.
    pub fn from_template(
        template: &Template,
        id: &str,
        properties: &BTreeMap<String, Cfn>,
    ) -> anyhow::Result<Self> {
        // SecretString is accepted and replaced by the local value (see above).
        let known = ["Description", "SecretString"];
        reject_unknown(id, "AWS::SecretsManager::Secret", properties, &known)?;
        let description = match properties.get("Description") {
            Some(d) => Some(template.scalar(d, &format!("{id}.Description"))?),
            None => None,
        };
        Ok(Self {
            logical_id: id.to_owned(),
            description,
        })
    }
}

/// Creates the secret holding `value`, named `<prefix>-<logical id>`; returns its ARN,
/// which is what `!Ref` of a secret gives.
pub async fn create(
    secrets: &aws_sdk_secretsmanager::Client,
    prefix: &str,
    spec: &SecretSpec,
    value: &str,
) -> anyhow::Result<String> {
    secrets
        .create_secret()
        .name(format!("{prefix}-{}", spec.logical_id))
        .set_description(spec.description.clone())
        .secret_string(value)
        .send()
        .await
        .with_context(|| format!("CreateSecret {}", spec.logical_id))?
        .arn
        .with_context(|| format!("no ARN for {}", spec.logical_id))
}
