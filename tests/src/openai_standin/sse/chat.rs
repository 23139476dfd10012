//! A streamed chat completion as OpenAI sends it.

use serde_json::{Value, json};

use super::{StreamPlan, data_line, now, obfuscation, opaque_id, recorded_sse_data, stream_pieces};
use crate::openai_standin::said::Said;
use crate::openai_standin::text::prompt_tokens;

/// A streamed chat completion in the recorded wire format (`05-…-2026.sse`): a role chunk,
/// content (or refusal) chunks, a finish chunk, the usage chunk if
/// `stream_options.include_usage`, and `data: [DONE]`.
pub(crate) fn chat_stream(request: &Value, serial: u64, said: &Said) -> StreamPlan {
    let recorded = recorded_sse_data("05-chat-completion-stream-include-usage-2026.sse");
    let template = recorded.first().cloned().unwrap_or_default();
    let recorded_usage = recorded
        .iter()
        .rev()
        .find(|c| c["usage"].is_object())
        .map(|c| c["usage"].clone())
        .unwrap_or_default();
    let include_usage = request["stream_options"]["include_usage"] == true;
    let obfuscate = request["stream_options"]["include_obfuscation"] != false;
    let id = format!("chatcmpl-{}", opaque_id(serial, 29));
    let created = now();
    let mut n = 0u64;
    let mut chunk = |choices: Value, usage: Value, visible: usize| {
        n += 1;
        let mut c = template.clone();
        c["id"] = json!(id);
        c["created"] = json!(created);
        c["model"] = request["model"].clone();
        c["choices"] = choices;
        let map = c.as_object_mut().expect("recorded chunk is an object");
        if include_usage {
            map.insert("usage".into(), usage);
        } else {
            map.remove("usage");
        }
        if obfuscate {
            let padding = obfuscation(serial * 1000 + n, visible);
            map.insert("obfuscation".into(), json!(padding));
        } else {
            map.remove("obfuscation");
        }
        data_line(&c)
    };
    let choice = |delta: Value, finish: Value| json!([{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]);
    // A refusal keeps `content` null from the first chunk on; text starts it empty.
    let (role, field) = match said {
        Said::Refusal(_) => (
            json!({"role": "assistant", "content": null, "refusal": ""}),
            "refusal",
        ),
        _ => (
            json!({"role": "assistant", "content": "", "refusal": null}),
            "content",
        ),
    };
    let opening = vec![chunk(choice(role, Value::Null), Value::Null, 0)];
    let pieces = stream_pieces(said.produced())
        .into_iter()
        .map(|piece| {
            let len = piece.len();
            chunk(
                choice(json!({ field: piece }), Value::Null),
                Value::Null,
                len,
            )
        })
        .collect();
    let mut closing = vec![chunk(
        choice(json!({}), json!(said.finish_reason())),
        Value::Null,
        0,
    )];
    if include_usage {
        let prompt = prompt_tokens(request);
        let completion = said.completion_tokens();
        let mut usage = recorded_usage;
        usage["prompt_tokens"] = json!(prompt);
        usage["completion_tokens"] = json!(completion);
        usage["total_tokens"] = json!(prompt + completion);
        closing.push(chunk(json!([]), usage, 0));
    }
    closing.push("data: [DONE]\n\n".to_owned());
    StreamPlan::new(opening, pieces, closing)
}
