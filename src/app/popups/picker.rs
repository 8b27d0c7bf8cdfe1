//! The upload picker: a local file browser. The path input at the top has focus; the listing
//! below shows the directory the path names, narrowed by what is typed after the last `/`.

use std::path::{Path, PathBuf};

use ratatui::Frame;
use ratatui::crossterm::event::{Event as TermEvent, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{Component, ListPicker, Popup, draw_list_picker};
use crate::app::keys::{self, Action, Scope};
use crate::app::list::ListState;
use crate::app::paint::Scene;
use crate::app::{App, Command, Level};
use crate::format;
use crate::text::{pad, pad_left};
use crate::theme;

/// An entry of a local directory in the upload picker.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LocalEntry {
    /// For display: a name that is not UTF-8 shows with replacement characters.
    pub name: String,
    pub is_dir: bool,
    pub size: Option<u64>,
    /// The entry's real path, whatever bytes its name holds (`None` for `..`).
    pub path: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone)]
pub struct UploadPicker {
    /// A path: the part up to the last `/` is the directory listed, the rest narrows it.
    pub input: Input,
    /// The directory listed (as typed), once asked for.
    pub dir: Option<String>,
    pub entries: Vec<LocalEntry>,
    pub loading: bool,
    pub error: Option<String>,
    /// Over the visible entries.
    pub list: ListState,
    /// Marked files and directories, in the order they were marked.
    pub marked: Vec<std::path::PathBuf>,
    /// The marked directories (among `marked`): their trees are uploaded.
    pub marked_dirs: Vec<std::path::PathBuf>,
    /// Where the files go.
    pub fld_id: u64,
    pub folder_path: String,
    /// The files are being checked before they are queued.
    pub checking: bool,
}

/// The directory part of a typed path (up to and including the last `/`) and the rest.
pub fn split_path(text: &str) -> (&str, &str) {
    match text.rfind('/') {
        Some(at) => (&text[..=at], &text[at + 1..]),
        None => ("", text),
    }
}

impl UploadPicker {
    pub fn new(cwd: &Path, fld_id: u64, folder_path: String) -> UploadPicker {
        let mut start = cwd.display().to_string();
        if !start.ends_with('/') {
            start.push('/');
        }
        UploadPicker {
            input: Input::new(start),
            dir: None,
            entries: Vec::new(),
            loading: false,
            error: None,
            list: ListState::default(),
            marked: Vec::new(),
            marked_dirs: Vec::new(),
            fld_id,
            folder_path,
            checking: false,
        }
    }

    /// The directory the input names, as typed.
    pub fn typed_dir(&self) -> String {
        split_path(self.input.value()).0.to_string()
    }

    fn fragment(&self) -> String {
        split_path(self.input.value()).1.to_string()
    }

    /// The entries shown: `..` first (outside the root), then those whose name starts with
    /// what is typed after the last `/` (any case).
    pub fn visible(&self) -> Vec<LocalEntry> {
        let fragment = self.fragment().to_lowercase();
        let mut out = Vec::new();
        if fragment.is_empty() && self.dir.as_deref().is_some_and(|d| d != "/") {
            out.push(LocalEntry {
                name: "..".into(),
                is_dir: true,
                size: None,
                path: None,
            });
        }
        out.extend(
            self.entries
                .iter()
                .filter(|e| e.name.to_lowercase().starts_with(&fragment))
                .filter(|e| !e.name.starts_with('.') || fragment.starts_with('.'))
                .cloned(),
        );
        out
    }

    /// The path a marked or chosen entry uploads from: its real path where the listing gave
    /// one (a name that is not UTF-8 still works), else the typed directory and the name.
    pub fn path_of(&self, entry: &LocalEntry) -> PathBuf {
        entry
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("{}{}", self.typed_dir(), entry.name)))
    }

    fn set_text(&mut self, text: String) {
        self.input = Input::new(text);
        self.list = ListState::default();
    }
}

impl App {
    /// Opens the picker on the current directory, for the highlighted folder.
    pub(in crate::app) fn open_picker(&mut self) -> Vec<Command> {
        let fld_id = self.tree.selected;
        let picker = UploadPicker::new(&self.cwd, fld_id, self.tree.path(fld_id));
        self.open(picker);
        self.picker_follow_input()
    }

    /// Lists the directory the input names, when it changed.
    fn picker_follow_input(&mut self) -> Vec<Command> {
        let Some(Popup::Upload(p)) = &mut self.popup else {
            return Vec::new();
        };
        let dir = p.typed_dir();
        if dir.is_empty() || p.dir.as_deref() == Some(dir.as_str()) {
            return Vec::new();
        }
        p.dir = Some(dir.clone());
        p.entries.clear();
        p.loading = true;
        p.error = None;
        p.list = ListState::default();
        vec![Command::ReadDir { path: dir }]
    }

    /// Rows of entries the picker shows.
    pub fn picker_height(&self) -> usize {
        crate::geometry::picker_list_height(self.size.1)
    }
}

fn common_prefix<'a>(mut names: impl Iterator<Item = &'a str>) -> String {
    let Some(first) = names.next() else {
        return String::new();
    };
    let mut prefix: Vec<char> = first.chars().collect();
    for name in names {
        let common = prefix
            .iter()
            .zip(name.chars())
            .take_while(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
            .count();
        prefix.truncate(common);
    }
    prefix.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_at_the_last_slash() {
        assert_eq!(split_path("/home/u/vid"), ("/home/u/", "vid"));
        assert_eq!(split_path("/home/u/"), ("/home/u/", ""));
        assert_eq!(split_path("name"), ("", "name"));
    }

    #[test]
    fn completion_prefix() {
        assert_eq!(
            common_prefix(["episode01.mp4", "episode02.mp4"].into_iter()),
            "episode0"
        );
        assert_eq!(common_prefix(["a", "b"].into_iter()), "");
    }
}

impl Component for UploadPicker {
    fn available(&self, _app: &App, action: Action) -> bool {
        !self.checking || action == Action::Close
    }

    fn busy(&self) -> bool {
        self.loading || self.checking
    }

    fn input(&mut self) -> Option<&mut Input> {
        Some(&mut self.input)
    }

    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let theme = app.theme;
        let list_h = crate::geometry::picker_list_height(area.height);
        let at = draw_list_picker(
            frame,
            app,
            area,
            ListPicker {
                title: &format!("Upload into {}", self.folder_path),
                widest: 90,
                rows: list_h,
                label: "Path",
                input: &self.input,
                typing: !self.checking,
                error: self.error.as_deref(),
                scope: Scope::UploadPicker,
            },
        );
        let w = at.list.width as usize;
        let visible = self.visible();
        let size_w = 10;
        let lines: Vec<Line> = self
            .list
            .shown(visible.iter(), list_h)
            .map(|(i, entry)| {
                let path = self.path_of(entry);
                let marked = self.marked.contains(&path);
                let name = if entry.is_dir {
                    format!("{}/", entry.name)
                } else {
                    entry.name.clone()
                };
                let size = entry
                    .size
                    .filter(|_| !entry.is_dir)
                    .map(format::size)
                    .unwrap_or_default();
                let text = format!(
                    "{}{}{}",
                    if marked { "● " } else { "  " },
                    pad(&name, w.saturating_sub(size_w + 2)),
                    pad_left(&size, size_w)
                );
                let mut style = if entry.is_dir {
                    theme.hint_key()
                } else if marked {
                    theme.marked()
                } else {
                    Style::new()
                };
                if i == self.list.cursor {
                    style = theme.selected(true);
                }
                Line::styled(text, style)
            })
            .collect();
        let list = at.list;
        if lines.is_empty() {
            let text = if self.loading {
                format!("{} Reading the directory…", theme::spinner(app.spinner))
            } else if self.entries.is_empty() && self.error.is_none() {
                "Empty directory".to_string()
            } else {
                "Nothing here starts with what is typed".to_string()
            };
            frame.render_widget(Paragraph::new(Span::styled(text, theme.dim())), list);
        } else {
            frame.render_widget(Paragraph::new(lines), list);
        }

        let status = if let Some(e) = &self.error {
            Line::styled(e.clone(), theme.error())
        } else if self.checking {
            let what = if self.marked_dirs.is_empty() {
                "Checking the files…"
            } else {
                "Reading the directories and the folders they go to…"
            };
            Line::styled(
                format!("{} {what}", theme::spinner(app.spinner)),
                theme.dim(),
            )
        } else if !self.marked.is_empty() {
            let dirs = self.marked_dirs.len();
            let files = self.marked.len() - dirs;
            let what = match (files, dirs) {
                (_, 0) => format::plural(files, "file"),
                (0, _) => format::plural(dirs, "directory").replace("directorys", "directories"),
                _ => format!(
                    "{} and {}",
                    format::plural(files, "file"),
                    format::plural(dirs, "directory").replace("directorys", "directories")
                ),
            };
            let then = if dirs > 0 {
                "Enter shows what their upload does"
            } else {
                "Enter uploads them"
            };
            Line::styled(format!("{what} marked · {then}"), theme.marked())
        } else {
            Line::styled(
                format!(
                    "Files over {} are refused",
                    format::size(app.max_upload_bytes)
                ),
                theme.dim(),
            )
        };
        frame.render_widget(
            Paragraph::new(status).wrap(ratatui::widgets::Wrap { trim: true }),
            at.status,
        );
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let height = app.picker_height();
        let max_bytes = app.max_upload_bytes;
        let Some(Popup::Upload(p)) = &mut app.popup else {
            return Vec::new();
        };
        if p.checking {
            if app.keymap.action_for(keys::Scope::UploadPicker, &key) == Some(Action::Close) {
                app.popup = None;
            }
            return Vec::new();
        }
        let visible = p.visible();
        let action = app.keymap.action_for(keys::Scope::UploadPicker, &key);
        // Space types a space while a name is being typed; on an empty name it marks.
        let action = match action {
            Some(Action::Mark)
                if key.code == ratatui::crossterm::event::KeyCode::Char(' ')
                    && !p.fragment().is_empty() =>
            {
                None
            }
            other => other,
        };
        match action {
            Some(Action::Close) => {
                app.popup = None;
                Vec::new()
            }
            Some(a @ (Action::Up | Action::Down | Action::PageUp | Action::PageDown)) => {
                p.list.apply(a, visible.len(), height);
                Vec::new()
            }
            Some(Action::ClearInput) => {
                p.set_text(String::new());
                p.error = None;
                Vec::new()
            }
            Some(Action::Mark) => {
                if let Some(entry) = visible.get(p.list.cursor).filter(|e| e.name != "..") {
                    let path = p.path_of(entry);
                    if let Some(at) = p.marked.iter().position(|m| *m == path) {
                        p.marked.remove(at);
                        p.marked_dirs.retain(|d| *d != path);
                    } else {
                        if entry.is_dir {
                            p.marked_dirs.push(path.clone());
                        }
                        p.marked.push(path);
                    }
                }
                p.list.apply(Action::Down, visible.len(), height);
                Vec::new()
            }
            Some(Action::Complete) => {
                let fragment = p.fragment().to_lowercase();
                let matches: Vec<&LocalEntry> = visible.iter().filter(|e| e.name != "..").collect();
                let dir = p.typed_dir();
                match matches.as_slice() {
                    [] => {}
                    [only] => {
                        let suffix = if only.is_dir { "/" } else { "" };
                        p.set_text(format!("{dir}{}{suffix}", only.name));
                    }
                    many => {
                        let prefix = common_prefix(many.iter().map(|e| e.name.as_str()));
                        if prefix.chars().count() > fragment.chars().count() {
                            p.set_text(format!("{dir}{prefix}"));
                        }
                    }
                }
                app.picker_follow_input()
            }
            Some(Action::Confirm) => {
                if !p.marked_dirs.is_empty() {
                    // A directory among the marks: its tree, and the marked files with it.
                    p.checking = true;
                    p.error = None;
                    let (paths, fld_id, folder_path) =
                        (p.marked.clone(), p.fld_id, p.folder_path.clone());
                    return app.plan_tree(paths, fld_id, folder_path);
                }
                if !p.marked.is_empty() {
                    let paths = p.marked.clone();
                    p.checking = true;
                    return vec![Command::CheckUploads { paths, max_bytes }];
                }
                let fragment = p.fragment();
                let chosen = visible
                    .iter()
                    .find(|e| e.name == fragment)
                    .or_else(|| (visible.len() == 1).then(|| &visible[0]))
                    .or_else(|| visible.get(p.list.cursor))
                    .cloned();
                match chosen {
                    Some(entry) if entry.name == ".." => {
                        let dir = p.typed_dir();
                        let parent = Path::new(dir.trim_end_matches('/'))
                            .parent()
                            .map(|d| d.display().to_string())
                            .unwrap_or_else(|| "/".into());
                        let parent = if parent.ends_with('/') {
                            parent
                        } else {
                            format!("{parent}/")
                        };
                        p.set_text(parent);
                        app.picker_follow_input()
                    }
                    Some(entry) if entry.is_dir => {
                        let text = format!("{}{}/", p.typed_dir(), entry.name);
                        p.set_text(text);
                        app.picker_follow_input()
                    }
                    Some(entry) => {
                        let path = p.path_of(&entry);
                        p.checking = true;
                        vec![Command::CheckUploads {
                            paths: vec![path],
                            max_bytes,
                        }]
                    }
                    // Nothing listed (yet): let the checks say what the typed path is.
                    None if !fragment.is_empty() => {
                        p.checking = true;
                        vec![Command::CheckUploads {
                            paths: vec![PathBuf::from(p.input.value())],
                            max_bytes,
                        }]
                    }
                    None => Vec::new(),
                }
            }
            _ => {
                p.input.handle_event(&TermEvent::Key(key));
                p.list = ListState::default();
                p.error = None;
                app.picker_follow_input()
            }
        }
    }
}

/// A file that passed the checks before upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub path: PathBuf,
    pub size: u64,
    /// Set when the file does not look like a video.
    pub warning: Option<String>,
}

impl App {
    /// The check of the picked files: those that passed are queued, the picker closes and the
    /// transfers view shows them; when none passed, the picker says why.
    pub(in crate::app) fn on_uploads_checked(
        &mut self,
        accepted: Vec<CheckedFile>,
        refused: Vec<(PathBuf, String)>,
    ) -> Vec<Command> {
        let (fld_id, folder_path) = match &self.popup {
            Some(Popup::Upload(p)) => (p.fld_id, p.folder_path.clone()),
            _ => (self.tree.selected, self.tree.path(self.tree.selected)),
        };
        let reasons: Vec<String> = refused
            .iter()
            .map(|(path, why)| format!("{}: {why}", path.display()))
            .collect();
        // The transfers view lists the refused files too, with the reason.
        for (path, why) in refused {
            self.uploads
                .push_refused(path, fld_id, folder_path.clone(), why);
        }
        if accepted.is_empty() {
            // Nothing to send: say why in the picker, which stays open.
            if let Some(Popup::Upload(p)) = &mut self.popup {
                p.checking = false;
                p.error = Some(reasons.join("; "));
            } else if !reasons.is_empty() {
                self.notify(Level::Error, reasons.join("; "));
            }
            return Vec::new();
        }
        let mut warnings = Vec::new();
        let mut enqueue = Vec::new();
        for file in accepted {
            if let Some(w) = &file.warning {
                warnings.push(w.clone());
            }
            let new = crate::queue::NewEntry {
                path: file.path.clone(),
                size: file.size,
                mtime: None,
                folder: fld_id,
                folder_path: Some(folder_path.clone()),
                allow_duplicate: false,
                hook: None,
            };
            let id = self.uploads.push(
                file.path,
                file.size,
                fld_id,
                folder_path.clone(),
                file.warning,
            );
            enqueue.push((id, new));
        }
        // Written to the queue file (and checked for duplicates) before anything is sent.
        let commands = self.prepare_uploads(enqueue);
        // The picker's work is done: the transfers view shows where the files are.
        if matches!(self.popup, Some(Popup::Upload(_))) {
            self.popup = None;
        }
        self.open_transfers();
        let mut notes = reasons;
        notes.extend(warnings);
        if !notes.is_empty() {
            self.notify(Level::Warn, notes.join("; "));
        }
        commands
    }

    /// A directory's listing, for the picker still showing it.
    pub(in crate::app) fn on_dir_listed(
        &mut self,
        path: String,
        result: Result<Vec<LocalEntry>, String>,
    ) -> Vec<Command> {
        if let Some(Popup::Upload(p)) = &mut self.popup
            && p.dir.as_deref() == Some(path.as_str())
        {
            p.loading = false;
            match result {
                Ok(entries) => p.entries = entries,
                Err(e) => p.error = Some(e),
            }
        }
        Vec::new()
    }
}
