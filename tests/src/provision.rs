//! Creates in moto the resources `template.yaml` declares: one table with TTL, three FIFO
//! queues each with a FIFO dead-letter queue, and the secret.

use anyhow::Context;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    TimeToLiveSpecification,
};
use aws_sdk_sqs::types::QueueAttributeName;
use shared::app::Clients;

#[derive(Clone, Debug)]
pub struct Resources {
    pub table: String,
    pub inbound: String,
    pub inbound_dlq: String,
    pub work: String,
    pub work_dlq: String,
    pub outbox: String,
    pub outbox_dlq: String,
    pub secret_id: String,
}

#[derive(Clone, Debug)]
pub struct ProvisionOptions {
    pub prefix: String,
    pub visibility_timeout_secs: u32,
    pub max_receive_count: u32,
}

pub async fn provision(
    clients: &Clients,
    opts: &ProvisionOptions,
    secret_json: &str,
) -> anyhow::Result<Resources> {
    let table = format!("{}-table", opts.prefix);
    clients
        .dynamo
        .create_table()
        .table_name(&table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()?,
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("sk")
                .attribute_type(ScalarAttributeType::S)
                .build()?,
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()?,
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("sk")
                .key_type(KeyType::Range)
                .build()?,
        )
        .send()
        .await
        .context("CreateTable")?;
    clients
        .dynamo
        .update_time_to_live()
        .table_name(&table)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .attribute_name("expires_at")
                .enabled(true)
                .build()?,
        )
        .send()
        .await
        .context("UpdateTimeToLive")?;

    let (inbound, inbound_dlq) =
        fifo_with_dlq(clients, &format!("{}-inbound", opts.prefix), opts).await?;
    let (work, work_dlq) = fifo_with_dlq(clients, &format!("{}-work", opts.prefix), opts).await?;
    let (outbox, outbox_dlq) =
        fifo_with_dlq(clients, &format!("{}-outbox", opts.prefix), opts).await?;

    let secret = clients
        .secrets
        .create_secret()
        .name(format!("{}-secret", opts.prefix))
        .secret_string(secret_json)
        .send()
        .await
        .context("CreateSecret")?;
    Ok(Resources {
        table,
        inbound,
        inbound_dlq,
        work,
        work_dlq,
        outbox,
        outbox_dlq,
        secret_id: secret.arn.context("secret ARN")?,
    })
}

async fn fifo_with_dlq(
    clients: &Clients,
    name: &str,
    opts: &ProvisionOptions,
) -> anyhow::Result<(String, String)> {
    let dlq = clients
        .sqs
        .create_queue()
        .queue_name(format!("{name}-dlq.fifo"))
        .attributes(QueueAttributeName::FifoQueue, "true")
        .attributes(QueueAttributeName::MessageRetentionPeriod, "1209600")
        .send()
        .await
        .context("CreateQueue (DLQ)")?
        .queue_url
        .context("DLQ URL")?;
    let dlq_arn = clients
        .sqs
        .get_queue_attributes()
        .queue_url(&dlq)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await?
        .attributes
        .and_then(|mut a| a.remove(&QueueAttributeName::QueueArn))
        .context("DLQ ARN")?;
    let redrive = serde_json::json!({
        "deadLetterTargetArn": dlq_arn,
        "maxReceiveCount": opts.max_receive_count,
    });
    let queue = clients
        .sqs
        .create_queue()
        .queue_name(format!("{name}.fifo"))
        .attributes(QueueAttributeName::FifoQueue, "true")
        .attributes(QueueAttributeName::ContentBasedDeduplication, "false")
        .attributes(
            QueueAttributeName::VisibilityTimeout,
            opts.visibility_timeout_secs.to_string(),
        )
        .attributes(QueueAttributeName::RedrivePolicy, redrive.to_string())
        .send()
        .await
        .context("CreateQueue")?
        .queue_url
        .context("queue URL")?;
    Ok((queue, dlq))
}
