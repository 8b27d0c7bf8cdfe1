//! Before an upload is sent: written to the queue file, and checked for a file of the same name
//! and size in its folder (names compare in any case, with and without the extension, as the
//! live service may drop it). The folder's rows are used when the whole folder is listed;
//! otherwise the worker lists it to its end. A file already there waits for a choice: skip it
//! (Enter, Esc) or send it anyway (`a`); skipped, its row says where it is.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use ratatui::text::{Line, Span};

use super::{Component, Popup, draw_question};
use crate::api::FileInfo;
use crate::app::keys::{self, Action, Scope};
use crate::app::list::ListState;
use crate::app::paint::Scene;
use crate::app::uploads::{DupCheck, UploadState};
use crate::app::{App, Command, Level};
use crate::format::plural;
use crate::queue::{KnownFiles, NewEntry, find_duplicate};
use crate::text::fit;

/// The rows whose file is on the account already (state `Duplicate`) are what it shows.
#[derive(Debug, Clone, Default)]
pub struct DuplicatesPopup {
    pub list: ListState,
}

/// What the check found for one upload.
enum Verdict {
    Passed,
    There {
        code: String,
    },
    Unchecked(String),
    /// The folder's files are not known yet: listed first.
    List,
}

impl App {
    /// The files of a folder when all of them are known (listed to the end, nothing missing).
    pub fn complete_rows(&self, fld_id: u64) -> Option<&[FileInfo]> {
        self.files
            .cache
            .get(&fld_id)
            .filter(|l| l.complete && l.incomplete.is_none() && l.error.is_none())
            .map(|l| l.files.as_slice())
    }

    /// Writes rows to the queue file (new files, or entries claimed to resume); the folders
    /// their check needs are listed in the same go.
    pub(in crate::app) fn prepare_uploads(
        &mut self,
        enqueue: Vec<(u64, NewEntry)>,
    ) -> Vec<Command> {
        let ids: Vec<u64> = enqueue.iter().map(|(id, _)| *id).collect();
        let list_folders = self.folders_to_list(&ids);
        vec![Command::PrepareUploads {
            enqueue,
            list_folders,
        }]
    }

    /// Paused rows taken over by their entries in the queue file ((row, entry) each), and the
    /// folders their check for duplicates needs listed.
    pub(in crate::app) fn take_uploads(&mut self, take: Vec<(u64, u64)>) -> Vec<Command> {
        let ids: Vec<u64> = take.iter().map(|(id, _)| *id).collect();
        let list_folders = self.folders_to_list(&ids);
        vec![Command::TakeUploads { take, list_folders }]
    }

    /// The folders that rows `ids` need listed for their check for duplicates, not asked for
    /// yet.
    fn folders_to_list(&mut self, ids: &[u64]) -> Vec<u64> {
        let mut list_folders = Vec::new();
        for id in ids {
            let Some(upload) = self.uploads.get(*id) else {
                continue;
            };
            let fld = upload.fld_id;
            if upload.dup == DupCheck::Needed
                && self.complete_rows(fld).is_none()
                && self.dup_listing.insert(fld)
            {
                list_folders.push(fld);
            }
        }
        list_folders
    }

    /// Checks the uploads that wait for it, from the rows the app holds and the listings just
    /// come (`listed`); asks for the listings still missing.
    pub(in crate::app) fn check_duplicates(
        &mut self,
        listed: &HashMap<u64, KnownFiles>,
    ) -> Vec<Command> {
        let mut verdicts = Vec::new();
        for u in &self.uploads.items {
            if u.state != UploadState::Queued || u.entry.is_none() || u.dup != DupCheck::Needed {
                continue;
            }
            let rows = match (self.complete_rows(u.fld_id), listed.get(&u.fld_id)) {
                (Some(rows), _) => Ok(rows),
                (None, Some(KnownFiles::Listed(rows))) => Ok(rows.as_slice()),
                (None, Some(KnownFiles::Unlisted(why))) => Err(why.clone()),
                (None, None) => {
                    verdicts.push((u.id, Verdict::List));
                    continue;
                }
            };
            let verdict = match rows {
                Ok(rows) => match find_duplicate(rows, &u.name, u.size) {
                    Some(row) => Verdict::There {
                        code: row.file_code.clone(),
                    },
                    None => Verdict::Passed,
                },
                Err(why) => Verdict::Unchecked(format!(
                    "not sent: {} could not be checked for a file of the same name and size: {why}",
                    u.folder_path
                )),
            };
            verdicts.push((u.id, verdict));
        }
        let mut list_folders = Vec::new();
        for (id, verdict) in verdicts {
            let link = match &verdict {
                Verdict::There { code } => self.link(code),
                _ => String::new(),
            };
            let Some(upload) = self.uploads.get_mut(id) else {
                continue;
            };
            match verdict {
                Verdict::Passed => upload.dup = DupCheck::Passed,
                Verdict::There { code } => {
                    upload.state = UploadState::Duplicate { code, url: link };
                }
                Verdict::Unchecked(why) => upload.state = UploadState::Failed(why),
                Verdict::List => {
                    let fld = upload.fld_id;
                    if self.dup_listing.insert(fld) {
                        list_folders.push(fld);
                    }
                }
            }
        }
        if list_folders.is_empty() {
            Vec::new()
        } else {
            vec![Command::PrepareUploads {
                enqueue: Vec::new(),
                list_folders,
            }]
        }
    }

    /// The rows whose file is on the account already: (name, link).
    pub fn duplicate_rows(&self) -> Vec<(&str, &str)> {
        self.uploads
            .items
            .iter()
            .filter_map(|u| match &u.state {
                UploadState::Duplicate { url, .. } => Some((u.name.as_str(), url.as_str())),
                _ => None,
            })
            .collect()
    }

    /// The question "already on the account": its text, and how long its list is (one file
    /// is named in the text, several are listed).
    pub fn duplicates_question(&self) -> (String, usize) {
        let there = self.duplicate_rows();
        let key = |a| self.keymap.key_label(keys::Scope::Duplicates, a);
        let (skip, anyway) = (key(Action::Confirm), key(Action::SendAnyway));
        match there.as_slice() {
            [(name, url)] => (
                format!(
                    "Already on the account: {name} → {url}\nA file of the same name and size \
                     is in its folder. {skip} skips it; {anyway} sends it anyway."
                ),
                0,
            ),
            _ => (
                format!(
                    "{} already on the account (a file of the same name and size is in the \
                     folder). {skip} skips them, the rest is sent; {anyway} sends them anyway.",
                    plural(there.len(), "file")
                ),
                there.len(),
            ),
        }
    }

    /// The files already on the account are not sent: each row says where the file is, and
    /// its entry in the queue file is done.
    fn skip_duplicates(&mut self) -> Vec<Command> {
        let mut items = Vec::new();
        let mut said = Vec::new();
        for u in &mut self.uploads.items {
            if let UploadState::Duplicate { code, url } = &u.state {
                said.push(format!("{} → {url}", u.name));
                if let Some(entry) = &u.entry {
                    items.push((entry.id, code.clone(), url.clone()));
                }
                u.state = UploadState::Skipped {
                    code: code.clone(),
                    url: url.clone(),
                };
            }
        }
        let n = said.len();
        match said.as_slice() {
            [] => return Vec::new(),
            [one] => self.notify(
                Level::Info,
                format!(
                    "Already on the account: {one} (not sent; R in the transfers view sends it \
                     anyway)"
                ),
            ),
            _ => {
                for line in said {
                    self.log(
                        Level::Info,
                        format!("Already on the account: {line} (not sent)"),
                    );
                }
                self.notify(
                    Level::Info,
                    format!(
                        "{} already on the account, not sent (M lists them; R in the transfers \
                         view sends one anyway)",
                        plural(n, "file")
                    ),
                );
            }
        }
        let mut commands = vec![Command::RecordSkipped { items }];
        commands.extend(self.start_queued());
        commands
    }
}

impl Component for DuplicatesPopup {
    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let theme = app.theme;
        let width = area.width.saturating_sub(8).clamp(26, 80) as usize;
        let there = app.duplicate_rows();
        let (head, _) = app.duplicates_question();
        let lines = if there.len() > 1 {
            there
                .iter()
                .map(|(name, url)| {
                    let name = fit(name, width / 2);
                    Line::from(vec![
                        Span::raw(format!("  {name} → ")),
                        Span::styled(
                            fit(url, width.saturating_sub(name.chars().count() + 6)),
                            theme.accent(),
                        ),
                    ])
                })
                .collect()
        } else {
            Vec::new()
        };
        draw_question(
            frame,
            app,
            area,
            "Already on the account",
            &head,
            lines,
            Some(self.list.offset),
            Scope::Duplicates,
        );
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        // The question "already on the account": Enter or Esc skips them, `a` sends them anyway.
        match app.keymap.action_for(keys::Scope::Duplicates, &key) {
            Some(action) if action.moves() => {
                let (head, len) = app.duplicates_question();
                let (w, h) = app.size;
                let rows = crate::geometry::question_box(w, h, &head, len).rows;
                if let Some(Popup::Duplicates(p)) = &mut app.popup {
                    p.list.scroll(action, len, rows);
                }
                Vec::new()
            }
            Some(Action::Confirm | Action::Close) => {
                app.popup = None;
                app.skip_duplicates()
            }
            Some(Action::SendAnyway) => {
                app.popup = None;
                let mut n = 0;
                for u in &mut app.uploads.items {
                    if matches!(u.state, UploadState::Duplicate { .. }) {
                        u.state = UploadState::Queued;
                        u.dup = DupCheck::Passed;
                        n += 1;
                    }
                }
                app.notify(Level::Info, format!("Sending {} anyway", plural(n, "file")));
                app.start_queued()
            }
            _ => Vec::new(),
        }
    }
}
