//! Which provider failures are worth another attempt, and what the others mean.
//!
//! Every message built here names the status, the API path and the provider's words, and
//! never the request: that is the user's text.

use anyhow::anyhow;
use async_openai::error::OpenAIError;

use super::transport::{ProviderError, describe_body};
use crate::error::{Cause, Failure};

/// What a refusal from the provider means, from its status and error object.
pub fn classify_provider(error: ProviderError) -> Failure {
    let code = error.code.as_deref().unwrap_or_default();
    let kind = error.kind.as_deref().unwrap_or_default();
    let message = error.message.to_ascii_lowercase();
    let retry_after = error.retry_after;
    let status = error.status;
    let failure = |retryable: bool, cause: Option<Cause>| {
        let f = if retryable {
            Failure::retryable(error.clone())
        } else {
            Failure::permanent(error.clone())
        };
        let f = f.with_retry_after(retry_after);
        match cause {
            Some(c) => f.with_cause(c),
            None => f,
        }
    };
    if is_context_overflow(code, kind, &message) {
        return failure(false, Some(Cause::ContextOverflow));
    }
    if code == "insufficient_quota" || kind == "insufficient_quota" {
        // Comes as 429 too, but waiting does not fix it.
        return failure(false, Some(Cause::QuotaExhausted));
    }
    if code == "content_filter" || code == "content_policy_violation" {
        return failure(false, Some(Cause::ContentFilter));
    }
    let Some(status) = status else {
        // No answer: refused, reset or timed out. The next attempt may well get through.
        return failure(true, None);
    };
    match status {
        408 | 409 | 425 | 429 | 500..=599 => failure(true, None),
        401 | 403 => failure(false, Some(Cause::Unauthorized)),
        404 if message.contains("conversation") => failure(false, Some(Cause::ConversationGone)),
        404 if code == "model_not_found" || message.contains("model") => {
            failure(false, Some(Cause::ModelNotFound))
        }
        // An OpenAI error object on a 404 is about something named in the request; a
        // foreign body (`{"detail":"Not Found"}`) means the path itself is unknown.
        404 if error.foreign_body => failure(false, Some(Cause::EndpointMissing)),
        404 | 405 => failure(false, Some(Cause::EndpointMissing)),
        _ => failure(false, Some(Cause::BadRequest)),
    }
}

fn is_context_overflow(code: &str, kind: &str, message: &str) -> bool {
    code == "context_length_exceeded"
        || kind == "exceed_context_size_error"
        || message.contains("maximum context length")
        || message.contains("context size")
        || message.contains("context window")
        || message.contains("too many tokens")
}

/// Any error async-openai returns, from our transport or its own parsing.
pub fn classify(e: OpenAIError) -> Failure {
    match e {
        OpenAIError::Boxed(inner) => match inner.downcast::<ProviderError>() {
            Ok(provider) => classify_provider(*provider),
            Err(other) => Failure::retryable(anyhow!("OpenAI client: {other}")),
        },
        OpenAIError::ApiError(resp) => classify_provider(ProviderError {
            status: Some(resp.status_code.as_u16()),
            path: String::new(),
            message: resp.api_error.message.chars().take(300).collect(),
            code: resp.api_error.code.clone(),
            kind: resp.api_error.r#type.clone(),
            retry_after: None,
            foreign_body: false,
        }),
        OpenAIError::Reqwest(e) => {
            Failure::retryable(anyhow!("OpenAI transport: {}", e.without_url()))
        }
        OpenAIError::JSONDeserialize(e, content) => unreadable(&e, &content),
        OpenAIError::StreamError(e) => {
            Failure::retryable(anyhow!("OpenAI stream broke: {}", stream_error_text(&e)))
        }
        OpenAIError::InvalidArgument(why) => {
            Failure::permanent(anyhow!("OpenAI request could not be built: {why}"))
                .with_cause(Cause::BadRequest)
        }
        other => Failure::permanent(anyhow!("OpenAI client: {}", variant_name(&other))),
    }
}

/// A body async-openai could not read. Inside a stream, a server reports a failure as an
/// event with an error object (`data: {"error":{…}}`): that is classified like an HTTP
/// error. A body that ends before its JSON does (empty, or cut off) was lost on the way
/// and is worth another try. Anything else is a shape we do not understand, and a server
/// that answers so will keep doing it. serde's own message can quote the body, so only
/// its position is logged.
fn unreadable(e: &serde_json::Error, content: &str) -> Failure {
    if e.is_eof() {
        return Failure::retryable(anyhow!(
            "OpenAI's answer ended before it was complete ({} bytes)",
            content.len()
        ));
    }
    let is_error_event = serde_json::from_str::<serde_json::Value>(content)
        .is_ok_and(|v| v.get("error").is_some_and(|e| !e.is_null()));
    if is_error_event {
        let mut error = describe_body(content.as_bytes());
        error.path = "(stream event)".into();
        // An error event inside a 200 stream carries its status in `code`, if at all; one
        // that does not say is most often the server failing midway, worth another try.
        error.status = error
            .code
            .as_deref()
            .and_then(|c| c.parse().ok())
            .or(Some(500));
        return classify_provider(error);
    }
    Failure::permanent(anyhow!(
        "OpenAI sent a response this client cannot read ({:?} at line {} column {})",
        e.classify(),
        e.line(),
        e.column()
    ))
    .with_cause(Cause::BadRequest)
}

fn stream_error_text(e: &async_openai::error::StreamError) -> String {
    match e {
        async_openai::error::StreamError::EventStream(text) => text.clone(),
        // The event's data is the model's (or the user's) words.
        async_openai::error::StreamError::UnknownEvent(event) => {
            format!("an unknown event `{}`", event.event)
        }
    }
}

fn variant_name(e: &OpenAIError) -> &'static str {
    match e {
        OpenAIError::FileSaveError(_) => "file save error",
        OpenAIError::FileReadError(_) => "file read error",
        _ => "unexpected error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(status: Option<u16>, body: &str) -> Failure {
        let mut e = describe_body(body.as_bytes());
        e.status = status;
        e.path = "/v1/chat/completions".into();
        classify_provider(e)
    }

    #[test]
    fn each_failure_gets_its_class() {
        let cases: &[(Option<u16>, &str, bool, Option<Cause>)] = &[
            (
                Some(429),
                r#"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#,
                true,
                None,
            ),
            (
                Some(429),
                r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#,
                false,
                Some(Cause::QuotaExhausted),
            ),
            (
                Some(500),
                r#"{"error":{"message":"The server had an error","type":"server_error"}}"#,
                true,
                None,
            ),
            (Some(503), "<html>overloaded</html>", true, None),
            (None, "", true, None),
            (
                Some(401),
                r#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#,
                false,
                Some(Cause::Unauthorized),
            ),
            (
                Some(400),
                r#"{"error":{"message":"This model's maximum context length is 128000 tokens.","code":"context_length_exceeded"}}"#,
                false,
                Some(Cause::ContextOverflow),
            ),
            (
                Some(404),
                r#"{"error":{"message":"The model `gpt-9` does not exist","code":"model_not_found"}}"#,
                false,
                Some(Cause::ModelNotFound),
            ),
            (
                Some(404),
                r#"{"detail":"Not Found"}"#,
                false,
                Some(Cause::EndpointMissing),
            ),
            (
                Some(404),
                r#"{"error":{"message":"Conversation with id 'conv_1' not found.","type":"invalid_request_error"}}"#,
                false,
                Some(Cause::ConversationGone),
            ),
            (
                Some(400),
                r#"{"error":{"message":"Invalid image","type":"invalid_request_error"}}"#,
                false,
                Some(Cause::BadRequest),
            ),
            (
                Some(422),
                r#"{"detail":[{"loc":["body","x"],"msg":"bad"}]}"#,
                false,
                Some(Cause::BadRequest),
            ),
        ];
        for (status, body, retryable, cause) in cases {
            let f = provider(*status, body);
            assert_eq!(
                (f.retryable, f.cause),
                (*retryable, *cause),
                "{status:?} {body}"
            );
        }
    }

    #[test]
    fn an_error_event_inside_a_stream_is_classified_like_a_response() {
        let event = r#"{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":5000,"n_ctx":4096}}"#;
        let parse = serde_json::from_str::<u32>(event).unwrap_err();
        let f = unreadable(&parse, event);
        assert_eq!(f.cause, Some(Cause::ContextOverflow));
        let odd = r#"{"choices":"the user's words"}"#;
        let parse = serde_json::from_str::<u32>(odd).unwrap_err();
        let f = unreadable(&parse, odd);
        assert!(!f.retryable);
        assert!(!f.to_string().contains("user's words"), "{f}");
        for cut in ["", r#"{"choices":[{"message":{"content":"the user's"#] {
            let parse = serde_json::from_str::<serde_json::Value>(cut).unwrap_err();
            let f = unreadable(&parse, cut);
            assert!(f.retryable, "an empty or cut body is tried again: {cut:?}");
            assert!(!f.to_string().contains("user's"), "{f}");
        }
    }
}
