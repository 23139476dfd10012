//! The webhook's `main` with the real `lambda_runtime`, run in a child process (this test
//! binary again) against a stand-in for the Lambda Runtime API.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;
use testkit::stack::LOCAL_WEBHOOK_SECRET;
use testkit::updates::{function_url_event, private_text};
use tracing::level_filters::LevelFilter;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;

use super::{USER, found_in, secrets, target_of};
use crate::env::TestEnv;

/// The Lambda Runtime API, as far as one function's process needs it: hands out `events`
/// one per `GET /next`, then holds the poll open; records each response.
pub(crate) struct RuntimeApi {
    events: Vec<Value>,
    handed_out: Mutex<usize>,
}

impl RuntimeApi {
    pub(crate) fn new(events: Vec<Value>) -> Self {
        Self {
            events,
            handed_out: Mutex::new(0),
        }
    }
}

impl wiremock::Respond for RuntimeApi {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        if !request.url.path().ends_with("/invocation/next") {
            return wiremock::ResponseTemplate::new(202)
                .set_body_json(serde_json::json!({"status": "OK"}));
        }
        let mut n = self.handed_out.lock().unwrap();
        let Some(event) = self.events.get(*n) else {
            return wiremock::ResponseTemplate::new(200).set_delay(Duration::from_secs(600));
        };
        *n += 1;
        let deadline = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
            + 60_000;
        wiremock::ResponseTemplate::new(200)
            .insert_header("lambda-runtime-aws-request-id", format!("req-{n}").as_str())
            .insert_header("lambda-runtime-deadline-ms", deadline.to_string().as_str())
            .insert_header(
                "lambda-runtime-invoked-function-arn",
                "arn:aws:lambda:us-east-1:123456789012:function:webhook",
            )
            .set_body_json(event.clone())
    }
}

/// How the child process logs: as in production, or everything at TRACE.
const CHILD_LOGS: &str = "LOGS_IT_CHILD";
const CHILD_TEST: &str = "logs::child::the_webhook_main_in_a_child_process";

/// The webhook function's `main`, run by [`webhook_process_logs`] in a child process;
/// without [`CHILD_LOGS`] it does nothing.
#[test]
#[ignore = "run in a child process by the lambda_runtime test below"]
fn the_webhook_main_in_a_child_process() {
    let Ok(mode) = std::env::var(CHILD_LOGS) else {
        return;
    };
    if mode == "unfiltered" {
        let _ = tracing::subscriber::set_global_default(
            tracing_subscriber::registry().with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_writer(std::io::stdout)
                    .with_filter(LevelFilter::TRACE),
            ),
        );
    } else {
        shared::runtime::init_tracing();
    }
    let metrics = shared::metrics::Metrics::init(shared::metrics::Function::Webhook);
    let result = shared::runtime::block_on(async {
        let (config, clients) = shared::app::bootstrap().await?;
        let state = shared::app::webhook(&config, &clients)?;
        lambda_http::run(lambda_http::service_fn(|request| {
            metrics.flush_after(shared::handlers::webhook::handle(&state, request))
        }))
        .await
    });
    panic!("the runtime stopped: {result:?}");
}

/// Runs the webhook's `main` in a child process at TRACE (logging as `mode` says), hands
/// it `event`, and returns its stdout once it has answered, with the answer.
async fn webhook_process_logs(env: &TestEnv, mode: &str, event: Value) -> (Vec<String>, String) {
    let vars = [
        (CHILD_LOGS, mode),
        ("AWS_LAMBDA_FUNCTION_NAME", "webhook"),
        ("AWS_LAMBDA_LOG_LEVEL", "TRACE"),
    ];
    child_function(env, CHILD_TEST, &vars, event).await
}

/// Runs `child_test` (an ignored test of this binary that runs a function's `main`) in a
/// child process, with the stack's environment, Lambda's and `vars`, against a Runtime API
/// stand-in that hands it `event`. Returns the JSON lines of its stdout once it has
/// answered, and the answer.
pub(crate) async fn child_function(
    env: &TestEnv,
    child_test: &str,
    vars: &[(&str, &str)],
    event: Value,
) -> (Vec<String>, String) {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(RuntimeApi::new(vec![event]))
        .mount(&server)
        .await;
    let mut child = tokio::process::Command::new(std::env::current_exe().unwrap())
        .args([
            child_test,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env_clear()
        .envs(env.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("AWS_LAMBDA_RUNTIME_API", server.address().to_string())
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
        .envs(vars.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the test binary runs again");
    // Read as it comes: at TRACE the child writes more than a pipe holds.
    let drain = |pipe: Option<Box<dyn tokio::io::AsyncRead + Unpin + Send>>| {
        tokio::spawn(async move {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = tokio::io::AsyncReadExt::read_to_end(&mut pipe, &mut bytes).await;
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let deadline = Instant::now() + Duration::from_secs(60);
    let answer = loop {
        let requests = server.received_requests().await.unwrap_or_default();
        if let Some(r) = requests
            .iter()
            .find(|r| r.url.path().ends_with("/response") || r.url.path().ends_with("/error"))
        {
            break String::from_utf8_lossy(&r.body).into_owned();
        }
        let exited = child.try_wait().unwrap();
        if exited.is_some() || Instant::now() > deadline {
            let _ = child.start_kill();
            panic!(
                "the child did not answer ({exited:?}):\n{}",
                stderr.await.unwrap()
            );
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    child.start_kill().unwrap();
    let _ = child.wait().await;
    // The first line may follow libtest's "test <name> ... " on the same line.
    let lines = stdout
        .await
        .unwrap()
        .lines()
        .filter_map(|l| l.find('{').map(|at| l[at..].to_owned()))
        .collect();
    (lines, answer)
}

#[tokio::test]
async fn the_real_lambda_runtime_logs_no_raw_event_through_the_production_filter() {
    const SAID: &str = "the spare key is under the blue flowerpot";
    let env = TestEnv::start().await;
    let event = || {
        let update = private_text(USER, "Ann", SAID).to_string();
        function_url_event("POST", "/", Some(LOCAL_WEBHOOK_SECRET), Some(&update))
    };

    // Unfiltered, lambda_runtime writes the raw event, secret header and message.
    let (lines, answer) = webhook_process_logs(&env, "unfiltered", event()).await;
    assert!(answer.contains(r#""statusCode":200"#), "{answer}");
    let raw: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("raw JSON event received from Lambda"))
        .collect();
    assert_eq!(raw.len(), 1, "{lines:#?}");
    assert!(raw[0].contains(LOCAL_WEBHOOK_SECRET) && raw[0].contains(SAID));
    assert_eq!(target_of(raw[0]), "lambda_runtime::layers::api_response");

    // In production the same process logs at TRACE, without that line.
    let (lines, answer) = webhook_process_logs(&env, "production", event()).await;
    assert!(answer.contains(r#""statusCode":200"#), "{answer}");
    let mut needles = secrets();
    needles.push(("the message", SAID.to_owned()));
    let found = found_in(&lines, &needles);
    assert!(
        found.is_empty(),
        "the logs hold what they must not: {found:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| target_of(l).starts_with("lambda_runtime")),
        "lambda_runtime's own lines are kept: {lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(r#"{"_aws""#)),
        "the invocation's metrics line was among the lines searched: {lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| target_of(l).starts_with("aws_smithy_runtime")),
        "{lines:#?}"
    );
}
