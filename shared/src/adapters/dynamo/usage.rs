//! Usage: the exchange transaction (reply, turns, usage record, counters) and the
//! per-user and bot-wide counters `UsageStore` reads.

use super::meter::{Base, meter_totals, meter_update, user_gains};
#[allow(clippy::wildcard_imports)]
use super::*;
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use items::{CounterItem, DirectoryItem, ExchangeItem, LedgerItem, ProfileTotalsItem};

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

impl Delta {
    /// Each counter attribute (as `CounterItem` names it) and what it gains.
    pub(super) fn fields(&self) -> [(&'static str, u64); 7] {
        [
            ("messages", self.messages),
            ("prompt_tokens", self.prompt_tokens),
            ("completion_tokens", self.completion_tokens),
            ("cost_micros", self.cost_micros),
            ("users", self.users),
            ("conversations", self.conversations),
            ("estimated_tokens", self.estimated_tokens),
        ]
    }
}

/// The day counter versions before the meter added a user's message to. (A month was the
/// sum of its days, and all time was kept on the profile.)
pub(super) fn user_counter_keys(user: UserId, at_ms: i64) -> [Key; 1] {
    [keys::user_day_counter(user, at_ms)]
}

pub(super) enum Written {
    Reply(String),
    /// The exchange was written as a new user's, but the user already exists.
    NotNewUser,
    /// The meter is not as read: another message of the user counted meanwhile.
    MeterMoved,
}

/// The exchange: both turns, the stored answer and the usage record, in one item.
fn exchange_item(x: &Exchange) -> ExchangeItem {
    let Key { pk, sk } = keys::exchange(x.conversation, x.sent_ms, x.update_id);
    ExchangeItem {
        pk,
        sk,
        text: x.user_text.clone(),
        reply: x.reply.clone(),
        // In a group the conversation is the group's: who wrote what is not kept, so a
        // member's /forget leaves no link to them there.
        user_id: (x.conversation.chat.get() == x.user.id.get()).then(|| x.user.id.get()),
        model: x.usage.model.clone(),
        prompt_tokens: x.usage.prompt_tokens,
        completion_tokens: x.usage.completion_tokens,
        response_ms: x.usage.response_ms,
        cost_micros: x.cost_micros,
        estimated: x.usage.estimated,
        at: x.at_ms,
        expires_at: secs(x.at_ms) + HISTORY_TTL,
    }
}

fn directory_item(x: &Exchange) -> DirectoryItem {
    let Key { pk, sk } = keys::directory_entry(x.user.id);
    DirectoryItem {
        pk,
        sk,
        user_id: x.user.id.get(),
    }
}

fn ledger_item(x: &Exchange) -> LedgerItem {
    let Key { pk, sk } = keys::ledger_entry(x.user.id, x.at_ms, x.update_id);
    LedgerItem {
        pk,
        sk,
        delta: -(x.credits_used as i64),
        reason: "usage".to_owned(),
        update_id: x.update_id.0,
    }
}

/// What the exchange adds to every counter.
pub(super) fn delta_of(x: &Exchange) -> Delta {
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

/// The profile's name and activity (and credits spent), in one update: written only when
/// one of them changes (`needs_profile_update`). Usage is counted on the meter.
fn profile_update(x: &Exchange) -> Result<UpdateBuilder> {
    let mut update = Update::builder()
        .expression_attribute_names("#fn", "first_name")
        .expression_attribute_names("#active", "active")
        .expression_attribute_names("#upd", "updated_at")
        .expression_attribute_values(":fn", value(&x.user.first_name)?)
        .expression_attribute_values(":true", value(true)?)
        .expression_attribute_values(":now", value(x.at_ms)?);
    let mut set = "SET #fn = :fn, #active = :true, #upd = :now".to_owned();
    match &x.user.username {
        Some(username) => {
            update = update
                .expression_attribute_names("#un", "username")
                .expression_attribute_values(":un", value(username)?);
            set.push_str(", #un = :un");
        }
        None => set.push_str(" REMOVE username"),
    }
    if x.credits_used > 0 {
        update = update
            .expression_attribute_names("#cr", "credits")
            .expression_attribute_values(":spent", value(-(x.credits_used as i64))?);
        set.push_str(" ADD #cr :spent");
    }
    Ok(update.update_expression(set))
}

/// Whether the exchange changes the profile: a new user's, a changed name, a user back
/// after blocking the bot, or credits spent.
fn needs_profile_update(x: &Exchange) -> bool {
    x.new_user || x.profile_changed || x.credits_used > 0
}

impl DynamoStore {
    pub(super) async fn write_exchange(&self, x: &Exchange, meter: &Base) -> Result<Written> {
        let refused = match self
            .exchange_transaction(x, meter)?
            .commit(&self.client)
            .await?
        {
            Committed::Yes => {
                let shard = keys::bot_shard(x.user.id.get());
                self.count_for_bot(shard, &delta_of(x), x.at_ms).await;
                return Ok(Written::Reply(x.reply.clone()));
            }
            Committed::Refused(refused) => refused,
        };
        if refused.on("reply") {
            // Another attempt stored this update's reply first; that one wins.
            return match self.stored_reply(x.slot()).await? {
                Some(StoredReply::Answer(reply)) => Ok(Written::Reply(reply)),
                _ => Err(Failure::retryable(anyhow!(
                    "reply for update {} changed meanwhile",
                    x.update_id
                ))),
            };
        }
        if x.new_user && refused.on("directory") {
            return Ok(Written::NotNewUser);
        }
        if refused.on("meter") {
            return Ok(Written::MeterMoved);
        }
        Err(refused.into_error())
    }

    fn exchange_transaction(&self, x: &Exchange, meter: &Base) -> Result<Transaction<'_>> {
        let mut tx = Transaction::new(&self.table);
        // Turns, answer and usage record in one item; no style sample either: the user's
        // words in it are one (`recent_user_messages` reads them).
        tx.put_if("reply", &exchange_item(x), gave_up::ANSWER_CONDITION)?;
        // The user's usage: budgets read it, so it is counted exactly once, here. The
        // bot-wide counters are added after the commit (`bot_stats`).
        let delta = delta_of(x);
        let mut update = meter_update(&user_gains(&delta), x.at_ms, meter)?;
        if x.held {
            update = super::holds::settle(update, meter, x.update_id)?;
        }
        tx.update("meter", keys::meter(x.user.id), update)?;
        // Written on first contact only: it never changes after. Created only if absent,
        // so the users counter cannot count anyone twice; a lost race shows up as that
        // condition failing.
        if x.new_user {
            tx.put_new("directory", &directory_item(x))?;
        }
        if needs_profile_update(x) {
            tx.update("profile", keys::profile(x.user.id), profile_update(x)?)?;
        }
        if x.credits_used > 0 {
            tx.put("ledger", &ledger_item(x))?;
        }
        // `/retry`: the answer written again takes the old one's place.
        for (sk, name) in x.replaces.iter().zip(["replaced", "replaced-2"]) {
            let key = keys::Key {
                pk: keys::chat_pk(x.conversation),
                sk: sk.clone(),
            };
            tx.delete(name, key)?;
        }
        Ok(tx)
    }

    /// The month of `at_ms` for `user`: the sum of its day counters, in one Query.
    async fn month_totals(&self, user: UserId, at_ms: i64) -> Result<BotTotals> {
        let days: Vec<CounterItem> = self
            .newest(keys::user_pk(user), &keys::user_days_of_month(at_ms), 31)
            .await?;
        Ok(days.iter().fold(BotTotals::default(), |mut sum, c| {
            sum.usage.messages += c.messages;
            sum.usage.prompt_tokens += c.prompt_tokens;
            sum.usage.completion_tokens += c.completion_tokens;
            sum.usage.cost_micros += c.cost_micros;
            sum.usage.estimated_tokens += c.estimated_tokens;
            sum
        }))
    }

    /// The counters at `key`; zero before anything was counted there.
    pub(super) async fn totals(&self, key: Key) -> Result<BotTotals> {
        let counters: CounterItem = self.get(key, false).await?.unwrap_or_default();
        Ok(BotTotals {
            users: counters.users,
            conversations: counters.conversations,
            usage: Totals {
                messages: counters.messages,
                prompt_tokens: counters.prompt_tokens,
                completion_tokens: counters.completion_tokens,
                cost_micros: counters.cost_micros,
                estimated_tokens: counters.estimated_tokens,
            },
        })
    }
}

/// All-time usage before the meter: what the profile counted in 2026-12, plus the
/// `STATS#ALL` item versions before that kept. Messages were always counted on the profile.
fn all_time(before: &Totals, profile: &ProfileTotalsItem) -> Totals {
    Totals {
        messages: profile.message_count,
        prompt_tokens: before.prompt_tokens + profile.prompt_tokens,
        completion_tokens: before.completion_tokens + profile.completion_tokens,
        cost_micros: before.cost_micros + profile.cost_micros,
        estimated_tokens: before.estimated_tokens + profile.estimated_tokens,
    }
}

impl DynamoStore {
    /// Today, this month and all time as versions before the meter counted them: the day
    /// counters, the profile's totals and the `STATS#ALL` item before those. Read for a
    /// user who has no meter yet, once: the meter starts from it.
    pub(super) async fn counted_before_meter(
        &self,
        user: UserId,
        at_ms: i64,
    ) -> Result<[Totals; 3]> {
        let [day] = user_counter_keys(user, at_ms);
        let (day, month, before, profile) = futures::try_join!(
            self.totals(day),
            self.month_totals(user, at_ms),
            self.totals(keys::user_total_counter(user)),
            self.get::<ProfileTotalsItem>(keys::profile(user), true),
        )?;
        Ok([
            day.usage,
            month.usage,
            all_time(&before.usage, &profile.unwrap_or_default()),
        ])
    }
}

impl UsageStore for DynamoStore {
    async fn user_totals(&self, user: UserId, at_ms: i64) -> Result<[Totals; 3]> {
        match self.meter(user, false).await? {
            Some(meter) => Ok(meter_totals(&meter, at_ms)),
            None => Box::pin(self.counted_before_meter(user, at_ms)).await,
        }
    }

    async fn bot_totals(&self, at_ms: i64) -> Result<[BotTotals; 2]> {
        self.bot_stats(at_ms).await
    }

    async fn user_budget(
        &self,
        user: UserId,
        at_ms: i64,
        consistent: bool,
    ) -> Result<crate::domain::budget::Budget> {
        self.budget(user, at_ms, consistent).await
    }

    async fn hold(
        &self,
        user: UserId,
        read: &crate::domain::budget::Budget,
        hold: &crate::domain::budget::Hold,
        at_ms: i64,
    ) -> Result<bool> {
        self.add_hold(user, read, hold, at_ms).await
    }

    async fn release_hold(&self, user: UserId, update: UpdateId) -> Result<()> {
        self.release(user, update).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ChatId, Person, Usage};

    /// 2020-09-13T12:26:40.999Z: long past, so anything counted from the clock differs.
    const AT: i64 = 1_600_000_000_999;

    fn exchange(new_user: bool, credits_used: u64) -> Exchange {
        Exchange {
            update_id: UpdateId(7),
            sent_ms: AT - 1500,
            conversation: ChatId::new(5).into(),
            user: Person {
                id: UserId::new(5),
                first_name: "Ann".into(),
                username: None,
                language_code: None,
                is_chat: false,
            },
            user_text: "hi".into(),
            reply: "hello".into(),
            usage: Usage {
                model: "gpt".into(),
                prompt_tokens: 10,
                completion_tokens: 20,
                response_ms: 300,
                estimated: false,
            },
            cost_micros: None,
            new_user,
            profile_changed: false,
            credits_used,
            held: false,
            at_ms: AT,
            replaces: Vec::new(),
        }
    }

    #[test]
    fn an_exchange_expires_counted_from_its_own_time_and_sits_where_it_was_sent() {
        let x = exchange(false, 0);
        let item = exchange_item(&x);
        assert_eq!(item.expires_at, 1_600_000_000 + HISTORY_TTL);
        assert_eq!(
            item.sk,
            keys::exchange(x.conversation, AT - 1500, x.update_id).sk
        );
        assert_eq!((item.text.as_str(), item.reply.as_str()), ("hi", "hello"));
    }

    #[test]
    fn all_time_adds_what_the_old_total_item_kept_and_takes_messages_from_the_profile() {
        let before = Totals {
            messages: 5,
            prompt_tokens: 100,
            completion_tokens: 50,
            cost_micros: 7,
            estimated_tokens: 3,
        };
        let profile = ProfileTotalsItem {
            message_count: 8,
            prompt_tokens: 10,
            completion_tokens: 20,
            cost_micros: 1,
            estimated_tokens: 0,
        };
        assert_eq!(
            all_time(&before, &profile),
            Totals {
                messages: 8,
                prompt_tokens: 110,
                completion_tokens: 70,
                cost_micros: 8,
                estimated_tokens: 3,
            }
        );
    }

    #[test]
    fn the_profile_is_rewritten_only_when_it_changes_and_spends_credits_only_when_used() {
        let known = exchange(false, 0);
        assert!(!needs_profile_update(&known));
        for x in [
            exchange(true, 0),
            exchange(false, 30),
            Exchange {
                profile_changed: true,
                ..known.clone()
            },
        ] {
            assert!(needs_profile_update(&x), "{x:?}");
        }
        // Ann has no username: one she dropped is removed.
        let renamed = profile_update(&known).expect("update");
        assert_eq!(
            renamed.get_update_expression().as_deref(),
            Some("SET #fn = :fn, #active = :true, #upd = :now REMOVE username")
        );
        let paid = profile_update(&exchange(false, 30)).expect("update");
        assert_eq!(
            paid.get_update_expression().as_deref(),
            Some("SET #fn = :fn, #active = :true, #upd = :now REMOVE username ADD #cr :spent")
        );
        let values = paid
            .get_expression_attribute_values()
            .clone()
            .unwrap_or_default();
        assert_eq!(
            values[":spent"].as_n().ok().map(String::as_str),
            Some("-30")
        );
    }
}
