//! What earlier runs left unfinished: read from the queue file at start and offered at once
//! ("5 uploads left unfinished: Enter resumes them, Esc keeps them paused in the transfers
//! view"); paused in the transfers view until resumed, one (`R`) or all (`A`); given up with
//! `x`. An upload another running mp4u is sending is shown as such and never taken.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use ratatui::text::Line;

use super::{Component, DuplicatesPopup, Popup, draw_question, upload_line};
use crate::app::command::Claim;
use crate::app::keys::Scope;
use crate::app::list::ListState;
use crate::app::paint::Scene;
use crate::app::uploads::Upload;
use crate::app::uploads::{DupCheck, UploadState};
use crate::app::{App, Command, Level};
use crate::format::plural;
use crate::queue::{Entry, NewEntry, State};

/// "5 uploads left unfinished": the rows offered (paused), and how many another running mp4u
/// is sending.
#[derive(Debug, Clone)]
pub struct ResumePopup {
    pub ids: Vec<u64>,
    pub busy: usize,
    /// The list scrolls when it is longer than the box.
    pub list: ListState,
}

/// The entry as a file to queue again: writing it claims the entry left behind (the queue
/// matches it by account, folder and path).
pub fn new_entry_of(entry: &Entry) -> NewEntry {
    NewEntry {
        path: entry.path.clone(),
        size: entry.size,
        mtime: entry.mtime,
        folder: entry.folder,
        folder_path: entry.folder_path.clone(),
        allow_duplicate: entry.allow_duplicate,
        hook: None,
    }
}

impl App {
    /// The queue file read at start: the unfinished uploads become paused rows and the question
    /// is offered (at once, or as soon as no other popup is open); uploads another mp4u sends
    /// are shown as such.
    pub(in crate::app) fn on_queue_loaded(
        &mut self,
        notices: Vec<String>,
        unfinished: Vec<Entry>,
        busy: Vec<Entry>,
    ) -> Vec<Command> {
        for notice in notices {
            self.notify(Level::Warn, notice);
        }
        let known = |app: &App, id: u64| {
            app.uploads
                .items
                .iter()
                .any(|u| u.entry.as_ref().is_some_and(|e| e.id == id))
        };
        let mut offered = 0;
        for entry in unfinished {
            if !known(self, entry.id) {
                let note = entry.left_note();
                self.uploads.push_entry(entry, UploadState::Paused { note });
                offered += 1;
            }
        }
        for entry in busy {
            if !known(self, entry.id) {
                let pid = entry.owner_pid();
                self.uploads
                    .push_entry(entry, UploadState::Elsewhere { pid });
            }
        }
        if offered > 0 {
            self.resume_offer = true;
        }
        Vec::new()
    }

    /// The rows a "resume all" takes: paused, and those another mp4u was sending (it may be
    /// gone by now).
    pub fn paused_ids(&self) -> Vec<u64> {
        self.uploads
            .items
            .iter()
            .filter(|u| {
                matches!(
                    u.state,
                    UploadState::Paused { .. } | UploadState::Elsewhere { .. }
                )
            })
            .map(|u| u.id)
            .collect()
    }

    /// Opens the question that waits, when no popup is open: files already on the account
    /// first (uploads wait on it), then the uploads left unfinished.
    pub(in crate::app) fn offer_waiting_questions(&mut self) {
        if self.popup.is_some() {
            return;
        }
        if self
            .uploads
            .items
            .iter()
            .any(|u| matches!(u.state, UploadState::Duplicate { .. }))
        {
            self.open(DuplicatesPopup::default());
            return;
        }
        if self.resume_offer {
            self.resume_offer = false;
            let ids: Vec<u64> = self
                .uploads
                .items
                .iter()
                .filter(|u| matches!(u.state, UploadState::Paused { .. }))
                .map(|u| u.id)
                .collect();
            let busy = self
                .uploads
                .count(|s| matches!(s, UploadState::Elsewhere { .. }));
            if !ids.is_empty() {
                self.open(ResumePopup {
                    ids,
                    busy,
                    list: Default::default(),
                });
            }
        }
    }

    /// The question of the uploads left unfinished: its text, and how long its list is (the
    /// rows offered, and a line for those another mp4u sends).
    pub fn resume_question(&self, p: &ResumePopup) -> (String, usize) {
        let rows = p
            .ids
            .iter()
            .filter(|id| self.uploads.get(**id).is_some())
            .count();
        let key = |a| self.keymap.key_label(super::keys::Scope::Resume, a);
        let them = if rows == 1 { "it" } else { "them" };
        let head = format!(
            "{} left unfinished: {} resumes {them}, {} keeps {them} paused in the transfers view.",
            plural(rows, "upload"),
            key(super::keys::Action::Confirm),
            key(super::keys::Action::Close),
        );
        (head, rows + usize::from(p.busy > 0))
    }

    /// Resumes paused rows (and rows another mp4u had): each is taken over by its entry in the
    /// queue file first, and goes on in the state the file holds now (one another mp4u
    /// finished meanwhile is done; one that may have arrived is looked for on the account
    /// before anything is sent; one whose move is owed is moved).
    pub(in crate::app) fn resume(&mut self, ids: Vec<u64>) -> Vec<Command> {
        let mut take = Vec::new();
        let mut looked_up = 0;
        for id in ids {
            let Some(upload) = self.uploads.get_mut(id) else {
                continue;
            };
            if !matches!(
                upload.state,
                UploadState::Paused { .. } | UploadState::Elsewhere { .. }
            ) {
                continue;
            }
            let Some(entry) = upload.entry.take() else {
                continue;
            };
            upload.state = UploadState::Queued;
            upload.sent = 0;
            looked_up += usize::from(entry.state.needs_lookup());
            upload.dup = if entry.allow_duplicate || entry.state.goes_to_account_first() {
                DupCheck::Passed
            } else {
                DupCheck::Needed
            };
            take.push((id, entry.id));
        }
        if take.is_empty() {
            return Vec::new();
        }
        let mut text = format!("Resuming {}", plural(take.len(), "upload"));
        if looked_up > 0 {
            text.push_str(&format!(
                " ({looked_up} may have arrived already: looked for on the account first)"
            ));
        }
        self.notify(Level::Info, text);
        self.take_uploads(take)
    }

    /// Queues rows again from the start (a cancelled one, one skipped as a duplicate and sent
    /// anyway, one the queue file could not take): a new entry, then the usual way.
    pub(in crate::app) fn requeue(&mut self, id: u64, dup: DupCheck) -> Vec<Command> {
        let Some(upload) = self.uploads.get_mut(id) else {
            return Vec::new();
        };
        let new = NewEntry {
            path: upload.path.clone(),
            size: upload.size,
            mtime: None,
            folder: upload.fld_id,
            folder_path: Some(upload.folder_path.clone()),
            allow_duplicate: dup == DupCheck::Passed,
            hook: None,
        };
        self.uploads.reset(id);
        if let Some(upload) = self.uploads.get_mut(id) {
            upload.entry = None;
            upload.dup = dup;
        }
        self.prepare_uploads(vec![(id, new)])
    }

    /// `R` on a row that is not a failed one: resumes a paused one, asks again for one another
    /// mp4u had, sends one already on the account anyway.
    pub(in crate::app) fn resume_or_send_anyway(&mut self, id: u64) -> Vec<Command> {
        let Some(upload) = self.uploads.get_mut(id) else {
            return Vec::new();
        };
        match &upload.state {
            UploadState::Paused { .. } | UploadState::Elsewhere { .. } => self.resume(vec![id]),
            UploadState::Duplicate { .. } => {
                upload.state = UploadState::Queued;
                upload.dup = DupCheck::Passed;
                let name = upload.name.clone();
                self.notify(Level::Info, format!("Sending {name} anyway"));
                self.start_queued()
            }
            UploadState::Skipped { .. } => {
                let name = upload.name.clone();
                self.notify(Level::Info, format!("Sending {name} anyway"));
                self.requeue(id, DupCheck::Passed)
            }
            _ => Vec::new(),
        }
    }

    /// The queue file's answer: each row's entry (or why it has none), and the folders listed
    /// for the check for duplicates. Then what can start, starts.
    pub(in crate::app) fn on_uploads_prepared(
        &mut self,
        queued: Vec<(u64, Claim)>,
        listings: Vec<(u64, crate::queue::KnownFiles)>,
    ) -> Vec<Command> {
        let mut commands = Vec::new();
        let mut forget = Vec::new();
        let mut finished_elsewhere = 0;
        for (id, claim) in queued {
            let Some(upload) = self
                .uploads
                .get_mut(id)
                .filter(|u| u.state == UploadState::Queued && u.entry.is_none())
            else {
                // Cancelled meanwhile: the entry is not wanted.
                if let Claim::Mine(entry) = claim {
                    forget.push(entry.id);
                }
                continue;
            };
            match claim {
                Claim::Mine(entry) => {
                    if entry.state.goes_to_account_first() {
                        let lookup = entry.lost_upload();
                        upload.state = UploadState::Checking {
                            lookup: lookup.clone(),
                        };
                        commands.push(Command::LookupUpload {
                            id,
                            lookup,
                            fld_id: upload.fld_id,
                            entry: entry.id,
                        });
                    }
                    if entry.allow_duplicate {
                        upload.dup = DupCheck::Passed;
                    }
                    let entry_id = entry.id;
                    upload.entry = Some(*entry);
                    // Queued again while paused: the paused row was this upload.
                    self.uploads.items.retain(|u| {
                        u.id == id || u.entry.as_ref().is_none_or(|e| e.id != entry_id)
                    });
                }
                Claim::Busy(entry) => {
                    upload.state = UploadState::Elsewhere {
                        pid: entry.owner_pid(),
                    };
                    // Kept, so that `R` or `A` can ask for it again.
                    upload.entry = Some(*entry);
                }
                Claim::Twice => {
                    upload.state = UploadState::Refused(
                        "already in the queue for the same folder (its other row; R there \
                         retries it)"
                            .into(),
                    );
                }
                Claim::Failed(why) => {
                    upload.state = UploadState::Failed(format!("not queued: {why}"));
                }
                // Another mp4u finished it while this one held a copy: done, nothing sent.
                Claim::Finished(entry) => {
                    let (code, url) = match &entry.state {
                        State::Done { file_code, url, .. } => (file_code.clone(), url.clone()),
                        _ => Default::default(),
                    };
                    upload.state = UploadState::Done {
                        code,
                        url,
                        placement: crate::api::Placement::InFolder {
                            fld_id: upload.fld_id,
                        },
                        moving: false,
                    };
                    upload.entry = Some(*entry);
                    finished_elsewhere += 1;
                }
                Claim::Gone => {
                    upload.state = UploadState::Refused(
                        "no longer in the upload queue (given up elsewhere)".into(),
                    );
                }
            }
        }
        if !forget.is_empty() {
            commands.push(Command::ForgetUploads { entries: forget });
        }
        if finished_elsewhere > 0 {
            self.notify(
                Level::Info,
                format!(
                    "{} finished by another mp4u meanwhile: not sent again",
                    plural(finished_elsewhere, "upload")
                ),
            );
        }
        let listed = listings
            .into_iter()
            .inspect(|(fld, _)| {
                self.dup_listing.remove(fld);
            })
            .collect();
        commands.extend(self.check_duplicates(&listed));
        commands.extend(self.start_queued());
        commands
    }
}

impl Component for ResumePopup {
    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let theme = app.theme;
        let width = area.width.saturating_sub(8).clamp(26, 80) as usize;
        let rows: Vec<&Upload> = self
            .ids
            .iter()
            .filter_map(|id| app.uploads.get(*id))
            .collect();
        let mut lines: Vec<Line> = rows
            .iter()
            .map(|u| upload_line(app.theme, u, width))
            .collect();
        if self.busy > 0 {
            lines.push(Line::styled(
                format!(
                    "  ({} more being sent by another mp4u: left to it)",
                    self.busy
                ),
                theme.dim(),
            ));
        }
        let (head, _) = app.resume_question(self);
        draw_question(
            frame,
            app,
            area,
            "Uploads left unfinished",
            &head,
            lines,
            Some(self.list.offset),
            Scope::Resume,
        );
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let Some(Popup::Resume(p)) = &app.popup else {
            return Vec::new();
        };
        let ids = p.ids.clone();
        let (head, len) = app.resume_question(p);
        match app.keymap.action_for(super::keys::Scope::Resume, &key) {
            Some(action) if action.moves() => {
                let (w, h) = app.size;
                let rows = crate::geometry::question_box(w, h, &head, len).rows;
                if let Some(Popup::Resume(p)) = &mut app.popup {
                    p.list.scroll(action, len, rows);
                }
                Vec::new()
            }
            Some(super::keys::Action::Confirm) => {
                app.popup = None;
                let commands = app.resume(ids);
                app.open_transfers();
                commands
            }
            Some(super::keys::Action::Close) => {
                app.popup = None;
                let paused = app
                    .uploads
                    .count(|s| matches!(s, UploadState::Paused { .. }));
                app.notify(
                    Level::Info,
                    format!(
                        "{} paused: t shows them, R resumes one, A all",
                        plural(paused, "upload")
                    ),
                );
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}
