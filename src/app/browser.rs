//! Keys of the browser: the folder tree and the file list.

use ratatui::crossterm::event::{Event as TermEvent, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::keys::{self, Action};
use super::popups::{
    ConfirmAction, ConfirmPopup, FormatPurpose, MovePopup, NewFolderPopup, RenamePopup, SortMenu,
};
use super::tree::ROOT;
use super::views::View;
use super::{App, Command, Focus, Level};
use crate::links::LinkFile;

impl App {
    pub(super) fn on_browser_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let Some(action) = self.keymap.action_for(keys::Scope::Browser, &key) else {
            return Vec::new();
        };
        self.browser_action(action)
    }

    pub(super) fn browser_action(&mut self, action: Action) -> Vec<Command> {
        let page = |height: usize| height.saturating_sub(1).max(1) as isize;
        match (action, self.focus) {
            (Action::SwitchFocus, _) => {
                self.focus = match self.focus {
                    Focus::Tree => Focus::Files,
                    Focus::Files => Focus::Tree,
                };
                Vec::new()
            }
            (Action::Help, _) => {
                self.view = Some(View::Help);
                Vec::new()
            }
            (Action::Messages, _) => {
                self.open_messages();
                Vec::new()
            }
            (Action::Quit, _) => {
                self.request_quit();
                Vec::new()
            }
            (Action::Upload, _) => self.open_picker(),
            (Action::Stats, _) => self.open_stats(),
            (Action::Deleted, _) => self.open_deleted(),
            (Action::Checker, _) => {
                self.open_checker();
                Vec::new()
            }
            (Action::Find, _) => self.open_search(),
            (Action::Export, _) => self.export_links(),
            (Action::Sort, _) => {
                self.open(SortMenu::at(self.files.sort));
                Vec::new()
            }
            (Action::Profiles, _) => {
                self.open_profiles();
                Vec::new()
            }
            (Action::Transfers, _) => {
                self.open_transfers();
                Vec::new()
            }
            (Action::Refresh, _) => self.refresh(),
            (Action::Suspend, _) => vec![Command::Suspend],
            (Action::Filter, _) => {
                self.focus = Focus::Files;
                self.filter_input = Some(Input::new(self.files.filter.clone()));
                Vec::new()
            }
            (Action::Close, _) => {
                if !self.files.filter.is_empty() {
                    self.files.filter.clear();
                    self.files.refilter();
                } else if !self.files.marked.is_empty() {
                    self.files.marked.clear();
                }
                Vec::new()
            }
            (Action::NewFolder, _) => {
                let parent = self.tree.selected;
                self.open(NewFolderPopup::inside(parent, self.tree.path(parent)));
                Vec::new()
            }
            (Action::Rename, Focus::Tree) => {
                let fld_id = self.tree.selected;
                if fld_id == ROOT {
                    self.notify(Level::Warn, "The root folder cannot be renamed");
                    return Vec::new();
                }
                let name = self
                    .tree
                    .node(fld_id)
                    .map(|n| n.name.clone())
                    .unwrap_or_default();
                self.open(RenamePopup::folder(fld_id, name));
                Vec::new()
            }
            (Action::Rename, Focus::Files) => {
                let targets = self.files.targets();
                if targets.is_empty() {
                    self.notify(Level::Warn, "No file to rename here");
                    return Vec::new();
                }
                self.open(RenamePopup::files(&targets, self.files.hidden_marks()));
                Vec::new()
            }
            (Action::Clone | Action::Move | Action::CopyLink | Action::Open, _) => {
                self.file_action(action)
            }
            // Tree movement.
            (Action::Up, Focus::Tree) => self.move_tree(-1),
            (Action::Down, Focus::Tree) => self.move_tree(1),
            (Action::PageUp, Focus::Tree) => self.move_tree(-page(self.tree_height())),
            (Action::PageDown, Focus::Tree) => self.move_tree(page(self.tree_height())),
            (Action::Home, Focus::Tree) => {
                self.tree.select_first();
                self.show_folder(true)
            }
            (Action::End, Focus::Tree) => {
                self.tree.select_last();
                self.show_folder(true)
            }
            (Action::Expand, Focus::Tree) => {
                let id = self.tree.selected;
                let expanded = self.tree.node(id).is_some_and(|n| n.expanded);
                let first_child = self.tree.children(id).first().copied();
                match (expanded, first_child) {
                    (true, Some(child)) => {
                        self.tree.selected = child;
                        self.show_folder(true)
                    }
                    (true, None) => Vec::new(),
                    (false, _) => self.set_expanded(id, true),
                }
            }
            (Action::Collapse, Focus::Tree) => {
                let id = self.tree.selected;
                if id != ROOT && self.tree.node(id).is_some_and(|n| n.expanded) {
                    self.set_expanded(id, false)
                } else {
                    self.go_to_parent()
                }
            }
            (Action::Details, Focus::Tree) => {
                let id = self.tree.selected;
                let expanded = self.tree.node(id).is_some_and(|n| n.expanded);
                self.set_expanded(id, !expanded)
            }
            (Action::Parent, _) => self.go_to_parent(),
            // File list movement.
            (Action::Up, Focus::Files) => {
                self.files.move_by(-1);
                Vec::new()
            }
            (Action::Down, Focus::Files) => {
                self.files.move_by(1);
                Vec::new()
            }
            (Action::PageUp, Focus::Files) => {
                self.files.move_by(-page(self.files_height()));
                Vec::new()
            }
            (Action::PageDown, Focus::Files) => {
                self.files.move_by(page(self.files_height()));
                Vec::new()
            }
            (Action::Home, Focus::Files) => {
                self.files.cursor = 0;
                Vec::new()
            }
            (Action::End, Focus::Files) => {
                self.files.cursor = self.files.view.len().saturating_sub(1);
                Vec::new()
            }
            (Action::Collapse, Focus::Files) => {
                self.focus = Focus::Tree;
                Vec::new()
            }
            (Action::Expand, Focus::Files) => Vec::new(),
            (Action::Details, Focus::Files) => self.open_details(),
            (Action::Mark, Focus::Files) => {
                self.files.toggle_mark();
                Vec::new()
            }
            (Action::Mark, Focus::Tree) => {
                self.notify(Level::Info, "Marks are for files: Tab to the file list");
                Vec::new()
            }
            (
                Action::Confirm
                | Action::ClearInput
                | Action::Complete
                | Action::CancelUpload
                | Action::Retry
                | Action::Period
                | Action::Chart
                | Action::More
                | Action::Fewer
                | Action::SwitchField
                | Action::TogglePublic
                | Action::NextPage
                | Action::StartOver
                | Action::UploadLimit
                | Action::SendAnyway
                | Action::ResumeAll
                | Action::ClearFinished,
                _,
            ) => Vec::new(),
        }
    }

    fn move_tree(&mut self, delta: isize) -> Vec<Command> {
        self.tree.move_by(delta);
        self.show_folder(true)
    }

    fn set_expanded(&mut self, id: u64, expanded: bool) -> Vec<Command> {
        if let Some(node) = self.tree.node_mut(id) {
            node.expanded = expanded;
        }
        if expanded {
            self.load_children(id)
        } else {
            Vec::new()
        }
    }

    fn go_to_parent(&mut self) -> Vec<Command> {
        let parent = self.tree.node(self.tree.selected).and_then(|n| n.parent);
        match parent {
            Some(parent) => {
                self.tree.selected = parent;
                self.show_folder(false)
            }
            None => Vec::new(),
        }
    }

    fn refresh(&mut self) -> Vec<Command> {
        let fld_id = self.tree.selected;
        let mut commands = vec![Command::LoadAccount];
        if let Some(node) = self.tree.node_mut(fld_id)
            && !node.loading
        {
            node.loading = true;
            commands.push(Command::ListFolder { fld_id });
        }
        commands.extend(self.reload_files(fld_id, false));
        self.notify(Level::Info, "Refreshing…");
        commands
    }

    /// Clone, move, copy link and open act on files: the marked ones, else the highlighted one.
    fn file_action(&mut self, action: Action) -> Vec<Command> {
        let targets = if self.focus == Focus::Files || !self.files.marked.is_empty() {
            self.files.targets()
        } else {
            Vec::new()
        };
        if targets.is_empty() {
            let hint = if self.focus == Focus::Tree {
                let key = self
                    .keymap
                    .key_label(keys::Scope::Browser, Action::SwitchFocus);
                format!("This works on files: press {key} to go to the file list")
            } else {
                "No file here".to_string()
            };
            self.notify(Level::Info, hint);
            return Vec::new();
        }
        let label = self.files.targets_label(targets.len());
        match action {
            // Asked first, as F5 does in Midnight Commander: there is no delete API, so a stray
            // key would leave a copy only the website can remove.
            Action::Clone => {
                let what = if targets.len() == 1 && self.files.marked.is_empty() {
                    targets[0]
                        .name
                        .clone()
                        .unwrap_or_else(|| targets[0].file_code.clone())
                } else {
                    label
                };
                self.open(ConfirmPopup {
                    question: format!(
                        "Clone {what}? Each copy gets a new link; copies can only be removed on \
                         the website."
                    ),
                    action: ConfirmAction::Clone(targets),
                });
                Vec::new()
            }
            Action::Move => {
                let hidden = self.files.hidden_marks();
                self.open(MovePopup::files(targets, self.files.folder, hidden));
                // The picker offers every folder: fetch the ones not listed yet.
                self.walk_folders()
            }
            Action::CopyLink => {
                let folder = Some(self.tree.path(self.files.folder));
                let files = targets
                    .iter()
                    .map(|f| LinkFile::from_info(f).in_folder(folder.clone()))
                    .collect();
                let hidden = self.files.hidden_marks();
                self.open_formats(FormatPurpose::Copy, files, hidden, None);
                Vec::new()
            }
            Action::Open => {
                let url = self.link(&targets[0].file_code);
                self.notify(Level::Info, format!("Opening {url}"));
                vec![Command::OpenUrl(url)]
            }
            _ => Vec::new(),
        }
    }

    /// Asks for the listings of folders not listed yet, a couple at a time: each answer asks for
    /// the next ones, so that what the user asks for meanwhile does not wait behind a whole
    /// walk in the client's pace.
    pub(super) fn walk_folders(&mut self) -> Vec<Command> {
        const AT_ONCE: usize = 2;
        let in_flight = self.tree.loading_count();
        let unloaded = self.tree.unloaded();
        unloaded
            .into_iter()
            .take(AT_ONCE.saturating_sub(in_flight))
            .flat_map(|id| self.load_children(id))
            .collect()
    }

    /// Keys while the filter line is being typed: text goes to the filter, arrows still move.
    pub(super) fn on_filter_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let page = self.files_height().saturating_sub(1).max(1) as isize;
        match self.keymap.action_for(keys::Scope::FilterLine, &key) {
            Some(Action::Close) => {
                self.filter_input = None;
                self.files.filter.clear();
                self.files.refilter();
            }
            Some(Action::Confirm) => self.filter_input = None,
            Some(Action::Up) => self.files.move_by(-1),
            Some(Action::Down) => self.files.move_by(1),
            Some(Action::PageUp) => self.files.move_by(-page),
            Some(Action::PageDown) => self.files.move_by(page),
            _ => {
                if let Some(input) = &mut self.filter_input {
                    input.handle_event(&TermEvent::Key(key));
                }
                self.apply_filter();
            }
        }
        Vec::new()
    }
}
