//! What the worker's answers about uploads do to their rows: progress, the end (a row joins its
//! folder's list), look-ups of uploads whose fate is unknown, moves; the next queued rows
//! start, and the account line follows.

use std::time::Instant;

use super::keys::{self, Action};
use super::uploads::UploadState;
use super::{App, Command, Level};
use crate::api::{ApiError, Placement, UploadedFile};

impl App {
    /// Starts queued uploads, oldest first, while slots are free: those in the queue file and
    /// checked for a file of the same name and size (the check runs here for those that wait).
    pub(super) fn start_queued(&mut self) -> Vec<Command> {
        let mut commands = self.check_duplicates(&Default::default());
        for id in self.uploads.to_start(self.parallel_uploads) {
            if let Some(upload) = self.uploads.get_mut(id)
                && let Some(entry) = upload.entry.as_ref().map(|e| e.id)
            {
                upload.state = UploadState::Running;
                commands.push(Command::StartUpload {
                    id,
                    path: upload.path.clone(),
                    fld_id: upload.fld_id,
                    entry,
                });
            }
        }
        commands
    }

    pub(super) fn on_upload_progress(&mut self, id: u64, sent: u64, at: Instant) -> Vec<Command> {
        self.uploads.progress(id, sent, at);
        Vec::new()
    }

    pub(super) fn on_upload_finished(
        &mut self,
        id: u64,
        result: Result<UploadedFile, ApiError>,
    ) -> Vec<Command> {
        let Some(upload) = self.uploads.get_mut(id) else {
            return Vec::new();
        };
        if !upload.state.holds_slot() {
            return Vec::new(); // cancelled meanwhile: a late answer changes nothing
        }
        let name = upload.name.clone();
        match result {
            Ok(done) => self.upload_done(id, done),
            Err(ApiError::UploadUnconfirmed { reason, lookup }) => {
                upload.state = UploadState::Unknown {
                    reason: reason.clone(),
                    lookup: *lookup,
                };
                self.notify(
                    Level::Warn,
                    format!(
                        "{name}: the reply was lost and the account could not be checked \
                         ({reason}); it may be there. R looks again before sending anything"
                    ),
                );
            }
            Err(e) => {
                upload.state = UploadState::Failed(e.to_string());
                self.notify(Level::Error, format!("Upload of {name} failed: {e}"));
            }
        }
        self.start_next()
    }

    pub(super) fn on_upload_looked_up(
        &mut self,
        id: u64,
        result: Result<Option<UploadedFile>, ApiError>,
    ) -> Vec<Command> {
        let Some(upload) = self.uploads.get_mut(id) else {
            return Vec::new();
        };
        let UploadState::Checking { lookup } = &upload.state else {
            return Vec::new(); // cancelled meanwhile
        };
        let lookup = lookup.clone();
        let name = upload.name.clone();
        match result {
            Ok(Some(done)) => self.upload_done(id, done),
            Ok(None) => {
                // Not on the account: only now is it sent again (no look for duplicates: it
                // was checked before it was first sent).
                self.uploads.reset(id);
                if let Some(upload) = self.uploads.get_mut(id) {
                    upload.dup = super::uploads::DupCheck::Passed;
                }
                self.notify(
                    Level::Info,
                    format!("{name} is not on the account: sending it again"),
                );
            }
            Err(e) => {
                let reason = match e {
                    ApiError::UploadUnconfirmed { reason, .. } => reason,
                    other => other.to_string(),
                };
                upload.state = UploadState::Unknown {
                    reason: reason.clone(),
                    lookup,
                };
                self.notify(Level::Warn, format!("{name}: still unknown ({reason})"));
            }
        }
        self.start_next()
    }

    pub(super) fn on_upload_moved(
        &mut self,
        id: u64,
        code: String,
        fld_id: u64,
        result: Result<(), ApiError>,
    ) -> Vec<Command> {
        let Some(upload) = self.uploads.get_mut(id) else {
            return Vec::new();
        };
        let name = upload.name.clone();
        let UploadState::Done {
            placement, moving, ..
        } = &mut upload.state
        else {
            return Vec::new();
        };
        *moving = false;
        match result {
            Ok(()) => {
                *placement = Placement::InFolder { fld_id };
                // Out of the root's rows, into the folder's.
                let file = self
                    .files
                    .cache
                    .get_mut(&super::tree::ROOT)
                    .and_then(|root| {
                        let at = root.files.iter().position(|f| f.file_code == code)?;
                        Some(root.files.remove(at))
                    });
                if let Some(mut file) = file {
                    file.fld_id = Some(fld_id);
                    self.add_file_row(fld_id, file);
                }
                self.files.rebuild();
                self.notify(
                    Level::Info,
                    format!("Moved {name} to {}", self.tree.path(fld_id)),
                );
            }
            Err(e) => {
                if let Placement::LeftInRoot { reason, .. } = placement {
                    *reason = e.to_string();
                }
                self.notify(Level::Error, format!("{name} is still in /: {e}"));
            }
        }
        Vec::new()
    }

    /// A finished upload: its state, its row in its folder (no listing asked again) and the
    /// account line, from what is already known.
    fn upload_done(&mut self, id: u64, done: UploadedFile) {
        let Some(upload) = self.uploads.get_mut(id) else {
            return;
        };
        upload.sent = upload.size;
        let name = upload.name.clone();
        let wanted_path = upload.folder_path.clone();
        upload.state = UploadState::Done {
            code: done.file_code.clone(),
            url: done.url.clone(),
            placement: done.placement.clone(),
            moving: false,
        };
        let folder = done.placement.folder();
        match &done.placement {
            Placement::LeftInRoot { reason, .. } => {
                let key = self.keymap.key_label(keys::Scope::Transfers, Action::Move);
                self.notify(
                    Level::Warn,
                    format!("Uploaded {name}, but it is in /: moving it to {wanted_path} failed ({reason}); {key} in the transfers view moves it"),
                )
            }
            Placement::InFolder { .. } if done.recovered => self.notify(
                Level::Info,
                format!("Uploaded {name} (the reply was lost; the file was found on the account)"),
            ),
            Placement::InFolder { .. } => self.notify(Level::Info, format!("Uploaded {name}")),
        }
        let row = crate::api::FileInfo {
            name: Some(done.name.clone()),
            size: Some(done.size),
            downloads: Some(0),
            uploaded: done.uploaded.as_deref().map(Into::into),
            fld_id: Some(folder),
            ..crate::api::FileInfo::new(&done.file_code)
        };
        self.add_file_row(folder, row);
        self.files.rebuild();
        if let Some(account) = &mut self.account {
            account.storage_used = account.storage_used.map(|u| u.saturating_add(done.size));
            if let crate::api::StorageLeft::Bytes(left) = &mut account.storage_left {
                *left = left.saturating_sub(done.size);
            }
        }
        self.account_stale = true;
    }

    /// Adds a file to a folder's rows, when that folder's files are held (a folder not listed
    /// yet lists it when opened).
    pub(super) fn add_file_row(&mut self, fld_id: u64, file: crate::api::FileInfo) {
        if let Some(listing) = self.files.cache.get_mut(&fld_id)
            && !listing.files.iter().any(|f| f.file_code == file.file_code)
        {
            listing.files.push(file);
        }
    }

    /// After an upload is over: the next ones started, and the account line asked again once
    /// all are over (while more run, the tick asks at most every few seconds).
    fn start_next(&mut self) -> Vec<Command> {
        let mut commands = self.start_queued();
        if self.account_stale && !self.uploads.any_active() {
            self.account_stale = false;
            self.account_asked_at = self.last_tick;
            commands.push(Command::LoadAccount);
        }
        commands
    }
}
