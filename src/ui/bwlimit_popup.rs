//! The upload limit popup, over the transfers view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Scene;
use crate::api::bandwidth::describe;
use crate::app::overlay::BwLimitPopup;
use crate::app::paint::{draw_hint, draw_input, frame_box};
use crate::text::{fit, wrapped_height};

pub fn draw(frame: &mut Frame, app: &Scene<'_>, area: Rect, p: &BwLimitPopup) {
    let width = area.width.saturating_sub(4).clamp(30, 62);
    let text_w = width.saturating_sub(4) as usize;
    let error_h = p
        .error
        .as_deref()
        .map_or(0, |e| wrapped_height(e, text_w).clamp(1, 4) as u16);
    let inner = frame_box(
        frame,
        area,
        width,
        11 + error_h,
        "Upload limit",
        app.theme.popup_border(),
    );
    let w = inner.width.saturating_sub(2);
    let row = |i: u16, h: u16| Rect::new(inner.x + 1, inner.y + i, w, h);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("All uploads together, now: ", app.theme.dim()),
            Span::raw(describe(app.uploads.bwlimit)),
        ])),
        row(0, 1),
    );
    draw_input(frame, app.theme, row(1, 1), &p.input, false, true);
    if let Some(error) = &p.error {
        frame.render_widget(
            Paragraph::new(Line::styled(error.clone(), app.theme.error()))
                .wrap(Wrap { trim: true }),
            row(2, error_h),
        );
    }
    let notes = [
        "Bytes a second: 500K, 2M, 1.5M (K = 1000, KiB = 1024).",
        "Empty or 0: no limit. Running uploads follow at once.",
        "For this session only; bwlimit in the config file",
        "sets the limit mp4u starts with.",
    ];
    let lines: Vec<Line> = notes
        .iter()
        .map(|n| Line::styled(fit(n, w as usize), app.theme.dim()))
        .collect();
    frame.render_widget(Paragraph::new(lines), row(3 + error_h, 4));
    draw_hint(
        frame,
        app,
        crate::app::keys::Scope::BwLimit,
        row(inner.height.saturating_sub(1), 1),
    );
}
