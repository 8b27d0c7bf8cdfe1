//! The upload queue file, the worker's side: reading what earlier runs left, writing uploads
//! as they are queued and each state as it changes, removing what is given up or finished.
//! Every read-change-write is a short locked write of a file (flushed to disk), so it runs on
//! the blocking pool, never on the threads that move bytes, and never on the screen's.

use std::sync::Arc;

use crate::api::{ApiError, Client, Placement, UploadedFile, unix_now};
use crate::app::command::Claim;
use crate::app::{Command, Outcome};
use crate::queue::run::{self, ALREADY_THERE, off_thread};
use crate::queue::{Account, Entry, How, KnownFiles, Queue, State, Take};

/// The entry `id` as the queue file holds it now, for the upload of `path`.
pub(super) async fn fresh_entry(
    queue: &Arc<Queue>,
    id: u64,
    path: &std::path::Path,
) -> Result<Entry, ApiError> {
    let missing = |reason: String| ApiError::LocalFile {
        path: path.display().to_string(),
        reason,
    };
    match off_thread(queue, move |q| q.get(id)).await {
        Some(Ok(Some(entry))) => Ok(entry),
        Some(Ok(None)) => Err(missing(
            "not sent: no longer in the upload queue (given up elsewhere)".into(),
        )),
        Some(Err(e)) => Err(missing(format!("not sent: {e}"))),
        None => Err(missing(
            "not sent: the upload queue could not be read".into(),
        )),
    }
}

/// What an upload's end reads as in the transfers view.
pub(super) fn as_result(outcome: run::Fate, entry: &Entry) -> Result<UploadedFile, ApiError> {
    match outcome {
        run::Fate::Uploaded(file) => Ok(file),
        run::Fate::AlreadyThere { file_code, url, .. } => Ok(UploadedFile {
            file_code,
            name: entry.name.clone(),
            size: entry.size,
            url,
            placement: Placement::InFolder {
                fld_id: entry.folder,
            },
            uploaded: None,
            recovered: false,
        }),
        run::Fate::Failed(reason) => Err(ApiError::InvalidInput(reason)),
        run::Fate::Unknown(reason) => Err(ApiError::UploadUnconfirmed {
            reason,
            lookup: Box::new(entry.lost_upload()),
        }),
    }
}

/// A look-up of an upload that may be on the account, or the move of one that is: through the
/// queue file ([`run::resume_step`], [`run::place`]), which records what came of it.
pub(super) async fn account_step(
    client: &Client,
    queue: &Arc<Queue>,
    patience: &run::Patience,
    command: Command,
) -> Option<Outcome> {
    match command {
        Command::LookupUpload {
            id, lookup, entry, ..
        } => {
            let result = match off_thread(queue, move |q| q.get(entry)).await {
                Some(Ok(Some(fresh))) => {
                    match run::resume_step(client, queue, &fresh, patience, |_| {}).await {
                        None => Ok(None),
                        Some(run::Fate::Unknown(reason)) => Err(ApiError::UploadUnconfirmed {
                            reason,
                            lookup: Box::new(lookup),
                        }),
                        Some(outcome) => as_result(outcome, &fresh).map(Some),
                    }
                }
                _ => Err(ApiError::UploadUnconfirmed {
                    reason: "its entry in the upload queue could not be read".into(),
                    lookup: Box::new(lookup),
                }),
            };
            Some(Outcome::UploadLookedUp { id, result })
        }
        Command::MoveUpload {
            id,
            code,
            fld_id,
            entry,
        } => {
            let fresh = off_thread(queue, move |q| q.get(entry))
                .await
                .and_then(|r| r.ok())
                .flatten();
            let result = match fresh {
                Some(fresh) => match run::place(client, queue, &fresh, &code, false)
                    .await
                    .placement
                {
                    Placement::InFolder { .. } => Ok(()),
                    Placement::LeftInRoot { reason, .. } => Err(ApiError::InvalidInput(reason)),
                },
                // No entry (a queue in memory that lost it): the move alone.
                None => {
                    client
                        .file_set_folder(std::slice::from_ref(&code), fld_id)
                        .await
                }
            };
            Some(Outcome::UploadMoved {
                id,
                code,
                fld_id,
                result,
            })
        }
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
            off_thread(queue, move |q| {
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
        Command::TakeUploads { take, list_folders } => {
            let queued = off_thread(queue, move |q| take_over(q, take))
                .await
                .unwrap_or_default();
            let listings = list(client.as_ref(), list_folders).await;
            Some(Outcome::UploadsPrepared { queued, listings })
        }
        Command::PrepareUploads {
            enqueue,
            list_folders,
        } => {
            let queued = match account {
                Some(account) if !enqueue.is_empty() => {
                    off_thread(queue, move |q| claim(q, &account, enqueue))
                        .await
                        .unwrap_or_default()
                }
                Some(_) => Vec::new(),
                None => enqueue
                    .into_iter()
                    .map(|(id, _)| (id, Claim::Failed("no account yet".into())))
                    .collect(),
            };
            let listings = list(client.as_ref(), list_folders).await;
            Some(Outcome::UploadsPrepared { queued, listings })
        }
        Command::RecordSkipped { items } => {
            let failed = off_thread(queue, move |q| {
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
        Command::ForgetUploads { entries } => off_thread(queue, move |q| q.give_up(&entries))
            .await?
            .err()
            .map(|e| Outcome::LocalError(format!("The upload queue was not updated: {e}"))),
        Command::ClearFinished => off_thread(queue, Queue::clear_done)
            .await?
            .err()
            .map(|e| Outcome::LocalError(format!("The upload queue was not updated: {e}"))),
        _ => None,
    }
}

/// The folders' files, listed to their end, for the check for duplicates.
async fn list(client: Option<&Client>, folders: Vec<u64>) -> Vec<(u64, KnownFiles)> {
    let mut listings = Vec::with_capacity(folders.len());
    for fld in folders {
        let files = match client {
            Some(client) => crate::queue::folder_files(client, fld).await,
            None => KnownFiles::Unlisted("no account yet".into()),
        };
        listings.push((fld, files));
    }
    listings
}

/// Takes rows' entries over by their ids, each as the queue file holds it now.
fn take_over(queue: &Queue, take: Vec<(u64, u64)>) -> Vec<(u64, Claim)> {
    let entries: Vec<u64> = take.iter().map(|(_, entry)| *entry).collect();
    match queue.take(&entries) {
        Ok(taken) => take
            .into_iter()
            .zip(taken)
            .map(|((row, _), (_, taken))| {
                let claim = match taken {
                    Take::Mine(entry) => Claim::Mine(Box::new(entry)),
                    Take::Busy(entry) => Claim::Busy(Box::new(entry)),
                    Take::Finished(entry) => Claim::Finished(Box::new(entry)),
                    Take::Gone => Claim::Gone,
                };
                (row, claim)
            })
            .collect(),
        Err(e) => take
            .into_iter()
            .map(|(row, _)| (row, Claim::Failed(e.to_string())))
            .collect(),
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
