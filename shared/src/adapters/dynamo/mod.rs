//! The single DynamoDB table. Key design and access patterns: `docs/dynamodb.md`.
//!
//! Every read is a GetItem or a Query on one partition; nothing scans.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::anyhow;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, Put, ReturnValue, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};

mod gave_up;
mod migrate;

use super::{now_ms, now_secs};
use crate::domain::IncomingMessage;
use crate::domain::usage::{day_key, month_key};
use crate::domain::{
    BotTotals, ChatId, ClosedConversation, ConvId, History, PersonaChoice, Role, SettingChange,
    Settings, StoredTurn, StyleProfile, Totals, Turn, UpdateId, UserId, UserProfile,
};
use crate::error::{Failure, Result};
use crate::ports::{
    Cache, CapabilityLog, Claim, ConversationStore, CreditStore, DeliveryLog, Exchange,
    FragmentStore, GenerationLog, HeldFragments, PersonaStore, StoredReply, UpdateLog, UsageStore,
    UserStore,
};

const DAY: i64 = 24 * 3600;
/// Telegram stops redelivering an update after about a day; keep the claim a little longer.
const UPDATE_CLAIM_TTL: i64 = 2 * DAY;
/// Long enough to cover SQS retention (4 days) plus a DLQ redrive (14 days).
const REPLY_TTL: i64 = 30 * DAY;
const DELIVERY_TTL: i64 = 30 * DAY;
/// Messages kept as style samples, and conversation turns.
const HISTORY_TTL: i64 = 180 * DAY;

#[derive(Clone, Debug)]
pub struct DynamoStore {
    client: Client,
    table: String,
}

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}
fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

fn key(pk: impl Into<String>, sk: impl Into<String>) -> HashMap<String, AttributeValue> {
    HashMap::from([("pk".to_owned(), s(pk)), ("sk".to_owned(), s(sk))])
}

fn sdk_err<E, R>(op: &str, e: SdkError<E, R>) -> Failure
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    // A malformed request fails the same way every time; anything else may pass later.
    let invalid = e
        .as_service_error()
        .and_then(ProvideErrorMetadata::code)
        .is_some_and(|c| c == "ValidationException");
    let err = anyhow!("DynamoDB {op}: {}", DisplayErrorContext(e));
    if invalid {
        Failure::permanent(err)
    } else {
        Failure::retryable(err)
    }
}

fn to_item<T: Serialize>(value: &T) -> Result<HashMap<String, AttributeValue>> {
    serde_dynamo::to_item(value).map_err(|e| Failure::permanent(anyhow!("serialising item: {e}")))
}

fn from_item<T: for<'de> Deserialize<'de>>(item: HashMap<String, AttributeValue>) -> Result<T> {
    serde_dynamo::from_item(item).map_err(|e| Failure::permanent(anyhow!("reading item: {e}")))
}

#[derive(Serialize, Deserialize)]
struct TurnItem {
    pk: String,
    sk: String,
    #[serde(default)]
    role: Option<Role>,
    #[serde(default)]
    text: String,
    /// `reset` marks the start of a new conversation.
    #[serde(default)]
    kind: Option<String>,
    at: i64,
    expires_at: i64,
}

fn turn_sk(at_ms: i64, update: UpdateId, suffix: &str) -> String {
    format!("T#{at_ms:013}#{update:020}#{suffix}", update = update.0)
}

/// A chat's conversation, or one forum topic's: `CHAT#<chat>` or `CHAT#<chat>/<topic>`.
pub fn chat_pk(conv: impl Into<ConvId>) -> String {
    format!("CHAT#{}", conv.into())
}
pub fn user_pk(user: UserId) -> String {
    format!("USER#{user}")
}
pub fn update_pk(update: UpdateId) -> String {
    format!("UPD#{update}")
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Reachability probe for `/health`.
    pub async fn probe(&self) -> Result<()> {
        self.client
            .describe_table()
            .table_name(&self.table)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_err("DescribeTable", e))
    }

    async fn get(
        &self,
        pk: String,
        sk: &str,
        consistent: bool,
    ) -> Result<Option<HashMap<String, AttributeValue>>> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(pk, sk)))
            .consistent_read(consistent)
            .send()
            .await
            .map_err(|e| sdk_err("GetItem", e))?;
        Ok(out.item)
    }

    /// Up to `limit` items of partition `pk` whose sort key starts with `prefix`, highest
    /// key (newest) first: one Query.
    async fn newest(
        &self,
        pk: String,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<HashMap<String, AttributeValue>>> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
            .expression_attribute_values(":pk", s(pk))
            .expression_attribute_values(":prefix", s(prefix))
            .scan_index_forward(false)
            .limit(i32::try_from(limit).unwrap_or(i32::MAX))
            .send()
            .await
            .map_err(|e| sdk_err("Query", e))?;
        Ok(out.items.unwrap_or_default())
    }

    /// An unconditional PutItem.
    async fn write(&self, item: HashMap<String, AttributeValue>) -> Result<()> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_err("PutItem", e))
    }

    /// One UpdateItem on a user's profile item.
    async fn update_profile(
        &self,
        user: UserId,
        expression: &str,
        values: Vec<(&str, AttributeValue)>,
    ) -> Result<()> {
        let values = values.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(user_pk(user), "PROFILE")))
            .update_expression(expression)
            .set_expression_attribute_values(Some(values))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_err("UpdateItem", e))
    }

    /// A transaction item that creates `item` only if it does not exist yet.
    fn put_new(&self, item: HashMap<String, AttributeValue>) -> Result<TransactWriteItem> {
        self.put_if(item, "attribute_not_exists(pk)")
    }

    fn put_if(
        &self,
        item: HashMap<String, AttributeValue>,
        condition: &str,
    ) -> Result<TransactWriteItem> {
        Ok(TransactWriteItem::builder()
            .put(
                Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(item))
                    .condition_expression(condition)
                    .build()
                    .map_err(|e| Failure::permanent(anyhow!("{e}")))?,
            )
            .build())
    }

    fn put(&self, item: HashMap<String, AttributeValue>) -> Result<TransactWriteItem> {
        Ok(TransactWriteItem::builder()
            .put(
                Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(item))
                    .build()
                    .map_err(|e| Failure::permanent(anyhow!("{e}")))?,
            )
            .build())
    }
}

/// Whether a transaction was cancelled because item `index`'s condition failed.
fn condition_failed_at<R>(e: &SdkError<TransactWriteItemsError, R>, index: usize) -> bool {
    matches!(
        e.as_service_error(),
        Some(TransactWriteItemsError::TransactionCanceledException(tc))
            if tc.cancellation_reasons().get(index).and_then(|r| r.code())
                == Some("ConditionalCheckFailed")
    )
}

/// A conditional write's outcome: `true` if it happened, `false` if its condition did not
/// hold, an error otherwise.
fn written<O, E, R>(op: &str, result: std::result::Result<O, SdkError<E, R>>) -> Result<bool>
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    match result {
        Ok(_) => Ok(true),
        Err(e) if is_condition_failure(&e) => Ok(false),
        Err(e) => Err(sdk_err(op, e)),
    }
}

fn is_condition_failure<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> bool {
    e.as_service_error()
        .and_then(ProvideErrorMetadata::code)
        .is_some_and(|c| c == "ConditionalCheckFailedException")
}

impl UpdateLog for DynamoStore {
    async fn claim_update(&self, id: UpdateId) -> Result<Claim> {
        let mut item = key(update_pk(id), "RECEIVED");
        item.insert("status".into(), s("pending"));
        item.insert("at".into(), n(now_ms()));
        item.insert("expires_at".into(), n(now_secs() + UPDATE_CLAIM_TTL));
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            // A pending claim may be retaken: the first delivery may have died before
            // enqueueing, and the FIFO deduplication id makes a second enqueue harmless.
            .condition_expression("attribute_not_exists(pk) OR #status = :pending")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":pending", s("pending"))
            .return_values(ReturnValue::AllOld)
            .send()
            .await;
        match result {
            Ok(out) if out.attributes.as_ref().is_some_and(|a| !a.is_empty()) => {
                Ok(Claim::Unfinished)
            }
            Ok(_) => Ok(Claim::New),
            Err(e) if is_condition_failure(&e) => Ok(Claim::Done),
            Err(e) => Err(sdk_err("PutItem", e)),
        }
    }

    async fn mark_enqueued(&self, id: UpdateId) -> Result<()> {
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(update_pk(id), "RECEIVED")))
            .update_expression("SET #status = :done")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":done", s("enqueued"))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_err("UpdateItem", e))
    }
}

impl ConversationStore for DynamoStore {
    async fn recent_history(&self, chat: ConvId, limit: usize) -> Result<History> {
        let mut history = History::default();
        if limit == 0 {
            return Ok(history);
        }
        // Newest first, stopping at the latest summary or reset marker: one Query, no
        // state item. One extra item tells whether older turns remain unsummarised.
        for item in self.newest(chat_pk(chat), "T#", limit + 1).await? {
            let item: TurnItem = from_item(item)?;
            match item.kind.as_deref() {
                Some("reset") => break,
                Some("summary") => {
                    history.summary = Some(item.text);
                    break;
                }
                _ => {}
            }
            let Some(role) = item.role else { continue };
            if history.turns.len() == limit {
                history.more = true;
                break;
            }
            history.turns.push(StoredTurn {
                turn: Turn {
                    role,
                    text: item.text,
                },
                key: item.sk,
            });
        }
        Ok(history)
    }

    async fn save_summary(&self, chat: ConvId, through_key: &str, summary: &str) -> Result<()> {
        // Sorts right after the last folded turn and before the first kept one.
        let marker = TurnItem {
            pk: chat_pk(chat),
            sk: format!("{through_key}#S"),
            role: None,
            text: summary.to_owned(),
            kind: Some("summary".into()),
            at: now_ms(),
            expires_at: now_secs() + HISTORY_TTL,
        };
        self.write(to_item(&marker)?).await
    }

    async fn stored_reply(&self, id: UpdateId) -> Result<Option<StoredReply>> {
        let item = self.get(update_pk(id), gave_up::REPLY, true).await?;
        Ok(item.and_then(gave_up::stored))
    }

    async fn record_exchange(&self, x: &Exchange) -> Result<String> {
        match self.write_exchange(x).await? {
            Written::Reply(reply) => Ok(reply),
            // Not new after all: a concurrent first message counted them. Once more as known.
            Written::NotNewUser => {
                let known = Exchange {
                    new_user: false,
                    ..x.clone()
                };
                match self.write_exchange(&known).await? {
                    Written::Reply(reply) => Ok(reply),
                    Written::NotNewUser => Err(Failure::retryable(anyhow!("user directory race"))),
                }
            }
        }
    }

    async fn server_conversation(&self, chat: ConvId) -> Result<Option<String>> {
        Ok(self
            .get(chat_pk(chat), "OPENAI_CONVERSATION", true)
            .await?
            .and_then(|mut i| match i.remove("conversation_id") {
                Some(AttributeValue::S(id)) => Some(id),
                _ => None,
            }))
    }

    async fn set_server_conversation(&self, chat: ConvId, id: Option<&str>) -> Result<()> {
        let mut item = key(chat_pk(chat), "OPENAI_CONVERSATION");
        item.insert("at".into(), n(now_ms()));
        // Without an id the item stays as a tombstone: the next message starts a new one.
        if let Some(id) = id {
            item.insert("conversation_id".into(), s(id));
        }
        self.write(item).await
    }

    async fn begin_conversation(&self, chat: ConvId, title: &str, at_ms: i64) -> Result<()> {
        let mut item = key(chat_pk(chat), "CURRENT");
        item.insert("title".into(), s(title));
        item.insert("started_at".into(), n(at_ms));
        // Only the first message names a conversation; a redelivery must not rename it.
        match self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if is_condition_failure(&e) => Ok(()),
            Err(e) => Err(sdk_err("PutItem", e)),
        }
    }

    async fn conversation_list(
        &self,
        chat: ConvId,
        limit: usize,
    ) -> Result<Vec<ClosedConversation>> {
        let items = self.newest(chat_pk(chat), "CONV#", limit).await?;
        let num = |i: &HashMap<String, AttributeValue>, f: &str| match i.get(f) {
            Some(AttributeValue::N(v)) => v.parse().unwrap_or(0),
            _ => 0,
        };
        Ok(items
            .iter()
            .map(|i| ClosedConversation {
                title: match i.get("title") {
                    Some(AttributeValue::S(t)) => t.clone(),
                    _ => String::new(),
                },
                started_at_ms: num(i, "started_at"),
                closed_at_ms: num(i, "closed_at"),
            })
            .collect())
    }

    async fn start_new_conversation(&self, chat: ConvId, id: UpdateId, at_ms: i64) -> Result<()> {
        let marker = TurnItem {
            pk: chat_pk(chat),
            sk: turn_sk(at_ms, id, "R"),
            role: None,
            text: String::new(),
            kind: Some("reset".into()),
            at: at_ms,
            expires_at: now_secs() + HISTORY_TTL,
        };
        // The guard makes a redelivered /reset a no-op, so conversations are counted once.
        let mut guard = key(update_pk(id), "RESET");
        guard.insert("expires_at".into(), n(now_secs() + REPLY_TTL));
        let delta = Delta {
            conversations: 1,
            ..Delta::default()
        };
        let mut items = vec![self.put_new(guard)?, self.put(to_item(&marker)?)?];
        for (pk, sk) in bot_counter_keys(at_ms) {
            items.push(self.counter(pk, sk, &delta, at_ms)?);
        }
        // File the closed conversation under its title, in the same transaction.
        if let Some(current) = self.get(chat_pk(chat), "CURRENT", true).await? {
            let mut closed = key(chat_pk(chat), format!("CONV#{at_ms:013}#{id}"));
            for field in ["title", "started_at"] {
                if let Some(v) = current.get(field) {
                    closed.insert(field.into(), v.clone());
                }
            }
            closed.insert("closed_at".into(), n(at_ms));
            items.push(self.put(closed)?);
            items.push(
                TransactWriteItem::builder()
                    .delete(
                        aws_sdk_dynamodb::types::Delete::builder()
                            .table_name(&self.table)
                            .set_key(Some(key(chat_pk(chat), "CURRENT")))
                            .build()
                            .map_err(|e| Failure::permanent(anyhow!("{e}")))?,
                    )
                    .build(),
            );
        }
        match self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if condition_failed_at(&e, 0) => Ok(()),
            Err(e) => Err(sdk_err("TransactWriteItems", e)),
        }
    }
}

/// What one event adds to the counters.
#[derive(Clone, Copy, Debug, Default)]
struct Delta {
    messages: u64,
    prompt_tokens: u64,
    completion_tokens: u64,
    cost_micros: u64,
    users: u64,
    conversations: u64,
    /// Of the tokens, how many are our estimate (the provider did not report them).
    estimated_tokens: u64,
}

const COUNTER_FIELDS: [&str; 7] = [
    "messages",
    "prompt_tokens",
    "completion_tokens",
    "cost_micros",
    "users",
    "conversations",
    "estimated_tokens",
];

/// Daily counters are kept for 400 days, monthly ones for 800; totals forever.
fn user_counter_keys(user: UserId, at_ms: i64) -> [(String, String); 3] {
    [
        (user_pk(user), format!("STATS#D#{}", day_key(at_ms))),
        (user_pk(user), format!("STATS#M#{}", month_key(at_ms))),
        (user_pk(user), "STATS#ALL".to_owned()),
    ]
}

fn bot_counter_keys(at_ms: i64) -> [(String, String); 2] {
    [
        ("STATS".to_owned(), format!("D#{}", day_key(at_ms))),
        ("STATS".to_owned(), "ALL".to_owned()),
    ]
}

fn counter_ttl(sk: &str) -> Option<i64> {
    if sk.contains("D#") {
        Some(400 * DAY)
    } else if sk.contains("M#") {
        Some(800 * DAY)
    } else {
        None
    }
}

enum Written {
    Reply(String),
    /// The exchange was written as a new user's, but the user already exists.
    NotNewUser,
}

impl DynamoStore {
    async fn write_exchange(&self, x: &Exchange) -> Result<Written> {
        let now = now_secs();

        let mut reply = key(update_pk(x.update_id), gave_up::REPLY);
        reply.insert("text".into(), s(&x.reply));
        reply.insert("chat_id".into(), n(x.conversation.chat.0));
        reply.insert("at".into(), n(x.at_ms));
        reply.insert("expires_at".into(), n(now + REPLY_TTL));
        let reply_put = self.put_if(reply, gave_up::ANSWER_CONDITION)?;

        let turn = |role: Role, text: &str, suffix: &str| TurnItem {
            pk: chat_pk(x.conversation),
            sk: turn_sk(x.at_ms, x.update_id, suffix),
            role: Some(role),
            text: text.to_owned(),
            kind: None,
            at: x.at_ms,
            expires_at: now + HISTORY_TTL,
        };
        let mut usage = key(
            user_pk(x.user.id),
            format!("USAGE#{:013}#{}", x.at_ms, x.update_id),
        );
        usage.insert("model".into(), s(&x.usage.model));
        usage.insert("prompt_tokens".into(), n(x.usage.prompt_tokens));
        usage.insert("completion_tokens".into(), n(x.usage.completion_tokens));
        usage.insert("response_ms".into(), n(x.usage.response_ms));
        usage.insert("chat_id".into(), n(x.conversation.chat.0));
        usage.insert("update_id".into(), n(x.update_id.0));
        usage.insert("at".into(), n(x.at_ms));
        if let Some(cost) = x.cost_micros {
            usage.insert("cost_micros".into(), n(cost));
        }
        if x.usage.estimated {
            usage.insert("estimated".into(), AttributeValue::Bool(true));
        }

        let mut sample = key(
            user_pk(x.user.id),
            format!("MSG#{:013}#{}", x.at_ms, x.update_id),
        );
        sample.insert("text".into(), s(&x.user_text));
        sample.insert("expires_at".into(), n(now + HISTORY_TTL));

        let mut directory = key("USERS", format!("USER#{}", x.user.id));
        directory.insert("user_id".into(), n(x.user.id.0));

        let mut names = HashMap::from([
            ("#fn".to_owned(), "first_name".to_owned()),
            ("#active".to_owned(), "active".to_owned()),
            ("#upd".to_owned(), "updated_at".to_owned()),
            ("#cnt".to_owned(), "message_count".to_owned()),
        ]);
        let mut values = HashMap::from([
            (":fn".to_owned(), s(&x.user.first_name)),
            (":true".to_owned(), AttributeValue::Bool(true)),
            (":now".to_owned(), n(x.at_ms)),
            (":one".to_owned(), n(1)),
        ]);
        let mut set = "SET #fn = :fn, #active = :true, #upd = :now".to_owned();
        if let Some(username) = &x.user.username {
            names.insert("#un".into(), "username".into());
            values.insert(":un".into(), s(username));
            set.push_str(", #un = :un");
        }
        let mut add = "#cnt :one".to_owned();
        let mut ledger = None;
        if x.credits_used > 0 {
            names.insert("#cr".into(), "credits".into());
            values.insert(":spent".into(), n(-(x.credits_used as i64)));
            add.push_str(", #cr :spent");
            let mut entry = key(
                user_pk(x.user.id),
                format!("LEDGER#{:013}#{}", x.at_ms, x.update_id),
            );
            entry.insert("delta".into(), n(-(x.credits_used as i64)));
            entry.insert("reason".into(), s("usage"));
            entry.insert("update_id".into(), n(x.update_id.0));
            ledger = Some(self.put(entry)?);
        }
        let profile = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(user_pk(x.user.id), "PROFILE")))
            .update_expression(format!("{set} ADD {add}"))
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .build()
            .map_err(|e| Failure::permanent(anyhow!("{e}")))?;

        // A new user's directory entry is created only if absent, so the users counter
        // cannot count anyone twice; a lost race shows up as that condition failing.
        let directory = if x.new_user {
            self.put_new(directory)?
        } else {
            self.put(directory)?
        };
        let delta = Delta {
            messages: 1,
            prompt_tokens: u64::from(x.usage.prompt_tokens),
            completion_tokens: u64::from(x.usage.completion_tokens),
            cost_micros: x.cost_micros.unwrap_or(0),
            users: u64::from(x.new_user),
            conversations: u64::from(x.new_user),
            estimated_tokens: if x.usage.estimated {
                u64::from(x.usage.prompt_tokens) + u64::from(x.usage.completion_tokens)
            } else {
                0
            },
        };
        let mut items = vec![
            reply_put,
            self.put(to_item(&turn(Role::User, &x.user_text, "0"))?)?,
            self.put(to_item(&turn(Role::Assistant, &x.reply, "1"))?)?,
            self.put(usage)?,
            self.put(sample)?,
            directory,
            TransactWriteItem::builder().update(profile).build(),
        ];
        const DIRECTORY: usize = 5;
        items.extend(ledger);
        for (pk, sk) in user_counter_keys(x.user.id, x.at_ms)
            .into_iter()
            .chain(bot_counter_keys(x.at_ms))
        {
            items.push(self.counter(pk, sk, &delta, x.at_ms)?);
        }
        let result = self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await;
        match result {
            Ok(_) => Ok(Written::Reply(x.reply.clone())),
            Err(e) => {
                let failed_condition = |index: usize| condition_failed_at(&e, index);
                if failed_condition(0) {
                    // Another attempt stored this update's reply first; that one wins.
                    match self.stored_reply(x.update_id).await? {
                        Some(StoredReply::Answer(reply)) => Ok(Written::Reply(reply)),
                        _ => Err(Failure::retryable(anyhow!(
                            "reply for update {} changed meanwhile",
                            x.update_id
                        ))),
                    }
                } else if x.new_user && failed_condition(DIRECTORY) {
                    Ok(Written::NotNewUser)
                } else {
                    Err(sdk_err("TransactWriteItems", e))
                }
            }
        }
    }

    /// An atomic `ADD` of `delta` to one counter item.
    fn counter(
        &self,
        pk: String,
        sk: String,
        delta: &Delta,
        at_ms: i64,
    ) -> Result<TransactWriteItem> {
        let values = [
            delta.messages,
            delta.prompt_tokens,
            delta.completion_tokens,
            delta.cost_micros,
            delta.users,
            delta.conversations,
            delta.estimated_tokens,
        ];
        let mut adds = Vec::new();
        let mut update = Update::builder().table_name(&self.table);
        for (field, value) in COUNTER_FIELDS.iter().zip(values) {
            if value > 0 {
                // Names go through placeholders: `users` is a DynamoDB reserved word.
                adds.push(format!("#{field} :{field}"));
                update = update
                    .expression_attribute_names(format!("#{field}"), *field)
                    .expression_attribute_values(format!(":{field}"), n(value));
            }
        }
        let mut expression = format!("ADD {}", adds.join(", "));
        if let Some(ttl) = counter_ttl(&sk) {
            expression.push_str(" SET expires_at = if_not_exists(expires_at, :exp)");
            update = update.expression_attribute_values(":exp", n(at_ms / 1000 + ttl));
        }
        let update = update
            .set_key(Some(key(pk, sk)))
            .update_expression(expression)
            .build()
            .map_err(|e| Failure::permanent(anyhow!("{e}")))?;
        Ok(TransactWriteItem::builder().update(update).build())
    }

    async fn totals(&self, pk: String, sk: String) -> Result<BotTotals> {
        let item = self.get(pk, &sk, false).await?.unwrap_or_default();
        let num = |field: &str| match item.get(field) {
            Some(AttributeValue::N(v)) => v.parse().unwrap_or(0),
            _ => 0,
        };
        Ok(BotTotals {
            users: num("users"),
            conversations: num("conversations"),
            usage: Totals {
                messages: num("messages"),
                prompt_tokens: num("prompt_tokens"),
                completion_tokens: num("completion_tokens"),
                cost_micros: num("cost_micros"),
                estimated_tokens: num("estimated_tokens"),
            },
        })
    }
}

impl UsageStore for DynamoStore {
    async fn user_totals(&self, user: UserId, at_ms: i64) -> Result<[Totals; 3]> {
        let [day, month, all] = user_counter_keys(user, at_ms);
        let (day, month, all) = futures::try_join!(
            self.totals(day.0, day.1),
            self.totals(month.0, month.1),
            self.totals(all.0, all.1)
        )?;
        Ok([day.usage, month.usage, all.usage])
    }

    async fn bot_totals(&self, at_ms: i64) -> Result<[BotTotals; 2]> {
        let [day, all] = bot_counter_keys(at_ms);
        let (day, all) = futures::try_join!(self.totals(day.0, day.1), self.totals(all.0, all.1))?;
        Ok([day, all])
    }
}

impl UserStore for DynamoStore {
    async fn profile(&self, user: UserId) -> Result<UserProfile> {
        let Some(item) = self.get(user_pk(user), "PROFILE", false).await? else {
            return Ok(UserProfile::default());
        };
        let style = match (item.get("style_description"), item.get("style_samples")) {
            (Some(AttributeValue::S(description)), samples) => Some(StyleProfile {
                description: description.clone(),
                samples: match samples {
                    Some(AttributeValue::N(n)) => n.parse().unwrap_or(0),
                    _ => 0,
                },
            }),
            _ => None,
        };
        let persona = match item.get("persona") {
            Some(AttributeValue::S(json)) => serde_json::from_str(json)
                .map_err(|e| tracing::warn!(%user, error = %e, "unreadable stored persona; using the default"))
                .ok(),
            _ => None,
        };
        let number = |field: &str| match item.get(field) {
            Some(AttributeValue::N(v)) => v.parse::<i64>().unwrap_or(0),
            _ => 0,
        };
        Ok(UserProfile {
            known: true,
            credits: number("credits"),
            persona,
            style,
            style_enabled: !matches!(item.get("style_enabled"), Some(AttributeValue::Bool(false))),
            message_count: number("message_count").max(0) as u64,
            style_built_at_count: number("style_msg_count_at").max(0) as u64,
            sample_window_until_ms: number("sample_window_until"),
            settings: Settings {
                voice_replies: matches!(
                    item.get("voice_replies"),
                    Some(AttributeValue::Bool(true))
                ),
                show_transcript: matches!(
                    item.get("show_transcript"),
                    Some(AttributeValue::Bool(true))
                ),
                model: match item.get("model") {
                    Some(AttributeValue::S(m)) if !m.is_empty() => Some(m.clone()),
                    _ => None,
                },
            },
        })
    }

    async fn save_style_profile(
        &self,
        user: UserId,
        profile: &StyleProfile,
        at_ms: i64,
    ) -> Result<()> {
        // Remember how many messages there were, so the schedule can skip users with too
        // few new ones.
        self.update_profile(
            user,
            "SET style_description = :d, style_samples = :n, style_updated_at = :at, \
             style_msg_count_at = if_not_exists(message_count, :zero)",
            vec![
                (":zero", n(0)),
                (":d", s(&profile.description)),
                (":n", n(profile.samples)),
                (":at", n(at_ms)),
            ],
        )
        .await
    }

    async fn recent_user_messages(&self, user: UserId, limit: usize) -> Result<Vec<String>> {
        let items = self.newest(user_pk(user), "MSG#", limit).await?;
        Ok(items
            .into_iter()
            .filter_map(|mut i| match i.remove("text") {
                Some(AttributeValue::S(t)) => Some(t),
                _ => None,
            })
            .collect())
    }

    async fn set_style_enabled(&self, user: UserId, enabled: bool) -> Result<()> {
        self.update_profile(
            user,
            "SET style_enabled = :b",
            vec![(":b", AttributeValue::Bool(enabled))],
        )
        .await
    }

    async fn open_sample_window(&self, user: UserId, until_ms: i64) -> Result<()> {
        self.update_profile(
            user,
            "SET sample_window_until = :t",
            vec![(":t", n(until_ms))],
        )
        .await
    }

    async fn add_style_sample(
        &self,
        user: UserId,
        update: UpdateId,
        text: &str,
        at_ms: i64,
    ) -> Result<()> {
        let mut item = key(user_pk(user), format!("MSG#{at_ms:013}#{update}"));
        item.insert("text".into(), s(text));
        item.insert("kind".into(), s("forwarded"));
        item.insert("expires_at".into(), n(now_secs() + HISTORY_TTL));
        self.write(item).await
    }

    async fn job_cursor(&self, job: &str) -> Result<Option<String>> {
        Ok(self
            .get(format!("JOB#{job}"), "CURSOR", true)
            .await?
            .and_then(|mut i| match i.remove("cursor") {
                Some(AttributeValue::S(c)) => Some(c),
                _ => None,
            }))
    }

    async fn save_job_cursor(&self, job: &str, cursor: Option<&str>) -> Result<()> {
        let mut item = key(format!("JOB#{job}"), "CURSOR");
        item.insert("at".into(), n(now_ms()));
        if let Some(c) = cursor {
            item.insert("cursor".into(), s(c));
        }
        self.write(item).await
    }

    async fn mark_inactive(&self, user: UserId) -> Result<()> {
        self.update_profile(
            user,
            "SET active = :f, inactive_since = :now",
            vec![(":f", AttributeValue::Bool(false)), (":now", n(now_ms()))],
        )
        .await
    }

    async fn list_users(
        &self,
        cursor: Option<String>,
        page_size: usize,
    ) -> Result<(Vec<UserId>, Option<String>)> {
        let start = cursor.map(|sk| key("USERS", sk));
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", s("USERS"))
            .set_exclusive_start_key(start)
            .limit(page_size as i32)
            .send()
            .await
            .map_err(|e| sdk_err("Query", e))?;
        let users = out
            .items
            .unwrap_or_default()
            .iter()
            .filter_map(|i| match i.get("user_id") {
                Some(AttributeValue::N(n)) => n.parse().ok().map(UserId),
                _ => None,
            })
            .collect();
        let next = out
            .last_evaluated_key
            .and_then(|mut k| match k.remove("sk") {
                Some(AttributeValue::S(sk)) => Some(sk),
                _ => None,
            });
        Ok((users, next))
    }
}

impl CreditStore for DynamoStore {
    async fn grant_credits(
        &self,
        user: UserId,
        delta: i64,
        by: UserId,
        update: UpdateId,
    ) -> Result<i64> {
        let at = now_ms();
        // The guard makes a redelivered /grant a no-op.
        let mut guard = key(update_pk(update), "GRANT");
        guard.insert("expires_at".into(), n(now_secs() + REPLY_TTL));
        let mut entry = key(user_pk(user), format!("LEDGER#{at:013}#{update}"));
        entry.insert("delta".into(), n(delta));
        entry.insert("reason".into(), s(format!("grant by {by}")));
        entry.insert("update_id".into(), n(update.0));
        let balance = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(user_pk(user), "PROFILE")))
            .update_expression("ADD credits :d")
            .expression_attribute_values(":d", n(delta))
            .build()
            .map_err(|e| Failure::permanent(anyhow!("{e}")))?;
        let items = vec![
            self.put_new(guard)?,
            TransactWriteItem::builder().update(balance).build(),
            self.put(entry)?,
        ];
        match self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) if condition_failed_at(&e, 0) => {}
            Err(e) => return Err(sdk_err("TransactWriteItems", e)),
        }
        Ok(self.profile(user).await?.credits)
    }
}

impl PersonaStore for DynamoStore {
    async fn set_persona(&self, user: UserId, choice: &PersonaChoice) -> Result<()> {
        let json = serde_json::to_string(choice).map_err(Failure::permanent)?;
        self.update_profile(
            user,
            "SET persona = :p, persona_updated_at = :now",
            vec![(":p", s(json)), (":now", n(now_ms()))],
        )
        .await
    }

    async fn change_setting(&self, owner: UserId, change: &SettingChange) -> Result<()> {
        let (field, value) = match change {
            SettingChange::VoiceReplies(on) => ("voice_replies", AttributeValue::Bool(*on)),
            SettingChange::ShowTranscript(on) => ("show_transcript", AttributeValue::Bool(*on)),
            // An empty string is "the default model".
            SettingChange::Model(m) => ("model", s(m.clone().unwrap_or_default())),
        };
        self.update_profile(
            owner,
            &format!("SET {field} = :v, settings_updated_at = :now"),
            vec![(":v", value), (":now", n(now_ms()))],
        )
        .await
    }
}

impl DeliveryLog for DynamoStore {
    async fn was_delivered(&self, delivery_id: &str) -> Result<bool> {
        Ok(self
            .get(format!("DLV#{delivery_id}"), "SENT", true)
            .await?
            .is_some())
    }

    async fn mark_delivered(&self, delivery_id: &str) -> Result<()> {
        let mut item = key(format!("DLV#{delivery_id}"), "SENT");
        item.insert("at".into(), n(now_ms()));
        item.insert("expires_at".into(), n(now_secs() + DELIVERY_TTL));
        self.write(item).await
    }
}

/// The TTL cache used when no Redis is configured. DynamoDB deletes expired items only
/// eventually (within days), so expiry is checked on every read.
#[derive(Clone, Debug)]
pub struct DynamoCache {
    store: DynamoStore,
}

impl DynamoCache {
    pub fn new(store: DynamoStore) -> Self {
        Self { store }
    }
}

impl Cache for DynamoCache {
    async fn get(&self, cache_key: &str) -> Result<Option<String>> {
        let Some(item) = self
            .store
            .get(format!("CACHE#{cache_key}"), "CACHE", false)
            .await?
        else {
            return Ok(None);
        };
        let expires_ms = match item.get("expires_at_ms") {
            Some(AttributeValue::N(n)) => n.parse::<i64>().unwrap_or(0),
            _ => 0,
        };
        if expires_ms <= now_ms() {
            return Ok(None);
        }
        Ok(match item.get("value") {
            Some(AttributeValue::S(v)) => Some(v.clone()),
            _ => None,
        })
    }

    async fn set(&self, cache_key: &str, value: &str, ttl: Duration) -> Result<()> {
        let expires_ms = now_ms() + ttl.as_millis() as i64;
        let mut item = key(format!("CACHE#{cache_key}"), "CACHE");
        item.insert("value".into(), s(value));
        // Millisecond expiry for the read-time check; whole seconds for DynamoDB's TTL sweep.
        item.insert("expires_at_ms".into(), n(expires_ms));
        item.insert("expires_at".into(), n(expires_ms / 1000 + 1));
        self.store.write(item).await
    }
}

/// Stored like a cache entry (`CACHE#cap:<feature>`), expiry checked on read.
impl CapabilityLog for DynamoStore {
    async fn is_missing(&self, feature: &str) -> Result<bool> {
        let cache = DynamoCache::new(self.clone());
        Ok(cache.get(&format!("cap:{feature}")).await?.is_some())
    }

    async fn mark_missing(&self, feature: &str, ttl: Duration) -> Result<()> {
        let cache = DynamoCache::new(self.clone());
        cache.set(&format!("cap:{feature}"), "missing", ttl).await
    }
}

/// A generation older than this is over whatever its item says (a crashed container).
const GENERATION_TTL: i64 = 15 * 60;
/// Held fragments are answered within seconds; the item outlives a crash by a little.
const FRAGMENTS_TTL: i64 = 3600;

impl GenerationLog for DynamoStore {
    async fn begin_generation(&self, chat: ChatId, draft_id: i64) -> Result<()> {
        let mut item = key(chat_pk(chat), "GENERATING");
        item.insert("draft_id".into(), n(draft_id));
        item.insert("cancelled".into(), AttributeValue::Bool(false));
        item.insert("at".into(), n(now_ms()));
        item.insert("expires_at".into(), n(now_secs() + GENERATION_TTL));
        self.write(item).await
    }

    async fn generation_cancelled(&self, chat: ChatId, draft_id: i64) -> Result<bool> {
        let Some(item) = self.get(chat_pk(chat), "GENERATING", true).await? else {
            return Ok(false);
        };
        let same =
            matches!(item.get("draft_id"), Some(AttributeValue::N(d)) if d.parse() == Ok(draft_id));
        Ok(same && matches!(item.get("cancelled"), Some(AttributeValue::Bool(true))))
    }

    async fn end_generation(&self, chat: ChatId, draft_id: i64) -> Result<()> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(chat_pk(chat), "GENERATING")))
            // A newer generation in the same chat keeps its item.
            .condition_expression("draft_id = :d")
            .expression_attribute_values(":d", n(draft_id))
            .send()
            .await;
        written("DeleteItem", result).map(|_| ())
    }

    async fn cancel_generation(&self, chat: ChatId, draft_id: Option<i64>) -> Result<bool> {
        let mut request = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(chat_pk(chat), "GENERATING")))
            .update_expression("SET cancelled = :t")
            .expression_attribute_values(":t", AttributeValue::Bool(true))
            .expression_attribute_values(":now", n(now_secs()));
        // An expired item may linger: TTL deletion is lazy.
        let live = "attribute_exists(pk) AND expires_at > :now";
        request = match draft_id {
            Some(d) => request
                .condition_expression(format!("{live} AND draft_id = :d"))
                .expression_attribute_values(":d", n(d)),
            None => request.condition_expression(live),
        };
        written("UpdateItem", request.send().await)
    }
}

impl FragmentStore for DynamoStore {
    async fn held_fragments(&self, chat: ChatId) -> Result<HeldFragments> {
        let Some(item) = self.get(chat_pk(chat), "FRAGMENTS", true).await? else {
            return Ok(HeldFragments::default());
        };
        let messages = match item.get("messages") {
            Some(AttributeValue::S(json)) => serde_json::from_str::<Vec<IncomingMessage>>(json)
                .map_err(|e| Failure::permanent(anyhow!("unreadable held fragments: {e}")))?,
            _ => Vec::new(),
        };
        let claimed_by = match item.get("claimed_by") {
            Some(AttributeValue::N(u)) => u.parse().ok().map(UpdateId),
            _ => None,
        };
        Ok(HeldFragments {
            messages,
            claimed_by,
        })
    }

    async fn hold_fragments(
        &self,
        chat: ChatId,
        messages: &[IncomingMessage],
        replacing: Option<UpdateId>,
    ) -> Result<bool> {
        let Some(last) = messages.last() else {
            return Ok(true);
        };
        let mut item = key(chat_pk(chat), "FRAGMENTS");
        item.insert(
            "messages".into(),
            s(serde_json::to_string(messages).map_err(Failure::permanent)?),
        );
        item.insert("last_update".into(), n(last.update_id.0));
        item.insert("expires_at".into(), n(now_secs() + FRAGMENTS_TTL));
        let request = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item));
        let request = match replacing {
            None => request.condition_expression("attribute_not_exists(pk)"),
            Some(u) => request
                .condition_expression("last_update = :r AND attribute_not_exists(claimed_by)")
                .expression_attribute_values(":r", n(u.0)),
        };
        written("PutItem", request.send().await)
    }

    async fn claim_fragments(&self, chat: ChatId, last: UpdateId, by: UpdateId) -> Result<bool> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(chat_pk(chat), "FRAGMENTS")))
            .update_expression("SET claimed_by = :by")
            .condition_expression(
                "last_update = :last AND (attribute_not_exists(claimed_by) OR claimed_by = :by)",
            )
            .expression_attribute_values(":by", n(by.0))
            .expression_attribute_values(":last", n(last.0))
            .send()
            .await;
        written("UpdateItem", result)
    }

    async fn release_fragments(&self, chat: ChatId, by: UpdateId) -> Result<()> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(chat_pk(chat), "FRAGMENTS")))
            .condition_expression("claimed_by = :by")
            .expression_attribute_values(":by", n(by.0))
            .send()
            .await;
        written("DeleteItem", result).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turn_keys_sort_by_time_then_update_then_role() {
        let a = turn_sk(1_700_000_000_000, UpdateId(9), "0");
        let b = turn_sk(1_700_000_000_000, UpdateId(9), "1");
        let c = turn_sk(1_700_000_000_000, UpdateId(10), "0");
        let d = turn_sk(1_700_000_000_001, UpdateId(1), "0");
        let mut keys = vec![d.clone(), c.clone(), b.clone(), a.clone()];
        keys.sort();
        assert_eq!(keys, vec![a, b, c, d]);
    }
}
