//! What the configured OpenAI-compatible server can do.
//!
//! Many servers have no vision, no audio endpoints or no Responses API. Finding that out
//! costs a failed call; after that the bot stops calling what is not there, for a while
//! (an operator may switch servers), and says so in one sentence instead. What was found
//! is shared through the store, so every container knows; each container also keeps its
//! own answers for a few minutes, so a photo or voice note costs no extra read.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::ports::CapabilityLog;

/// How long a missing feature stays known as missing before it is tried again.
pub const RECHECK_AFTER: Duration = Duration::from_secs(3600);
/// How long this container trusts what it last read.
const LOCAL_FOR: Duration = Duration::from_secs(300);

/// A feature a server may lack. The model is part of it: one server may see with one
/// model and not with another.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Feature {
    /// Pictures in the prompt, with this model.
    Vision(String),
    /// Voice notes to text, with this model.
    Transcription(String),
    /// Replies spoken as voice notes, with this model.
    Speech(String),
    /// Server-side conversations (the Responses API), whatever the model.
    ResponsesApi,
}

impl Feature {
    fn key(&self) -> String {
        match self {
            Self::Vision(m) => format!("vision:{m}"),
            Self::Transcription(m) => format!("transcription:{m}"),
            Self::Speech(m) => format!("speech:{m}"),
            Self::ResponsesApi => "responses-api".into(),
        }
    }
}

/// What this container knows the server lacks, shared with the others through the store.
#[derive(Debug, Default)]
pub struct Capabilities {
    /// Feature → (missing, trusted until).
    known: Mutex<HashMap<Feature, (bool, Instant)>>,
}

impl Capabilities {
    /// Whether `feature` is known to be missing. A store failure counts as "present": the
    /// call is tried and fails or succeeds on its own merits.
    pub async fn missing<L: CapabilityLog>(&self, log: &L, feature: &Feature) -> bool {
        if let Some((missing, until)) = self.local(feature)
            && Instant::now() < until
        {
            return missing;
        }
        let missing = match log.is_missing(&feature.key()).await {
            Ok(missing) => missing,
            Err(e) => {
                tracing::warn!(error = %e, feature = %feature.key(), "could not read what the server lacks");
                return false;
            }
        };
        self.remember(feature, missing);
        missing
    }

    /// Notes a failed call's `feature` as missing, here and in the store, for `RECHECK_AFTER`.
    pub async fn mark_missing<L: CapabilityLog>(&self, log: &L, feature: &Feature) {
        tracing::warn!(feature = %feature.key(), "the OpenAI-compatible server lacks this; not calling it for {RECHECK_AFTER:?}");
        self.remember(feature, true);
        if let Err(e) = log.mark_missing(&feature.key(), RECHECK_AFTER).await {
            tracing::warn!(error = %e, "could not share what the server lacks; this container still knows");
        }
    }

    fn local(&self, feature: &Feature) -> Option<(bool, Instant)> {
        self.known
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(feature)
            .copied()
    }

    fn remember(&self, feature: &Feature, missing: bool) {
        let until = Instant::now() + if missing { RECHECK_AFTER } else { LOCAL_FOR };
        self.known
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(feature.clone(), (missing, until));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::error::Result;

    #[derive(Default)]
    struct Log {
        missing: Mutex<Vec<String>>,
        reads: AtomicUsize,
    }

    impl CapabilityLog for Log {
        async fn is_missing(&self, feature: &str) -> Result<bool> {
            self.reads.fetch_add(1, Ordering::SeqCst);
            Ok(self.missing.lock().unwrap().iter().any(|f| f == feature))
        }
        async fn mark_missing(&self, feature: &str, _: Duration) -> Result<()> {
            self.missing.lock().unwrap().push(feature.to_owned());
            Ok(())
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_missing_feature_is_remembered_and_shared() {
        let log = Log::default();
        let here = Capabilities::default();
        let vision = Feature::Vision("smollm2".into());
        assert!(!here.missing(&log, &vision).await);
        assert!(!here.missing(&log, &vision).await);
        assert_eq!(
            log.reads.load(Ordering::SeqCst),
            1,
            "the answer is kept locally"
        );
        here.mark_missing(&log, &vision).await;
        assert!(here.missing(&log, &vision).await);
        // Another container reads it from the store.
        let there = Capabilities::default();
        assert!(there.missing(&log, &vision).await);
        assert!(!there.missing(&log, &Feature::Vision("gpt-4o".into())).await);
        // A container that thought it present reads again after a while.
        let stale = Capabilities::default();
        let speech = Feature::Speech("tts".into());
        assert!(!stale.missing(&log, &speech).await);
        here.mark_missing(&log, &speech).await;
        assert!(!stale.missing(&log, &speech).await, "still trusted locally");
        tokio::time::advance(LOCAL_FOR).await;
        assert!(stale.missing(&log, &speech).await);
    }
}
