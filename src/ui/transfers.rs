//! The transfers view: a gauge per upload with bytes, percent, speed and ETA, and a total.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Scene;
use crate::api::Placement;
use crate::app::keys::{Action, Scope};
use crate::app::list::ListState;
use crate::app::paint::draw_hint;
use crate::app::uploads::{Upload, UploadState};
use crate::format;
use crate::text::{fit, pad};
use crate::theme::Theme;

/// `0:32`, `1:05:09`.
pub fn clock(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Whole percent of `all` that `done` is, rounded down: 100 only when everything is there.
pub fn percent(done: u64, all: u64) -> u64 {
    if all == 0 || done >= all {
        if all == 0 { 0 } else { 100 }
    } else {
        (u128::from(done) * 100 / u128::from(all)).min(99) as u64
    }
}

fn bar(fraction: f64, cells: usize) -> String {
    let filled = ((fraction * cells as f64).round() as usize).min(cells);
    format!("{}{}", "█".repeat(filled), "░".repeat(cells - filled))
}

fn state_style(theme: &Theme, state: &UploadState) -> Style {
    match state {
        UploadState::Queued => theme.dim(),
        UploadState::Running | UploadState::Checking { .. } => theme.accent(),
        UploadState::Done {
            placement: Placement::LeftInRoot { .. },
            ..
        } => theme.warn().add_modifier(Modifier::BOLD),
        UploadState::Done { .. } => theme.success(),
        UploadState::Failed(_) | UploadState::Refused(_) => {
            theme.error().add_modifier(Modifier::BOLD)
        }
        UploadState::Unknown { .. } => theme.warn().add_modifier(Modifier::BOLD),
        UploadState::Cancelled => theme.warn(),
        UploadState::Paused { .. } | UploadState::Duplicate { .. } => {
            theme.warn().add_modifier(Modifier::BOLD)
        }
        UploadState::Elsewhere { .. } => theme.dim(),
        UploadState::Skipped { .. } => theme.success(),
    }
}

/// Where an upload goes, or where a finished one really is.
fn place(u: &Upload) -> String {
    match &u.state {
        UploadState::Done {
            placement: Placement::LeftInRoot { .. },
            ..
        } => "in /".to_string(),
        _ => format!("→ {}", u.folder_path),
    }
}

fn detail_line(app: &Scene<'_>, u: &Upload, width: usize) -> Line<'static> {
    let theme = app.theme;
    let key = |action| app.keymap.key_label(Scope::Transfers, action);
    match &u.state {
        UploadState::Failed(reason) => Line::styled(
            format!("   {}", fit(reason, width.saturating_sub(3))),
            theme.error(),
        ),
        UploadState::Refused(reason) => Line::styled(
            format!(
                "   {}",
                fit(&format!("not sent: {reason}"), width.saturating_sub(3))
            ),
            theme.error(),
        ),
        UploadState::Unknown { reason, .. } => Line::styled(
            format!(
                "   {}",
                fit(
                    &format!(
                        "unknown: may be on the account ({reason}); {} looks again",
                        key(Action::Retry)
                    ),
                    width.saturating_sub(3)
                )
            ),
            theme.warn(),
        ),
        UploadState::Paused { note } => Line::styled(
            format!(
                "   {}",
                fit(
                    &format!("{note} · R resumes, x gives it up"),
                    width.saturating_sub(3)
                )
            ),
            theme.warn(),
        ),
        UploadState::Elsewhere { pid } => Line::styled(
            format!(
                "   {}",
                fit(
                    &match pid {
                        Some(pid) => format!(
                            "being sent by another mp4u (process {pid}); left to it · R asks again"
                        ),
                        None => "being sent by another mp4u; left to it · R asks again".into(),
                    },
                    width.saturating_sub(3)
                )
            ),
            theme.dim(),
        ),
        UploadState::Duplicate { url, .. } => Line::styled(
            format!(
                "   {}",
                fit(
                    &format!("already on the account? {url} · skip it, or R sends it anyway"),
                    width.saturating_sub(3)
                )
            ),
            theme.warn(),
        ),
        UploadState::Skipped { url, .. } => Line::from(vec![
            Span::raw("   "),
            Span::styled("already there → ", theme.dim()),
            Span::styled(fit(url, width.saturating_sub(20)), theme.accent()),
        ]),
        UploadState::Checking { .. } => Line::styled(
            format!(
                "   {}",
                fit(
                    match u.entry.as_ref().map(|e| &e.state) {
                        Some(crate::queue::State::NotMoved { .. }) => {
                            "on the account in /: moving it into its folder, sending nothing"
                        }
                        Some(
                            crate::queue::State::Sent { .. } | crate::queue::State::Unknown { .. },
                        ) => {
                            "its last byte went out: looking for it on the account until it could \
                             no longer arrive, before sending anything"
                        }
                        _ => "looking for it on the account before sending anything",
                    },
                    width.saturating_sub(3)
                )
            ),
            theme.dim(),
        ),
        UploadState::Done {
            placement: Placement::LeftInRoot { reason, .. },
            moving,
            ..
        } => Line::styled(
            format!(
                "   {}",
                fit(
                    &if *moving {
                        format!("in /: moving it to {}…", u.folder_path)
                    } else {
                        format!(
                            "in /: moving to {} failed; {} moves it ({reason})",
                            u.folder_path,
                            key(Action::Move)
                        )
                    },
                    width.saturating_sub(3)
                )
            ),
            theme.warn(),
        ),
        UploadState::Done { url, .. } => Line::from(vec![
            Span::raw("   "),
            Span::styled(format!("{} ", bar(1.0, 20)), theme.success()),
            Span::raw(format!(" {}  ", format::size(u.size))),
            Span::styled(url.clone(), theme.accent()),
        ]),
        _ => {
            let mut text = format!(" {} / {}", format::size(u.sent), format::size(u.size));
            if u.state == UploadState::Running {
                if let Some(speed) = u.speed() {
                    text.push_str(&format!("  {}/s", format::size(speed as u64)));
                }
                if let Some(eta) = u.eta() {
                    text.push_str(&format!("  ETA {}", clock(eta)));
                }
            }
            if let Some(w) = &u.warning {
                text.push_str(&format!("  ({w})"));
            }
            Line::from(vec![
                Span::raw("   "),
                Span::styled(bar(u.fraction(), 20), state_style(theme, &u.state)),
                Span::raw(fit(&text, width.saturating_sub(24))),
            ])
        }
    }
}

pub fn draw(frame: &mut Frame, app: &Scene<'_>, area: Rect, view: &ListState) {
    let theme = app.theme;
    let queue = &app.uploads;
    let running = queue
        .items
        .iter()
        .filter(|u| u.state == UploadState::Running)
        .count();
    let waiting = queue
        .items
        .iter()
        .filter(|u| u.state == UploadState::Queued)
        .count();
    let count =
        |state: fn(&UploadState) -> bool| queue.items.iter().filter(|u| state(&u.state)).count();
    let done = count(|s| {
        matches!(
            s,
            UploadState::Done {
                placement: Placement::InFolder { .. },
                ..
            }
        )
    });
    let not_moved = count(|s| {
        matches!(
            s,
            UploadState::Done {
                placement: Placement::LeftInRoot { .. },
                ..
            }
        )
    });
    let failed = count(|s| matches!(s, UploadState::Failed(_)));
    let refused = count(|s| matches!(s, UploadState::Refused(_)));
    let unknown = count(|s| matches!(s, UploadState::Unknown { .. }));
    let paused = count(|s| matches!(s, UploadState::Paused { .. }));
    let skipped = count(|s| matches!(s, UploadState::Skipped { .. }));
    let elsewhere = count(|s| matches!(s, UploadState::Elsewhere { .. }));
    let mut title = String::from("Transfers");
    for (n, word) in [
        (running, "sending"),
        (waiting, "queued"),
        (paused, "paused"),
        (done, "done"),
        (skipped, "already there"),
        (not_moved, "not moved"),
        (failed, "failed"),
        (unknown, "unknown"),
        (refused, "refused"),
        (elsewhere, "elsewhere"),
    ] {
        if n > 0 {
            title.push_str(&format!(" · {n} {word}"));
        }
    }
    let shown = crate::geometry::transfers_shown(area.height);
    let inner = super::views::frame_view(frame, theme, area, &title);
    if inner.height < 3 {
        return;
    }
    let w = inner.width as usize;
    let x = inner.x;

    if queue.items.is_empty() {
        frame.render_widget(
            Paragraph::new(vec![
                Line::styled("No uploads yet.", theme.dim()),
                Line::styled(
                    "Press u to pick files; they go into the folder highlighted in the tree.",
                    theme.dim(),
                ),
                Line::default(),
                match queue.bwlimit {
                    Some(_) => Line::from(vec![
                        Span::styled("Upload ", theme.dim()),
                        limit_span(theme, queue.bwlimit),
                        Span::styled(" (b changes it)", theme.dim()),
                    ]),
                    None => Line::styled("No upload limit (b sets one)", theme.dim()),
                },
            ]),
            Rect::new(x, inner.y, w as u16, 4),
        );
    } else {
        let (sent, all) = queue.totals();
        let fraction = if all == 0 {
            0.0
        } else {
            sent as f64 / all as f64
        };
        let speed: f64 = queue
            .items
            .iter()
            .filter(|u| u.state == UploadState::Running)
            .filter_map(Upload::speed)
            .sum();
        let mut total = format!(
            " {} / {}  {}%",
            format::size(sent),
            format::size(all),
            percent(sent, all)
        );
        if speed > 0.0 {
            total.push_str(&format!("  {}/s", format::size(speed as u64)));
        }
        let troubled = queue.troubled();
        // The limit beside the speed it bounds; on a narrow screen the gauge gives way to it.
        let limit = limit_span(theme, queue.bwlimit);
        let words = 6 + total.chars().count() + 4 + limit.width();
        let cells = w.saturating_sub(words).clamp(8, 24);
        let mut spans = vec![
            Span::styled("Total ", theme.dim()),
            Span::styled(bar(fraction, cells), theme.accent()),
            Span::raw(total),
            Span::styled("  · ", theme.dim()),
            limit,
        ];
        if all == 0 {
            // Only paused, skipped or given-up rows: nothing to measure.
            spans = vec![Span::styled(
                match paused {
                    0 => "Nothing is being sent".to_string(),
                    n => format!("Nothing is being sent · {n} paused: A resumes them"),
                },
                theme.dim(),
            )];
        }
        if troubled > 0 {
            spans.push(Span::styled(
                format!("  · {} did not arrive", format::plural(troubled, "upload")),
                theme.error().add_modifier(Modifier::BOLD),
            ));
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)),
            Rect::new(x, inner.y, w as u16, 1),
        );
        let mut lines = Vec::new();
        let window = view.window(queue.items.len(), shown);
        for (i, u) in queue
            .items
            .iter()
            .enumerate()
            .skip(window.start)
            .take(window.len())
        {
            let state = match &u.state {
                // Every byte out: the queue's word for it, until the answer comes.
                UploadState::Running if u.size > 0 && u.sent >= u.size => "sent".to_string(),
                UploadState::Running => format!("{:>3.0}%", u.fraction() * 100.0),
                other => other.label().to_string(),
            };
            let head = format!(
                "{} {} {}",
                if i == view.cursor { "▸" } else { " " },
                u.name,
                place(u)
            );
            let state_w = 10;
            let mut first = Line::from(vec![
                Span::raw(pad(&head, w.saturating_sub(state_w))),
                Span::styled(format!("{state:>state_w$}"), state_style(theme, &u.state)),
            ]);
            if i == view.cursor {
                first = first.style(theme.selected(true));
            }
            lines.push(first);
            lines.push(detail_line(app, u, w));
        }
        let room = inner.height.saturating_sub(3);
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(x, inner.y + 2, w as u16, ((shown * 2) as u16).min(room)),
        );
    }
    draw_hint(
        frame,
        app,
        Scope::Transfers,
        Rect::new(x, inner.y + inner.height.saturating_sub(1), w as u16, 1),
    );
}

/// `limit 1 MB/s`, or `no limit` (the key that changes it is in the key line).
fn limit_span(theme: &Theme, bwlimit: Option<u64>) -> Span<'static> {
    match bwlimit {
        Some(_) => Span::styled(
            format!("limit {}", crate::api::bandwidth::describe(bwlimit)),
            theme.accent(),
        ),
        None => Span::styled("no limit", theme.dim()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_percentage_says_100_only_when_all_is_there() {
        assert_eq!(super::percent(999, 1000), 99);
        assert_eq!(super::percent(1000, 1000), 100);
        assert_eq!(super::percent(0, 0), 0);
        assert_eq!(super::percent(1, 3), 33);
    }

    #[test]
    fn clocks() {
        assert_eq!(super::clock(32), "0:32");
        assert_eq!(super::clock(3909), "1:05:09");
    }
}
