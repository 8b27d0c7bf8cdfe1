//! Helpers shared by the test binaries (`tests/<binary>/main.rs` each reach this file with
//! `#[path = "../common/mod.rs"] mod common;`; each uses only a part of it): sandboxes, canned
//! HTTP servers on 127.0.0.1, and running the `mp4u` binary; `app` drives the state machine,
//! `pty` runs the binary in a pseudo-terminal, and `e2e` runs it there on a sandbox.
//!
//! Every server here listens on 127.0.0.1 and lives on a runtime owned by the test, so it stops
//! when the test ends.

#![allow(dead_code)]

pub mod app;
pub mod e2e;
pub mod pty;

use std::io::Write;
use std::net::{SocketAddr, TcpListener as StdListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mp4u::api::{ApiKey, Client};
use mp4u::sandbox::{Sandbox, SandboxConfig};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A key of the right form that the sandbox does not accept.
pub const WRONG_KEY: &str = "q7w3e9r1t5y2u8i4o6p0";

/// A sandbox with the demo library.
pub async fn demo() -> Sandbox {
    Sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox starts")
}

/// A sandbox with an empty account.
pub async fn empty() -> Sandbox {
    sandbox(SandboxConfig {
        demo_data: false,
        ..SandboxConfig::default()
    })
    .await
}

pub async fn sandbox(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).await.expect("sandbox starts")
}

/// A client for the sandbox, with the key it accepts.
pub fn client(sb: &Sandbox) -> Client {
    client_for(&sb.base_url(), sb.key())
}

/// Sends the file at `path` into `/` of the sandbox's account, as the CLI does.
pub async fn upload_to_root(
    sb: &Sandbox,
    path: &std::path::Path,
) -> Result<mp4u::api::UploadedFile, mp4u::api::ApiError> {
    client(sb).upload(path, None, |_| {}).await
}

/// The policy of a real client (three tries for calls that read), with short waits and no
/// pace, so that tests stay fast; `tests/http/faults.rs` tests the real waits and pace.
pub fn client_for(base_url: &str, key: &str) -> Client {
    Client::new(base_url, ApiKey::parse(key).expect("well-formed key"))
        .expect("client")
        .with_pace(None)
        .with_retries(mp4u::api::policy::READ_TRIES, Duration::from_millis(5))
}

/// Hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Writes `len` pseudo-random bytes (seeded) to `dir/name`; returns the path and the bytes.
pub fn random_file(dir: &Path, name: &str, len: usize, seed: u64) -> (PathBuf, Vec<u8>) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut bytes = vec![0u8; len];
    rng.fill(&mut bytes);
    let path = dir.join(name);
    let mut f = std::fs::File::create(&path).expect("create file");
    f.write_all(&bytes).expect("write file");
    (path, bytes)
}

/// A listener nobody should connect to; ask it afterwards whether anyone did.
pub struct Untouched {
    listener: StdListener,
}

impl Untouched {
    pub fn new() -> Untouched {
        let listener = StdListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        Untouched { listener }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.listener.local_addr().expect("addr"))
    }

    /// Whether a connection is waiting: a connection made earlier (even one closed since) sits
    /// in the accept queue, so this needs no waiting.
    pub fn was_contacted(&self) -> bool {
        match self.listener.accept() {
            Ok(_) => true,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => false,
            Err(e) => panic!("accept: {e}"),
        }
    }
}

/// An empty account on a server that reads uploads at `bytes_per_sec`: slow enough for a test
/// to act while a file is on its way.
pub fn slow_uploads(bytes_per_sec: u64) -> SandboxConfig {
    SandboxConfig {
        demo_data: false,
        upload: mp4u::sandbox::UploadFaults::slow(bytes_per_sec),
        ..SandboxConfig::default()
    }
}

/// A port on 127.0.0.1 where nothing listens (bound, then released).
pub fn closed_port() -> u16 {
    let l = StdListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// What a canned server answers: a status line, extra header lines and a body. In the headers
/// and the body, `{REQUEST}` becomes the request target (path and query) the client sent and
/// `{HOST}` the server's own address.
#[derive(Clone)]
pub struct Canned {
    pub status: &'static str,
    pub content_type: &'static str,
    pub headers: String,
    pub body: String,
}

impl Canned {
    pub fn json(body: impl Into<String>) -> Canned {
        Canned {
            status: "200 OK",
            content_type: "application/json",
            headers: String::new(),
            body: body.into(),
        }
    }
    pub fn html(status: &'static str, body: impl Into<String>) -> Canned {
        Canned {
            status,
            content_type: "text/html",
            headers: String::new(),
            body: body.into(),
        }
    }
}

/// How a raw server reacts to a request.
#[derive(Clone)]
pub enum Reaction {
    Answer(Canned),
    /// Close the connection without a word.
    HangUp,
    /// Read whatever comes and never answer.
    Silent,
}

/// A raw HTTP/1.1 server on 127.0.0.1 that reacts to every request with `react(target)`, and
/// records the request targets.
pub struct RawServer {
    pub addr: SocketAddr,
    pub targets: Arc<Mutex<Vec<String>>>,
}

impl RawServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub fn targets(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }
}

/// Starts a server giving the same canned answer to every request.
pub async fn canned(answer: Canned) -> RawServer {
    raw_server(move |_| Reaction::Answer(answer.clone())).await
}

pub async fn raw_server<F>(react: F) -> RawServer
where
    F: Fn(&str) -> Reaction + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let targets = Arc::new(Mutex::new(Vec::new()));
    let react = Arc::new(react);
    let recorded = Arc::clone(&targets);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let react = Arc::clone(&react);
            let recorded = Arc::clone(&recorded);
            tokio::spawn(async move {
                let Some(head) = read_head(&mut socket).await else {
                    return;
                };
                let target = head
                    .lines()
                    .next()
                    .and_then(|l| l.split(' ').nth(1))
                    .unwrap_or_default()
                    .to_string();
                recorded.lock().unwrap().push(target.clone());
                match react(&target) {
                    Reaction::HangUp => return,
                    Reaction::Silent => {}
                    Reaction::Answer(reply) => {
                        let fill = |text: &str| {
                            text.replace("{REQUEST}", &target)
                                .replace("{HOST}", &addr.to_string())
                        };
                        let body = fill(&reply.body);
                        let response = format!(
                            "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{}Connection: close\r\n\r\n{}",
                            reply.status,
                            reply.content_type,
                            body.len(),
                            fill(&reply.headers),
                            body
                        );
                        let _ = socket.write_all(response.as_bytes()).await;
                        let _ = socket.shutdown().await;
                    }
                }
                // Read the rest of the request (an upload body) so that closing the socket
                // does not reset the connection under the client's feet.
                let mut sink = [0u8; 64 * 1024];
                while let Ok(Ok(n)) =
                    tokio::time::timeout(Duration::from_secs(30), socket.read(&mut sink)).await
                {
                    if n == 0 {
                        break;
                    }
                }
            });
        }
    });
    RawServer { addr, targets }
}

/// Reads up to the end of the request head (the body, if any, is left unread).
async fn read_head(socket: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(10), socket.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 || buf.len() > 64 * 1024 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// What a run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> &Self {
        assert_eq!(self.code, 0, "expected success: {self:#?}");
        self
    }
    pub fn json(&self) -> serde_json::Value {
        self.ok();
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }
    /// Asserts that stdout holds `text` (showing stdout when not).
    #[track_caller]
    pub fn says(&self, text: &str) -> &Self {
        holds("stdout", &self.stdout, text);
        self
    }

    /// Asserts that stderr holds `text` (showing stderr when not).
    #[track_caller]
    pub fn complains(&self, text: &str) -> &Self {
        holds("stderr", &self.stderr, text);
        self
    }

    /// The lines written to stderr.
    pub fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}

#[track_caller]
fn holds(name: &str, stream: &str, text: &str) {
    assert!(stream.contains(text), "{text:?} not in {name}:\n{stream}");
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// The `mp4u` binary with a clean environment: no key or URL from the caller's environment,
/// `--config` pointing at `config` when it is there (else no config file at all; never the
/// user's), and the state directory (the upload queue) in `state/` beside it, never the user's.
pub fn mp4u_command(config: &Path, url: Option<&str>, key: Option<&str>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mp4u"));
    cmd.env_remove("MP4UPLOAD_API_KEY")
        .env_remove("MP4UPLOAD_API_URL")
        .env("MP4U_STATE_DIR", state_dir(config))
        // An upload whose fate is unknown is waited for 3 s, not minutes (a test may say more).
        .env("MP4U_UPLOAD_SETTLE", "3")
        .stdin(Stdio::null());
    // `--config` must name a file that is there. Without one, mp4u looks in the default place:
    // an empty directory of the test's, never the user's.
    if config.exists() {
        cmd.arg("--config").arg(config);
    } else {
        cmd.env(
            "XDG_CONFIG_HOME",
            config.parent().unwrap_or(Path::new(".")).join("no-config"),
        );
    }
    if let Some(url) = url {
        cmd.env("MP4UPLOAD_API_URL", url);
    }
    if let Some(key) = key {
        cmd.env("MP4UPLOAD_API_KEY", key);
    }
    cmd
}

/// The state directory [`mp4u_command`] gives the binary run with `config`.
pub fn state_dir(config: &Path) -> PathBuf {
    config.parent().unwrap_or(Path::new(".")).join("state")
}

/// Runs the binary to completion.
pub fn run_mp4u(config: &Path, url: Option<&str>, key: Option<&str>, args: &[&str]) -> Run {
    mp4u_command(config, url, key)
        .args(args)
        .output()
        .expect("run mp4u")
        .into()
}

/// Runs `mp4u --demo ARGS` to completion (its own sandbox; no key, no network).
#[allow(dead_code)]
pub fn run_demo(config: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--demo"];
    all.extend_from_slice(args);
    run_mp4u(config, None, None, &all)
}

/// A multi-threaded runtime that keeps servers running while the test thread blocks on the
/// binary.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// Whether `text` holds any 8-character piece of `secret`.
pub fn leaks(text: &str, secret: &str) -> bool {
    let bytes = secret.as_bytes();
    bytes
        .windows(8.min(bytes.len()))
        .any(|w| text.contains(std::str::from_utf8(w).expect("ascii key")))
}

/// Waits (polling) until `done`, or fails the test after `within`.
#[track_caller]
#[allow(dead_code)]
pub fn wait_until(what: &str, within: Duration, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + within;
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The upload queue file's entries in the state directory `state` (`MP4U_STATE_DIR`), in order:
/// (name, state, owner); nothing when there is no file yet.
#[allow(dead_code)]
pub fn queue_entries(state: &Path) -> Vec<(String, String, String)> {
    std::fs::read(state.join("queue").join("queue.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v["entries"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|e| {
            let f = |k: &str| e[k].as_str().unwrap_or("").to_string();
            (f("name"), f("state"), f("owner"))
        })
        .collect()
}
