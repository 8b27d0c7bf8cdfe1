//! The search across the account: its query and keys, its pages, placing each result in its
//! folder, and its drawing.

use ratatui::Frame;
use ratatui::crossterm::event::{Event as TermEvent, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{Component, View, ViewFocus, bottom_hint, frame_view, is_text, row, rows, status_line};
use crate::api::{ApiError, FileInfo, FileList, FileListQuery};
use crate::app::keys::{self, Action, Scope};
use crate::app::list::ListState;
use crate::app::paint::{Scene, draw_input};
use crate::app::{App, Command, Level};
use crate::format;
use crate::text::{fit, pad, pad_left};

#[derive(Debug, Clone, Default)]
pub struct SearchView {
    pub name: Input,
    /// A timestamp `YYYY-MM-DD HH:MM:SS` or a number of minutes.
    pub created: Input,
    /// Any, public only, private only.
    pub public: Option<bool>,
    pub focus: ViewFocus,
    pub results: Vec<FileInfo>,
    pub searched: bool,
    /// Where the paging of the results stands; `more`: another page may follow.
    pub pager: Option<crate::api::Pager>,
    pub more: bool,
    /// Why the results may not be all of them, once they are over.
    pub incomplete: Option<String>,
    pub loading: bool,
    pub error: Option<String>,
    pub list: ListState,
    pub req: u64,
}

impl App {
    /// Opens the search with the query and results of before.
    pub(in crate::app) fn open_search(&mut self) -> Vec<Command> {
        self.view = Some(View::Search);
        // Results name their folders: learn the whole tree meanwhile.
        let mut commands = self.walk_folders();
        commands.extend(self.place_search_results());
        commands
    }

    /// A page of the search's results, for the search still shown.
    pub(in crate::app) fn on_search_results(
        &mut self,
        req: u64,
        page: u64,
        result: Result<FileList, ApiError>,
    ) -> Vec<Command> {
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
                        Some(crate::api::Completeness::Incomplete(why)) => Some(why.clone()),
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
        Vec::new()
    }
}

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

    /// Closes the search and shows the file in its folder, the cursor on it. A file whose
    /// folder is not known yet is gone to once the folder walk finds it.
    pub(in crate::app) fn jump_to(&mut self, file: FileInfo) -> Vec<Command> {
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
        self.focus = crate::app::Focus::Files;
        self.files.filter.clear();
        self.files.select_when_shown(file.file_code.clone());
        self.show_folder(false)
    }

    /// Gives search results whose listing named no folder the folder the walk found, and walks
    /// on (a couple of folders at a time, under the client's pace) while some are unplaced.
    pub(in crate::app) fn place_search_results(&mut self) -> Vec<Command> {
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
    pub(in crate::app) fn on_folder_indexed(
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

impl Component for SearchView {
    fn available(&self, _app: &App, action: Action) -> bool {
        match action {
            Action::NextPage => self.more && !self.loading,
            _ => true,
        }
    }

    fn busy(&self) -> bool {
        self.loading
    }

    fn input(&mut self) -> Option<&mut Input> {
        Some(&mut self.name)
    }

    fn walks_folders(&self) -> bool {
        true
    }

    fn settle(&mut self, app: &App) {
        let len = self.results.len();
        self.list
            .settle(len, crate::geometry::view_list_height(app.size.1));
    }

    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let theme = app.theme;
        let Some(inner) = frame_view(frame, theme, area, "Find files across the account", 7) else {
            return;
        };
        let label = |text: &str, focused: bool| {
            Span::styled(
                format!("{text:<16}"),
                if focused {
                    theme.hint_key()
                } else {
                    theme.dim()
                },
            )
        };
        frame.render_widget(
            Paragraph::new(label("Name contains", self.focus == ViewFocus::Input)),
            Rect::new(inner.x, inner.y, 16, 1),
        );
        draw_input(
            frame,
            theme,
            Rect::new(inner.x + 16, inner.y, inner.width.saturating_sub(16), 1),
            &self.name,
            false,
            self.focus == ViewFocus::Input,
        );
        frame.render_widget(
            Paragraph::new(label("Uploaded after", self.focus == ViewFocus::Second)),
            Rect::new(inner.x, inner.y + 1, 16, 1),
        );
        let second_w = inner.width.saturating_sub(16).min(24);
        draw_input(
            frame,
            theme,
            Rect::new(inner.x + 16, inner.y + 1, second_w, 1),
            &self.created,
            false,
            self.focus == ViewFocus::Second,
        );
        let public = match self.public {
            None => "any",
            Some(true) => "public only",
            Some(false) => "private only",
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("  a time or minutes ago   ", theme.dim()),
                Span::styled("Public: ", theme.dim()),
                Span::raw(public),
            ])),
            Rect::new(
                inner.x + 16 + second_w,
                inner.y + 1,
                inner.width.saturating_sub(16 + second_w),
                1,
            ),
        );
        let status = status_line(
            theme,
            self.loading,
            self.error.as_deref(),
            app.spinner,
            "Searching…",
        )
        .unwrap_or_else(|| {
            if !self.searched {
                Line::styled("Type a part of a name and press Enter", theme.dim())
            } else if self.results.is_empty() {
                Line::styled("No file matches", theme.dim())
            } else {
                Line::styled(
                    format!(
                        "{}{} · Enter goes to the file",
                        format::plural(self.results.len(), "file"),
                        if self.more {
                            " so far (PgDn at the end for more)".to_string()
                        } else if let Some(why) = &self.incomplete {
                            format!(" (may be incomplete: {why})")
                        } else {
                            String::new()
                        }
                    ),
                    theme.dim(),
                )
            }
        });
        frame.render_widget(Paragraph::new(status), row(inner, 2));
        if !self.results.is_empty() {
            let w = inner.width as usize;
            // The folder gets what its longest path needs, up to 40 columns; the name the rest.
            let longest = self
                .results
                .iter()
                .map(|f| folder_of(app, f).chars().count())
                .max()
                .unwrap_or(0);
            let folder_w = (longest + 2).clamp(10, 40).min(w / 2);
            let name_w = w.saturating_sub(folder_w + 10 + 10 + 11);
            let header = format!(
                "{}{}{}{}  {}",
                pad("Name", name_w),
                pad_left("Size", 10),
                pad_left("Downloads", 10),
                pad_left("Uploaded", 11),
                pad("Folder", folder_w.saturating_sub(2))
            );
            frame.render_widget(
                Paragraph::new(Line::styled(header, theme.header())),
                row(inner, 4),
            );
            let height = crate::geometry::view_list_height(area.height);
            let lines: Vec<Line> = self
                .list
                .shown(self.results.iter(), height)
                .map(|(i, f)| {
                    let path = folder_of(app, f);
                    let date = f
                        .uploaded
                        .as_deref()
                        .map(|d| d.get(..10).unwrap_or(d))
                        .unwrap_or("—");
                    let text = format!(
                        "{}{}{}{}  {}",
                        pad(f.name.as_deref().unwrap_or(&f.file_code), name_w),
                        pad_left(&f.size.map(format::size).unwrap_or_default(), 10),
                        pad_left(&f.downloads.map(format::count).unwrap_or_default(), 10),
                        pad_left(date, 11),
                        fit(&path, folder_w.saturating_sub(2))
                    );
                    theme.row(
                        Line::raw(text),
                        i == self.list.cursor && self.focus == ViewFocus::List,
                    )
                })
                .collect();
            frame.render_widget(Paragraph::new(lines), rows(inner, 5, height as u16));
        }
        bottom_hint(frame, app, inner, Scope::Search);
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let rows = crate::geometry::view_list_height(app.size.1);
        let req = app.next_req();
        let page_size = app.page_size;
        let view = &mut app.views.search;
        let count = view.results.len();
        let last_row = count.saturating_sub(1);
        let action = match (view.focus, app.keymap.action_for(keys::Scope::Search, &key)) {
            (ViewFocus::Input | ViewFocus::Second, Some(Action::Home | Action::End)) => None,
            (_, action) => action,
        };
        match action {
            Some(Action::Close) => app.view = None,
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
                let command = App::search_command(view, req);
                app.walk.restart();
                return vec![command];
            }
            Some(Action::Confirm) => {
                if let Some(file) = view.results.get(view.list.cursor).cloned() {
                    return app.jump_to(file);
                }
            }
            Some(Action::NextPage) if view.more && !view.loading => {
                return vec![App::search_command(view, req)];
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
                    return vec![App::search_command(view, req)];
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
}

/// A search result's folder as the list shows it: its path once known, `…` while the folders
/// are still being asked, `unknown` when no listing named it.
fn folder_of(app: &Scene<'_>, file: &crate::api::FileInfo) -> String {
    match file.fld_id.or_else(|| app.walk.place(&file.file_code)) {
        Some(folder) if app.tree.contains(folder) => app.tree.path(folder),
        Some(folder) if app.tree.loading_count() == 0 && app.tree.unloaded().is_empty() => {
            format!("folder {folder}")
        }
        Some(_) => "…".to_string(),
        None if app.walk.finished() => "unknown".to_string(),
        None => "…".to_string(),
    }
}
