//! The async steps of a queued upload, each recorded in the queue as it happens. The CLI
//! (`upload`, `upload --resume`, `sync`) and the file manager's worker both go through these
//! functions, so an upload means one thing whoever runs it.
//!
//! [`process`] is the whole of it, for an entry this process owns (just queued, adopted, or
//! taken to resume). It reads the entry afresh from the queue file first (one truth: another
//! process may have finished it), then:
//!
//! 1. `done`: nothing to do. `not moved`: the file is on the account in `/`; it is moved
//!    ([`place`]), never sent again.
//! 2. `sending`, `sent` or `unknown`: it may be on the account already ([`look_up`]). Found:
//!    moved into its folder, never sent again. The look-up could not finish: `unknown`, and
//!    not sent. Not there, and it could no longer arrive: go on.
//! 3. The local file must still be there, readable, and of the size queued.
//! 4. Unless duplicates are allowed, a file of the same name and size in the target folder
//!    ([`super::find_duplicate`]) makes it done without sending (its note says so). A folder
//!    whose files could not all be listed sends nothing unchecked.
//! 5. [`send`]: `sending` is recorded before the first byte goes out, `sent` after the last
//!    byte and before the end of the upload leaves, then `not moved` with the code the server
//!    gave, then `done` once it is in its folder.
//!
//! # When an upload's fate is unknown
//!
//! A sender that dies, or gives up waiting for the reply, after the end of its upload left it
//! may still have bytes on the way (in a socket's send buffer, in a proxy), and the server
//! stores the file once they arrive. Such an entry (`sent`, or `unknown`) is looked for on the
//! account until [`settles_at`]: its connection ended (for a sender that died: by then it had
//! given up on the reply, at the latest) plus [`Patience::settle`], the time the server is
//! given to store what reached it. Found meanwhile: moved, done. Not found by then: sent
//! again. An entry still `sending` never let the end of its upload out, so the server cannot
//! have all of it: it is looked up once and sent again at once.
//!
//! A look-up only considers where the upload can be: files in `/` (the service puts every
//! upload there, mp4u moves it afterwards), of the name and size sent, uploaded after the
//! upload began (by the server's clock), and not already the file of another entry of the
//! queue ([`Queue::claim_file`]): a file of the user's elsewhere is never taken, never moved.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use super::{Entry, KnownFiles, Queue, State, find_duplicate};
use crate::api::{Client, Placement, ROOT_FOLDER, UploadedFile, unix_now};

/// The note of an entry that was skipped as a duplicate.
pub const ALREADY_THERE: &str = "already on the account";
/// The note of an entry found on the account after its reply was lost or its sender died.
pub const FOUND: &str = "found on the account after its reply was lost";

/// The variable that sets [`Patience::settle`] in seconds (over the config's `upload_settle`).
pub const ENV_SETTLE: &str = "MP4U_UPLOAD_SETTLE";
/// How long the server is given by default to store an upload whose last bytes reached it.
pub const DEFAULT_SETTLE: Duration = Duration::from_secs(120);
/// The longest a look-up takes before it counts as unfinished ([`Client::find_uploads`]).
const LOOKUP_MAX: Duration = Duration::from_secs(60);

/// How long an upload whose fate is unknown is waited for before it is sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Patience {
    /// After the upload's connection ended, how long the server may take to store it.
    pub settle: Duration,
    /// How often the account is looked at meanwhile.
    pub poll: Duration,
    /// How long a sender waits for a reply after its last byte ([`crate::api::UPLOAD_STALL`]):
    /// a sender found dead in `sent` had given up on the reply by then.
    pub stall: Duration,
}

impl Default for Patience {
    fn default() -> Self {
        Patience::with_settle(DEFAULT_SETTLE)
    }
}

impl Patience {
    pub fn with_settle(settle: Duration) -> Patience {
        Patience {
            settle,
            poll: (settle / 8).clamp(Duration::from_millis(250), Duration::from_secs(5)),
            stall: crate::api::UPLOAD_STALL,
        }
    }

    /// `MP4U_UPLOAD_SETTLE` when set, else `configured` (the config's `upload_settle`), else
    /// [`DEFAULT_SETTLE`].
    pub fn resolve(configured: Option<u64>) -> Patience {
        let env = std::env::var(ENV_SETTLE)
            .ok()
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64);
        Patience::with_settle(
            env.or(configured.map(Duration::from_secs))
                .unwrap_or(DEFAULT_SETTLE),
        )
    }
}

/// When (seconds since 1970, our clock) the connection of an entry found in `state` ended, at
/// the latest: nothing of it can have left after then. `None` for a state whose upload cannot
/// be on its way (its end never left, or it is settled).
fn connection_ended(state: &State, now: u64, patience: &Patience) -> Option<u64> {
    match state {
        // Its sender died while waiting for the reply, by `sent_at + stall + a look-up` at the
        // latest (it gives up then, and records what it found).
        State::Sent { sent_at, .. } => {
            Some(now.min(sent_at + patience.stall.as_secs() + LOOKUP_MAX.as_secs()))
        }
        State::Unknown { finished_at, .. } => Some(*finished_at),
        _ => None,
    }
}

/// When (seconds since 1970, our clock) an entry found in `state` can no longer arrive on the
/// account: before then, not finding it does not mean it will not be there.
pub fn settles_at(state: &State, now: u64, patience: &Patience) -> u64 {
    connection_ended(state, now, patience).map_or(0, |ended| {
        ended + patience.settle.as_secs_f64().ceil() as u64
    })
}

/// What became of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Sent now, or found on the account after its process died or its reply was lost
    /// (`recovered`), or finished by another mp4u; `placement` says where it is.
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
    /// The file is on the account as this code, now recorded as the entry's.
    Arrived(String),
    /// The look-up finished, the file is not there and can no longer arrive: sending it
    /// makes no second copy.
    Absent,
    /// The look-up could not finish: the file may be there.
    Unsure(String),
}

/// Looks for an entry's file on the account ([`Client::find_uploads`]: in `/`, the name and
/// size sent, uploaded since it started), again and again until [`settles_at`]. A file found
/// is claimed for the entry in the queue (never one another entry has); `on_wait` hears once
/// how many seconds are left when a wait begins.
pub async fn look_up(
    client: &Client,
    queue: &Arc<Queue>,
    entry: &Entry,
    patience: &Patience,
    on_wait: impl FnOnce(u64),
) -> Lookup {
    let lost = entry.lost_upload();
    let deadline = settles_at(&entry.state, unix_now(), patience);
    let mut on_wait = Some(on_wait);
    loop {
        let found = match client.find_uploads(&lost).await {
            Ok(found) => found,
            Err(e) => return Lookup::Unsure(e.to_string()),
        };
        for file in found {
            let url = client.file_link(&file.file_code);
            let code = file.file_code;
            let moved = entry.folder == ROOT_FOLDER;
            let note = moved.then(|| FOUND.to_string());
            let id = entry.id;
            let claimed = {
                let code = code.clone();
                blocking(queue, move |q| q.claim_file(id, &code, &url, moved, note)).await
            };
            match claimed {
                Ok(true) => return Lookup::Arrived(code),
                // Another entry's file: never this one's.
                Ok(false) => continue,
                Err(e) => return Lookup::Unsure(e),
            }
        }
        let now = unix_now();
        if now >= deadline {
            return Lookup::Absent;
        }
        if let Some(tell) = on_wait.take() {
            tell(deadline - now);
        }
        let left = Duration::from_secs(deadline - now);
        tokio::time::sleep(patience.poll.min(left)).await;
    }
}

/// Runs a queue call on the blocking pool (each is a short locked write of a file, flushed),
/// never on the threads that move bytes or draw; `None` when the call could not run.
pub async fn off_thread<R: Send + 'static>(
    queue: &Arc<Queue>,
    call: impl FnOnce(&Queue) -> R + Send + 'static,
) -> Option<R> {
    let queue = Arc::clone(queue);
    tokio::task::spawn_blocking(move || call(&queue)).await.ok()
}

/// [`off_thread`] for a call that can fail: its error as a sentence.
async fn blocking<R: Send + 'static>(
    queue: &Arc<Queue>,
    call: impl FnOnce(&Queue) -> Result<R, super::QueueError> + Send + 'static,
) -> Result<R, String> {
    match off_thread(queue, call).await {
        Some(result) => result.map_err(|e| e.to_string()),
        None => Err("the upload queue could not be written".into()),
    }
}

/// Records a state after the fact; a queue that cannot be written then is only logged (the
/// entry keeps its last state, and whoever takes it up looks before sending: no second copy).
async fn record(queue: &Arc<Queue>, id: u64, state: State) {
    if let Err(e) = blocking(queue, move |q| q.set_state(id, state)).await {
        tracing::warn!(error = %e, id, "could not record an upload's state");
    }
}

/// Moves the entry's file (`file_code`, on the account) into the entry's folder, and records
/// what came of it: `done`, or `not moved` with the reason (the move stays owed).
pub async fn place(
    client: &Client,
    queue: &Arc<Queue>,
    entry: &Entry,
    file_code: &str,
    recovered: bool,
) -> UploadedFile {
    let url = client.file_link(file_code);
    let placement = if entry.folder == ROOT_FOLDER {
        Placement::InFolder {
            fld_id: ROOT_FOLDER,
        }
    } else {
        match client
            .file_set_folder(&[file_code.to_string()], entry.folder)
            .await
        {
            Ok(()) => Placement::InFolder {
                fld_id: entry.folder,
            },
            Err(e) => Placement::LeftInRoot {
                wanted: entry.folder,
                reason: e.to_string(),
            },
        }
    };
    let now = unix_now();
    let state = match &placement {
        Placement::InFolder { .. } => State::Done {
            file_code: file_code.into(),
            url: url.clone(),
            finished_at: now,
            note: recovered.then(|| FOUND.into()),
        },
        Placement::LeftInRoot { reason, .. } => State::NotMoved {
            file_code: file_code.into(),
            url: url.clone(),
            reason: Some(reason.clone()),
            finished_at: now,
        },
    };
    // An upload for the root was recorded done when its file was claimed ([`Queue::claim_file`]
    // with `moved`): nothing to move, nothing to write again.
    if entry.folder != ROOT_FOLDER {
        record(queue, entry.id, state).await;
    }
    UploadedFile {
        file_code: file_code.into(),
        name: entry.name.clone(),
        size: entry.size,
        url,
        placement,
        uploaded: None,
        recovered,
    }
}

/// What an entry finished in the queue file reads as (finished by another process, or by an
/// earlier run of this one).
pub fn finished(client: &Client, entry: &Entry) -> Fate {
    match &entry.state {
        State::Done {
            file_code, note, ..
        } if note.as_deref() == Some(ALREADY_THERE) => Fate::AlreadyThere {
            file_code: file_code.clone(),
            url: client.file_link(file_code),
            listed_name: entry.name.clone(),
        },
        State::Done {
            file_code, note, ..
        } => Fate::Uploaded(UploadedFile {
            file_code: file_code.clone(),
            name: entry.name.clone(),
            size: entry.size,
            url: client.file_link(file_code),
            placement: Placement::InFolder {
                fld_id: entry.folder,
            },
            uploaded: None,
            recovered: note.is_some(),
        }),
        other => Fate::Failed(format!("unexpected state {}", other.label())),
    }
}

/// The entry as the queue file holds it now (this process's copy when the file cannot be
/// read: the caller owns the entry, so that copy is the truth).
async fn fresh(queue: &Arc<Queue>, entry: &Entry) -> Option<Entry> {
    let id = entry.id;
    match blocking(queue, move |q| q.get(id)).await {
        Ok(found) => found,
        Err(_) => Some(entry.clone()),
    }
}

/// Does what `entry` needs (see the module docs), recording each state in `queue`.
/// `files` is what is known of the target folder's files, for the duplicate check;
/// `max_bytes` the size limit of a file.
#[allow(clippy::too_many_arguments)]
pub async fn process<P, S>(
    client: &Client,
    queue: &Arc<Queue>,
    entry: &Entry,
    files: &KnownFiles,
    max_bytes: Option<u64>,
    patience: &Patience,
    progress: P,
    on_server: S,
    on_wait: impl FnOnce(u64),
) -> Fate
where
    P: Fn(u64) + Send + Sync + 'static,
    S: FnOnce(&url::Url),
{
    let Some(entry) = fresh(queue, entry).await else {
        return Fate::Failed("no longer in the upload queue (given up elsewhere)".into());
    };
    if let Some(outcome) = resume_step(client, queue, &entry, patience, on_wait).await {
        return outcome;
    }
    if let Err(reason) = local_file_unchanged(&entry, max_bytes) {
        return fail(queue, &entry, reason).await;
    }
    if !entry.allow_duplicate {
        match files {
            KnownFiles::Unlisted(why) => {
                let reason = format!(
                    "not sent: {} could not be checked for a file of the same name and size: \
                     {why}",
                    entry.folder_label()
                );
                return fail(queue, &entry, reason).await;
            }
            KnownFiles::Listed(rows) => {
                if let Some(row) = find_duplicate(rows, &entry.name, entry.size) {
                    let url = client.file_link(&row.file_code);
                    let state = State::Done {
                        file_code: row.file_code.clone(),
                        url: url.clone(),
                        finished_at: unix_now(),
                        note: Some(ALREADY_THERE.into()),
                    };
                    record(queue, entry.id, state).await;
                    return Fate::AlreadyThere {
                        file_code: row.file_code.clone(),
                        url,
                        listed_name: row.name.clone().unwrap_or_default(),
                    };
                }
            }
        }
    }
    send(client, queue, &entry, patience, progress, on_server).await
}

/// What an entry taken up again needs before anything may be sent: `None` when it is to be
/// sent (it never went, or it is known not to have arrived), else what became of it (finished
/// already, moved into its folder, found on the account, or unsure).
pub async fn resume_step(
    client: &Client,
    queue: &Arc<Queue>,
    entry: &Entry,
    patience: &Patience,
    on_wait: impl FnOnce(u64),
) -> Option<Fate> {
    match &entry.state {
        State::Done { .. } => Some(finished(client, entry)),
        State::NotMoved { file_code, .. } => Some(Fate::Uploaded(
            place(client, queue, entry, file_code, false).await,
        )),
        state if state.needs_lookup() => {
            match look_up(client, queue, entry, patience, on_wait).await {
                Lookup::Arrived(code) => Some(Fate::Uploaded(
                    place(client, queue, entry, &code, true).await,
                )),
                Lookup::Absent => None,
                Lookup::Unsure(reason) => {
                    let reason = format!(
                        "it may be on the account, and looking for it failed ({reason}); not \
                         sent again"
                    );
                    // `sending` never let its end out: it stays so (no wait next time).
                    if let Some(finished_at) = connection_ended(&entry.state, unix_now(), patience)
                    {
                        let lost = entry.lost_upload();
                        let state = State::Unknown {
                            reason: reason.clone(),
                            started_at: lost.asked_at,
                            since: lost.since,
                            finished_at,
                        };
                        record(queue, entry.id, state).await;
                    }
                    Some(Fate::Unknown(reason))
                }
            }
        }
        _ => None,
    }
}

async fn fail(queue: &Arc<Queue>, entry: &Entry, reason: String) -> Fate {
    let state = State::Failed {
        reason: reason.clone(),
        finished_at: unix_now(),
    };
    record(queue, entry.id, state).await;
    Fate::Failed(reason)
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

/// Sends an entry (see the module docs for the states it goes through). Nothing is sent when
/// `sending` cannot be recorded, and the end of the upload does not leave before `sent` is.
/// An upload whose answer did not come after its end left is looked for until it could no
/// longer arrive; `unknown` when that could not finish.
pub async fn send<P, S>(
    client: &Client,
    queue: &Arc<Queue>,
    entry: &Entry,
    patience: &Patience,
    progress: P,
    on_server: S,
) -> Fate
where
    P: Fn(u64) + Send + Sync + 'static,
    S: FnOnce(&url::Url),
{
    let started_at = unix_now();
    let id = entry.id;
    if let Err(e) = blocking(queue, move |q| {
        q.set_state(id, State::Sending { started_at })
    })
    .await
    {
        return Fate::Failed(format!("not sent: {e}"));
    }
    let before_end: crate::api::BeforeEnd = {
        let queue = Arc::clone(queue);
        Box::new(move |since| {
            Box::pin(async move {
                let state = State::Sent {
                    started_at,
                    since,
                    sent_at: unix_now(),
                };
                blocking(&queue, move |q| q.set_state(id, state))
                    .await
                    .map_err(|e| format!("not sent: {e}"))
            })
        })
    };
    let result = client
        .send_file(
            Path::new(&entry.path),
            progress,
            on_server,
            Some(before_end),
        )
        .await;
    match result {
        Ok(sent) => {
            let url = client.file_link(&sent.file_code);
            let code = sent.file_code.clone();
            let moved = entry.folder == ROOT_FOLDER;
            // The code first: should the move fail or mp4u die now, the move stays owed.
            let _ = blocking(queue, move |q| q.claim_file(id, &code, &url, moved, None)).await;
            let mut file = place(client, queue, entry, &sent.file_code, false).await;
            file.uploaded = sent.server_time;
            Fate::Uploaded(file)
        }
        Err(failure) if failure.may_have_arrived() => {
            // Its fate is out of our hands: recorded so, then looked for until it settles.
            let lost = failure.lost;
            let state = State::Unknown {
                reason: failure.error.to_string(),
                started_at,
                since: lost.since.clone(),
                finished_at: unix_now(),
            };
            let mut unknown = entry.clone();
            unknown.state = state.clone();
            record(queue, id, state).await;
            let waited = patience.settle.as_secs();
            match resume_step(client, queue, &unknown, patience, |_| {}).await {
                Some(outcome) => outcome,
                None => {
                    let reason = format!(
                        "{}; not on the account {waited} s after the connection ended, so it \
                         did not arrive",
                        failure.error
                    );
                    fail(queue, entry, reason).await
                }
            }
        }
        Err(failure) => fail(queue, entry, failure.error.to_string()).await,
    }
}
