//! A streamed Responses API answer as OpenAI sends it.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::{StreamPlan, obfuscation, recorded_sse_data, stream_pieces};
use crate::openai_standin::bodies::{output_part, response_saying};
use crate::openai_standin::said::Said;

/// Writes `event:` + `data:` pairs numbered in order, from the recorded events' shapes.
struct Events {
    templates: HashMap<String, Value>,
    item_id: Value,
    sequence: u64,
}

impl Events {
    fn new(item_id: Value) -> Self {
        let mut templates = HashMap::new();
        for event in recorded_sse_data("14-responses-stream.sse") {
            if let Some(kind) = event["type"].as_str() {
                templates.entry(kind.to_owned()).or_insert(event);
            }
        }
        Self {
            templates,
            item_id,
            sequence: 0,
        }
    }

    fn event(&mut self, kind: &str, fill: impl FnOnce(&mut Value)) -> String {
        let mut e = self.templates.get(kind).cloned().unwrap_or_else(|| {
            // Not in the recording: refusals get the fields the description requires.
            if kind.starts_with("response.refusal.") {
                json!({"item_id": null, "output_index": 0, "content_index": 0})
            } else {
                json!({})
            }
        });
        e["type"] = json!(kind);
        e["sequence_number"] = json!(self.sequence);
        self.sequence += 1;
        if e.get("item_id").is_some() {
            e["item_id"] = self.item_id.clone();
        }
        fill(&mut e);
        format!("event: {kind}\ndata: {e}\n\n")
    }
}

/// A streamed Responses API answer in the recorded wire format (`14-responses-stream.sse`):
/// `event:` + `data:` pairs from response.created to response.completed (or
/// response.incomplete), text and usage as the whole response has them. A refusal streams
/// as `response.refusal.delta`/`.done` events of a `refusal` content part.
pub(crate) fn responses_stream(request: &Value, serial: u64, said: &Said) -> StreamPlan {
    let done = response_saying(request, said);
    let mut in_progress = done.clone();
    in_progress["status"] = json!("in_progress");
    in_progress["incomplete_details"] = Value::Null;
    in_progress["output"] = json!([]);
    in_progress["usage"] = Value::Null;
    let final_kind = if done["status"] == "incomplete" {
        "response.incomplete"
    } else {
        "response.completed"
    };
    let item = done["output"][0].clone();
    let mut events = Events::new(item["id"].clone());
    let mut opening = vec![
        events.event("response.created", |e| e["response"] = in_progress.clone()),
        events.event("response.in_progress", |e| e["response"] = in_progress),
    ];
    let Some(full_part) = output_part(said) else {
        // Filtered: no output item at all.
        let closing = vec![events.event(final_kind, |e| e["response"] = done)];
        return StreamPlan::new(opening, Vec::new(), closing);
    };
    let refused = matches!(said, Said::Refusal(_));
    let (delta_kind, done_kind, field) = if refused {
        ("response.refusal.delta", "response.refusal.done", "refusal")
    } else {
        (
            "response.output_text.delta",
            "response.output_text.done",
            "text",
        )
    };
    let mut opening_item = item.clone();
    opening_item["status"] = json!("in_progress");
    opening_item["content"] = json!([]);
    let mut empty_part = full_part.clone();
    empty_part[field] = json!("");
    opening.push(events.event("response.output_item.added", |e| {
        e["item"] = opening_item;
    }));
    opening.push(events.event("response.content_part.added", |e| {
        e["part"] = empty_part;
    }));
    let text = said.produced();
    let pieces = stream_pieces(text)
        .into_iter()
        .enumerate()
        .map(|(i, piece)| {
            events.event(delta_kind, |e| {
                if !refused {
                    e["obfuscation"] = json!(obfuscation(serial * 1000 + i as u64, piece.len()));
                }
                e["delta"] = json!(piece);
            })
        })
        .collect();
    let closing = vec![
        events.event(done_kind, |e| e[field] = json!(text)),
        events.event("response.content_part.done", |e| e["part"] = full_part),
        events.event("response.output_item.done", |e| e["item"] = item),
        events.event(final_kind, |e| e["response"] = done),
    ];
    StreamPlan::new(opening, pieces, closing)
}
