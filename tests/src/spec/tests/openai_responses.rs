//! The OpenAI description: responses and streamed events checked against it.

use serde_json::{Value, json};

use crate::spec::openai;
use crate::spec::openapi::REQUEST;

const CHAT_COMPLETION_RESPONSE: &str = r#"{
  "id": "chatcmpl-D8dUjRkJNE7oAraZr6I7Jy8l3f2eU",
  "object": "chat.completion",
  "created": 1770950813,
  "model": "gpt-4o-mini-2024-07-18",
  "choices": [
{
  "index": 0,
  "message": {
    "role": "assistant",
    "content": "Hello! How can I assist you today?",
    "refusal": null,
    "annotations": []
  },
  "logprobs": null,
  "finish_reason": "stop"
}
  ],
  "usage": {
"prompt_tokens": 11,
"completion_tokens": 9,
"total_tokens": 20,
"prompt_tokens_details": {
  "cached_tokens": 0,
  "audio_tokens": 0
},
"completion_tokens_details": {
  "reasoning_tokens": 0,
  "audio_tokens": 0,
  "accepted_prediction_tokens": 0,
  "rejected_prediction_tokens": 0
}
  },
  "service_tier": "default",
  "system_fingerprint": "Sanitized"
}"#;

#[test]
fn openai_check_response_accepts_a_real_chat_completion() {
    let body: Value = serde_json::from_str(CHAT_COMPLETION_RESPONSE).unwrap();
    openai()
        .check_response("POST", "/v1/chat/completions", &body)
        .unwrap();
    let mut extra = body.clone();
    extra["surprise"] = json!(1);
    let e = openai()
        .check_response("POST", "/v1/chat/completions", &extra)
        .unwrap_err();
    assert!(e.contains("`surprise`"), "{e}");
    let mut missing = body.clone();
    missing.as_object_mut().unwrap().remove("choices");
    let e = openai()
        .check_response("POST", "/v1/chat/completions", &missing)
        .unwrap_err();
    assert!(e.contains("`choices`"), "{e}");
    let mut wrong = body;
    wrong["object"] = json!("response");
    let e = openai()
        .check_response("POST", "/v1/chat/completions", &wrong)
        .unwrap_err();
    assert!(e.contains("object"), "{e}");
}

/// Real Responses API output (shared fixture 11): carries `store`, which the description
/// omits, and `user: null`, which it does not mark nullable.
const RESPONSES_RESPONSE: &str = r#"{
  "id": "resp_689a0b2545288193953c892439b42e2800b2e36c65a1fd4b",
  "object": "response",
  "created_at": 1754925861,
  "status": "completed",
  "background": false,
  "error": null,
  "incomplete_details": null,
  "instructions": null,
  "max_output_tokens": null,
  "max_tool_calls": null,
  "model": "gpt-4o-mini-2024-07-18",
  "output": [
{
  "id": "msg_689a0b2637b08193ac478e568f49e3f900b2e36c65a1fd4b",
  "type": "message",
  "status": "completed",
  "content": [
    {
      "type": "output_text",
      "annotations": [],
      "logprobs": [],
      "text": "I can't provide real-time updates."
    }
  ],
  "role": "assistant"
}
  ],
  "parallel_tool_calls": true,
  "previous_response_id": null,
  "prompt_cache_key": null,
  "reasoning": {
"effort": null,
"summary": null
  },
  "safety_identifier": null,
  "service_tier": "default",
  "store": true,
  "temperature": 1.0,
  "text": {
"format": {
  "type": "text"
},
"verbosity": "medium"
  },
  "tool_choice": "auto",
  "tools": [],
  "top_logprobs": 0,
  "top_p": 1.0,
  "truncation": "disabled",
  "usage": {
"input_tokens": 14,
"input_tokens_details": {
  "cached_tokens": 0,
  "cache_write_tokens": 0
},
"output_tokens": 50,
"output_tokens_details": {
  "reasoning_tokens": 0
},
"total_tokens": 64
  },
  "user": null,
  "metadata": {}
}"#;

#[test]
fn openai_check_response_tolerates_documented_gaps_only() {
    let spec = openai();
    let body: Value = serde_json::from_str(RESPONSES_RESPONSE).unwrap();
    spec.check_response("POST", "/v1/responses", &body).unwrap();
    let mut extra = body.clone();
    extra["stored"] = json!(true);
    let e = spec
        .check_response("POST", "/v1/responses", &extra)
        .unwrap_err();
    assert!(e.contains("`stored`"), "{e}");
    // `store` is only excused where the live API was seen to send it.
    let e = spec
        .check_response("POST", "/v1/conversations", &json!({
            "id": "conv_1", "object": "conversation", "created_at": 1, "metadata": {}, "store": true
        }))
        .unwrap_err();
    assert!(e.contains("`store`"), "{e}");
    // Null is tolerated for optional keys only; required ones still need a real value.
    let mut null_id = body;
    null_id["id"] = Value::Null;
    let e = spec
        .check_response("POST", "/v1/responses", &null_id)
        .unwrap_err();
    assert!(e.contains("id"), "{e}");
    spec.check_response(
        "POST",
        "/v1/audio/transcriptions",
        &json!({"task": "transcribe", "language": "english", "duration": 1.7,
                "text": "Hello", "segments": [], "usage": {"type": "duration", "seconds": 2}}),
    )
    .unwrap();
    let e = spec
        .check_response(
            "POST",
            "/v1/chat/completions",
            &json!({"id": "x", "object": "chat.completion", "created": "yesterday",
                    "model": "m", "choices": []}),
        )
        .unwrap_err();
    assert!(e.contains("created"), "{e}");
}

#[test]
fn openai_nullable_without_type_is_accepted() {
    // The description has `nullable: true` on schemas with no `type`; such a schema
    // constrains nothing but must still admit null.
    let spec = openai();
    let schema = json!({"nullable": true, "description": "defect"});
    spec.check_schema(&schema, None, &Value::Null, 0, REQUEST, "")
        .unwrap();
    spec.check_schema(&schema, None, &json!({"a": 1}), 0, REQUEST, "")
        .unwrap();
    let typed = json!({"type": "string", "nullable": true});
    spec.check_schema(&typed, None, &Value::Null, 0, REQUEST, "")
        .unwrap();
    assert!(
        spec.check_schema(&typed, None, &json!(1), 0, REQUEST, "")
            .is_err()
    );
    let plain = json!({"type": "string"});
    assert!(
        spec.check_schema(&plain, None, &Value::Null, 0, REQUEST, "")
            .is_err()
    );
}

#[test]
fn openai_recorded_stream_chunks_fit_the_stream_schemas() {
    let data = |file: &str| -> Vec<Value> {
        crate::fixtures::text(&format!("openai/{file}"))
            .lines()
            .filter_map(|l| l.strip_prefix("data: "))
            .filter(|d| *d != "[DONE]")
            .map(|d| serde_json::from_str(d).unwrap())
            .collect()
    };
    let spec = openai();
    for file in [
        "05-chat-completion-stream-include-usage-2026.sse",
        "06-chat-completion-stream-include-usage-2024.sse",
        "08-chat-completion-stream-tool-call.sse",
        "10-chat-completion-stream-finish-length.sse",
    ] {
        let chunks = data(file);
        assert!(chunks.len() > 1, "{file}");
        for chunk in chunks {
            spec.check_component("CreateChatCompletionStreamResponse", &chunk)
                .unwrap_or_else(|e| panic!("{file}: {e}"));
        }
    }
    for mut event in data("14-responses-stream.sse") {
        // Recorded in 2025, before usage reported cache writes; fixture 11 has the field.
        if let Some(details) = event
            .pointer_mut("/response/usage/input_tokens_details")
            .and_then(Value::as_object_mut)
        {
            details.entry("cache_write_tokens").or_insert(json!(0));
        }
        spec.check_response_stream_event(&event)
            .unwrap_or_else(|e| panic!("{}: {e}", event["type"]));
    }
    let mut chunk = data("05-chat-completion-stream-include-usage-2026.sse").remove(1);
    chunk["object"] = json!("chat.completion");
    assert!(
        spec.check_component("CreateChatCompletionStreamResponse", &chunk)
            .is_err()
    );
    chunk["object"] = json!("chat.completion.chunk");
    chunk["choices"][0]["delta"]["colour"] = json!("red");
    let e = spec
        .check_component("CreateChatCompletionStreamResponse", &chunk)
        .unwrap_err();
    assert!(e.contains("`colour`"), "{e}");
    assert!(spec.check_component("NoSuchSchema", &chunk).is_err());
    let mut delta = data("14-responses-stream.sse").remove(4);
    assert_eq!(delta["type"], "response.output_text.delta");
    delta["delta"] = json!(5);
    assert!(spec.check_response_stream_event(&delta).is_err());
}
