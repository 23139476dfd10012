//! The HTTP side: accepting connections, carrying out an answer's plan, and feeding
//! streams piece by piece while watching for a client that hangs up.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

use super::bodies::{ResponseBody, invalid_request, recorded};
use super::sse::{Step, StreamPlan};
use super::{Endpoint, Inner, Profile, llama, lock, routes};

/// How a request is answered.
pub(crate) enum Plan {
    Reply(Response<ResponseBody>),
    /// Wait this long, then go on with the rest of the plan.
    Late(Duration, Box<Plan>),
    Stream(StreamPlan),
    /// Close the connection without an answer.
    Hangup,
    /// Reset the connection (RST) without an answer.
    Reset,
}

/// A connection that can be told to end with a reset instead of an orderly close.
struct Connection {
    stream: TcpStream,
    reset: Arc<AtomicBool>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        // SO_LINGER 0: closing sends RST and drops anything unsent.
        if self.reset.load(Ordering::SeqCst) {
            let _ = self.stream.set_zero_linger();
        }
    }
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
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
    for step in plan.into_steps() {
        match step {
            Step::Write(event) => tx.send(Ok(event.into())).await.ok()?,
            Step::Pause => pause(&tx, delay).await?,
            Step::Silence(silence) => pause(&tx, silence).await?,
            Step::Break => {
                // A permit is free again only once hyper has taken the last item.
                drop(tx.reserve().await.ok()?);
                tokio::time::sleep(FLUSH_GRACE).await;
                let cut = io::Error::new(io::ErrorKind::ConnectionAborted, "stream cut (AiFault)");
                return tx.send(Err(cut)).await.ok();
            }
        }
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

async fn execute(
    inner: &Arc<Inner>,
    mut plan: Plan,
    reset: &AtomicBool,
) -> Result<Response<ResponseBody>, io::Error> {
    loop {
        match plan {
            Plan::Reply(response) => return Ok(response),
            Plan::Late(delay, next) => {
                tokio::time::sleep(delay).await;
                plan = *next;
            }
            Plan::Stream(stream) => return Ok(start_stream(inner, stream)),
            Plan::Hangup | Plan::Reset => {
                if matches!(plan, Plan::Reset) {
                    reset.store(true, Ordering::SeqCst);
                }
                return Err(io::Error::new(
                    io::ErrorKind::ConnectionAborted,
                    "connection closed without an answer (AiFault)",
                ));
            }
        }
    }
}

/// The answers that come before a request's body is looked at: routes the server does
/// not have, the API key, the HTTP method.
fn gatekeeper(inner: &Inner, request: &Request<Incoming>) -> Option<Plan> {
    let profile = lock(&inner.state).profile;
    let endpoint = Endpoint::of(request.uri().path());
    let auth = request
        .headers()
        .get(hyper::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let authorised = auth == format!("Bearer {}", inner.api_key);
    let is_post = request.method() == hyper::Method::POST
        || (request.method() == hyper::Method::DELETE && is_one_conversation(request.uri().path()));
    let answer = match profile {
        // FastAPI routes first: an unknown path is a 404 whatever the key.
        Profile::LlamaCpp if endpoint != Some(Endpoint::Chat) => llama::not_found(),
        Profile::LlamaCpp if !authorised => llama::unauthorized(),
        Profile::LlamaCpp if !is_post => super::bodies::reply(
            405,
            "application/json",
            r#"{"detail":"Method Not Allowed"}"#,
        ),
        Profile::OpenAi if !authorised => recorded(401, "26-error-401-invalid-api-key.json"),
        Profile::OpenAi if !is_post => recorded(404, "34-error-404-not-found.json"),
        _ => return None,
    };
    Some(Plan::Reply(answer))
}

/// `/v1/conversations/{id}`, which takes a DELETE.
fn is_one_conversation(path: &str) -> bool {
    path.strip_prefix("/v1/conversations/")
        .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

async fn handle(
    inner: Arc<Inner>,
    request: Request<Incoming>,
    reset: Arc<AtomicBool>,
) -> Result<Response<ResponseBody>, io::Error> {
    let path = request.uri().path().to_owned();
    let content_type = request
        .headers()
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let early = gatekeeper(&inner, &request);
    let delete = request.method() == hyper::Method::DELETE;
    let body = match request.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) => return Ok(invalid_request(&format!("unreadable request body: {e}"))),
    };
    let plan = match early {
        Some(plan) => {
            routes::note_unserved(&mut lock(&inner.state), &path, &body);
            plan
        }
        None if delete => routes::delete_conversation(&mut lock(&inner.state), &path),
        None => routes::plan(&mut lock(&inner.state), &path, &content_type, &body),
    };
    execute(&inner, plan, &reset).await
}

/// Accepts connections until the task is aborted.
pub(crate) async fn serve(listener: TcpListener, inner: Arc<Inner>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of descriptors, say: give the open connections time to finish.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let inner = inner.clone();
        tokio::spawn(async move {
            let reset = Arc::new(AtomicBool::new(false));
            let connection = Connection {
                stream,
                reset: reset.clone(),
            };
            let service = service_fn(move |request| handle(inner.clone(), request, reset.clone()));
            // A client hanging up mid-answer ends the connection with an error that
            // matters only to the stream, which counts it itself.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(connection), service)
                .await;
        });
    }
}
