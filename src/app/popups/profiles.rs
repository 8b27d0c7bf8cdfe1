//! The profiles of `P`: the accounts of the config file (`[profiles.NAME]`), the one in use
//! ticked. Enter switches: the file manager opens again on that account, its queue and its
//! settings, without a restart; not while uploads are on their way.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{Component, Popup};
use crate::app::keys::{Action, Scope};
use crate::app::list::ListState;
use crate::app::paint::{Scene, dialog};
use crate::app::{App, Command, Level};
use crate::text::pad;

#[derive(Debug, Clone, Default)]
pub struct ProfilesPopup {
    /// Over `App::profiles`.
    pub list: ListState,
}

impl App {
    /// Opens the list on the profile in use; says how to make profiles when there are none.
    pub(in crate::app) fn open_profiles(&mut self) {
        if self.profiles.is_empty() {
            let how = if self.demo {
                "The demo has no profiles"
            } else {
                "No profiles: add [profiles.NAME] tables with their api_key to the config file"
            };
            self.notify(Level::Info, how);
            return;
        }
        let at = self
            .profiles
            .iter()
            .position(|p| Some(p) == self.profile.as_ref())
            .unwrap_or(0);
        self.open(ProfilesPopup {
            list: ListState::at(at),
        });
    }
}

impl Component for ProfilesPopup {
    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let theme = app.theme;
        let rows = app.profiles.len().min(12) as u16;
        let body = dialog(
            frame,
            app,
            area,
            (44, rows + 3),
            "Switch to the profile",
            Scope::Profiles,
        );
        let w = body.width as usize;
        let lines: Vec<Line> = self
            .list
            .shown(app.profiles.iter(), rows as usize)
            .map(|(i, name)| {
                let current = if Some(name) == app.profile.as_ref() {
                    " ✓ in use"
                } else {
                    ""
                };
                let line = Line::from(pad(&format!(" {name}{current}"), w));
                theme.row(line, i == self.list.cursor)
            })
            .collect();
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(body.x, body.y, w as u16, rows),
        );
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let Some(Popup::Profiles(menu)) = &mut app.popup else {
            return Vec::new();
        };
        let len = app.profiles.len();
        match app.keymap.action_for(Scope::Profiles, &key) {
            Some(a @ (Action::Up | Action::Down)) => {
                menu.list.apply(a, len, 12);
            }
            Some(Action::Close) => app.popup = None,
            Some(Action::Confirm) => {
                let chosen = app.profiles[menu.list.cursor.min(len - 1)].clone();
                app.popup = None;
                if Some(&chosen) == app.profile.as_ref() {
                    return Vec::new();
                }
                let running = app.uploads.active().count();
                if running > 0 {
                    app.notify(
                        Level::Warn,
                        format!(
                            "{} on its way: switch once it is over (t shows it)",
                            crate::format::plural(running, "upload")
                        ),
                    );
                    return Vec::new();
                }
                app.switch_to = Some(chosen);
                app.quit = true;
            }
            _ => {}
        }
        Vec::new()
    }
}
