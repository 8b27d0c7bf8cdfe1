//! The formats menu of copy and export: each format with a few words on it, and below, what
//! the highlighted one makes of the first files.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Scene;
use crate::app::keys::Scope;
use crate::app::overlay::{FormatChoice, FormatMenu, FormatPurpose};
use crate::app::paint::{draw_hint, frame_box};
use crate::format::plural;
use crate::links::render;
use crate::text::{fit, pad};

/// Lines of the preview at most.
const PREVIEW: usize = 4;

pub fn draw(frame: &mut Frame, app: &Scene<'_>, area: Rect, menu: &FormatMenu) {
    let width = area.width.saturating_sub(4).clamp(30, 76);
    let rows = menu.choices.len() as u16;
    let inner = frame_box(
        frame,
        area,
        width,
        rows + PREVIEW as u16 + 5,
        &title(menu),
        app.theme.popup_border(),
    );
    let w = inner.width.saturating_sub(2) as usize;
    let x = inner.x + 1;
    let name_w = 10;
    let lines: Vec<Line> = menu
        .choices
        .iter()
        .enumerate()
        .map(|(i, choice)| {
            let (name, about) = match choice {
                FormatChoice::Links(f) => (f.name(), f.description()),
                FormatChoice::CheckTable(_) => ("table", "every code with its status (TSV)"),
            };
            let last = matches!(choice, FormatChoice::Links(f) if *f == app.link_format);
            let text = format!(
                " {}{}  {}",
                pad(name, name_w),
                if last { "✓" } else { " " },
                about
            );
            let line = Line::from(pad(&fit(&text, w), w));
            if i == menu.list.cursor {
                line.style(app.theme.selected(true))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), Rect::new(x, inner.y, w as u16, rows));

    // What the highlighted format makes, cut to a few lines.
    let preview_y = inner.y + rows + 1;
    let text = match menu.choices.get(menu.list.cursor) {
        Some(FormatChoice::Links(format)) => {
            let first = &menu.files[..menu.files.len().min(PREVIEW)];
            render(*format, &app.base_url, first)
        }
        Some(FormatChoice::CheckTable(table)) => table.clone(),
        None => String::new(),
    };
    let mut preview: Vec<Line> = vec![Line::from(Span::styled("Preview", app.theme.dim()))];
    preview.extend(
        text.lines()
            .take(PREVIEW)
            .map(|l| Line::from(fit(&format!(" {l}"), w))),
    );
    if text.lines().count() > PREVIEW {
        preview.push(Line::from(Span::styled(" …", app.theme.dim())));
    }
    let preview_h = inner
        .height
        .saturating_sub(rows + 2)
        .min(PREVIEW as u16 + 2);
    frame.render_widget(
        Paragraph::new(preview),
        Rect::new(x, preview_y, w as u16, preview_h),
    );
    draw_hint(
        frame,
        app,
        Scope::Formats,
        Rect::new(x, inner.y + inner.height.saturating_sub(1), w as u16, 1),
    );
}

fn title(menu: &FormatMenu) -> String {
    let what = plural(menu.files.len(), "link");
    let hidden = match menu.hidden {
        0 => String::new(),
        h => format!(" ({h} hidden by the filter)"),
    };
    match menu.purpose {
        FormatPurpose::Copy => format!("Copy {what}{hidden} as"),
        FormatPurpose::Export { .. } => format!("Export {what}{hidden} as"),
    }
}
