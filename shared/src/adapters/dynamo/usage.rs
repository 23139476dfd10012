//! Usage: the exchange transaction (reply, turns, usage record, counters) and the
//! per-user and bot-wide counters `UsageStore` reads.

#[allow(clippy::wildcard_imports)]
use super::*;

/// What one event adds to the counters.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Delta {
    pub(super) messages: u64,
    pub(super) prompt_tokens: u64,
    pub(super) completion_tokens: u64,
    pub(super) cost_micros: u64,
    pub(super) users: u64,
    pub(super) conversations: u64,
    /// Of the tokens, how many are our estimate (the provider did not report them).
    pub(super) estimated_tokens: u64,
}

pub(super) const COUNTER_FIELDS: [&str; 7] = [
    "messages",
    "prompt_tokens",
    "completion_tokens",
    "cost_micros",
    "users",
    "conversations",
    "estimated_tokens",
];

/// Daily counters are kept for 400 days, monthly ones for 800; totals forever.
pub(super) fn user_counter_keys(user: UserId, at_ms: i64) -> [(String, String); 3] {
    [
        (user_pk(user), format!("STATS#D#{}", day_key(at_ms))),
        (user_pk(user), format!("STATS#M#{}", month_key(at_ms))),
        (user_pk(user), "STATS#ALL".to_owned()),
    ]
}

pub(super) fn bot_counter_keys(at_ms: i64) -> [(String, String); 2] {
    [
        ("STATS".to_owned(), format!("D#{}", day_key(at_ms))),
        ("STATS".to_owned(), "ALL".to_owned()),
    ]
}

pub(super) fn counter_ttl(sk: &str) -> Option<i64> {
    if sk.contains("D#") {
        Some(400 * DAY)
    } else if sk.contains("M#") {
        Some(800 * DAY)
    } else {
        None
    }
}

pub(super) enum Written {
    Reply(String),
    /// The exchange was written as a new user's, but the user already exists.
    NotNewUser,
}

/// The exchange's items in one transaction, by name: a failed condition is reported by
/// position, and the names say which position is which.
#[derive(Default)]
pub(super) struct Transaction {
    items: Vec<TransactWriteItem>,
    names: Vec<&'static str>,
}

impl Transaction {
    pub(super) fn add(&mut self, name: &'static str, item: TransactWriteItem) {
        self.items.push(item);
        self.names.push(name);
    }

    /// Where `name` is, to match a `ConditionalCheckFailed` cancellation reason.
    pub(super) fn slot(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| *n == name)
    }

    pub(super) fn into_items(self) -> Vec<TransactWriteItem> {
        self.items
    }
}

/// The stored answer, keyed by the update (read by every redelivery).
fn reply_item(x: &Exchange, now: i64) -> HashMap<String, AttributeValue> {
    let mut reply = key(update_pk(x.update_id), gave_up::REPLY);
    reply.insert("text".into(), s(&x.reply));
    reply.insert("chat_id".into(), n(x.conversation.chat.0));
    reply.insert("at".into(), n(x.at_ms));
    reply.insert("expires_at".into(), n(now + REPLY_TTL));
    reply
}

fn turn_item(x: &Exchange, now: i64, role: Role, text: &str, suffix: &str) -> TurnItem {
    TurnItem {
        pk: chat_pk(x.conversation),
        sk: turn_sk(x.at_ms, x.update_id, suffix),
        role: Some(role),
        text: text.to_owned(),
        kind: None,
        at: x.at_ms,
        expires_at: now + HISTORY_TTL,
    }
}

fn usage_item(x: &Exchange) -> HashMap<String, AttributeValue> {
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
    usage
}

/// The user's words, for their style profile.
fn sample_item(x: &Exchange, now: i64) -> HashMap<String, AttributeValue> {
    let mut sample = key(
        user_pk(x.user.id),
        format!("MSG#{:013}#{}", x.at_ms, x.update_id),
    );
    sample.insert("text".into(), s(&x.user_text));
    sample.insert("expires_at".into(), n(now + HISTORY_TTL));
    sample
}

fn ledger_item(x: &Exchange) -> HashMap<String, AttributeValue> {
    let mut entry = key(
        user_pk(x.user.id),
        format!("LEDGER#{:013}#{}", x.at_ms, x.update_id),
    );
    entry.insert("delta".into(), n(-(x.credits_used as i64)));
    entry.insert("reason".into(), s("usage"));
    entry.insert("update_id".into(), n(x.update_id.0));
    entry
}

/// What the exchange adds to every counter.
fn delta_of(x: &Exchange) -> Delta {
    let tokens = u64::from(x.usage.prompt_tokens) + u64::from(x.usage.completion_tokens);
    Delta {
        messages: 1,
        prompt_tokens: u64::from(x.usage.prompt_tokens),
        completion_tokens: u64::from(x.usage.completion_tokens),
        cost_micros: x.cost_micros.unwrap_or(0),
        users: u64::from(x.new_user),
        conversations: u64::from(x.new_user),
        estimated_tokens: if x.usage.estimated { tokens } else { 0 },
    }
}

impl DynamoStore {
    pub(super) async fn write_exchange(&self, x: &Exchange) -> Result<Written> {
        let tx = self.exchange_transaction(x)?;
        let (reply, directory) = (tx.slot("reply"), tx.slot("directory"));
        let result = self
            .client
            .transact_write_items()
            .set_transact_items(Some(tx.into_items()))
            .send()
            .await;
        let Err(e) = result else {
            return Ok(Written::Reply(x.reply.clone()));
        };
        let failed = |slot: Option<usize>| slot.is_some_and(|i| condition_failed_at(&e, i));
        if failed(reply) {
            // Another attempt stored this update's reply first; that one wins.
            return match self.stored_reply(x.update_id).await? {
                Some(StoredReply::Answer(reply)) => Ok(Written::Reply(reply)),
                _ => Err(Failure::retryable(anyhow!(
                    "reply for update {} changed meanwhile",
                    x.update_id
                ))),
            };
        }
        if x.new_user && failed(directory) {
            return Ok(Written::NotNewUser);
        }
        Err(sdk_err("TransactWriteItems", e))
    }

    fn exchange_transaction(&self, x: &Exchange) -> Result<Transaction> {
        let now = now_secs();
        let mut tx = Transaction::default();
        tx.add(
            "reply",
            self.put_if(reply_item(x, now), gave_up::ANSWER_CONDITION)?,
        );
        let user_turn = turn_item(x, now, Role::User, &x.user_text, "0");
        tx.add("user turn", self.put(to_item(&user_turn)?)?);
        let assistant_turn = turn_item(x, now, Role::Assistant, &x.reply, "1");
        tx.add("assistant turn", self.put(to_item(&assistant_turn)?)?);
        tx.add("usage", self.put(usage_item(x))?);
        tx.add("sample", self.put(sample_item(x, now))?);
        let mut directory = key("USERS", format!("USER#{}", x.user.id));
        directory.insert("user_id".into(), n(x.user.id.0));
        // A new user's directory entry is created only if absent, so the users counter
        // cannot count anyone twice; a lost race shows up as that condition failing.
        let directory = if x.new_user {
            self.put_new(directory)?
        } else {
            self.put(directory)?
        };
        tx.add("directory", directory);
        tx.add("profile", self.profile_update(x)?);
        if x.credits_used > 0 {
            tx.add("ledger", self.put(ledger_item(x))?);
        }
        let delta = delta_of(x);
        for (pk, sk) in user_counter_keys(x.user.id, x.at_ms)
            .into_iter()
            .chain(bot_counter_keys(x.at_ms))
        {
            tx.add("counter", self.counter(pk, sk, &delta, x.at_ms)?);
        }
        Ok(tx)
    }

    /// The profile's name, activity and message count (and credits spent), in one update.
    fn profile_update(&self, x: &Exchange) -> Result<TransactWriteItem> {
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
        if x.credits_used > 0 {
            names.insert("#cr".into(), "credits".into());
            values.insert(":spent".into(), n(-(x.credits_used as i64)));
            add.push_str(", #cr :spent");
        }
        let profile = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(user_pk(x.user.id), "PROFILE")))
            .update_expression(format!("{set} ADD {add}"))
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .build()
            .map_err(|e| Failure::permanent(anyhow!("{e}")))?;
        Ok(TransactWriteItem::builder().update(profile).build())
    }

    /// An atomic `ADD` of `delta` to one counter item.
    pub(super) fn counter(
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

    pub(super) async fn totals(&self, pk: String, sk: String) -> Result<BotTotals> {
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
