//! What every function's `main` does before handling its first event.

use std::future::Future;

use aws_config::{BehaviorVersion, SdkConfig};

/// Structured logs: JSON when Lambda's `LoggingConfig` asks for it (`AWS_LAMBDA_LOG_FORMAT`),
/// at `AWS_LAMBDA_LOG_LEVEL` (or `RUST_LOG`).
pub fn init_tracing() {
    lambda_runtime::tracing::init_default_subscriber();
}

/// A Lambda handles one event at a time, so a multi-threaded runtime would only add
/// start-up cost and memory.
pub fn block_on<F: Future>(future: F) -> std::io::Result<F::Output> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(future))
}

/// Reads region and credentials from the environment; nothing is fetched until the first
/// request. `AWS_ENDPOINT_URL` points every client at a local emulator.
pub async fn aws_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest()).load().await
}
