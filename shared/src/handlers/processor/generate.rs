//! One model reply: streamed into drafts when streaming is on, retried within the
//! delivery, bounded by the deadline, stoppable by the user.

use std::time::Duration;

use anyhow::anyhow;
use futures::StreamExt;
use tokio::time::Instant;

use super::progress::Progress;
use super::{Delivery, ProcessorModel, ProcessorState, ProcessorStore};
use crate::clock::Deadline;
use crate::domain::memory::{estimate_messages, estimate_text};
use crate::domain::{IncomingMessage, PromptMessage, Usage};
use crate::error::{Cause, Failure, Result};
use crate::handlers::capabilities::Feature;
use crate::handlers::retry::{Policy, bounded, out_of_time, retrying};
use crate::ports::{Completion, ReplyStream, StreamEvent, Telegram};

/// Time kept after the reply for storing it and queueing it for the sender.
pub(super) const FINISH_MARGIN: Duration = Duration::from_secs(10);

/// How often a streaming reply looks for a stop request (and no more often than drafts
/// are shown): a read every two seconds keeps a long reply's reads few, and a stop two
/// seconds late still saves the rest of the reply.
pub(super) const STOP_CHECK: Duration = Duration::from_secs(2);

/// What one model call asks.
#[derive(Clone, Copy)]
pub(super) enum Request<'a> {
    Chat {
        prompt: &'a [PromptMessage],
        model: Option<&'a str>,
        /// The longest reply: `MAX_REPLY_TOKENS`, or what a limit leaves.
        max_tokens: u32,
    },
    Responses {
        conversation: &'a str,
        instructions: &'a str,
        /// One message: the user's, with the instructions for the estimate.
        input: &'a [PromptMessage; 2],
        model: Option<&'a str>,
        /// As for `Chat`.
        max_tokens: u32,
    },
}

impl Request<'_> {
    fn has_image(&self) -> bool {
        self.prompt().iter().any(|m| !m.images.is_empty())
    }

    /// The longest reply asked for.
    fn max_tokens(&self) -> u32 {
        match self {
            Self::Chat { max_tokens, .. } | Self::Responses { max_tokens, .. } => *max_tokens,
        }
    }

    /// What is sent, for estimating its tokens.
    fn prompt(&self) -> &[PromptMessage] {
        match self {
            Self::Chat { prompt, .. } => prompt,
            Self::Responses { input, .. } => &input[..],
        }
    }

    async fn open<M: ProcessorModel>(&self, model: &M, max_tokens: u32) -> Result<ReplyStream> {
        match *self {
            Self::Chat {
                prompt, model: m, ..
            } => model.complete_stream(prompt, m, max_tokens).await,
            Self::Responses {
                conversation,
                instructions,
                input,
                model: m,
                ..
            } => {
                model
                    .respond_stream(conversation, instructions, &input[1], m, max_tokens)
                    .await
            }
        }
    }

    async fn once<M: ProcessorModel>(&self, model: &M, max_tokens: u32) -> Result<Completion> {
        let started = Instant::now();
        let answer = match *self {
            Self::Chat {
                prompt, model: m, ..
            } => model.complete(prompt, m, max_tokens).await,
            Self::Responses {
                conversation,
                instructions,
                input,
                model: m,
                ..
            } => {
                model
                    .respond(conversation, instructions, &input[1], m, max_tokens)
                    .await
            }
        };
        if answer.is_ok() {
            crate::metrics::model_latency(started.elapsed());
        }
        answer
    }
}

/// The reply to `message`. An empty stream says nothing about why: with a picture it means
/// the model cannot see (what OpenAI-compatible servers without vision do), otherwise the
/// same request is made whole, and the server then answers or says what is wrong.
pub(super) async fn generate<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    request: Request<'_>,
    progress: &mut Progress<'_>,
    delivery: Delivery,
    vision_model: &str,
) -> Result<Completion>
where
    S: ProcessorStore,
    M: ProcessorModel,
    T: Telegram,
{
    let deadline = delivery.deadline.less(FINISH_MARGIN);
    progress.begin(state, delivery.is_retry()).await;
    let whole = || {
        retrying(state.attempts(), deadline, || {
            request.once(&state.model, request.max_tokens())
        })
    };
    let result = if state.stream {
        let result = Box::pin(streamed(state, message, request, progress, deadline)).await;
        match result {
            Err(e) if e.is(Cause::EmptyStream) && !request.has_image() => {
                tracing::warn!("the stream was empty; asking again without streaming");
                whole().await
            }
            other => other,
        }
    } else {
        whole().await
    };
    let result = match result {
        Err(e) if request.has_image() && cannot_see(&e) => {
            let feature = Feature::Vision(vision_model.to_owned());
            state
                .capabilities
                .mark_missing(&state.store, &feature)
                .await;
            Err(
                Failure::permanent(anyhow!("{e:#}; the model cannot see pictures"))
                    .with_cause(Cause::VisionUnsupported),
            )
        }
        other => other,
    };
    result
        .map(|c| with_usage(state, request.prompt(), c))
        .map_err(Failure::from_model)
}

/// Whether a failed request with a picture failed because of the picture: an empty stream
/// (what servers without vision send), or a refusal that names the image.
fn cannot_see(failure: &Failure) -> bool {
    failure.is(Cause::EmptyStream)
        || (failure.is(Cause::BadRequest)
            && failure.to_string().to_ascii_lowercase().contains("image"))
}

/// The reply, streamed, with bounded retries; each retry says so in the draft.
async fn streamed<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    request: Request<'_>,
    progress: &mut Progress<'_>,
    deadline: Deadline,
) -> Result<Completion>
where
    S: ProcessorStore,
    M: ProcessorModel,
    T: Telegram,
{
    let mut policy = Policy::new(state.attempts());
    loop {
        let failure = match Box::pin(stream_once(state, message, request, progress, deadline)).await
        {
            Ok(completion) => return Ok(completion),
            Err(failure) => failure,
        };
        if failure.is(Cause::EmptyStream) {
            return Err(failure);
        }
        let Some(wait) = policy.next_wait(&failure, deadline) else {
            return Err(failure);
        };
        tracing::warn!(error = %failure, ?wait, "model stream failed; trying again");
        progress
            .note(state, &crate::domain::texts::draft_retrying(message.lang()))
            .await;
        tokio::time::sleep(wait).await;
        progress.restart();
    }
}

/// What a stream has brought so far.
#[derive(Default)]
struct Received {
    text: String,
    refusal: String,
    filtered: bool,
    usage: Option<Usage>,
}

impl Received {
    fn take(&mut self, event: StreamEvent) {
        match event {
            StreamEvent::Delta(d) => self.text.push_str(&d),
            StreamEvent::Refusal(r) => self.refusal.push_str(&r),
            StreamEvent::Filtered => self.filtered = true,
            StreamEvent::Usage {
                model,
                prompt_tokens,
                completion_tokens,
            } => {
                self.usage = Some(Usage {
                    model,
                    prompt_tokens,
                    completion_tokens,
                    response_ms: 0,
                    estimated: false,
                });
            }
        }
    }
}

/// How a stream ended.
enum End {
    Finished,
    /// The user asked to stop.
    Stopped,
    /// The deadline came first.
    OutOfTime,
}

async fn stream_once<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    message: &IncomingMessage,
    request: Request<'_>,
    progress: &mut Progress<'_>,
    deadline: Deadline,
) -> Result<Completion>
where
    S: ProcessorStore,
    M: ProcessorModel,
    T: Telegram,
{
    let started = Instant::now();
    let mut stream = bounded(deadline, request.open(&state.model, request.max_tokens())).await?;
    let mut got = Received::default();
    let mut first_text = true;
    let check_every = state.draft_interval.max(STOP_CHECK);
    let mut next_check = started + check_every;
    let end = loop {
        let mut wake = next_check.min(deadline.instant());
        if let Some(at) = progress.wake_at(got.text.len()) {
            wake = wake.min(at);
        }
        match tokio::time::timeout_at(wake, stream.next()).await {
            Ok(Some(Ok(event))) => {
                if first_text && matches!(&event, StreamEvent::Delta(d) if !d.is_empty()) {
                    first_text = false;
                    crate::metrics::time_to_first_token(started.elapsed());
                }
                got.take(event);
            }
            Ok(Some(Err(e))) => return Err(e),
            Ok(None) => break End::Finished,
            Err(_) => {}
        }
        let now = Instant::now();
        if now >= deadline.instant() {
            break End::OutOfTime;
        }
        if now >= next_check {
            next_check = now + check_every;
            match state
                .store
                .stop_requested(message.chat_id, progress.draft_id(), message.update_id)
                .await
            {
                Ok(true) => break End::Stopped,
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "could not check for a stop request"),
            }
        }
        progress.partial(state, &got.text).await;
    };
    // Dropping the stream closes the connection, which stops the generation upstream.
    drop(stream);
    let mut completion = complete(got, &end)?;
    completion.usage.response_ms = started.elapsed().as_millis() as u64;
    if matches!(end, End::Finished) {
        // A stream the user stopped, or the deadline cut, says nothing about the model.
        crate::metrics::model_latency(started.elapsed());
    }
    Ok(completion)
}

fn complete(got: Received, end: &End) -> Result<Completion> {
    let usage = got.usage.unwrap_or(Usage {
        model: String::new(),
        prompt_tokens: 0,
        completion_tokens: 0,
        response_ms: 0,
        estimated: true,
    });
    let mut completion = Completion::answer(got.text, usage);
    match end {
        End::Stopped => {
            tracing::info!(chars = completion.text.len(), "the user stopped the reply");
            completion.stopped = true;
            return Ok(completion);
        }
        End::OutOfTime if completion.text.trim().is_empty() => return Err(out_of_time()),
        End::OutOfTime => {
            tracing::warn!(
                chars = completion.text.len(),
                "out of time; sending the reply as far as it got"
            );
            completion.cut_short = true;
            return Ok(completion);
        }
        End::Finished => {}
    }
    if !completion.text.trim().is_empty() {
        return Ok(completion);
    }
    if !got.refusal.trim().is_empty() {
        completion.text = got.refusal;
        completion.refused = true;
        return Ok(completion);
    }
    if got.filtered {
        return Err(Failure::permanent(anyhow!(
            "the provider's content filter withheld the reply"
        ))
        .with_cause(Cause::ContentFilter));
    }
    Err(Failure::retryable(anyhow!("the model streamed no text")).with_cause(Cause::EmptyReply))
}

/// Usage the provider did not report (a stopped stream, a server that never reports it)
/// is estimated: prompt by the calibrated estimator, reply by its text; and marked so.
pub(super) fn with_usage<S, M, Q, T>(
    state: &ProcessorState<S, M, Q, T>,
    prompt: &[PromptMessage],
    mut completion: Completion,
) -> Completion {
    if completion.usage.estimated {
        completion.usage.prompt_tokens = state.calibration().apply(estimate_messages(prompt));
        completion.usage.completion_tokens = estimate_text(&completion.text);
    }
    completion
}
