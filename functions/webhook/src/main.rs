// Deeply nested async state machines (SDK, redis, runtime) exceed the default layout depth.
#![recursion_limit = "256"]

use lambda_http::{Error, run, service_fn};

fn main() -> Result<(), Error> {
    shared::runtime::init_tracing();
    shared::runtime::block_on(async {
        let (config, clients) = shared::app::bootstrap().await?;
        let state = shared::app::webhook(&config, &clients)?;
        run(service_fn(|request| {
            shared::handlers::webhook::handle(&state, request)
        }))
        .await
    })?
}
