//! The help view: every context's keys, from the same tables as the key bar.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Component, bottom_line, frame_view, list_view};
use crate::app::keys::{self, Action, Keymap, Scope};
use crate::app::paint::{Scene, hint};
use crate::app::{App, Command};
use crate::theme::Theme;

list_view!(
    /// Where the help is scrolled to.
    HelpView
);

impl App {
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
}

impl Component for HelpView {
    fn settle(&mut self, app: &App) {
        let len = App::help_len();
        let rows = crate::geometry::help_rows(app.size.1);
        self.offset = self.offset.min(len.saturating_sub(rows));
        self.cursor = self.offset;
    }

    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let theme = app.theme;
        let lines = help_lines(&app.keymap, theme);
        let Some(inner) = frame_view(frame, theme, area, "Help · mp4u", 0) else {
            return;
        };
        let rows =
            crate::geometry::help_rows(area.height).min(inner.height.saturating_sub(1) as usize);
        let window = self.window(lines.len(), rows);
        let shown: Vec<Line> = lines[window.clone()].to_vec();
        frame.render_widget(
            Paragraph::new(shown),
            Rect::new(inner.x, inner.y, inner.width, rows as u16),
        );
        let mut footer = hint(app, Scope::Help);
        if lines.len() > rows {
            footer.spans.push(Span::styled(
                format!(
                    "  lines {}–{} of {}",
                    window.start + 1,
                    window.end,
                    lines.len()
                ),
                theme.dim(),
            ));
        }
        bottom_line(frame, inner, footer);
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let rows = crate::geometry::help_rows(app.size.1);
        match app.keymap.action_for(keys::Scope::Help, &key) {
            Some(Action::Close) => app.view = None,
            Some(action) => {
                app.views.help.scroll(action, App::help_len(), rows);
            }
            None => {}
        }
        Vec::new()
    }
}

/// The help lines: every context's keys in effect, from the same keymap as the key bar (one
/// row each, so the help view's list and these lines agree).
pub fn help_lines(keymap: &Keymap, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (i, table) in keymap
        .tables()
        .iter()
        .filter(|t| t.context.in_help)
        .enumerate()
    {
        if i > 0 {
            lines.push(Line::default());
        }
        lines.push(Line::styled(
            table.context.title.to_string(),
            theme.hint_key(),
        ));
        for row in &table.rows {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{:>16}  ", row.keys_label()),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw(row.binding.help),
            ]));
        }
    }
    lines
}
