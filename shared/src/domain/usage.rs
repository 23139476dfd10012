use serde::{Deserialize, Serialize};

/// What one model call cost, recorded with every assistant turn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub model: String,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub response_ms: u64,
}
