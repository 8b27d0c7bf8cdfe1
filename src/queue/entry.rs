//! The entries of the queue and the words of its API: what the queue file holds.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The account a queue entry belongs to: entries are resumed only on their own account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Stored with each entry: the server and a fingerprint of the key (a hash, never the key).
    pub id: String,
    /// The server, for display.
    pub server: String,
}

impl Account {
    /// The account a client speaks to.
    pub fn of(client: &crate::api::Client) -> Account {
        Account {
            id: format!("{} {}", client.base_url(), client.key_fingerprint()),
            server: client.base_url().to_string(),
        }
    }

    /// The demo account: a new sandbox every run, so its entries resume on the next demo.
    pub fn demo() -> Account {
        Account {
            id: "demo".into(),
            server: "demo".into(),
        }
    }
}

/// Where an upload is in its life. Each state has one word ([`State::label`]), the same in
/// `mp4u queue`, the transfers view and the queue file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    /// Waiting for its turn.
    Queued,
    /// Being sent since `started_at` (seconds since 1970, our clock); the end of the upload
    /// has not left this process, so the server cannot have the whole file. Found in this
    /// state by a process that is not its owner's, its process died while sending: it is
    /// looked up on the account (as a guard) and sent again.
    Sending { started_at: u64 },
    /// The file's last byte was handed to the connection at `sent_at`, and the end of the
    /// upload with it: the server may have it all, even if its sender dies now (the bytes in a
    /// socket buffer still go out). Found in this state by a process that is not its owner's,
    /// it is looked for on the account, and sent again only once it could no longer arrive
    /// (see [`super::run`]).
    Sent {
        started_at: u64,
        /// The server's clock before the upload began, when it said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        since: Option<String>,
        sent_at: u64,
    },
    /// On the account as `file_code`, in `/` (the root), and the move into its folder is still
    /// owed: every way of taking the entry up again moves it; nothing is sent again.
    NotMoved {
        file_code: String,
        url: String,
        /// Why the last move failed (none: not tried yet).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        finished_at: u64,
    },
    /// On the account, in its folder. `note` says anything to know (it was there already).
    Done {
        file_code: String,
        url: String,
        finished_at: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Not sent, or refused, or known not to have arrived; resuming sends it again.
    Failed { reason: String, finished_at: u64 },
    /// Every byte went out and nobody could tell yet whether it arrived: resuming looks it up
    /// again and sends it only once it could no longer arrive and is not there.
    Unknown {
        reason: String,
        started_at: u64,
        /// The server's clock before the upload began, when it said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        since: Option<String>,
        /// When the connection ended (our clock).
        finished_at: u64,
    },
}

impl State {
    /// `queued`, `sending`, `sent`, `not moved`, `done`, `failed`, `unknown`.
    pub fn label(&self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Sending { .. } => "sending",
            State::Sent { .. } => "sent",
            State::NotMoved { .. } => "not moved",
            State::Done { .. } => "done",
            State::Failed { .. } => "failed",
            State::Unknown { .. } => "unknown",
        }
    }

    pub fn is_done(&self) -> bool {
        matches!(self, State::Done { .. })
    }

    /// Whether a process taking this entry over must look on the account before sending: it
    /// may have arrived.
    pub fn needs_lookup(&self) -> bool {
        matches!(
            self,
            State::Sending { .. } | State::Sent { .. } | State::Unknown { .. }
        )
    }

    /// Whether a process taking this entry over goes to the account before (or instead of)
    /// sending it: to look for it, or to move it into its folder.
    pub fn goes_to_account_first(&self) -> bool {
        self.needs_lookup() || matches!(self, State::NotMoved { .. })
    }

    /// A few words on what taking it up again does first, for a list of what was left.
    pub fn resume_word(&self) -> &'static str {
        match self {
            State::Sending { .. } => "was being sent: looked for first",
            State::Sent { .. } => "last byte went out: looked for first",
            State::Unknown { .. } => "may have arrived: looked for first",
            State::NotMoved { .. } => "in /: moved, not sent again",
            State::Failed { .. } => "failed",
            State::Queued | State::Done { .. } => "",
        }
    }

    /// The file's code on the account, once known (done, or its move owed).
    pub fn file_code(&self) -> Option<&str> {
        match self {
            State::Done { file_code, .. } | State::NotMoved { file_code, .. } => Some(file_code),
            _ => None,
        }
    }
}

/// One queued upload, as the queue file holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Unique within the queue file.
    pub id: u64,
    /// The local file, absolute.
    pub path: PathBuf,
    /// The name it is sent under (the file name).
    pub name: String,
    pub size: u64,
    /// Modification time of the local file when queued (seconds since 1970).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtime: Option<u64>,
    /// The target folder's id (0 is the root).
    pub folder: u64,
    /// The target folder's path, for display, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_path: Option<String>,
    /// [`Account::id`].
    pub account: String,
    /// [`Account::server`].
    #[serde(default)]
    pub server: String,
    /// Send it even when a file of the same name and size is in the folder.
    #[serde(default)]
    pub allow_duplicate: bool,
    pub added_at: u64,
    pub changed_at: u64,
    /// The token of the process working on it (see the module docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The command to run once it is done (`--exec`), and whether it ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hook: Option<HookRecord>,
    #[serde(flatten)]
    pub state: State,
}

/// A command to run after an upload (`--exec`), as the queue file keeps it: it is marked begun
/// before it starts, so no upload runs it twice, whoever takes the entry up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookRecord {
    pub command: String,
    /// When it began (none: still owed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<u64>,
    /// How it ended: `ok`, or why not (none while it runs, or when its process died).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<String>,
}

impl HookRecord {
    pub fn owed(command: String) -> HookRecord {
        HookRecord {
            command,
            started_at: None,
            ended: None,
        }
    }
}

impl Entry {
    /// The target folder as the user knows it: its path, else `folder N`.
    pub fn folder_label(&self) -> String {
        match &self.folder_path {
            Some(path) => path.clone(),
            None if self.folder == crate::api::ROOT_FOLDER => "/".into(),
            None => format!("folder {}", self.folder),
        }
    }

    /// How an entry nobody works on was left, and what taking it up again does: the words of
    /// `mp4u queue` and of the transfers view's paused rows alike.
    pub fn left_note(&self) -> String {
        match &self.state {
            State::Queued => "not started".into(),
            State::Sending { .. } => {
                "stopped before its last byte: looked for on the account, then sent again".into()
            }
            State::Sent { .. } => "stopped after its last byte: looked for on the account until \
                                   it could no longer arrive, sent again only if it is not there"
                .into(),
            State::Unknown { reason, .. } => format!(
                "may be on the account ({reason}): looked for until it could no longer arrive"
            ),
            State::NotMoved { url, reason, .. } => match reason {
                Some(reason) => format!(
                    "{url} is in / (moving it to {} failed: {reason}): moved, not sent again",
                    self.folder_label()
                ),
                None => format!(
                    "{url} is in /: moved to {}, not sent again",
                    self.folder_label()
                ),
            },
            State::Failed { reason, .. } => format!("failed: {reason}"),
            State::Done { url, note, .. } => match note {
                Some(note) => format!("{url} ({note})"),
                None => url.clone(),
            },
        }
    }

    /// The process id of its owner, as far as the token says.
    pub fn owner_pid(&self) -> Option<u32> {
        self.owner.as_deref().and_then(super::owner::pid_of)
    }

    /// What to look for on the account when the entry may have arrived (its process died
    /// while sending it, or its reply was lost): its name and size, uploaded since it started.
    pub fn lost_upload(&self) -> crate::api::LostUpload {
        let (asked_at, since) = match &self.state {
            State::Sending { started_at } => (*started_at, None),
            State::Sent {
                started_at, since, ..
            }
            | State::Unknown {
                started_at, since, ..
            } => (*started_at, since.clone()),
            _ => (self.added_at, None),
        };
        crate::api::LostUpload {
            name: self.name.clone(),
            size: self.size,
            since,
            asked_at,
        }
    }
}

/// A file to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    /// Made absolute when queued.
    pub path: PathBuf,
    pub size: u64,
    pub mtime: Option<u64>,
    pub folder: u64,
    pub folder_path: Option<String>,
    pub allow_duplicate: bool,
    /// The command to run once it is done (`--exec`).
    pub hook: Option<String>,
}

impl NewEntry {
    /// A file as it is on disk now (size and modification time read here).
    pub fn for_file(
        path: &Path,
        folder: u64,
        folder_path: Option<String>,
    ) -> std::io::Result<NewEntry> {
        let meta = std::fs::metadata(path)?;
        Ok(NewEntry {
            path: path.to_path_buf(),
            size: meta.len(),
            mtime: mtime_of(&meta),
            folder,
            folder_path,
            allow_duplicate: false,
            hook: None,
        })
    }
}

/// Seconds since 1970 of a file's modification time.
pub fn mtime_of(meta: &std::fs::Metadata) -> Option<u64> {
    meta.modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs())
}

/// What [`super::Queue::enqueue`] made of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// A new entry, `Queued`.
    New,
    /// An unfinished entry for the same file and folder, left by a process that is gone: now
    /// this process's, in the state it was left in (look it up first if
    /// [`State::needs_lookup`]).
    Adopted,
    /// Another running mp4u (or this one) is working on the same file for the same folder.
    Busy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enqueued {
    pub entry: Entry,
    pub how: How,
}

/// What [`super::Queue::take_unfinished`] claimed, and what it left.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Taken {
    /// Now this process's to resume.
    pub entries: Vec<Entry>,
    /// Unfinished, but another running mp4u is working on them.
    pub busy: usize,
    /// Unfinished, for another account or server.
    pub elsewhere: usize,
}

/// What [`super::Queue::take`] made of an entry asked for by its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Take {
    /// This process's now, as the queue file holds it.
    Mine(Entry),
    /// Another running mp4u works on it: left to it.
    Busy(Entry),
    /// Finished (by this process or another): nothing to do.
    Finished(Entry),
    /// Not in the queue any more (given up, or cleared by another mp4u).
    Gone,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueueError {
    #[error("the upload queue {path} cannot be used: {reason}")]
    Io { path: String, reason: String },
    #[error(
        "the upload queue {path} was written by a newer mp4u (format {version}); update mp4u to use it"
    )]
    Newer { path: String, version: u32 },
    #[error("{0}: mp4u can queue only files whose path is valid UTF-8")]
    Path(String),
    #[error("upload {0} is not in the queue any more")]
    Missing(u64),
    #[error("upload {0} is being worked on by another mp4u")]
    Busy(u64),
}
