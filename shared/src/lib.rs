//! Everything the six Lambda functions share.
//!
//! Layering, from the inside out:
//! - [`domain`]: the bot's rules (commands, access, prompts, style, usage). No AWS or HTTP types.
//! - [`ports`]: the small traits the handlers need from the outside world.
//! - [`adapters`]: the only code that knows DynamoDB, SQS, Redis, Secrets Manager, Telegram or OpenAI.
//! - [`handlers`]: one module per function, generic over the ports.
//! - [`app`]: wiring shared by each function's `main` and by the test environment.
//! - [`metrics`](crate::metrics): CloudWatch metrics (EMF lines on stdout), recorded by handlers.
//!
//! Beside the layers:
//! - [`config`]: the environment, read once per container; a bad variable fails start-up.
//! - [`error`]: [`Failure`], which knows whether trying again could help.
//! - [`clock`]: invocation deadlines, on tokio's clock so tests can pause it.
//! - [`runtime`]: logging and the single-threaded runtime every function's `main` starts.
//! - [`http`]: the TLS set-up every HTTP client shares, built once, when first needed.

// Every public item says what it is for; `clippy -D warnings` holds the line.
#![warn(missing_docs)]

pub mod adapters;
pub mod app;
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod handlers;
pub mod http;
pub mod metrics;
pub mod ports;
pub mod runtime;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use config::Config;
pub use error::Failure;
