//! Stream plans against the OpenAPI description, and how faults reshape them.

use std::time::Duration;

use serde_json::{Value, json};

use super::super::said::Said;
use super::super::sse::{Step, StreamPlan, chat_stream, responses_stream};
use super::super::{completion_body, reply_text, response_body, stream_pieces};
use super::{chat_request, data_of, responses_event, responses_request, spelled};
use crate::spec;

fn said_for(request: &Value) -> Said {
    Said::Text {
        text: reply_text(request),
        cut: false,
    }
}

fn chunks_of(plan: &StreamPlan) -> Vec<Value> {
    plan.events()
        .filter(|e| !e.contains("[DONE]"))
        .map(|e| serde_json::from_str(data_of(e)).unwrap())
        .collect()
}

fn check_chunks(chunks: &[Value]) {
    for chunk in chunks {
        spec::openai()
            .check_component("CreateChatCompletionStreamResponse", chunk)
            .unwrap_or_else(|e| panic!("{chunk}: {e}"));
        assert_eq!(chunk["id"], chunks[0]["id"]);
        assert_eq!(chunk["model"], "gpt-4o-mini");
    }
}

#[test]
fn streamed_chunks_fit_the_documented_stream_and_spell_the_reply() {
    let request = chat_request(true);
    spec::openai()
        .check_request("POST", "/v1/chat/completions", &request)
        .unwrap();
    let plan = chat_stream(&request, 7, &said_for(&request));
    assert_eq!(plan.events().last(), Some("data: [DONE]\n\n"));
    let chunks = chunks_of(&plan);
    check_chunks(&chunks);
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    let text = spelled(&chunks, "content");
    assert_eq!(text, reply_text(&request));
    let finish = &chunks[chunks.len() - 2];
    assert_eq!(finish["choices"][0]["finish_reason"], "stop");
    let usage_chunk = &chunks[chunks.len() - 1];
    assert_eq!(usage_chunk["choices"], json!([]));
    let usage = &usage_chunk["usage"];
    let whole = completion_body(&request);
    assert_eq!(usage["prompt_tokens"], whole["usage"]["prompt_tokens"]);
    assert_eq!(
        usage["completion_tokens"],
        whole["usage"]["completion_tokens"]
    );
    assert!(
        chunks[..chunks.len() - 1]
            .iter()
            .all(|c| c["usage"].is_null())
    );
    let pauses = plan.steps().iter().filter(|s| **s == Step::Pause).count();
    assert_eq!(pauses, stream_pieces(&text).len() + 1);

    let plain_request = chat_request(false);
    let chunks = chunks_of(&chat_stream(&plain_request, 8, &said_for(&plain_request)));
    assert!(chunks.iter().all(|c| c.get("usage").is_none()));
    assert!(
        chunks
            .iter()
            .all(|c| !c["choices"].as_array().unwrap().is_empty())
    );
}

#[test]
fn refused_filtered_and_cut_chat_streams_fit_the_documented_stream() {
    let request = chat_request(true);
    let refusal = chunks_of(&chat_stream(
        &request,
        1,
        &Said::Refusal("I can't help with that request.".into()),
    ));
    check_chunks(&refusal);
    assert_eq!(
        refusal[0]["choices"][0]["delta"],
        json!({"role": "assistant", "content": null, "refusal": ""})
    );
    assert_eq!(
        spelled(&refusal, "refusal"),
        "I can't help with that request."
    );
    assert_eq!(spelled(&refusal, "content"), "");
    assert_eq!(
        refusal[refusal.len() - 2]["choices"][0]["finish_reason"],
        "stop"
    );

    let filtered = chunks_of(&chat_stream(&request, 2, &Said::Filtered));
    check_chunks(&filtered);
    // The role chunk, the finish chunk and the usage chunk: no text at all.
    assert_eq!(filtered.len(), 3);
    assert_eq!(filtered[1]["choices"][0]["finish_reason"], "content_filter");
    assert_eq!(filtered[2]["usage"]["completion_tokens"], 0);

    let cut = chunks_of(&chat_stream(
        &request,
        3,
        &Said::generated(reply_text(&request), Some(5)),
    ));
    check_chunks(&cut);
    assert_eq!(spelled(&cut, "content").chars().count(), 20);
    assert_eq!(cut[cut.len() - 2]["choices"][0]["finish_reason"], "length");
    assert_eq!(cut[cut.len() - 1]["usage"]["completion_tokens"], 5);
}

fn responses_events(plan: &StreamPlan) -> Vec<Value> {
    let mut events = Vec::new();
    for raw in plan.events() {
        let (kind, event) = responses_event(raw);
        assert_eq!(event["sequence_number"], events.len());
        spec::openai()
            .check_response_stream_event(&event)
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        events.push(event);
    }
    events
}

fn kinds(events: &[Value]) -> Vec<&str> {
    events.iter().filter_map(|e| e["type"].as_str()).collect()
}

#[test]
fn streamed_responses_fit_the_documented_events() {
    let request = responses_request("conv_1", true);
    spec::openai()
        .check_request("POST", "/v1/responses", &request)
        .unwrap();
    let whole = response_body(&request, 4);
    let said = Said::Text {
        text: whole["output"][0]["content"][0]["text"]
            .as_str()
            .unwrap()
            .to_owned(),
        cut: false,
    };
    let events = responses_events(&responses_stream(&request, 1, &said));
    let kinds = kinds(&events);
    assert_eq!(
        kinds[..4],
        [
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added"
        ]
    );
    assert_eq!(
        kinds[kinds.len() - 4..],
        [
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed"
        ]
    );
    let text: String = events
        .iter()
        .filter(|e| e["type"] == "response.output_text.delta")
        .filter_map(|e| e["delta"].as_str())
        .collect();
    assert_eq!(text, said.produced());
    let completed = &events.last().unwrap()["response"];
    assert_eq!(completed, &whole);
    spec::openai()
        .check_response("POST", "/v1/responses", completed)
        .unwrap();
}

#[test]
fn streamed_refusals_and_cut_responses_fit_the_documented_events() {
    let request = responses_request("conv_1", true);
    let refusal = "I can't help with that request, sorry.";
    let events = responses_events(&responses_stream(
        &request,
        1,
        &Said::Refusal(refusal.into()),
    ));
    let seen = kinds(&events);
    assert!(seen.contains(&"response.refusal.delta"), "{seen:?}");
    assert!(!seen.contains(&"response.output_text.delta"), "{seen:?}");
    let deltas: String = events
        .iter()
        .filter(|e| e["type"] == "response.refusal.delta")
        .filter_map(|e| e["delta"].as_str())
        .collect();
    assert_eq!(deltas, refusal);
    let done = events
        .iter()
        .find(|e| e["type"] == "response.refusal.done")
        .unwrap();
    assert_eq!(done["refusal"], refusal);
    let added = events
        .iter()
        .find(|e| e["type"] == "response.content_part.added")
        .unwrap();
    assert_eq!(added["part"], json!({"type": "refusal", "refusal": ""}));
    assert_eq!(seen.last(), Some(&"response.completed"));

    let cut = Said::generated(
        response_body(&request, 0)["output"][0]["content"][0]["text"]
            .as_str()
            .unwrap()
            .to_owned(),
        Some(4),
    );
    let events = responses_events(&responses_stream(&request, 2, &cut));
    let last = events.last().unwrap();
    assert_eq!(last["type"], "response.incomplete");
    assert_eq!(
        last["response"]["incomplete_details"]["reason"],
        "max_output_tokens"
    );

    let events = responses_events(&responses_stream(&request, 3, &Said::Filtered));
    assert_eq!(
        kinds(&events),
        [
            "response.created",
            "response.in_progress",
            "response.incomplete"
        ]
    );
}

#[test]
fn faults_reshape_a_plan_after_its_opening_or_first_piece() {
    let plan = || {
        StreamPlan::new(
            vec!["open".into()],
            vec!["a".into(), "b".into()],
            vec!["end".into()],
        )
    };
    let write = |s: &str| Step::Write(s.to_owned());
    assert_eq!(
        plan().steps(),
        [
            write("open"),
            Step::Pause,
            write("a"),
            Step::Pause,
            write("b"),
            Step::Pause,
            write("end")
        ]
    );
    assert_eq!(
        plan().cut_after_first_piece().steps(),
        [write("open"), Step::Pause, write("a"), Step::Break]
    );
    let silence = Duration::from_secs(3);
    assert_eq!(
        plan().stall_after_first_piece(silence).steps(),
        [
            write("open"),
            Step::Pause,
            write("a"),
            Step::Silence(silence),
            Step::Pause,
            write("b"),
            Step::Pause,
            write("end")
        ]
    );
    assert_eq!(
        plan().error_after_opening(&json!({"code": 400})).steps(),
        [write("open"), write("data: {\"error\":{\"code\":400}}\n\n")]
    );
    assert!(StreamPlan::empty().steps().is_empty());
}
