//! The upload limit popup (`b` in the transfers view): the total rate all uploads share,
//! changed while they run, for this session (the config's `bwlimit` is the lasting one).

use ratatui::crossterm::event::{Event as TermEvent, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::keys::{Action, Scope};
use super::overlay::{BwLimitPopup, Popup};
use super::{App, Command, Level};
use crate::api::bandwidth::{as_typed, describe, parse_rate};

impl App {
    /// Opens the popup with the limit in force, as it would be typed.
    pub(super) fn open_bwlimit(&mut self) {
        let typed = as_typed(self.uploads.bwlimit);
        let cursor = typed.chars().count();
        self.popup = Some(Popup::BwLimit(BwLimitPopup {
            input: Input::new(typed).with_cursor(cursor),
            error: None,
        }));
    }

    pub(super) fn on_bwlimit_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let Some(Popup::BwLimit(p)) = &mut self.popup else {
            return Vec::new();
        };
        match self.keymap.action_for(Scope::BwLimit, &key) {
            Some(Action::Close) => self.popup = None,
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
                        self.popup = None;
                        self.uploads.bwlimit = rate;
                        let running = self.uploads.active().count();
                        let said = match rate {
                            Some(_) => format!("Upload limit: {} for this session", describe(rate)),
                            None => "No upload limit for this session".to_string(),
                        };
                        self.notify(
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
