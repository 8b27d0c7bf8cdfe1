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
type ListOrder = (Reverse<String>, Reverse<u64>);

struct Inner {
    base_url: String,
    files: HashMap<String, (FileRecord, u64)>,
    order: BTreeMap<ListOrder, String>,
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

    /// Makes a file disappear as an expired or removed one does: gone from every listing and
    /// from `file/info` (status 404), and first in `files/deleted` with its name. False when
    /// there is no such file.
    pub fn expire(&self, code: &str) -> bool {
        let mut inner = self.lock();
        let Some((record, seq)) = inner.files.remove(code) else {
            return false;
        };
        inner
            .order
            .remove(&(Reverse(record.uploaded.clone()), Reverse(seq)));
        inner.storage_used = inner.storage_used.saturating_sub(record.size);
        inner.deleted.insert(
            0,
            DeletedRecord {
                code: record.code,
                name: record.name,
                deleted: clock::now(),
            },
        );
        self.changed(&inner);
        true
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
mod tests {
    // Unit tests of the account logic.

    use super::*;

    fn demo() -> SandboxState {
        SandboxState::new("http://127.0.0.1:1/", true)
    }

    fn empty() -> SandboxState {
        SandboxState::new("http://127.0.0.1:1", false)
    }

    fn all(st: &SandboxState, mut q: ListQuery) -> Vec<FileRecord> {
        q.page = 1;
        q.per_page = usize::MAX;
        st.list(&q).expect("folder exists")
    }

    #[test]
    fn empty_account_has_only_root() {
        let st = empty();
        assert_eq!(st.base_url(), "http://127.0.0.1:1");
        assert_eq!(st.file_count(), 0);
        assert_eq!(st.folder(0).map(|f| f.fld_id), Some(0));
        assert!(st.subfolders(0).is_empty());
        assert!(st.deleted(100).is_empty());
        assert_eq!(st.storage_used(), 0);
    }

    #[test]
    fn demo_account_is_seeded() {
        let st = demo();
        assert!(st.file_count() >= 300);
        let top: Vec<String> = st.subfolders(0).into_iter().map(|f| f.name).collect();
        assert!(top.contains(&"Anime".to_string()), "{top:?}");
        assert!(!st.files_in(0).is_empty());
        let deleted = st.deleted(1000);
        assert!(deleted.len() > 20);
        assert!(deleted.windows(2).all(|w| w[0].deleted >= w[1].deleted));
        let used: u64 = all(&st, ListQuery::default()).iter().map(|f| f.size).sum();
        assert_eq!(st.storage_used(), used);
    }

    #[test]
    fn list_is_newest_first_and_pages() {
        let st = demo();
        let everything = all(&st, ListQuery::default());
        assert_eq!(everything.len(), st.file_count());
        assert!(
            everything
                .windows(2)
                .all(|w| w[0].uploaded >= w[1].uploaded)
        );
        let q = |page, per_page| ListQuery {
            page,
            per_page,
            ..ListQuery::default()
        };
        let p1 = st.list(&q(1, 20)).expect("list");
        let p2 = st.list(&q(2, 20)).expect("list");
        assert_eq!(p1, everything[..20]);
        assert_eq!(p2, everything[20..40]);
        assert!(st.list(&q(1000, 20)).expect("list").is_empty());
        let last_page = everything.len().div_ceil(7);
        let tail = st.list(&q(last_page, 7)).expect("list");
        assert_eq!(tail.len(), everything.len() - (last_page - 1) * 7);
    }

    #[test]
    fn list_filters() {
        let st = demo();
        let frieren = all(
            &st,
            ListQuery {
                name: Some("FRIEREN - s01".into()),
                ..ListQuery::default()
            },
        );
        assert_eq!(frieren.len(), 28);
        let private = all(
            &st,
            ListQuery {
                public: Some(false),
                ..ListQuery::default()
            },
        );
        assert!(!private.is_empty() && private.iter().all(|f| !f.public));
        let root = all(
            &st,
            ListQuery {
                fld_id: Some(0),
                ..ListQuery::default()
            },
        );
        assert_eq!(root, st.files_in(0));
        let unknown = ListQuery {
            fld_id: Some(999_999),
            ..ListQuery::default()
        };
        assert!(st.list(&unknown).is_none());
    }

    #[test]
    fn created_filter() {
        let st = demo();
        let hour_ago = clock::stamp(clock::now() - Duration::hours(1));
        let recent = all(
            &st,
            ListQuery {
                created_after: Some(hour_ago.clone()),
                ..ListQuery::default()
            },
        );
        assert_eq!(recent.len(), 1, "{recent:?}");
        assert!(recent.iter().all(|f| f.uploaded > hour_ago));
        let year_ago = clock::stamp(clock::now() - Duration::days(365));
        let n = all(
            &st,
            ListQuery {
                created_after: Some(year_ago),
                ..ListQuery::default()
            },
        )
        .len();
        assert!(n > 10 && n < st.file_count(), "{n}");
    }

    #[test]
    fn rename_changes_listing() {
        let st = demo();
        let code = st.files_in(0)[0].code.clone();
        let out = st.rename_files(&[code.clone(), "nosuchcode00".into()], "renamed.mp4");
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].as_ref().map(|r| r.name.as_str()), Ok("renamed.mp4"));
        assert_eq!(out[1], Err("nosuchcode00".to_string()));
        assert_eq!(st.find_by_name("renamed.mp4").len(), 1);
        assert_eq!(st.file(&code).map(|f| f.name), Some("renamed.mp4".into()));
    }

    #[test]
    fn clone_makes_a_new_file() {
        let st = demo();
        let before = st.file_count();
        let orig = st.files_in(16)[0].clone();
        let copy = st.clone_file(&orig.code).expect("cloned");
        assert_ne!(copy.code, orig.code);
        assert_eq!(copy.code.len(), 12);
        assert_eq!(
            (copy.name.as_str(), copy.size, copy.fld_id),
            (orig.name.as_str(), orig.size, 16)
        );
        assert_eq!(copy.downloads, 0);
        assert_eq!(st.file_count(), before + 1);
        assert_eq!(
            all(&st, ListQuery::default())[0].code,
            copy.code,
            "newest first"
        );
        assert_eq!(
            st.storage_used(),
            all(&st, ListQuery::default())
                .iter()
                .map(|f| f.size)
                .sum::<u64>()
        );
        assert!(st.clone_file("nosuchcode00").is_none());
    }

    #[test]
    fn set_folder_moves() {
        let st = demo();
        let a = st.files_in(0)[0].code.clone();
        let target = st.create_folder(0, "Inbox").expect("created");
        assert_eq!(
            st.set_folder(std::slice::from_ref(&a), 999_999),
            Err(StateError::FolderNotFound)
        );
        assert_eq!(
            st.set_folder(&["nosuchcode00".into()], target),
            Err(StateError::NoFile)
        );
        assert_eq!(
            st.set_folder(&[a.clone(), "nosuchcode00".into()], target),
            Ok(1)
        );
        assert_eq!(st.files_in(target).len(), 1);
        assert_eq!(st.file(&a).map(|f| f.fld_id), Some(target));
        assert_eq!(st.set_folder(std::slice::from_ref(&a), 0), Ok(1));
        assert!(st.files_in(target).is_empty());
    }

    #[test]
    fn folders_nest_and_rename() {
        let st = empty();
        let a = st.create_folder(0, "A").expect("a");
        let b = st.create_folder(a, "B").expect("b");
        let c = st.create_folder(b, "C").expect("c");
        assert!(st.create_folder(424_242, "X").is_none());
        assert_eq!(st.subfolders(0).len(), 1);
        assert_eq!(st.subfolders(a)[0].fld_id, b);
        assert_eq!(st.subfolders(b)[0].fld_id, c);
        assert_eq!(st.folder(c).map(|f| f.parent_id), Some(b));
        assert_eq!(st.rename_folder(c, "C2"), Ok(()));
        assert_eq!(st.folder(c).map(|f| f.name), Some("C2".into()));
        assert_eq!(st.rename_folder(0, "x"), Err(StateError::RootFolder));
        assert_eq!(
            st.rename_folder(424_242, "x"),
            Err(StateError::FolderNotFound)
        );
        let demo = demo();
        let new = demo.create_folder(0, "New").expect("new");
        assert!(demo.folder(new).is_some());
        assert!(
            demo.subfolders(0)
                .iter()
                .filter(|f| f.fld_id == new)
                .count()
                == 1
        );
    }

    #[test]
    fn codes_are_unique() {
        let st = demo();
        let mut seen = std::collections::HashSet::new();
        for f in all(&st, ListQuery::default()) {
            assert!(seen.insert(f.code));
        }
        for _ in 0..2000 {
            let c = st.new_code();
            assert_eq!(c.len(), 12);
            assert!(
                c.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            );
            assert!(seen.insert(c));
        }
        let taken = st.files_in(0)[0].code.clone();
        let mut dup = FileRecord::new("dup.mp4", 1, 0);
        dup.code = taken.clone();
        let codes = st.add_files([dup]);
        assert_ne!(codes[0], taken);
    }

    #[test]
    fn sessions() {
        let st = empty();
        let s = st.new_session();
        assert_eq!(s.len(), 16);
        assert!(st.session_ok(&s));
        assert!(!st.session_ok("0000000000000000"));
    }

    #[test]
    fn bulk_files() {
        let st = empty();
        let f = st.create_folder(0, "Bulk").expect("folder");
        let codes = st.generate_files(f, 100_000, "bulk");
        assert_eq!(codes.len(), 100_000);
        assert_eq!(st.file_count(), 100_000);
        let page = st
            .list(&ListQuery {
                fld_id: Some(f),
                page: 5000,
                per_page: 20,
                ..ListQuery::default()
            })
            .expect("list");
        assert_eq!(page.len(), 20);
        assert_eq!(page[0].name, "bulk 099980.mp4");
    }

    #[test]
    fn a_kept_account_is_the_same_after_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo-account.json");
        let (st, aside) = SandboxState::kept("http://127.0.0.1:1", true, &path);
        assert!(aside.is_none());
        let seeded = all(&st, ListQuery::default());
        // Every kind of change, each written at once (no orderly stop: as after kill -9).
        let season = st.create_folder(0, "Season 1").unwrap();
        let code = st.new_code();
        st.insert_file(FileRecord::new("Show - E01.mp4", 1234, 0));
        let mut uploaded = FileRecord::new("Show - E02.mp4", 99, 0);
        uploaded.code = code.clone();
        st.insert_file(uploaded);
        st.set_folder(std::slice::from_ref(&code), season).unwrap();
        st.rename_folder(season, "Season 2").unwrap();
        let copy = st.clone_file(&seeded[0].code).unwrap();
        st.rename_files(std::slice::from_ref(&copy.code), "copy.mp4");
        let before = all(&st, ListQuery::default());
        let deleted = st.deleted(1000);
        drop(st);

        let (again, aside) = SandboxState::kept("http://127.0.0.1:2", true, &path);
        assert!(aside.is_none());
        assert_eq!(
            again.base_url(),
            "http://127.0.0.1:2",
            "the new run's address"
        );
        assert_eq!(
            all(&again, ListQuery::default()),
            before,
            "files, in the same order"
        );
        assert_eq!(again.folder(season).unwrap().name, "Season 2");
        assert_eq!(again.file(&code).unwrap().fld_id, season);
        assert_eq!(again.file(&copy.code).unwrap().name, "copy.mp4");
        assert_eq!(
            again.storage_used(),
            before.iter().map(|f| f.size).sum::<u64>()
        );
        let names = |d: Vec<DeletedRecord>| d.into_iter().map(|d| d.code).collect::<Vec<_>>();
        assert_eq!(names(again.deleted(1000)), names(deleted));
        // New codes and folders never reuse the old ones.
        let next = again.create_folder(0, "Next").unwrap();
        assert!(next > season);
        assert!(again.file(&again.new_code()).is_none());
    }

    #[test]
    fn a_damaged_account_file_is_set_aside_and_the_account_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo-account.json");
        std::fs::write(&path, b"{\"version\": 1, \"files\": [tru").unwrap();
        let (st, aside) = SandboxState::kept("http://127.0.0.1:1", true, &path);
        let aside = aside.expect("set aside");
        assert_eq!(
            std::fs::read(&aside).unwrap(),
            b"{\"version\": 1, \"files\": [tru"
        );
        assert!(st.file_count() >= 300, "the demo library again");
        // And written out whole at once: the next run reads it.
        let (again, aside) = SandboxState::kept("http://127.0.0.1:1", true, &path);
        assert!(aside.is_none());
        assert_eq!(again.file_count(), st.file_count());
    }
}
