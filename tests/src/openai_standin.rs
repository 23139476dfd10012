//! An OpenAI API stand-in: chat completions (whole or streamed), the Responses API with
//! Conversations, audio transcription and speech.
//!
//! Replies are built on recorded responses (ids, usage details, fingerprints, the event
//! stream framing as the real API sends them), with a deterministic text that shows what
//! the bot sent: the user's words, how much history came along, and whether a style
//! profile was included. Requests are checked against OpenAI's OpenAPI description and the
//! API key.
//!
//! It is a small hyper server rather than a wiremock mock because a stream has to be
//! written piece by piece with pauses in between, and a client that hangs up mid-stream
//! has to be noticed.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::fixtures;
use crate::spec::{self, FormPart};

#[derive(Clone, Debug)]
pub enum AiFault {
    /// 500 server_error (recorded body).
    ServerError,
    /// No answer for this long: longer than the client's timeout. A chat completion (whole
    /// or streamed) is answered normally afterwards, anything else with a 500.
    Timeout(Duration),
    /// 429 rate_limit_exceeded (recorded body).
    RateLimited,
    /// 429 insufficient_quota: not worth retrying.
    InsufficientQuota,
    /// 400 context_length_exceeded.
    ContextLengthExceeded,
    /// A stream sends its opening (the role chunk, or the Responses API's opening events)
    /// and one piece of text, then the connection closes: no finish, no `[DONE]`. A request
    /// that does not stream gets its connection closed without an answer.
    CutStream,
}

/// One accepted `POST /v1/audio/transcriptions`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transcription {
    pub model: String,
    pub file_name: String,
    /// Size of the uploaded file.
    pub bytes: usize,
    pub response_format: Option<String>,
}

#[derive(Default)]
struct State {
    requests: Vec<Value>,
    /// Items in each server-side conversation (Responses API).
    conversations: HashMap<String, usize>,
    faults: VecDeque<AiFault>,
    violations: Vec<String>,
    stream_delay: Duration,
    streams_started: usize,
    abandoned_streams: usize,
    transcriptions: Vec<Transcription>,
    speeches: Vec<Value>,
    /// Numbers the streams, so each gets its own ids.
    serial: u64,
}

struct Inner {
    api_key: String,
    state: Mutex<State>,
}

/// Stops accepting connections when the last handle to the stand-in is dropped, as
/// wiremock's server did.
struct Acceptor(tokio::task::AbortHandle);

impl Drop for Acceptor {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[derive(Clone)]
pub struct OpenAiStandIn {
    addr: SocketAddr,
    inner: Arc<Inner>,
    _acceptor: Arc<Acceptor>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

type ResponseBody = BoxBody<Bytes, io::Error>;

fn reply(status: u16, content_type: &str, body: impl Into<Bytes>) -> Response<ResponseBody> {
    let mut response = Response::new(
        Full::new(body.into())
            .map_err(|never| match never {})
            .boxed(),
    );
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(value) = hyper::header::HeaderValue::from_str(content_type) {
        response
            .headers_mut()
            .insert(hyper::header::CONTENT_TYPE, value);
    }
    response
}

fn json_reply(status: u16, body: &Value) -> Response<ResponseBody> {
    reply(status, "application/json", body.to_string())
}

fn recorded(status: u16, file: &str) -> Response<ResponseBody> {
    reply(
        status,
        "application/json",
        fixtures::text(&format!("openai/{file}")),
    )
}

fn invalid_request(message: &str) -> Response<ResponseBody> {
    json_reply(
        400,
        &json!({"error": {"message": message, "type": "invalid_request_error", "param": null, "code": null}}),
    )
}

/// Roughly four characters a token, as OpenAI's own rule of thumb says.
fn tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4).max(1)
}

pub fn reply_text(request: &Value) -> String {
    let messages = request["messages"].as_array().cloned().unwrap_or_default();
    let last_user = messages
        .iter()
        .rev()
        .find(|m| m["role"] == "user")
        .map(|m| content_text(&m["content"]))
        .unwrap_or_default();
    let last_user = last_user.as_str();
    let earlier = messages
        .iter()
        .filter(|m| m["role"] == "user" || m["role"] == "assistant")
        .count()
        .saturating_sub(1);
    let system = messages
        .iter()
        .find(|m| m["role"] == "system")
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default();
    describe(system, last_user, earlier)
}

/// A message's text; for a multi-part message (text and images), its text parts with
/// `[image: <mime>, <n> bytes]` for each picture, so tests see what the model was shown.
fn content_text(content: &Value) -> String {
    if let Some(text) = content.as_str() {
        return text.to_owned();
    }
    let parts = content.as_array().cloned().unwrap_or_default();
    parts
        .iter()
        .map(|p| match p["type"].as_str() {
            Some("text" | "input_text") => p["text"].as_str().unwrap_or_default().to_owned(),
            Some(kind @ ("image_url" | "input_image")) => {
                // Chat Completions nests the URL; the Responses API does not.
                let url = if kind == "image_url" {
                    p["image_url"]["url"].as_str()
                } else {
                    p["image_url"].as_str()
                }
                .unwrap_or_default();
                match url
                    .strip_prefix("data:")
                    .and_then(|rest| rest.split_once(";base64,"))
                {
                    Some((mime, data)) => {
                        let padding = data.bytes().rev().take_while(|&b| b == b'=').count();
                        format!("[image: {mime}, {} bytes]", data.len() / 4 * 3 - padding)
                    }
                    None => format!("[image at a URL: {url}]"),
                }
            }
            _ => String::new(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The deterministic reply: who the instructions make the bot, what the user said, how
/// much history came along, and whether a style profile was included.
fn describe(system: &str, last_user: &str, earlier: usize) -> String {
    // Who the system prompt says the bot is: a custom name, else the relationship.
    let who = system
        .split_once("Your name is ")
        .and_then(|(_, rest)| rest.split_once('.'))
        .map(|(name, _)| name.to_owned())
        .or_else(|| {
            system
                .split_once("You are their ")
                .and_then(|(_, rest)| rest.split_once(':'))
                .map(|(who, _)| format!("your {who}"))
        })
        .unwrap_or_else(|| "no persona".to_owned());
    let styled = system.contains("Their style:");
    format!(
        "[{who}] You said \u{201c}{last_user}\u{201d}. I can see {earlier} earlier message{s} of ours{style}.",
        s = if earlier == 1 { "" } else { "s" },
        style = if styled {
            ", and I'm writing in your style"
        } else {
            ""
        },
    )
}

/// A Responses API `response`, shaped exactly like the recorded one.
pub fn response_body(request: &Value, earlier_items: usize) -> Value {
    let mut body = fixtures::json("openai/11-responses-response-output-text.json");
    let instructions = request["instructions"].as_str().unwrap_or_default();
    // A plain string, or message items whose content lists text and images.
    let input = match &request["input"] {
        Value::String(text) => text.clone(),
        Value::Array(items) => items
            .iter()
            .map(|item| content_text(&item["content"]))
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    };
    let input = input.as_str();
    let text = describe(instructions, input, earlier_items);
    let input_tokens = tokens(instructions) + tokens(input) + 8;
    let output_tokens = tokens(&text);
    body["output"][0]["content"][0]["text"] = json!(text);
    body["model"] = request["model"].clone();
    body["instructions"] = json!(instructions);
    body["usage"]["input_tokens"] = json!(input_tokens);
    body["usage"]["output_tokens"] = json!(output_tokens);
    body["usage"]["total_tokens"] = json!(input_tokens + output_tokens);
    body
}

fn prompt_tokens(request: &Value) -> u64 {
    request["messages"]
        .as_array()
        .map(|ms| {
            ms.iter()
                .map(|m| tokens(m["content"].as_str().unwrap_or_default()) + 4)
                .sum()
        })
        .unwrap_or(0)
}

/// A chat.completion shaped exactly like the recorded gpt-4o-mini response.
pub fn completion_body(request: &Value) -> Value {
    let mut body = fixtures::json("openai/01-chat-completion-gpt-4o-mini-usage-details.json");
    let text = reply_text(request);
    let prompt = prompt_tokens(request);
    let completion = tokens(&text);
    body["choices"][0]["message"]["content"] = json!(text);
    body["model"] = request["model"].clone();
    body["usage"]["prompt_tokens"] = json!(prompt);
    body["usage"]["completion_tokens"] = json!(completion);
    body["usage"]["total_tokens"] = json!(prompt + completion);
    body
}

/// Cuts `text` into pieces of about three words, each starting with the whitespace before
/// its first word as model tokens do, so the pieces concatenate to exactly `text`.
pub fn stream_pieces(text: &str) -> Vec<String> {
    let mut cuts = Vec::new();
    let mut words = 0usize;
    let mut gap: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            gap.get_or_insert(i);
            continue;
        }
        let before = gap.take();
        if i == 0 || before.is_some() {
            if words > 0 && words.is_multiple_of(3) {
                cuts.push(before.unwrap_or(i));
            }
            words += 1;
        }
    }
    let mut pieces = Vec::new();
    let mut from = 0;
    for cut in cuts {
        pieces.push(text[from..cut].to_owned());
        from = cut;
    }
    if from < text.len() {
        pieces.push(text[from..].to_owned());
    }
    pieces
}

/// Letters and digits from a seed, for ids and padding that must differ between streams
/// but stay the same from run to run.
fn opaque_id(seed: u64, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            char::from(ALPHABET[(x >> 33) as usize % ALPHABET.len()])
        })
        .collect()
}

/// The padding the live API adds to every streamed chunk so that chunk sizes do not give
/// away the text.
fn obfuscation(seed: u64, visible_len: usize) -> String {
    opaque_id(seed, 16 - visible_len % 16)
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A stream to write: `opening` at once, then each of `pieces` after a pause, then after
/// one more pause `closing` (unless `cut`, which breaks the connection instead).
#[derive(Debug)]
struct StreamPlan {
    opening: Vec<String>,
    pieces: Vec<String>,
    closing: Vec<String>,
    cut: bool,
}

impl StreamPlan {
    /// Everything the stream would write when not cut, for checking it without a server.
    #[cfg(test)]
    fn events(&self) -> impl Iterator<Item = &str> {
        self.opening
            .iter()
            .chain(&self.pieces)
            .chain(&self.closing)
            .map(String::as_str)
    }

    fn cut_after_first_piece(mut self) -> Self {
        self.pieces.truncate(1);
        self.closing.clear();
        self.cut = true;
        self
    }
}

fn data_line(chunk: &Value) -> String {
    format!("data: {chunk}\n\n")
}

fn recorded_sse_data(file: &str) -> Vec<Value> {
    fixtures::text(&format!("openai/{file}"))
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .filter_map(|d| serde_json::from_str(d).ok())
        .collect()
}

/// A streamed chat completion in the recorded wire format (`05-…-2026.sse`): a role chunk,
/// content chunks, a finish chunk, the usage chunk if `stream_options.include_usage`, and
/// `data: [DONE]`.
fn chat_stream(request: &Value, serial: u64) -> StreamPlan {
    let recorded = recorded_sse_data("05-chat-completion-stream-include-usage-2026.sse");
    let template = recorded.first().cloned().unwrap_or_default();
    let recorded_usage = recorded
        .iter()
        .rev()
        .find(|c| c["usage"].is_object())
        .map(|c| c["usage"].clone())
        .unwrap_or_default();
    let include_usage = request["stream_options"]["include_usage"] == true;
    let obfuscate = request["stream_options"]["include_obfuscation"] != false;
    let id = format!("chatcmpl-{}", opaque_id(serial, 29));
    let created = now();
    let mut n = 0u64;
    let mut chunk = |choices: Value, usage: Value, visible: usize| {
        n += 1;
        let mut c = template.clone();
        c["id"] = json!(id);
        c["created"] = json!(created);
        c["model"] = request["model"].clone();
        c["choices"] = choices;
        let map = c.as_object_mut().expect("recorded chunk is an object");
        if include_usage {
            map.insert("usage".into(), usage);
        } else {
            map.remove("usage");
        }
        if obfuscate {
            map.insert(
                "obfuscation".into(),
                json!(obfuscation(serial * 1000 + n, visible)),
            );
        } else {
            map.remove("obfuscation");
        }
        data_line(&c)
    };
    let text = reply_text(request);
    let opening = vec![chunk(
        json!([{"index": 0, "delta": {"role": "assistant", "content": "", "refusal": null},
                "logprobs": null, "finish_reason": null}]),
        Value::Null,
        0,
    )];
    let pieces = stream_pieces(&text)
        .into_iter()
        .map(|piece| {
            let len = piece.len();
            chunk(
                json!([{"index": 0, "delta": {"content": piece}, "logprobs": null, "finish_reason": null}]),
                Value::Null,
                len,
            )
        })
        .collect();
    let mut closing = vec![chunk(
        json!([{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop"}]),
        Value::Null,
        0,
    )];
    if include_usage {
        let prompt = prompt_tokens(request);
        let completion = tokens(&text);
        let mut usage = recorded_usage;
        usage["prompt_tokens"] = json!(prompt);
        usage["completion_tokens"] = json!(completion);
        usage["total_tokens"] = json!(prompt + completion);
        closing.push(chunk(json!([]), usage, 0));
    }
    closing.push("data: [DONE]\n\n".to_owned());
    StreamPlan {
        opening,
        pieces,
        closing,
        cut: false,
    }
}

/// A streamed Responses API answer in the recorded wire format (`14-responses-stream.sse`):
/// `event:` + `data:` pairs from response.created to response.completed, text and usage as
/// [`response_body`] has them.
fn responses_stream(request: &Value, earlier_items: usize, serial: u64) -> StreamPlan {
    let mut templates: HashMap<String, Value> = HashMap::new();
    for event in recorded_sse_data("14-responses-stream.sse") {
        if let Some(kind) = event["type"].as_str() {
            templates.entry(kind.to_owned()).or_insert(event);
        }
    }
    let done = response_body(request, earlier_items);
    let mut in_progress = done.clone();
    in_progress["status"] = json!("in_progress");
    in_progress["output"] = json!([]);
    in_progress["usage"] = Value::Null;
    let item = done["output"][0].clone();
    let item_id = item["id"].clone();
    let text = item["content"][0]["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut sequence = 0u64;
    let mut event = |kind: &str, fill: &dyn Fn(&mut Value)| {
        let mut e = templates.get(kind).cloned().unwrap_or_else(|| json!({}));
        e["type"] = json!(kind);
        e["sequence_number"] = json!(sequence);
        sequence += 1;
        if e.get("item_id").is_some() {
            e["item_id"] = item_id.clone();
        }
        fill(&mut e);
        format!("event: {kind}\ndata: {e}\n\n")
    };
    let mut opening_item = item.clone();
    opening_item["status"] = json!("in_progress");
    opening_item["content"] = json!([]);
    let empty_part = json!({"type": "output_text", "annotations": [], "logprobs": [], "text": ""});
    let mut full_part = empty_part.clone();
    full_part["text"] = json!(text);
    let opening = vec![
        event("response.created", &|e| e["response"] = in_progress.clone()),
        event("response.in_progress", &|e| {
            e["response"] = in_progress.clone();
        }),
        event("response.output_item.added", &|e| {
            e["item"] = opening_item.clone();
        }),
        event("response.content_part.added", &|e| {
            e["part"] = empty_part.clone();
        }),
    ];
    let pieces = stream_pieces(&text)
        .into_iter()
        .enumerate()
        .map(|(i, piece)| {
            event("response.output_text.delta", &|e| {
                e["delta"] = json!(piece);
                e["obfuscation"] = json!(obfuscation(serial * 1000 + i as u64, piece.len()));
            })
        })
        .collect();
    let closing = vec![
        event("response.output_text.done", &|e| e["text"] = json!(text)),
        event("response.content_part.done", &|e| {
            e["part"] = full_part.clone();
        }),
        event("response.output_item.done", &|e| e["item"] = item.clone()),
        event("response.completed", &|e| e["response"] = done.clone()),
    ];
    StreamPlan {
        opening,
        pieces,
        closing,
        cut: false,
    }
}

// ---------------------------------------------------------------------------------------
// Ogg Opus
// ---------------------------------------------------------------------------------------

/// Any fixed number does; a real encoder picks one at random.
const OGG_SERIAL: u32 = 0x5354_414e;
/// One 20 ms CELT frame of silence (TOC 0xF8: fullband, 20 ms, mono, one frame).
const SILENT_OPUS_FRAME: [u8; 3] = [0xf8, 0xff, 0xfe];
const FRAMES_PER_SECOND: u32 = 50;
const OPUS_RATE: u64 = 48_000;

/// The CRC-32 of an Ogg page: polynomial 0x04c11db7, no reflection, initial value and
/// final xor both 0 (RFC 3533 section 6).
fn ogg_crc(data: &[u8]) -> u32 {
    let mut crc = 0u32;
    for &byte in data {
        crc ^= u32::from(byte) << 24;
        for _ in 0..8 {
            crc = if crc & 0x8000_0000 != 0 {
                (crc << 1) ^ 0x04c1_1db7
            } else {
                crc << 1
            };
        }
    }
    crc
}

fn ogg_page(out: &mut Vec<u8>, flags: u8, granule: u64, sequence: u32, packets: &[&[u8]]) {
    let mut lacing = Vec::new();
    for packet in packets {
        let mut left = packet.len();
        while left >= 255 {
            lacing.push(255u8);
            left -= 255;
        }
        lacing.push(left as u8);
    }
    assert!(lacing.len() <= 255, "too many segments for one Ogg page");
    let start = out.len();
    out.extend_from_slice(b"OggS");
    out.push(0);
    out.push(flags);
    out.extend_from_slice(&granule.to_le_bytes());
    out.extend_from_slice(&OGG_SERIAL.to_le_bytes());
    out.extend_from_slice(&sequence.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.push(lacing.len() as u8);
    out.extend_from_slice(&lacing);
    for packet in packets {
        out.extend_from_slice(packet);
    }
    let crc = ogg_crc(&out[start..]);
    out[start + 22..start + 26].copy_from_slice(&crc.to_le_bytes());
}

/// A small but well-formed Ogg Opus stream of silence lasting `duration_secs` (at least
/// one): an `OpusHead` page, an `OpusTags` page, then one page of 20 ms frames per second.
/// Pre-skip is 0 so the last granule position (48000 × duration) is the exact playing time.
pub fn ogg_opus(duration_secs: u32) -> Vec<u8> {
    const BOS: u8 = 0x02;
    const EOS: u8 = 0x04;
    let seconds = duration_secs.max(1);
    let mut head = b"OpusHead".to_vec();
    head.push(1); // version
    head.push(1); // channels
    head.extend_from_slice(&0u16.to_le_bytes()); // pre-skip
    head.extend_from_slice(&48_000u32.to_le_bytes()); // input sample rate
    head.extend_from_slice(&0i16.to_le_bytes()); // output gain
    head.push(0); // channel mapping family
    let vendor = b"testkit stand-in";
    let mut tags = b"OpusTags".to_vec();
    tags.extend_from_slice(&(vendor.len() as u32).to_le_bytes());
    tags.extend_from_slice(vendor);
    tags.extend_from_slice(&0u32.to_le_bytes());

    let mut out = Vec::new();
    ogg_page(&mut out, BOS, 0, 0, &[&head]);
    ogg_page(&mut out, 0, 0, 1, &[&tags]);
    let frames: Vec<&[u8]> = (0..FRAMES_PER_SECOND)
        .map(|_| &SILENT_OPUS_FRAME[..])
        .collect();
    for second in 1..=seconds {
        let flags = if second == seconds { EOS } else { 0 };
        ogg_page(
            &mut out,
            flags,
            OPUS_RATE * u64::from(second),
            second + 1,
            &frames,
        );
    }
    out
}

/// A voice file whose transcript the stand-in will report as `spoken`: an Ogg Opus stream
/// followed by the `SPOKEN:` marker the transcription endpoint reads.
pub fn spoken_ogg(duration_secs: u32, spoken: &str) -> Vec<u8> {
    let mut bytes = ogg_opus(duration_secs);
    bytes.extend_from_slice(b"SPOKEN:");
    bytes.extend_from_slice(spoken.as_bytes());
    bytes
}

/// What follows `SPOKEN:` in an uploaded file, up to a NUL byte or the end.
fn transcript_of(file: &[u8]) -> String {
    const MARKER: &[u8] = b"SPOKEN:";
    let Some(at) = file.windows(MARKER.len()).position(|w| w == MARKER) else {
        return String::new();
    };
    let rest = &file[at + MARKER.len()..];
    let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    String::from_utf8_lossy(&rest[..end]).into_owned()
}

/// Seconds of speech for `input`: 2.5 words a second, rounded up, at least one.
pub fn speech_seconds(input: &str) -> u32 {
    let words = input.split_whitespace().count() as u32;
    (words * 2).div_ceil(5).max(1)
}

// ---------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------

/// How a request is answered.
enum Plan {
    Reply(Response<ResponseBody>),
    /// Wait this long, then answer.
    Late(Duration, Box<Plan>),
    Stream(StreamPlan),
    /// Close the connection without an answer.
    Hangup,
}

/// A response body fed by [`feed`]; an error item makes hyper abort the connection.
struct ChannelBody(mpsc::Receiver<io::Result<Bytes>>);

impl Body for ChannelBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        self.get_mut()
            .0
            .poll_recv(cx)
            .map(|item| item.map(|r| r.map(Frame::data)))
    }
}

/// hyper drops the body once it finds the client gone, which closes the channel.
async fn pause(tx: &mpsc::Sender<io::Result<Bytes>>, delay: Duration) -> Option<()> {
    tokio::select! {
        () = tokio::time::sleep(delay) => Some(()),
        () = tx.closed() => None,
    }
}

/// How long a cut stream waits before breaking the connection, so that what it did send
/// has been flushed to the client rather than dropped with hyper's write buffer.
const FLUSH_GRACE: Duration = Duration::from_millis(50);

/// Writes a stream; `None` when the client went away before it ended.
async fn feed(
    tx: mpsc::Sender<io::Result<Bytes>>,
    plan: StreamPlan,
    delay: Duration,
) -> Option<()> {
    for event in plan.opening {
        tx.send(Ok(event.into())).await.ok()?;
    }
    for piece in plan.pieces {
        pause(&tx, delay).await?;
        tx.send(Ok(piece.into())).await.ok()?;
    }
    if plan.cut {
        // A permit is free again only once hyper has taken the last item.
        drop(tx.reserve().await.ok()?);
        tokio::time::sleep(FLUSH_GRACE).await;
        let cut = io::Error::new(io::ErrorKind::ConnectionAborted, "stream cut (AiFault)");
        return tx.send(Err(cut)).await.ok();
    }
    pause(&tx, delay).await?;
    for event in plan.closing {
        tx.send(Ok(event.into())).await.ok()?;
    }
    drop(tx.reserve().await.ok()?);
    Some(())
}

fn start_stream(inner: &Arc<Inner>, plan: StreamPlan) -> Response<ResponseBody> {
    let delay = {
        let mut state = lock(&inner.state);
        state.streams_started += 1;
        state.stream_delay
    };
    let (tx, rx) = mpsc::channel(1);
    let inner = inner.clone();
    tokio::spawn(async move {
        if feed(tx, plan, delay).await.is_none() {
            lock(&inner.state).abandoned_streams += 1;
        }
    });
    let mut response = Response::new(ChannelBody(rx).boxed());
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/event-stream; charset=utf-8"),
    );
    response
}

async fn execute(inner: &Arc<Inner>, mut plan: Plan) -> Result<Response<ResponseBody>, io::Error> {
    loop {
        match plan {
            Plan::Reply(response) => return Ok(response),
            Plan::Late(delay, next) => {
                tokio::time::sleep(delay).await;
                plan = *next;
            }
            Plan::Stream(stream) => return Ok(start_stream(inner, stream)),
            Plan::Hangup => {
                return Err(io::Error::new(
                    io::ErrorKind::ConnectionAborted,
                    "connection closed (AiFault::CutStream)",
                ));
            }
        }
    }
}

/// What a queued fault makes of a request; `answer` is the normal answer a timeout ends
/// with (chat completions only: elsewhere a timeout ends in a 500).
fn fault_plan(fault: &AiFault, answer: Option<Plan>) -> Plan {
    match fault {
        AiFault::ServerError => Plan::Reply(recorded(500, "32-error-500-server-error.json")),
        AiFault::Timeout(d) => {
            Plan::Late(
                *d,
                Box::new(answer.unwrap_or_else(|| {
                    Plan::Reply(recorded(500, "32-error-500-server-error.json"))
                })),
            )
        }
        AiFault::RateLimited => {
            Plan::Reply(recorded(429, "29-error-429-rate-limit-exceeded-tpm.json"))
        }
        AiFault::InsufficientQuota => {
            Plan::Reply(recorded(429, "27-error-429-insufficient-quota.json"))
        }
        AiFault::ContextLengthExceeded => {
            Plan::Reply(recorded(400, "31-error-400-context-length-exceeded.json"))
        }
        AiFault::CutStream => match answer {
            Some(Plan::Stream(stream)) => Plan::Stream(stream.cut_after_first_piece()),
            _ => Plan::Hangup,
        },
    }
}

fn transcription_plan(state: &mut State, content_type: &str, body: &[u8]) -> Plan {
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
    if let Some(fault) = state.faults.pop_front() {
        return fault_plan(&fault, None);
    }
    let text = transcript_of(&file.bytes);
    if response_format.as_deref() == Some("text") {
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

fn json_plan(state: &mut State, path: &str, body: &[u8]) -> Plan {
    let body: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Plan::Reply(invalid_request(&format!(
                "We could not parse the JSON body of your request. ({e})"
            )));
        }
    };
    if let Err(reason) = spec::openai().check_request("POST", path, &body) {
        state.violations.push(format!("POST {path}: {reason}"));
        return Plan::Reply(invalid_request(&reason));
    }
    state.requests.push(body.clone());
    let streamed = body["stream"] == true;
    match path {
        "/v1/conversations" => {
            let id = format!("conv_{:048x}", state.conversations.len() + 1);
            state.conversations.insert(id.clone(), 0);
            let mut conversation = fixtures::json("openai/15-conversation-object.json");
            conversation["id"] = json!(id);
            conversation["metadata"] = json!({});
            Plan::Reply(json_reply(200, &conversation))
        }
        "/v1/responses" => {
            let id = body["conversation"]
                .as_str()
                .or(body["conversation"]["id"].as_str())
                .unwrap_or_default()
                .to_owned();
            let Some(items) = state.conversations.get(&id).copied() else {
                return Plan::Reply(json_reply(
                    404,
                    &json!({"error": {
                        "message": format!("Conversation with id '{id}' not found."),
                        "type": "invalid_request_error", "param": null, "code": null}}),
                ));
            };
            state.serial += 1;
            let answer = if streamed {
                Plan::Stream(responses_stream(&body, items, state.serial))
            } else {
                Plan::Reply(json_reply(200, &response_body(&body, items)))
            };
            if let Some(fault) = state.faults.pop_front() {
                // A timeout ends in a 500 here, so only a cut stream carries the answer.
                let carried = matches!(fault, AiFault::CutStream).then_some(answer);
                return fault_plan(&fault, carried);
            }
            state.conversations.insert(id, items + 2);
            answer
        }
        "/v1/audio/speech" => {
            state.speeches.push(body.clone());
            if let Some(fault) = state.faults.pop_front() {
                return fault_plan(&fault, None);
            }
            let seconds = speech_seconds(body["input"].as_str().unwrap_or_default());
            // Only Ogg Opus is generated; what format was asked for is in `speeches()`.
            Plan::Reply(reply(200, "audio/ogg", ogg_opus(seconds)))
        }
        "/v1/chat/completions" => {
            let answer = if streamed {
                state.serial += 1;
                Plan::Stream(chat_stream(&body, state.serial))
            } else {
                Plan::Reply(json_reply(200, &completion_body(&body)))
            };
            match state.faults.pop_front() {
                Some(fault) => fault_plan(&fault, Some(answer)),
                None => answer,
            }
        }
        _ => Plan::Reply(recorded(404, "34-error-404-not-found.json")),
    }
}

async fn handle(
    inner: Arc<Inner>,
    request: Request<Incoming>,
) -> Result<Response<ResponseBody>, io::Error> {
    let path = request.uri().path().to_owned();
    let header = |name: hyper::header::HeaderName| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let auth = header(hyper::header::AUTHORIZATION);
    let content_type = header(hyper::header::CONTENT_TYPE);
    let is_post = request.method() == hyper::Method::POST;
    let body = match request.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) => return Ok(invalid_request(&format!("unreadable request body: {e}"))),
    };
    if auth != format!("Bearer {}", inner.api_key) {
        return Ok(recorded(401, "26-error-401-invalid-api-key.json"));
    }
    let plan = {
        let mut state = lock(&inner.state);
        if !is_post {
            Plan::Reply(recorded(404, "34-error-404-not-found.json"))
        } else if path == "/v1/audio/transcriptions" {
            transcription_plan(&mut state, &content_type, &body)
        } else {
            json_plan(&mut state, &path, &body)
        }
    };
    execute(&inner, plan).await
}

impl OpenAiStandIn {
    pub async fn start(api_key: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the OpenAI stand-in to a loopback port");
        let addr = listener
            .local_addr()
            .expect("the stand-in's listener has an address");
        let inner = Arc::new(Inner {
            api_key: api_key.to_owned(),
            state: Mutex::new(State::default()),
        });
        let shared = inner.clone();
        let acceptor = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    // Out of descriptors, say: give the open connections time to finish.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let inner = shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| handle(inner.clone(), request));
                    // A client hanging up mid-answer ends the connection with an error that
                    // matters only to the stream, which counts it itself.
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self {
            addr,
            inner,
            _acceptor: Arc::new(Acceptor(acceptor.abort_handle())),
        }
    }

    /// The value for `OPENAI_BASE_URL`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// Queues a fault for the next request to a model (chat completions, responses,
    /// transcriptions, speech), streamed or not.
    pub fn fail_next(&self, fault: AiFault) {
        lock(&self.inner.state).faults.push_back(fault);
    }

    /// The pause between the pieces of every stream started from now on (default none).
    pub fn set_stream_delay(&self, delay: Duration) {
        lock(&self.inner.state).stream_delay = delay;
    }

    /// Every JSON request that passed the spec check, in order.
    pub fn requests(&self) -> Vec<Value> {
        lock(&self.inner.state).requests.clone()
    }

    pub fn violations(&self) -> Vec<String> {
        lock(&self.inner.state).violations.clone()
    }

    /// Streams begun (a 200 `text/event-stream` answer), whatever became of them.
    pub fn streams_started(&self) -> usize {
        lock(&self.inner.state).streams_started
    }

    /// Streams whose client went away before the last event was taken.
    pub fn abandoned_streams(&self) -> usize {
        lock(&self.inner.state).abandoned_streams
    }

    /// Transcription requests that passed the checks, in order.
    pub fn transcriptions(&self) -> Vec<Transcription> {
        lock(&self.inner.state).transcriptions.clone()
    }

    /// Speech requests (their JSON bodies) that passed the spec check, in order.
    pub fn speeches(&self) -> Vec<Value> {
        lock(&self.inner.state).speeches.clone()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

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

    fn chat_request(include_usage: bool) -> Value {
        json!({"model": "gpt-4o-mini", "stream": true,
        "stream_options": {"include_usage": include_usage},
        "messages": [
            {"role": "system", "content": "You are their friend: warm"},
            {"role": "user", "content": "tell me something nice about the weather today"}
        ]})
    }

    fn data_of(event: &str) -> &str {
        event
            .strip_prefix("data: ")
            .and_then(|e| e.strip_suffix("\n\n"))
            .unwrap_or_else(|| panic!("not one SSE data event: {event:?}"))
    }

    #[test]
    fn streamed_chunks_fit_the_documented_stream_and_spell_the_reply() {
        let request = chat_request(true);
        spec::openai()
            .check_request("POST", "/v1/chat/completions", &request)
            .unwrap();
        let plan = chat_stream(&request, 7);
        let events: Vec<&str> = plan.events().collect();
        assert_eq!(events.last(), Some(&"data: [DONE]\n\n"));
        let chunks: Vec<Value> = events[..events.len() - 1]
            .iter()
            .map(|e| serde_json::from_str(data_of(e)).unwrap())
            .collect();
        for chunk in &chunks {
            spec::openai()
                .check_component("CreateChatCompletionStreamResponse", chunk)
                .unwrap_or_else(|e| panic!("{chunk}: {e}"));
            assert_eq!(chunk["id"], chunks[0]["id"]);
            assert_eq!(chunk["model"], "gpt-4o-mini");
        }
        assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
        let text: String = chunks
            .iter()
            .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
            .collect();
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
        assert_eq!(plan.pieces.len(), stream_pieces(&text).len());

        let plain = chat_stream(&chat_request(false), 8);
        let chunks: Vec<Value> = plain
            .events()
            .filter(|e| !e.contains("[DONE]"))
            .map(|e| serde_json::from_str(data_of(e)).unwrap())
            .collect();
        assert!(chunks.iter().all(|c| c.get("usage").is_none()));
        assert!(
            chunks
                .iter()
                .all(|c| !c["choices"].as_array().unwrap().is_empty())
        );
    }

    #[test]
    fn streamed_responses_fit_the_documented_events() {
        let request = json!({"model": "gpt-4o-mini", "conversation": "conv_1", "stream": true,
            "instructions": "You are their parent: caring", "input": "how was your day"});
        spec::openai()
            .check_request("POST", "/v1/responses", &request)
            .unwrap();
        let plan = responses_stream(&request, 4, 1);
        let mut events = Vec::new();
        for raw in plan.events() {
            let (head, data) = raw.split_once('\n').unwrap();
            let kind = head.strip_prefix("event: ").unwrap();
            let event: Value = serde_json::from_str(data_of(data)).unwrap();
            assert_eq!(event["type"], kind);
            assert_eq!(event["sequence_number"], events.len());
            spec::openai()
                .check_response_stream_event(&event)
                .unwrap_or_else(|e| panic!("{kind}: {e}"));
            events.push(event);
        }
        let kinds: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
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
        let whole = response_body(&request, 4);
        assert_eq!(
            text,
            whole["output"][0]["content"][0]["text"].as_str().unwrap()
        );
        let completed = &events.last().unwrap()["response"];
        assert_eq!(completed, &whole);
        spec::openai()
            .check_response("POST", "/v1/responses", completed)
            .unwrap();
    }

    /// Reads an Ogg stream back page by page, checking the framing.
    fn ogg_pages(bytes: &[u8]) -> Vec<(u8, u64, u32, Vec<Vec<u8>>)> {
        let mut pages = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let page = &bytes[at..];
            assert_eq!(&page[..4], b"OggS", "capture pattern at {at}");
            assert_eq!(page[4], 0, "version");
            let flags = page[5];
            let granule = u64::from_le_bytes(page[6..14].try_into().unwrap());
            assert_eq!(
                u32::from_le_bytes(page[14..18].try_into().unwrap()),
                OGG_SERIAL
            );
            let sequence = u32::from_le_bytes(page[18..22].try_into().unwrap());
            let crc = u32::from_le_bytes(page[22..26].try_into().unwrap());
            let segments = usize::from(page[26]);
            let lacing = &page[27..27 + segments];
            let body_len: usize = lacing.iter().map(|&l| usize::from(l)).sum();
            let len = 27 + segments + body_len;
            let mut zeroed = page[..len].to_vec();
            zeroed[22..26].fill(0);
            assert_eq!(ogg_crc(&zeroed), crc, "CRC of page {sequence}");
            let mut packets = Vec::new();
            let mut packet = Vec::new();
            let mut offset = 27 + segments;
            for &l in lacing {
                packet.extend_from_slice(&page[offset..offset + usize::from(l)]);
                offset += usize::from(l);
                if l < 255 {
                    packets.push(std::mem::take(&mut packet));
                }
            }
            assert!(packet.is_empty(), "no packet continues past a page here");
            pages.push((flags, granule, sequence, packets));
            at += len;
        }
        pages
    }

    #[test]
    fn ogg_crc_is_the_ogg_polynomial() {
        // CRC-32 with polynomial 0x04c11db7, no reflection, init 0, no final xor: the
        // catalogued CRC-32/CKSUM check value 0x765e7680 without its final inversion.
        assert_eq!(ogg_crc(b"123456789"), 0x89a1_897f);
        assert_eq!(ogg_crc(b""), 0);
    }

    #[test]
    fn ogg_opus_is_well_formed_and_lasts_as_asked() {
        for seconds in [1, 3, 7] {
            let bytes = ogg_opus(seconds);
            let pages = ogg_pages(&bytes);
            assert_eq!(pages.len(), 2 + seconds as usize);
            for (i, (flags, _, sequence, _)) in pages.iter().enumerate() {
                assert_eq!(*sequence as usize, i);
                let expected = match i {
                    0 => 0x02,
                    _ if i == pages.len() - 1 => 0x04,
                    _ => 0,
                };
                assert_eq!(*flags, expected, "flags of page {i}");
            }
            let head = &pages[0].3[0];
            assert_eq!(pages[0].3.len(), 1);
            assert_eq!(&head[..8], b"OpusHead");
            assert_eq!(head.len(), 19);
            assert_eq!(head[8], 1, "version");
            assert_eq!(head[9], 1, "channels");
            assert_eq!(u32::from_le_bytes(head[12..16].try_into().unwrap()), 48_000);
            assert_eq!(&pages[1].3[0][..8], b"OpusTags");
            assert_eq!((pages[0].1, pages[1].1), (0, 0));
            let last = pages.last().unwrap();
            assert_eq!(last.1, 48_000 * u64::from(seconds));
            let frames: usize = pages[2..].iter().map(|p| p.3.len()).sum();
            // 20 ms frames: 960 samples each.
            assert_eq!(frames as u64 * 960, last.1);
            assert!(pages[2..].iter().all(|p| p.3.iter().all(|f| f[0] == 0xf8)));
        }
        assert_eq!(ogg_opus(0), ogg_opus(1));
    }

    #[test]
    fn speech_lasts_two_and_a_half_words_a_second() {
        assert_eq!(speech_seconds(""), 1);
        assert_eq!(speech_seconds("hi"), 1);
        assert_eq!(speech_seconds("one two three"), 2);
        assert_eq!(speech_seconds("a b c d e"), 2);
        assert_eq!(speech_seconds("a b c d e f"), 3);
    }

    #[test]
    fn the_transcript_is_what_follows_the_marker() {
        assert_eq!(transcript_of(&spoken_ogg(2, "hello there")), "hello there");
        assert_eq!(transcript_of(b"xxSPOKEN:caf\xc3\xa9\0rest"), "caf\u{e9}");
        assert_eq!(transcript_of(&ogg_opus(1)), "");
    }

    // A deliberately plain HTTP/1.1 client: it shows exactly what went over the wire,
    // including a chunked body that never got its terminating chunk.

    pub(crate) struct RawResponse {
        pub status: u16,
        pub headers: Vec<(String, String)>,
        pub body: Vec<u8>,
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
    }

    fn dechunk(raw: &[u8]) -> (Vec<u8>, bool) {
        let mut body = Vec::new();
        let mut at = 0;
        loop {
            let Some(line_end) = raw[at..].windows(2).position(|w| w == b"\r\n") else {
                return (body, false);
            };
            let size_text = String::from_utf8_lossy(&raw[at..at + line_end]).into_owned();
            let Ok(size) = usize::from_str_radix(size_text.trim(), 16) else {
                return (body, false);
            };
            at += line_end + 2;
            if size == 0 {
                return (body, true);
            }
            if raw.len() < at + size {
                body.extend_from_slice(&raw[at..]);
                return (body, false);
            }
            body.extend_from_slice(&raw[at..at + size]);
            at += size + 2;
        }
    }

    pub(crate) fn request_bytes(
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

    pub(crate) async fn http(
        method: &str,
        base_url: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> RawResponse {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (host, request) = request_bytes(method, base_url, path, headers, body);
        let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
        stream.write_all(&request).await.unwrap();
        let mut raw = Vec::new();
        let mut buf = [0u8; 8192];
        // A reset after a cut stream ends the read like EOF does.
        while let Ok(n) = stream.read(&mut buf).await {
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&buf[..n]);
        }
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
        let (body, complete) = if chunked {
            dechunk(rest)
        } else {
            let length = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.parse::<usize>().ok());
            (rest.to_vec(), length.is_none_or(|l| l == rest.len()))
        };
        RawResponse {
            status,
            headers,
            body,
            complete,
        }
    }

    const KEY: &str = "sk-test";

    async fn post_json(ai: &OpenAiStandIn, path: &str, body: &Value) -> RawResponse {
        let auth = format!("Bearer {KEY}");
        http(
            "POST",
            &ai.base_url(),
            &format!("/v1{path}"),
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
            ],
            body.to_string().as_bytes(),
        )
        .await
    }

    fn sse_data(body: &[u8]) -> Vec<String> {
        String::from_utf8_lossy(body)
            .split("\n\n")
            .filter_map(|e| e.strip_prefix("data: "))
            .map(str::to_owned)
            .collect()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn serves_whole_and_streamed_completions_with_pauses() {
        let ai = OpenAiStandIn::start(KEY).await;
        let mut plain = chat_request(false);
        plain.as_object_mut().unwrap().remove("stream");
        plain.as_object_mut().unwrap().remove("stream_options");
        let whole = post_json(&ai, "/chat/completions", &plain).await;
        assert_eq!(whole.status, 200);
        assert_eq!(
            whole.json()["choices"][0]["message"]["content"],
            reply_text(&plain)
        );

        ai.set_stream_delay(Duration::from_millis(40));
        let request = chat_request(true);
        let started = std::time::Instant::now();
        let streamed = post_json(&ai, "/chat/completions", &request).await;
        let took = started.elapsed();
        assert_eq!(streamed.status, 200);
        assert!(streamed.complete);
        assert_eq!(
            streamed.header("content-type"),
            Some("text/event-stream; charset=utf-8")
        );
        let data = sse_data(&streamed.body);
        assert_eq!(data.last().map(String::as_str), Some("[DONE]"));
        let text: String = data
            .iter()
            .filter_map(|d| serde_json::from_str::<Value>(d).ok())
            .filter_map(|c| {
                c["choices"][0]["delta"]["content"]
                    .as_str()
                    .map(str::to_owned)
            })
            .collect();
        assert_eq!(text, reply_text(&request));
        let pauses = stream_pieces(&text).len() as u32 + 1;
        assert!(took >= Duration::from_millis(40) * pauses, "{took:?}");
        assert_eq!((ai.streams_started(), ai.abandoned_streams()), (1, 0));
        assert_eq!(ai.requests().len(), 2);
        assert!(ai.violations().is_empty(), "{:?}", ai.violations());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn notices_a_client_that_hangs_up_mid_stream() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let ai = OpenAiStandIn::start(KEY).await;
        ai.set_stream_delay(Duration::from_millis(100));
        let auth = format!("Bearer {KEY}");
        let (host, request) = request_bytes(
            "POST",
            &ai.base_url(),
            "/v1/chat/completions",
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
            ],
            chat_request(true).to_string().as_bytes(),
        );
        let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
        stream.write_all(&request).await.unwrap();
        let mut buf = [0u8; 4096];
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0);
        drop(stream);
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while ai.abandoned_streams() == 0 && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!((ai.streams_started(), ai.abandoned_streams()), (1, 1));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn faults_hit_streams_before_and_during_the_stream() {
        let ai = OpenAiStandIn::start(KEY).await;
        ai.fail_next(AiFault::RateLimited);
        let limited = post_json(&ai, "/chat/completions", &chat_request(true)).await;
        assert_eq!(limited.status, 429);
        assert_eq!(limited.json()["error"]["code"], "rate_limit_exceeded");
        assert_eq!(ai.streams_started(), 0);

        ai.fail_next(AiFault::CutStream);
        let cut = post_json(&ai, "/chat/completions", &chat_request(true)).await;
        assert_eq!(cut.status, 200);
        assert!(!cut.complete, "a cut stream has no terminating chunk");
        let data = sse_data(&cut.body);
        assert_eq!(data.len(), 2, "{data:?}");
        let first: Value = serde_json::from_str(&data[0]).unwrap();
        assert_eq!(first["choices"][0]["delta"]["role"], "assistant");
        let second: Value = serde_json::from_str(&data[1]).unwrap();
        let text = reply_text(&chat_request(true));
        assert_eq!(
            second["choices"][0]["delta"]["content"].as_str(),
            stream_pieces(&text).first().map(String::as_str)
        );
        assert_eq!(ai.abandoned_streams(), 0);

        ai.fail_next(AiFault::CutStream);
        let mut plain = chat_request(false);
        plain.as_object_mut().unwrap().remove("stream");
        let auth = format!("Bearer {KEY}");
        let (host, request) = request_bytes(
            "POST",
            &ai.base_url(),
            "/v1/chat/completions",
            &[("Authorization", &auth)],
            plain.to_string().as_bytes(),
        );
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
        stream.write_all(&request).await.unwrap();
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw).await;
        assert!(raw.is_empty(), "{}", String::from_utf8_lossy(&raw));

        let wrong = http(
            "POST",
            &ai.base_url(),
            "/v1/chat/completions",
            &[("Authorization", "Bearer nope")],
            chat_request(true).to_string().as_bytes(),
        )
        .await;
        assert_eq!(wrong.status, 401);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn streams_responses_and_keeps_the_conversation_count() {
        let ai = OpenAiStandIn::start(KEY).await;
        let conversation = post_json(&ai, "/conversations", &json!({})).await.json();
        let id = conversation["id"].as_str().unwrap();
        let request = json!({"model": "gpt-4o-mini", "conversation": id, "stream": true,
            "instructions": "You are their parent: caring", "input": "hi"});
        for earlier in [0, 2] {
            let streamed = post_json(&ai, "/responses", &request).await;
            assert_eq!(streamed.status, 200);
            assert!(streamed.complete);
            let body = String::from_utf8(streamed.body).unwrap();
            assert!(
                body.starts_with("event: response.created\ndata: {"),
                "{body}"
            );
            let completed = body
                .split("\n\n")
                .find(|e| e.starts_with("event: response.completed"))
                .and_then(|e| e.split_once("data: "))
                .map(|(_, d)| serde_json::from_str::<Value>(d).unwrap())
                .unwrap();
            assert_eq!(completed["response"], response_body(&request, earlier));
        }
        let mut plain = request.clone();
        plain.as_object_mut().unwrap().remove("stream");
        let whole = post_json(&ai, "/responses", &plain).await.json();
        assert_eq!(whole, response_body(&plain, 4));
        assert_eq!(ai.streams_started(), 2);
    }

    fn multipart(boundary: &str, parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
        let mut body = Vec::new();
        for (name, file_name, bytes) in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match file_name {
                Some(f) => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: audio/ogg\r\n\r\n").as_bytes(),
                ),
                None => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                ),
            }
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        body
    }

    async fn transcribe(ai: &OpenAiStandIn, parts: &[(&str, Option<&str>, &[u8])]) -> RawResponse {
        let auth = format!("Bearer {KEY}");
        http(
            "POST",
            &ai.base_url(),
            "/v1/audio/transcriptions",
            &[
                ("Authorization", &auth),
                ("Content-Type", "multipart/form-data; boundary=b0undary"),
            ],
            &multipart("b0undary", parts),
        )
        .await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn transcribes_the_spoken_marker_and_checks_the_form() {
        let ai = OpenAiStandIn::start(KEY).await;
        let voice = spoken_ogg(2, "good morning, sunshine");
        let answer = transcribe(
            &ai,
            &[
                ("file", Some("voice.oga"), &voice),
                ("model", None, b"gpt-4o-mini-transcribe"),
            ],
        )
        .await;
        assert_eq!(answer.status, 200);
        let body = answer.json();
        assert_eq!(body["text"], "good morning, sunshine");
        assert_eq!(body["usage"]["type"], "tokens");
        spec::openai()
            .check_response("POST", "/v1/audio/transcriptions", &body)
            .unwrap();
        let text = transcribe(
            &ai,
            &[
                ("file", Some("voice.oga"), &voice),
                ("model", None, b"gpt-4o-mini-transcribe"),
                ("response_format", None, b"text"),
            ],
        )
        .await;
        assert_eq!(text.body, b"good morning, sunshine\n");
        assert_eq!(
            ai.transcriptions(),
            vec![
                Transcription {
                    model: "gpt-4o-mini-transcribe".into(),
                    file_name: "voice.oga".into(),
                    bytes: voice.len(),
                    response_format: None,
                },
                Transcription {
                    model: "gpt-4o-mini-transcribe".into(),
                    file_name: "voice.oga".into(),
                    bytes: voice.len(),
                    response_format: Some("text".into()),
                },
            ]
        );
        assert!(ai.violations().is_empty());

        let legacy = transcribe(
            &ai,
            &[
                ("file", Some("v.oga"), &voice),
                ("model", None, b"whisper-1"),
            ],
        )
        .await;
        assert_eq!(legacy.status, 400);
        let unknown = transcribe(
            &ai,
            &[
                ("file", Some("v.oga"), &voice),
                ("model", None, b"gpt-4o-mini-transcribe"),
                ("speed", None, b"2"),
            ],
        )
        .await;
        assert_eq!(unknown.status, 400);
        let violations = ai.violations();
        assert_eq!(violations.len(), 2, "{violations:?}");
        assert!(violations[0].contains("whisper-1"));
        assert!(violations[1].contains("`speed`"));
        assert_eq!(ai.transcriptions().len(), 2);

        ai.fail_next(AiFault::ServerError);
        let failed = transcribe(
            &ai,
            &[
                ("file", Some("v.oga"), &voice),
                ("model", None, b"gpt-4o-mini-transcribe"),
            ],
        )
        .await;
        assert_eq!(failed.status, 500);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn speaks_in_ogg_opus_as_long_as_the_words_take() {
        let ai = OpenAiStandIn::start(KEY).await;
        let request = json!({"model": "gpt-4o-mini-tts", "voice": "alloy", "response_format": "opus",
                             "input": "one two three four five six seven eight"});
        let answer = post_json(&ai, "/audio/speech", &request).await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("content-type"), Some("audio/ogg"));
        let pages = ogg_pages(&answer.body);
        assert_eq!(pages.last().unwrap().1, 48_000 * 4);
        assert_eq!(ai.speeches(), vec![request]);
        let invalid = post_json(
            &ai,
            "/audio/speech",
            &json!({"model": "tts-1", "input": "hi"}),
        )
        .await;
        assert_eq!(invalid.status, 400);
        assert!(
            ai.violations()[0].contains("`voice`"),
            "{:?}",
            ai.violations()
        );
        assert_eq!(ai.speeches().len(), 1);
    }
}
