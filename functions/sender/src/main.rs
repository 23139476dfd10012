// Deeply nested async state machines (SDK, redis, runtime) exceed the default layout depth.
#![recursion_limit = "256"]

use std::time::Duration;

use lambda_runtime::{Error, LambdaEvent, run, service_fn};
use shared::clock::Deadline;

/// The template's Timeout, for local runs whose emulator sends no deadline.
const FALLBACK: Duration = Duration::from_secs(60);

fn main() -> Result<(), Error> {
    shared::runtime::init_tracing();
    shared::runtime::block_on(async {
        let (config, clients) = shared::app::bootstrap().await?;
        let state = shared::app::sender(&config, &clients)?;
        run(service_fn(|event: LambdaEvent<_>| {
            let deadline = Deadline::from_unix_ms(event.context.deadline, FALLBACK);
            shared::handlers::sender::handle(&state, event.payload, deadline)
        }))
        .await
    })?
}
