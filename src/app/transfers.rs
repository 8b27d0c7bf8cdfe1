//! The transfers view: every upload with its progress; cancel, retry, copy a link.

use std::path::PathBuf;
use std::time::Instant;

use ratatui::crossterm::event::KeyEvent;

use super::keys::{self, Action};
use super::popup::{ConfirmAction, ConfirmPopup, Popup, TransfersView};
use super::uploads::UploadState;
use super::{App, Command, Level};
use crate::api::{ApiError, UploadedFile};
use crate::format::plural;

/// A file that passed the checks before upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub path: PathBuf,
    pub size: u64,
    /// Set when the file does not look like a video.
    pub warning: Option<String>,
}

impl App {
    pub(super) fn open_transfers(&mut self) {
        let cursor = self
            .uploads
            .items
            .iter()
            .position(|u| u.state.is_active())
            .unwrap_or(0);
        self.popup = Some(Popup::Transfers(TransfersView { cursor, offset: 0 }));
    }

    pub(super) fn on_transfers_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let count = self.uploads.items.len();
        let Some(Popup::Transfers(view)) = &mut self.popup else {
            return Vec::new();
        };
        let selected = self.uploads.items.get(view.cursor).map(|u| u.id);
        match keys::action_for(keys::TRANSFERS, &key) {
            Some(Action::Close) => self.popup = None,
            Some(Action::Up) => view.cursor = view.cursor.saturating_sub(1),
            Some(Action::Down) => view.cursor = (view.cursor + 1).min(count.saturating_sub(1)),
            Some(Action::Upload) => return self.open_picker(),
            Some(Action::Cancel) => {
                if let Some(id) = selected {
                    return self.cancel_upload(id);
                }
            }
            Some(Action::Retry) => {
                if let Some(id) = selected {
                    return self.retry_upload(id);
                }
            }
            Some(Action::CopyLink) => {
                if let Some(UploadState::Done { url, .. }) = selected
                    .and_then(|id| self.uploads.get(id))
                    .map(|u| u.state.clone())
                {
                    self.notify(Level::Info, format!("Copied {url}"));
                    return vec![Command::Copy(url)];
                }
                self.notify(Level::Info, "Only a finished upload has a link");
            }
            _ => {}
        }
        Vec::new()
    }

    fn cancel_upload(&mut self, id: u64) -> Vec<Command> {
        let Some(upload) = self.uploads.get_mut(id) else {
            return Vec::new();
        };
        if !upload.state.is_active() {
            self.notify(
                Level::Info,
                "Only a queued or running upload can be cancelled",
            );
            return Vec::new();
        }
        // The transfer stops at once: the worker drops the connection.
        upload.state = UploadState::Cancelled;
        let name = upload.name.clone();
        self.notify(Level::Info, format!("Cancelled {name}"));
        vec![Command::CancelUpload { id }]
    }

    fn retry_upload(&mut self, id: u64) -> Vec<Command> {
        let Some(upload) = self.uploads.get(id) else {
            return Vec::new();
        };
        if !matches!(
            upload.state,
            UploadState::Failed(_) | UploadState::Cancelled
        ) {
            self.notify(
                Level::Info,
                "Only a failed or cancelled upload can be retried",
            );
            return Vec::new();
        }
        let command = Command::StartUpload {
            id,
            path: upload.path.clone(),
            fld_id: upload.fld_id,
        };
        self.uploads.reset(id);
        vec![command]
    }

    /// Quit, unless uploads run: then ask first.
    pub(super) fn request_quit(&mut self) {
        let running = self.uploads.active().count();
        if running == 0 {
            self.quit = true;
        } else {
            self.popup = Some(Popup::Confirm(ConfirmPopup {
                question: format!(
                    "{} still running. Quit and stop {}?",
                    plural(running, "upload is").replace("uploads is", "uploads are"),
                    if running == 1 { "it" } else { "them" }
                ),
                action: ConfirmAction::Quit,
            }));
        }
    }

    pub(super) fn on_uploads_checked(
        &mut self,
        accepted: Vec<CheckedFile>,
        refused: Vec<String>,
    ) -> Vec<Command> {
        let (fld_id, folder_path) = match &self.popup {
            Some(Popup::Upload(p)) => (p.fld_id, p.folder_path.clone()),
            _ => (self.tree.selected, self.tree.path(self.tree.selected)),
        };
        if accepted.is_empty() {
            // Nothing to send: say why in the picker, which stays open.
            if let Some(Popup::Upload(p)) = &mut self.popup {
                p.checking = false;
                p.error = Some(refused.join("; "));
            } else if !refused.is_empty() {
                self.notify(Level::Error, refused.join("; "));
            }
            return Vec::new();
        }
        let mut commands = Vec::new();
        let mut warnings = Vec::new();
        for file in accepted {
            if let Some(w) = &file.warning {
                warnings.push(w.clone());
            }
            let id = self.uploads.push(
                file.path.clone(),
                file.size,
                fld_id,
                folder_path.clone(),
                file.warning,
            );
            commands.push(Command::StartUpload {
                id,
                path: file.path,
                fld_id,
            });
        }
        self.open_transfers();
        let mut notes = refused;
        notes.extend(warnings);
        if !notes.is_empty() {
            self.notify(Level::Warn, notes.join("; "));
        }
        commands
    }

    pub(super) fn on_upload_progress(&mut self, id: u64, sent: u64, at: Instant) {
        self.uploads.progress(id, sent, at);
    }

    pub(super) fn on_upload_finished(
        &mut self,
        id: u64,
        result: Result<UploadedFile, ApiError>,
    ) -> Vec<Command> {
        let Some(upload) = self.uploads.get_mut(id) else {
            return Vec::new();
        };
        if upload.state == UploadState::Cancelled {
            return Vec::new(); // the user cancelled; a late answer changes nothing
        }
        match result {
            Ok(done) => {
                upload.sent = upload.size;
                upload.state = UploadState::Done {
                    code: done.file_code.clone(),
                    url: done.url.clone(),
                };
                let name = upload.name.clone();
                // The file lands in the root when the move into the folder failed.
                let folder = if done.folder_error.is_some() {
                    0
                } else {
                    upload.fld_id
                };
                match &done.folder_error {
                    Some(e) => self.notify(
                        Level::Warn,
                        format!("Uploaded {name} to / but could not move it into its folder: {e}"),
                    ),
                    None if done.recovered => self.notify(
                        Level::Info,
                        format!("Uploaded {name} (the reply was lost; the file was found on the account)"),
                    ),
                    None => self.notify(Level::Info, format!("Uploaded {name}")),
                }
                let mut commands = vec![Command::LoadAccount];
                if self.files.cache.contains_key(&folder) {
                    commands.extend(self.reload_files(folder, false));
                }
                commands
            }
            Err(e) => {
                let name = upload.name.clone();
                upload.state = UploadState::Failed(e.to_string());
                self.notify(Level::Error, format!("Upload of {name} failed: {e}"));
                Vec::new()
            }
        }
    }
}
