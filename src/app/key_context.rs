//! The keys in force: which table answers now (popup, view, filter line or browser), which of
//! its actions can do something at this moment, and what the key bar offers.

use super::App;
use super::keys;
use super::overlay::{self, Popup, View, Waiting};
use super::uploads;

impl App {
    /// The key table in force: the popup's, else the view's, else the filter line's or the
    /// browser's (or only quitting, on a terminal too small to draw).
    pub fn key_table(&self) -> &'static [keys::Binding] {
        if !crate::geometry::fits(self.size.0, self.size.1) {
            return keys::TOO_SMALL;
        }
        if let Some(popup) = &self.popup {
            return match popup {
                Popup::Rename(_) | Popup::NewFolder(_) => keys::INPUT,
                Popup::Move(_) => keys::MOVE,
                Popup::Details(_) | Popup::Cloned(_) => keys::LINK,
                Popup::Error(_) => keys::MESSAGE,
                Popup::Login(_) => keys::LOGIN,
                Popup::Upload(_) => keys::PICKER,
                Popup::Confirm(_) => keys::CONFIRM,
                Popup::Sort(_) => keys::SORT,
                Popup::Formats(_) => keys::FORMATS,
                Popup::Resume(_) => keys::RESUME,
                Popup::Duplicates(_) => keys::DUPLICATES,
                Popup::Tree(_) => keys::TREE_UPLOAD,
            };
        }
        match self.view {
            Some(View::Help) => keys::HELP,
            Some(View::Transfers) => keys::TRANSFERS,
            Some(View::Stats) => keys::STATS,
            Some(View::Deleted) => keys::DELETED,
            Some(View::Checker) => keys::CHECKER,
            Some(View::Search) => keys::SEARCH,
            Some(View::Messages) => keys::MESSAGES,
            None if self.filter_input.is_some() => keys::FILTER,
            None => keys::BROWSER,
        }
    }

    /// Whether an action of the table in force does something now (the key bar offers only
    /// those): nothing but Esc while a change is on its way, retry only on a failed upload…
    pub fn available(&self, action: keys::Action) -> bool {
        use keys::Action as A;
        match (&self.popup, self.view) {
            (Some(Popup::Rename(p)), _) if p.busy() => action == A::Close,
            (Some(Popup::NewFolder(p)), _) if p.busy() => action == A::Close,
            (Some(Popup::Move(p)), _) if p.busy() => action == A::Close,
            (Some(Popup::Upload(p)), _) if p.checking => action == A::Close,
            (Some(Popup::Login(p)), _) if p.checking => action == A::Quit,
            (Some(Popup::Cloned(p)), _) if p.clones.is_empty() => action == A::Close,
            (Some(Popup::Tree(p)), _) if p.tree.plan.skip.is_empty() => action != A::SendAnyway,
            (Some(_), _) => true,
            (None, Some(View::Transfers)) => {
                let selected = self.uploads.items.get(self.views.transfers.cursor);
                let state = selected.map(|u| &u.state);
                match action {
                    A::Cancel => state.is_some_and(|s| {
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

    /// The key bar: the entries of the table in force that do something now.
    pub fn bar_entries(&self) -> Vec<(String, &'static str)> {
        self.key_table()
            .iter()
            .filter(|b| !b.bar.is_empty() && self.available(b.action))
            .map(|b| (b.keys[0].label(), b.bar))
            .collect()
    }
}
