//! `GET /health`.

use std::future::Future;

use http::StatusCode;
use lambda_http::{Body, Response};
use serde_json::json;

use super::{WebhookState, respond};

/// Dependency checks for `GET /health`: (name, detail) pairs, `Ok` when healthy.
pub trait HealthProbe: Sync {
    fn probe(&self) -> impl Future<Output = Vec<(&'static str, Result<String, String>)>> + Send;
}

pub(super) async fn health<L, Q, H: HealthProbe, T>(
    state: &WebhookState<L, Q, H, T>,
) -> Response<Body> {
    let checks = state.health.probe().await;
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
