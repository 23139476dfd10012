//! At TRACE, the logs hold neither a secret nor anything a user said or the model
//! answered.
//!
//! - A whole conversation runs in-process through the production log layer
//!   (`shared::runtime::log_layer`) and every captured line is searched. The capture is a
//!   subscriber scoped to the test's thread, on the current-thread runtime `#[tokio::test]`
//!   gives: the functions' code runs there, while the stand-ins (test code that may log
//!   what they receive) run on a thread of their own (see `testkit::stack`), and other
//!   tests on other threads.
//! - The webhook's `main`, with the real `lambda_runtime` and `init_tracing`, runs in a
//!   child process (this test binary again, so no environment variable of this process
//!   changes) against a Runtime API stand-in, once unfiltered to show what the runtime
//!   would log, once as in production.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http::StatusCode;
use serde_json::Value;
use shared::domain::texts;
use testkit::StackOptions;
use testkit::openai_standin::{AiFault, spoken_ogg};
use testkit::stack::{LOCAL_BOT_TOKEN, LOCAL_BOT_USERNAME, LOCAL_OPENAI_KEY, LOCAL_WEBHOOK_SECRET};
use testkit::telegram_standin::TgFault;
use testkit::updates::{
    callback_query, function_url_event, group_text, photo, private_text, voice_note,
};
use tracing::level_filters::LevelFilter;
use tracing_subscriber::Layer;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;

use crate::env::TestEnv;

/// Every line written, in order.
#[derive(Clone, Default)]
pub(crate) struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    pub(crate) fn lines(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Self;
    fn make_writer(&'a self) -> Self {
        self.clone()
    }
}

const USER: i64 = 2701;
const GROUP: i64 = -1_001_234_567_027;
const PRIVATE_TEXT: &str = "my neighbour Bartholomew keeps bees on the roof";
const FAULT_TEXT: &str = "the quince jam burnt again";
const MARKUP_TEXT: &str = "**bold** claims about the heron";
const TRANSCRIPT: &str = "please remember the locksmith on Tuesday";
const CAPTION: &str = "my grandmother's walnut cupboard";
const GROUP_TEXT: &str = "which marigold seeds should we order";

/// The strings no log line may hold, by what they are.
fn secrets() -> Vec<(&'static str, String)> {
    let token_secret = LOCAL_BOT_TOKEN.split_once(':').unwrap().1;
    vec![
        ("bot token", LOCAL_BOT_TOKEN.to_owned()),
        ("bot token's secret part", token_secret.to_owned()),
        ("webhook secret", LOCAL_WEBHOOK_SECRET.to_owned()),
        ("OpenAI API key", LOCAL_OPENAI_KEY.to_owned()),
    ]
}

/// Runs a conversation that goes through every path the functions log on, and returns
/// what the user said and the model answered, by what it is.
async fn conversation(env: &TestEnv) -> Vec<(&'static str, String)> {
    let openai = env.openai.as_ref().unwrap();
    let mut said: Vec<(&'static str, String)> = Vec::new();

    // A private text, answered through the whole pipeline; Telegram delivers it twice
    // (the second claim fails DynamoDB's condition: an SDK error path).
    let update = private_text(USER, "Ann", PRIVATE_TEXT);
    for _ in 0..2 {
        let (status, _) = env.post_update(&update).await.unwrap();
        assert_eq!(status, StatusCode::OK);
    }
    env.drain().await.unwrap();
    let replies = env.telegram.texts_to(USER);
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(replies[0].contains(PRIVATE_TEXT), "{replies:?}");
    said.push(("private text", PRIVATE_TEXT.into()));

    // /start, answered in the webhook's response.
    let (status, body) = env
        .post_update(&private_text(USER, "Ann", "/start"))
        .await
        .unwrap();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["method"], "sendMessage", "{body}");

    // OpenAI fails once (a 500 with its body), then answers.
    openai.fail_next(AiFault::ServerError);
    let replies = env.chat(USER, FAULT_TEXT).await;
    assert!(
        replies.iter().any(|r| r.contains(FAULT_TEXT)),
        "{replies:?}"
    );
    said.push(("text answered after an OpenAI 500", FAULT_TEXT.into()));

    // Telegram refuses the markup, the same text goes again plain.
    env.telegram
        .fail_next("sendMessage", TgFault::CantParseEntities);
    let before = env.telegram.count("sendMessage");
    let replies = env.chat(USER, MARKUP_TEXT).await;
    assert!(
        replies.iter().any(|r| r.contains("claims about the heron")),
        "{replies:?}"
    );
    assert!(env.telegram.count("sendMessage") >= before + 2);
    said.push(("text whose reply Telegram refused", MARKUP_TEXT.into()));

    // A voice note, its transcript shown.
    let (_, pressed) = env
        .post_update(&callback_query(USER, "settings:transcript:on"))
        .await
        .unwrap();
    assert_eq!(pressed["method"], "editMessageReplyMarkup", "{pressed}");
    let voice = spoken_ogg(2, TRANSCRIPT);
    let size = voice.len() as u64;
    env.telegram.add_file("LOGS-VOICE", "voice/logs.oga", voice);
    env.post_update(&voice_note(USER, "LOGS-VOICE", 2, size))
        .await
        .unwrap();
    env.drain().await.unwrap();
    assert!(
        env.telegram
            .texts_to(USER)
            .contains(&texts::transcript(TRANSCRIPT))
    );
    said.push(("transcript", TRANSCRIPT.into()));

    // A photo with a caption.
    let picture = testkit::stack::demo_photo();
    let size = picture.len() as u64;
    env.telegram
        .add_file("LOGS-PHOTO", "photos/logs.jpg", picture);
    env.post_update(&photo(USER, &[("LOGS-PHOTO", size, 800)], Some(CAPTION)))
        .await
        .unwrap();
    env.drain().await.unwrap();
    assert!(
        env.telegram
            .texts_to(USER)
            .iter()
            .any(|t| t.contains("walnut cupboard"))
    );
    said.push(("caption", CAPTION.into()));

    // A mention in a group.
    let mention = format!("@{LOCAL_BOT_USERNAME} {GROUP_TEXT}");
    env.post_update(&group_text(GROUP, "supergroup", USER + 1, &mention))
        .await
        .unwrap();
    env.drain().await.unwrap();
    let group_replies = env.telegram.texts_to(GROUP);
    assert!(
        group_replies.iter().any(|t| t.contains(GROUP_TEXT)),
        "{group_replies:?}"
    );
    said.push(("group mention", mention));
    said.push(("group mention", GROUP_TEXT.into()));

    // /usage and /export: the processor reads the history and usage back.
    let usage = env.chat(USER, "/usage").await;
    assert_eq!(usage.len(), 1, "{usage:?}");
    env.chat(USER, "/export").await;
    assert!(env.telegram.count("sendDocument") >= 1);

    // Everything the model wrote, and the distinctive words of what the user sent.
    let model_said = |t: &String| t.contains("You said");
    for reply in env.telegram.texts_to(USER).iter().filter(|t| model_said(t)) {
        said.push(("model reply", reply.clone()));
    }
    for reply in group_replies.iter().filter(|t| model_said(t)) {
        said.push(("model reply in the group", reply.clone()));
    }
    for word in [
        "Bartholomew",
        "quince",
        "heron",
        "locksmith",
        "walnut",
        "marigold",
    ] {
        said.push(("a word the user sent", word.into()));
    }
    said
}

pub(crate) fn found_in(lines: &[String], needles: &[(&'static str, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        for (what, needle) in needles {
            if line.contains(needle.as_str()) {
                found.push(format!("line {}: {what} ({needle:?})", i + 1));
            }
        }
    }
    found
}

fn target_of(line: &str) -> String {
    serde_json::from_str::<Value>(line).unwrap_or_default()["target"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn at_trace_no_secret_and_nothing_anyone_said_reaches_the_logs() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::registry().with(shared::runtime::log_layer(
        LevelFilter::TRACE,
        true,
        logs.clone(),
    ));
    // This thread only: the code under test runs on it (see the module's comment).
    let _guard = tracing::subscriber::set_default(subscriber);

    let env = TestEnv::with(StackOptions::default()).await;
    let mut needles = secrets();
    needles.extend(Box::pin(conversation(&env)).await);

    let lines = logs.lines();
    let found = found_in(&lines, &needles);
    assert!(
        found.is_empty(),
        "the logs hold what they must not: {found:#?}"
    );

    // The filter let the logs through, not silence: every level, the product's own lines,
    // the AWS SDK's and hyper's.
    assert!(lines.len() > 100, "only {} lines captured", lines.len());
    let targets: Vec<String> = lines.iter().map(|l| target_of(l)).collect();
    for prefix in [
        "shared::handlers::",
        "aws_smithy_runtime",
        "aws_sdk_",
        "hyper_util",
    ] {
        assert!(
            targets.iter().any(|t| t.starts_with(prefix)),
            "no line from {prefix}*"
        );
    }
    assert!(
        lines.iter().any(|l| l.contains(r#""level":"TRACE""#)),
        "no TRACE line captured"
    );
    // The capped libraries are cut at their cap, not silenced.
    let level_of = |line: &str| {
        serde_json::from_str::<Value>(line).unwrap_or_default()["level"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        lines
            .iter()
            .any(|l| target_of(l).starts_with("aws_smithy_runtime") && level_of(l) == "DEBUG"),
        "the AWS SDK's DEBUG lines are kept"
    );
    assert!(
        !lines
            .iter()
            .any(|l| target_of(l).starts_with("aws_smithy_runtime") && level_of(l) == "TRACE"),
        "the AWS SDK's TRACE lines (response bodies) are cut"
    );
    assert!(!targets.iter().any(|t| t.starts_with("async_openai")));
}

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
const CHILD_TEST: &str = "logs::the_webhook_main_in_a_child_process";

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

/// Which target logged at which level, and which of `needles` each line held. For
/// choosing [`shared::runtime::LIBRARY_CAPS`] after a library upgrade:
/// `cargo test -p testkit --test it -- --ignored --nocapture logs::survey`.
#[tokio::test]
#[ignore = "a survey, not a check: prints what each library logs when nothing is filtered"]
async fn survey_of_what_each_library_logs_unfiltered() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::registry().with(
        tracing_subscriber::fmt::layer()
            .json()
            .with_writer(logs.clone())
            .with_filter(LevelFilter::TRACE),
    );
    let _guard = tracing::subscriber::set_default(subscriber);
    let env = TestEnv::with(StackOptions::default()).await;
    let mut needles = secrets();
    needles.extend(Box::pin(conversation(&env)).await);
    if let Ok(path) = std::env::var("LOG_SURVEY_FILE") {
        std::fs::write(path, logs.lines().join("\n")).unwrap();
    }
    let mut table: std::collections::BTreeMap<(String, String), (usize, Vec<&str>)> =
        std::collections::BTreeMap::new();
    for line in logs.lines() {
        let v: Value = serde_json::from_str(&line).unwrap_or_default();
        let key = (
            v["target"].as_str().unwrap_or("?").to_owned(),
            v["level"].as_str().unwrap_or("?").to_owned(),
        );
        let entry = table.entry(key).or_default();
        entry.0 += 1;
        if line.contains("Once(Some(b") && !entry.1.contains(&"a body") {
            entry.1.push("a body");
        }
        for (what, needle) in &needles {
            if line.contains(needle.as_str()) && !entry.1.contains(what) {
                entry.1.push(what);
            }
        }
    }
    for ((target, level), (count, found)) in table {
        eprintln!("{target:60} {level:5} {count:5} {found:?}");
    }
}
