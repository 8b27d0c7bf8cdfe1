//! The transfers view: every upload with its progress; cancel, retry, move, copy a link, the
//! upload limit.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Component, View, list_view};
use crate::api::Placement;
use crate::app::keys::{self, Action, Scope};
use crate::app::paint::{Scene, draw_hint};
use crate::app::uploads::{Upload, UploadState};
use crate::app::{App, Command, Level};
use crate::format::{self, plural};
use crate::text::{fit, pad};
use crate::theme::Theme;

list_view!(
    /// The row the cursor is on.
    TransfersView
);

impl App {
    /// Opens the transfers view on the first upload under way (else where it was).
    pub(in crate::app) fn open_transfers(&mut self) {
        if let Some(cursor) = self.uploads.items.iter().position(|u| u.state.is_active()) {
            self.views.transfers.cursor = cursor;
        }
        self.view = Some(View::Transfers);
    }

    fn cancel_upload(&mut self, id: u64) -> Vec<Command> {
        let Some(upload) = self.uploads.get_mut(id) else {
            return Vec::new();
        };
        let paused = matches!(upload.state, UploadState::Paused { .. });
        if !upload.state.is_active() && !paused {
            self.notify(
                Level::Info,
                "Only a queued, running or paused upload can be cancelled",
            );
            return Vec::new();
        }
        let active = upload.state.is_active();
        // The transfer stops at once: the worker drops the connection.
        upload.state = UploadState::Cancelled;
        let name = upload.name.clone();
        // Given up on: out of the queue file too (`R` queues it again).
        let forget = upload.entry.take().map(|e| Command::ForgetUploads {
            entries: vec![e.id],
        });
        let mut commands = Vec::new();
        if active {
            self.notify(Level::Info, format!("Cancelled {name}"));
            commands.push(Command::CancelUpload { id });
        } else {
            self.notify(Level::Info, format!("Removed {name} from the queue"));
        }
        commands.extend(forget);
        commands.extend(self.start_queued());
        commands
    }

    fn retry_upload(&mut self, id: u64) -> Vec<Command> {
        let Some(upload) = self.uploads.get_mut(id) else {
            return Vec::new();
        };
        match &upload.state {
            // The file may be on the account already: look before sending anything again.
            UploadState::Unknown { lookup, .. } => {
                let Some(entry) = upload.entry.as_ref().map(|e| e.id) else {
                    return Vec::new();
                };
                let command = Command::LookupUpload {
                    id,
                    lookup: lookup.clone(),
                    fld_id: upload.fld_id,
                    entry,
                };
                upload.state = UploadState::Checking {
                    lookup: lookup.clone(),
                };
                let name = upload.name.clone();
                self.notify(
                    Level::Info,
                    format!("Looking for {name} on the account before sending it again…"),
                );
                vec![command]
            }
            // Its entry is gone (cancelled) or was never written: queued afresh.
            UploadState::Cancelled => {
                let dup = upload.dup;
                self.requeue(id, dup)
            }
            UploadState::Failed(_) if upload.entry.is_none() => {
                let dup = upload.dup;
                self.requeue(id, dup)
            }
            UploadState::Failed(_) => {
                self.uploads.reset(id);
                self.start_queued()
            }
            UploadState::Paused { .. }
            | UploadState::Elsewhere { .. }
            | UploadState::Duplicate { .. }
            | UploadState::Skipped { .. } => self.resume_or_send_anyway(id),
            _ => {
                self.notify(
                    Level::Info,
                    "Only a failed, cancelled, unknown, paused or skipped upload can be retried",
                );
                Vec::new()
            }
        }
    }

    /// `m` on an upload left in the root: move it into its folder.
    fn move_upload(&mut self, id: u64) -> Vec<Command> {
        let Some(upload) = self.uploads.get_mut(id) else {
            return Vec::new();
        };
        let entry = upload.entry.as_ref().map_or(0, |e| e.id);
        match &mut upload.state {
            UploadState::Done {
                code,
                placement: Placement::LeftInRoot { wanted, .. },
                moving,
                ..
            } => {
                if *moving {
                    return Vec::new();
                }
                *moving = true;
                vec![Command::MoveUpload {
                    id,
                    code: code.clone(),
                    fld_id: *wanted,
                    entry,
                }]
            }
            _ => {
                self.notify(
                    Level::Info,
                    "Only an upload left in / can be moved from here (m in the browser moves files)",
                );
                Vec::new()
            }
        }
    }

    /// `C` in the transfers view: the finished uploads leave the list and the queue file.
    fn clear_finished(&mut self) -> Vec<Command> {
        let before = self.uploads.items.len();
        self.uploads.items.retain(|u| !u.state.is_finished());
        let cleared = before - self.uploads.items.len();
        let view = &mut self.views.transfers;
        view.cursor = view.cursor.min(self.uploads.items.len().saturating_sub(1));
        if cleared == 0 {
            self.notify(Level::Info, "Nothing finished to clear");
        } else {
            self.notify(
                Level::Info,
                format!("Cleared {}", plural(cleared, "finished upload")),
            );
        }
        vec![Command::ClearFinished]
    }
}

impl Component for TransfersView {
    fn available(&self, app: &App, action: Action) -> bool {
        let selected = app.uploads.items.get(self.cursor);
        let state = selected.map(|u| &u.state);
        match action {
            Action::CancelUpload => {
                state.is_some_and(|s| s.is_active() || matches!(s, UploadState::Paused { .. }))
            }
            Action::Retry => state.is_some_and(|s| {
                matches!(
                    s,
                    UploadState::Failed(_)
                        | UploadState::Cancelled
                        | UploadState::Unknown { .. }
                        | UploadState::Paused { .. }
                        | UploadState::Elsewhere { .. }
                        | UploadState::Duplicate { .. }
                        | UploadState::Skipped { .. }
                )
            }),
            Action::ResumeAll => !app.paused_ids().is_empty(),
            Action::ClearFinished => app.uploads.items.iter().any(|u| u.state.is_finished()),
            Action::CopyLink => state.is_some_and(|s| {
                matches!(s, UploadState::Done { .. } | UploadState::Skipped { .. })
            }),
            Action::Move => state.is_some_and(|s| {
                matches!(
                    s,
                    UploadState::Done {
                        placement: crate::api::Placement::LeftInRoot { .. },
                        moving: false,
                        ..
                    }
                )
            }),
            _ => true,
        }
    }

    fn settle(&mut self, app: &App) {
        self.0.settle(
            app.uploads.items.len(),
            crate::geometry::transfers_shown(app.size.1),
        );
    }

    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
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
        let count = |state| queue.count(state);
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
        let Some(inner) = super::frame_view(frame, theme, area, &title, 3) else {
            return;
        };
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
            for (i, u) in self.shown(queue.items.iter(), shown) {
                let state = match &u.state {
                    // Every byte out: the queue's word for it, until the answer comes.
                    UploadState::Running if u.size > 0 && u.sent >= u.size => "sent".to_string(),
                    UploadState::Running => format!("{:>3.0}%", u.fraction() * 100.0),
                    other => other.label().to_string(),
                };
                let head = format!(
                    "{} {} {}",
                    if i == self.cursor { "▸" } else { " " },
                    u.name,
                    place(u)
                );
                let state_w = 10;
                let mut first = Line::from(vec![
                    Span::raw(pad(&head, w.saturating_sub(state_w))),
                    Span::styled(format!("{state:>state_w$}"), state_style(theme, &u.state)),
                ]);
                if i == self.cursor {
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

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let count = app.uploads.items.len();
        let rows = crate::geometry::transfers_shown(app.size.1);
        let view = &mut app.views.transfers;
        let selected = app.uploads.items.get(view.cursor).map(|u| u.id);
        match app.keymap.action_for(keys::Scope::Transfers, &key) {
            Some(Action::Close) => app.view = None,
            Some(a) if a.moves() => {
                view.apply(a, count, rows);
            }
            Some(Action::Upload) => return app.open_picker(),
            Some(Action::UploadLimit) => app.open_bwlimit(),
            Some(Action::CancelUpload) => {
                if let Some(id) = selected {
                    return app.cancel_upload(id);
                }
            }
            Some(Action::Retry) => {
                if let Some(id) = selected {
                    return app.retry_upload(id);
                }
            }
            Some(Action::Move) => {
                if let Some(id) = selected {
                    return app.move_upload(id);
                }
            }
            Some(Action::ResumeAll) => return app.resume(app.paused_ids()),
            Some(Action::ClearFinished) => return app.clear_finished(),
            Some(Action::CopyLink) => {
                let file =
                    selected
                        .and_then(|id| app.uploads.get(id))
                        .and_then(|u| match &u.state {
                            UploadState::Done { code, .. } | UploadState::Skipped { code, .. } => {
                                Some(crate::links::LinkFile {
                                    code: code.clone(),
                                    name: u.name.clone(),
                                    size: Some(u.size),
                                    uploaded: None,
                                    folder: Some(u.folder_path.clone()),
                                })
                            }
                            _ => None,
                        });
                match file {
                    Some(file) => {
                        app.open_formats(
                            crate::app::popups::FormatPurpose::Copy,
                            vec![file],
                            0,
                            None,
                        );
                    }
                    None => app.notify(Level::Info, "Only a finished upload has a link"),
                }
            }
            _ => {}
        }
        Vec::new()
    }
}

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
