// Deeply nested async state machines (SDK, redis, runtime) exceed the default layout depth.
#![recursion_limit = "256"]

use lambda_runtime::{Error, LambdaEvent, run, service_fn};

fn main() -> Result<(), Error> {
    shared::runtime::init_tracing();
    let metrics = shared::metrics::Metrics::init(shared::metrics::Function::SubscriptionCheck);
    shared::runtime::block_on(async {
        let (config, clients) = shared::app::bootstrap().await?;
        let state = shared::app::subscription(&config, &clients)?;
        // Boxed: the handler's state machine is large (SDK and Redis futures).
        run(service_fn(|event: LambdaEvent<_>| {
            Box::pin(metrics.flush_after(shared::handlers::subscription::handle(
                &state,
                event.payload,
            )))
        }))
        .await
    })?
}
