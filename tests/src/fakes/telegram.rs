//! Telegram, in memory: what the processor showed while it worked (drafts, "typing…"),
//! with when, and scripted answers to drafts.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use shared::domain::{ChatId, MemberStatus, OutgoingMessage, UserId};
use shared::ports::{Draft, RemoteFile, TelegramError, TelegramLookup, TelegramSend};
use tokio::time::Instant;

use super::lock;

/// One call, with the (virtual) time it was made and the time it was answered.
#[derive(Clone, Debug)]
pub struct Sent {
    pub method: &'static str,
    pub text: String,
    pub draft_id: i64,
    pub at: Instant,
    pub answered: Instant,
    pub ok: bool,
}

/// A draft's scripted answer: after `takes`, this result.
pub type DraftAnswer = (Duration, Result<(), TelegramError>);

#[derive(Default)]
pub struct FakeTelegram {
    sent: Mutex<Vec<Sent>>,
    drafts: Mutex<VecDeque<DraftAnswer>>,
}

impl FakeTelegram {
    /// The next drafts are answered so (then: at once, accepted).
    pub fn answer_drafts(&self, answers: impl IntoIterator<Item = DraftAnswer>) {
        lock(&self.drafts).extend(answers);
    }

    pub fn sent(&self) -> Vec<Sent> {
        lock(&self.sent).clone()
    }

    pub fn drafts(&self) -> Vec<Sent> {
        self.sent()
            .into_iter()
            .filter(|s| s.method == "sendMessageDraft")
            .collect()
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
        self.record("sendMessage", &m.text, 0, Instant::now(), true);
        Ok(())
    }

    async fn send_document(&self, m: &OutgoingMessage) -> Result<(), TelegramError> {
        self.record("sendDocument", &m.text, 0, Instant::now(), true);
        Ok(())
    }

    async fn send_draft(&self, draft: &Draft) -> Result<(), TelegramError> {
        let at = Instant::now();
        let (takes, result) = lock(&self.drafts)
            .pop_front()
            .unwrap_or((Duration::ZERO, Ok(())));
        tokio::time::sleep(takes).await;
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
        _: Option<&str>,
        _: bool,
    ) -> Result<(), TelegramError> {
        Ok(())
    }

    async fn send_typing(&self, _: ChatId, _: Option<i64>) -> Result<(), TelegramError> {
        self.record("sendChatAction", "typing", 0, Instant::now(), true);
        Ok(())
    }

    async fn send_voice(&self, m: &OutgoingMessage, _: &[u8], _: u32) -> Result<(), TelegramError> {
        self.record("sendVoice", &m.text, 0, Instant::now(), true);
        Ok(())
    }
}

impl TelegramLookup for FakeTelegram {
    async fn get_chat_member(&self, _: &str, _: UserId) -> Result<MemberStatus, TelegramError> {
        Ok(MemberStatus::Member)
    }

    async fn get_chat_administrators(&self, _: ChatId) -> Result<Vec<UserId>, TelegramError> {
        Ok(Vec::new())
    }

    async fn get_file(&self, file_id: &str) -> Result<RemoteFile, TelegramError> {
        Ok(RemoteFile {
            path: format!("files/{file_id}"),
            size: Some(100),
        })
    }

    async fn download(&self, _: &RemoteFile) -> Result<Vec<u8>, TelegramError> {
        Ok(vec![0xff, 0xd8, 0xff, 0xe0])
    }
}
