//! What a popup or a view is to the app: which of its keys do something now, whether it waits,
//! where a paste goes, how it keeps its list in view, how it draws. Its keys go to
//! [`Component::on_key`], with the whole app at hand. The popups are in `popups/`, the views in
//! `views/`, a file each.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use tui_input::Input;

use super::keys::Action;
use super::paint::Scene;
use super::{App, Command};

/// What a popup or a view is to the app. Its keys go to [`Component::on_key`], with the whole
/// app at hand.
pub trait Component {
    /// Whether an action of its table does something now: the hint offers only those.
    fn available(&self, _app: &App, _action: Action) -> bool {
        true
    }

    /// Waiting for an answer (the spinner turns).
    fn busy(&self) -> bool {
        false
    }

    /// The change it sent and waits for the answer of.
    fn pending(&self) -> Option<u64> {
        None
    }

    /// The change it waited for failed: it shows why, ready to try again.
    fn failed(&mut self, _why: String) {}

    /// Its text input, where a paste goes.
    fn input(&mut self) -> Option<&mut Input> {
        None
    }

    /// Whether it offers every folder: the tree is walked to its end while it is open.
    fn walks_folders(&self) -> bool {
        false
    }

    /// Keeps what it shows in view after any change (the app is the state without it).
    fn settle(&mut self, _app: &App) {}

    fn draw(&self, frame: &mut Frame, scene: &Scene<'_>, area: Rect);

    /// A key while it is open (a popup is in `app.popup`, a view in `app.views`).
    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command>
    where
        Self: Sized;
}
