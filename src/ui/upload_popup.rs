//! The upload picker: a path input on top, the directory's entries below.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Scene;
use crate::app::keys::Scope;
use crate::app::overlay::UploadPicker;
use crate::app::paint::{draw_hint, draw_input, frame_box};
use crate::format;
use crate::text::{pad, pad_left};
use crate::theme;

/// Rows of entries the picker shows for a terminal `term_height` rows high.
pub fn draw(frame: &mut Frame, app: &Scene<'_>, area: Rect, p: &UploadPicker) {
    let theme = app.theme;
    let list_h = crate::geometry::picker_list_height(area.height);
    let width = area.width.saturating_sub(4).clamp(30, 90);
    // A long reason wraps: the box grows to show it whole (up to a few rows).
    let status_h = p.error.as_deref().map_or(1, |e| {
        crate::text::wrapped_height(e, width.saturating_sub(4) as usize).min(4)
    }) as u16;
    let inner = frame_box(
        frame,
        area,
        width,
        list_h as u16 + 5 + status_h,
        &format!("Upload into {}", p.folder_path),
        theme.popup_border(),
    );
    let w = inner.width.saturating_sub(2) as usize;
    let x = inner.x + 1;
    frame.render_widget(
        Paragraph::new(Span::styled("Path ", theme.dim())),
        Rect::new(x, inner.y, 5, 1),
    );
    draw_input(
        frame,
        theme,
        Rect::new(x + 5, inner.y, (w as u16).saturating_sub(5), 1),
        &p.input,
        false,
        !p.checking,
    );

    let visible = p.visible();
    let size_w = 10;
    let window = p.list.window(visible.len(), list_h);
    let lines: Vec<Line> = visible
        .iter()
        .enumerate()
        .skip(window.start)
        .take(window.len())
        .map(|(i, entry)| {
            let path = p.path_of(entry);
            let marked = p.marked.contains(&path);
            let name = if entry.is_dir {
                format!("{}/", entry.name)
            } else {
                entry.name.clone()
            };
            let size = entry
                .size
                .filter(|_| !entry.is_dir)
                .map(format::size)
                .unwrap_or_default();
            let text = format!(
                "{}{}{}",
                if marked { "● " } else { "  " },
                pad(&name, w.saturating_sub(size_w + 2)),
                pad_left(&size, size_w)
            );
            let mut style = if entry.is_dir {
                theme.hint_key()
            } else if marked {
                theme.marked()
            } else {
                Style::new()
            };
            if i == p.list.cursor {
                style = theme.selected(true);
            }
            Line::styled(text, style)
        })
        .collect();
    let list = Rect::new(x, inner.y + 2, w as u16, list_h as u16);
    if lines.is_empty() {
        let text = if p.loading {
            format!("{} Reading the directory…", theme::spinner(app.spinner))
        } else if p.entries.is_empty() && p.error.is_none() {
            "Empty directory".to_string()
        } else {
            "Nothing here starts with what is typed".to_string()
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim())), list);
    } else {
        frame.render_widget(Paragraph::new(lines), list);
    }

    let status = if let Some(e) = &p.error {
        Line::styled(e.clone(), theme.error())
    } else if p.checking {
        let what = if p.marked_dirs.is_empty() {
            "Checking the files…"
        } else {
            "Reading the directories and the folders they go to…"
        };
        Line::styled(
            format!("{} {what}", theme::spinner(app.spinner)),
            theme.dim(),
        )
    } else if !p.marked.is_empty() {
        let dirs = p.marked_dirs.len();
        let files = p.marked.len() - dirs;
        let what = match (files, dirs) {
            (_, 0) => format::plural(files, "file"),
            (0, _) => format::plural(dirs, "directory").replace("directorys", "directories"),
            _ => format!(
                "{} and {}",
                format::plural(files, "file"),
                format::plural(dirs, "directory").replace("directorys", "directories")
            ),
        };
        let then = if dirs > 0 {
            "Enter shows what their upload does"
        } else {
            "Enter uploads them"
        };
        Line::styled(format!("{what} marked · {then}"), theme.marked())
    } else {
        Line::styled(
            format!(
                "Files over {} are refused",
                format::size(app.max_upload_bytes)
            ),
            theme.dim(),
        )
    };
    frame.render_widget(
        Paragraph::new(status).wrap(ratatui::widgets::Wrap { trim: true }),
        Rect::new(x, inner.y + 2 + list_h as u16, w as u16, status_h),
    );
    draw_hint(
        frame,
        app,
        Scope::UploadPicker,
        Rect::new(x, inner.y + inner.height.saturating_sub(1), w as u16, 1),
    );
}
