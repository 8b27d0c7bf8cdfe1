//! The sort menu of `s`: the orders the file list offers, the one in force ticked; the choice
//! is remembered in the config.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{Component, Popup};
use crate::app::keys::{Action, Scope};
use crate::app::list::ListState;
use crate::app::paint::{Scene, dialog};
use crate::app::{App, Command, Level};
use crate::sort::Sort;
use crate::text::pad;

#[derive(Debug, Clone, Default)]
pub struct SortMenu {
    /// Over `Sort::ALL`.
    pub list: ListState,
}

impl SortMenu {
    /// The menu on the order in force.
    pub fn at(sort: Sort) -> SortMenu {
        let cursor = Sort::ALL.iter().position(|s| *s == sort).unwrap_or(0);
        SortMenu {
            list: ListState::at(cursor),
        }
    }
}

impl Component for SortMenu {
    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let cursor = self.list.cursor;
        let theme = app.theme;
        let body = dialog(
            frame,
            app,
            area,
            (40, Sort::ALL.len() as u16 + 3),
            "Sort files by",
            Scope::SortMenu,
        );
        let w = body.width as usize;
        let lines: Vec<Line> = Sort::ALL
            .iter()
            .enumerate()
            .map(|(i, sort)| {
                let current = if *sort == app.files.sort { " ✓" } else { "" };
                let line = Line::from(pad(&format!(" {}{current}", sort.label()), w));
                theme.row(line, i == cursor)
            })
            .collect();
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(body.x, body.y, w as u16, Sort::ALL.len() as u16),
        );
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let Some(Popup::Sort(menu)) = &mut app.popup else {
            return Vec::new();
        };
        let all = Sort::ALL;
        match app.keymap.action_for(Scope::SortMenu, &key) {
            Some(a @ (Action::Up | Action::Down | Action::Home | Action::End)) => {
                menu.list.apply(a, all.len(), all.len());
            }
            Some(Action::Close) => app.popup = None,
            Some(Action::Confirm) => {
                let sort = all[menu.list.cursor.min(all.len() - 1)];
                app.popup = None;
                app.files.sort = sort;
                app.files.rebuild();
                app.notify(Level::Info, format!("Sorted by {}", sort.label()));
                return vec![Command::Remember {
                    key: "sort",
                    value: sort.config_name(),
                }];
            }
            _ => {}
        }
        Vec::new()
    }
}
