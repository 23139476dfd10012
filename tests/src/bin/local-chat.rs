//! Chat with the bot in a terminal, on the local stack.
//!
//! Each line you type becomes a Telegram update POSTed to the webhook function; the queues
//! are then run through subscription-check, processor and sender the way Lambda's SQS
//! event source mapping would, and whatever the bot sends to Telegram is printed.
//!
//!   local-chat                  interactive when stdin is a terminal; otherwise replays
//!                               events/conversations/demo.json and exits
//!   local-chat --replay FILE    replays a JSON array of Telegram updates
//!   local-chat --serve          keeps the stack up for `cargo lambda watch`/`invoke`,
//!                               writes .local/env, and runs the queues
//!   local-chat --lang CODE ...  chats as a user whose Telegram app is set to CODE (ru,
//!                               de, pt-br, …): the bot's own texts follow it until
//!                               `/language` says otherwise
//!
//! Besides text, the interactive chat takes `!voice TEXT` (a voice note saying TEXT),
//! `!photo [CAPTION]`, `!group TEXT` (a message in a demo supergroup) and `!press DATA`.
//! Drafts stream in as `draft ›` lines, voice notes show their file name and length.
//!
//! Environment: OPENAI_API_KEY (+ OPENAI_BASE_URL, OPENAI_MODEL) for real replies;
//! CHANNEL_ID, ALLOWED_USER_IDS and LOCAL_MEMBER_STATUS to try access control;
//! NO_REDIS=1 to use the DynamoDB cache instead of redis-server; OPENAI_API_MODE,
//! ADMIN_USER_IDS, MODEL_PRICES, the limits and budgets as the functions read them.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::Duration;

use anyhow::Context;
use serde_json::Value;
use testkit::fixtures::workspace_root;
use testkit::openai_standin::spoken_ogg;
use testkit::stack::{Stack, demo_photo};
use testkit::updates::{callback_query, group_text, photo, private_text, voice_note};
use testkit::{StackOptions, telegram_standin::TgCall};
use tokio::io::{AsyncBufReadExt, BufReader};

const LOCAL_USER: i64 = 1001;
/// The supergroup `!group` writes in.
const LOCAL_GROUP: i64 = -1_001_000_000_001;
/// The photo `!photo` sends (one of the demo files).
const DEMO_PHOTO: &str = "demo-photo-1";

/// Function settings the local chat takes from its own environment.
const PASS_THROUGH: &[&str] = &[
    "OPENAI_API_MODE",
    "HISTORY_TURNS",
    "CONTEXT_TOKEN_BUDGET",
    "DAILY_TOKEN_LIMIT",
    "MONTHLY_TOKEN_LIMIT",
    "DAILY_COST_LIMIT_USD",
    "MONTHLY_COST_LIMIT_USD",
    "STYLE_REFRESH_MIN_NEW_MESSAGES",
];

#[allow(clippy::print_stdout)]
fn say(line: &str) {
    println!("{line}");
    let _ = std::io::stdout().flush();
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// `--lang CODE`: the simulated user's Telegram app language (`language_code`).
static APP_LANG: OnceLock<String> = OnceLock::new();

/// `update` as sent by a user whose app is set to `--lang`'s language, if given.
fn in_app_lang(mut update: Value) -> Value {
    if let Some(code) = APP_LANG.get() {
        for kind in ["message", "callback_query"] {
            if update[kind]["from"].is_object() {
                update[kind]["from"]["language_code"] = code.as_str().into();
            }
        }
    }
    update
}

enum Mode {
    Interactive,
    Replay(std::path::PathBuf),
    Serve,
}

fn mode() -> anyhow::Result<Mode> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == "--lang") {
        let code = args
            .get(at + 1)
            .cloned()
            .context("--lang needs a language code, e.g. --lang de")?;
        args.drain(at..=at + 1);
        let _ = APP_LANG.set(code);
    }
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] if std::io::stdin().is_terminal() => Ok(Mode::Interactive),
        [] => Ok(Mode::Replay(
            workspace_root().join("events/conversations/demo.json"),
        )),
        ["--replay", file] => Ok(Mode::Replay(file.into())),
        ["--serve"] => Ok(Mode::Serve),
        _ => anyhow::bail!("usage: local-chat [--lang CODE] [--replay FILE | --serve]"),
    }
}

fn print_new(stack: &Stack, seen: &mut usize) {
    let calls = stack.telegram.calls();
    for call in &calls[*seen..] {
        print_call(call);
    }
    *seen = calls.len();
}

fn print_call(call: &TgCall) {
    let text = call.params["text"].as_str().unwrap_or_default();
    match (call.method.as_str(), call.status) {
        ("sendMessageDraft", 200) if text.is_empty() => say("draft \u{203a} (thinking\u{2026})"),
        ("sendMessageDraft", 200) => say(&format!(
            "draft \u{203a} {}",
            text.replace('\n', "\n        ")
        )),
        ("sendChatAction", 200) => say("      (typing\u{2026})"),
        ("editMessageReplyMarkup", 200) => {
            say("bot \u{203a} (menu redrawn)");
            print_buttons(call);
        }
        ("editMessageText", 200) => {
            say(&format!("bot \u{203a} (menu redrawn) {text}"));
            print_buttons(call);
        }
        ("getFile", 200) => say(&format!(
            "      (bot fetched file {} from Telegram)",
            call.params["file_id"].as_str().unwrap_or_default()
        )),
        ("sendVoice", 200) => {
            for file in &call.files {
                say(&format!(
                    "bot \u{203a} [voice note {}, {} s, {:.1} KB]",
                    file.file_name,
                    call.params["duration"],
                    file.bytes.len() as f64 / 1024.0
                ));
            }
        }
        ("sendMessage", 200) => {
            let via = if call.via_webhook_response {
                " (in the webhook response)"
            } else {
                ""
            };
            say(&format!(
                "bot \u{203a} {}{via}",
                text.replace('\n', "\n      ")
            ));
            print_buttons(call);
        }
        ("sendDocument", 200) => {
            for file in &call.files {
                say(&format!(
                    "bot \u{203a} [document {}, {} bytes] {}",
                    file.file_name,
                    file.content.len(),
                    call.params["caption"].as_str().unwrap_or_default()
                ));
            }
        }
        ("answerCallbackQuery", 200) => say(&format!(
            "bot \u{203a} (button answered{})",
            call.params["text"]
                .as_str()
                .map(|t| format!(": {t}"))
                .unwrap_or_default()
        )),
        ("getChatMember", 200) => say(&format!(
            "      (bot checked channel membership of user {})",
            call.params["user_id"]
        )),
        (method, status) => say(&format!(
            "      (Telegram answered {status} to {method}: {text})"
        )),
    }
}

/// An inline keyboard, one button a line with the data `!press` takes.
fn print_buttons(call: &TgCall) {
    let rows = call.params["reply_markup"]["inline_keyboard"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for button in rows
        .iter()
        .flat_map(|r| r.as_array().cloned().unwrap_or_default())
    {
        let target = button["url"]
            .as_str()
            .or(button["callback_data"].as_str())
            .unwrap_or_default();
        say(&format!(
            "      [{} \u{2192} {target}]",
            button["text"].as_str().unwrap_or_default()
        ));
    }
}

#[allow(clippy::print_stdout)]
fn prompt() {
    print!("you \u{203a} ");
    let _ = std::io::stdout().flush();
}

/// `echo`: print the user's line (replays); a terminal has already shown what was typed.
async fn exchange(
    stack: &Stack,
    update: &Value,
    seen: &mut usize,
    echo: bool,
) -> anyhow::Result<()> {
    if echo {
        let message = &update["message"];
        let text = match (
            message["text"].as_str(),
            message["voice"]["file_id"].as_str(),
        ) {
            (Some(text), _) => text.to_owned(),
            (None, Some(file)) => {
                format!("[voice note {file}, {} s]", message["voice"]["duration"])
            }
            (None, None) if message["photo"].is_array() => format!(
                "[photo] {}",
                message["caption"].as_str().unwrap_or_default()
            ),
            _ => "(non-text update)".to_owned(),
        };
        say(&format!("you \u{203a} {text}"));
    }
    let (status, _) = stack.post_update(update).await?;
    if status != 200 {
        say(&format!("      (webhook answered HTTP {status})"));
    }
    // Print while the queues run, so drafts show as they stream.
    let drain = stack.drain_within(Duration::from_secs(180));
    tokio::pin!(drain);
    loop {
        tokio::select! {
            done = &mut drain => {
                done?;
                break;
            }
            () = tokio::time::sleep(Duration::from_millis(100)) => print_new(stack, seen),
        }
    }
    print_new(stack, seen);
    Ok(())
}

/// A press on the newest message that carries a button with `data`, as Telegram reports
/// it: the callback query quotes that message.
fn press(stack: &Stack, data: &str) -> Value {
    let mut update = callback_query(LOCAL_USER, data);
    let has_button = |call: &TgCall| {
        call.params["reply_markup"]["inline_keyboard"]
            .as_array()
            .is_some_and(|rows| {
                rows.iter()
                    .flat_map(|r| r.as_array().cloned().unwrap_or_default())
                    .any(|b| b["callback_data"] == data)
            })
    };
    if let Some(call) = stack
        .telegram
        .calls()
        .iter()
        .rev()
        .find(|c| c.method == "sendMessage" && has_button(c))
    {
        update["callback_query"]["message"]["text"] = call.params["text"].clone();
    }
    update
}

/// A typed line as an update: text, or one of the `!` shortcuts.
fn update_for(stack: &Stack, line: &str) -> Value {
    if let Some(data) = line.strip_prefix("!press ") {
        return press(stack, data.trim());
    }
    if let Some(spoken) = line.strip_prefix("!voice ") {
        let id = format!("typed-voice-{}", testkit::updates::next_update_id());
        let file = spoken_ogg(3, spoken.trim());
        let size = file.len() as u64;
        stack
            .telegram
            .add_file(&id, &format!("voice/{id}.oga"), file);
        return voice_note(LOCAL_USER, &id, 3, size);
    }
    if let Some(caption) = line.strip_prefix("!photo") {
        let caption = caption.trim();
        return photo(
            LOCAL_USER,
            &[(DEMO_PHOTO, demo_photo().len() as u64, 640)],
            (!caption.is_empty()).then_some(caption),
        );
    }
    if let Some(text) = line.strip_prefix("!group ") {
        return group_text(LOCAL_GROUP, "supergroup", LOCAL_USER, text.trim());
    }
    private_text(LOCAL_USER, "You", line)
}

/// The stack as the environment asks for it, and the real model's `(base URL, key)`.
fn stack_options() -> (StackOptions, Option<(String, String)>) {
    let real_openai = env("OPENAI_API_KEY").map(|key| {
        (
            env("OPENAI_BASE_URL")
                .unwrap_or_else(|| shared::config::DEFAULT_OPENAI_BASE_URL.into()),
            key,
        )
    });
    let ids = |name: &str| -> Vec<i64> {
        env(name)
            .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
            .unwrap_or_default()
    };
    let opts = StackOptions {
        redis: env("NO_REDIS").is_none(),
        channel: env("CHANNEL_ID"),
        channel_invite_url: env("CHANNEL_INVITE_URL"),
        allowed_users: ids("ALLOWED_USER_IDS"),
        openai_model: env("OPENAI_MODEL")
            .unwrap_or_else(|| shared::config::DEFAULT_OPENAI_MODEL.into()),
        openai_timeout_secs: 60,
        real_openai: real_openai.clone(),
        admins: ids("ADMIN_USER_IDS"),
        model_prices: env("MODEL_PRICES"),
        // Everything else the functions read is passed through as set.
        extra_env: PASS_THROUGH
            .iter()
            .filter_map(|name| env(name).map(|v| ((*name).to_owned(), v)))
            .collect(),
        ..StackOptions::default()
    };
    (opts, real_openai)
}

/// Says where everything runs and where replies come from.
fn announce(stack: &Stack, real_openai: Option<&(String, String)>) {
    if let Some(code) = APP_LANG.get() {
        say(&format!(
            "Chatting as a user whose Telegram app is set to {code:?} (language_code)."
        ));
    }
    say(&format!(
        "Local stack is up: moto at {}, {}, Telegram stand-in at {}.",
        stack.moto.endpoint,
        stack
            .config
            .redis_url
            .as_deref()
            .map_or("no Redis (DynamoDB cache)".to_owned(), |u| format!(
                "redis at {u}"
            )),
        stack.telegram.base_url()
    ));
    match real_openai {
        Some((base, _)) => say(&format!(
            "Replies come from the real model {} at {base}.",
            stack.config.openai_model
        )),
        None => say(
            "Replies come from the local OpenAI stand-in (set OPENAI_API_KEY for the real model).",
        ),
    }
}

/// Sends each update of a JSON array file, printing what the bot answers.
async fn replay(stack: &Stack, file: &std::path::Path, seen: &mut usize) -> anyhow::Result<()> {
    let updates: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?,
    )
    .with_context(|| format!("{} is not a JSON array of updates", file.display()))?;
    say(&format!(
        "Replaying {} ({} messages).\n",
        file.display(),
        updates.len()
    ));
    for update in updates {
        exchange(stack, &in_app_lang(update), seen, true).await?;
    }
    Ok(())
}

/// Turns each typed line into an update until stdin ends.
async fn interactive(stack: &Stack, seen: &mut usize) -> anyhow::Result<()> {
    say(
        "Type a message and press Enter; /help lists the commands. `!voice TEXT` sends a voice note, `!photo CAPTION` a photo, `!group @companion_bot TEXT` writes in a group, `!press DATA` presses a button; Ctrl-D quits.\n",
    );
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    prompt();
    while let Some(line) = lines.next_line().await? {
        let line = line.trim();
        if !line.is_empty() {
            let update = in_app_lang(update_for(stack, line));
            exchange(stack, &update, seen, false).await?;
        }
        prompt();
    }
    Ok(())
}

/// Writes the env file for `cargo lambda watch` and runs the queues until Ctrl-C.
async fn serve(stack: &Stack, seen: &mut usize) -> anyhow::Result<()> {
    let dir = workspace_root().join(".local");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("env");
    std::fs::write(&path, stack.env_file())?;
    say(&format!("Wrote {}. In another terminal:", path.display()));
    say("  cargo lambda watch --env-file .local/env");
    say("  cargo lambda invoke processor --data-file events/processor-message.json");
    say("Queues are being delivered here as Lambda would; Ctrl-C stops the stack.\n");
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => return Ok(()),
            _ = tokio::time::sleep(Duration::from_millis(500)) => {
                if let Err(e) = stack.drain_within(Duration::from_secs(1)).await {
                    tracing::debug!(error = %e, "queues not empty yet");
                }
                print_new(stack, seen);
            }
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let mode = mode()?;
    let (opts, real_openai) = stack_options();
    let stack = Stack::start(opts)
        .await
        .context("starting the local stack")?;
    stack.telegram.set_member_status(
        LOCAL_USER,
        &env("LOCAL_MEMBER_STATUS").unwrap_or_else(|| "member".into()),
    );
    stack.add_demo_files();
    if let Some(ai) = &stack.openai {
        // About the pace of a real model, so the drafts are visible.
        ai.set_stream_delay(Duration::from_millis(60));
    }
    announce(&stack, real_openai.as_ref());

    let mut seen = 0;
    match mode {
        Mode::Replay(file) => replay(&stack, &file, &mut seen).await?,
        Mode::Interactive => interactive(&stack, &mut seen).await?,
        Mode::Serve => serve(&stack, &mut seen).await?,
    }
    let violations = stack.violations();
    if !violations.is_empty() {
        anyhow::bail!("requests outside the API descriptions: {violations:#?}");
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "off".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match Box::pin(run()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("local-chat: {e:#}");
            ExitCode::FAILURE
        }
    }
}
