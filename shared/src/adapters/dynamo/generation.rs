//! `GenerationLog`: a chat's latest stop request (`STOP`), which the processor reads
//! while a reply streams. Nothing is written per reply, only per request.

#[allow(clippy::wildcard_imports)]
use super::*;
use crate::ports::Stop;
use items::StopItem;

/// A request older than this stops nothing: no reply streams that long.
pub(super) const STOP_TTL: i64 = 15 * 60;

/// What `item` asks to stop, if it still asks anything at `now_secs`.
fn stop_of(item: &StopItem, now_secs: i64) -> Option<Stop> {
    // An expired item may linger: TTL deletion is lazy.
    if item.expires_at <= now_secs {
        return None;
    }
    match (item.draft_id, item.before_update) {
        (Some(draft), _) => Some(Stop::Draft(draft)),
        (None, Some(update)) => Some(Stop::Before(UpdateId(update))),
        (None, None) => None,
    }
}

impl GenerationLog for DynamoStore {
    async fn stop_requested(&self, chat: ChatId, draft_id: i64, update: UpdateId) -> Result<bool> {
        // Eventually consistent: half the read units, and a stop a moment late is still
        // a stop.
        let item: Option<StopItem> = self.get(keys::stop_request(chat), false).await?;
        Ok(item
            .and_then(|item| stop_of(&item, now_secs()))
            .is_some_and(|stop| stop.reaches(draft_id, update)))
    }

    async fn request_stop(&self, chat: ChatId, stop: Stop) -> Result<()> {
        let Key { pk, sk } = keys::stop_request(chat);
        let (draft_id, before_update) = match stop {
            Stop::Draft(draft) => (Some(draft), None),
            Stop::Before(update) => (None, Some(update.0)),
        };
        let at = now_ms();
        self.write(&StopItem {
            pk,
            sk,
            draft_id,
            before_update,
            at,
            expires_at: secs(at) + STOP_TTL,
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(draft_id: Option<i64>, before_update: Option<u64>) -> StopItem {
        StopItem {
            pk: String::new(),
            sk: String::new(),
            draft_id,
            before_update,
            at: 0,
            expires_at: 100,
        }
    }

    #[test]
    fn a_stop_button_reaches_its_own_draft_and_cancel_every_reply_to_an_earlier_update() {
        let button = stop_of(&item(Some(7), None), 50).unwrap();
        assert!(button.reaches(7, UpdateId(1)));
        assert!(!button.reaches(8, UpdateId(1)));
        let cancel = stop_of(&item(None, Some(10)), 50).unwrap();
        assert!(cancel.reaches(8, UpdateId(9)));
        // Sent after the /cancel: not what it meant.
        assert!(!cancel.reaches(8, UpdateId(11)));
        // Expired, though not yet deleted; and an item that names nothing.
        assert_eq!(stop_of(&item(Some(7), None), 100), None);
        assert_eq!(stop_of(&item(None, None), 50), None);
    }
}
