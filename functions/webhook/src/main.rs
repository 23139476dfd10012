// Deeply nested async state machines (SDK, redis, runtime) exceed the default layout depth.
#![recursion_limit = "256"]

use lambda_http::{Error, run, service_fn};

fn main() -> Result<(), Error> {
    shared::runtime::init_tracing();
    let metrics = shared::metrics::Metrics::init(shared::metrics::Function::Webhook);
    shared::runtime::block_on(async {
        let (config, clients) = shared::app::bootstrap().await?;
        let state = shared::app::webhook(&config, &clients)?;
        run(service_fn(|request| {
            metrics.flush_after(shared::handlers::webhook::handle(&state, request))
        }))
        .await
    })?
}
