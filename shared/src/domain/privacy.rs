//! `/forget`: what a user's erasure covers, and the rules around its confirmation.
//!
//! What is deleted: everything kept under the user's own id (their profile, persona,
//! settings, style, usage, credits, directory entry) and their private chat's conversation
//! (every turn, note, title, closed conversation, held fragment and stop request, and the
//! provider-side conversation in Responses mode). In a group, the conversation is the
//! group's: it stays, but holds no link to the user (exchanges in groups do not record who
//! wrote them). Bot-wide statistics keep their sums, which name nobody.

use serde::{Deserialize, Serialize};

/// A confirmation pressed this long after `/forget` has expired: the user asks again, so
/// a button left on screen for days cannot delete what was written since.
pub const CONFIRM_WITHIN_SECS: i64 = 15 * 60;

/// Whether a confirmation for a `/forget` sent at `asked_at` (Unix seconds) is still good.
pub fn confirmation_fresh(asked_at: i64, now_ms: i64) -> bool {
    let now = now_ms.div_euclid(1000);
    // A clock behind Telegram's by a few seconds is not an expired button.
    (asked_at - 60..=asked_at + CONFIRM_WITHIN_SECS).contains(&now)
}

/// What an erasure found and deleted, by kind, for the user's report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erased {
    /// Answered messages (both turns each) and the older one-turn items, in their private chat.
    pub messages: u64,
    /// Running summaries (notes) of their conversations.
    pub notes: u64,
    /// Conversations: the current one's title and those closed by `/reset`.
    pub conversations: u64,
    /// Style samples (forwards after `/new_style`, and older per-message copies).
    pub samples: u64,
    /// Everything else kept under their id: profile, persona, settings, style profile,
    /// usage meter and counters, usage records, credit ledger, directory entry, markers.
    pub records: u64,
    /// Provider-side conversations (Responses mode) deleted at the provider.
    pub server_conversations: u64,
}

impl Erased {
    /// Nothing was there to delete.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Every item counted, for the log.
    pub fn total(&self) -> u64 {
        self.messages
            + self.notes
            + self.conversations
            + self.samples
            + self.records
            + self.server_conversations
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confirmation_expires() {
        let asked = 1_700_000_000;
        assert!(confirmation_fresh(asked, asked * 1000));
        assert!(confirmation_fresh(
            asked,
            (asked + CONFIRM_WITHIN_SECS) * 1000
        ));
        assert!(!confirmation_fresh(
            asked,
            (asked + CONFIRM_WITHIN_SECS + 1) * 1000
        ));
        assert!(confirmation_fresh(asked, (asked - 30) * 1000));
        assert!(!confirmation_fresh(asked, (asked - 120) * 1000));
    }

    #[test]
    fn counts_add_up() {
        let e = Erased {
            messages: 3,
            records: 2,
            server_conversations: 1,
            ..Erased::default()
        };
        assert_eq!(e.total(), 6);
        assert!(!e.is_empty());
        assert!(Erased::default().is_empty());
    }
}
