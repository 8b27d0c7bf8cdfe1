//! The help view: every context's keys, from the same tables as the key bar.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme;
use super::widgets::hint;
use crate::app::App;
use crate::app::keys::{self};

/// The help lines: every context's keys, generated from the same tables as the key bar (one
/// row each, so the help view's list and these lines agree).
pub fn help_lines() -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (i, context) in keys::CONTEXTS.iter().filter(|c| c.in_help).enumerate() {
        if i > 0 {
            lines.push(Line::default());
        }
        lines.push(Line::styled(
            context.title.to_string(),
            Style::new().fg(theme::ACCENT).add_modifier(Modifier::BOLD),
        ));
        for binding in context.table.iter() {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{:>16}  ", binding.keys_label()),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw(binding.help),
            ]));
        }
    }
    lines
}

pub(super) fn draw_help(frame: &mut Frame, app: &App, area: Rect) {
    let lines = help_lines();
    let inner = super::views::frame_view(frame, area, "Help · mp4u");
    let rows = crate::geometry::help_rows(area.height).min(inner.height.saturating_sub(1) as usize);
    let window = app.views.help.window(lines.len(), rows);
    let shown: Vec<Line> = lines[window.clone()].to_vec();
    frame.render_widget(
        Paragraph::new(shown),
        Rect::new(inner.x, inner.y, inner.width, rows as u16),
    );
    let mut footer = hint(app, keys::HELP);
    if lines.len() > rows {
        footer.spans.push(Span::styled(
            format!(
                "  lines {}–{} of {}",
                window.start + 1,
                window.end,
                lines.len()
            ),
            theme::dim(),
        ));
    }
    super::views::bottom_line(frame, inner, footer);
}
