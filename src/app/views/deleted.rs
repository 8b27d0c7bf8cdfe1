//! The files deleted lately, as `files/deleted` lists them: more or fewer, a code to copy.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{Component, Fetch, View, bottom_hint, frame_view, row, rows};
use crate::api::{ApiError, DeletedFile};
use crate::app::keys::{self, Action, Scope};
use crate::app::list::ListState;
use crate::app::paint::Scene;
use crate::app::{App, Command, Level};
use crate::format;
use crate::text::{pad, pad_left};

/// How many deleted files the view asks for, in steps.
pub const DELETED_STEPS: [u32; 5] = [20, 50, 100, 200, 500];

#[derive(Debug, Clone, Default)]
pub struct DeletedView {
    /// Which of [`DELETED_STEPS`] is asked for.
    pub step: usize,
    pub fetch: Fetch<Vec<DeletedFile>>,
    pub list: ListState,
}

impl DeletedView {
    /// How many of the files deleted last are asked for.
    pub fn last(&self) -> u32 {
        DELETED_STEPS[self.step]
    }
}

impl App {
    /// Opens the deleted files, as many as shown before, asked again.
    pub(in crate::app) fn open_deleted(&mut self) -> Vec<Command> {
        self.view = Some(View::Deleted);
        let v = &mut self.views.deleted;
        v.fetch.ask();
        vec![Command::LoadDeleted { last: v.last() }]
    }

    /// The deleted files' answer, for as many as are still asked for.
    pub(in crate::app) fn on_deleted(
        &mut self,
        last: u32,
        result: Result<Vec<DeletedFile>, ApiError>,
    ) -> Vec<Command> {
        let view = &mut self.views.deleted;
        if view.last() == last
            && let Some(data) = view.fetch.answer(result)
        {
            view.list.cursor = view.list.cursor.min(data.len().saturating_sub(1));
        }
        Vec::new()
    }
}

impl Component for DeletedView {
    fn busy(&self) -> bool {
        self.fetch.loading
    }

    fn settle(&mut self, app: &App) {
        let len = self.fetch.data.as_ref().map_or(0, Vec::len);
        self.list
            .settle(len, crate::geometry::view_list_height(app.size.1));
    }

    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let theme = app.theme;
        let title = match &self.fetch.data {
            Some(d) => format!(
                "Recently deleted · the last {} · {} shown",
                self.last(),
                d.len()
            ),
            None => format!("Recently deleted · the last {}", self.last()),
        };
        let Some(inner) = frame_view(frame, theme, area, &title, 4) else {
            return;
        };
        let w = inner.width as usize;
        let (when_w, ago_w, code_w) = (20, 16, 14);
        let name_w = w.saturating_sub(when_w + ago_w + code_w);
        let header = format!(
            "{}{}{}{}",
            pad("Name", name_w),
            pad("Code", code_w),
            pad("Deleted", when_w),
            pad_left("", ago_w)
        );
        frame.render_widget(
            Paragraph::new(Line::styled(header, theme.header())),
            row(inner, 0),
        );
        let height = crate::geometry::view_list_height(area.height);
        if let Some(line) = self.fetch.status(theme, app.spinner, "Loading…") {
            frame.render_widget(Paragraph::new(line), row(inner, 1));
        } else if let Some(files) = &self.fetch.data {
            if files.is_empty() {
                frame.render_widget(
                    Paragraph::new(Line::styled("No file was deleted recently", theme.dim())),
                    row(inner, 1),
                );
            }
            let lines: Vec<Line> = self
                .list
                .shown(files.iter(), height)
                .map(|(i, f)| {
                    let text = format!(
                        "{}{}{}{}",
                        pad(f.name.as_deref().unwrap_or("—"), name_w),
                        pad(&f.file_code, code_w),
                        pad(f.deleted.as_deref().unwrap_or("—"), when_w),
                        pad_left(&deleted_ago(f), ago_w)
                    );
                    theme.row(Line::raw(text), i == self.list.cursor)
                })
                .collect();
            frame.render_widget(Paragraph::new(lines), rows(inner, 1, height as u16));
        }
        bottom_hint(frame, app, inner, Scope::Deleted);
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let rows = crate::geometry::view_list_height(app.size.1);
        let view = &mut app.views.deleted;
        let count = view.fetch.data.as_ref().map_or(0, Vec::len);
        match app.keymap.action_for(keys::Scope::Deleted, &key) {
            Some(Action::Close) => app.view = None,
            Some(a) if a.moves() => {
                view.list.apply(a, count, rows);
            }
            Some(action @ (Action::More | Action::Fewer | Action::Refresh)) => {
                view.step = match action {
                    Action::More => (view.step + 1).min(DELETED_STEPS.len() - 1),
                    Action::Fewer => view.step.saturating_sub(1),
                    _ => view.step,
                };
                view.fetch.loading = true;
                return vec![Command::LoadDeleted { last: view.last() }];
            }
            Some(Action::CopyLink) => {
                if let Some(file) = view
                    .fetch
                    .data
                    .as_ref()
                    .and_then(|d| d.get(view.list.cursor))
                {
                    let code = file.file_code.clone();
                    app.notify(Level::Info, format!("Copied {code}"));
                    return vec![Command::Copy(code)];
                }
            }
            _ => {}
        }
        Vec::new()
    }
}

/// `3 days ago` for a deleted file: from its age where the server sent it.
pub fn deleted_ago(file: &crate::api::DeletedFile) -> String {
    file.deleted_ago_sec.map(format::ago).unwrap_or_default()
}
