//! `GET /health`: a bare liveness answer for anyone, and the detailed report (config and
//! dependency probes) for whoever presents the webhook's secret token.

use std::future::Future;
use std::time::Duration;

use http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde_json::json;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::{SECRET_HEADER, WebhookState, authenticate, respond};

/// One dependency check: its name, and a detail when healthy or the error.
pub type Check = (&'static str, Result<String, String>);

/// Dependency checks for the detailed `GET /health`.
pub trait HealthProbe: Sync {
    /// Runs every check; never fails as a whole: a failed dependency is its check's `Err`.
    fn probe(&self) -> impl Future<Output = Vec<Check>> + Send;
}

/// How long probe results are reused: a monitor polling the report every few seconds
/// should not cost a DynamoDB, SQS and Redis call each time.
pub const PROBE_TTL: Duration = Duration::from_secs(30);

/// The last probe results, kept for the container's life (on tokio's clock, so tests can
/// move it).
#[derive(Debug, Default)]
pub struct ProbeCache {
    last: Mutex<Option<(Instant, Vec<Check>)>>,
}

impl ProbeCache {
    /// The cached results if younger than [`PROBE_TTL`], else fresh ones.
    pub async fn checks<H: HealthProbe>(&self, probe: &H) -> Vec<Check> {
        // Held across the probe: concurrent callers wait for one probe instead of each
        // making their own.
        let mut last = self.last.lock().await;
        if let Some((at, checks)) = last.as_ref()
            && at.elapsed() < PROBE_TTL
        {
            return checks.clone();
        }
        let checks = probe.probe().await;
        *last = Some((Instant::now(), checks.clone()));
        checks
    }
}

pub(super) async fn health<L, Q, H: HealthProbe, T>(
    state: &WebhookState<L, Q, H, T>,
    request: &Request,
) -> Response<Body> {
    // Without the secret: alive, and nothing else (no configuration, no probes).
    if request.headers().get(SECRET_HEADER).is_none() {
        return respond(StatusCode::OK, json!({"status": "ok"}));
    }
    if let Err(refused) = authenticate(state, request).await {
        return refused;
    }
    let checks = state.probe_cache.checks(&state.health).await;
    let healthy = checks.iter().all(|(_, r)| r.is_ok());
    let deps: serde_json::Map<String, serde_json::Value> = checks
        .into_iter()
        .map(|(name, r)| {
            let v = match r {
                Ok(detail) => json!({"ok": true, "detail": detail}),
                Err(e) => json!({"ok": false, "error": e}),
            };
            (name.to_owned(), v)
        })
        .collect();
    respond(
        if healthy {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        },
        json!({
            "status": if healthy { "ok" } else { "degraded" },
            "version": env!("CARGO_PKG_VERSION"),
            "config": state.config_summary,
            "dependencies": deps,
        }),
    )
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[derive(Default)]
    struct Counting(AtomicUsize);

    impl HealthProbe for Counting {
        async fn probe(&self) -> Vec<Check> {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            vec![("dynamodb", Ok(format!("probe {n}")))]
        }
    }

    #[tokio::test(start_paused = true)]
    async fn probes_are_reused_for_thirty_seconds() {
        let probe = Counting::default();
        let cache = ProbeCache::default();
        let first = cache.checks(&probe).await;
        tokio::time::advance(PROBE_TTL - Duration::from_secs(1)).await;
        assert_eq!(cache.checks(&probe).await, first);
        assert_eq!(probe.0.load(Ordering::SeqCst), 1);
        tokio::time::advance(Duration::from_secs(1)).await;
        let fresh = cache.checks(&probe).await;
        assert_eq!(probe.0.load(Ordering::SeqCst), 2);
        assert_eq!(fresh, vec![("dynamodb", Ok("probe 2".to_owned()))]);
    }
}
