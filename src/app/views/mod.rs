//! The full-screen views over the browser: help, transfers, statistics, deleted files, the link
//! checker, search, messages. At most one is open (`App::view`); the work of each is kept while
//! it is closed (`App::views`): Esc goes back to the browser and the view opens again as it was.
//!
//! Each view is a component ([`Component`]) in a file of its own: its state, how it opens, its
//! keys, what it does with the answers to what it asked, and its drawing. A new view is its
//! file, its `mod` line and one line in the list below.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

pub use super::component::Component;
use super::keys::Scope;
use super::paint::{Scene, hint_within};
use super::popups::FormatPurpose;
use super::{App, Command, Level};
use crate::api::FileInfo;
use crate::links::LinkFile;
use crate::theme::{self, Theme};

pub mod checker;
pub mod deleted;
pub mod help;
pub mod messages;
pub mod search;
pub mod stats;
pub mod transfers;

/// The views: `Variant(Type) as field in file`, one line each (beside the file's `mod` line).
macro_rules! views {
    ($($(#[$doc:meta])* $variant:ident($ty:ident) as $field:ident in $file:ident keys $scope:ident,)*) => {
        $(pub use $file::$ty;)*

        /// A full-screen view over the browser: which one is open.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum View {
            $($(#[$doc])* $variant,)*
        }

        /// The work of every view, kept while it is closed.
        #[derive(Debug, Clone, Default)]
        pub struct Views {
            $(pub $field: $ty,)*
        }

        impl Views {
            /// The state of `view`, as a component.
            pub fn of(&self, view: View) -> &dyn Component {
                match view {
                    $(View::$variant => &self.$field,)*
                }
            }

            pub fn of_mut(&mut self, view: View) -> &mut dyn Component {
                match view {
                    $(View::$variant => &mut self.$field,)*
                }
            }
        }

        impl View {
            /// The key table in force while it is open.
            pub fn scope(self) -> Scope {
                match self {
                    $(View::$variant => Scope::$scope,)*
                }
            }

            /// Hands a key to the open view.
            fn route_key(self, app: &mut App, key: KeyEvent) -> Vec<Command> {
                match self {
                    $(View::$variant => <$ty as Component>::on_key(app, key),)*
                }
            }
        }
    };
}

views! {
    Help(HelpView) as help in help keys Help,
    Transfers(TransfersView) as transfers in transfers keys Transfers,
    Stats(StatsView) as stats in stats keys Stats,
    Deleted(DeletedView) as deleted in deleted keys Deleted,
    Checker(CheckerView) as checker in checker keys Checker,
    Search(SearchView) as search in search keys Search,
    Messages(MessagesView) as messages in messages keys Messages,
}

/// A view whose state is a list's cursor and scroll only.
macro_rules! list_view {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default)]
        pub struct $name(pub crate::app::list::ListState);

        impl std::ops::Deref for $name {
            type Target = crate::app::list::ListState;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl std::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.0
            }
        }
    };
}
use list_view;

/// Where the keys go in a view with an input above a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ViewFocus {
    #[default]
    Input,
    /// The second input (the search's "uploaded after").
    Second,
    List,
}

impl App {
    pub(super) fn on_view_key(&mut self, key: KeyEvent) -> Vec<Command> {
        match self.view {
            Some(view) => view.route_key(self, key),
            None => Vec::new(),
        }
    }

    /// Keeps the open view's list inside its rows and on screen (it reads the app without the
    /// views meanwhile).
    pub(super) fn settle_view(&mut self) {
        if let Some(view) = self.view {
            let mut views = std::mem::take(&mut self.views);
            views.of_mut(view).settle(self);
            self.views = views;
        }
    }

    /// The host of the links this app makes (`127.0.0.1:4242` in the demo), so that pasted
    /// links to it count.
    pub fn link_host(&self) -> Option<String> {
        let rest = self.base_url.split_once("://").map(|(_, r)| r)?;
        Some(rest.split('/').next().unwrap_or(rest).to_string())
    }

    /// Exports the links of the marked files, or of every file shown: the formats menu first.
    pub(in crate::app) fn export_links(&mut self) -> Vec<Command> {
        let files: Vec<FileInfo> = if self.files.marked.is_empty() {
            self.files
                .view
                .iter()
                .filter_map(|i| self.files.files().get(*i))
                .cloned()
                .collect()
        } else {
            self.files.targets()
        };
        if files.is_empty() {
            self.notify(Level::Info, "No file here to export");
            return Vec::new();
        }
        let hidden = self.files.hidden_marks();
        let folder = Some(self.tree.path(self.files.folder));
        let files = files
            .iter()
            .map(|f| LinkFile::from_info(f).in_folder(folder.clone()))
            .collect();
        self.open_formats(
            FormatPurpose::Export {
                prefix: "mp4u-links",
            },
            files,
            hidden,
            None,
        );
        Vec::new()
    }
}

/// A key that types a character (no Ctrl or Alt).
pub(super) fn is_text(key: &KeyEvent) -> bool {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    matches!(key.code, KeyCode::Char(_))
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// The view's frame: nearly the whole screen, over the browser. Returns the inside, or `None`
/// where it has fewer than `min_rows` rows (too small a terminal to show the view).
pub(super) fn frame_view(
    frame: &mut Frame,
    theme: &Theme,
    area: Rect,
    title: &str,
    min_rows: u16,
) -> Option<Rect> {
    // Over the two panes; the account line and the key bar stay visible.
    let rect = Rect::new(
        area.x,
        area.y,
        area.width,
        area.height.saturating_sub(2).max(3).min(area.height),
    );
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_style(theme.popup_border())
        .title(Span::styled(
            format!(" {title} "),
            theme.popup_border().add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    (inner.height >= min_rows).then(|| {
        Rect::new(
            inner.x + 1,
            inner.y,
            inner.width.saturating_sub(2),
            inner.height,
        )
    })
}

pub(super) fn bottom_hint(frame: &mut Frame, app: &Scene<'_>, inner: Rect, scope: Scope) {
    bottom_line(frame, inner, hint_within(app, scope, inner.width as usize));
}

/// A line at the foot of a view (its keys).
pub(super) fn bottom_line(frame: &mut Frame, inner: Rect, line: Line<'static>) {
    if inner.height > 0 {
        frame.render_widget(
            Paragraph::new(line),
            Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1),
        );
    }
}

pub(super) fn row(inner: Rect, y: u16) -> Rect {
    rows(inner, y, 1)
}

/// `height` rows of the inside from row `y` (as many as there are).
pub(super) fn rows(inner: Rect, y: u16, height: u16) -> Rect {
    Rect::new(
        inner.x,
        inner.y + y,
        inner.width,
        height.min(inner.height.saturating_sub(y)),
    )
}

/// What a view asked the server for: the last answer, whether it is being asked again, and
/// why the last asking failed (the answer of before stays shown beside the reason).
#[derive(Debug, Clone)]
pub struct Fetch<T> {
    pub data: Option<T>,
    pub loading: bool,
    pub error: Option<String>,
}

impl<T> Default for Fetch<T> {
    fn default() -> Self {
        Fetch {
            data: None,
            loading: false,
            error: None,
        }
    }
}

impl<T> Fetch<T> {
    /// Asked (again): the reason of before is gone.
    pub fn ask(&mut self) {
        self.loading = true;
        self.error = None;
    }

    /// The answer: kept if it is one, its reason if not. Returns the data it brought.
    pub fn answer(&mut self, result: Result<T, crate::api::ApiError>) -> Option<&T> {
        self.loading = false;
        match result {
            Ok(data) => {
                self.error = None;
                Some(&*self.data.insert(data))
            }
            Err(e) => {
                self.error = Some(e.to_string());
                None
            }
        }
    }

    /// The line under a view's header while it waits the first time, or after a failure.
    pub fn status(&self, theme: &Theme, spinner: usize, what: &str) -> Option<Line<'static>> {
        status_line(
            theme,
            self.loading && self.data.is_none(),
            self.error.as_deref(),
            spinner,
            what,
        )
    }
}

pub(super) fn status_line(
    theme: &Theme,
    loading: bool,
    error: Option<&str>,
    spinner: usize,
    what: &str,
) -> Option<Line<'static>> {
    if let Some(e) = error {
        Some(Line::styled(e.to_string(), theme.error()))
    } else if loading {
        Some(Line::styled(
            format!("{} {what}", theme::spinner(spinner)),
            theme.dim(),
        ))
    } else {
        None
    }
}
