//! Telegram, in memory: what the bot showed (drafts, "typing…", messages, toasts), with
//! when, scripted answers to drafts, and scripted lookups and failures.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::lock;
use crate::domain::{ChatId, MemberStatus, OutgoingMessage, UserId};
use crate::ports::{Draft, RemoteFile, TelegramError, TelegramLookup, TelegramSend};

/// One call, with the (virtual) time it was made and the time it was answered.
#[derive(Clone, Debug)]
pub struct Sent {
    /// The Bot API method.
    pub method: &'static str,
    /// The text shown (a draft's, a message's, a toast's).
    pub text: String,
    /// The draft's id; 0 for other methods.
    pub draft_id: i64,
    /// When the call was made.
    pub at: Instant,
    /// When it was answered.
    pub answered: Instant,
    /// Whether Telegram accepted it.
    pub ok: bool,
}

/// A draft's scripted answer: after `takes`, this result.
pub type DraftAnswer = (Duration, Result<(), TelegramError>);

/// Telegram in memory. Unscripted, every call succeeds, everyone is a member, and no one
/// is an admin.
#[derive(Default)]
pub struct FakeTelegram {
    sent: Mutex<Vec<Sent>>,
    drafts: Mutex<VecDeque<DraftAnswer>>,
    /// Failures for the next calls of a method, in order.
    failures: Mutex<HashMap<&'static str, VecDeque<TelegramError>>>,
    members: Mutex<HashMap<UserId, MemberStatus>>,
    admins: Mutex<HashMap<ChatId, Vec<UserId>>>,
    lookups: Mutex<usize>,
}

impl FakeTelegram {
    /// The next drafts are answered so (then: at once, accepted).
    pub fn answer_drafts(&self, answers: impl IntoIterator<Item = DraftAnswer>) {
        lock(&self.drafts).extend(answers);
    }

    /// The next call of `method` (a Bot API name, e.g. `"getChatMember"`) fails so.
    pub fn fail(&self, method: &'static str, error: TelegramError) {
        lock(&self.failures)
            .entry(method)
            .or_default()
            .push_back(error);
    }

    /// `getChatMember` answers `status` for `user` (unscripted: a member).
    pub fn set_member(&self, user: UserId, status: MemberStatus) {
        lock(&self.members).insert(user, status);
    }

    /// `getChatAdministrators` answers `admins` for `chat` (unscripted: nobody).
    pub fn set_admins(&self, chat: ChatId, admins: Vec<UserId>) {
        lock(&self.admins).insert(chat, admins);
    }

    /// How many lookups (`getChatMember`, `getChatAdministrators`) were made.
    pub fn lookups(&self) -> usize {
        *lock(&self.lookups)
    }

    /// Every call, in order.
    pub fn sent(&self) -> Vec<Sent> {
        lock(&self.sent).clone()
    }

    /// The drafts shown, in order.
    pub fn drafts(&self) -> Vec<Sent> {
        self.calls("sendMessageDraft")
    }

    /// The calls of one method, in order.
    pub fn calls(&self, method: &str) -> Vec<Sent> {
        self.sent()
            .into_iter()
            .filter(|s| s.method == method)
            .collect()
    }

    fn scripted_failure(&self, method: &'static str) -> Option<TelegramError> {
        lock(&self.failures).get_mut(method)?.pop_front()
    }

    /// Records a call and answers it: with a scripted failure if one is due.
    fn answer(&self, method: &'static str, text: &str, draft_id: i64) -> Result<(), TelegramError> {
        let failure = self.scripted_failure(method);
        self.record(method, text, draft_id, Instant::now(), failure.is_none());
        failure.map_or(Ok(()), Err)
    }

    fn record(&self, method: &'static str, text: &str, draft_id: i64, at: Instant, ok: bool) {
        lock(&self.sent).push(Sent {
            method,
            text: text.to_owned(),
            draft_id,
            at,
            answered: Instant::now(),
            ok,
        });
    }
}

impl TelegramSend for FakeTelegram {
    async fn send_message(&self, m: &OutgoingMessage) -> Result<(), TelegramError> {
        self.answer("sendMessage", &m.text, 0)
    }

    async fn send_document(&self, m: &OutgoingMessage) -> Result<(), TelegramError> {
        self.answer("sendDocument", &m.text, 0)
    }

    async fn send_draft(&self, draft: &Draft) -> Result<(), TelegramError> {
        let at = Instant::now();
        let (takes, result) = lock(&self.drafts)
            .pop_front()
            .unwrap_or((Duration::ZERO, Ok(())));
        tokio::time::sleep(takes).await;
        let result = match self.scripted_failure("sendMessageDraft") {
            Some(e) => Err(e),
            None => result,
        };
        self.record(
            "sendMessageDraft",
            &draft.text,
            draft.draft_id,
            at,
            result.is_ok(),
        );
        result
    }

    async fn answer_callback(
        &self,
        _: &str,
        text: Option<&str>,
        _: bool,
    ) -> Result<(), TelegramError> {
        self.answer("answerCallbackQuery", text.unwrap_or_default(), 0)
    }

    async fn send_typing(&self, _: ChatId, _: Option<i64>) -> Result<(), TelegramError> {
        self.answer("sendChatAction", "typing", 0)
    }

    async fn send_voice(&self, m: &OutgoingMessage, _: &[u8], _: u32) -> Result<(), TelegramError> {
        self.answer("sendVoice", &m.text, 0)
    }
}

impl TelegramLookup for FakeTelegram {
    async fn get_chat_member(&self, _: &str, user: UserId) -> Result<MemberStatus, TelegramError> {
        *lock(&self.lookups) += 1;
        self.answer("getChatMember", "", 0)?;
        Ok(lock(&self.members)
            .get(&user)
            .cloned()
            .unwrap_or(MemberStatus::Member))
    }

    async fn get_chat_administrators(&self, chat: ChatId) -> Result<Vec<UserId>, TelegramError> {
        *lock(&self.lookups) += 1;
        self.answer("getChatAdministrators", "", 0)?;
        Ok(lock(&self.admins).get(&chat).cloned().unwrap_or_default())
    }

    async fn get_file(&self, file_id: &str) -> Result<RemoteFile, TelegramError> {
        self.answer("getFile", file_id, 0)?;
        Ok(RemoteFile {
            path: format!("files/{file_id}"),
            size: Some(100),
        })
    }

    async fn download(&self, file: &RemoteFile) -> Result<Vec<u8>, TelegramError> {
        self.answer("download", &file.path, 0)?;
        // A JPEG's first bytes: enough for the photo path to take it for an image.
        Ok(vec![0xff, 0xd8, 0xff, 0xe0])
    }
}
