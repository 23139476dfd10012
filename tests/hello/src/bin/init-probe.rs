//! Where start-up CPU goes: times each step of what a function builds before its first
//! event, in a release build, as CPU used by the whole process (all threads). One run per
//! process, since the steps cache what they load:
//!
//!   init-probe sdk-default | sdk-shared | tls
//!
//! `scripts/init-probe` runs each mode several times and prints medians.

#![allow(clippy::print_stdout)]

use std::time::Duration;

use aws_config::BehaviorVersion;

/// CPU this process has used so far, all threads. (`/proc/self/task/*/schedstat` will not
/// do here: a running thread's count is brought up to date only at scheduler ticks.)
fn cpu() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

struct Steps(Duration);

impl Steps {
    fn mark(&mut self, name: &str) {
        let now = cpu();
        println!("{name}\t{:.3}", (now - self.0).as_secs_f64() * 1000.0);
        // Reading /proc is not free: start the next step after it.
        self.0 = cpu();
    }
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let mut steps = Steps(cpu());
    steps.mark("(nothing: cost of one measurement)");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    steps.mark("tokio current_thread runtime");
    runtime.block_on(async {
        match mode.as_str() {
            "sdk-default" => sdk_default(&mut steps).await,
            "sdk-shared" => sdk_shared(&mut steps).await,
            "tls" => tls(&mut steps),
            _ => eprintln!("usage: init-probe sdk-default|sdk-shared|tls"),
        }
    });
}

async fn sdk_default(steps: &mut Steps) {
    let sdk = aws_config::defaults(BehaviorVersion::latest()).load().await;
    steps.mark("aws_config::load, defaults");
    clients(steps, &sdk);
}

async fn sdk_shared(steps: &mut Steps) {
    let sdk = shared::runtime::aws_config().await;
    steps.mark("shared::runtime::aws_config (env credentials, one deferred HTTP client)");
    clients(steps, &sdk);
    let config = shared::Config::from_env();
    steps.mark("shared::Config::from_env");
    drop(config);
}

fn clients(steps: &mut Steps, sdk: &aws_config::SdkConfig) {
    let dynamo = aws_sdk_dynamodb::Client::new(sdk);
    steps.mark("dynamodb Client::new");
    let sqs = aws_sdk_sqs::Client::new(sdk);
    steps.mark("sqs Client::new");
    let secrets = aws_sdk_secretsmanager::Client::new(sdk);
    steps.mark("secretsmanager Client::new");
    drop((dynamo, sqs, secrets));
}

fn tls(steps: &mut Steps) {
    let native = rustls_native_certs::load_native_certs();
    steps.mark(&format!(
        "rustls_native_certs::load_native_certs ({} certs)",
        native.certs.len()
    ));
    let mut roots = rustls::RootCertStore::empty();
    roots.add_parsable_certificates(native.certs);
    steps.mark("RootCertStore from them (parse)");
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    steps.mark("aws-lc-rs CryptoProvider");
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    steps.mark("rustls ClientConfig on that store");
    let webpki = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    steps.mark("RootCertStore from webpki-roots (redis's)");
    let first = reqwest::Client::builder().build().unwrap();
    steps.mark("reqwest Client, its own TLS (platform verifier)");
    let second = reqwest::Client::builder().build().unwrap();
    steps.mark("reqwest Client, its own TLS, again");
    let shared_first = shared::http::reqwest_builder().build().unwrap();
    steps.mark("reqwest Client on shared::http's configuration, first");
    let shared_second = shared::http::reqwest_builder().build().unwrap();
    steps.mark("reqwest Client on shared::http's configuration, second");
    let plain = reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .build()
        .unwrap();
    steps.mark("reqwest Client on a prebuilt ClientConfig (no verifier build)");
    drop((webpki, first, second, shared_first, shared_second, plain));
}
