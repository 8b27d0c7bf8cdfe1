//! An error that needs attention, when nothing else is open.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};

use super::Component;
use crate::api::ApiError;
use crate::app::keys::{Action, Scope};
use crate::app::paint::{Scene, dialog};
use crate::app::{App, Command, Level};

#[derive(Debug, Clone)]
pub struct ErrorPopup {
    pub title: String,
    pub message: String,
}

impl Component for ErrorPopup {
    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let theme = app.theme;
        let width = area.width.saturating_sub(4).clamp(30, 70);
        // As tall as the message needs, wrapped (a long sentence is never cut).
        let lines = crate::text::wrapped_height(&self.message, width.saturating_sub(4) as usize);
        let height = (lines as u16 + 4).clamp(6, area.height.max(1));
        // Without colour, the title's mark says it is an error.
        let title = format!("{}{}", theme.error_mark(), self.title);
        let body = dialog(frame, app, area, (width, height), &title, Scope::Error);
        let w = body.width;
        frame.render_widget(
            Paragraph::new(self.message.clone()).wrap(Wrap { trim: true }),
            Rect::new(body.x, body.y, w, body.height),
        );
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        if app.keymap.action_for(Scope::Error, &key) == Some(Action::Close) {
            app.popup = None;
        }
        Vec::new()
    }
}

impl App {
    /// An error that needs attention: a popup when nothing is open, else a notice (and in the
    /// message log), so it never replaces what the user has open.
    pub(in crate::app) fn show_error(&mut self, title: &str, error: &ApiError) {
        if self.popup.is_none() && self.view.is_none() {
            self.log(Level::Error, format!("{title}: {error}"));
            self.open(ErrorPopup {
                title: title.to_string(),
                message: error.to_string(),
            });
        } else {
            self.notify(Level::Error, format!("{title}: {error}"));
        }
    }
}
