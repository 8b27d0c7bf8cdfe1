//! The account the sandbox serves: files, folders, deletion history, upload sessions.
//!
//! One `Arc<Mutex<Inner>>`; every operation takes the lock briefly.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use time::{Duration, OffsetDateTime};

use super::{clock, demo, keep};

/// A file of the account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    pub code: String,
    pub name: String,
    pub size: u64,
    pub downloads: u64,
    pub fld_id: u64,
    /// `YYYY-MM-DD HH:MM:SS`, UTC.
    pub uploaded: String,
    pub public: bool,
    /// Hex SHA-256 of the bytes; set for uploaded files.
    pub sha256: Option<String>,
}

impl FileRecord {
    /// A public file uploaded now with no downloads; the code is filled in by
    /// [`SandboxState::add_files`] when left empty.
    pub fn new(name: impl Into<String>, size: u64, fld_id: u64) -> FileRecord {
        FileRecord {
            code: String::new(),
            name: name.into(),
            size,
            downloads: 0,
            fld_id,
            uploaded: clock::now_stamp(),
            public: true,
            sha256: None,
        }
    }
}

/// A folder; the root is `fld_id` 0 with an empty name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderRecord {
    pub fld_id: u64,
    pub parent_id: u64,
    pub name: String,
}

/// An entry of the deletion history.
#[derive(Clone, Debug)]
pub struct DeletedRecord {
    pub code: String,
    pub name: String,
    pub deleted: OffsetDateTime,
}

/// The filters and page of `file/list`.
#[derive(Clone, Debug)]
pub struct ListQuery {
    pub fld_id: Option<u64>,
    pub public: Option<bool>,
    /// Only files uploaded strictly after this `YYYY-MM-DD HH:MM:SS`.
    pub created_after: Option<String>,
    /// Case-insensitive substring of the name.
    pub name: Option<String>,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            fld_id: None,
            public: None,
            created_after: None,
            name: None,
            page: 1,
            per_page: 20,
        }
    }
}

/// Why a mutation was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateError {
    FolderNotFound,
    NoFile,
    RootFolder,
}

/// Newest first: by upload time, then by insertion order.
type SortKey = (Reverse<String>, Reverse<u64>);

struct Inner {
    base_url: String,
    files: HashMap<String, (FileRecord, u64)>,
    order: BTreeMap<SortKey, String>,
    folders: BTreeMap<u64, FolderRecord>,
    /// Every code ever handed out (files, deleted files, uploads in progress).
    taken: HashSet<String>,
    deleted: Vec<DeletedRecord>,
    sessions: HashSet<String>,
    /// Uploads that came with the key as their session.
    key_sessions: u64,
    next_seq: u64,
    next_fld_id: u64,
    storage_used: u64,
}

/// A cheap, cloneable handle on the sandbox's account.
#[derive(Clone)]
pub struct SandboxState {
    inner: Arc<Mutex<Inner>>,
    /// Upload body bytes read so far, every upload together (what a bandwidth test measures).
    upload_bytes: Arc<std::sync::atomic::AtomicU64>,
    /// Where the account is kept between runs, written after every change (the demo's).
    keep: Option<Arc<PathBuf>>,
}

/// The account as it is kept between runs ([`SandboxState::kept`]).
#[derive(Serialize, Deserialize)]
struct Saved {
    version: u32,
    /// Every file with its insertion number (the order of files uploaded in the same second).
    files: Vec<(FileRecord, u64)>,
    folders: Vec<FolderRecord>,
    /// (code, name, deleted at in Unix seconds), newest first.
    deleted: Vec<(String, String, i64)>,
    next_seq: u64,
    next_fld_id: u64,
}

/// The layout of [`Saved`]; a file of another is set aside like a damaged one.
const SAVED_VERSION: u32 = 1;

impl SandboxState {
    /// An account with only the root folder, or seeded from the demo library.
    pub fn new(base_url: &str, demo_data: bool) -> SandboxState {
        let mut inner = Inner {
            base_url: base_url.trim_end_matches('/').to_string(),
            files: HashMap::new(),
            order: BTreeMap::new(),
            folders: BTreeMap::new(),
            taken: HashSet::new(),
            deleted: Vec::new(),
            sessions: HashSet::new(),
            key_sessions: 0,
            next_seq: 0,
            next_fld_id: 1,
            storage_used: 0,
        };
        inner.folders.insert(0, root());
        if demo_data {
            inner.seed(demo::library(), clock::now());
        }
        SandboxState {
            inner: Arc::new(Mutex::new(inner)),
            upload_bytes: Arc::default(),
            keep: None,
        }
    }

    /// The account kept in the file at `path` (created with the demo library, or empty, when
    /// there is none yet), written there again after every change. A file that cannot be read
    /// is set aside and the account starts afresh: its new name comes back.
    pub fn kept(base_url: &str, demo_data: bool, path: &Path) -> (SandboxState, Option<PathBuf>) {
        let (mut state, aside) = match keep::load(path, |s: &Saved| s.version == SAVED_VERSION) {
            keep::Loaded::Account(saved) => (SandboxState::restore(base_url, *saved), None),
            keep::Loaded::Nothing => (SandboxState::new(base_url, demo_data), None),
            keep::Loaded::SetAside(aside) => (SandboxState::new(base_url, demo_data), Some(aside)),
        };
        state.keep = Some(Arc::new(path.to_path_buf()));
        state.changed(&state.lock());
        (state, aside)
    }

    fn restore(base_url: &str, saved: Saved) -> SandboxState {
        let state = SandboxState::new(base_url, false);
        {
            let mut inner = state.lock();
            for f in saved.folders {
                inner.folders.insert(f.fld_id, f);
            }
            inner.folders.insert(0, root());
            for (r, seq) in saved.files {
                inner.taken.insert(r.code.clone());
                inner.storage_used = inner.storage_used.saturating_add(r.size);
                inner
                    .order
                    .insert((Reverse(r.uploaded.clone()), Reverse(seq)), r.code.clone());
                inner.files.insert(r.code.clone(), (r, seq));
            }
            inner.deleted = saved
                .deleted
                .into_iter()
                .map(|(code, name, at)| {
                    inner.taken.insert(code.clone());
                    DeletedRecord {
                        code,
                        name,
                        deleted: OffsetDateTime::from_unix_timestamp(at)
                            .unwrap_or(OffsetDateTime::UNIX_EPOCH),
                    }
                })
                .collect();
            inner.next_seq = saved.next_seq.max(inner.files.len() as u64);
            inner.next_fld_id = saved
                .next_fld_id
                .max(inner.folders.keys().max().map_or(1, |m| m + 1));
        }
        state
    }

    /// After a change: the account is written to its file, if it is kept in one.
    fn changed(&self, inner: &Inner) {
        let Some(path) = &self.keep else { return };
        let saved = Saved {
            version: SAVED_VERSION,
            files: inner.files.values().cloned().collect(),
            folders: inner.folders.values().cloned().collect(),
            deleted: inner
                .deleted
                .iter()
                .map(|d| (d.code.clone(), d.name.clone(), d.deleted.unix_timestamp()))
                .collect(),
            next_seq: inner.next_seq,
            next_fld_id: inner.next_fld_id,
        };
        if let Err(e) = keep::save(path, &saved) {
            tracing::warn!(error = %e, "the demo account could not be written");
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> String {
        self.lock().base_url.clone()
    }

    pub fn file(&self, code: &str) -> Option<FileRecord> {
        self.lock().files.get(code).map(|(r, _)| r.clone())
    }

    /// The files directly in a folder, newest first.
    pub fn files_in(&self, fld_id: u64) -> Vec<FileRecord> {
        let inner = self.lock();
        inner
            .sorted()
            .filter(|r| r.fld_id == fld_id)
            .cloned()
            .collect()
    }

    pub fn folder(&self, fld_id: u64) -> Option<FolderRecord> {
        self.lock().folders.get(&fld_id).cloned()
    }

    /// The folders directly in a folder, by name.
    pub fn subfolders(&self, fld_id: u64) -> Vec<FolderRecord> {
        let inner = self.lock();
        let mut v: Vec<FolderRecord> = inner
            .folders
            .values()
            .filter(|f| f.parent_id == fld_id && f.fld_id != 0)
            .cloned()
            .collect();
        v.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.fld_id.cmp(&b.fld_id))
        });
        v
    }

    pub fn file_count(&self) -> usize {
        self.lock().files.len()
    }

    /// Files with exactly this name, newest first.
    pub fn find_by_name(&self, name: &str) -> Vec<FileRecord> {
        let inner = self.lock();
        inner.sorted().filter(|r| r.name == name).cloned().collect()
    }

    /// Adds files as given (bulk test data). An empty or already used code is
    /// replaced by a fresh one; a missing folder is not checked. Returns the codes.
    pub fn add_files(&self, records: impl IntoIterator<Item = FileRecord>) -> Vec<String> {
        let mut inner = self.lock();
        let codes = records
            .into_iter()
            .map(|mut r| {
                if r.code.is_empty() || !inner.taken.insert(r.code.clone()) {
                    r.code = inner.new_code();
                }
                let code = r.code.clone();
                inner.insert(r);
                code
            })
            .collect();
        self.changed(&inner);
        codes
    }

    /// Adds `count` files named `"{prefix} {n:06}.mp4"` to a folder (bulk test data).
    pub fn generate_files(&self, fld_id: u64, count: usize, prefix: &str) -> Vec<String> {
        let now = clock::now();
        self.add_files((0..count).map(|n| {
            let mut r = FileRecord::new(
                format!("{prefix} {n:06}.mp4"),
                1_000_000 + (n as u64 % 997) * 1_000_003,
                fld_id,
            );
            r.uploaded = clock::stamp(now - Duration::seconds(n as i64));
            r
        }))
    }

    /// Creates a folder; `None` when the parent does not exist.
    pub fn create_folder(&self, parent_id: u64, name: &str) -> Option<u64> {
        let mut inner = self.lock();
        if !inner.folders.contains_key(&parent_id) {
            return None;
        }
        let fld_id = inner.next_fld_id;
        inner.next_fld_id += 1;
        inner.folders.insert(
            fld_id,
            FolderRecord {
                fld_id,
                parent_id,
                name: name.to_string(),
            },
        );
        self.changed(&inner);
        Some(fld_id)
    }

    pub fn rename_folder(&self, fld_id: u64, name: &str) -> Result<(), StateError> {
        if fld_id == 0 {
            return Err(StateError::RootFolder);
        }
        let mut inner = self.lock();
        let folder = inner
            .folders
            .get_mut(&fld_id)
            .ok_or(StateError::FolderNotFound)?;
        folder.name = name.to_string();
        self.changed(&inner);
        Ok(())
    }

    /// One page of `file/list`; `None` when `fld_id` names no folder.
    pub fn list(&self, q: &ListQuery) -> Option<Vec<FileRecord>> {
        let inner = self.lock();
        if let Some(f) = q.fld_id
            && !inner.folders.contains_key(&f)
        {
            return None;
        }
        let needle = q.name.as_deref().map(str::to_lowercase);
        let skip = q.page.saturating_sub(1).saturating_mul(q.per_page);
        Some(
            inner
                .sorted()
                // Newest first: once a file is not after `created`, none after it is.
                .take_while(|r| q.created_after.as_ref().is_none_or(|c| r.uploaded > *c))
                .filter(|r| q.fld_id.is_none_or(|f| r.fld_id == f))
                .filter(|r| q.public.is_none_or(|p| r.public == p))
                .filter(|r| {
                    needle
                        .as_ref()
                        .is_none_or(|n| r.name.to_lowercase().contains(n.as_str()))
                })
                .skip(skip)
                .take(q.per_page)
                .cloned()
                .collect(),
        )
    }

    /// Renames the known files; each code gives `Ok(renamed)` or `Err(code)`.
    pub fn rename_files(&self, codes: &[String], name: &str) -> Vec<Result<FileRecord, String>> {
        let mut inner = self.lock();
        let renamed = codes
            .iter()
            .map(|c| match inner.files.get_mut(c) {
                Some((r, _)) => {
                    r.name = name.to_string();
                    Ok(r.clone())
                }
                None => Err(c.clone()),
            })
            .collect();
        self.changed(&inner);
        renamed
    }

    /// Copies a file under a new code: downloads 0, uploaded now.
    pub fn clone_file(&self, code: &str) -> Option<FileRecord> {
        let mut inner = self.lock();
        let mut copy = inner.files.get(code)?.0.clone();
        copy.code = inner.new_code();
        copy.downloads = 0;
        copy.uploaded = clock::now_stamp();
        inner.insert(copy.clone());
        self.changed(&inner);
        Some(copy)
    }

    /// Moves the known files to a folder; returns how many moved.
    pub fn set_folder(&self, codes: &[String], fld_id: u64) -> Result<usize, StateError> {
        let mut inner = self.lock();
        if !inner.folders.contains_key(&fld_id) {
            return Err(StateError::FolderNotFound);
        }
        let mut moved = 0;
        for c in codes {
            if let Some((r, _)) = inner.files.get_mut(c) {
                r.fld_id = fld_id;
                moved += 1;
            }
        }
        if moved == 0 {
            return Err(StateError::NoFile);
        }
        self.changed(&inner);
        Ok(moved)
    }

    /// The last `last` deleted files, newest first.
    pub fn deleted(&self, last: usize) -> Vec<DeletedRecord> {
        self.lock().deleted.iter().take(last).cloned().collect()
    }

    /// Sum of all file sizes.
    pub fn storage_used(&self) -> u64 {
        self.lock().storage_used
    }

    /// A new upload session id, 16 chars `[a-z0-9]`.
    pub fn new_session(&self) -> String {
        let id = random_code(16);
        self.lock().sessions.insert(id.clone());
        id
    }

    /// Counts an upload that came with the key as its session.
    pub fn count_key_session(&self) {
        self.lock().key_sessions += 1;
    }

    pub fn key_sessions(&self) -> u64 {
        self.lock().key_sessions
    }

    /// The counter of upload body bytes read, as they are read.
    pub fn upload_counter(&self) -> Arc<std::sync::atomic::AtomicU64> {
        Arc::clone(&self.upload_bytes)
    }

    /// Upload body bytes read so far, every upload together.
    pub fn upload_bytes(&self) -> u64 {
        self.upload_bytes.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn session_ok(&self, sess_id: &str) -> bool {
        self.lock().sessions.contains(sess_id)
    }

    /// A fresh, never used file code (reserved at once).
    pub fn new_code(&self) -> String {
        self.lock().new_code()
    }

    /// Adds a file whose code came from [`SandboxState::new_code`].
    pub fn insert_file(&self, record: FileRecord) {
        let mut inner = self.lock();
        inner.taken.insert(record.code.clone());
        inner.insert(record);
        self.changed(&inner);
    }
}

impl Inner {
    fn seed(&mut self, lib: demo::DemoLibrary, now: OffsetDateTime) {
        for f in lib.folders {
            self.next_fld_id = self.next_fld_id.max(f.id + 1);
            self.folders.insert(
                f.id,
                FolderRecord {
                    fld_id: f.id,
                    parent_id: f.parent,
                    name: f.name,
                },
            );
        }
        for f in lib.files {
            self.taken.insert(f.code.clone());
            self.insert(FileRecord {
                code: f.code,
                name: f.name,
                size: f.size,
                downloads: f.downloads,
                fld_id: f.fld,
                uploaded: clock::stamp(now - Duration::seconds(f.age)),
                public: f.public,
                sha256: None,
            });
        }
        let mut deleted: Vec<DeletedRecord> = lib
            .deleted
            .into_iter()
            .map(|d| {
                self.taken.insert(d.code.clone());
                DeletedRecord {
                    code: d.code,
                    name: d.name,
                    deleted: now - Duration::seconds(d.age),
                }
            })
            .collect();
        deleted.sort_by_key(|d| Reverse(d.deleted));
        self.deleted = deleted;
    }

    fn insert(&mut self, r: FileRecord) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.storage_used = self.storage_used.saturating_add(r.size);
        self.order
            .insert((Reverse(r.uploaded.clone()), Reverse(seq)), r.code.clone());
        if let Some((old, old_seq)) = self.files.insert(r.code.clone(), (r, seq)) {
            self.storage_used = self.storage_used.saturating_sub(old.size);
            self.order
                .remove(&(Reverse(old.uploaded), Reverse(old_seq)));
        }
    }

    /// All files, newest first.
    fn sorted(&self) -> impl Iterator<Item = &FileRecord> {
        self.order
            .values()
            .filter_map(|c| self.files.get(c).map(|(r, _)| r))
    }

    fn new_code(&mut self) -> String {
        loop {
            let c = random_code(12);
            if self.taken.insert(c.clone()) {
                return c;
            }
        }
    }
}

fn root() -> FolderRecord {
    FolderRecord {
        fld_id: 0,
        parent_id: 0,
        name: String::new(),
    }
}

/// `len` random chars of `[a-z0-9]`.
pub fn random_code(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| char::from(ALPHABET[fastrand::usize(..ALPHABET.len())]))
        .collect()
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
