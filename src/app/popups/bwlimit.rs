//! The upload limit popup (`b` in the transfers view): the total rate all uploads share,
//! changed while they run, for this session (the config's `bwlimit` is the lasting one).

use ratatui::Frame;
use ratatui::crossterm::event::{Event as TermEvent, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{Component, Popup};
use crate::api::bandwidth::{as_typed, describe, parse_rate};
use crate::app::keys::{Action, Scope};
use crate::app::paint::{Scene, dialog, draw_input};
use crate::app::{App, Command, Level};
use crate::text::{fit, wrapped_height};

/// The transfers view's `b`: the upload limit, changed for the session.
#[derive(Debug, Clone, Default)]
pub struct BwLimitPopup {
    /// Starts with the limit in force, as it would be typed (`1M`); empty: none.
    pub input: Input,
    /// Why the text is not a rate.
    pub error: Option<String>,
}

impl App {
    /// Opens the popup with the limit in force, as it would be typed.
    pub(in crate::app) fn open_bwlimit(&mut self) {
        let typed = as_typed(self.uploads.bwlimit);
        let cursor = typed.chars().count();
        self.open(BwLimitPopup {
            input: Input::new(typed).with_cursor(cursor),
            error: None,
        });
    }
}

impl Component for BwLimitPopup {
    fn input(&mut self) -> Option<&mut Input> {
        Some(&mut self.input)
    }

    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let width = area.width.saturating_sub(4).clamp(30, 62);
        let text_w = width.saturating_sub(4) as usize;
        let error_h = self
            .error
            .as_deref()
            .map_or(0, |e| wrapped_height(e, text_w).clamp(1, 4) as u16);
        let body = dialog(
            frame,
            app,
            area,
            (width, 11 + error_h),
            "Upload limit",
            Scope::BwLimit,
        );
        let w = body.width;
        let row = |i: u16, h: u16| Rect::new(body.x, body.y + i, w, h);
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("All uploads together, now: ", app.theme.dim()),
                Span::raw(describe(app.uploads.bwlimit)),
            ])),
            row(0, 1),
        );
        draw_input(frame, app.theme, row(1, 1), &self.input, false, true);
        if let Some(error) = &self.error {
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
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let Some(Popup::BwLimit(p)) = &mut app.popup else {
            return Vec::new();
        };
        match app.keymap.action_for(Scope::BwLimit, &key) {
            Some(Action::Close) => app.popup = None,
            Some(Action::ClearInput) => {
                p.input.reset();
                p.error = None;
            }
            Some(Action::Confirm) => {
                let text = p.input.value().trim();
                // Empty means none here (the flag and the config want a word for it).
                let parsed = if text.is_empty() {
                    Ok(None)
                } else {
                    parse_rate(text)
                };
                match parsed {
                    Ok(rate) => {
                        app.popup = None;
                        app.uploads.bwlimit = rate;
                        let running = app.uploads.active().count();
                        let said = match rate {
                            Some(_) => format!("Upload limit: {} for this session", describe(rate)),
                            None => "No upload limit for this session".to_string(),
                        };
                        app.notify(
                            Level::Info,
                            if running > 0 {
                                format!("{said} (running uploads follow now)")
                            } else {
                                said
                            },
                        );
                        return vec![Command::SetBwLimit(rate)];
                    }
                    Err(reason) => p.error = Some(reason),
                }
            }
            _ => {
                p.input.handle_event(&TermEvent::Key(key));
                p.error = None;
            }
        }
        Vec::new()
    }
}
