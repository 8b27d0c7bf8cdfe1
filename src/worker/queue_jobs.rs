//! The upload queue file, the worker's side: reading what earlier runs left, writing uploads
//! as they are queued and each state as it changes, removing what is given up or finished.
//! Every read-change-write is a short locked write of a file (flushed to disk), so it runs on
//! the blocking pool, never on the threads that move bytes, and never on the screen's.

use std::sync::Arc;

use crate::api::{ApiError, Client, UploadedFile, unix_now};
use crate::app::command::Claim;
use crate::app::{Command, Outcome};
use crate::queue::run::{ALREADY_THERE, done_state};
use crate::queue::{Account, FolderFiles, How, Queue, QueueError, State};

/// Runs a queue call on the blocking pool.
async fn blocking<R: Send + 'static>(
    queue: &Arc<Queue>,
    call: impl FnOnce(&Queue) -> R + Send + 'static,
) -> Option<R> {
    let queue = Arc::clone(queue);
    tokio::task::spawn_blocking(move || call(&queue)).await.ok()
}

/// Records an entry's new state.
pub(super) async fn record(queue: &Arc<Queue>, entry: u64, state: State) -> Result<(), QueueError> {
    blocking(queue, move |q| q.set_state(entry, state))
        .await
        .unwrap_or_else(|| {
            Err(QueueError::Io {
                path: "(the queue)".into(),
                reason: "the write was interrupted".into(),
            })
        })
}

/// Records a state after the fact; a failure is only logged (the entry stays as it was, and a
/// resume looks it up before sending anything: no second copy).
pub(super) async fn record_quietly(queue: &Arc<Queue>, entry: u64, state: State) {
    if let Err(error) = record(queue, entry, state).await {
        tracing::warn!(%error, entry, "could not record an upload's state");
    }
}

/// The state an upload's end leaves its entry in.
pub(super) fn state_after(result: &Result<UploadedFile, ApiError>, started_at: u64) -> State {
    match result {
        Ok(file) => done_state(file),
        Err(e @ ApiError::UploadUnconfirmed { lookup, .. }) => State::Unknown {
            reason: e.to_string(),
            started_at,
            since: lookup.since.clone(),
            finished_at: unix_now(),
        },
        Err(e) => State::Failed {
            reason: e.to_string(),
            finished_at: unix_now(),
        },
    }
}

/// What a look-up or a move that answered leaves the entry in (nothing when it changes
/// nothing: a look-up that found nothing is followed by a send, which records its own).
pub(super) fn state_of_answer(outcome: &Outcome, client: &Client) -> Option<State> {
    match outcome {
        Outcome::UploadLookedUp {
            result: Ok(Some(file)),
            ..
        } => Some(done_state(file)),
        Outcome::UploadLookedUp {
            result: Err(e @ ApiError::UploadUnconfirmed { lookup, .. }),
            ..
        } => Some(State::Unknown {
            reason: e.to_string(),
            started_at: lookup.asked_at,
            since: lookup.since.clone(),
            finished_at: unix_now(),
        }),
        Outcome::UploadMoved {
            code,
            result: Ok(()),
            ..
        } => Some(State::Done {
            file_code: code.clone(),
            url: client.file_link(code),
            finished_at: unix_now(),
            note: None,
        }),
        _ => None,
    }
}

/// Runs one command of [`crate::app::command::CommandKind::Queue`].
pub(super) async fn run(
    queue: &Arc<Queue>,
    account: Option<Account>,
    client: Option<Client>,
    command: Command,
) -> Option<Outcome> {
    match command {
        Command::LoadQueue => {
            let account = account?;
            blocking(queue, move |q| {
                let mut failed = None;
                let unfinished = q.unfinished(&account).unwrap_or_else(|e| {
                    failed = Some(e.to_string());
                    Vec::new()
                });
                let busy = q
                    .entries()
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|e| e.account == account.id && !e.state.is_done())
                    .filter(|e| e.owner.as_deref() != Some(q.token()) && q.is_active(e))
                    .collect();
                // After the reads: a damaged file is found (and set aside) by the first.
                let mut notices = q.take_notices();
                notices.extend(failed);
                Outcome::QueueLoaded {
                    notices,
                    unfinished,
                    busy,
                }
            })
            .await
        }
        Command::PrepareUploads {
            enqueue,
            list_folders,
        } => {
            let queued = match account {
                Some(account) if !enqueue.is_empty() => {
                    blocking(queue, move |q| claim(q, &account, enqueue))
                        .await
                        .unwrap_or_default()
                }
                Some(_) => Vec::new(),
                None => enqueue
                    .into_iter()
                    .map(|(id, _)| (id, Claim::Failed("no account yet".into())))
                    .collect(),
            };
            let mut listings = Vec::with_capacity(list_folders.len());
            for fld in list_folders {
                let files = match &client {
                    Some(client) => crate::queue::folder_files(client, fld).await,
                    None => FolderFiles::Unlisted("no account yet".into()),
                };
                listings.push((fld, files));
            }
            Some(Outcome::UploadsPrepared { queued, listings })
        }
        Command::RecordSkipped { items } => {
            let failed = blocking(queue, move |q| {
                items
                    .into_iter()
                    .filter_map(|(entry, file_code, url)| {
                        let state = State::Done {
                            file_code,
                            url,
                            finished_at: unix_now(),
                            note: Some(ALREADY_THERE.into()),
                        };
                        q.set_state(entry, state).err()
                    })
                    .next()
            })
            .await
            .flatten();
            failed.map(|e| Outcome::LocalError(format!("The upload queue was not updated: {e}")))
        }
        Command::ForgetUploads { entries } => blocking(queue, move |q| q.remove(&entries))
            .await?
            .err()
            .map(|e| Outcome::LocalError(format!("The upload queue was not updated: {e}"))),
        Command::ClearFinished => blocking(queue, Queue::clear_done)
            .await?
            .err()
            .map(|e| Outcome::LocalError(format!("The upload queue was not updated: {e}"))),
        _ => None,
    }
}

/// Writes the rows' files to the queue (each claims an entry left unfinished for the same
/// file and folder, when there is one).
fn claim(
    queue: &Queue,
    account: &Account,
    enqueue: Vec<(u64, crate::queue::NewEntry)>,
) -> Vec<(u64, Claim)> {
    let (ids, mut files): (Vec<u64>, Vec<_>) = enqueue.into_iter().unzip();
    for file in &mut files {
        if file.mtime.is_none() {
            file.mtime = std::fs::metadata(&file.path)
                .ok()
                .and_then(|m| crate::queue::mtime_of(&m));
        }
    }
    match queue.enqueue(account, files) {
        Ok(enqueued) => ids
            .into_iter()
            .zip(enqueued)
            .map(|(id, e)| {
                let claim = match e.how {
                    How::New | How::Adopted => Claim::Mine(Box::new(e.entry)),
                    How::Busy if e.entry.owner.as_deref() == Some(queue.token()) => Claim::Twice,
                    How::Busy => Claim::Busy(Box::new(e.entry)),
                };
                (id, claim)
            })
            .collect(),
        Err(e) => ids
            .into_iter()
            .map(|id| (id, Claim::Failed(e.to_string())))
            .collect(),
    }
}
