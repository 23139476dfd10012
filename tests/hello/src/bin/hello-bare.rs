//! The cheapest Lambda function there is in Rust: a current-thread runtime and
//! `lambda_runtime::run` answering `{}`. bench-cold-start's baseline for init CPU.

use lambda_runtime::{Error, LambdaEvent, run, service_fn};
use serde_json::{Value, json};

fn main() -> Result<(), Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(run(service_fn(|_: LambdaEvent<Value>| async {
            Ok::<_, Error>(json!({}))
        })))
}
