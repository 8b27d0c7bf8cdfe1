//! The background task channel: runs each command on tokio and sends its outcome back as an
//! event. API calls ([`api`]) run a few at a time; local jobs ([`local`]: clipboard, browser,
//! directories, exports, the config) and the upload queue file ([`queue_jobs`]) run beside
//! them; a directory's upload is planned in [`tree`]; the screen never waits for any.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, mpsc};

use crate::api::Client;
use crate::app::command::CommandKind;
use crate::app::{Command, Event, Outcome};
use crate::config::ConfigFile;

mod api;
mod local;
mod queue_jobs;
mod tree;

use api::{call, outcome_error};

/// API calls in flight at once.
const API_SLOTS: usize = 4;
/// How long a folder must stay highlighted before its files are asked for.
const DEBOUNCE: Duration = Duration::from_millis(120);
/// Upload progress is reported at most this often per upload (the last byte always is).
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

#[derive(Clone)]
pub struct Worker {
    client: Arc<RwLock<Option<Client>>>,
    events: mpsc::UnboundedSender<Event>,
    api_slots: Arc<Semaphore>,
    /// The newest debounced listing asked for; older ones are skipped after their wait.
    latest_listing: Arc<AtomicU64>,
    base_url: String,
    config_path: PathBuf,
    upload_slots: Arc<Semaphore>,
    /// Running and queued uploads, to stop them at once.
    uploads: Arc<Mutex<HashMap<u64, tokio::task::AbortHandle>>>,
    /// The limit all uploads share; the transfers view changes it.
    bandwidth: Arc<crate::api::Bandwidth>,
    /// The upload queue file (one in memory unless [`Worker::with_queue`] gives one).
    queue: Arc<crate::queue::Queue>,
    /// The demo keeps its queue under an account of its own.
    demo: bool,
    /// How long an upload whose fate is unknown is waited for.
    patience: crate::queue::run::Patience,
    /// The profile a key from the first-run prompt is saved in (`[profiles.NAME]`).
    profile: Option<String>,
}

impl Worker {
    pub fn new(
        client: Option<Client>,
        events: mpsc::UnboundedSender<Event>,
        base_url: String,
        config_path: PathBuf,
        parallel_uploads: usize,
    ) -> Worker {
        Worker {
            client: Arc::new(RwLock::new(client)),
            events,
            api_slots: Arc::new(Semaphore::new(API_SLOTS)),
            latest_listing: Arc::new(AtomicU64::new(0)),
            base_url,
            config_path,
            upload_slots: Arc::new(Semaphore::new(parallel_uploads.max(1))),
            uploads: Arc::new(Mutex::new(HashMap::new())),
            bandwidth: Arc::new(crate::api::Bandwidth::new(None)),
            queue: Arc::new(crate::queue::Queue::in_memory()),
            demo: false,
            patience: crate::queue::run::Patience::default(),
            profile: None,
        }
    }

    /// How long an upload whose fate is unknown is waited for before it is sent again.
    pub fn with_patience(mut self, patience: crate::queue::run::Patience) -> Worker {
        self.patience = patience;
        self
    }

    /// A key from the first-run prompt goes into this profile's table of the config file.
    pub fn with_profile(mut self, profile: Option<String>) -> Worker {
        self.profile = profile;
        self
    }

    /// Uploads go through this queue file (`demo`: under the demo's own account).
    pub fn with_queue(mut self, queue: Arc<crate::queue::Queue>, demo: bool) -> Worker {
        self.queue = queue;
        self.demo = demo;
        self
    }

    /// The account the queue files entries under, once there is a key.
    fn account(&self) -> Option<crate::queue::Account> {
        if self.demo {
            Some(crate::queue::Account::demo())
        } else {
            self.client().map(|c| crate::queue::Account::of(&c))
        }
    }

    /// Uploads share this limit (the worker's own is unlimited).
    pub fn with_bandwidth(mut self, bandwidth: Arc<crate::api::Bandwidth>) -> Worker {
        self.bandwidth = bandwidth;
        self
    }

    fn client(&self) -> Option<Client> {
        self.client.read().ok().and_then(|c| c.clone())
    }

    fn send(&self, outcome: Outcome) {
        // The receiver is gone only when the app is quitting.
        let _ = self.events.send(Event::Outcome(outcome));
    }

    /// Starts a command in the background.
    pub fn run(&self, command: Command) {
        tracing::info!(?command, "command");
        if let Command::ListFiles {
            req,
            debounce: true,
            ..
        } = &command
        {
            self.latest_listing.fetch_max(*req, Ordering::Relaxed);
        }
        match command {
            Command::StartUpload {
                id, path, entry, ..
            } => self.start_upload(id, path, entry),
            Command::SetBwLimit(rate) => self.bandwidth.set_rate(rate),
            Command::CancelUpload { id } => {
                if let Some(handle) = self.uploads.lock().ok().and_then(|mut u| u.remove(&id)) {
                    // Dropping the request closes the connection: the transfer stops now.
                    handle.abort();
                }
            }
            command => {
                let worker = self.clone();
                tokio::spawn(async move {
                    let outcome = worker.execute(command).await;
                    if let Some(outcome) = outcome {
                        worker.send(outcome);
                    }
                });
            }
        }
    }

    /// Uploads one file when a slot is free; progress and the end come back as events. The
    /// entry is read afresh from the queue file first, and sent through
    /// [`crate::queue::run::send`], which records each state as it changes.
    fn start_upload(&self, id: u64, path: PathBuf, entry: u64) {
        let worker = self.clone();
        let task = tokio::spawn(async move {
            let Some(client) = worker.client() else {
                return;
            };
            let client = client.with_bandwidth(worker.bandwidth.clone());
            let Ok(_slot) = worker.upload_slots.clone().acquire_owned().await else {
                return;
            };
            let result = match queue_jobs::fresh_entry(&worker.queue, entry, &path).await {
                Err(error) => Err(error),
                // Finished meanwhile (by another mp4u): nothing to send.
                Ok(fresh) if fresh.state.is_done() => {
                    queue_jobs::as_result(crate::queue::run::finished(&client, &fresh), &fresh)
                }
                Ok(fresh) => {
                    let events = worker.events.clone();
                    let last = Mutex::new(None::<Instant>);
                    let size = fresh.size;
                    let progress = move |sent: u64| {
                        let now = Instant::now();
                        let due = match last.lock() {
                            Ok(mut last) => {
                                let due = sent >= size
                                    || last.is_none_or(|t| now.duration_since(t) >= PROGRESS_EVERY);
                                if due {
                                    *last = Some(now);
                                }
                                due
                            }
                            Err(_) => true,
                        };
                        if due {
                            let _ = events.send(Event::Outcome(Outcome::UploadProgress {
                                id,
                                sent,
                                at: now,
                            }));
                        }
                    };
                    worker.send(Outcome::UploadProgress {
                        id,
                        sent: 0,
                        at: Instant::now(),
                    });
                    let plain = worker.events.clone();
                    let on_server = move |url: &url::Url| {
                        if crate::api::sends_in_the_clear(url) {
                            let host = url.host_str().unwrap_or("?").to_string();
                            let _ = plain.send(Event::Outcome(Outcome::PlainHttpUpload { host }));
                        }
                    };
                    let outcome = crate::queue::run::send(
                        &client,
                        &worker.queue,
                        &fresh,
                        &worker.patience,
                        progress,
                        on_server,
                    )
                    .await;
                    queue_jobs::as_result(outcome, &fresh)
                }
            };
            if let Err(error) = &result {
                tracing::warn!(%error, "upload failed");
            }
            if let Ok(mut uploads) = worker.uploads.lock() {
                uploads.remove(&id);
            }
            worker.send(Outcome::UploadFinished { id, result });
        });
        if let Ok(mut uploads) = self.uploads.lock() {
            uploads.insert(id, task.abort_handle());
        }
    }

    async fn execute(&self, command: Command) -> Option<Outcome> {
        match command {
            Command::CheckKey(key) => Some(Outcome::KeyChecked(self.check_key(key).await)),
            local if local.kind() == CommandKind::Local => {
                local::run(local, &self.config_path).await
            }
            queue if queue.kind() == CommandKind::Queue => {
                let outcome =
                    queue_jobs::run(&self.queue, self.account(), self.client(), queue).await;
                // Anything else the queue file had to say on the way (a damaged file set aside).
                let notices = self.queue.take_notices();
                if !notices.is_empty() {
                    self.send(Outcome::QueueNotices(notices));
                }
                outcome
            }
            tree @ (Command::PlanTree { .. } | Command::StartTree { .. }) => {
                tree::run(&self.client()?, tree).await
            }
            // Through the queue file, outside the API slots (a look-up may wait for an upload
            // whose fate is unknown to settle).
            entry @ (Command::LookupUpload { .. } | Command::MoveUpload { .. }) => {
                queue_jobs::account_step(&self.client()?, &self.queue, &self.patience, entry).await
            }
            other => {
                let client = self.client()?;
                if let Command::ListFiles {
                    fld_id,
                    req,
                    debounce: true,
                    ..
                } = &other
                {
                    tokio::time::sleep(DEBOUNCE).await;
                    if self.latest_listing.load(Ordering::Relaxed) != *req {
                        return Some(Outcome::FilesSkipped {
                            fld_id: *fld_id,
                            req: *req,
                        });
                    }
                }
                let _slot = self.api_slots.acquire().await.ok()?;
                let outcome = call(&client, other).await;
                if let Some(error) = outcome_error(&outcome) {
                    tracing::warn!(%error, "call failed");
                }
                Some(outcome)
            }
        }
    }

    async fn check_key(&self, key: crate::api::ApiKey) -> Result<crate::api::AccountInfo, String> {
        let client = Client::new(&self.base_url, key.clone()).map_err(|e| e.to_string())?;
        let info = client.account_info().await.map_err(|e| e.to_string())?;
        let path = self.config_path.clone();
        let text = key.expose().to_string();
        let profile = self.profile.clone();
        let saved = tokio::task::spawn_blocking(move || {
            ConfigFile::set_in(&path, profile.as_deref(), "api_key", text)
        })
        .await;
        match saved {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(format!("The key works, but {e}")),
            Err(_) => return Err("The key works, but saving it failed".into()),
        }
        if let Ok(mut slot) = self.client.write() {
            *slot = Some(client);
        }
        Ok(info)
    }
}
