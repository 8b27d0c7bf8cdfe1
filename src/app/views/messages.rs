//! The message log: every notice and error said so far, oldest first, errors standing out.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Component, View, bottom_hint, frame_view, list_view, row, rows};
use crate::app::keys::{self, Action, Scope};
use crate::app::list::ListState;
use crate::app::paint::Scene;
use crate::app::{App, Command};
use crate::format;
use crate::text::{pad, pad_left};

list_view!(
    /// Where the message log is scrolled to.
    MessagesView
);

impl App {
    /// Opens the message log at its newest entry.
    pub(in crate::app) fn open_messages(&mut self) {
        self.view = Some(View::Messages);
        self.views.messages = MessagesView(ListState::at(self.messages.len().saturating_sub(1)));
    }
}

impl Component for MessagesView {
    fn settle(&mut self, app: &App) {
        self.0.settle(
            app.messages.len(),
            crate::geometry::view_list_height(app.size.1),
        );
    }

    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let theme = app.theme;
        let title = format!(
            "Messages · {}",
            format::plural(app.messages.len(), "message")
        );
        let Some(inner) = frame_view(frame, theme, area, &title, 2) else {
            return;
        };
        let height = crate::geometry::view_list_height(area.height).min(inner.height as usize - 1);
        if app.messages.is_empty() {
            frame.render_widget(
                Paragraph::new(Line::styled("Nothing said yet.", theme.dim())),
                row(inner, 0),
            );
        }
        let w = inner.width as usize;
        let when_w = 16;
        let lines: Vec<Line> = self
            .shown(app.messages.iter(), height)
            .map(|(i, m)| {
                let when = match (m.at, app.now()) {
                    (Some(at), Some(now)) => format::ago(now.duration_since(at).as_secs()),
                    _ => "at start".into(),
                };
                let (mark, style) = match m.level {
                    crate::app::Level::Info => ("  ", Style::new()),
                    crate::app::Level::Warn => ("! ", theme.warn()),
                    crate::app::Level::Error => ("✗ ", theme.error().add_modifier(Modifier::BOLD)),
                };
                let times = if m.times > 1 {
                    format!(" (×{})", m.times)
                } else {
                    String::new()
                };
                let text = format!("{}{times}", m.text);
                let line = Line::from(vec![
                    Span::styled(mark, style),
                    Span::styled(pad(&text, w.saturating_sub(when_w + 2)), style),
                    Span::styled(pad_left(&when, when_w), theme.dim()),
                ]);
                theme.row(line, i == self.cursor)
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), rows(inner, 0, height as u16));
        bottom_hint(frame, app, inner, Scope::Messages);
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let rows = crate::geometry::view_list_height(app.size.1);
        match app.keymap.action_for(keys::Scope::Messages, &key) {
            Some(Action::Close) => app.view = None,
            Some(action) => {
                app.views.messages.apply(action, app.messages.len(), rows);
            }
            None => {}
        }
        Vec::new()
    }
}
