//! The move popup: a folder picker with a filter input on top.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Scene;
use crate::app::keys::Scope;
use crate::app::overlay::{MovePopup, Waiting};
use crate::app::paint::{draw_hint, draw_input, frame_box};
use crate::format;
use crate::text::{fit, pad};
use crate::theme;

/// Rows of folders the picker shows for a terminal `term_height` rows high.
pub fn draw(frame: &mut Frame, app: &Scene<'_>, area: Rect, p: &MovePopup) {
    let theme = app.theme;
    let list_h = crate::geometry::move_list_height(area.height);
    let width = area.width.saturating_sub(4).clamp(30, 72);
    let what = if p.files.len() == 1 && p.hidden == 0 {
        fit(
            p.files[0].name.as_deref().unwrap_or(&p.files[0].file_code),
            40,
        )
    } else if p.hidden > 0 {
        format!(
            "{} ({} hidden by the filter)",
            format::plural(p.files.len(), "file"),
            p.hidden
        )
    } else {
        format::plural(p.files.len(), "file")
    };
    // A long reason wraps: the box grows to show it whole (up to a few rows).
    let status_h = p.error.as_deref().map_or(1, |e| {
        crate::text::wrapped_height(e, width.saturating_sub(4) as usize).min(4)
    }) as u16;
    let inner = frame_box(
        frame,
        area,
        width,
        list_h as u16 + 5 + status_h,
        &format!("Move {what} to…"),
        theme.popup_border(),
    );
    let w = inner.width.saturating_sub(2);
    let x = inner.x + 1;
    frame.render_widget(
        Paragraph::new(Line::from(vec![Span::styled("Filter ", theme.dim())])),
        Rect::new(x, inner.y, 7, 1),
    );
    draw_input(
        frame,
        theme,
        Rect::new(x + 7, inner.y, w.saturating_sub(7), 1),
        &p.filter,
        false,
        !p.busy(),
    );

    let choices = app.move_choices();
    let window = p.list.window(choices.len(), list_h);
    let lines: Vec<Line> = choices
        .iter()
        .enumerate()
        .skip(window.start)
        .take(window.len())
        .map(|(i, (id, path))| {
            let mut text = format!(" {path}");
            if *id == p.from {
                text.push_str("  (current)");
            }
            let line = Line::from(pad(&text, w as usize));
            if i == p.list.cursor {
                line.style(theme.selected(true))
            } else if *id == p.from {
                line.style(theme.dim())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(x, inner.y + 2, w, list_h as u16),
    );

    let status = if let Some(e) = &p.error {
        Line::styled(e.clone(), theme.error())
    } else if p.busy() {
        Line::styled(
            format!("{} Moving…", theme::spinner(app.spinner)),
            theme.dim(),
        )
    } else if !app.tree.unloaded().is_empty() || app.tree.all_paths().is_empty() {
        Line::styled(
            format!("{} Listing folders…", theme::spinner(app.spinner)),
            theme.dim(),
        )
    } else if choices.is_empty() {
        Line::styled("No folder matches the filter", theme.dim())
    } else {
        Line::styled(format!("{} folders", choices.len()), theme.dim())
    };
    frame.render_widget(
        Paragraph::new(status).wrap(ratatui::widgets::Wrap { trim: true }),
        Rect::new(x, inner.y + 2 + list_h as u16, w, status_h),
    );
    draw_hint(
        frame,
        app,
        Scope::MovePicker,
        Rect::new(x, inner.y + inner.height.saturating_sub(1), w, 1),
    );
}
