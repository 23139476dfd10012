//! The items one answered message leaves in its conversation.

use serde::{Deserialize, Serialize};

use super::Record;

/// `CHAT#<conv>` / `T#<sent ms:13>#<update:20>#X`: one answered message, whole. The user's
/// words, the reply and what the reply cost, in one item: it is both turns of the history
/// (read by the same query as the older one-turn items), the update's stored answer (found
/// again from the message alone) and its usage record. One item instead of four takes the
/// message's transaction from 8 transactional writes to 2.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeItem {
    pub pk: String,
    pub sk: String,
    /// The user's turn.
    pub text: String,
    /// The assistant's turn, and the stored answer; its presence tells an exchange from
    /// a last word at the same key.
    pub reply: String,
    /// Who wrote `text`: in a private chat only (its user); absent in groups, whose
    /// conversation names none of its members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<i64>,
    pub model: String,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub response_ms: u64,
    /// Absent when the model has no configured price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_micros: Option<u64>,
    /// Present (and true) only when the token counts are our estimate.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
    /// When it was answered (Unix ms).
    pub at: i64,
    pub expires_at: i64,
}

impl Record for ExchangeItem {
    const KIND: &'static str = "exchange";
}
