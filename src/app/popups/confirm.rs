//! A yes-or-no question before something that cannot be undone: quitting while uploads run,
//! cloning (there is no delete API: a stray copy stays until removed on the site).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};

use super::{Component, Popup};
use crate::api::FileInfo;
use crate::app::keys::{Action, Scope};
use crate::app::paint::{Scene, dialog};
use crate::app::{App, Command};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmAction {
    Quit,
    /// Clone these files (there is no delete API: a stray copy stays until removed on the site).
    Clone(Vec<FileInfo>),
}

#[derive(Debug, Clone)]
pub struct ConfirmPopup {
    pub question: String,
    pub action: ConfirmAction,
}

impl Component for ConfirmPopup {
    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let question = &self.question;
        let width = area.width.saturating_sub(4).clamp(30, 60);
        let body = dialog(
            frame,
            app,
            area,
            (width, 6),
            "Are you sure?",
            Scope::Question,
        );
        let w = body.width;
        frame.render_widget(
            Paragraph::new(question.to_string()).wrap(Wrap { trim: true }),
            Rect::new(body.x, body.y, w, body.height),
        );
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let Some(Popup::Confirm(c)) = &app.popup else {
            return Vec::new();
        };
        match app.keymap.action_for(Scope::Question, &key) {
            Some(Action::Confirm) => match c.action.clone() {
                ConfirmAction::Quit => {
                    app.quit = true;
                    Vec::new()
                }
                ConfirmAction::Clone(files) => app.start_clones(files),
            },
            Some(Action::Close) => {
                app.popup = None;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}

impl App {
    /// Quit, unless uploads run: then ask first.
    pub(in crate::app) fn request_quit(&mut self) {
        let running = self.uploads.active().count();
        if running == 0 {
            self.quit = true;
        } else {
            self.open(ConfirmPopup {
                question: if running == 1 {
                    "1 upload is still running. Quit and stop it?".into()
                } else {
                    format!("{running} uploads are still running. Quit and stop them?")
                },
                action: ConfirmAction::Quit,
            });
        }
    }

    /// Whether the open popup is a yes-or-no question (a second Ctrl-C there quits).
    pub(in crate::app) fn asking(&self) -> bool {
        matches!(self.popup, Some(Popup::Confirm(_)))
    }
}
