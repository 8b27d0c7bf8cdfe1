//! A local server that speaks the mp4upload API on 127.0.0.1, with demo data
//! and the quirks of the live service. Used by `mp4u --demo`, `mp4u sandbox` and the tests.

mod api;
mod clock;
mod demo;
mod envelope;
mod faults;
mod files;
mod folders;
mod keep;
mod pages;
mod params;
mod quirks;
mod server;
mod service;
mod state;
mod stats;
mod upload;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use faults::ApiFaults;
pub use quirks::{LOCKOUT_MESSAGE, Quirks};
pub use state::{DeletedRecord, FileRecord, FolderRecord, ListQuery, SandboxState, StateError};

/// The key the sandbox accepts by default (matches `^[a-z0-9]{16,}$`).
pub const DEMO_KEY: &str = "mp4udemo7x2k9qwmz";

/// How to run a sandbox.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// 0 = pick a free port.
    pub port: u16,
    /// The only key accepted.
    pub key: String,
    /// Seed from the demo library (false = empty account).
    pub demo_data: bool,
    /// Keep uploaded bytes here as `<file_code>`; `None` = hash and discard.
    pub store_dir: Option<PathBuf>,
    /// The API faults it starts with; they can change while it runs
    /// ([`Sandbox::set_api_faults`]).
    pub api: ApiFaults,
    /// The upload faults it starts with ([`Sandbox::set_upload_faults`]).
    pub upload: UploadFaults,
    /// Behaviours of the live service to play ([`Quirks`]).
    pub quirks: Quirks,
    /// Adds a folder `/Big` holding this many files (for measuring large listings).
    pub big_folder: Option<usize>,
    /// Keep the account in this file between runs, written after every change.
    pub keep: Option<PathBuf>,
}

impl SandboxConfig {
    /// The default sandbox with these upload faults.
    pub fn with_upload(upload: UploadFaults) -> SandboxConfig {
        SandboxConfig {
            upload,
            ..SandboxConfig::default()
        }
    }

    /// The demo's: its account kept between runs beside its upload queue.
    pub fn demo() -> SandboxConfig {
        SandboxConfig {
            keep: crate::queue::demo_account_file(),
            ..SandboxConfig::default()
        }
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            port: 0,
            key: DEMO_KEY.to_string(),
            demo_data: true,
            store_dir: None,
            api: ApiFaults::default(),
            upload: UploadFaults::default(),
            quirks: Quirks::default(),
            big_folder: None,
            keep: None,
        }
    }
}

/// The upload faults in force; they start from [`SandboxConfig::upload`] and can change while
/// the sandbox runs ([`Sandbox::set_upload_faults`]). Each upload reads them when it starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UploadFaults {
    /// Throttle upload reading.
    pub bytes_per_sec: Option<u64>,
    /// Cut the connection after this many body bytes of an upload.
    pub drop_after: Option<u64>,
    /// Answer every upload with file_code "undef" and this reason.
    pub refuse: Option<String>,
    /// Keep the file, then cut the connection instead of answering.
    pub drop_reply: bool,
    /// Store a file this long after its whole body was read, whether or not its sender is
    /// still there (a server that stores late), and answer only then.
    pub store_late_ms: Option<u64>,
}

impl UploadFaults {
    /// Uploads read at `bytes_per_sec`.
    pub fn slow(bytes_per_sec: u64) -> UploadFaults {
        UploadFaults {
            bytes_per_sec: Some(bytes_per_sec),
            ..UploadFaults::default()
        }
    }

    /// The connection cut after `bytes` of an upload's body.
    pub fn cut_after(bytes: u64) -> UploadFaults {
        UploadFaults {
            drop_after: Some(bytes),
            ..UploadFaults::default()
        }
    }

    /// Every upload answered `undef` with this reason.
    pub fn refusing(reason: impl Into<String>) -> UploadFaults {
        UploadFaults {
            refuse: Some(reason.into()),
            ..UploadFaults::default()
        }
    }

    /// Every upload kept, then its reply lost (the connection cut instead).
    pub fn lost_reply() -> UploadFaults {
        UploadFaults {
            drop_reply: true,
            ..UploadFaults::default()
        }
    }
}

/// A running sandbox server.
pub struct Sandbox {
    addr: SocketAddr,
    key: String,
    state: SandboxState,
    faults: Arc<RwLock<UploadFaults>>,
    api_faults: Arc<faults::FaultState>,
    quirks: Arc<RwLock<Quirks>>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Binds 127.0.0.1:`port` and serves on the current tokio runtime; it accepts
    /// connections when this returns.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        if let Some(dir) = &config.store_dir {
            tokio::fs::create_dir_all(dir).await?;
        }
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}");
        let state = match &config.keep {
            Some(path) => {
                let (state, aside) = SandboxState::kept(&base_url, config.demo_data, path);
                if let Some(aside) = aside {
                    tracing::warn!(file = %aside.display(), "a damaged account file was set aside");
                }
                state
            }
            None => SandboxState::new(&base_url, config.demo_data),
        };
        if let Some(n) = config.big_folder
            && let Some(big) = state.create_folder(0, "Big")
        {
            state.generate_files(big, n, "Big file");
        }
        let key = config.key.clone();
        let quirks = Arc::new(RwLock::new(config.quirks.clone()));
        let faults = Arc::new(RwLock::new(config.upload.clone()));
        let api_faults = Arc::new(faults::FaultState::new(config.api.clone()));
        let app = service::Service {
            state: state.clone(),
            config: Arc::new(config),
            faults: Arc::clone(&faults),
            api_faults: Arc::clone(&api_faults),
            quirks: Arc::clone(&quirks),
        };
        let router = server::router(app);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Sandbox {
            addr,
            key,
            state,
            faults,
            api_faults,
            quirks,
            stop: Some(stop),
            task: Some(task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    /// A handle on the account, for tests.
    pub fn state(&self) -> SandboxState {
        self.state.clone()
    }

    /// The upload faults in force now.
    pub fn upload_faults(&self) -> UploadFaults {
        self.faults
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Replaces the upload faults; uploads that start from now on see the new ones (one
    /// already running keeps those it started with).
    pub fn set_upload_faults(&self, faults: UploadFaults) {
        *self.faults.write().unwrap_or_else(|e| e.into_inner()) = faults;
    }

    /// The API faults in force now.
    pub fn api_faults(&self) -> ApiFaults {
        self.api_faults.get()
    }

    /// Replaces the API faults; calls from now on see the new ones.
    pub fn set_api_faults(&self, faults: ApiFaults) {
        self.api_faults.set(faults);
    }

    /// How many API calls the sandbox has answered (or failed on purpose).
    pub fn api_calls(&self) -> u64 {
        self.api_faults.calls()
    }

    /// How many calls of one kind (`file/list`) the sandbox has answered.
    pub fn calls_of(&self, call: &str) -> u64 {
        self.api_faults.calls_of(call)
    }

    /// The quirks in force now.
    pub fn quirks(&self) -> Quirks {
        self.quirks
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Replaces the quirks; calls from now on see the new ones.
    pub fn set_quirks(&self, quirks: Quirks) {
        *self.quirks.write().unwrap_or_else(|e| e.into_inner()) = quirks;
    }

    /// How many uploads arrived with the API key standing in for the session (it must never
    /// travel over plain http).
    pub fn key_sessions(&self) -> u64 {
        self.state.key_sessions()
    }

    /// Upload body bytes read so far, every upload together, counted as they arrive: what a
    /// bandwidth limit is measured by.
    pub fn upload_bytes(&self) -> u64 {
        self.state.upload_bytes()
    }

    /// Stops accepting, gives open connections a moment, then stops for good.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(2), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// `mp4u sandbox`: start, print the address and the key it accepts, serve until
/// Ctrl-C / SIGTERM.
pub async fn run_standalone(config: SandboxConfig) -> std::io::Result<()> {
    let sandbox = Sandbox::start(config).await?;
    let url = sandbox.base_url();
    let key = sandbox.key().to_string();
    println!("mp4u sandbox listening on {url}");
    println!("API key: {key}");
    println!("Try: MP4UPLOAD_API_URL={url} MP4UPLOAD_API_KEY={key} mp4u ls");
    crate::stop::until_stopped().await;
    sandbox.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod http_tests;
