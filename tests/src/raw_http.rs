//! A deliberately plain HTTP/1.1 client for the stand-ins' unit tests: it shows exactly
//! what went over the wire, including a chunked body that never got its terminating
//! chunk, how the body was framed, and a connection reset before any byte.

use std::io;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The body's pieces as framed on the wire (one per chunk of a chunked body).
    pub chunks: Vec<Vec<u8>>,
    /// The body ended as HTTP says it must (terminating chunk or full length).
    pub complete: bool,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What came back on a connection: everything read, and how reading ended.
pub struct Received {
    pub bytes: Vec<u8>,
    /// The read ended with an error (e.g. ECONNRESET) rather than a clean EOF.
    pub error: Option<io::ErrorKind>,
}

fn dechunk(raw: &[u8]) -> (Vec<Vec<u8>>, bool) {
    let mut chunks = Vec::new();
    let mut at = 0;
    loop {
        let Some(line_end) = raw[at..].windows(2).position(|w| w == b"\r\n") else {
            return (chunks, false);
        };
        let size_text = String::from_utf8_lossy(&raw[at..at + line_end]).into_owned();
        let Ok(size) = usize::from_str_radix(size_text.trim(), 16) else {
            return (chunks, false);
        };
        at += line_end + 2;
        if size == 0 {
            return (chunks, true);
        }
        if raw.len() < at + size {
            chunks.push(raw[at..].to_vec());
            return (chunks, false);
        }
        chunks.push(raw[at..at + size].to_vec());
        at += size + 2;
    }
}

pub fn request_bytes(
    method: &str,
    base_url: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (String, Vec<u8>) {
    let host = base_url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    (host, bytes)
}

/// Sends one request and reads until the server closes the connection.
pub async fn exchange(host: &str, request: &[u8]) -> Received {
    let mut stream = TcpStream::connect(host).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) => return Received { bytes, error: None },
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            Err(e) => {
                return Received {
                    bytes,
                    error: Some(e.kind()),
                };
            }
        }
    }
}

pub fn parse(raw: &[u8]) -> RawResponse {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let rest = &raw[split + 4..];
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let (chunks, complete) = if chunked {
        dechunk(rest)
    } else {
        let length = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse::<usize>().ok());
        (vec![rest.to_vec()], length.is_none_or(|l| l == rest.len()))
    };
    RawResponse {
        status,
        headers,
        body: chunks.concat(),
        chunks,
        complete,
    }
}

pub async fn http(
    method: &str,
    base_url: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> RawResponse {
    let (host, request) = request_bytes(method, base_url, path, headers, body);
    // A reset after a cut stream ends the read like EOF does.
    parse(&exchange(&host, &request).await.bytes)
}
