//! The upload queue that outlives the program: every upload is written to a queue file as soon
//! as it is queued, and again whenever its state changes, so that quitting, a crash, `kill -9`
//! or a reboot lose nothing.
//!
//! # Where it lives
//!
//! `$MP4U_STATE_DIR/queue/` when that variable is set, else `queue/` in the platform's state
//! directory (`~/.local/state/mp4u/queue/` on Linux; the local data directory where a platform
//! has no state directory): [`default_dir`]. The demo (`--demo`) uses `demo-queue/` beside it,
//! never the real queue. The directory holds:
//!
//! - `queue.json`: the entries (see [`Entry`]), rewritten whole on every change: written to a
//!   temporary file, flushed to disk, then renamed over the old one, so a reader sees the old
//!   or the new queue, never half of one. Mode 0600: it names local files.
//! - `queue.lock`: locked (`flock`) for the length of each read-change-write, so that two
//!   mp4u processes never lose each other's changes.
//! - `owners/<token>.lock`: one per open [`Queue`], locked for as long as it is open. An entry
//!   names the token of the process working on it; while that lock is held, no other process
//!   touches the entry (so no entry is ever sent twice at once). A process that died, however
//!   it died, holds no lock: its entries are free to be resumed.
//!
//! A `queue.json` that cannot be read is renamed `queue.json.damaged-<unix time>` and the queue
//! starts empty; the notice is kept for the caller ([`Queue::take_notices`]). Nothing here
//! panics on a bad file.
//!
//! # Using it
//!
//! The API is synchronous and small (each call is one short locked read-change-write):
//!
//! - [`Queue::open_default`] (or [`Queue::open`]) once at start; keep the handle while uploads
//!   run (it is `Send + Sync`); print or show [`Queue::take_notices`].
//! - [`Queue::enqueue`] files when the user queues them. Each comes back [`How::New`], or
//!   [`How::Adopted`] (the same file for the same folder was left unfinished by a process that
//!   is gone: it is yours now, in the state it was left in), or [`How::Busy`] (another running
//!   mp4u is sending it: leave it alone).
//! - [`Queue::set_state`] whenever an upload changes state ([`run`] does it all): `sending`
//!   *before* the first byte goes out, `sent` before the end of the upload does, `not moved`
//!   with the code, then `done`; or `failed`, or `unknown`. Refused for an entry another
//!   running process owns.
//! - At start, [`Queue::unfinished`] says what was left unfinished (for a prompt), and
//!   [`Queue::take_unfinished`] claims it for this process to resume; [`Queue::take`] takes
//!   entries by id, each as the file holds it now (finished, gone, busy or this process's).
//! - [`Queue::claim_file`] records the file on the account an entry is, unless another entry
//!   is that file already.
//! - [`Queue::clear_done`] removes finished entries (they also leave by themselves a day after
//!   they finished); [`Queue::remove`] drops entries the user gives up on; [`Queue::give_up`]
//!   drops a cancelled upload, unless the end of it went out (then it stays, `unknown`).
//!
//! The async steps of an upload are in [`run`]: [`run::process`] does what an entry needs (the
//! move a `not moved` one owes; a look-up first for one that may be on the account, waiting
//! until it could no longer arrive; the duplicate check; the upload) and records each state.
//! [`find_duplicate`] is the duplicate check alone, for rows a caller already holds.

mod duplicates;
mod entry;
mod owner;
pub mod run;
mod store;
#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::sync::Mutex;

pub use duplicates::{KnownFiles, find_duplicate, folder_files};
pub use entry::{
    Account, Enqueued, Entry, HookRecord, How, NewEntry, QueueError, State, Take, Taken, mtime_of,
};

/// The variable that moves the state directory (tests, the demo, several setups side by side).
pub const ENV_STATE_DIR: &str = "MP4U_STATE_DIR";

/// How long a finished entry stays in the queue (seconds).
pub const DONE_KEEP_SECS: u64 = 24 * 60 * 60;

/// The directory of the queue: `queue/` (or `demo-queue/` for the demo, `profiles/NAME/queue/`
/// for a profile) in `$MP4U_STATE_DIR`, else in the platform's state directory, else its local
/// data directory.
pub fn default_dir(demo: bool, profile: Option<&str>) -> Option<PathBuf> {
    let state = state_dir()?;
    Some(match (demo, profile) {
        (true, _) => state.join("demo-queue"),
        (false, Some(name)) => state.join("profiles").join(name).join("queue"),
        (false, None) => state.join("queue"),
    })
}

/// Where the demo keeps its account between runs (beside its queue).
pub fn demo_account_file() -> Option<PathBuf> {
    Some(state_dir()?.join("demo-account.json"))
}

/// `MP4U_STATE_DIR`, else the platform's state directory for mp4u.
fn state_dir() -> Option<PathBuf> {
    match std::env::var_os(ENV_STATE_DIR).filter(|v| !v.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            let dirs = directories::ProjectDirs::from("", "", "mp4u")?;
            Some(
                dirs.state_dir()
                    .unwrap_or_else(|| dirs.data_local_dir())
                    .to_path_buf(),
            )
        }
    }
}

/// The upload queue: a file on disk shared by every mp4u process of the user, or (when that
/// cannot be had) one in memory that lasts as long as the process.
pub struct Queue {
    store: store::Store,
    owner: owner::Owner,
    notices: Mutex<Vec<String>>,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue")
            .field("file", &self.file())
            .field("owner", &self.owner.token)
            .finish()
    }
}

impl Queue {
    /// Opens the queue in `dir` (created, mode 0700, when missing).
    pub fn open(dir: impl Into<PathBuf>) -> Result<Queue, QueueError> {
        let dir = dir.into();
        let store = store::Store::open(&dir)?;
        let owner = owner::Owner::register(&dir).map_err(|e| store::io_error(&dir, &e))?;
        Ok(Queue {
            store,
            owner,
            notices: Mutex::new(Vec::new()),
        })
    }

    /// A queue held in memory only: nothing survives the process. For when the queue file
    /// cannot be used, and for tests.
    pub fn in_memory() -> Queue {
        Queue {
            store: store::Store::memory(),
            owner: owner::Owner::memory(),
            notices: Mutex::new(Vec::new()),
        }
    }

    /// The queue in [`default_dir`]; when it cannot be opened, one in memory, and a notice
    /// that says why and what that means.
    pub fn open_default(demo: bool, profile: Option<&str>) -> Queue {
        let opened = match default_dir(demo, profile) {
            Some(dir) => Queue::open(dir),
            None => Err(QueueError::Io {
                path: "(no state directory)".into(),
                reason: "no home directory is known".into(),
            }),
        };
        match opened {
            Ok(queue) => queue,
            Err(e) => {
                let queue = Queue::in_memory();
                queue.notice(format!(
                    "{e}; uploads are kept in memory only and will not survive a crash"
                ));
                queue
            }
        }
    }

    /// The queue file (`None` for a queue in memory).
    pub fn file(&self) -> Option<PathBuf> {
        self.store.file()
    }

    /// This process's owner token.
    pub fn token(&self) -> &str {
        &self.owner.token
    }

    /// What the queue has to say that is not an error (a damaged file set aside), once.
    pub fn take_notices(&self) -> Vec<String> {
        std::mem::take(&mut *self.notices.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn notice(&self, text: String) {
        self.notices
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(text);
    }

    /// One locked read-change-write (finished entries past their time leave here too).
    fn transact<R>(
        &self,
        change: impl FnOnce(&mut store::Data, &Self) -> R,
    ) -> Result<R, QueueError> {
        let mut notices = Vec::new();
        let result = self.store.transact(&mut notices, |data| {
            let now = crate::api::unix_now();
            data.entries.retain(|e| match &e.state {
                State::Done { finished_at, .. } => {
                    now.saturating_sub(*finished_at) < DONE_KEEP_SECS
                }
                _ => true,
            });
            change(data, self)
        });
        for n in notices {
            self.notice(n);
        }
        result
    }

    /// Whether another live process is working on this entry (this process counts too).
    pub fn is_active(&self, entry: &Entry) -> bool {
        entry
            .owner
            .as_deref()
            .is_some_and(|token| self.owner.alive(self.store.dir(), token))
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> Result<Vec<Entry>, QueueError> {
        self.transact(|data, _| data.entries.clone())
    }

    /// Queues files for `account`. See [`How`] for what each becomes. An adopted entry that
    /// never started (queued or failed) takes the size and time the file has now.
    pub fn enqueue(
        &self,
        account: &Account,
        files: Vec<NewEntry>,
    ) -> Result<Vec<Enqueued>, QueueError> {
        let mut prepared = Vec::with_capacity(files.len());
        for mut file in files {
            file.path = std::path::absolute(&file.path).unwrap_or(file.path);
            if file.path.to_str().is_none() {
                return Err(QueueError::Path(file.path.display().to_string()));
            }
            prepared.push(file);
        }
        self.transact(|data, me| {
            let now = crate::api::unix_now();
            let mut out = Vec::with_capacity(prepared.len());
            for file in prepared {
                let existing = data.entries.iter_mut().find(|e| {
                    !e.state.is_done()
                        && e.account == account.id
                        && e.folder == file.folder
                        && e.path == file.path
                });
                if let Some(entry) = existing {
                    if entry
                        .owner
                        .as_deref()
                        .is_some_and(|t| me.owner.alive(me.store.dir(), t))
                    {
                        out.push(Enqueued {
                            entry: entry.clone(),
                            how: How::Busy,
                        });
                        continue;
                    }
                    entry.owner = Some(me.owner.token.clone());
                    entry.allow_duplicate = file.allow_duplicate;
                    if matches!(entry.state, State::Queued | State::Failed { .. }) {
                        entry.size = file.size;
                        entry.mtime = file.mtime;
                    }
                    if entry.folder_path.is_none() {
                        entry.folder_path = file.folder_path;
                    }
                    if entry.hook.is_none() {
                        entry.hook = file.hook.map(HookRecord::owed);
                    }
                    entry.changed_at = now;
                    out.push(Enqueued {
                        entry: entry.clone(),
                        how: How::Adopted,
                    });
                    continue;
                }
                let id = data.next_id();
                let name = file
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let entry = Entry {
                    id,
                    path: file.path,
                    name,
                    size: file.size,
                    mtime: file.mtime,
                    folder: file.folder,
                    folder_path: file.folder_path,
                    account: account.id.clone(),
                    server: account.server.clone(),
                    allow_duplicate: file.allow_duplicate,
                    added_at: now,
                    changed_at: now,
                    owner: Some(me.owner.token.clone()),
                    hook: file.hook.map(HookRecord::owed),
                    state: State::Queued,
                };
                data.entries.push(entry.clone());
                out.push(Enqueued {
                    entry,
                    how: How::New,
                });
            }
            out
        })
    }

    /// Records an entry's new state. Refused when another running mp4u has the entry.
    pub fn set_state(&self, id: u64, state: State) -> Result<(), QueueError> {
        self.transact(|data, me| {
            let entry = me.own_entry(data, id)?;
            entry.state = state;
            entry.changed_at = crate::api::unix_now();
            Ok(())
        })?
    }

    /// Takes the entry's hook to run it: its command, marked begun, when it is owed (none when
    /// it began already, here or in another process, or the entry has none). One process runs
    /// it, once.
    pub fn claim_hook(&self, id: u64) -> Result<Option<String>, QueueError> {
        self.transact(|data, _| {
            let entry = data.entries.iter_mut().find(|e| e.id == id)?;
            let hook = entry.hook.as_mut().filter(|h| h.started_at.is_none())?;
            hook.started_at = Some(crate::api::unix_now());
            Some(hook.command.clone())
        })
    }

    /// Records how a hook ended: `ok`, or why not.
    pub fn end_hook(&self, id: u64, ended: String) -> Result<(), QueueError> {
        self.transact(|data, _| {
            if let Some(hook) = data
                .entries
                .iter_mut()
                .find(|e| e.id == id)
                .and_then(|e| e.hook.as_mut())
            {
                hook.ended = Some(ended);
            }
        })
    }

    /// Done entries of the account whose hook is still owed (its run stopped after the upload
    /// and before the hook began).
    pub fn owed_hooks(&self, account: &Account) -> Result<Vec<Entry>, QueueError> {
        self.transact(|data, _| {
            data.entries
                .iter()
                .filter(|e| e.account == account.id && e.state.is_done())
                .filter(|e| e.hook.as_ref().is_some_and(|h| h.started_at.is_none()))
                .cloned()
                .collect()
        })
    }

    /// The entry with this id, as the queue file holds it now.
    pub fn get(&self, id: u64) -> Result<Option<Entry>, QueueError> {
        self.transact(|data, _| data.entries.iter().find(|e| e.id == id).cloned())
    }

    /// Takes entries by their ids for this process, each as the queue file holds it now
    /// (see [`Take`]): what another process finished is finished, whatever this process
    /// remembered of it.
    pub fn take(&self, ids: &[u64]) -> Result<Vec<(u64, Take)>, QueueError> {
        self.transact(|data, me| {
            let now = crate::api::unix_now();
            ids.iter()
                .map(|id| {
                    let take = match data.entries.iter_mut().find(|e| e.id == *id) {
                        None => Take::Gone,
                        Some(e) if e.state.is_done() => Take::Finished(e.clone()),
                        Some(e) if me.held_by_another(e) => Take::Busy(e.clone()),
                        Some(e) => {
                            e.owner = Some(me.owner.token.clone());
                            e.changed_at = now;
                            Take::Mine(e.clone())
                        }
                    };
                    (*id, take)
                })
                .collect()
        })
    }

    /// Records that entry `id` is the file `file_code` on the account, unless another entry of
    /// the queue is that file already (then `Ok(false)`, nothing changes): one file on the
    /// account is never taken for two uploads. `moved`: it is in its folder (done); else its
    /// move is owed.
    pub fn claim_file(
        &self,
        id: u64,
        file_code: &str,
        url: &str,
        moved: bool,
        note: Option<String>,
    ) -> Result<bool, QueueError> {
        self.transact(|data, me| {
            if data
                .entries
                .iter()
                .any(|e| e.id != id && e.state.file_code() == Some(file_code))
            {
                return Ok(false);
            }
            let entry = me.own_entry(data, id)?;
            let now = crate::api::unix_now();
            entry.state = if moved {
                State::Done {
                    file_code: file_code.into(),
                    url: url.into(),
                    finished_at: now,
                    note,
                }
            } else {
                State::NotMoved {
                    file_code: file_code.into(),
                    url: url.into(),
                    reason: None,
                    finished_at: now,
                }
            };
            entry.changed_at = now;
            Ok(true)
        })?
    }

    /// Entry `id` of `data`, to change: refused when another running process has it.
    fn own_entry<'a>(
        &self,
        data: &'a mut store::Data,
        id: u64,
    ) -> Result<&'a mut Entry, QueueError> {
        let entry = data
            .entries
            .iter_mut()
            .find(|e| e.id == id)
            .ok_or(QueueError::Missing(id))?;
        if self.held_by_another(entry) {
            return Err(QueueError::Busy(id));
        }
        Ok(entry)
    }

    /// Whether another running process works on this entry (this process does not count).
    fn held_by_another(&self, entry: &Entry) -> bool {
        entry
            .owner
            .as_deref()
            .is_some_and(|t| t != self.owner.token && self.owner.alive(self.store.dir(), t))
    }

    /// The unfinished entries of `account` that no running process works on: what a resume
    /// would take. Nothing changes.
    pub fn unfinished(&self, account: &Account) -> Result<Vec<Entry>, QueueError> {
        self.transact(|data, me| {
            data.entries
                .iter()
                .filter(|e| !e.state.is_done() && e.account == account.id)
                .filter(|e| !me.is_active(e))
                .cloned()
                .collect()
        })
    }

    /// Claims the unfinished entries of `account` that no running process works on: they are
    /// this process's to resume (see [`run::process`]).
    pub fn take_unfinished(&self, account: &Account) -> Result<Taken, QueueError> {
        self.transact(|data, me| {
            let mut taken = Taken::default();
            let now = crate::api::unix_now();
            for entry in data.entries.iter_mut().filter(|e| !e.state.is_done()) {
                if entry.account != account.id {
                    taken.elsewhere += 1;
                } else if me.is_active(entry) {
                    taken.busy += 1;
                } else {
                    entry.owner = Some(me.owner.token.clone());
                    entry.changed_at = now;
                    taken.entries.push(entry.clone());
                }
            }
            taken
        })
    }

    /// Removes every finished entry; how many.
    pub fn clear_done(&self) -> Result<usize, QueueError> {
        self.transact(|data, _| {
            let before = data.entries.len();
            data.entries.retain(|e| !e.state.is_done());
            before - data.entries.len()
        })
    }

    /// Gives up entries of this process (a cancelled upload): each leaves the queue, unless the
    /// end of its upload went out already. Such a one may still arrive, so it stays, as
    /// `unknown` and owned by nobody: whoever takes it up (queuing the same file again, a
    /// resume) looks for it before anything is sent again.
    pub fn give_up(&self, ids: &[u64]) -> Result<(), QueueError> {
        self.transact(|data, me| {
            let now = crate::api::unix_now();
            data.entries.retain_mut(|e| {
                if !ids.contains(&e.id) || me.held_by_another(e) {
                    return true;
                }
                let lost = e.lost_upload();
                match &e.state {
                    State::Sent { .. } | State::Unknown { .. } => {
                        e.state = State::Unknown {
                            reason: "cancelled after its last byte went out: it may arrive all \
                                     the same"
                                .into(),
                            started_at: lost.asked_at,
                            since: lost.since,
                            finished_at: now,
                        };
                        e.owner = None;
                        e.changed_at = now;
                        true
                    }
                    _ => false,
                }
            });
        })
    }

    /// Removes the entries with these ids, unless another running process works on them.
    /// Returns the ids removed; ids not removed are not in the queue or busy.
    pub fn remove(&self, ids: &[u64]) -> Result<Vec<u64>, QueueError> {
        self.transact(|data, me| {
            let mut removed = Vec::new();
            data.entries.retain(|e| {
                if ids.contains(&e.id) && !me.held_by_another(e) {
                    removed.push(e.id);
                    false
                } else {
                    true
                }
            });
            removed
        })
    }
}
