//! DynamoDB tables as the template declares them, and their creation in moto.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType,
    LocalSecondaryIndex, PointInTimeRecoverySpecification, Projection, ProjectionType,
    ProvisionedThroughput, ScalarAttributeType, SseSpecification, TimeToLiveSpecification,
};

use super::reject_unknown;
use super::template::{Cfn, Template};

/// What one template table asks of DynamoDB.
#[derive(Clone, Debug, PartialEq)]
pub struct TableSpec {
    /// The table's logical id in the template.
    pub logical_id: String,
    /// `PAY_PER_REQUEST` or `PROVISIONED` (CloudFormation's default).
    pub billing_mode: String,
    /// `(name, type)` of each declared attribute, type `S`, `N` or `B`.
    pub attributes: Vec<(String, String)>,
    /// `(name, HASH or RANGE)` of the key.
    pub key_schema: Vec<(String, String)>,
    /// Read and write capacity, for provisioned tables.
    pub throughput: Option<(i64, i64)>,
    /// Global secondary indexes.
    pub global_indexes: Vec<IndexSpec>,
    /// Local secondary indexes.
    pub local_indexes: Vec<IndexSpec>,
    /// The TTL attribute, when TTL is enabled.
    pub ttl_attribute: Option<String>,
    /// Whether point-in-time recovery is on.
    pub point_in_time_recovery: bool,
    /// `SSESpecification.SSEEnabled`, when given.
    pub sse_enabled: Option<bool>,
}

/// A secondary index.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexSpec {
    /// The index name.
    pub name: String,
    /// `(name, HASH or RANGE)` of its key.
    pub key_schema: Vec<(String, String)>,
    /// `ALL`, `KEYS_ONLY` or `INCLUDE`.
    pub projection: String,
    /// The attributes an `INCLUDE` projection adds.
    pub non_key_attributes: Vec<String>,
    /// Read and write capacity, for provisioned tables' global indexes.
    pub throughput: Option<(i64, i64)>,
}

const TABLE_PROPERTIES: &[&str] = &[
    "AttributeDefinitions",
    "BillingMode",
    "GlobalSecondaryIndexes",
    "KeySchema",
    "LocalSecondaryIndexes",
    "PointInTimeRecoverySpecification",
    "ProvisionedThroughput",
    "SSESpecification",
    "TimeToLiveSpecification",
];

impl TableSpec {
    /// Reads one `AWS::DynamoDB::Table`; properties with no local meaning are errors.
    pub fn from_template(
        template: &Template,
        id: &str,
        properties: &BTreeMap<String, Cfn>,
    ) -> anyhow::Result<Self> {
        reject_unknown(id, "AWS::DynamoDB::Table", properties, TABLE_PROPERTIES)?;
        let read = Reader { template, id };
        let billing_mode = match properties.get("BillingMode") {
            Some(mode) => read.one_of(mode, "BillingMode", &["PAY_PER_REQUEST", "PROVISIONED"])?,
            None => "PROVISIONED".to_owned(),
        };
        let attributes = read.list(properties, "AttributeDefinitions", |at, item| {
            let item = item.as_map(at)?;
            reject_unknown(
                at,
                "AttributeDefinition",
                item,
                &["AttributeName", "AttributeType"],
            )?;
            Ok((
                read.required(item, "AttributeName", at)?,
                read.one_of(required(item, "AttributeType", at)?, at, &["S", "N", "B"])?,
            ))
        })?;
        Ok(Self {
            logical_id: id.to_owned(),
            billing_mode,
            attributes,
            key_schema: read.key_schema(properties, "KeySchema")?,
            throughput: read.throughput(properties, "ProvisionedThroughput")?,
            global_indexes: read.indexes(properties, "GlobalSecondaryIndexes")?,
            local_indexes: read.indexes(properties, "LocalSecondaryIndexes")?,
            ttl_attribute: read.ttl(properties)?,
            point_in_time_recovery: read
                .flag(
                    properties,
                    "PointInTimeRecoverySpecification",
                    "PointInTimeRecoveryEnabled",
                    &[],
                )?
                .unwrap_or(false),
            sse_enabled: read.flag(properties, "SSESpecification", "SSEEnabled", &[])?,
        })
    }
}

/// Reads the parts of one table, naming the table in every error.
struct Reader<'a> {
    template: &'a Template,
    id: &'a str,
}

impl Reader<'_> {
    /// A value that must be one of `allowed`.
    fn one_of(&self, value: &Cfn, at: &str, allowed: &[&str]) -> anyhow::Result<String> {
        let at = format!("{}.{at}", self.id);
        let text = self.template.scalar(value, &at)?;
        if !allowed.contains(&text.as_str()) {
            bail!("{at}: `{text}` is not one of {allowed:?}");
        }
        Ok(text)
    }

    /// A key of `map` that must be there, as a single value.
    fn required(&self, map: &BTreeMap<String, Cfn>, key: &str, at: &str) -> anyhow::Result<String> {
        self.template
            .scalar(required(map, key, at)?, &format!("{}.{at}.{key}", self.id))
    }

    /// Each item of the list under `key` (none when it is absent), read by `item`.
    fn list<T>(
        &self,
        map: &BTreeMap<String, Cfn>,
        key: &str,
        item: impl Fn(&str, &Cfn) -> anyhow::Result<T>,
    ) -> anyhow::Result<Vec<T>> {
        let Some(list) = map.get(key) else {
            return Ok(Vec::new());
        };
        list.as_list(&format!("{}.{key}", self.id))?
            .iter()
            .enumerate()
            .map(|(i, value)| item(&format!("{key}[{i}]"), value))
            .collect()
    }

    /// A `KeySchema` list of `AttributeName`/`KeyType` pairs.
    fn key_schema(
        &self,
        map: &BTreeMap<String, Cfn>,
        key: &str,
    ) -> anyhow::Result<Vec<(String, String)>> {
        let schema = self.list(map, key, |at, item| {
            let item = item.as_map(at)?;
            reject_unknown(at, "KeySchema element", item, &["AttributeName", "KeyType"])?;
            Ok((
                self.required(item, "AttributeName", at)?,
                self.one_of(required(item, "KeyType", at)?, at, &["HASH", "RANGE"])?,
            ))
        })?;
        if schema.is_empty() {
            bail!("{}: no {key}", self.id);
        }
        Ok(schema)
    }

    /// A `ProvisionedThroughput` as `(read, write)` capacity units.
    fn throughput(
        &self,
        map: &BTreeMap<String, Cfn>,
        key: &str,
    ) -> anyhow::Result<Option<(i64, i64)>> {
        let Some(value) = map.get(key) else {
            return Ok(None);
        };
        let at = format!("{}.{key}", self.id);
        let units = value.as_map(&at)?;
        let names = ["ReadCapacityUnits", "WriteCapacityUnits"];
        reject_unknown(&at, key, units, &names)?;
        let [read, write] = names.map(|name| {
            required(units, name, &at)
                .and_then(|v| self.template.number(v, &format!("{at}.{name}")))
        });
        Ok(Some((i64::from(read?), i64::from(write?))))
    }

    /// `GlobalSecondaryIndexes` or `LocalSecondaryIndexes`.
    fn indexes(&self, map: &BTreeMap<String, Cfn>, key: &str) -> anyhow::Result<Vec<IndexSpec>> {
        self.list(map, key, |at, item| {
            let item = item.as_map(at)?;
            let known = [
                "IndexName",
                "KeySchema",
                "Projection",
                "ProvisionedThroughput",
            ];
            reject_unknown(at, "secondary index", item, &known)?;
            let projection = required(item, "Projection", at)?.as_map(at)?;
            reject_unknown(
                at,
                "Projection",
                projection,
                &["ProjectionType", "NonKeyAttributes"],
            )?;
            let non_key_attributes = self.list(projection, "NonKeyAttributes", |at, name| {
                self.template.scalar(name, at)
            })?;
            Ok(IndexSpec {
                name: self.required(item, "IndexName", at)?,
                key_schema: self.key_schema(item, "KeySchema")?,
                projection: self.one_of(
                    required(projection, "ProjectionType", at)?,
                    at,
                    &["ALL", "KEYS_ONLY", "INCLUDE"],
                )?,
                non_key_attributes,
                throughput: self.throughput(item, "ProvisionedThroughput")?,
            })
        })
    }

    /// The TTL attribute when `TimeToLiveSpecification` enables it.
    fn ttl(&self, map: &BTreeMap<String, Cfn>) -> anyhow::Result<Option<String>> {
        let key = "TimeToLiveSpecification";
        let Some(enabled) = self.flag(map, key, "Enabled", &["AttributeName"])? else {
            return Ok(None);
        };
        let spec = required(map, key, self.id)?.as_map(key)?;
        let name = self.required(spec, "AttributeName", key)?;
        Ok(enabled.then_some(name))
    }

    /// A boolean inside a specification object (`SSESpecification.SSEEnabled`, say) that
    /// may hold nothing else but the `also` keys.
    fn flag(
        &self,
        map: &BTreeMap<String, Cfn>,
        key: &str,
        flag: &str,
        also: &[&str],
    ) -> anyhow::Result<Option<bool>> {
        let Some(spec) = map.get(key) else {
            return Ok(None);
        };
        let at = format!("{}.{key}", self.id);
        let spec = spec.as_map(&at)?;
        let known: Vec<&str> = also.iter().copied().chain([flag]).collect();
        reject_unknown(&at, key, spec, &known)?;
        let value = required(spec, flag, &at)?;
        Ok(Some(self.template.boolean(value, &format!("{at}.{flag}"))?))
    }
}

/// A key that must be present.
fn required<'a>(map: &'a BTreeMap<String, Cfn>, key: &str, at: &str) -> anyhow::Result<&'a Cfn> {
    map.get(key).with_context(|| format!("{at}: no {key}"))
}

/// Creates the table, then sets its TTL and point-in-time recovery, which CreateTable
/// does not take; named `<prefix>-<logical id>`.
pub async fn create(
    dynamo: &aws_sdk_dynamodb::Client,
    prefix: &str,
    spec: &TableSpec,
) -> anyhow::Result<String> {
    let name = format!("{prefix}-{}", spec.logical_id);
    let mut request = dynamo
        .create_table()
        .table_name(&name)
        .billing_mode(BillingMode::from(spec.billing_mode.as_str()))
        .set_attribute_definitions(Some(attribute_definitions(spec)?))
        .set_key_schema(Some(key_schema(&spec.key_schema)?))
        .set_provisioned_throughput(throughput(spec.throughput)?);
    for index in &spec.global_indexes {
        request = request.global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name(&index.name)
                .set_key_schema(Some(key_schema(&index.key_schema)?))
                .projection(projection(index))
                .set_provisioned_throughput(throughput(index.throughput)?)
                .build()?,
        );
    }
    for index in &spec.local_indexes {
        request = request.local_secondary_indexes(
            LocalSecondaryIndex::builder()
                .index_name(&index.name)
                .set_key_schema(Some(key_schema(&index.key_schema)?))
                .projection(projection(index))
                .build()?,
        );
    }
    if let Some(enabled) = spec.sse_enabled {
        request = request.sse_specification(SseSpecification::builder().enabled(enabled).build());
    }
    request
        .send()
        .await
        .with_context(|| format!("CreateTable {}", spec.logical_id))?;
    settings_after_creation(dynamo, &name, spec).await?;
    Ok(name)
}

/// TTL and point-in-time recovery, which only exist once the table does.
async fn settings_after_creation(
    dynamo: &aws_sdk_dynamodb::Client,
    name: &str,
    spec: &TableSpec,
) -> anyhow::Result<()> {
    if let Some(attribute) = &spec.ttl_attribute {
        dynamo
            .update_time_to_live()
            .table_name(name)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .attribute_name(attribute)
                    .enabled(true)
                    .build()?,
            )
            .send()
            .await
            .with_context(|| format!("UpdateTimeToLive {}", spec.logical_id))?;
    }
    if spec.point_in_time_recovery {
        dynamo
            .update_continuous_backups()
            .table_name(name)
            .point_in_time_recovery_specification(
                PointInTimeRecoverySpecification::builder()
                    .point_in_time_recovery_enabled(true)
                    .build()?,
            )
            .send()
            .await
            .with_context(|| format!("UpdateContinuousBackups {}", spec.logical_id))?;
    }
    Ok(())
}

fn attribute_definitions(spec: &TableSpec) -> anyhow::Result<Vec<AttributeDefinition>> {
    spec.attributes
        .iter()
        .map(|(name, kind)| {
            Ok(AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::from(kind.as_str()))
                .build()?)
        })
        .collect()
}

fn key_schema(parts: &[(String, String)]) -> anyhow::Result<Vec<KeySchemaElement>> {
    parts
        .iter()
        .map(|(name, kind)| {
            Ok(KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(KeyType::from(kind.as_str()))
                .build()?)
        })
        .collect()
}

fn projection(index: &IndexSpec) -> Projection {
    Projection::builder()
        .projection_type(ProjectionType::from(index.projection.as_str()))
        .set_non_key_attributes(
            (!index.non_key_attributes.is_empty()).then(|| index.non_key_attributes.clone()),
        )
        .build()
}

fn throughput(units: Option<(i64, i64)>) -> anyhow::Result<Option<ProvisionedThroughput>> {
    units
        .map(|(read, write)| {
            Ok(ProvisionedThroughput::builder()
                .read_capacity_units(read)
                .write_capacity_units(write)
                .build()?)
        })
        .transpose()
}
