//! Usage totals, summed from the stored exchanges and resets (DynamoStore keeps them as
//! counters; summing is the same arithmetic without the items).

use super::{FakeStore, R, State};
use crate::domain::budget::{Budget, Hold};
use crate::domain::usage::{day_key, month_key};
use crate::domain::{BotTotals, Totals, UpdateId, UserId};
use crate::ports::{Exchange, UsageStore};

fn add(totals: &mut Totals, x: &Exchange) {
    let prompt = u64::from(x.usage.prompt_tokens);
    let completion = u64::from(x.usage.completion_tokens);
    totals.messages += 1;
    totals.prompt_tokens += prompt;
    totals.completion_tokens += completion;
    totals.cost_micros += x.cost_micros.unwrap_or(0);
    if x.usage.estimated {
        totals.estimated_tokens += prompt + completion;
    }
}

/// Totals of the exchanges `within` lets through.
fn totals(state: &State, within: impl Fn(&Exchange) -> bool) -> Totals {
    let mut totals = Totals::default();
    for x in state.exchanges.iter().filter(|x| within(x)) {
        add(&mut totals, x);
    }
    totals
}

fn bot(state: &State, within: impl Fn(i64) -> bool) -> BotTotals {
    let new_users = state
        .exchanges
        .iter()
        .filter(|x| x.new_user && within(x.at_ms))
        .count() as u64;
    let resets = state.resets.values().filter(|at| within(**at)).count() as u64;
    BotTotals {
        users: new_users,
        // A first message opens a conversation, and so does each /reset.
        conversations: new_users + resets,
        usage: totals(state, |x| within(x.at_ms)),
    }
}

fn user_totals(state: &State, user: UserId, at_ms: i64) -> [Totals; 3] {
    let (day, month) = (day_key(at_ms), month_key(at_ms));
    let mine = |x: &Exchange| x.user.id == user;
    [
        totals(state, |x| mine(x) && day_key(x.at_ms) == day),
        totals(state, |x| mine(x) && month_key(x.at_ms) == month),
        totals(state, mine),
    ]
}

impl UsageStore for FakeStore {
    async fn user_totals(&self, user: UserId, at_ms: i64) -> R<[Totals; 3]> {
        let state = self.enter("user_totals")?;
        Ok(user_totals(&state, user, at_ms))
    }

    async fn user_budget(&self, user: UserId, at_ms: i64, _consistent: bool) -> R<Budget> {
        let state = self.enter("user_budget")?;
        let (holds, version) = state.holds.get(&user).cloned().unwrap_or_default();
        Ok(Budget {
            totals: user_totals(&state, user, at_ms),
            holds,
            version,
            metered: true,
        })
    }

    async fn hold(&self, user: UserId, read: &Budget, hold: &Hold, at_ms: i64) -> R<bool> {
        let mut state = self.enter("hold")?;
        let (holds, version) = state.holds.entry(user).or_default();
        if *version != read.version {
            return Ok(false);
        }
        holds.retain(|h| h.until_ms > at_ms);
        holds.push(*hold);
        *version += 1;
        Ok(true)
    }

    async fn release_hold(&self, user: UserId, update: UpdateId) -> R<()> {
        let mut state = self.enter("release_hold")?;
        if let Some((holds, _)) = state.holds.get_mut(&user) {
            holds.retain(|h| h.update != update.0);
        }
        Ok(())
    }

    async fn bot_totals(&self, at_ms: i64) -> R<[BotTotals; 2]> {
        let state = self.enter("bot_totals")?;
        let day = day_key(at_ms);
        Ok([bot(&state, |at| day_key(at) == day), bot(&state, |_| true)])
    }
}
