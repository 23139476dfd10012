//! Unit tests at the HTTP level, through the plain client in `raw_http`.

mod calls;
mod faults;

use serde_json::Value;

use super::TelegramStandIn;
use crate::raw_http::{RawResponse, http};

pub(super) const TOKEN: &str = "123:test-token";

pub(super) async fn call(tg: &TelegramStandIn, method: &str, params: &Value) -> RawResponse {
    http(
        "POST",
        &tg.base_url(),
        &format!("/bot{TOKEN}/{method}"),
        &[("Content-Type", "application/json")],
        params.to_string().as_bytes(),
    )
    .await
}
