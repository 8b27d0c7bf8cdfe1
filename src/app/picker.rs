//! The upload picker: a local file browser. The path input at the top has focus; the listing
//! below shows the directory the path names, narrowed by what is typed after the last `/`.

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{Event as TermEvent, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::keys::{self, Action};
use super::list::ListState;
use super::overlay::{LocalEntry, Popup, UploadPicker};
use super::{App, Command};

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
    pub(super) fn open_picker(&mut self) -> Vec<Command> {
        let fld_id = self.tree.selected;
        let picker = UploadPicker::new(&self.cwd, fld_id, self.tree.path(fld_id));
        self.popup = Some(Popup::Upload(picker));
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

    pub(super) fn on_picker_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let height = self.picker_height();
        let max_bytes = self.max_upload_bytes;
        let Some(Popup::Upload(p)) = &mut self.popup else {
            return Vec::new();
        };
        if p.checking {
            if self.keymap.action_for(keys::Scope::UploadPicker, &key) == Some(Action::Close) {
                self.popup = None;
            }
            return Vec::new();
        }
        let visible = p.visible();
        let action = self.keymap.action_for(keys::Scope::UploadPicker, &key);
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
                self.popup = None;
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
                self.picker_follow_input()
            }
            Some(Action::Confirm) => {
                if !p.marked_dirs.is_empty() {
                    // A directory among the marks: its tree, and the marked files with it.
                    p.checking = true;
                    p.error = None;
                    let (paths, fld_id, folder_path) =
                        (p.marked.clone(), p.fld_id, p.folder_path.clone());
                    return self.plan_tree(paths, fld_id, folder_path);
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
                        self.picker_follow_input()
                    }
                    Some(entry) if entry.is_dir => {
                        let text = format!("{}{}/", p.typed_dir(), entry.name);
                        p.set_text(text);
                        self.picker_follow_input()
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
                self.picker_follow_input()
            }
        }
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
