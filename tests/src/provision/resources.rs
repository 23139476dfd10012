//! Creating a [`Plan`] in moto, and the created resources as the rest of the kit uses them.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use shared::app::Clients;

use super::{Plan, queue, secret, table};

/// How a local stack differs from the template, on purpose.
#[derive(Clone, Debug)]
pub struct ProvisionOptions {
    /// Prefix of every name, unique per stack so that tests can share one moto.
    pub prefix: String,
    /// Local override of `VisibilityTimeout` wherever the template sets one (the queues
    /// the functions consume), so a crashed delivery comes back in seconds rather than
    /// minutes; `None` keeps the template's.
    pub visibility_timeout_secs: Option<u32>,
    /// Local override of every `RedrivePolicy`'s `maxReceiveCount`, so that tests reach
    /// the dead-letter queue in fewer deliveries; `None` keeps the template's.
    pub max_receive_count: Option<u32>,
    /// Each secret's value by logical id: the template builds them from NoEcho parameters
    /// that have no default.
    pub secrets: BTreeMap<String, String>,
}

/// The created resources: the ones the kit names, and every one by logical id.
#[derive(Clone, Debug)]
pub struct Resources {
    /// `BotTable`'s name.
    pub table: String,
    /// `InboundQueue`'s URL.
    pub inbound: String,
    /// The URL of `InboundQueue`'s dead-letter queue.
    pub inbound_dlq: String,
    /// `WorkQueue`'s URL.
    pub work: String,
    /// The URL of `WorkQueue`'s dead-letter queue.
    pub work_dlq: String,
    /// `OutboxQueue`'s URL.
    pub outbox: String,
    /// The URL of `OutboxQueue`'s dead-letter queue.
    pub outbox_dlq: String,
    /// `StyleRefreshFailureQueue`'s URL.
    pub style_refresh_failures: String,
    /// `BotSecret`'s ARN.
    pub secret_id: String,
    /// `OpenAISecret`'s ARN.
    pub openai_secret_id: String,
    /// What `!Ref` of each created resource gives, by logical id: a table's name, a
    /// queue's URL, a secret's ARN.
    pub refs: BTreeMap<String, String>,
    /// What was created: the plan with the overrides applied.
    pub plan: Plan,
}

/// Creates everything the plan holds, with the options' overrides and secret values.
pub async fn provision(
    clients: &Clients,
    plan: &Plan,
    opts: &ProvisionOptions,
) -> anyhow::Result<Resources> {
    let mut plan = plan.clone();
    for spec in &mut plan.queues {
        spec.apply(opts);
    }
    let mut refs = BTreeMap::new();
    for spec in &plan.tables {
        let name = table::create(&clients.dynamo, &opts.prefix, spec).await?;
        refs.insert(spec.logical_id.clone(), name);
    }
    for (id, queue) in queue::create_all(&clients.sqs, &opts.prefix, &plan.queues).await? {
        refs.insert(id, queue.url);
    }
    for spec in &plan.secrets {
        let value = opts
            .secrets
            .get(&spec.logical_id)
            .with_context(|| format!("no local value for the secret {}", spec.logical_id))?;
        let arn = secret::create(&clients.secrets, &opts.prefix, spec, value).await?;
        refs.insert(spec.logical_id.clone(), arn);
    }
    Resources::new(refs, plan)
}

impl Resources {
    /// Names the created resources by the logical ids the kit knows them by.
    fn new(refs: BTreeMap<String, String>, plan: Plan) -> anyhow::Result<Self> {
        let get = |id: &str| {
            refs.get(id)
                .cloned()
                .with_context(|| format!("template.yaml declares no {id}, which the kit uses"))
        };
        let dead_letters = |id: &str| {
            let redrive = plan.queue(id).and_then(|q| q.redrive.as_ref());
            match redrive {
                Some(r) => get(&r.dead_letter_queue),
                None => bail!("{id} has no RedrivePolicy in template.yaml"),
            }
        };
        Ok(Self {
            table: get("BotTable")?,
            inbound: get("InboundQueue")?,
            inbound_dlq: dead_letters("InboundQueue")?,
            work: get("WorkQueue")?,
            work_dlq: dead_letters("WorkQueue")?,
            outbox: get("OutboxQueue")?,
            outbox_dlq: dead_letters("OutboxQueue")?,
            style_refresh_failures: get("StyleRefreshFailureQueue")?,
            secret_id: get("BotSecret")?,
            openai_secret_id: get("OpenAISecret")?,
            refs,
            plan,
        })
    }

    /// The function variables that name a created resource, with its local value
    /// (`TABLE_NAME`, `WORK_QUEUE_URL`, `SECRET_ID`…), as the template sets them.
    pub fn env(&self) -> anyhow::Result<Vec<(String, String)>> {
        self.plan
            .variables
            .iter()
            .map(|(name, id)| {
                let value = self
                    .refs
                    .get(id)
                    .with_context(|| format!("{id} was not created"))?;
                Ok((name.clone(), value.clone()))
            })
            .collect()
    }

    /// The `maxReceiveCount` the queue at `url` was created with.
    pub fn max_receives(&self, url: &str) -> Option<u32> {
        let (id, _) = self.refs.iter().find(|(_, v)| *v == url)?;
        Some(self.plan.queue(id)?.redrive.as_ref()?.max_receive_count)
    }

    /// The function a queue feeds, by the queue's URL.
    pub fn consumer(&self, url: &str) -> Option<&super::FunctionSpec> {
        let (id, _) = self.refs.iter().find(|(_, v)| *v == url)?;
        self.plan
            .functions
            .iter()
            .find(|f| f.queue.as_deref() == Some(id))
    }
}
