//! The link checker: the codes pasted in, then each one's answer.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Scene;
use super::views::{bottom_hint, frame_view, row, status_line};
use crate::app::keys::Scope;
use crate::app::overlay::{CheckerView, ViewFocus};
use crate::app::paint::draw_input;
use crate::format;
use crate::text::{pad, pad_left};

fn files_header(w: usize) -> (String, usize) {
    let name_w = w.saturating_sub(8 + 14 + 10 + 10);
    (
        format!(
            "{}{}{}{}{}",
            pad("Status", 8),
            pad("Code", 14),
            pad("Name", name_w),
            pad_left("Size", 10),
            pad_left("Downloads", 10)
        ),
        name_w,
    )
}

pub fn draw_checker(frame: &mut Frame, app: &Scene<'_>, area: Rect, view: &CheckerView) {
    let theme = app.theme;
    let inner = frame_view(frame, theme, area, "Link checker");
    if inner.height < 6 {
        return;
    }
    frame.render_widget(
        Paragraph::new(Line::styled("Paste or type file codes or mp4upload links, in any form, separated by spaces, commas or new lines:", theme.dim())),
        row(inner, 0),
    );
    draw_input(
        frame,
        theme,
        row(inner, 1),
        &view.input,
        false,
        view.focus == ViewFocus::Input && !view.loading,
    );
    let live = crate::links::parse(view.input.value(), app.link_host().as_deref());
    let summary = if view.input.value().trim().is_empty() {
        String::new()
    } else {
        format!("{} · Enter checks them", live.summary())
    };
    let status = status_line(
        theme,
        view.loading,
        view.error.as_deref(),
        app.spinner,
        "Checking…",
    )
    .unwrap_or_else(|| Line::styled(summary, theme.dim()));
    frame.render_widget(Paragraph::new(status), row(inner, 2));

    if let Some(results) = &view.results {
        let w = inner.width as usize;
        let (header, name_w) = files_header(w);
        let alive = results.iter().filter(|f| f.exists()).count();
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(format!("{alive} alive"), theme.success()),
                Span::raw(" · "),
                Span::styled(
                    format!("{} missing", results.len() - alive),
                    if alive == results.len() {
                        theme.dim()
                    } else {
                        theme.error()
                    },
                ),
                Span::styled(format!("   ({})", view.parsed.summary()), theme.dim()),
            ])),
            row(inner, 4),
        );
        frame.render_widget(
            Paragraph::new(Line::styled(header, theme.header())),
            row(inner, 5),
        );
        let height = crate::geometry::checker_rows(area.height);
        let window = view.list.window(results.len(), height);
        let lines: Vec<Line> = results
            .iter()
            .enumerate()
            .skip(window.start)
            .take(window.len())
            .map(|(i, f)| {
                let (status, style) = if f.exists() {
                    ("alive", theme.success())
                } else {
                    ("missing", theme.error())
                };
                let line = Line::from(vec![
                    Span::styled(pad(status, 8), style),
                    Span::raw(pad(&f.file_code, 14)),
                    Span::raw(pad(f.name.as_deref().unwrap_or(""), name_w)),
                    Span::raw(pad_left(&f.size.map(format::size).unwrap_or_default(), 10)),
                    Span::raw(pad_left(
                        &f.downloads.map(format::count).unwrap_or_default(),
                        10,
                    )),
                ]);
                theme.row(line, i == view.list.cursor && view.focus == ViewFocus::List)
            })
            .collect();
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(inner.x, inner.y + 6, inner.width, height as u16),
        );
    }
    bottom_hint(frame, app, inner, Scope::Checker);
}
