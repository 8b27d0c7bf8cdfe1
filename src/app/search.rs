//! Account-wide search: its keys, its pages, and placing each result in its folder.

use ratatui::crossterm::event::{Event as TermEvent, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

use super::keys::{self, Action};
use super::list::ListState;
use super::overlay::{SearchView, View, ViewFocus};
use super::views::is_text;
use super::{App, Command, Level};
use crate::api::{FileInfo, FileListQuery};

/// Results asked for per search page.
pub const SEARCH_PAGE: u64 = 100;

impl App {
    /// The command for the next page of the search (the first, when the pager is new).
    fn search_command(view: &mut SearchView, req: u64) -> Command {
        view.loading = true;
        view.error = None;
        view.req = req;
        let (page, per_page) = view.pager.as_ref().map_or((1, SEARCH_PAGE), |p| p.next());
        let created = view.created.value().trim();
        Command::Search {
            query: FileListQuery {
                page: Some(page),
                per_page: Some(per_page),
                fld_id: None,
                public: view.public,
                created: (!created.is_empty()).then(|| created.to_string()),
                name: Some(view.name.value().trim().to_string()).filter(|n| !n.is_empty()),
            },
            req,
        }
    }

    pub(super) fn on_search_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let rows = crate::geometry::view_list_height(self.size.1);
        let req = self.next_req();
        let page_size = self.page_size;
        let view = &mut self.views.search;
        let count = view.results.len();
        let last_row = count.saturating_sub(1);
        let action = match (
            view.focus,
            self.keymap.action_for(keys::Scope::Search, &key),
        ) {
            (ViewFocus::Input | ViewFocus::Second, Some(Action::Home | Action::End)) => None,
            (_, action) => action,
        };
        match action {
            Some(Action::Close) => self.view = None,
            Some(Action::StartOver) => *view = SearchView::default(),
            Some(Action::SwitchField) => {
                view.focus = match view.focus {
                    ViewFocus::Input => ViewFocus::Second,
                    ViewFocus::Second if !view.results.is_empty() => ViewFocus::List,
                    _ => ViewFocus::Input,
                };
            }
            Some(Action::TogglePublic) => {
                view.public = match view.public {
                    None => Some(true),
                    Some(true) => Some(false),
                    Some(false) => None,
                };
            }
            Some(Action::ClearInput) => match view.focus {
                ViewFocus::Second => view.created.reset(),
                _ => view.name.reset(),
            },
            Some(Action::Confirm) if view.focus != ViewFocus::List => {
                if view.name.value().trim().is_empty()
                    && view.created.value().trim().is_empty()
                    && view.public.is_none()
                {
                    view.error = Some("Type a part of a name (or set a filter) first".into());
                    return Vec::new();
                }
                view.results.clear();
                view.list = ListState::default();
                view.searched = true;
                view.incomplete = None;
                view.pager = Some(crate::api::Pager::new(&page_size));
                let command = Self::search_command(view, req);
                self.walk.restart();
                return vec![command];
            }
            Some(Action::Confirm) => {
                if let Some(file) = view.results.get(view.list.cursor).cloned() {
                    return self.jump_to(file);
                }
            }
            Some(Action::NextPage) if view.more && !view.loading => {
                return vec![Self::search_command(view, req)];
            }
            Some(a @ (Action::Up | Action::Down)) if !view.results.is_empty() => {
                view.focus = ViewFocus::List;
                view.list.apply(a, count, rows);
            }
            Some(a @ (Action::PageUp | Action::Home | Action::End)) => {
                view.list.apply(a, count, rows);
            }
            Some(Action::PageDown) => {
                if view.list.cursor == last_row && view.more && !view.loading {
                    return vec![Self::search_command(view, req)];
                }
                view.list.apply(Action::PageDown, count, rows);
            }
            Some(_) => {}
            None if view.focus == ViewFocus::List && !is_text(&key) => {}
            None => {
                let input = match view.focus {
                    ViewFocus::Second => &mut view.created,
                    ViewFocus::Input => &mut view.name,
                    ViewFocus::List => {
                        view.focus = ViewFocus::Input;
                        &mut view.name
                    }
                };
                input.handle_event(&TermEvent::Key(key));
                view.error = None;
            }
        }
        Vec::new()
    }

    /// Closes the search and shows the file in its folder, the cursor on it. A file whose
    /// folder is not known yet is gone to once the folder walk finds it.
    pub(super) fn jump_to(&mut self, file: FileInfo) -> Vec<Command> {
        let folder = file.fld_id.or_else(|| self.walk.place(&file.file_code));
        let Some(folder) = folder.filter(|f| self.tree.contains(*f)) else {
            if folder.is_none() && self.walk.finished() {
                self.pending_jump = None;
                self.notify(
                    Level::Warn,
                    format!(
                        "The folder of {} could not be found",
                        file.name.as_deref().unwrap_or(&file.file_code)
                    ),
                );
                return Vec::new();
            }
            // Still being learnt: go there as soon as the folder shows up.
            self.notify(Level::Info, "Finding the folder…");
            self.pending_jump = Some(file);
            let mut commands = self.walk_folders();
            commands.extend(self.place_search_results());
            return commands;
        };
        self.pending_jump = None;
        self.view = None;
        self.tree.reveal(folder);
        self.focus = super::Focus::Files;
        self.files.filter.clear();
        self.files.select_when_shown(file.file_code.clone());
        self.show_folder(false)
    }

    /// Gives search results whose listing named no folder the folder the walk found, and walks
    /// on (a couple of folders at a time, under the client's pace) while some are unplaced.
    pub(super) fn place_search_results(&mut self) -> Vec<Command> {
        let mut unplaced = self
            .pending_jump
            .as_ref()
            .is_some_and(|f| f.fld_id.is_none() && self.walk.place(&f.file_code).is_none());
        {
            let view = &mut self.views.search;
            for file in view.results.iter_mut().filter(|f| f.fld_id.is_none()) {
                match self.walk.place(&file.file_code) {
                    Some(place) => file.fld_id = Some(place),
                    None => unplaced = true,
                }
            }
        }
        if !unplaced {
            return Vec::new();
        }
        self.walk
            .next(2)
            .into_iter()
            .map(|fld_id| Command::IndexFolder { fld_id })
            .collect()
    }

    /// A folder's listing for the walk: where its files live, and its subfolders for the tree.
    pub(super) fn on_folder_indexed(
        &mut self,
        fld_id: u64,
        result: Result<crate::api::FolderIndex, crate::api::ApiError>,
    ) -> Vec<Command> {
        match result {
            Ok(index) => {
                if self.tree.contains(fld_id) {
                    self.tree.set_children(fld_id, &index.folders);
                }
                self.walk.on_index(fld_id, &index);
            }
            Err(e) => self.walk.on_failure(fld_id, e.to_string()),
        }
        let mut commands = self.place_search_results();
        if let Some(file) = self.pending_jump.clone()
            && self.view == Some(View::Search)
        {
            let known = file
                .fld_id
                .or_else(|| self.walk.place(&file.file_code))
                .is_some_and(|f| self.tree.contains(f));
            if known || self.walk.finished() {
                commands.extend(self.jump_to(file));
            }
        }
        commands
    }
}
