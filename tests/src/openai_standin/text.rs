//! The deterministic reply text, and the token estimates usage, output limits and context
//! sizes are counted in.

use serde_json::Value;

/// Roughly four characters a token, as OpenAI's own rule of thumb says.
pub(crate) fn tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4).max(1)
}

/// `text` cut to `limit` tokens of the estimate above, or None when it fits.
pub(crate) fn cut_to(text: &str, limit: u64) -> Option<String> {
    if tokens(text) <= limit {
        return None;
    }
    let chars = usize::try_from(limit.saturating_mul(4)).unwrap_or(usize::MAX);
    Some(text.chars().take(chars).collect())
}

/// Prompt tokens of a chat request: each message's text plus four for its framing.
pub(crate) fn prompt_tokens(request: &Value) -> u64 {
    request["messages"]
        .as_array()
        .map(|ms| {
            ms.iter()
                .map(|m| tokens(m["content"].as_str().unwrap_or_default()) + 4)
                .sum()
        })
        .unwrap_or(0)
}

/// The text of the newest user message in a chat request.
pub(crate) fn last_user_text(request: &Value) -> String {
    request["messages"]
        .as_array()
        .and_then(|ms| ms.iter().rev().find(|m| m["role"] == "user"))
        .map(|m| content_text(&m["content"]))
        .unwrap_or_default()
}

/// What the bot would hear back for a chat completion request.
pub fn reply_text(request: &Value) -> String {
    let messages = request["messages"].as_array().cloned().unwrap_or_default();
    let last_user = last_user_text(request);
    let earlier = messages
        .iter()
        .filter(|m| m["role"] == "user" || m["role"] == "assistant")
        .count()
        .saturating_sub(1);
    let system = messages
        .iter()
        .find(|m| m["role"] == "system")
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default();
    describe(system, &last_user, earlier)
}

/// The instructions and input of a Responses API request, as text.
pub(crate) fn responses_input(request: &Value) -> (String, String) {
    let instructions = request["instructions"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // A plain string, or message items whose content lists text and images.
    let input = match &request["input"] {
        Value::String(text) => text.clone(),
        Value::Array(items) => items
            .iter()
            .map(|item| content_text(&item["content"]))
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    };
    (instructions, input)
}

/// A message's text; for a multi-part message (text and images), its text parts with
/// `[image: <mime>, <n> bytes]` for each picture, so tests see what the model was shown.
fn content_text(content: &Value) -> String {
    if let Some(text) = content.as_str() {
        return text.to_owned();
    }
    let parts = content.as_array().cloned().unwrap_or_default();
    parts
        .iter()
        .map(|p| match p["type"].as_str() {
            Some("text" | "input_text") => p["text"].as_str().unwrap_or_default().to_owned(),
            Some(kind @ ("image_url" | "input_image")) => {
                // Chat Completions nests the URL; the Responses API does not.
                let url = if kind == "image_url" {
                    p["image_url"]["url"].as_str()
                } else {
                    p["image_url"].as_str()
                };
                describe_image(url.unwrap_or_default())
            }
            _ => String::new(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn describe_image(url: &str) -> String {
    match url
        .strip_prefix("data:")
        .and_then(|rest| rest.split_once(";base64,"))
    {
        Some((mime, data)) => {
            let padding = data.bytes().rev().take_while(|&b| b == b'=').count();
            format!("[image: {mime}, {} bytes]", data.len() / 4 * 3 - padding)
        }
        None => format!("[image at a URL: {url}]"),
    }
}

/// The deterministic reply: who the instructions make the bot, what the user said, how
/// much history came along, and whether a style profile was included.
pub(crate) fn describe(system: &str, last_user: &str, earlier: usize) -> String {
    // Who the system prompt says the bot is: a custom name, else the relationship.
    let who = system
        .split_once("Your name is ")
        .and_then(|(_, rest)| rest.split_once('.'))
        .map(|(name, _)| name.to_owned())
        .or_else(|| {
            system
                .split_once("You are their ")
                .and_then(|(_, rest)| rest.split_once(':'))
                .map(|(who, _)| format!("your {who}"))
        })
        .unwrap_or_else(|| "no persona".to_owned());
    let styled = system.contains("Their style:");
    format!(
        "[{who}] You said \u{201c}{last_user}\u{201d}. I can see {earlier} earlier message{s} of ours{style}.",
        s = if earlier == 1 { "" } else { "s" },
        style = if styled {
            ", and I'm writing in your style"
        } else {
            ""
        },
    )
}
