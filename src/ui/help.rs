//! The help view: every context's keys, from the same tables as the key bar.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Scene;
use crate::app::keys::{Keymap, Scope};
use crate::app::paint::hint;
use crate::theme::Theme;

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

pub(super) fn draw_help(frame: &mut Frame, app: &Scene<'_>, area: Rect) {
    let theme = app.theme;
    let lines = help_lines(&app.keymap, theme);
    let inner = super::views::frame_view(frame, theme, area, "Help · mp4u");
    let rows = crate::geometry::help_rows(area.height).min(inner.height.saturating_sub(1) as usize);
    let window = app.views.help.window(lines.len(), rows);
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
    super::views::bottom_line(frame, inner, footer);
}
