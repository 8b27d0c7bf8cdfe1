//! The account line, the key bar and the fading notice.

use super::Scene;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::api::StorageLeft;
use crate::app::Level;
use crate::app::views::View;
use crate::format;
use crate::text::fit;
use crate::theme::{self, Theme};

const GAUGE_CELLS: usize = 10;

/// `███████░░░` for a share of `used` in `used + left`, and its style.
fn gauge(theme: &Theme, used: u64, left: u64) -> (String, Style) {
    let total = used.saturating_add(left).max(1);
    let share = used as f64 / total as f64;
    let filled = ((share * GAUGE_CELLS as f64).round() as usize).min(GAUGE_CELLS);
    (
        format!("{}{}", "█".repeat(filled), "░".repeat(GAUGE_CELLS - filled)),
        theme.gauge(share),
    )
}

pub fn draw_status(frame: &mut Frame, app: &Scene<'_>, area: Rect) {
    let theme = app.theme;
    let mut spans = vec![Span::raw(" ")];
    if app.demo {
        spans.push(Span::styled(" DEMO ", theme.badge()));
        spans.push(Span::raw(" "));
    }
    // Which account of the config file: `P` switches.
    if let Some(profile) = &app.profile {
        spans.push(Span::styled(format!(" {profile} "), theme.badge()));
        spans.push(Span::raw(" "));
    }
    match (&app.account, &app.account_error) {
        (Some(info), _) => {
            if let Some(email) = &info.email {
                spans.push(Span::styled(
                    email.clone(),
                    Style::new().add_modifier(Modifier::BOLD),
                ));
                spans.push(Span::raw("  "));
            }
            let used = info.storage_used.unwrap_or(0);
            match info.storage_left {
                StorageLeft::Bytes(left) => {
                    let (bar, style) = gauge(theme, used, left);
                    spans.push(Span::styled(bar, style));
                    spans.push(Span::raw(format!(
                        " {} used · {} left",
                        format::size(used),
                        format::size(left)
                    )));
                }
                StorageLeft::Unlimited => spans.push(Span::raw(format!(
                    "{} used · unlimited",
                    format::size(used)
                ))),
                StorageLeft::Unknown => {
                    spans.push(Span::raw(format!("{} used", format::size(used))))
                }
            }
            // The expiry is the first thing to go on a narrow terminal.
            if let Some(expire) = &info.premium_expire {
                let date = expire.get(..10).unwrap_or(expire);
                let text = format!(" · premium until {date}");
                let used: usize = spans.iter().map(|s| s.content.width()).sum();
                if used + text.width() <= area.width as usize {
                    spans.push(Span::styled(text, theme.dim()));
                }
            }
        }
        (None, Some(error)) => spans.push(Span::styled(format!("account: {error}"), theme.error())),
        (None, None) if app.signing_in() => spans.push(Span::styled("No API key yet", theme.dim())),
        (None, None) => spans.push(Span::styled(
            format!("{} Loading the account…", theme::spinner(app.spinner)),
            theme.dim(),
        )),
    }
    // Upload activity on the right while the transfers view is closed.
    let summary = app
        .uploads
        .summary()
        .filter(|_| app.view != Some(View::Transfers));
    let summary_w = summary.as_ref().map_or(0, |s| s.width() + 4);
    let line = fit_spans(spans, (area.width as usize).saturating_sub(summary_w));
    frame.render_widget(Paragraph::new(line), area);
    if let Some(summary) = summary {
        let text = format!(" ⇡ {summary} ");
        let w = (text.width() as u16).min(area.width);
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.key())),
            Rect::new(area.x + area.width - w, area.y, w, 1),
        );
    }
}

pub fn draw_keybar(frame: &mut Frame, app: &Scene<'_>, area: Rect) {
    let theme = app.theme;
    let entries = app.bar_entries();
    // Two spaces between entries where they fit, one on a narrow terminal.
    let roomy: usize = entries.iter().map(|(k, w)| k.width() + w.width() + 3).sum();
    let gap = if roomy <= area.width as usize {
        " "
    } else {
        ""
    };
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, word) in entries {
        let need = key.width() + word.width() + 2 + gap.len();
        if used + need > area.width as usize {
            break;
        }
        spans.push(Span::raw(gap));
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(format!(" {word} ")));
        used += need;
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The notice fades after a few seconds; it sits at the bottom of the file pane.
pub fn draw_notice(frame: &mut Frame, app: &Scene<'_>, files: Rect) {
    let Some(notice) = &app.notice else {
        return;
    };
    let theme = app.theme;
    // Without colour, a symbol says what the colour would.
    let (style, mark) = match notice.level {
        Level::Info => (theme.notice_info(), ""),
        Level::Warn => (theme.notice_warn(), theme.warn_mark()),
        Level::Error => (theme.notice_error(), theme.error_mark()),
    };
    let room = files.width.saturating_sub(4) as usize;
    let text = format!(
        " {} ",
        fit(&format!("{mark}{}", notice.text), room.saturating_sub(2))
    );
    let w = text.width() as u16;
    // Above the bottom border; in a full-screen view, above its key hint too.
    let above = if app.view.is_some() { 3 } else { 2 };
    if files.height < above + 1 || w == 0 {
        return;
    }
    let rect = Rect::new(
        files.x + files.width.saturating_sub(w + 2),
        files.y + files.height - above,
        w,
        1,
    );
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(text).style(style), rect);
}

/// Cuts a line of spans to `width` columns.
fn fit_spans(spans: Vec<Span<'static>>, width: usize) -> Line<'static> {
    let mut out = Vec::new();
    let mut used = 0;
    for span in spans {
        let w = span.content.width();
        if used + w <= width {
            used += w;
            out.push(span);
        } else {
            let room = width.saturating_sub(used);
            if room > 0 {
                out.push(Span::styled(fit(&span.content, room), span.style));
            }
            break;
        }
    }
    Line::from(out)
}
