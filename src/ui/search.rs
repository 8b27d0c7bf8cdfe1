//! Account-wide search: the query, the results, and each one's folder.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Scene;
use super::views::{bottom_hint, frame_view, row, status_line};
use crate::app::keys::Scope;
use crate::app::overlay::{SearchView, ViewFocus};
use crate::app::paint::draw_input;
use crate::format;
use crate::text::{fit, pad, pad_left};

pub fn draw_search(frame: &mut Frame, app: &Scene<'_>, area: Rect, view: &SearchView) {
    let theme = app.theme;
    let inner = frame_view(frame, theme, area, "Find files across the account");
    if inner.height < 7 {
        return;
    }
    let label = |text: &str, focused: bool| {
        Span::styled(
            format!("{text:<16}"),
            if focused {
                theme.hint_key()
            } else {
                theme.dim()
            },
        )
    };
    frame.render_widget(
        Paragraph::new(label("Name contains", view.focus == ViewFocus::Input)),
        Rect::new(inner.x, inner.y, 16, 1),
    );
    draw_input(
        frame,
        theme,
        Rect::new(inner.x + 16, inner.y, inner.width.saturating_sub(16), 1),
        &view.name,
        false,
        view.focus == ViewFocus::Input,
    );
    frame.render_widget(
        Paragraph::new(label("Uploaded after", view.focus == ViewFocus::Second)),
        Rect::new(inner.x, inner.y + 1, 16, 1),
    );
    let second_w = inner.width.saturating_sub(16).min(24);
    draw_input(
        frame,
        theme,
        Rect::new(inner.x + 16, inner.y + 1, second_w, 1),
        &view.created,
        false,
        view.focus == ViewFocus::Second,
    );
    let public = match view.public {
        None => "any",
        Some(true) => "public only",
        Some(false) => "private only",
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("  a time or minutes ago   ", theme.dim()),
            Span::styled("Public: ", theme.dim()),
            Span::raw(public),
        ])),
        Rect::new(
            inner.x + 16 + second_w,
            inner.y + 1,
            inner.width.saturating_sub(16 + second_w),
            1,
        ),
    );
    let status = status_line(
        theme,
        view.loading,
        view.error.as_deref(),
        app.spinner,
        "Searching…",
    )
    .unwrap_or_else(|| {
        if !view.searched {
            Line::styled("Type a part of a name and press Enter", theme.dim())
        } else if view.results.is_empty() {
            Line::styled("No file matches", theme.dim())
        } else {
            Line::styled(
                format!(
                    "{}{} · Enter goes to the file",
                    format::plural(view.results.len(), "file"),
                    if view.more {
                        " so far (PgDn at the end for more)".to_string()
                    } else if let Some(why) = &view.incomplete {
                        format!(" (may be incomplete: {why})")
                    } else {
                        String::new()
                    }
                ),
                theme.dim(),
            )
        }
    });
    frame.render_widget(Paragraph::new(status), row(inner, 2));
    if !view.results.is_empty() {
        let w = inner.width as usize;
        // The folder gets what its longest path needs, up to 40 columns; the name the rest.
        let longest = view
            .results
            .iter()
            .map(|f| folder_of(app, f).chars().count())
            .max()
            .unwrap_or(0);
        let folder_w = (longest + 2).clamp(10, 40).min(w / 2);
        let name_w = w.saturating_sub(folder_w + 10 + 10 + 11);
        let header = format!(
            "{}{}{}{}  {}",
            pad("Name", name_w),
            pad_left("Size", 10),
            pad_left("Downloads", 10),
            pad_left("Uploaded", 11),
            pad("Folder", folder_w.saturating_sub(2))
        );
        frame.render_widget(
            Paragraph::new(Line::styled(header, theme.header())),
            row(inner, 4),
        );
        let height = crate::geometry::view_list_height(area.height);
        let window = view.list.window(view.results.len(), height);
        let lines: Vec<Line> = view
            .results
            .iter()
            .enumerate()
            .skip(window.start)
            .take(window.len())
            .map(|(i, f)| {
                let path = folder_of(app, f);
                let date = f
                    .uploaded
                    .as_deref()
                    .map(|d| d.get(..10).unwrap_or(d))
                    .unwrap_or("—");
                let text = format!(
                    "{}{}{}{}  {}",
                    pad(f.name.as_deref().unwrap_or(&f.file_code), name_w),
                    pad_left(&f.size.map(format::size).unwrap_or_default(), 10),
                    pad_left(&f.downloads.map(format::count).unwrap_or_default(), 10),
                    pad_left(date, 11),
                    fit(&path, folder_w.saturating_sub(2))
                );
                theme.row(
                    Line::raw(text),
                    i == view.list.cursor && view.focus == ViewFocus::List,
                )
            })
            .collect();
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(inner.x, inner.y + 5, inner.width, height as u16),
        );
    }
    bottom_hint(frame, app, inner, Scope::Search);
}

/// A search result's folder as the list shows it: its path once known, `…` while the folders
/// are still being asked, `unknown` when no listing named it.
fn folder_of(app: &Scene<'_>, file: &crate::api::FileInfo) -> String {
    match file.fld_id.or_else(|| app.walk.place(&file.file_code)) {
        Some(folder) if app.tree.contains(folder) => app.tree.path(folder),
        Some(folder) if app.tree.loading_count() == 0 && app.tree.unloaded().is_empty() => {
            format!("folder {folder}")
        }
        Some(_) => "…".to_string(),
        None if app.walk.finished() => "unknown".to_string(),
        None => "…".to_string(),
    }
}
