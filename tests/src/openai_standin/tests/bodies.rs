//! Whole answers against the OpenAPI description.

use serde_json::json;

use super::super::bodies::{chat_completion, response_saying};
use super::super::said::Said;
use super::super::{completion_body, response_body, stream_pieces};
use super::responses_request;
use crate::spec;

#[test]
fn generated_responses_fit_the_documented_api() {
    let request = json!({"model": "gpt-4o-mini", "conversation": "conv_1",
        "instructions": "You are their parent: caring", "input": "hi"});
    spec::openai()
        .check_request("POST", "/v1/responses", &request)
        .unwrap();
    let body = response_body(&request, 2);
    spec::openai()
        .check_response("POST", "/v1/responses", &body)
        .unwrap();
    assert_eq!(
        body["output"][0]["content"][0]["text"],
        "[your parent] You said \u{201c}hi\u{201d}. I can see 2 earlier messages of ours."
    );
}

#[test]
fn generated_completion_fits_the_documented_response() {
    let request = json!({"model": "gpt-4o-mini", "messages": [
        {"role": "system", "content": "persona. Their style: short"},
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
        {"role": "user", "content": "how are you?"}
    ]});
    spec::openai()
        .check_request("POST", "/v1/chat/completions", &request)
        .unwrap();
    let body = completion_body(&request);
    spec::openai()
        .check_response("POST", "/v1/chat/completions", &body)
        .unwrap();
    let text = body["choices"][0]["message"]["content"].as_str().unwrap();
    assert_eq!(
        text,
        "[no persona] You said \u{201c}how are you?\u{201d}. I can see 2 earlier messages of ours, and I'm writing in your style."
    );
    assert!(body["usage"]["prompt_tokens"].as_u64().unwrap() > 4);
}

#[test]
fn refused_filtered_and_cut_completions_fit_the_documented_response() {
    let request = json!({"model": "gpt-4o-mini", "max_completion_tokens": 3,
        "messages": [{"role": "user", "content": "hi"}]});
    let cases = [
        (Said::Refusal("I can't help with that.".into()), "stop"),
        (Said::Filtered, "content_filter"),
        (
            Said::generated("one two three four five six".into(), Some(3)),
            "length",
        ),
    ];
    for (said, finish) in cases {
        let body = chat_completion(&request, &said);
        spec::openai()
            .check_response("POST", "/v1/chat/completions", &body)
            .unwrap_or_else(|e| panic!("{said:?}: {e}"));
        let choice = &body["choices"][0];
        assert_eq!(choice["finish_reason"], finish, "{said:?}");
        assert_eq!(choice["message"]["content"], json!(said.text()));
        assert_eq!(choice["message"]["refusal"], json!(said.refusal()));
        assert_eq!(
            body["usage"]["completion_tokens"],
            json!(said.completion_tokens())
        );
    }
    // Cut to three tokens of about four characters.
    let cut = Said::generated("one two three four five six".into(), Some(3));
    assert_eq!(cut.text(), Some("one two thre"));
    assert_eq!(cut.completion_tokens(), 3);
}

#[test]
fn refused_filtered_and_cut_responses_fit_the_documented_response() {
    let mut request = responses_request("conv_1", false);
    request["max_output_tokens"] = json!(16);
    let refusal = response_saying(&request, &Said::Refusal("No.".into()));
    let filtered = response_saying(&request, &Said::Filtered);
    let cut = response_saying(
        &request,
        &Said::generated(
            "a much longer reply than sixteen tokens allow, by far and away, truly and clearly"
                .into(),
            Some(16),
        ),
    );
    for body in [&refusal, &filtered, &cut] {
        spec::openai()
            .check_response("POST", "/v1/responses", body)
            .unwrap_or_else(|e| panic!("{body}: {e}"));
        assert_eq!(body["max_output_tokens"], 16);
    }
    assert_eq!(refusal["status"], "completed");
    assert_eq!(
        refusal["output"][0]["content"],
        json!([{"type": "refusal", "refusal": "No."}])
    );
    assert_eq!(filtered["status"], "incomplete");
    assert_eq!(
        filtered["incomplete_details"],
        json!({"reason": "content_filter"})
    );
    assert_eq!(filtered["output"], json!([]));
    assert_eq!(cut["status"], "incomplete");
    assert_eq!(
        cut["incomplete_details"],
        json!({"reason": "max_output_tokens"})
    );
    assert_eq!(cut["output"][0]["status"], "incomplete");
    assert_eq!(cut["usage"]["output_tokens"], 16);
}

#[test]
fn stream_pieces_are_about_three_words_and_add_up() {
    for text in [
        "one two three four five six seven",
        "  leading  and\ttrailing  spaces  ",
        "[your parent] You said \u{201c}héllo wörld\u{201d}. I can see 0 earlier messages of ours.",
        "single",
        "",
    ] {
        let pieces = stream_pieces(text);
        assert_eq!(pieces.concat(), text);
        for piece in &pieces {
            let words = piece.split_whitespace().count();
            assert!(words <= 3, "{piece:?}");
        }
        if text.split_whitespace().count() > 3 {
            assert!(pieces.len() > 1, "{text:?}");
        }
    }
    assert_eq!(
        stream_pieces("a b c d e f g"),
        ["a b c", " d e f", " g"].map(String::from)
    );
}
