//! Processes the stack runs: moto server and redis-server, each on a free loopback port.
//!
//! Each is started through a small shell watchdog that kills it when the process that
//! started it exits, so a test binary that panics or a Ctrl-C'd chat leaves nothing behind.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::fixtures::workspace_root;

pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn wait_for_port(port: u16, what: &str, child: &mut Child) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if let Some(status) = child.try_wait()? {
            bail!("{what} exited during start-up ({status})");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    bail!("{what} did not open port {port} within 30 s")
}

/// Finds a program: an explicit environment variable, the project's own install under
/// `$BOT_TOOLS_DIR` (default `.local/`, where scripts/setup puts it), then `PATH`.
fn find(program: &str, env_var: &str, local: &str) -> anyhow::Result<PathBuf> {
    if let Ok(p) = std::env::var(env_var) {
        return Ok(PathBuf::from(p));
    }
    let tools = std::env::var("BOT_TOOLS_DIR")
        .map_or_else(|_| workspace_root().join(".local"), PathBuf::from);
    let candidate = tools.join(local);
    if candidate.exists() {
        return Ok(candidate);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.exists())
        .with_context(|| {
            format!("{program} not found: run scripts/setup (or set {env_var}) to install it")
        })
}

/// SIGTERM, not SIGKILL: the watchdog shell must live long enough to run its trap and
/// take its child down with it.
fn terminate(child: &mut Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let _ = child.wait();
}

fn spawn_watched(program: &std::path::Path, args: &[String]) -> anyhow::Result<Child> {
    let quoted: Vec<String> = std::iter::once(program.display().to_string())
        .chain(args.iter().cloned())
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    let script = format!(
        "{} & child=$!; trap 'kill $child 2>/dev/null' EXIT TERM INT; \
         while kill -0 {parent} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 0.5; done",
        quoted.join(" "),
        parent = std::process::id()
    );
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", program.display()))
}

/// A moto server (DynamoDB, SQS, Secrets Manager).
#[derive(Debug)]
pub struct Moto {
    pub endpoint: String,
    child: Option<Child>,
}

impl Moto {
    /// Uses `MOTO_ENDPOINT` when set (a server the caller runs), else starts one.
    pub fn start() -> anyhow::Result<Self> {
        if let Ok(endpoint) = std::env::var("MOTO_ENDPOINT") {
            return Ok(Self {
                endpoint,
                child: None,
            });
        }
        // moto's own server, through a wrapper that keeps FIFO message groups in order
        // as SQS does (see the script), with the Python of the venv scripts/setup made.
        let python = find("python3", "MOTO_PYTHON", "venv-moto/bin/python")?;
        let script = workspace_root().join("tests/support/moto_server.py");
        let port = free_port()?;
        let mut child = spawn_watched(
            &python,
            &[
                script.display().to_string(),
                "-H".into(),
                "127.0.0.1".into(),
                "-p".into(),
                port.to_string(),
            ],
        )?;
        wait_for_port(port, "moto_server", &mut child)?;
        Ok(Self {
            endpoint: format!("http://127.0.0.1:{port}"),
            child: Some(child),
        })
    }

    /// One moto per process: tests share it and keep apart by resource names.
    pub fn shared() -> anyhow::Result<Arc<Self>> {
        static SHARED: OnceLock<Result<Arc<Moto>, String>> = OnceLock::new();
        SHARED
            .get_or_init(|| Self::start().map(Arc::new).map_err(|e| format!("{e:#}")))
            .clone()
            .map_err(|e| anyhow::anyhow!(e))
    }
}

/// SDK clients for moto (or a gate in front of it) at `endpoint`, with the dummy
/// credentials moto accepts.
pub async fn aws_clients(endpoint: &str) -> shared::app::Clients {
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_sqs::config::Credentials::new(
            "test", "test", None, None, "local",
        ))
        .load()
        .await;
    shared::app::Clients::new(&sdk)
}

impl Drop for Moto {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            terminate(child);
        }
    }
}

/// A redis-server of our own, so a test can stop it without touching anyone else's.
#[derive(Debug)]
pub struct RedisServer {
    pub url: String,
    child: Child,
    stopped: bool,
}

impl RedisServer {
    pub fn start() -> anyhow::Result<Self> {
        Self::start_on(free_port()?, &[])
    }

    /// A server that refuses every command until the client authenticates (AUTH).
    pub fn start_with_password(password: &str) -> anyhow::Result<Self> {
        Self::start_on(free_port()?, &["--requirepass", password])
    }

    /// A fresh, empty server on the same port: Redis restarted, its cache gone.
    pub fn restart(&mut self) -> anyhow::Result<()> {
        self.stop();
        *self = Self::start_on(self.port(), &[])?;
        Ok(())
    }

    fn port(&self) -> u16 {
        self.url
            .trim_start_matches("redis://127.0.0.1:")
            .trim_end_matches('/')
            .parse()
            .unwrap_or(0)
    }

    fn start_on(port: u16, extra: &[&str]) -> anyhow::Result<Self> {
        let program = find("redis-server", "REDIS_SERVER", "bin/redis-server")?;
        let args: Vec<String> = [
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        .iter()
        .chain(extra)
        .map(|s| (*s).to_owned())
        .collect();
        let mut child = spawn_watched(&program, &args)?;
        wait_for_port(port, "redis-server", &mut child)?;
        Ok(Self {
            url: format!("redis://127.0.0.1:{port}/"),
            child,
            stopped: false,
        })
    }

    /// Stops the server for good (the "Redis is down" case).
    pub fn stop(&mut self) {
        if std::mem::replace(&mut self.stopped, true) {
            return;
        }
        terminate(&mut self.child);
        // The server may outlive the shell for a moment; wait until the port closes.
        let port = self.port();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && TcpStream::connect(("127.0.0.1", port)).is_ok() {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}
