//! The bare hello plus what every function does before its first event: the AWS SDK's
//! configuration and the DynamoDB, SQS and Secrets Manager clients (`shared::app`).
//! bench-cold-start's second baseline: what is left above it is the function's own.

use lambda_runtime::{Error, LambdaEvent, run, service_fn};
use serde_json::{Value, json};

fn main() -> Result<(), Error> {
    shared::runtime::block_on(async {
        let sdk = shared::runtime::aws_config().await;
        let clients = shared::app::Clients::new(&sdk);
        run(service_fn(|_: LambdaEvent<Value>| {
            // Held like a function's state, so the clients are not optimised away.
            let _clients = &clients;
            async { Ok::<_, Error>(json!({})) }
        }))
        .await
    })?
}
