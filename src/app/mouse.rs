//! The mouse: a click selects in either pane, the wheel scrolls, a double click opens.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::{App, Command, Focus};
use crate::geometry as layout;

const DOUBLE_CLICK: Duration = Duration::from_millis(400);
const WHEEL_ROWS: isize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Click {
    at: Instant,
    focus: Focus,
    row: usize,
}

/// The row of a list under `y`, given the list's first row on screen.
fn row_at(area: Rect, first_row_y: u16, y: u16, offset: usize) -> Option<usize> {
    let last_y = area.y + area.height.saturating_sub(1); // the bottom border
    (y >= first_row_y && y < last_y).then(|| offset + (y - first_row_y) as usize)
}

impl App {
    pub(super) fn on_mouse(&mut self, event: MouseEvent, at: Instant) -> Vec<Command> {
        if self.popup.is_some() {
            return Vec::new();
        }
        let areas = layout::areas(self.size.0, self.size.1);
        let pos = Position::new(event.column, event.row);
        let pane = if areas.tree.contains(pos) {
            Focus::Tree
        } else if areas.files.contains(pos) {
            Focus::Files
        } else {
            return Vec::new();
        };
        match event.kind {
            MouseEventKind::ScrollUp | MouseEventKind::ScrollDown => {
                let delta = if event.kind == MouseEventKind::ScrollUp {
                    -WHEEL_ROWS
                } else {
                    WHEEL_ROWS
                };
                match pane {
                    Focus::Tree => {
                        self.tree.move_by(delta);
                        self.show_folder(true)
                    }
                    Focus::Files => {
                        self.files.move_by(delta);
                        Vec::new()
                    }
                }
            }
            MouseEventKind::Down(MouseButton::Left) => {
                self.focus = pane;
                let row = match pane {
                    Focus::Tree => {
                        row_at(areas.tree, areas.tree.y + 1, event.row, self.tree.offset)
                    }
                    // Below the border and the column header.
                    Focus::Files => {
                        row_at(areas.files, areas.files.y + 2, event.row, self.files.offset)
                    }
                };
                let Some(row) = row else {
                    return Vec::new();
                };
                let double = self.last_click.is_some_and(|c| {
                    c.focus == pane && c.row == row && at.duration_since(c.at) <= DOUBLE_CLICK
                });
                self.last_click = (!double).then_some(Click {
                    at,
                    focus: pane,
                    row,
                });
                match pane {
                    Focus::Tree => {
                        let rows = self.tree.rows();
                        let Some(target) = rows.get(row) else {
                            return Vec::new();
                        };
                        self.tree.selected = target.id;
                        let mut commands = self.show_folder(false);
                        if double {
                            commands.extend(self.browser_action(super::keys::Action::Details));
                        }
                        commands
                    }
                    Focus::Files => {
                        if row >= self.files.view.len() {
                            return Vec::new();
                        }
                        self.files.cursor = row;
                        if double {
                            self.browser_action(super::keys::Action::Details)
                        } else {
                            Vec::new()
                        }
                    }
                }
            }
            _ => Vec::new(),
        }
    }
}
