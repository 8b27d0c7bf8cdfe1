//! Move: a folder picker with a filter input on top; the marked files (or the highlighted
//! one) go to the folder chosen, and show there at once.

use std::collections::HashSet;

use ratatui::Frame;
use ratatui::crossterm::event::{Event as TermEvent, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{Component, ListPicker, Popup, draw_list_picker};
use crate::api::{ApiError, FileInfo};
use crate::app::keys::{Action, Scope};
use crate::app::list::ListState;
use crate::app::paint::Scene;
use crate::app::tree::FolderTree;
use crate::app::{App, Command, Level};
use crate::format::{self, plural};
use crate::text::{fit, pad};
use crate::theme;

#[derive(Debug, Clone)]
pub struct MovePopup {
    pub files: Vec<FileInfo>,
    pub from: u64,
    pub filter: Input,
    /// Over the filtered list of folders.
    pub list: ListState,
    /// Sent as this request; waiting for its answer.
    pub pending: Option<u64>,
    pub error: Option<String>,
    /// Marked files the filter hides (they move too).
    pub hidden: usize,
}

impl MovePopup {
    /// Moves `files` out of `from` (`hidden` of them marked but hidden by the filter).
    pub fn files(files: Vec<FileInfo>, from: u64, hidden: usize) -> MovePopup {
        MovePopup {
            hidden,
            files,
            from,
            filter: Input::default(),
            list: ListState::default(),
            pending: None,
            error: None,
        }
    }

    /// The folders it offers, filtered by its input: (id, path).
    pub fn choices(&self, tree: &FolderTree) -> Vec<(u64, String)> {
        let needle = self.filter.value().to_lowercase();
        tree.all_paths()
            .into_iter()
            .filter(|(_, path)| {
                needle
                    .split_whitespace()
                    .all(|w| path.to_lowercase().contains(w))
            })
            .collect()
    }
}

impl Component for MovePopup {
    super::sends_one_change!(filter);

    fn walks_folders(&self) -> bool {
        true
    }

    fn settle(&mut self, app: &App) {
        let len = self.choices(&app.tree).len();
        self.list
            .settle(len, crate::geometry::move_list_height(app.size.1));
    }

    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let theme = app.theme;
        let list_h = crate::geometry::move_list_height(area.height);
        let what = if self.files.len() == 1 && self.hidden == 0 {
            fit(
                self.files[0]
                    .name
                    .as_deref()
                    .unwrap_or(&self.files[0].file_code),
                40,
            )
        } else if self.hidden > 0 {
            format!(
                "{} ({} hidden by the filter)",
                format::plural(self.files.len(), "file"),
                self.hidden
            )
        } else {
            format::plural(self.files.len(), "file")
        };
        let at = draw_list_picker(
            frame,
            app,
            area,
            ListPicker {
                title: &format!("Move {what} to…"),
                widest: 72,
                rows: list_h,
                label: "Filter",
                input: &self.filter,
                typing: !self.busy(),
                error: self.error.as_deref(),
                scope: Scope::MovePicker,
            },
        );
        let w = at.list.width;
        let choices = self.choices(&app.tree);
        let lines: Vec<Line> = self
            .list
            .shown(choices.iter(), list_h)
            .map(|(i, (id, path))| {
                let mut text = format!(" {path}");
                if *id == self.from {
                    text.push_str("  (current)");
                }
                let line = Line::from(pad(&text, w as usize));
                if i == self.list.cursor {
                    line.style(theme.selected(true))
                } else if *id == self.from {
                    line.style(theme.dim())
                } else {
                    line
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), at.list);

        let status = if let Some(e) = &self.error {
            Line::styled(e.clone(), theme.error())
        } else if self.busy() {
            Line::styled(
                format!("{} Moving…", theme::spinner(app.spinner)),
                theme.dim(),
            )
        } else if !app.tree.unloaded().is_empty() || app.tree.all_paths().is_empty() {
            Line::styled(
                format!("{} Listing folders…", theme::spinner(app.spinner)),
                theme.dim(),
            )
        } else if choices.is_empty() {
            Line::styled("No folder matches the filter", theme.dim())
        } else {
            Line::styled(format!("{} folders", choices.len()), theme.dim())
        };
        frame.render_widget(
            Paragraph::new(status).wrap(ratatui::widgets::Wrap { trim: true }),
            at.status,
        );
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let choices = match &app.popup {
            Some(Popup::Move(p)) => p.choices(&app.tree),
            _ => return Vec::new(),
        };
        let height = crate::geometry::move_list_height(app.size.1);
        let req = app.next_req();
        let Some(Popup::Move(p)) = &mut app.popup else {
            return Vec::new();
        };
        match app.keymap.action_for(Scope::MovePicker, &key) {
            Some(Action::Close) => {
                let was_pending = p.busy();
                app.close_popup(was_pending, "move");
            }
            Some(a @ (Action::Up | Action::Down | Action::PageUp | Action::PageDown)) => {
                p.list.apply(a, choices.len(), height);
            }
            Some(Action::ClearInput) => {
                p.filter.reset();
                p.list = ListState::default();
            }
            Some(Action::Confirm) if !p.busy() => {
                let Some((to, path)) = choices.get(p.list.cursor).cloned() else {
                    p.error = Some("No folder matches the filter".into());
                    return Vec::new();
                };
                if to == p.from {
                    p.error = Some(format!("The files are already in {path}"));
                    return Vec::new();
                }
                p.pending = Some(req);
                p.error = None;
                return vec![Command::MoveFiles {
                    req,
                    codes: p.files.iter().map(|f| f.file_code.clone()).collect(),
                    from: p.from,
                    to,
                }];
            }
            Some(_) => {}
            None => {
                if !p.busy() {
                    p.filter.handle_event(&TermEvent::Key(key));
                    p.list = ListState::default();
                    p.error = None;
                }
            }
        }
        Vec::new()
    }
}

impl App {
    /// The answer to a move: the files leave their folder and show in the other at once.
    pub(in crate::app) fn on_moved(
        &mut self,
        req: u64,
        codes: Vec<String>,
        from: u64,
        to: u64,
        result: Result<(), ApiError>,
    ) -> Vec<Command> {
        match result {
            Ok(()) => {
                let codes: HashSet<String> = codes.into_iter().collect();
                self.files.anchor(from);
                self.files.anchor(to);
                let mut moved: Vec<FileInfo> = Vec::new();
                if let Some(listing) = self.files.cache.get_mut(&from) {
                    let (gone, stay): (Vec<FileInfo>, Vec<FileInfo>) = listing
                        .files
                        .drain(..)
                        .partition(|f| codes.contains(&f.file_code));
                    listing.files = stay;
                    moved = gone;
                }
                if let Some(target) = self.files.cache.get_mut(&to) {
                    let known: HashSet<String> =
                        target.files.iter().map(|f| f.file_code.clone()).collect();
                    for mut file in moved {
                        file.fld_id = Some(to);
                        if !known.contains(&file.file_code) {
                            target.files.push(file);
                        }
                    }
                }
                // The moved files left the folder: their marks go with them, where the
                // user still is in it (marks elsewhere are another folder's).
                if self.files.folder == from {
                    self.files.marked.retain(|c| !codes.contains(c));
                }
                self.files.rebuild();
                self.close_waiting(req);
                self.notify(
                    Level::Info,
                    format!(
                        "Moved {} to {}",
                        plural(codes.len(), "file"),
                        self.tree.path(to)
                    ),
                );
                // The target's listing may not have been complete: ask again.
                if self.files.cache.contains_key(&to) {
                    self.reload_files(to, false)
                } else {
                    Vec::new()
                }
            }
            Err(e) => {
                let what = format!(
                    "Moving {} to {} failed",
                    plural(codes.len(), "file"),
                    self.tree.path(to)
                );
                self.fail_waiting(req, &what, &e);
                Vec::new()
            }
        }
    }
}
