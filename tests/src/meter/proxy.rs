//! One metering port: an HTTP/1.1 proxy that forwards each request to moto unchanged and
//! logs what it was and what it cost.

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;

use super::dynamo::{self, Lookup};
use super::{Call, Log, lock};

/// A running proxy; stops accepting when dropped.
pub struct Proxy {
    addr: SocketAddr,
    acceptor: tokio::task::AbortHandle,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.acceptor.abort();
    }
}

/// Where requests go, and how items are looked up there without being metered.
#[derive(Clone)]
struct Upstream {
    name: String,
    target: String,
    http: reqwest::Client,
    log: Log,
}

impl Proxy {
    /// Listens on a free loopback port and forwards to `target`.
    pub async fn start(name: &str, target: &str, log: Log) -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let upstream = Upstream {
            name: name.to_owned(),
            target: target.trim_end_matches('/').to_owned(),
            http: reqwest::Client::new(),
            log,
        };
        let acceptor = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| forward(upstream.clone(), req));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        })
        .abort_handle();
        Ok(Self { addr, acceptor })
    }

    /// The proxy's URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

async fn forward(
    upstream: Upstream,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let started = std::time::Instant::now();
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let (service, operation) = classify(&target);
    let request_json: Value = serde_json::from_slice(&body).unwrap_or_default();
    let deleted = if service == "DynamoDB" {
        dynamo::sizes_before(&operation, &request_json, &upstream).await
    } else {
        Vec::new()
    };
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut out = upstream
        .http
        .request(parts.method.clone(), format!("{}{path}", upstream.target));
    for (name, value) in &parts.headers {
        if name != http::header::HOST && name != http::header::CONTENT_LENGTH {
            out = out.header(name, value);
        }
    }
    let answer = match out.body(body).send().await {
        Ok(answer) => answer,
        Err(e) => {
            let mut bad = Response::new(Full::new(Bytes::from(e.to_string())));
            *bad.status_mut() = http::StatusCode::BAD_GATEWAY;
            return Ok(bad);
        }
    };
    let status = answer.status();
    let headers = answer.headers().clone();
    let bytes = answer.bytes().await.unwrap_or_default();
    let units = if service == "DynamoDB" {
        let response: Value = serde_json::from_slice(&bytes).unwrap_or_default();
        dynamo::units(&operation, &request_json, &response, &deleted, &upstream).await
    } else {
        dynamo::Units::default()
    };
    lock(&upstream.log).push(Call {
        function: upstream.name.clone(),
        service,
        actions: super::actions::needed(service, &operation, &request_json),
        operation,
        units,
        started,
        ended: std::time::Instant::now(),
    });
    let mut response = Response::new(Full::new(bytes));
    *response.status_mut() = status;
    for (name, value) in &headers {
        if name != http::header::CONTENT_LENGTH && name != http::header::TRANSFER_ENCODING {
            response.headers_mut().insert(name, value.clone());
        }
    }
    Ok(response)
}

/// (service, operation) from `X-Amz-Target` (`DynamoDB_20120810.PutItem`,
/// `AmazonSQS.SendMessage`, `secretsmanager.GetSecretValue`).
fn classify(target: &str) -> (&'static str, String) {
    let (prefix, operation) = target.split_once('.').unwrap_or(("", target));
    let service = match prefix {
        p if p.starts_with("DynamoDB") => "DynamoDB",
        "AmazonSQS" => "SQS",
        "secretsmanager" => "SecretsManager",
        _ => "other",
    };
    (service, operation.to_owned())
}

impl Lookup for Upstream {
    async fn size(&self, table: &str, key: &Value) -> usize {
        let body = serde_json::json!({"TableName": table, "Key": key, "ConsistentRead": true});
        let answer = self
            .http
            .post(format!("{}/", self.target))
            .header("x-amz-target", "DynamoDB_20120810.GetItem")
            .header("content-type", "application/x-amz-json-1.0")
            .header(
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, \
                 SignedHeaders=host, Signature=0",
            )
            .body(body.to_string())
            .send()
            .await;
        let Ok(answer) = answer else { return 0 };
        let item: Value = answer.json().await.unwrap_or_default();
        super::item_size(&item["Item"])
    }
}
