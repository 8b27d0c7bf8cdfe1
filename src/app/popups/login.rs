//! The first run without a key: paste it, it is checked with mp4upload, then saved.

use ratatui::Frame;
use ratatui::crossterm::event::{Event as TermEvent, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{Component, Popup, capitalize, message_line};
use crate::api::{AccountInfo, ApiKey};
use crate::app::keys::{Action, Scope};
use crate::app::paint::{Scene, dialog, draw_input};
use crate::app::{App, Command, Level};
use crate::theme;

#[derive(Debug, Clone, Default)]
pub struct LoginPopup {
    pub input: Input,
    pub error: Option<String>,
    pub checking: bool,
}

impl Component for LoginPopup {
    fn available(&self, _app: &App, action: Action) -> bool {
        !self.checking || action == Action::Quit
    }

    fn busy(&self) -> bool {
        self.checking
    }

    fn input(&mut self) -> Option<&mut Input> {
        Some(&mut self.input)
    }

    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let theme = app.theme;
        let width = area.width.saturating_sub(4).clamp(30, 72);
        let body = dialog(
            frame,
            app,
            area,
            (width, 11),
            "Welcome to mp4u",
            Scope::Login,
        );
        let w = body.width;
        let what = match &app.profile {
            Some(name) => format!("Paste the API key of profile {name} to open its account."),
            None => "Paste your mp4upload API key to open your account.".to_string(),
        };
        let saved = match &app.profile {
            Some(name) => {
                format!("It is checked, then saved under [profiles.{name}] in the config file.")
            }
            None => {
                "It is checked, then saved to the config file (readable by you only).".to_string()
            }
        };
        let intro = vec![
            Line::from(what),
            Line::styled(
                "It is on mp4upload.com under My Account → API key.",
                theme.dim(),
            ),
            Line::styled(saved, theme.dim()),
        ];
        frame.render_widget(
            Paragraph::new(intro).wrap(Wrap { trim: true }),
            Rect::new(body.x, body.y, w, 4),
        );
        draw_input(
            frame,
            theme,
            Rect::new(body.x, body.y + 5, w, 1),
            &self.input,
            true,
            !self.checking,
        );
        let busy = self.checking.then(|| {
            format!(
                "{} Checking the key with mp4upload…",
                theme::spinner(app.spinner)
            )
        });
        frame.render_widget(
            Paragraph::new(message_line(theme, self.error.as_deref(), busy))
                .wrap(Wrap { trim: true }),
            Rect::new(body.x, body.y + 6, w, 2),
        );
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let Some(Popup::Login(p)) = &mut app.popup else {
            return Vec::new();
        };
        match app.keymap.action_for(Scope::Login, &key) {
            Some(Action::Quit) => {
                app.quit = true;
                Vec::new()
            }
            Some(Action::ClearInput) => {
                p.input.reset();
                p.error = None;
                Vec::new()
            }
            Some(Action::Confirm) if !p.checking => match ApiKey::parse(p.input.value()) {
                Ok(key) => {
                    p.error = None;
                    p.checking = true;
                    vec![Command::CheckKey(key)]
                }
                Err(e) => {
                    p.error = Some(capitalize(&e.to_string()));
                    Vec::new()
                }
            },
            Some(_) => Vec::new(),
            None => {
                if !p.checking {
                    p.input.handle_event(&TermEvent::Key(key));
                    p.error = None;
                }
                Vec::new()
            }
        }
    }
}

impl App {
    /// Whether the app waits for a key (nothing else is asked for until it has one).
    pub fn signing_in(&self) -> bool {
        matches!(self.popup, Some(Popup::Login(_)))
    }

    /// The key's check: a good key opens the account; a bad one says why in the popup.
    pub(in crate::app) fn on_key_checked(
        &mut self,
        result: Result<AccountInfo, String>,
    ) -> Vec<Command> {
        match result {
            Ok(info) => {
                self.popup = None;
                self.account = Some(info);
                self.notify(Level::Info, "Key saved");
                let mut commands = vec![Command::LoadQueue];
                commands.extend(self.load_children(crate::app::tree::ROOT));
                commands.extend(self.show_folder(false));
                commands
            }
            Err(message) => {
                if let Some(Popup::Login(p)) = &mut self.popup {
                    p.checking = false;
                    p.error = Some(message);
                }
                Vec::new()
            }
        }
    }
}
