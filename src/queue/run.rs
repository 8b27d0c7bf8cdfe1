//! The async steps of a queued upload, each recorded in the queue as it happens.
//!
//! [`process`] is the whole of it, for an entry this process owns (just queued, adopted, or
//! taken to resume):
//!
//! 1. An entry found `sending` or `unknown` may be on the account already (its process died
//!    mid-way, or the reply was lost): [`look_up`] first. Found: done, never sent again. The
//!    look-up could not finish: `unknown`, and not sent. Not there: go on.
//! 2. The local file must still be there, readable, and of the size queued.
//! 3. Unless duplicates are allowed, a file of the same name and size in the target folder
//!    ([`super::find_duplicate`]) makes it done without sending (its note says so). A folder
//!    whose files could not all be listed sends nothing unchecked.
//! 4. [`send`]: `sending` is recorded before the first byte goes out, then `done`, `failed` or
//!    `unknown`.

use std::path::Path;

use super::{Entry, FolderFiles, Queue, State, find_duplicate};
use crate::api::{ApiError, Client, Placement, UploadedFile, unix_now};

/// The note of an entry that was skipped as a duplicate.
pub const ALREADY_THERE: &str = "already on the account";

/// What became of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Sent now, or found on the account after its process died or its reply was lost
    /// (`recovered`).
    Uploaded(UploadedFile),
    /// A file of the same name and size was in the folder already: not sent.
    AlreadyThere {
        file_code: String,
        url: String,
        /// The name the folder lists it under.
        listed_name: String,
    },
    /// Not sent, or refused: the reason.
    Failed(String),
    /// It may be on the account, and the look-up could not finish: not sent again.
    Unknown(String),
}

/// What a look-up on the account found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The file is on the account (and was moved into its folder, as far as that worked).
    Arrived(UploadedFile),
    /// The look-up finished and the file is not there: sending it makes no second copy.
    Absent,
    /// The look-up could not finish: the file may be there.
    Unsure(String),
}

/// Looks for an entry's file on the account the way a lost reply is looked for
/// ([`Client::find_upload`]): uploaded since the entry started sending, the same name (any
/// case, with or without the extension) and size. Found, it is moved into its folder.
pub async fn look_up(client: &Client, entry: &Entry) -> Lookup {
    let lost = entry.lost_upload();
    match client.find_upload(&lost).await {
        Ok(Some(found)) => {
            let uploaded = found.uploaded.map(|u| u.to_string());
            match client
                .finish_upload(
                    found.file_code,
                    entry.name.clone(),
                    entry.size,
                    Some(entry.folder),
                    uploaded,
                    true,
                )
                .await
            {
                Ok(file) => Lookup::Arrived(file),
                Err(e) => Lookup::Unsure(e.to_string()),
            }
        }
        Ok(None) => Lookup::Absent,
        Err(e) => Lookup::Unsure(e.to_string()),
    }
}

/// The state of an entry whose file is on the account.
pub fn done_state(file: &UploadedFile) -> State {
    let note = match &file.placement {
        Placement::LeftInRoot { wanted, reason } => Some(format!(
            "in / (the root): moving it to folder {wanted} failed: {reason}"
        )),
        Placement::InFolder { .. } if file.recovered => {
            Some("found on the account after its reply was lost".into())
        }
        Placement::InFolder { .. } => None,
    };
    State::Done {
        file_code: file.file_code.clone(),
        url: file.url.clone(),
        finished_at: unix_now(),
        note,
    }
}

/// Records a state after the fact; a queue that cannot be written then is only logged (the
/// entry stays `sending`, and a resume looks it up before sending: no second copy).
fn record(queue: &Queue, id: u64, state: State) {
    if let Err(e) = queue.set_state(id, state) {
        tracing::warn!(error = %e, id, "could not record an upload's state");
    }
}

/// Does what `entry` needs (see the module docs), recording each state in `queue`.
/// `files` is what is known of the target folder's files, for the duplicate check;
/// `max_bytes` the size limit of a file.
pub async fn process<P, S>(
    client: &Client,
    queue: &Queue,
    entry: &Entry,
    files: &FolderFiles,
    max_bytes: Option<u64>,
    progress: P,
    on_server: S,
) -> Outcome
where
    P: Fn(u64) + Send + Sync + 'static,
    S: FnOnce(&url::Url),
{
    if entry.state.needs_lookup() {
        match look_up(client, entry).await {
            Lookup::Arrived(file) => {
                record(queue, entry.id, done_state(&file));
                return Outcome::Uploaded(file);
            }
            Lookup::Unsure(reason) => {
                let reason = format!(
                    "it may be on the account, and looking for it failed ({reason}); not sent \
                     again"
                );
                let (started_at, since) = match &entry.state {
                    State::Unknown {
                        started_at, since, ..
                    } => (*started_at, since.clone()),
                    State::Sending { started_at } => (*started_at, None),
                    _ => (entry.added_at, None),
                };
                record(
                    queue,
                    entry.id,
                    State::Unknown {
                        reason: reason.clone(),
                        started_at,
                        since,
                        finished_at: unix_now(),
                    },
                );
                return Outcome::Unknown(reason);
            }
            Lookup::Absent => {}
        }
    }
    if let Err(reason) = local_file_unchanged(entry, max_bytes) {
        return fail(queue, entry, reason);
    }
    if !entry.allow_duplicate {
        match files {
            FolderFiles::Unlisted(why) => {
                return fail(
                    queue,
                    entry,
                    format!(
                        "not sent: {} could not be checked for a file of the same name and \
                         size: {why}",
                        entry.folder_label()
                    ),
                );
            }
            FolderFiles::Listed(rows) => {
                if let Some(row) = find_duplicate(rows, &entry.name, entry.size) {
                    let url = client.file_link(&row.file_code);
                    record(
                        queue,
                        entry.id,
                        State::Done {
                            file_code: row.file_code.clone(),
                            url: url.clone(),
                            finished_at: unix_now(),
                            note: Some(ALREADY_THERE.into()),
                        },
                    );
                    return Outcome::AlreadyThere {
                        file_code: row.file_code.clone(),
                        url,
                        listed_name: row.name.clone().unwrap_or_default(),
                    };
                }
            }
        }
    }
    send(client, queue, entry, progress, on_server).await
}

fn fail(queue: &Queue, entry: &Entry, reason: String) -> Outcome {
    record(
        queue,
        entry.id,
        State::Failed {
            reason: reason.clone(),
            finished_at: unix_now(),
        },
    );
    Outcome::Failed(reason)
}

/// The entry's file can be sent as it was queued: there, readable, not empty, not over the
/// limit, and of the size queued.
fn local_file_unchanged(entry: &Entry, max_bytes: Option<u64>) -> Result<(), String> {
    let size = crate::api::check_local_file(Path::new(&entry.path), max_bytes)
        .map_err(|e| e.to_string())?;
    if size != entry.size {
        return Err(format!(
            "{}: changed since it was queued ({} then, {} now); queue it again to send it as \
             it is",
            entry.path.display(),
            crate::format::size(entry.size),
            crate::format::size(size)
        ));
    }
    Ok(())
}

/// Sends an entry: `sending` is recorded first (nothing is sent when it cannot be), then what
/// came of it. A reply lost with every byte sent is looked for on the account by the upload
/// itself; `unknown` when that could not finish.
pub async fn send<P, S>(
    client: &Client,
    queue: &Queue,
    entry: &Entry,
    progress: P,
    on_server: S,
) -> Outcome
where
    P: Fn(u64) + Send + Sync + 'static,
    S: FnOnce(&url::Url),
{
    let started_at = unix_now();
    if let Err(e) = queue.set_state(entry.id, State::Sending { started_at }) {
        return Outcome::Failed(format!("not sent: {e}"));
    }
    let result = client
        .upload_observed(
            Path::new(&entry.path),
            Some(entry.folder),
            progress,
            on_server,
        )
        .await;
    let finished_at = unix_now();
    let (state, outcome) = match result {
        Ok(file) => (done_state(&file), Outcome::Uploaded(file)),
        Err(e @ ApiError::UploadUnconfirmed { .. }) => {
            let since = match &e {
                ApiError::UploadUnconfirmed { lookup, .. } => lookup.since.clone(),
                _ => None,
            };
            let reason = e.to_string();
            (
                State::Unknown {
                    reason: reason.clone(),
                    started_at,
                    since,
                    finished_at,
                },
                Outcome::Unknown(reason),
            )
        }
        Err(e) => {
            let reason = e.to_string();
            (
                State::Failed {
                    reason: reason.clone(),
                    finished_at,
                },
                Outcome::Failed(reason),
            )
        }
    };
    record(queue, entry.id, state);
    outcome
}
