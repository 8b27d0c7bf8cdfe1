//! The folder tree pane.

use super::Scene;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::app::Focus;
use crate::app::tree::ROOT;
use crate::text::fit;
use crate::theme;

pub fn draw(frame: &mut Frame, app: &Scene<'_>, area: Rect) {
    let theme = app.theme;
    let focused = app.focus == Focus::Tree && app.popup.is_none();
    let path = app.tree.path(app.tree.selected);
    let title_room = (area.width as usize).saturating_sub(14);
    let block = Block::bordered()
        .border_style(theme.border(focused))
        .border_type(theme.border_type(focused))
        .title(Line::from(vec![
            Span::styled(" Folders", theme.title(focused)),
            Span::styled(format!(" · {} ", fit(&path, title_room)), theme.dim()),
        ]));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let rows = app.tree.rows();
    let width = inner.width as usize;
    let lines: Vec<Line> = rows
        .iter()
        .skip(app.tree.offset)
        .take(inner.height as usize)
        .map(|row| {
            let Some(node) = app.tree.node(row.id) else {
                return Line::default();
            };
            let marker = if node.loading {
                theme::spinner(app.spinner)
            } else if node.error.is_some() {
                "!"
            } else if node.children.as_ref().is_some_and(Vec::is_empty) {
                " "
            } else if node.expanded {
                "▾"
            } else {
                "▸"
            };
            let name = if row.id == ROOT {
                "/ (root)".to_string()
            } else {
                node.name.clone()
            };
            let indent = "  ".repeat(row.depth.min(width / 4));
            let text = format!(" {indent}{marker} {name}");
            let mut line = Line::from(crate::text::pad(&text, width));
            if row.id == app.tree.selected {
                line = line.style(theme.selected(focused));
            } else if node.error.is_some() {
                line = line.style(theme.error());
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
