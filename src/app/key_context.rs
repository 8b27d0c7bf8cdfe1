//! The keys in force: which table answers now (popup, view, filter line or browser), which of
//! its actions can do something at this moment, and what the key bar offers.

use super::App;
use super::keys::{self, Scope};
use super::overlay::{self, View};
use super::uploads;

impl App {
    /// The keys in force: the popup's, else the view's, else the filter line's or the
    /// browser's (or only quitting, on a terminal too small to draw).
    pub fn key_scope(&self) -> Scope {
        if !crate::geometry::fits(self.size.0, self.size.1) {
            return Scope::TooSmall;
        }
        if let Some(popup) = &self.popup {
            return popup.component().scope();
        }
        match self.view {
            Some(View::Help) => Scope::Help,
            Some(View::Transfers) => Scope::Transfers,
            Some(View::Stats) => Scope::Stats,
            Some(View::Deleted) => Scope::Deleted,
            Some(View::Checker) => Scope::Checker,
            Some(View::Search) => Scope::Search,
            Some(View::Messages) => Scope::Messages,
            None if self.filter_input.is_some() => Scope::FilterLine,
            None => Scope::Browser,
        }
    }

    /// Whether an action of the table in force does something now (the key bar offers only
    /// those): nothing but Esc while a change is on its way, retry only on a failed upload…
    pub fn available(&self, action: keys::Action) -> bool {
        use keys::Action as A;
        match (&self.popup, self.view) {
            (Some(popup), _) => popup.component().available(action),
            (None, Some(View::Transfers)) => {
                let selected = self.uploads.items.get(self.views.transfers.cursor);
                let state = selected.map(|u| &u.state);
                match action {
                    A::CancelUpload => state.is_some_and(|s| {
                        s.is_active() || matches!(s, uploads::UploadState::Paused { .. })
                    }),
                    A::Retry => state.is_some_and(|s| {
                        matches!(
                            s,
                            uploads::UploadState::Failed(_)
                                | uploads::UploadState::Cancelled
                                | uploads::UploadState::Unknown { .. }
                                | uploads::UploadState::Paused { .. }
                                | uploads::UploadState::Elsewhere { .. }
                                | uploads::UploadState::Duplicate { .. }
                                | uploads::UploadState::Skipped { .. }
                        )
                    }),
                    A::ResumeAll => !self.paused_ids().is_empty(),
                    A::ClearFinished => self.uploads.items.iter().any(|u| u.state.is_finished()),
                    A::CopyLink => state.is_some_and(|s| {
                        matches!(
                            s,
                            uploads::UploadState::Done { .. }
                                | uploads::UploadState::Skipped { .. }
                        )
                    }),
                    A::Move => state.is_some_and(|s| {
                        matches!(
                            s,
                            uploads::UploadState::Done {
                                placement: crate::api::Placement::LeftInRoot { .. },
                                moving: false,
                                ..
                            }
                        )
                    }),
                    _ => true,
                }
            }
            (None, Some(View::Checker)) => match action {
                A::CopyLink | A::Export => {
                    self.views.checker.focus == overlay::ViewFocus::List
                        && self.views.checker.results.is_some()
                }
                _ => true,
            },
            (None, Some(View::Search)) => match action {
                A::NextPage => self.views.search.more && !self.views.search.loading,
                _ => true,
            },
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
