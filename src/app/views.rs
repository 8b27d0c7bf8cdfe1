//! The views over the browser: account statistics, deleted files, the link checker and the
//! account-wide search. Each opens over the browser; Esc returns to it unchanged.

use ratatui::crossterm::event::{Event as TermEvent, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

use super::keys::{self, Action};
use super::list::ListState;
use super::popup::{
    CheckerView, DELETED_STEPS, Metric, STATS_PERIODS, SearchView, View, ViewFocus,
};
use super::{App, Command, Level};
use crate::api::{FileInfo, FileListQuery};
use crate::format::{self, plural};

/// Results asked for per search page.
pub const SEARCH_PAGE: u64 = 100;

impl App {
    /// Opens the statistics: the period and chart chosen before, asked again.
    pub(super) fn open_stats(&mut self) -> Vec<Command> {
        self.view = Some(View::Stats);
        let v = &mut self.views.stats;
        v.loading = true;
        v.error = None;
        vec![Command::LoadStats { days: v.days }, Command::LoadAccount]
    }

    /// Opens the deleted files, as many as shown before, asked again.
    pub(super) fn open_deleted(&mut self) -> Vec<Command> {
        self.view = Some(View::Deleted);
        let v = &mut self.views.deleted;
        v.loading = true;
        v.error = None;
        vec![Command::LoadDeleted { last: v.last }]
    }

    /// Opens the link checker with what was typed and found before.
    pub(super) fn open_checker(&mut self) {
        self.view = Some(View::Checker);
    }

    /// Opens the search with the query and results of before.
    pub(super) fn open_search(&mut self) -> Vec<Command> {
        self.view = Some(View::Search);
        // Results name their folders: learn the whole tree meanwhile.
        let mut commands = self.walk_folders();
        commands.extend(self.place_search_results());
        commands
    }

    /// Opens the message log at its newest entry.
    pub(super) fn open_messages(&mut self) {
        self.view = Some(View::Messages);
        self.views.messages = ListState::at(self.messages.len().saturating_sub(1));
    }

    /// Rows of the help, as the help view lists them (a section title, its keys, a blank line
    /// between sections).
    pub fn help_len() -> usize {
        keys::CONTEXTS
            .iter()
            .filter(|c| c.in_help)
            .map(|c| c.table.len() + 2)
            .sum::<usize>()
            .saturating_sub(1)
    }

    /// Keeps the open view's list inside its rows and on screen.
    pub(super) fn settle_view(&mut self) {
        let h = self.size.1;
        match self.view {
            Some(View::Help) => {
                let len = Self::help_len();
                let rows = crate::geometry::help_rows(h);
                let v = &mut self.views.help;
                v.offset = v.offset.min(len.saturating_sub(rows));
                v.cursor = v.offset;
            }
            Some(View::Transfers) => {
                let len = self.uploads.items.len();
                self.views
                    .transfers
                    .settle(len, crate::geometry::transfers_shown(h));
            }
            Some(View::Deleted) => {
                let v = &mut self.views.deleted;
                let len = v.data.as_ref().map_or(0, Vec::len);
                v.list.settle(len, crate::geometry::view_list_height(h));
            }
            Some(View::Checker) => {
                let v = &mut self.views.checker;
                let len = v.results.as_ref().map_or(0, Vec::len);
                v.list.settle(len, crate::geometry::checker_rows(h));
            }
            Some(View::Search) => {
                let v = &mut self.views.search;
                let len = v.results.len();
                v.list.settle(len, crate::geometry::view_list_height(h));
            }
            Some(View::Messages) => {
                let len = self.messages.len();
                self.views
                    .messages
                    .settle(len, crate::geometry::view_list_height(h));
            }
            Some(View::Stats) | None => {}
        }
    }

    /// The host of the links this app makes (`127.0.0.1:4242` in the demo), so that pasted
    /// links to it count.
    pub fn link_host(&self) -> Option<String> {
        let rest = self.base_url.split_once("://").map(|(_, r)| r)?;
        Some(rest.split('/').next().unwrap_or(rest).to_string())
    }

    /// Exports the links of the marked files, or of every file shown.
    pub(super) fn export_links(&mut self) -> Vec<Command> {
        let files: Vec<FileInfo> = if self.files.marked.is_empty() {
            self.files
                .view
                .iter()
                .filter_map(|i| self.files.files().get(*i))
                .cloned()
                .collect()
        } else {
            self.files.targets()
        };
        if files.is_empty() {
            self.notify(Level::Info, "No file here to export");
            return Vec::new();
        }
        let mut contents: String = files
            .iter()
            .map(|f| format!("{}\n", self.link(&f.file_code)))
            .collect();
        if contents.is_empty() {
            contents.push('\n');
        }
        let hidden = self.files.hidden_marks();
        self.notify(
            Level::Info,
            if hidden == 0 {
                format!("Exporting {}…", plural(files.len(), "link"))
            } else {
                format!(
                    "Exporting {} ({hidden} hidden by the filter)…",
                    plural(files.len(), "link")
                )
            },
        );
        vec![Command::Export {
            dir: self.cwd.clone(),
            prefix: "mp4u-links".into(),
            contents,
        }]
    }

    pub(super) fn on_view_key(&mut self, key: KeyEvent) -> Vec<Command> {
        match self.view {
            Some(View::Help) => self.on_help_key(key),
            Some(View::Transfers) => self.on_transfers_key(key),
            Some(View::Stats) => self.on_stats_key(key),
            Some(View::Deleted) => self.on_deleted_key(key),
            Some(View::Checker) => self.on_checker_key(key),
            Some(View::Search) => self.on_search_key(key),
            Some(View::Messages) => self.on_messages_key(key),
            None => Vec::new(),
        }
    }

    fn on_help_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let rows = crate::geometry::help_rows(self.size.1);
        match keys::action_for(keys::HELP, &key) {
            Some(Action::Close) => self.view = None,
            Some(action) => {
                self.views.help.scroll(action, Self::help_len(), rows);
            }
            None => {}
        }
        Vec::new()
    }

    fn on_messages_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let rows = crate::geometry::view_list_height(self.size.1);
        match keys::action_for(keys::MESSAGES, &key) {
            Some(Action::Close) => self.view = None,
            Some(action) => {
                self.views.messages.apply(action, self.messages.len(), rows);
            }
            None => {}
        }
        Vec::new()
    }

    fn on_stats_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let view = &mut self.views.stats;
        match keys::action_for(keys::STATS, &key) {
            Some(Action::Close) => self.view = None,
            Some(Action::Period) => {
                let at = STATS_PERIODS
                    .iter()
                    .position(|d| *d == view.days)
                    .unwrap_or(0);
                let next = if key.code == ratatui::crossterm::event::KeyCode::Left {
                    (at + STATS_PERIODS.len() - 1) % STATS_PERIODS.len()
                } else {
                    (at + 1) % STATS_PERIODS.len()
                };
                view.days = STATS_PERIODS[next];
                view.loading = true;
                view.error = None;
                return vec![Command::LoadStats { days: view.days }];
            }
            Some(Action::Metric) => {
                let at = Metric::ALL
                    .iter()
                    .position(|m| *m == view.metric)
                    .unwrap_or(0);
                view.metric = Metric::ALL[(at + 1) % Metric::ALL.len()];
            }
            Some(Action::Refresh) => {
                view.loading = true;
                return vec![Command::LoadStats { days: view.days }, Command::LoadAccount];
            }
            _ => {}
        }
        Vec::new()
    }

    fn on_deleted_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let rows = crate::geometry::view_list_height(self.size.1);
        let view = &mut self.views.deleted;
        let count = view.data.as_ref().map_or(0, Vec::len);
        match keys::action_for(keys::DELETED, &key) {
            Some(Action::Close) => self.view = None,
            Some(
                a @ (Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::Home
                | Action::End),
            ) => {
                view.list.apply(a, count, rows);
            }
            Some(action @ (Action::More | Action::Fewer | Action::Refresh)) => {
                let at = DELETED_STEPS
                    .iter()
                    .position(|n| *n == view.last)
                    .unwrap_or(0);
                let at = match action {
                    Action::More => (at + 1).min(DELETED_STEPS.len() - 1),
                    Action::Fewer => at.saturating_sub(1),
                    _ => at,
                };
                view.last = DELETED_STEPS[at];
                view.loading = true;
                return vec![Command::LoadDeleted { last: view.last }];
            }
            Some(Action::CopyLink) => {
                if let Some(file) = view.data.as_ref().and_then(|d| d.get(view.list.cursor)) {
                    let code = file.file_code.clone();
                    self.notify(Level::Info, format!("Copied {code}"));
                    return vec![Command::Copy(code)];
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn on_checker_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let rows = crate::geometry::checker_rows(self.size.1);
        let host = self.link_host();
        let links: Vec<String>;
        {
            let view = &mut self.views.checker;
            let count = view.results.as_ref().map_or(0, Vec::len);
            let action = keys::action_for(keys::CHECKER, &key);
            // In the input, letters are text and Home/End move the text cursor.
            let action = match (view.focus, action) {
                (
                    ViewFocus::Input,
                    Some(Action::CopyLink | Action::Export | Action::Home | Action::End),
                ) => None,
                (_, action) => action,
            };
            match action {
                Some(Action::Close) => {
                    self.view = None;
                    return Vec::new();
                }
                Some(Action::SwitchField) => {
                    view.focus = match view.focus {
                        ViewFocus::Input if view.results.is_some() => ViewFocus::List,
                        _ => ViewFocus::Input,
                    };
                    return Vec::new();
                }
                Some(Action::ClearInput) => {
                    view.input.reset();
                    view.focus = ViewFocus::Input;
                    return Vec::new();
                }
                Some(Action::Clear) => {
                    *view = CheckerView::default();
                    return Vec::new();
                }
                Some(Action::Confirm) if view.focus == ViewFocus::Input => {
                    let parsed = crate::links::parse(view.input.value(), host.as_deref());
                    if parsed.codes.is_empty() {
                        view.error =
                            Some(format!("No file code or link found ({})", parsed.summary()));
                        return Vec::new();
                    }
                    self.next_req += 1;
                    view.req = self.next_req;
                    view.loading = true;
                    view.error = None;
                    view.list = ListState::default();
                    let codes = parsed.codes.clone();
                    view.parsed = parsed;
                    return vec![Command::CheckLinks {
                        codes,
                        req: view.req,
                    }];
                }
                Some(
                    a @ (Action::Up
                    | Action::Down
                    | Action::PageUp
                    | Action::PageDown
                    | Action::Home
                    | Action::End),
                ) => {
                    view.list.apply(a, count, rows);
                }
                Some(Action::CopyLink) => {
                    links = view
                        .results
                        .iter()
                        .flatten()
                        .filter(|f| f.exists())
                        .map(|f| f.file_code.clone())
                        .collect();
                    if links.is_empty() {
                        self.notify(Level::Info, "No alive file to copy");
                        return Vec::new();
                    }
                    let text: Vec<String> = links.iter().map(|c| self.link(c)).collect();
                    self.notify(
                        Level::Info,
                        format!("Copied {}", plural(text.len(), "alive link")),
                    );
                    return vec![Command::Copy(text.join("\n"))];
                }
                Some(Action::Export) => {
                    let Some(results) = view.results.clone() else {
                        return Vec::new();
                    };
                    let mut contents = String::from("status\tcode\tname\tsize\tdownloads\tlink\n");
                    for f in &results {
                        contents.push_str(&format!(
                            "{}\t{}\t{}\t{}\t{}\t{}\n",
                            if f.exists() { "alive" } else { "missing" },
                            f.file_code,
                            f.name.as_deref().unwrap_or(""),
                            f.size.map(|s| s.to_string()).unwrap_or_default(),
                            f.downloads.map(|d| d.to_string()).unwrap_or_default(),
                            if f.exists() {
                                self.link(&f.file_code)
                            } else {
                                String::new()
                            },
                        ));
                    }
                    self.notify(Level::Info, "Exporting the table…");
                    return vec![Command::Export {
                        dir: self.cwd.clone(),
                        prefix: "mp4u-check".into(),
                        contents,
                    }];
                }
                Some(_) => {}
                // Typing in the results goes back to the input; other keys do nothing there.
                None if view.focus == ViewFocus::List && !is_text(&key) => {}
                None => {
                    view.focus = ViewFocus::Input;
                    view.input.handle_event(&TermEvent::Key(key));
                    view.error = None;
                }
            }
        }
        Vec::new()
    }

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

    fn on_search_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let rows = crate::geometry::view_list_height(self.size.1);
        self.next_req += 1;
        let req = self.next_req;
        let page_size = self.page_size;
        let view = &mut self.views.search;
        let count = view.results.len();
        let last_row = count.saturating_sub(1);
        let action = match (view.focus, keys::action_for(keys::SEARCH, &key)) {
            (ViewFocus::Input | ViewFocus::Second, Some(Action::Home | Action::End)) => None,
            (_, action) => action,
        };
        match action {
            Some(Action::Close) => self.view = None,
            Some(Action::Clear) => *view = SearchView::default(),
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

    pub(super) fn on_view_outcome(&mut self, outcome: super::Outcome) -> Vec<Command> {
        use super::Outcome;
        match outcome {
            Outcome::Stats { days, result } => {
                let view = &mut self.views.stats;
                if view.days == days {
                    view.loading = false;
                    match result {
                        Ok(data) => {
                            view.data = Some(data);
                            view.error = None;
                        }
                        Err(e) => view.error = Some(e.to_string()),
                    }
                }
            }
            Outcome::Deleted { last, result } => {
                let view = &mut self.views.deleted;
                if view.last == last {
                    view.loading = false;
                    match result {
                        Ok(data) => {
                            view.list.cursor = view.list.cursor.min(data.len().saturating_sub(1));
                            view.data = Some(data);
                            view.error = None;
                        }
                        Err(e) => view.error = Some(e.to_string()),
                    }
                }
            }
            Outcome::LinksChecked { req, result } => {
                let view = &mut self.views.checker;
                if view.req == req {
                    view.loading = false;
                    match result {
                        Ok(files) => {
                            let alive = files.iter().filter(|f| f.exists()).count();
                            view.focus = ViewFocus::List;
                            let missing = files.len() - alive;
                            view.results = Some(files);
                            self.notify(Level::Info, format!("{alive} alive, {missing} missing"));
                        }
                        Err(e) => view.error = Some(e.to_string()),
                    }
                }
            }
            Outcome::SearchResults {
                req, page, result, ..
            } => {
                let mut page_size = self.page_size;
                let view = &mut self.views.search;
                if view.req == req {
                    view.loading = false;
                    match result {
                        Ok(list) => {
                            let received = list.files.len() as u64;
                            let before = view.results.len();
                            let known: std::collections::HashSet<String> =
                                view.results.iter().map(|f| f.file_code.clone()).collect();
                            for file in list.files {
                                if !known.contains(&file.file_code) {
                                    view.results.push(file);
                                }
                            }
                            let report = crate::api::paging::PageReport {
                                received,
                                added: (view.results.len() - before) as u64,
                                total_pages: list.total_pages,
                                results_total: list.results_total,
                            };
                            let over = view
                                .pager
                                .as_mut()
                                .is_none_or(|p| p.on_page(report, &mut page_size));
                            view.more = !over;
                            view.incomplete = match view.pager.as_ref().and_then(|p| p.done()) {
                                Some(crate::api::Completeness::Incomplete(why)) => {
                                    Some(why.clone())
                                }
                                _ => None,
                            };
                            if page == 1 && !view.results.is_empty() {
                                view.focus = ViewFocus::List;
                            }
                        }
                        Err(e) => view.error = Some(e.to_string()),
                    }
                    self.page_size = page_size;
                    return self.place_search_results();
                }
            }
            Outcome::Exported { result } => match result {
                Ok(path) => self.notify(Level::Info, format!("Saved {}", path.display())),
                Err(e) => self.notify(Level::Error, format!("Could not export: {e}")),
            },
            _ => {}
        }
        Vec::new()
    }
}

/// A key that types a character (no Ctrl or Alt).
fn is_text(key: &KeyEvent) -> bool {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    matches!(key.code, KeyCode::Char(_))
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// `3 days ago` for a deleted file: from its age where the server sent it.
pub fn deleted_ago(file: &crate::api::DeletedFile) -> String {
    file.deleted_ago_sec.map(format::ago).unwrap_or_default()
}
