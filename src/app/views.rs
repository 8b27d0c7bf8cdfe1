//! The views over the browser: opening them, their keys (the link checker's and the search's
//! in their own modules), and their answers. Esc returns to the browser unchanged.

use ratatui::crossterm::event::KeyEvent;

use super::keys::{self, Action};
use super::list::ListState;
use super::overlay::{DELETED_STEPS, Metric, STATS_PERIODS, View, ViewFocus};
use super::popups::FormatPurpose;
use super::{App, Command, Level};
use crate::api::FileInfo;
use crate::format::{self};
use crate::links::LinkFile;

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

    /// Exports the links of the marked files, or of every file shown: the formats menu first.
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
        let hidden = self.files.hidden_marks();
        let files = files.iter().map(LinkFile::from_info).collect();
        self.open_formats(
            FormatPurpose::Export {
                prefix: "mp4u-links",
            },
            files,
            hidden,
            None,
        );
        Vec::new()
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
        match self.keymap.action_for(keys::Scope::Help, &key) {
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
        match self.keymap.action_for(keys::Scope::Messages, &key) {
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
        match self.keymap.action_for(keys::Scope::Stats, &key) {
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
            Some(Action::Chart) => {
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
        match self.keymap.action_for(keys::Scope::Deleted, &key) {
            Some(Action::Close) => self.view = None,
            Some(a) if a.moves() => {
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
pub(super) fn is_text(key: &KeyEvent) -> bool {
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
