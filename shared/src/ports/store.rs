//! Storage ports: one small trait per thing the handlers keep.

use super::*;
use crate::domain::Lang;

/// What the update log says about an update the webhook has just received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Not on the queue yet (a first sighting, or a delivery that died before the update
    /// was recorded): enqueue it; the FIFO deduplication id keeps it single.
    New,
    /// Noted by an older version before its enqueue, which may not have happened; enqueue
    /// again, as for `New`.
    Unfinished,
    /// Already enqueued: a Telegram retry to drop.
    Done,
}

/// The webhook's record of updates seen, so a Telegram retry is not enqueued twice.
pub trait UpdateLog: Sync {
    /// Whether `id` still needs enqueueing (a read; nothing is written).
    fn claim_update(&self, id: UpdateId) -> impl Future<Output = Result<Claim>> + Send;
    /// Marks `id` as on the inbound queue: later deliveries of it read as `Done`.
    fn mark_enqueued(&self, id: UpdateId) -> impl Future<Output = Result<()>> + Send;
}

/// Where the answer to one message is kept: found again from the message alone, so a
/// redelivered record reads it before asking the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplySlot {
    /// The conversation the message belongs to.
    pub conversation: ConvId,
    /// The update that carried it.
    pub update_id: UpdateId,
    /// When the user sent it (Telegram's date, Unix ms): it places the exchange in the
    /// conversation, in the order the user wrote.
    pub sent_ms: i64,
}

impl ReplySlot {
    /// The slot of the answer to `message`.
    pub fn of(message: &IncomingMessage) -> Self {
        Self {
            conversation: message.conversation(),
            update_id: message.update_id,
            sent_ms: message.sent_ms(),
        }
    }
}

/// Everything one answered message leaves behind, written atomically.
#[derive(Clone, Debug)]
pub struct Exchange {
    /// The update answered: its reply is stored under it, once.
    pub update_id: UpdateId,
    /// When the user sent it (Unix ms): with the update, where the exchange is kept.
    pub sent_ms: i64,
    /// Where the user's turn and the reply are added.
    pub conversation: ConvId,
    /// Who wrote: their profile, counters and credits are updated.
    pub user: Person,
    /// What the user wrote: their turn, and a sample of their style.
    pub user_text: String,
    /// The bot's answer: its turn, and the reply stored for the update.
    pub reply: String,
    /// What the model call cost: kept per message and added to the counters.
    pub usage: Usage,
    /// `None` when the model has no configured price.
    pub cost_micros: Option<u64>,
    /// First answered message of this user: counts a new user and conversation.
    pub new_user: bool,
    /// The user's name or username differs from their profile's, or they were inactive:
    /// the profile is rewritten (otherwise it is left alone).
    pub profile_changed: bool,
    /// Tokens to take from the user's credits (answered over a limit).
    pub credits_used: u64,
    /// A hold was made for this call (`UsageStore::hold`): the exchange releases it.
    pub held: bool,
    /// When it was answered (Unix ms): picks the day and month counted.
    pub at_ms: i64,
    /// Positions of the turns this exchange replaces (`/retry`), deleted with its writing.
    pub replaces: Vec<String>,
}

impl Exchange {
    /// Where its reply is kept.
    pub fn slot(&self) -> ReplySlot {
        ReplySlot {
            conversation: self.conversation,
            update_id: self.update_id,
            sent_ms: self.sent_ms,
        }
    }
}

/// The conversation's turns, notes, and the exchange written per answered message.
pub trait HistoryStore: Sync {
    /// The current conversation: its running summary and turns since, newest first, at
    /// most `limit`.
    fn recent_history(
        &self,
        conv: ConvId,
        limit: usize,
    ) -> impl Future<Output = Result<History>> + Send;
    /// Records `summary` as covering every turn up to and including `through_key`.
    fn save_summary(
        &self,
        conv: ConvId,
        through_key: &str,
        summary: &str,
    ) -> impl Future<Output = Result<()>> + Send;
    /// The reply already produced for this update, or the word the processor gave up
    /// with, if any: the processor's exactly-once guard.
    fn stored_reply(
        &self,
        slot: ReplySlot,
    ) -> impl Future<Output = Result<Option<StoredReply>>> + Send;
    /// Stores the exchange (both turns, its usage, the reply) in one transaction (replacing a last word: a
    /// redrive's answer). If another attempt already stored a reply for this update, stores
    /// nothing and returns that reply.
    fn record_exchange(&self, exchange: &Exchange) -> impl Future<Output = Result<String>> + Send;
}

/// Conversations as things: the current one, the closed ones, the provider-side one.
pub trait ConversationIndex: Sync {
    /// The provider-side conversation of this conversation (Responses mode), if one was started.
    fn server_conversation(
        &self,
        conv: ConvId,
    ) -> impl Future<Output = Result<Option<String>>> + Send;
    /// Remembers (or, with `None`, forgets) the conversation's provider-side conversation.
    fn set_server_conversation(
        &self,
        conv: ConvId,
        id: Option<&str>,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Notes the first message of the chat's current conversation, its title to be.
    fn begin_conversation(
        &self,
        conv: ConvId,
        title: &str,
        at_ms: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Closed conversations, newest first.
    fn conversation_list(
        &self,
        conv: ConvId,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<ClosedConversation>>> + Send;
    /// Closes the current conversation; idempotent per update.
    fn start_new_conversation(
        &self,
        conv: ConvId,
        id: UpdateId,
        at_ms: i64,
    ) -> impl Future<Output = Result<()>> + Send;
}

/// `HistoryStore` and `ConversationIndex`, for handlers that need all of it; each part is its
/// own port.
pub trait ConversationStore: HistoryStore + ConversationIndex {}

impl<T: HistoryStore + ConversationIndex> ConversationStore for T {}

/// A user's (or group's) profile: persona, settings, activity.
pub trait ProfileStore: Sync {
    /// Persona, settings and style, in one read: a user's, or a group's.
    fn profile(&self, owner: Owner) -> impl Future<Output = Result<UserProfile>> + Send;
    /// Records that Telegram refuses their chat: the bot was blocked, or removed from a group.
    fn mark_inactive(&self, user: UserId) -> impl Future<Output = Result<()>> + Send;
    /// Their `/language` choice alone (`None`: they follow their Telegram app), for a stage
    /// that answers with a text of its own and reads no profile otherwise.
    fn language(&self, user: UserId) -> impl Future<Output = Result<Option<Lang>>> + Send;
}

/// Style samples and the style profile built from them.
pub trait StyleStore: Sync {
    /// Stores a new style and the message count then, so the schedule waits for new ones.
    fn save_style_profile(
        &self,
        user: UserId,
        profile: &StyleProfile,
        at_ms: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// The user's own messages to the bot, newest first.
    fn recent_user_messages(
        &self,
        user: UserId,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<String>>> + Send;
    /// `/style on` or `off`: whether replies imitate them; the profile is kept either way.
    fn set_style_enabled(
        &self,
        user: UserId,
        enabled: bool,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Forwarded messages count as style samples until `until_ms`.
    fn open_sample_window(
        &self,
        user: UserId,
        until_ms: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Stores a style sample that was not a message to the bot (a forward); idempotent
    /// per update.
    fn add_style_sample(
        &self,
        user: UserId,
        update: UpdateId,
        text: &str,
        at_ms: i64,
    ) -> impl Future<Output = Result<()>> + Send;
}

/// Known users, paged, and where a paged job stopped.
pub trait UserDirectory: Sync {
    /// Where a paged job stopped; `None` to start from the beginning.
    fn job_cursor(&self, job: &str) -> impl Future<Output = Result<Option<String>>> + Send;
    /// Records where a paged job stopped (`None`: it finished), for the next run to resume.
    fn save_job_cursor(
        &self,
        job: &str,
        cursor: Option<&str>,
    ) -> impl Future<Output = Result<()>> + Send;
    /// One page of known users, for the scheduled style refresh. `cursor` is opaque.
    fn list_users(
        &self,
        cursor: Option<String>,
        page_size: usize,
    ) -> impl Future<Output = Result<(Vec<UserId>, Option<String>)>> + Send;
}

/// `ProfileStore` and `StyleStore` and `UserDirectory`, for handlers that need all of it; each
/// part is its own port.
pub trait UserStore: ProfileStore + StyleStore + UserDirectory {}

impl<T: ProfileStore + StyleStore + UserDirectory> UserStore for T {}

/// Counters kept by `record_exchange` and `start_new_conversation`; never scanned.
pub trait UsageStore: Sync {
    /// Today, this month and all time (UTC) for one user, as of `at_ms`.
    fn user_totals(
        &self,
        user: UserId,
        at_ms: i64,
    ) -> impl Future<Output = Result<[Totals; 3]>> + Send;
    /// Today and all time for the whole bot.
    fn bot_totals(&self, at_ms: i64) -> impl Future<Output = Result<[BotTotals; 2]>> + Send;
    /// The user's meter as budgets read it: totals as of `at_ms`, holds, version.
    fn user_budget(
        &self,
        user: UserId,
        at_ms: i64,
        consistent: bool,
    ) -> impl Future<Output = Result<Budget>> + Send;
    /// Adds `hold` to the meter (dropping holds expired by `at_ms`) if it is still at
    /// `read`'s version. False when something else changed it first: read it again.
    fn hold(
        &self,
        user: UserId,
        read: &Budget,
        hold: &Hold,
        at_ms: i64,
    ) -> impl Future<Output = Result<bool>> + Send;
    /// Lets go of the hold for `update` (its call failed or was not made). Idempotent.
    fn release_hold(
        &self,
        user: UserId,
        update: UpdateId,
    ) -> impl Future<Output = Result<()>> + Send;
}

/// Tokens an admin grants (`/grant`) that a user may spend beyond their limits.
pub trait CreditStore: Sync {
    /// Adds `delta` tokens to `user`'s credits (negative takes back), records a ledger
    /// entry, and returns the new balance. Idempotent per update.
    fn grant_credits(
        &self,
        user: UserId,
        delta: i64,
        by: UserId,
        update: UpdateId,
    ) -> impl Future<Output = Result<i64>> + Send;
}

/// Persona and `/settings`, per owner: a user in private, a group (by its chat id) in groups.
pub trait PersonaStore: Sync {
    /// Stores the owner's `/persona` choice; their next reply speaks as it.
    fn set_persona(
        &self,
        owner: Owner,
        choice: &PersonaChoice,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Applies one `/settings` change (voice replies, transcripts, the model).
    fn change_setting(
        &self,
        owner: Owner,
        change: &SettingChange,
    ) -> impl Future<Output = Result<()>> + Send;
}

/// What the sender has sent, so an outbox record delivered twice is not shown twice.
pub trait DeliveryLog: Sync {
    /// Whether this message, part or voice note was already sent.
    fn was_delivered(&self, delivery_id: &DeliveryId) -> impl Future<Output = Result<bool>> + Send;
    /// Records it as sent: a redelivered record skips it.
    fn mark_delivered(&self, delivery_id: &DeliveryId) -> impl Future<Output = Result<()>> + Send;
}

/// A group became a supergroup (a new chat id): its conversation, persona and settings
/// move with it. Idempotent.
pub trait ChatMigrationStore: Sync {
    /// Moves what is kept under the old group's `from` to the supergroup's `to`.
    fn migrate_chat(&self, from: ChatId, to: ChatId) -> impl Future<Output = Result<()>> + Send;
}

/// What is stored for an update the processor has been through: its answer, or the word
/// it gave up with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoredReply {
    /// The reply produced before: sent again as it is, not generated anew.
    Answer(String),
    /// The processor gave up and told the user: the same word is repeated.
    LastWord(GaveUp),
}

/// Updates the processor gave up on, kept where their answer would be: a record that
/// comes back after the user was told (its function died before SQS heard, or SQS handed
/// it over twice) finds the word with the same read that finds an answer, and repeats it
/// instead of answering after all. An answer already stored is never replaced by a word;
/// a redrive's answer replaces the word.
pub trait GiveUpLog: Sync {
    /// Keeps the word the user was told, unless an answer for `id` is already stored.
    fn record_gave_up(
        &self,
        slot: ReplySlot,
        word: &GaveUp,
    ) -> impl Future<Output = Result<()>> + Send;
}

/// Features an OpenAI-compatible server may lack (vision, audio, the Responses API), once
/// found missing: remembered for a while so the bot stops calling what is not there.
pub trait CapabilityLog: Sync {
    /// Whether `feature` was found missing and is not yet due to be tried again.
    fn is_missing(&self, feature: &str) -> impl Future<Output = Result<bool>> + Send;
    /// Remembers `feature` as missing for `ttl`, for every container.
    fn mark_missing(&self, feature: &str, ttl: Duration)
    -> impl Future<Output = Result<()>> + Send;
}

/// A string cache with expiry. Misses and expired entries both read as `None`.
pub trait Cache: Sync {
    /// The value under `key`, unless it was never set or has expired.
    fn get(&self, key: &str) -> impl Future<Output = Result<Option<String>>> + Send;
    /// Stores `value` under `key` for `ttl`, replacing what was there.
    fn set(&self, key: &str, value: &str, ttl: Duration)
    -> impl Future<Output = Result<()>> + Send;
    /// Removes `key` (nothing to remove is not an error).
    fn delete(&self, key: &str) -> impl Future<Output = Result<()>> + Send;
}

/// `/forget`: every item kept about one user, found by key and partition (never by a
/// scan), deleted in batches. Each step is idempotent, so a job cut short is finished by
/// its redelivery.
pub trait Eraser: Sync {
    /// The provider-side conversations (Responses mode) of the user's private chat, to
    /// delete at the provider before their ids are deleted here.
    fn server_conversations_of(
        &self,
        user: UserId,
    ) -> impl Future<Output = Result<Vec<String>>> + Send;
    /// Deletes every item about `user` and returns what there was. The count is kept under
    /// the confirming `update`, so a redelivery after a crash reports the first attempt's
    /// findings rather than what was left.
    fn erase_user(
        &self,
        user: UserId,
        update: UpdateId,
    ) -> impl Future<Output = Result<crate::domain::privacy::Erased>> + Send;
}

/// Per-person counters of messages in one-minute windows, for the rate limit.
pub trait RateCounter: Sync {
    /// Counts one more message of `user` in `window` (see `domain::rate`) and returns the
    /// count in it so far, this one included. One atomic request.
    fn count_message(&self, user: UserId, window: i64) -> impl Future<Output = Result<u64>> + Send;

    /// Drops every count kept for `user` (`/forget`): they name the user until they expire.
    fn forget_counts(&self, user: UserId) -> impl Future<Output = Result<()>> + Send;
}
