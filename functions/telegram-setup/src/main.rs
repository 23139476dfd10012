// Deeply nested async state machines (SDK, runtime) exceed the default layout depth.
#![recursion_limit = "256"]

use lambda_runtime::{Error, LambdaEvent, run, service_fn};
use serde_json::Value;
use shared::clock::Deadline;
use shared::config::SetupConfig;
use shared::handlers::telegram_setup::{self, FALLBACK_BUDGET};

fn main() -> Result<(), Error> {
    shared::runtime::init_tracing();
    shared::runtime::block_on(async {
        let config = SetupConfig::from_lookup(|name| std::env::var(name).ok());
        let sdk = shared::runtime::aws_config().await;
        let secrets = aws_sdk_secretsmanager::Client::new(&sdk);
        let state = shared::app::telegram_setup(config, secrets)?;
        run(service_fn(|event: LambdaEvent<Value>| {
            let deadline = Deadline::from_unix_ms(event.context.deadline, FALLBACK_BUDGET);
            let state = &state;
            async move {
                telegram_setup::handle(state, event.payload, deadline)
                    .await
                    .map_err(Error::from)
            }
        }))
        .await
    })?
}
