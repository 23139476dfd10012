// Deeply nested async state machines (SDK, redis, runtime) exceed the default layout depth.
#![recursion_limit = "256"]

use std::time::Duration;

use lambda_runtime::{Error, LambdaEvent, run, service_fn};
use shared::clock::Deadline;

/// The template's Timeout, for local runs whose emulator sends no deadline.
const FALLBACK: Duration = Duration::from_secs(120);

fn main() -> Result<(), Error> {
    shared::runtime::init_tracing();
    let metrics = shared::metrics::Metrics::init(shared::metrics::Function::Processor);
    shared::runtime::block_on(async {
        let (config, clients) = shared::app::bootstrap().await?;
        let state = shared::app::processor(&config, &clients)?;
        // Boxed: the handler's state machine is large (SDK and OpenAI futures), and the
        // runtime would otherwise carry it inline on the stack.
        run(service_fn(|event: LambdaEvent<_>| {
            let deadline = Deadline::from_unix_ms(event.context.deadline, FALLBACK);
            Box::pin(metrics.flush_after(shared::handlers::processor::handle(
                &state,
                event.payload,
                deadline,
            )))
        }))
        .await
    })?
}
