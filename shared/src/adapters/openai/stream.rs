//! Limits on a provider's event stream.
//!
//! A whole reply may take minutes to generate and still be fine as long as it keeps
//! coming, so a stream has no total timeout here (the handler bounds it by its own
//! deadline). What is bounded is silence: the first event may take `first` (a long prompt
//! is read before anything is written), each later one `idle`. A stream that ends without
//! a single event tells nothing about why; it is reported as such, so the caller can ask
//! again without streaming and hear the server's reason.

use std::time::Duration;

use anyhow::anyhow;
use futures::{Stream, StreamExt};

use crate::error::{Cause, Failure};

struct Guard<S> {
    inner: S,
    first: Duration,
    idle: Duration,
    seen: bool,
    done: bool,
}

/// `inner`'s items, failing with a retryable error after too long a silence and with
/// [`Cause::EmptyStream`] when it ends having said nothing. Nothing follows an error.
pub fn guarded<S, T, E>(
    inner: S,
    first: Duration,
    idle: Duration,
    classify: fn(E) -> Failure,
) -> impl Stream<Item = Result<T, Failure>> + Send
where
    S: Stream<Item = Result<T, E>> + Send + Unpin,
    T: Send,
    E: Send,
{
    let guard = Guard {
        inner,
        first,
        idle,
        seen: false,
        done: false,
    };
    futures::stream::unfold(guard, move |mut g| async move {
        if g.done {
            return None;
        }
        let wait = if g.seen { g.idle } else { g.first };
        let item = match tokio::time::timeout(wait, g.inner.next()).await {
            Ok(Some(Ok(item))) => {
                g.seen = true;
                Ok(item)
            }
            Ok(Some(Err(e))) => {
                g.done = true;
                Err(classify(e))
            }
            Ok(None) if g.seen => return None,
            Ok(None) => {
                g.done = true;
                Err(
                    Failure::retryable(anyhow!("the stream ended without sending anything"))
                        .with_cause(Cause::EmptyStream),
                )
            }
            Err(_) => {
                g.done = true;
                Err(Failure::retryable(anyhow!(
                    "the stream sent nothing for {wait:?}"
                )))
            }
        };
        Some((item, g))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(e: Failure) -> Failure {
        e
    }

    async fn collect(
        items: Vec<Result<u32, Failure>>,
        gaps: Vec<Duration>,
    ) -> Vec<Result<u32, Option<Cause>>> {
        let inner =
            futures::stream::iter(items.into_iter().zip(gaps)).then(|(item, gap)| async move {
                tokio::time::sleep(gap).await;
                item
            });
        guarded(
            Box::pin(inner),
            Duration::from_secs(30),
            Duration::from_secs(5),
            identity,
        )
        .map(|r| r.map_err(|e| e.cause))
        .collect()
        .await
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_first_event_is_fine_a_long_silence_later_is_not() {
        let s = Duration::from_secs;
        let got = collect(vec![Ok(1), Ok(2), Ok(3)], vec![s(25), s(4), s(4)]).await;
        assert_eq!(got, [Ok(1), Ok(2), Ok(3)]);
        let got = collect(vec![Ok(1), Ok(2), Ok(3)], vec![s(1), s(6), s(1)]).await;
        assert_eq!(got, [Ok(1), Err(None)], "idle after the first event");
        let got = collect(vec![Ok(1)], vec![s(31)]).await;
        assert_eq!(got, [Err(None)], "nothing within the first wait");
    }

    #[tokio::test(start_paused = true)]
    async fn an_empty_stream_says_so_and_an_error_ends_it() {
        assert_eq!(
            collect(vec![], vec![]).await,
            [Err(Some(Cause::EmptyStream))]
        );
        let broken = Failure::retryable(anyhow!("cut"));
        let got = collect(vec![Ok(1), Err(broken), Ok(3)], vec![Duration::ZERO; 3]).await;
        assert_eq!(got, [Ok(1), Err(None)]);
    }
}
