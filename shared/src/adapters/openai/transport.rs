//! The HTTP layer under async-openai.
//!
//! async-openai reads an error body only if it is an OpenAI error object, drops the
//! headers, and logs bodies it cannot parse. Real OpenAI-compatible servers answer
//! `{"detail":"Not Found"}`, plain text or HTML, and OpenAI itself says how long to wait in
//! `retry-after-ms`/`retry-after`. So this service sees every response first: a failure
//! keeps its status, path, wait and the provider's own message, and is handed to
//! async-openai as a finished error it passes through untouched.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use async_openai::error::OpenAIError;
use async_openai::middleware::HttpRequestFactory;
use serde_json::Value;

/// The longest wait a provider may ask for that we honour; beyond it the call fails over
/// to SQS's redelivery, which waits without holding a Lambda.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);

/// Provider messages are for the operator's log: long enough to say what is wrong.
const MAX_MESSAGE_CHARS: usize = 300;

/// What a provider said when it refused a request, or that it said nothing at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderError {
    /// `None`: no HTTP answer (connection refused or reset, timed out).
    pub status: Option<u16>,
    /// The API path called, e.g. `/v1/audio/speech`.
    pub path: String,
    /// The provider's own words (OpenAI's `error.message`, FastAPI's `detail`, …), cut short.
    pub message: String,
    /// The machine-readable `error.code` (`insufficient_quota`, `model_not_found`, …), if any.
    pub code: Option<String>,
    /// The `error.type`: some servers say there what OpenAI says in `code`.
    pub kind: Option<String>,
    /// How long the provider asked us to wait (`retry-after-ms` or `retry-after`), capped.
    pub retry_after: Option<Duration>,
    /// The body was not an error object at all (`{"detail":…}`, text, HTML): the server is
    /// not OpenAI, and a 404 then means the endpoint itself is missing.
    pub foreign_body: bool,
}

impl std::fmt::Display for ProviderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.status {
            Some(status) => write!(f, "HTTP {status} from {}: {}", self.path, self.message)?,
            None => write!(f, "no answer from {}: {}", self.path, self.message)?,
        }
        if let Some(kind) = &self.kind {
            write!(f, " (type {kind})")?;
        }
        if let Some(code) = &self.code {
            write!(f, " (code {code})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ProviderError {}

impl ProviderError {
    fn no_answer(path: &str, error: &reqwest::Error) -> Self {
        let what = if error.is_timeout() {
            "timed out"
        } else if error.is_connect() {
            "could not connect"
        } else {
            "the connection failed"
        };
        Self {
            status: None,
            path: path.to_owned(),
            // The URL is the configured base URL, which the log already names elsewhere.
            message: format!("{what} ({})", error_chain(error)),
            code: None,
            kind: None,
            retry_after: None,
            foreign_body: false,
        }
    }

    /// Reads a non-success response.
    pub fn from_parts(status: u16, path: &str, headers: &http::HeaderMap, body: &[u8]) -> Self {
        let mut error = describe_body(body);
        error.status = Some(status);
        error.path = path.to_owned();
        error.retry_after = retry_after(headers);
        error
    }
}

fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = next {
        parts.push(e.to_string());
        next = e.source();
    }
    parts.join(": ")
}

/// `retry-after-ms` (OpenAI, Azure) before `retry-after` (seconds); an HTTP date is not
/// worth parsing here, the caller's own back-off covers it.
pub fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let wait = header("retry-after-ms")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|ms| ms.is_finite() && *ms >= 0.0)
        .map(|ms| Duration::from_micros((ms * 1000.0) as u64))
        .or_else(|| {
            header("retry-after")
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs)
        })?;
    Some(wait.min(MAX_RETRY_AFTER))
}

fn cut(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= MAX_MESSAGE_CHARS {
        return text.to_owned();
    }
    let kept: String = text.chars().take(MAX_MESSAGE_CHARS).collect();
    format!("{kept}…")
}

fn string_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The provider's message from whatever shape its error body has. Validation errors
/// (FastAPI's `detail` list) echo the rejected input, so only their locations and
/// messages are kept: never the `input`, which is the user's text.
pub fn describe_body(body: &[u8]) -> ProviderError {
    let mut error = ProviderError {
        status: None,
        path: String::new(),
        message: String::new(),
        code: None,
        kind: None,
        retry_after: None,
        foreign_body: true,
    };
    let Ok(json) = serde_json::from_slice::<Value>(body) else {
        let text = String::from_utf8_lossy(body);
        let plain = text.trim();
        error.message = if !plain.is_empty() && plain.len() <= 120 && !plain.contains(['<', '\n']) {
            plain.to_owned()
        } else {
            format!("a non-JSON body of {} bytes", body.len())
        };
        return error;
    };
    match (&json["error"], &json["detail"]) {
        (Value::Object(e), _) => {
            error.foreign_body = false;
            error.message = e.get("message").and_then(string_of).unwrap_or_default();
            error.code = e.get("code").and_then(string_of);
            error.kind = e.get("type").and_then(string_of);
        }
        (Value::String(e), _) => error.message = e.clone(),
        (_, Value::String(d)) => error.message = d.clone(),
        (_, Value::Array(items)) => {
            error.message = items
                .iter()
                .map(|item| {
                    let at: Vec<String> = item["loc"]
                        .as_array()
                        .map(|l| l.iter().filter_map(string_of).collect())
                        .unwrap_or_default();
                    format!(
                        "{}: {}",
                        at.join("."),
                        item["msg"].as_str().unwrap_or("invalid")
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
        }
        _ => {
            error.message = json
                .get("message")
                .and_then(string_of)
                .unwrap_or_else(|| format!("an unrecognised error body of {} bytes", body.len()));
        }
    }
    if error.message.is_empty() {
        error.message = "no message".to_owned();
    }
    error.message = cut(&error.message);
    error
}

/// A tower service over reqwest that turns every failed exchange into a [`ProviderError`].
#[derive(Clone, Debug)]
pub struct Transport {
    http: reqwest::Client,
    /// Total time for one whole (non-streamed) request. Streams are bounded by their
    /// reader instead: a long reply is fine as long as it keeps coming.
    total: Option<Duration>,
}

impl Transport {
    /// `total` bounds a whole request; `None` for streams, whose reader bounds them instead.
    pub fn new(http: reqwest::Client, total: Option<Duration>) -> Self {
        Self { http, total }
    }
}

fn boxed(error: ProviderError) -> OpenAIError {
    OpenAIError::Boxed(Box::new(error))
}

impl tower::Service<HttpRequestFactory> for Transport {
    type Response = reqwest::Response;
    type Error = OpenAIError;
    type Future = Pin<Box<dyn Future<Output = Result<reqwest::Response, OpenAIError>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), OpenAIError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, factory: HttpRequestFactory) -> Self::Future {
        let http = self.http.clone();
        let total = self.total;
        Box::pin(async move {
            let mut request = factory.build().await?;
            if let Some(total) = total {
                *request.timeout_mut() = Some(total);
            }
            let path = request.url().path().to_owned();
            let response = http
                .execute(request)
                .await
                .map_err(|e| boxed(ProviderError::no_answer(&path, &e)))?;
            let status = response.status();
            if status.is_success() {
                return Ok(response);
            }
            let headers = response.headers().clone();
            let body = response
                .bytes()
                .await
                .map_err(|e| boxed(ProviderError::no_answer(&path, &e)))?;
            Err(boxed(ProviderError::from_parts(
                status.as_u16(),
                &path,
                &headers,
                &body,
            )))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_shape_of_error_body() {
        let openai = br#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#;
        let e = describe_body(openai);
        assert_eq!(e.message, "You exceeded your current quota");
        assert_eq!(e.code.as_deref(), Some("insufficient_quota"));
        assert!(!e.foreign_body);
        let e = describe_body(br#"{"detail":"Not Found"}"#);
        assert_eq!((e.message.as_str(), e.foreign_body), ("Not Found", true));
        let e = describe_body(
            br#"{"detail":[{"type":"missing","loc":["body","messages",0,"content"],"msg":"Field required","input":{"role":"user","secret":"my words"}}]}"#,
        );
        assert_eq!(e.message, "body.messages.0.content: Field required");
        let e = describe_body(b"Internal Server Error");
        assert_eq!(e.message, "Internal Server Error");
        let e = describe_body(b"<html><body>502 Bad Gateway</body></html>");
        assert_eq!(e.message, "a non-JSON body of 41 bytes");
        let e = describe_body(br#"{"error":{"code":400,"message":"the request exceeds the available context size","type":"exceed_context_size_error"}}"#);
        assert_eq!(e.code.as_deref(), Some("400"));
        let long = format!(r#"{{"error":{{"message":"{}"}}}}"#, "x".repeat(1000));
        assert!(describe_body(long.as_bytes()).message.chars().count() <= MAX_MESSAGE_CHARS + 1);
    }

    #[test]
    fn retry_after_prefers_milliseconds_and_is_capped() {
        let mut h = http::HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert("retry-after", "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert("retry-after-ms", "1500".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_millis(1500)));
        h.insert("retry-after-ms", "99999999".parse().unwrap());
        assert_eq!(retry_after(&h), Some(MAX_RETRY_AFTER));
        let mut date = http::HeaderMap::new();
        date.insert(
            "retry-after",
            "Wed, 21 Oct 2026 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&date), None);
    }

    #[test]
    fn the_operator_reads_status_path_and_message() {
        let e = ProviderError::from_parts(
            404,
            "/v1/audio/speech",
            &http::HeaderMap::new(),
            br#"{"detail":"Not Found"}"#,
        );
        assert_eq!(e.to_string(), "HTTP 404 from /v1/audio/speech: Not Found");
    }
}
