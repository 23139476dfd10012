//! The OpenAI description: parsing, and requests checked against it.

use serde_json::{Value, json};

use crate::spec::{OPENAI_SPEC, OpenAiSpec, TELEGRAM_SPEC, TelegramSpec, openai};

fn oa_err(method: &str, path: &str, body: &Value) -> String {
    openai()
        .check_request(method, path, body)
        .expect_err("request should be rejected")
}

fn minimal_chat() -> Value {
    json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "system", "content": "x"}, {"role": "user", "content": "hi"}]
    })
}

#[test]
fn openai_parse_time_is_reported() {
    // Measured on a fresh parse rather than via openai(), which another test may have warmed.
    let started = std::time::Instant::now();
    let spec = OpenAiSpec::parse(OPENAI_SPEC).unwrap();
    let elapsed = started.elapsed();
    eprintln!("OpenAI spec parse took {elapsed:?}");
    assert!(spec.paths.len() > 100);
    let started = std::time::Instant::now();
    TelegramSpec::parse(TELEGRAM_SPEC).unwrap();
    eprintln!("Telegram spec parse took {:?}", started.elapsed());
}

#[test]
fn openai_yaml_patch_is_still_needed_and_harmless() {
    // If a future spec drops the out-of-range literal this patch becomes dead weight.
    assert!(serde_yaml_ng::from_str::<Value>(OPENAI_SPEC).is_err());
    let seed = openai()
        .root
        .pointer("/components/schemas/CreateChatCompletionRequest/allOf/1/properties/seed")
        .unwrap();
    assert_eq!(seed["type"], "integer");
    assert!(seed["minimum"].as_f64().unwrap() < -9.0e18);
}

#[test]
fn openai_every_ref_resolves() {
    fn walk<'a>(node: &'a Value, out: &mut Vec<&'a str>) {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r);
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let spec = openai();
    let mut refs = Vec::new();
    walk(&spec.root, &mut refs);
    assert!(refs.len() > 1000);
    for r in refs {
        assert!(spec.resolve(r).is_some(), "unresolvable {r}");
    }
}

#[test]
fn openai_accepts_valid_chat_completion_requests() {
    let spec = openai();
    spec.check_request("POST", "/v1/chat/completions", &minimal_chat())
        .unwrap();
    spec.check_request("post", "/chat/completions", &minimal_chat())
        .unwrap();
    let full = json!({
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "developer", "content": "be brief"},
            {"role": "user", "content": [{"type": "text", "text": "hi"}]},
            {"role": "assistant", "content": "hello", "name": "bot"},
            {"role": "user", "content": "again"}
        ],
        "max_completion_tokens": 256,
        "temperature": 0.7,
        "user": "u-1",
        "safety_identifier": "hash",
        "stream": true,
        "stream_options": {"include_usage": true},
        "response_format": {"type": "json_object"},
        "seed": 3,
        "metadata": {"k": "v"}
    });
    spec.check_request("POST", "/v1/chat/completions", &full)
        .unwrap();
    let nulls = json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "hi"}],
        "temperature": null,
        "max_completion_tokens": null,
        "stream_options": null,
        "prediction": null
    });
    spec.check_request("POST", "/v1/chat/completions", &nulls)
        .unwrap();
    let tools = json!({
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "user", "content": "weather?"},
            {"role": "assistant", "content": null, "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "w", "arguments": "{}"}}
            ]},
            {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}
        ]
    });
    spec.check_request("POST", "/v1/chat/completions", &tools)
        .unwrap();
}

#[test]
fn openai_rejects_invalid_chat_completion_requests() {
    let e = oa_err(
        "POST",
        "/v1/chat/completions",
        &json!({"model": "gpt-4o-mini"}),
    );
    assert!(e.contains("`messages`") && e.contains("missing"), "{e}");
    let mut body = minimal_chat();
    body["temprature"] = json!(1);
    let e = oa_err("POST", "/v1/chat/completions", &body);
    assert!(e.contains("`temprature`") && e.contains("unknown"), "{e}");
    let mut body = minimal_chat();
    body["messages"][1]["foo"] = json!(1);
    let e = oa_err("POST", "/v1/chat/completions", &body);
    // The `user` variant is picked by role and its own complaint is reported.
    assert!(e.contains("messages[1]") && e.contains("`foo`"), "{e}");
    assert!(!e.contains("alternatives"), "{e}");
    let e = oa_err(
        "POST",
        "/v1/chat/completions",
        &json!({"model": "m", "messages": [{"role": "wizard", "content": "x"}]}),
    );
    assert!(e.contains("messages[0]"), "{e}");
    let e = oa_err(
        "POST",
        "/v1/chat/completions",
        &json!({"model": "m", "messages": [{"role": "user"}]}),
    );
    assert!(e.contains("`content`"), "{e}");
    let e = oa_err(
        "POST",
        "/v1/chat/completions",
        &json!({"model": "m", "messages": [{"role": "tool", "content": "x"}]}),
    );
    assert!(e.contains("`tool_call_id`"), "{e}");
    let mut body = minimal_chat();
    body["stream_options"] = json!({"include_usage": "yes"});
    let e = oa_err("POST", "/v1/chat/completions", &body);
    assert!(e.contains("include_usage"), "{e}");
    let mut body = minimal_chat();
    body["max_completion_tokens"] = json!(1.5);
    let e = oa_err("POST", "/v1/chat/completions", &body);
    assert!(e.contains("max_completion_tokens"), "{e}");
    let e = oa_err("POST", "/v1/chat/completions", &Value::Null);
    assert!(e.contains("required"), "{e}");
}

#[test]
fn openai_checks_paths_and_methods() {
    let e = oa_err("POST", "/v1/chat/complete", &minimal_chat());
    assert!(e.contains("unknown"), "{e}");
    let e = oa_err("PUT", "/v1/chat/completions", &minimal_chat());
    assert!(e.contains("PUT"), "{e}");
    // `/v1x` is not the version prefix.
    assert!(
        openai()
            .check_request("POST", "/v1x/chat/completions", &minimal_chat())
            .is_err()
    );
    openai()
        .check_request(
            "GET",
            "/v1/conversations/conv_123/items?limit=5",
            &json!({"limit": 5, "order": "asc"}),
        )
        .unwrap();
    let e = oa_err(
        "GET",
        "/v1/conversations/conv_123/items",
        &json!({"lmit": 5}),
    );
    assert!(e.contains("`lmit`"), "{e}");
    openai()
        .check_request("GET", "/v1/conversations/conv_123", &Value::Null)
        .unwrap();
}

#[test]
fn openai_responses_and_conversations() {
    let spec = openai();
    spec.check_request(
        "POST",
        "/v1/responses",
        &json!({"model": "gpt-4o-mini", "input": "hi", "conversation": "conv_123"}),
    )
    .unwrap();
    spec.check_request(
        "POST",
        "/v1/responses",
        &json!({"model": "gpt-4o-mini", "input": [{"role": "user", "content": "hi"}],
                "conversation": {"id": "conv_123"}, "instructions": "be brief",
                "max_output_tokens": 100, "store": false}),
    )
    .unwrap();
    let e = oa_err(
        "POST",
        "/v1/responses",
        &json!({"model": "gpt-4o-mini", "input": "hi", "messages": []}),
    );
    assert!(e.contains("`messages`"), "{e}");
    let e = oa_err(
        "POST",
        "/v1/responses",
        &json!({"model": "gpt-4o-mini", "input": "hi", "conversation": 5}),
    );
    assert!(e.contains("conversation"), "{e}");
    spec.check_request("POST", "/v1/conversations", &json!({}))
        .unwrap();
    spec.check_request(
        "POST",
        "/v1/conversations",
        &json!({"metadata": {"chat": "1"}, "items": [{"type": "message", "role": "user", "content": "hi"}]}),
    )
    .unwrap();
    let e = oa_err("POST", "/v1/conversations", &json!({"title": "x"}));
    assert!(e.contains("`title`"), "{e}");
}
