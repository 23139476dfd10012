//! What each endpoint answers, once the request has passed the gatekeeper.

use serde_json::{Value, json};

use super::bodies::{
    chat_completion, invalid_request, json_reply, recorded, reply, response_saying,
    responses_input_tokens, responses_text,
};
use super::faults::{AiFault, context_length_exceeded};
use super::llama;
use super::ogg::{ogg_opus, speech_seconds, transcript_of};
use super::said::{Said, carried_limit, honoured_limit, missing_limit};
use super::server::Plan;
use super::sse::{StreamPlan, chat_stream, responses_stream};
use super::text::{prompt_tokens, reply_text, tokens};
use super::{Endpoint, ModelRequest, Profile, State, Transcription};
use crate::fixtures;
use crate::spec::{self, FormPart};

/// Counts a request the gatekeeper answered (unknown route, key, method).
pub(crate) fn note_unserved(state: &mut State, path: &str, body: &[u8]) {
    if let Some(endpoint) = Endpoint::of(path) {
        let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        note(state, endpoint, &body);
    }
}

fn note(state: &mut State, endpoint: Endpoint, body: &Value) {
    state.model_requests.push(ModelRequest {
        endpoint,
        streamed: body["stream"] == true,
        output_limit: carried_limit(endpoint, body),
        at: std::time::Instant::now(),
    });
}

pub(crate) fn plan(state: &mut State, path: &str, content_type: &str, body: &[u8]) -> Plan {
    match Endpoint::of(path) {
        Some(Endpoint::Transcriptions) => {
            note(state, Endpoint::Transcriptions, &Value::Null);
            transcription(state, content_type, body)
        }
        Some(endpoint) => json_request(state, endpoint, path, body),
        None => Plan::Reply(recorded(404, "34-error-404-not-found.json")),
    }
}

fn json_request(state: &mut State, endpoint: Endpoint, path: &str, body: &[u8]) -> Plan {
    let body: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Plan::Reply(invalid_request(&format!(
                "We could not parse the JSON body of your request. ({e})"
            )));
        }
    };
    note(state, endpoint, &body);
    if let Err(reason) = spec::openai().check_request("POST", path, &body) {
        state.violations.push(format!("POST {path}: {reason}"));
        return Plan::Reply(invalid_request(&reason));
    }
    state.requests.push(body.clone());
    if state.require_output_limit
        && let Some(reason) = missing_limit(state.profile, endpoint, &body)
    {
        state.violations.push(format!("POST {path}: {reason}"));
    }
    match endpoint {
        Endpoint::Chat => chat(state, &body),
        Endpoint::Responses => responses(state, &body),
        Endpoint::Speech => speech(state, &body),
        Endpoint::Conversations if path == "/v1/conversations" => conversation(state, &body),
        _ => Plan::Reply(recorded(404, "34-error-404-not-found.json")),
    }
}

/// The fault for this request, and the answer if the fault takes the model's place.
fn fault_for(
    state: &mut State,
    endpoint: Endpoint,
    streamed: bool,
) -> (Option<AiFault>, Option<Plan>) {
    let fault = state.take_fault(endpoint);
    let instead = fault.as_ref().and_then(|f| f.instead(endpoint, streamed));
    (fault, instead)
}

fn shaped(fault: Option<AiFault>, answer: Plan) -> Plan {
    match fault {
        Some(fault) => fault.shape(answer),
        None => answer,
    }
}

fn chat(state: &mut State, body: &Value) -> Plan {
    let streamed = body["stream"] == true;
    let (fault, instead) = fault_for(state, Endpoint::Chat, streamed);
    if let Some(plan) = instead {
        return plan;
    }
    if let Some(plan) = chat_over_context(state, body, streamed) {
        return plan;
    }
    let limit = honoured_limit(state.profile, Endpoint::Chat, body);
    let said = match fault.as_ref().and_then(|f| f.said(Endpoint::Chat)) {
        // `{said}` in a refusal stands for what the user said, so a test can tell which
        // message was refused.
        Some(Said::Refusal(text)) => {
            Said::Refusal(text.replace("{said}", &super::text::last_user_text(body)))
        }
        Some(other) => other,
        None => Said::generated(reply_text(body), limit),
    };
    let serial = state.next_serial();
    let answer = match (state.profile, streamed) {
        (Profile::OpenAi, true) => Plan::Stream(chat_stream(body, serial, &said)),
        (Profile::OpenAi, false) => Plan::Reply(json_reply(200, &chat_completion(body, &said))),
        (Profile::LlamaCpp, true) => Plan::Stream(llama::chat_stream(body, serial, &said)),
        (Profile::LlamaCpp, false) => Plan::Reply(reply(
            200,
            "application/json",
            llama::chat_completion(body, serial, &said),
        )),
    };
    shaped(fault, answer)
}

/// A chat request the server refuses before generating: too big for the context, or
/// (llama.cpp) content parts its chat template cannot render.
fn chat_over_context(state: &State, body: &Value, streamed: bool) -> Option<Plan> {
    match state.profile {
        Profile::LlamaCpp => llama::refuses(body, state.context_size).map(|refused| {
            if streamed {
                Plan::Stream(StreamPlan::empty())
            } else {
                Plan::Reply(llama::refusal_reply(body, &refused))
            }
        }),
        Profile::OpenAi => {
            let window = state.context_size?;
            let needed =
                prompt_tokens(body) + carried_limit(Endpoint::Chat, body).unwrap_or_default();
            (needed > window).then(|| Plan::Reply(context_length_exceeded()))
        }
    }
}

fn conversation_not_found(id: &str) -> Plan {
    Plan::Reply(json_reply(
        404,
        &json!({"error": {
            "message": format!("Conversation with id '{id}' not found."),
            "type": "invalid_request_error", "param": null, "code": null}}),
    ))
}

fn responses(state: &mut State, body: &Value) -> Plan {
    let streamed = body["stream"] == true;
    let id = body["conversation"]
        .as_str()
        .or(body["conversation"]["id"].as_str())
        .unwrap_or_default()
        .to_owned();
    let Some(items) = state.conversations.get(&id).copied() else {
        return conversation_not_found(&id);
    };
    let (fault, instead) = fault_for(state, Endpoint::Responses, streamed);
    if let Some(plan) = instead {
        return plan;
    }
    let limit = honoured_limit(state.profile, Endpoint::Responses, body);
    let needed = responses_input_tokens(body) + limit.unwrap_or_default();
    if state.context_size.is_some_and(|window| needed > window) {
        return Plan::Reply(context_length_exceeded());
    }
    let said = fault
        .as_ref()
        .and_then(|f| f.said(Endpoint::Responses))
        .unwrap_or_else(|| Said::generated(responses_text(body, items), limit));
    let serial = state.next_serial();
    let answer = if streamed {
        Plan::Stream(responses_stream(body, serial, &said))
    } else {
        Plan::Reply(json_reply(200, &response_saying(body, &said)))
    };
    if fault.as_ref().is_none_or(AiFault::completes) {
        state.conversations.insert(id, items + 2);
    }
    shaped(fault, answer)
}

fn conversation(state: &mut State, body: &Value) -> Plan {
    let (fault, instead) = fault_for(state, Endpoint::Conversations, false);
    if let Some(plan) = instead {
        return plan;
    }
    state.conversations_created += 1;
    let id = format!("conv_{:048x}", state.conversations_created);
    // A conversation created with items holds them, as the real one does.
    let seeded = body["items"].as_array().map_or(0, Vec::len);
    state.conversations.insert(id.clone(), seeded);
    let mut conversation = fixtures::json("openai/15-conversation-object.json");
    conversation["id"] = json!(id);
    conversation["metadata"] = json!({});
    shaped(fault, Plan::Reply(json_reply(200, &conversation)))
}

/// `DELETE /v1/conversations/{id}`: forgets it, as the real server does (its items stay
/// there, unreachable).
pub(crate) fn delete_conversation(state: &mut State, path: &str) -> Plan {
    note(state, Endpoint::Conversations, &Value::Null);
    if let Err(reason) = spec::openai().check_request("DELETE", path, &Value::Null) {
        state.violations.push(format!("DELETE {path}: {reason}"));
        return Plan::Reply(invalid_request(&reason));
    }
    let id = path.trim_start_matches("/v1/conversations/").to_owned();
    if state.conversations.remove(&id).is_none() {
        return conversation_not_found(&id);
    }
    state.deleted_conversations.push(id.clone());
    Plan::Reply(json_reply(
        200,
        &json!({"id": id, "object": "conversation.deleted", "deleted": true}),
    ))
}

fn speech(state: &mut State, body: &Value) -> Plan {
    state.speeches.push(body.clone());
    let (fault, instead) = fault_for(state, Endpoint::Speech, false);
    if let Some(plan) = instead {
        return plan;
    }
    let seconds = speech_seconds(body["input"].as_str().unwrap_or_default());
    // Only Ogg Opus is generated; what format was asked for is in `speeches()`.
    shaped(
        fault,
        Plan::Reply(reply(200, "audio/ogg", ogg_opus(seconds))),
    )
}

fn transcription(state: &mut State, content_type: &str, body: &[u8]) -> Plan {
    const PATH: &str = "/v1/audio/transcriptions";
    let violation = |state: &mut State, reason: String| {
        state.violations.push(format!("POST {PATH}: {reason}"));
        Plan::Reply(invalid_request(&reason))
    };
    if !content_type.starts_with("multipart/form-data") {
        return violation(
            state,
            format!("expects multipart/form-data, got `{content_type}`"),
        );
    }
    let parts = match spec::parse_multipart(content_type, body) {
        Ok(parts) => parts,
        Err(e) => return violation(state, e),
    };
    if let Err(reason) = spec::openai().check_multipart("POST", PATH, &parts) {
        return violation(state, reason);
    }
    let field = |name: &str| parts.iter().find(|p| p.name == name);
    let model = field("model").map(FormPart::text).unwrap_or_default();
    if model == "whisper-1" {
        return violation(
            state,
            "model `whisper-1` is the legacy model; the product must use a current one \
             such as gpt-4o-mini-transcribe"
                .to_owned(),
        );
    }
    let file = field("file").cloned().unwrap_or_else(|| FormPart {
        name: "file".into(),
        file_name: None,
        content_type: None,
        bytes: Vec::new(),
    });
    let response_format = field("response_format").map(FormPart::text);
    state.transcriptions.push(Transcription {
        model,
        file_name: file.file_name.clone().unwrap_or_default(),
        bytes: file.bytes.len(),
        response_format: response_format.clone(),
    });
    let (fault, instead) = fault_for(state, Endpoint::Transcriptions, false);
    if let Some(plan) = instead {
        return plan;
    }
    shaped(fault, transcript(&file.bytes, response_format.as_deref()))
}

fn transcript(file: &[u8], response_format: Option<&str>) -> Plan {
    let text = transcript_of(file);
    if response_format == Some("text") {
        // As recorded (`23-transcription-text-plain.txt`): the bare text and a line break.
        return Plan::Reply(reply(200, "text/plain; charset=utf-8", format!("{text}\n")));
    }
    let mut answer = fixtures::json("openai/21-transcription-json-gpt-4o-mini-transcribe.json");
    let output = tokens(&text);
    let input = answer["usage"]["input_tokens"].as_u64().unwrap_or(0);
    answer["text"] = json!(text);
    answer["usage"]["output_tokens"] = json!(output);
    answer["usage"]["total_tokens"] = json!(input + output);
    Plan::Reply(json_reply(200, &answer))
}
