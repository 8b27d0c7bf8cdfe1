//! The file list pane: the files of the highlighted folder.

use super::Scene;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::app::Focus;
use crate::app::keys::{Action, Scope};
use crate::format;
use crate::text::{fit, pad, pad_left};
use crate::theme;

struct Columns {
    name: usize,
    size: usize,
    downloads: usize,
    date: usize,
}

fn columns(width: usize) -> Columns {
    let size = 9;
    let downloads = if width >= 52 { 10 } else { 0 };
    let date = if width >= 40 { 11 } else { 0 };
    Columns {
        name: width.saturating_sub(3 + size + downloads + date),
        size,
        downloads,
        date,
    }
}

pub fn draw(frame: &mut Frame, app: &Scene<'_>, area: Rect) {
    let theme = app.theme;
    let focused = app.focus == Focus::Files && app.popup.is_none();
    let pane = &app.files;
    let listing = pane.listing();
    let folder = app.tree.path(pane.folder);
    let mut title = format!(" Files · {folder}");
    match listing {
        Some(l) if l.error.is_some() && !l.loading => {
            if l.complete {
                // A refresh failed: the files shown are the last complete listing.
                title.push_str(&format!(
                    " · {} · refresh failed ",
                    format::plural(l.files.len(), "file")
                ));
            } else if l.files.is_empty() {
                title.push_str(" · listing failed ");
            } else {
                title.push_str(&format!(
                    " · {} so far · listing failed ",
                    format::count(l.files.len() as u64)
                ));
            }
        }
        Some(l) if l.complete || !l.loading => {
            let shown = pane.view.len();
            let total = l.files.len();
            if pane.filter.is_empty() {
                title.push_str(&format!(" · {} ", format::plural(total, "file")));
            } else {
                title.push_str(&format!(
                    " · {} of {} ",
                    format::count(shown as u64),
                    format::plural(total, "file")
                ));
            }
            if l.incomplete.is_some() {
                title.push_str("· may be incomplete ");
            }
        }
        Some(l) if !l.files.is_empty() => {
            title.push_str(&format!(
                " · {} so far {} ",
                format::count(l.files.len() as u64),
                theme::spinner(app.spinner)
            ));
        }
        _ => title.push(' '),
    }
    let mut block = Block::bordered()
        .border_style(theme.border(focused))
        .border_type(theme.border_type(focused))
        .title(Span::styled(
            fit(&title, area.width.saturating_sub(4) as usize),
            theme.title(focused),
        ));
    if !pane.marked.is_empty() {
        block = block.title_bottom(Span::styled(
            format!(" {} marked ", pane.marked.len()),
            theme.marked(),
        ));
    }
    if pane.sort != crate::sort::Sort::default() {
        block = block.title_bottom(
            Line::from(Span::styled(
                format!(" {} ", pane.sort.label()),
                theme.dim(),
            ))
            .right_aligned(),
        );
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }

    let width = inner.width as usize;
    let cols = columns(width);
    let filter_line = app.filter_input.is_some() || !pane.filter.is_empty();
    let list_height = (inner.height as usize).saturating_sub(1 + usize::from(filter_line));

    // Column header.
    let mut header = format!(
        "  {}{}",
        pad("Name", cols.name),
        pad_left("Size", cols.size)
    );
    if cols.downloads > 0 {
        header.push_str(&pad_left("Downloads", cols.downloads));
    }
    if cols.date > 0 {
        header.push_str(&pad_left("Uploaded", cols.date));
    }
    frame.render_widget(
        Paragraph::new(Line::styled(pad(&header, width), theme.header())),
        Rect::new(inner.x, inner.y, inner.width, 1),
    );
    let list_area = Rect::new(inner.x, inner.y + 1, inner.width, list_height as u16);

    if pane.view.is_empty() {
        let (text, style) = match listing {
            None => (
                format!("{} Loading files…", theme::spinner(app.spinner)),
                theme.dim(),
            ),
            Some(l) if l.loading => (
                format!("{} Loading files…", theme::spinner(app.spinner)),
                theme.dim(),
            ),
            Some(l) if l.error.is_some() => (
                format!(
                    "Could not load the files: {} · {} to retry",
                    l.error.as_deref().unwrap_or_default(),
                    app.keymap.key_label(Scope::Browser, Action::Refresh)
                ),
                theme.error(),
            ),
            Some(l) if !l.files.is_empty() => {
                (format!("No file matches “{}”", pane.filter), theme.dim())
            }
            Some(_) => ("This folder has no files".to_string(), theme.dim()),
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(style)
                .centered()
                .wrap(ratatui::widgets::Wrap { trim: true }),
            Rect::new(
                list_area.x,
                list_area.y + list_area.height / 3,
                list_area.width,
                list_area.height - list_area.height / 3,
            ),
        );
    } else {
        let mut fuzzy = crate::app::fuzzy::Fuzzy::new(&pane.filter);
        let rows = (pane.offset..pane.view.len())
            .take(list_height)
            .filter_map(|index| {
                let file = pane.at(index)?;
                let marked = pane.marked.contains(&file.file_code);
                let name = file.name.as_deref().unwrap_or(&file.file_code);
                let mut spans = vec![if marked {
                    Span::styled("● ", theme.marked())
                } else {
                    Span::raw("  ")
                }];
                match fuzzy.as_mut() {
                    Some(m) => spans.extend(highlighted(
                        &pad(name, cols.name),
                        &m.positions(name),
                        theme.matched(),
                    )),
                    None => spans.push(Span::raw(pad(name, cols.name))),
                }
                spans.push(Span::raw(pad_left(
                    &file.size.map(format::size).unwrap_or_else(|| "—".into()),
                    cols.size,
                )));
                if cols.downloads > 0 {
                    spans.push(Span::raw(pad_left(
                        &file
                            .downloads
                            .map(format::count)
                            .unwrap_or_else(|| "—".into()),
                        cols.downloads,
                    )));
                }
                if cols.date > 0 {
                    let date = file
                        .uploaded
                        .as_deref()
                        .map(|d| d.get(..10).unwrap_or(d))
                        .unwrap_or("—");
                    spans.push(Span::raw(pad_left(date, cols.date)));
                }
                let mut line = Line::from(spans);
                if index == pane.cursor {
                    line = line.style(theme.selected(focused));
                } else if marked {
                    line = line.style(theme.marked());
                }
                Some(line)
            });
        // One line a row: nothing to wrap or truncate but at the pane's edge.
        for (y, line) in (list_area.y..list_area.bottom()).zip(rows) {
            frame.render_widget(line, Rect::new(list_area.x, y, list_area.width, 1));
        }
    }

    if filter_line {
        let y = inner.y + inner.height - 1;
        let rect = Rect::new(inner.x, y, inner.width, 1);
        match &app.filter_input {
            Some(input) => {
                let prefix = " / ";
                let room = width.saturating_sub(prefix.len() + 1);
                let scroll = input.visual_scroll(room);
                let visible: String = input.value().chars().skip(scroll).collect();
                frame.render_widget(
                    Paragraph::new(Line::from(vec![
                        Span::styled(prefix, theme.accent()),
                        Span::raw(fit(&visible, room)),
                    ])),
                    rect,
                );
                let cursor_x = (input.visual_cursor().saturating_sub(scroll) + prefix.len()) as u16;
                frame
                    .set_cursor_position(Position::new(inner.x + cursor_x.min(inner.width - 1), y));
            }
            None => {
                frame.render_widget(
                    Paragraph::new(Line::from(vec![
                        Span::styled(" filter: ", theme.dim()),
                        Span::styled(fit(&pane.filter, width.saturating_sub(24)), theme.accent()),
                        Span::styled(
                            format!(
                                "  ({} clears)",
                                app.keymap.key_label(Scope::Browser, Action::Close)
                            ),
                            theme.dim(),
                        ),
                    ])),
                    rect,
                );
            }
        }
    }
}

/// The text with the characters at `positions` (char indices) in the match style.
fn highlighted(text: &str, positions: &[usize], style: Style) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_hit = false;
    for (i, c) in text.chars().enumerate() {
        let hit = positions.binary_search(&i).is_ok();
        if hit != run_hit && !run.is_empty() {
            spans.push(if run_hit {
                Span::styled(std::mem::take(&mut run), style)
            } else {
                Span::raw(std::mem::take(&mut run))
            });
        }
        run_hit = hit;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(if run_hit {
            Span::styled(run, style)
        } else {
            Span::raw(run)
        });
    }
    spans
}
