// Deeply nested async state machines (SDK, redis, runtime) exceed the default layout depth.
#![recursion_limit = "256"]

use lambda_runtime::{Error, LambdaEvent, run, service_fn};
use shared::handlers::style_refresh::{self, StyleRefreshEvent};

fn main() -> Result<(), Error> {
    shared::runtime::init_tracing();
    let metrics = shared::metrics::Metrics::init(shared::metrics::Function::StyleRefresh);
    shared::runtime::block_on(async {
        let (config, clients) = shared::app::bootstrap().await?;
        let store = shared::app::style_refresh(&config, &clients);
        let min_new = config.style_min_new_messages;
        run(service_fn(|event: LambdaEvent<StyleRefreshEvent>| {
            let deadline = event.context.deadline as i64;
            let store = &store;
            metrics.flush_after(async move {
                // Boxed: the run's state machine is too large to keep on the stack.
                Box::pin(style_refresh::handle(
                    store,
                    &shared::clock::SystemClock,
                    event.payload,
                    deadline,
                    min_new,
                ))
                .await
                .map_err(Error::from)
            })
        }))
        .await
    })?
}
