//! Renaming several files: one name for all, or a template whose every new name is previewed
//! (old → new) before Enter sends anything, and whose every result is listed after.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Scene;
use crate::app::keys::Scope;
use crate::app::overlay::{RenamePopup, RenameTarget, Waiting};
use crate::app::paint::{draw_hint, draw_input, frame_box};
use crate::app::rename_many::RenamePlan;
use crate::format::plural;
use crate::text::{fit, wrapped_height};
use crate::theme;

/// Rows of the preview at most.
const ROWS: usize = 10;

pub fn draw_many(frame: &mut Frame, app: &Scene<'_>, area: Rect, p: &RenamePopup) {
    let RenameTarget::Files { codes, .. } = &p.target else {
        return;
    };
    let width = area.width.saturating_sub(4).clamp(30, 90);
    let w = width.saturating_sub(4) as usize;
    let preview = p.preview();
    let rows = preview.len().clamp(1, ROWS);
    let message = message(app, p, codes.len());
    let message_h = message
        .as_ref()
        .map_or(1, |(text, _)| wrapped_height(text, w).clamp(1, 4)) as u16;
    let hidden = match p.hidden {
        0 => String::new(),
        h => format!(" ({h} hidden by the filter)"),
    };
    let inner = frame_box(
        frame,
        area,
        width,
        rows as u16 + message_h + 7,
        &format!("Rename {}{hidden}", plural(codes.len(), "file")),
        app.theme.popup_border(),
    );
    let x = inner.x + 1;
    let row = |i: u16, h: u16| Rect::new(x, inner.y + i, w as u16, h);
    frame.render_widget(
        Paragraph::new(Line::styled(
            fit(
                "One name for all, or a template: {n} {n:02} {name} {ext}",
                w,
            ),
            app.theme.dim(),
        )),
        row(0, 1),
    );
    draw_input(
        frame,
        app.theme,
        row(1, 1),
        &p.input,
        false,
        !p.busy() && p.results.is_none(),
    );

    // old → new, each with its result once it came back.
    let arrow_w = 3;
    let half = w.saturating_sub(arrow_w + 2) / 2;
    let mut lines: Vec<Line> = preview
        .iter()
        .take(ROWS)
        .map(|(old, new, result)| {
            let (mark, style) = match result {
                None => ("  ", ratatui::style::Style::new()),
                Some(Ok(())) => ("✓ ", ratatui::style::Style::new()),
                Some(Err(_)) => ("✗ ", app.theme.error()),
            };
            Line::from(vec![
                Span::styled(mark, style),
                Span::styled(fit(old, half), app.theme.dim()),
                Span::raw(" → "),
                Span::styled(fit(new, half), style),
            ])
        })
        .collect();
    if preview.is_empty() {
        lines.push(Line::styled("  (no name would change)", app.theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), row(3, rows as u16));
    let more_y = 3 + rows as u16;
    if preview.len() > ROWS {
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!("  … and {} more", preview.len() - ROWS),
                app.theme.dim(),
            )),
            row(more_y, 1),
        );
    }
    if let Some((text, error)) = message {
        let style = if error {
            app.theme.error()
        } else {
            app.theme.dim()
        };
        frame.render_widget(
            Paragraph::new(Line::styled(text, style)).wrap(Wrap { trim: true }),
            row(more_y + 1, message_h),
        );
    }
    draw_hint(
        frame,
        app,
        Scope::NameInput,
        row(inner.height.saturating_sub(1), 1),
    );
}

/// The line under the preview: what Enter does, what is wrong, or how it went.
fn message(app: &Scene<'_>, p: &RenamePopup, files: usize) -> Option<(String, bool)> {
    if let Some(error) = &p.error {
        return Some((error.clone(), true));
    }
    if p.busy() {
        return Some((format!("{} Renaming…", theme::spinner(app.spinner)), false));
    }
    if let Some(results) = &p.results {
        let failed = results.iter().filter(|r| r.2.is_some()).count();
        let text = match failed {
            0 => format!("Renamed {}. Enter closes.", plural(results.len(), "file")),
            f => format!(
                "Renamed {}; {f} failed: {}",
                plural(results.len() - f, "file"),
                results.iter().find_map(|r| r.2.clone()).unwrap_or_default()
            ),
        };
        return Some((text, failed > 0));
    }
    match p.plan() {
        RenamePlan::Bad(why) => Some((why, true)),
        RenamePlan::Same(Ok(name)) => Some((
            format!("Enter gives all {files} files the name {name}"),
            false,
        )),
        RenamePlan::Same(Err(why)) => Some((why, true)),
        RenamePlan::Each(each) => Some((
            format!(
                "Enter renames {} (numbered in the list's order)",
                plural(each.len(), "file")
            ),
            false,
        )),
    }
}
