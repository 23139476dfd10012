//! What the model says to one request, and the output limit it must keep to.

use serde_json::Value;

use super::text::{cut_to, tokens};
use super::{Endpoint, Profile};

/// What the model says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Said {
    /// Generated text; `cut` when the output limit ended it early.
    Text { text: String, cut: bool },
    /// A refusal in the `refusal` field (structured outputs), no content.
    Refusal(String),
    /// Stopped by the content filter: no text at all.
    Filtered,
}

impl Said {
    /// `text` as generated under `limit` tokens.
    pub(crate) fn generated(text: String, limit: Option<u64>) -> Self {
        match limit.and_then(|l| cut_to(&text, l)) {
            Some(cut) => Said::Text {
                text: cut,
                cut: true,
            },
            None => Said::Text { text, cut: false },
        }
    }

    pub(crate) fn finish_reason(&self) -> &'static str {
        match self {
            Said::Text { cut: true, .. } => "length",
            Said::Text { .. } | Said::Refusal(_) => "stop",
            Said::Filtered => "content_filter",
        }
    }

    /// The content text, if any.
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Said::Text { text, .. } => Some(text),
            _ => None,
        }
    }

    pub(crate) fn refusal(&self) -> Option<&str> {
        match self {
            Said::Refusal(text) => Some(text),
            _ => None,
        }
    }

    /// The text the model produced, whichever field it went to.
    pub(crate) fn produced(&self) -> &str {
        self.text().or(self.refusal()).unwrap_or_default()
    }

    pub(crate) fn completion_tokens(&self) -> u64 {
        match self {
            Said::Filtered => 0,
            _ => tokens(self.produced()),
        }
    }
}

fn number(request: &Value, key: &str) -> Option<u64> {
    request.get(key).and_then(Value::as_u64)
}

/// The output limit a request carried, however it was named.
pub(crate) fn carried_limit(endpoint: Endpoint, request: &Value) -> Option<u64> {
    match endpoint {
        Endpoint::Chat => {
            number(request, "max_completion_tokens").or_else(|| number(request, "max_tokens"))
        }
        Endpoint::Responses => number(request, "max_output_tokens"),
        _ => None,
    }
}

/// The output limit the server keeps to. llama-cpp-python's request model has no
/// `max_completion_tokens` and ignores unknown keys, so there only `max_tokens` counts.
pub(crate) fn honoured_limit(profile: Profile, endpoint: Endpoint, request: &Value) -> Option<u64> {
    match (profile, endpoint) {
        (Profile::LlamaCpp, Endpoint::Chat) => number(request, "max_tokens"),
        _ => carried_limit(endpoint, request),
    }
}

/// Why a model request without a usable output limit breaks the rule, or None.
pub(crate) fn missing_limit(
    profile: Profile,
    endpoint: Endpoint,
    request: &Value,
) -> Option<String> {
    let lacking = match endpoint {
        Endpoint::Chat | Endpoint::Responses => {
            honoured_limit(profile, endpoint, request).is_none()
        }
        _ => false,
    };
    if !lacking {
        return None;
    }
    Some(match (profile, endpoint) {
        (Profile::LlamaCpp, _) if carried_limit(endpoint, request).is_some() => {
            "llama.cpp ignores `max_completion_tokens`: without `max_tokens` it generates until \
             the context is full"
                .to_owned()
        }
        (_, Endpoint::Chat) => {
            "no output limit (`max_tokens` or `max_completion_tokens`)".to_owned()
        }
        _ => "no output limit (`max_output_tokens`)".to_owned(),
    })
}
