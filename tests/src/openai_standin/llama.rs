//! How llama-cpp-python 0.3.36's server (`python -m llama_cpp.server`) answers, as recorded
//! from it (`fixtures/openai/4x-llamacpp-*`) and read in its source: FastAPI writes whole
//! answers as compact JSON in insertion order; streams go through `json.dumps`, so their
//! chunks have spaces after `:` and `,` and every non-ASCII character `\u`-escaped.

use serde_json::Value;

use super::bodies::{ResponseBody, reply};
use super::said::Said;
use super::sse::{StreamPlan, now, opaque_id, stream_pieces};
use super::text::prompt_tokens;
use crate::fixtures;
use hyper::Response;

/// Why llama.cpp fails a chat request before generating anything.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// A message's content is a list of parts: the chat template concatenates it as a
    /// string and raises a TypeError (SmolLM2's template; others may differ).
    ContentParts,
    /// The prompt does not fit the context window.
    ContextOverflow { prompt: u64, n_ctx: u64 },
}

/// What llama.cpp refuses in `request` with a context window of `n_ctx` tokens. The
/// template is rendered before the prompt is counted, so content parts fail first; only
/// the prompt counts against the window (`max_tokens` is shortened to fit instead).
pub(crate) fn refuses(request: &Value, n_ctx: Option<u64>) -> Option<Refused> {
    let messages = request["messages"].as_array()?;
    if messages.iter().any(|m| m["content"].is_array()) {
        return Some(Refused::ContentParts);
    }
    let prompt = prompt_tokens(request);
    n_ctx
        .filter(|&n| prompt >= n)
        .map(|n_ctx| Refused::ContextOverflow { prompt, n_ctx })
}

/// The whole answer to a refused request that does not stream. (A streamed one gets 200
/// and an empty stream: the error happens in the task that feeds it.)
pub(crate) fn refusal_reply(request: &Value, refused: &Refused) -> Response<ResponseBody> {
    match refused {
        Refused::ContentParts => reply(
            500,
            "application/json",
            fixtures::text("openai/43-llamacpp-error-500-content-parts.json"),
        ),
        Refused::ContextOverflow { prompt, n_ctx } => reply(
            400,
            "application/json",
            context_error(*n_ctx, *prompt, request["max_tokens"].as_u64()),
        ),
    }
}

/// llama-cpp-python's `context_length_exceeded` body. It formats the request's
/// `max_tokens` with Python's `str`, so a request without one reads "None in the completion".
pub(crate) fn context_error(n_ctx: u64, prompt: u64, max_tokens: Option<u64>) -> String {
    let completion = max_tokens.map_or("None".to_owned(), |m| m.to_string());
    let message = format!(
        "This model's maximum context length is {n_ctx} tokens. However, you requested {} \
         tokens ({prompt} in the messages, {completion} in the completion). Please reduce the \
         length of the messages or completion.",
        prompt + max_tokens.unwrap_or(0)
    );
    obj(
        &[(
            "error",
            obj(
                &[
                    ("message", string(&message, false)),
                    ("type", string("invalid_request_error", false)),
                    ("param", string("messages", false)),
                    ("code", string("context_length_exceeded", false)),
                ],
                Style::Compact,
            ),
        )],
        Style::Compact,
    )
}

/// FastAPI's 404 for a route the server does not have (`/v1/responses`, `/v1/audio/…`).
pub(crate) fn not_found() -> Response<ResponseBody> {
    reply(
        404,
        "application/json",
        fixtures::text("openai/44-llamacpp-error-404-not-found.json"),
    )
}

/// The server's answer to a wrong key when started with `--api_key` (`HTTPException`).
pub(crate) fn unauthorized() -> Response<ResponseBody> {
    reply(401, "application/json", r#"{"detail":"Invalid API key"}"#)
}

#[derive(Clone, Copy)]
enum Style {
    /// FastAPI's JSONResponse: `separators=(",", ":")`, UTF-8 as is.
    Compact,
    /// `json.dumps` defaults: `", "` and `": "`, non-ASCII escaped.
    Dumps,
}

/// A JSON string as Python writes it; `ascii` escapes everything outside ASCII in UTF-16
/// units, lowercase hex, as `json.dumps` does by default.
fn string(text: &str, ascii: bool) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ascii && !c.is_ascii()) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An object with its keys in the given order; values are already written.
fn obj(pairs: &[(&str, String)], style: Style) -> String {
    let (colon, comma) = match style {
        Style::Compact => (":", ","),
        Style::Dumps => (": ", ", "),
    };
    let fields: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}{colon}{v}", string(k, false)))
        .collect();
    format!("{{{}}}", fields.join(comma))
}

fn opt_string(text: Option<&str>, ascii: bool) -> String {
    text.map_or("null".to_owned(), |t| string(t, ascii))
}

/// `chatcmpl-` and a uuid4-shaped id, as llama-cpp-python names completions.
fn completion_id(serial: u64) -> String {
    let hex: String = opaque_id(serial, 32)
        .bytes()
        .map(|b| char::from(b"0123456789abcdef"[usize::from(b) % 16]))
        .collect();
    format!(
        "chatcmpl-{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// One streamed chunk, keys in llama-cpp-python's order.
fn chunk(id: &str, model: &str, created: u64, delta: String, finish: Option<&str>) -> String {
    let style = Style::Dumps;
    let choice = obj(
        &[
            ("index", "0".to_owned()),
            ("delta", delta),
            ("logprobs", "null".to_owned()),
            ("finish_reason", opt_string(finish, true)),
        ],
        style,
    );
    let body = obj(
        &[
            ("id", string(id, true)),
            ("model", string(model, true)),
            ("created", created.to_string()),
            ("object", string("chat.completion.chunk", true)),
            ("choices", format!("[{choice}]")),
        ],
        style,
    );
    format!("data: {body}\n\n")
}

/// A streamed chat completion as recorded (`41-…`): a role chunk, content chunks, a finish
/// chunk with an empty delta, `data: [DONE]`. No usage even when asked for, no
/// obfuscation, no system_fingerprint.
pub(crate) fn chat_stream(request: &Value, serial: u64, said: &Said) -> StreamPlan {
    let id = completion_id(serial);
    let model = request["model"].as_str().unwrap_or_default();
    let created = now();
    let field = if said.refusal().is_some() {
        "refusal"
    } else {
        "content"
    };
    let role = obj(&[("role", string("assistant", true))], Style::Dumps);
    let opening = vec![chunk(&id, model, created, role, None)];
    let pieces = stream_pieces(said.produced())
        .into_iter()
        .map(|piece| {
            let delta = obj(&[(field, string(&piece, true))], Style::Dumps);
            chunk(&id, model, created, delta, None)
        })
        .collect();
    let finish = chunk(&id, model, created, "{}".into(), Some(said.finish_reason()));
    StreamPlan::new(opening, pieces, vec![finish, "data: [DONE]\n\n".to_owned()])
}

/// A whole chat completion as recorded (`40-…`), usage included.
pub(crate) fn chat_completion(request: &Value, serial: u64, said: &Said) -> String {
    let style = Style::Compact;
    let prompt = prompt_tokens(request);
    let completion = said.completion_tokens();
    let mut message = vec![
        ("content", opt_string(said.text(), false)),
        ("role", string("assistant", false)),
    ];
    if let Some(refusal) = said.refusal() {
        message.push(("refusal", string(refusal, false)));
    }
    let choice = obj(
        &[
            ("index", "0".to_owned()),
            ("message", obj(&message, style)),
            ("logprobs", "null".to_owned()),
            ("finish_reason", string(said.finish_reason(), false)),
        ],
        style,
    );
    let usage = obj(
        &[
            ("prompt_tokens", prompt.to_string()),
            ("completion_tokens", completion.to_string()),
            ("total_tokens", (prompt + completion).to_string()),
        ],
        style,
    );
    obj(
        &[
            ("id", string(&completion_id(serial), false)),
            ("object", string("chat.completion", false)),
            ("created", now().to_string()),
            (
                "model",
                string(request["model"].as_str().unwrap_or_default(), false),
            ),
            ("choices", format!("[{choice}]")),
            ("usage", usage),
        ],
        style,
    )
}

#[cfg(test)]
pub(crate) mod testing {
    //! The writers, exposed so the unit tests can rebuild recorded bytes with them.
    pub(crate) fn chunk_line(id: &str, model: &str, created: u64, content: &str) -> String {
        let delta = super::obj(
            &[("content", super::string(content, true))],
            super::Style::Dumps,
        );
        super::chunk(id, model, created, delta, None)
    }

    pub(crate) fn dumps_string(text: &str) -> String {
        super::string(text, true)
    }
}
