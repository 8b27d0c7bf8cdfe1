//! The keys in force: which table answers now (popup, view, filter line or browser), which of
//! its actions can do something at this moment, and what the key bar offers.

use super::App;
use super::keys::{self, Scope};

impl App {
    /// The keys in force: the popup's, else the view's, else the filter line's or the
    /// browser's (or only quitting, on a terminal too small to draw).
    pub fn key_scope(&self) -> Scope {
        if !crate::geometry::fits(self.size.0, self.size.1) {
            return Scope::TooSmall;
        }
        if let Some(popup) = &self.popup {
            return popup.scope();
        }
        match self.view {
            Some(view) => view.scope(),
            None if self.filter_input.is_some() => Scope::FilterLine,
            None => Scope::Browser,
        }
    }

    /// Whether an action of the table in force does something now (the key bar offers only
    /// those): nothing but Esc while a change is on its way, retry only on a failed upload…
    pub fn available(&self, action: keys::Action) -> bool {
        match (&self.popup, self.view) {
            (Some(popup), _) => popup.component().available(self, action),
            (None, Some(view)) => self.views.of(view).available(self, action),
            _ => true,
        }
    }

    /// The key bar: the entries of the keys in force that do something now.
    pub fn bar_entries(&self) -> Vec<(String, &'static str)> {
        self.hint_entries(self.key_scope())
    }

    /// The entries of a scope's keys that do something now: (first key, word).
    pub fn hint_entries(&self, scope: Scope) -> Vec<(String, &'static str)> {
        self.keymap
            .bar_entries(scope)
            .into_iter()
            .filter(|(_, _, action)| self.available(*action))
            .map(|(key, word, _)| (key, word))
            .collect()
    }
}
