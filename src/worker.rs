//! The background task channel: runs each command on tokio and sends its outcome back as an
//! event. API calls run a few at a time; the screen never waits for them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, mpsc};

use crate::api::{ApiError, Client, FileListQuery};
use crate::app::popup::LocalEntry;
use crate::app::transfers::CheckedFile;
use crate::app::{Command, Event, Outcome};
use crate::config::ConfigFile;

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
            Command::StartUpload { id, path, fld_id } => self.start_upload(id, path, fld_id),
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

    /// Uploads one file when a slot is free; progress and the end come back as events.
    fn start_upload(&self, id: u64, path: PathBuf, fld_id: u64) {
        let worker = self.clone();
        let task = tokio::spawn(async move {
            let Some(client) = worker.client() else {
                return;
            };
            let client = client.with_bandwidth(worker.bandwidth.clone());
            let Ok(_slot) = worker.upload_slots.clone().acquire_owned().await else {
                return;
            };
            let events = worker.events.clone();
            let last = Mutex::new(None::<Instant>);
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
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
            // The root needs no move afterwards.
            let folder = (fld_id != crate::app::tree::ROOT).then_some(fld_id);
            worker.send(Outcome::UploadProgress {
                id,
                sent: 0,
                at: Instant::now(),
            });
            let plain = worker.events.clone();
            let result = client
                .upload_observed(&path, folder, progress, move |url| {
                    if url.scheme() == "http" {
                        let host = url.host_str().unwrap_or("?").to_string();
                        let _ = plain.send(Event::Outcome(Outcome::PlainHttpUpload { host }));
                    }
                })
                .await;
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
            Command::Copy(text) => {
                copy_to_system_clipboard(text).await;
                None
            }
            Command::OpenUrl(url) => {
                let result = tokio::task::spawn_blocking(move || open::that_detached(&url)).await;
                match result {
                    Ok(Ok(())) => None,
                    Ok(Err(e)) => Some(Outcome::LocalError(format!(
                        "Could not open a browser: {e}"
                    ))),
                    Err(_) => None,
                }
            }
            Command::CheckKey(key) => Some(Outcome::KeyChecked(self.check_key(key).await)),
            Command::Export {
                dir,
                prefix,
                contents,
            } => {
                let result = tokio::task::spawn_blocking(move || export(&dir, &prefix, &contents))
                    .await
                    .unwrap_or_else(|_| Err("the export failed".into()));
                Some(Outcome::Exported { result })
            }
            Command::SaveSort(sort) => {
                let path = self.config_path.clone();
                let saved =
                    tokio::task::spawn_blocking(move || ConfigFile::set(&path, "sort", sort)).await;
                match saved {
                    Ok(Ok(())) => None,
                    Ok(Err(e)) => Some(Outcome::LocalError(format!(
                        "The order was not remembered: {e}"
                    ))),
                    Err(_) => None,
                }
            }
            Command::ReadDir { path } => {
                let listed = path.clone();
                let result = tokio::task::spawn_blocking(move || read_dir(&path))
                    .await
                    .unwrap_or_else(|_| Err("could not read the directory".into()));
                Some(Outcome::DirListed {
                    path: listed,
                    result,
                })
            }
            Command::CheckUploads { paths, max_bytes } => {
                let (accepted, refused) =
                    tokio::task::spawn_blocking(move || check_uploads(&paths, max_bytes))
                        .await
                        .unwrap_or_default();
                Some(Outcome::UploadsChecked { accepted, refused })
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
        let saved =
            tokio::task::spawn_blocking(move || ConfigFile::set(&path, "api_key", text)).await;
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

/// Runs one API command.
async fn call(client: &Client, command: Command) -> Outcome {
    match command {
        Command::LoadAccount => Outcome::Account(client.account_info().await),
        Command::ListFolder { fld_id } => Outcome::Folder {
            fld_id,
            result: client.subfolders(fld_id).await,
        },
        Command::IndexFolder { fld_id } => Outcome::FolderIndexed {
            fld_id,
            result: client.folder_index(fld_id).await,
        },
        Command::ListFiles {
            fld_id,
            page,
            per_page,
            req,
            ..
        } => {
            let query = FileListQuery {
                page: Some(page),
                per_page: Some(per_page),
                fld_id: Some(fld_id),
                ..Default::default()
            };
            Outcome::Files {
                fld_id,
                page,
                per_page,
                req,
                result: client.file_list(&query).await,
            }
        }
        Command::FileInfo { code } => {
            let result = client
                .file_info(std::slice::from_ref(&code))
                .await
                .and_then(|items| {
                    items
                        .into_iter()
                        .find(|i| i.file_code == code)
                        .ok_or_else(|| ApiError::Api {
                            status: 404,
                            msg: "no file".into(),
                        })
                });
            Outcome::FileInfo { code, result }
        }
        Command::RenameFiles { req, codes, name } => {
            let result = client.file_rename(&codes, &name).await;
            Outcome::FilesRenamed {
                req,
                codes,
                name,
                result,
            }
        }
        Command::RenameFolder { req, fld_id, name } => {
            let result = client.folder_rename(fld_id, &name).await;
            Outcome::FolderRenamed {
                req,
                fld_id,
                name,
                result,
            }
        }
        Command::CreateFolder { req, parent, name } => {
            let result = client.folder_create(Some(parent), &name).await;
            Outcome::FolderCreated {
                req,
                parent,
                name,
                result,
            }
        }
        Command::CloneFile { req, file } => {
            let result = client.file_clone(&file.file_code).await;
            Outcome::Cloned {
                req,
                source: Box::new(file),
                result,
            }
        }
        Command::MoveFiles {
            req,
            codes,
            from,
            to,
        } => {
            let result = client.file_set_folder(&codes, to).await;
            Outcome::Moved {
                req,
                codes,
                from,
                to,
                result,
            }
        }
        Command::LoadStats { days } => Outcome::Stats {
            days,
            result: client.account_stats(Some(days)).await,
        },
        Command::LoadDeleted { last } => Outcome::Deleted {
            last,
            result: client.files_deleted(Some(last)).await,
        },
        Command::CheckLinks { codes, req } => Outcome::LinksChecked {
            req,
            result: client.file_info(&codes).await,
        },
        Command::Search { query, req } => Outcome::SearchResults {
            req,
            page: query.page.unwrap_or(1),
            per_page: query.per_page.unwrap_or(20),
            result: client.file_list(&query).await,
        },
        Command::LookupUpload { id, lookup, fld_id } => {
            let folder = (fld_id != crate::app::tree::ROOT).then_some(fld_id);
            let result = match client.find_upload(&lookup).await {
                Ok(Some(found)) => client
                    .finish_upload(
                        found.file_code,
                        lookup.name.clone(),
                        lookup.size,
                        folder,
                        found.uploaded.map(|u| u.to_string()),
                        true,
                    )
                    .await
                    .map(Some),
                Ok(None) => Ok(None),
                Err(e) => Err(ApiError::UploadUnconfirmed {
                    reason: e.to_string(),
                    lookup: Box::new(lookup),
                }),
            };
            Outcome::UploadLookedUp { id, result }
        }
        Command::MoveUpload { id, code, fld_id } => {
            let result = client
                .file_set_folder(std::slice::from_ref(&code), fld_id)
                .await;
            Outcome::UploadMoved {
                id,
                code,
                fld_id,
                result,
            }
        }
        Command::CheckKey(_)
        | Command::Export { .. }
        | Command::Copy(_)
        | Command::OpenUrl(_)
        | Command::ReadDir { .. }
        | Command::CheckUploads { .. }
        | Command::StartUpload { .. }
        | Command::SaveSort(_)
        | Command::SetBwLimit(_)
        | Command::Suspend
        | Command::CancelUpload { .. } => {
            Outcome::LocalError("internal: not an API command".into())
        }
    }
}

fn outcome_error(outcome: &Outcome) -> Option<String> {
    let error = match outcome {
        Outcome::Account(Err(e))
        | Outcome::Folder { result: Err(e), .. }
        | Outcome::FolderIndexed { result: Err(e), .. }
        | Outcome::Files { result: Err(e), .. }
        | Outcome::FileInfo { result: Err(e), .. }
        | Outcome::FilesRenamed { result: Err(e), .. }
        | Outcome::FolderRenamed { result: Err(e), .. }
        | Outcome::FolderCreated { result: Err(e), .. }
        | Outcome::Cloned { result: Err(e), .. }
        | Outcome::Moved { result: Err(e), .. } => e,
        _ => return None,
    };
    Some(error.to_string())
}

/// Puts text on the system clipboard where a clipboard program exists (the terminal gets it
/// through OSC 52 as well, which also works over ssh).
async fn copy_to_system_clipboard(text: String) {
    const PROGRAMS: &[(&str, &[&str])] = &[
        ("wl-copy", &[]),
        ("xclip", &["-selection", "clipboard"]),
        ("xsel", &["--clipboard", "--input"]),
        ("pbcopy", &[]),
    ];
    let has_display =
        std::env::var_os("WAYLAND_DISPLAY").is_some() || std::env::var_os("DISPLAY").is_some();
    for (program, args) in PROGRAMS {
        if *program != "pbcopy" && !has_display {
            continue;
        }
        let child = tokio::process::Command::new(program)
            .args(*args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        let Ok(mut child) = child else {
            continue;
        };
        if let Some(mut stdin) = child.stdin.take() {
            use tokio::io::AsyncWriteExt;
            let _ = stdin.write_all(text.as_bytes()).await;
        }
        let _ = tokio::time::timeout(Duration::from_secs(2), child.wait()).await;
        return;
    }
}

/// Writes `contents` to a new file `<dir>/<prefix>-<UTC time>.txt`; its path.
fn export(dir: &Path, prefix: &str, contents: &str) -> Result<PathBuf, String> {
    let now = time::OffsetDateTime::now_utc();
    let stamp = format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    for n in 0..100 {
        let name = if n == 0 {
            format!("{prefix}-{stamp}.txt")
        } else {
            format!("{prefix}-{stamp}-{n}.txt")
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                use std::io::Write;
                file.write_all(contents.as_bytes())
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("{}: {}", dir.display(), io_reason(&e))),
        }
    }
    Err(format!("{}: too many exports this second", dir.display()))
}

/// `~` and `~/…` name the home directory.
fn expand_home(path: &str) -> PathBuf {
    if (path == "~" || path.starts_with("~/"))
        && let Some(home) = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf())
    {
        return home.join(path.trim_start_matches('~').trim_start_matches('/'));
    }
    PathBuf::from(path)
}

/// The entries of a local directory: directories first, then files, each in natural order.
fn read_dir(path: &str) -> Result<Vec<LocalEntry>, String> {
    let dir = expand_home(path);
    let read = std::fs::read_dir(&dir).map_err(|e| format!("{path}: {}", io_reason(&e)))?;
    let mut entries: Vec<LocalEntry> = read
        .filter_map(Result::ok)
        .map(|entry| {
            let meta = std::fs::metadata(entry.path()).ok();
            LocalEntry {
                // A name that is not UTF-8 shows with replacement characters; the real path
                // keeps its bytes.
                name: entry.file_name().to_string_lossy().into_owned(),
                path: Some(entry.path()),
                is_dir: meta.as_ref().is_some_and(|m| m.is_dir()),
                size: meta.filter(|m| m.is_file()).map(|m| m.len()),
            }
        })
        .collect();
    entries.sort_by(|a, b| {
        b.is_dir
            .cmp(&a.is_dir)
            .then_with(|| crate::app::files::natural_cmp(&a.name, &b.name))
    });
    Ok(entries)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// The checks before anything is sent: each file exists, is readable, is a file, is not empty
/// and is not over the limit. A file that does not look like a video is accepted with a warning.
fn check_uploads(paths: &[PathBuf], max_bytes: u64) -> (Vec<CheckedFile>, Vec<(PathBuf, String)>) {
    let mut accepted = Vec::new();
    let mut refused = Vec::new();
    for path in paths {
        // Only a leading `~` is read as text: any other path keeps its bytes (a name that is
        // not UTF-8 still uploads).
        let path = if path.starts_with("~") {
            expand_home(&path.to_string_lossy())
        } else {
            path.clone()
        };
        match crate::api::check_local_file(&path, Some(max_bytes)) {
            Ok(size) => accepted.push(CheckedFile {
                warning: crate::api::video_warning(&path),
                path,
                size,
            }),
            Err(crate::api::ApiError::LocalFile { reason, .. }) => refused.push((path, reason)),
            Err(e) => refused.push((path, e.to_string())),
        }
    }
    (accepted, refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_list_and_pass_the_checks() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let name = std::ffi::OsStr::from_bytes(b"clip-\xff\xfe.mp4");
        std::fs::write(dir.path().join(name), b"video").unwrap();
        std::fs::write(
            dir.path()
                .join("\u{1F3AC} \u{5E9}\u{5DC}\u{5D5}\u{5DD}.mp4"),
            b"v",
        )
        .unwrap();
        let entries = read_dir(&format!("{}/", dir.path().display())).unwrap();
        let odd = entries
            .iter()
            .find(|e| e.name.starts_with("clip-"))
            .unwrap();
        assert!(
            odd.name.contains('\u{FFFD}'),
            "shown with replacement characters"
        );
        let path = odd.path.clone().unwrap();
        assert_eq!(path.file_name(), Some(name), "the real bytes are kept");
        let (accepted, refused) = check_uploads(&[path], 1_000);
        assert!(refused.is_empty(), "{refused:?}");
        assert_eq!(accepted[0].size, 5);
    }

    #[test]
    fn exports_never_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let a = export(dir.path(), "mp4u-links", "one\n").unwrap();
        let b = export(dir.path(), "mp4u-links", "two\n").unwrap();
        assert_ne!(a, b);
        assert_eq!(std::fs::read_to_string(a).unwrap(), "one\n");
        assert_eq!(std::fs::read_to_string(b).unwrap(), "two\n");
    }
}
