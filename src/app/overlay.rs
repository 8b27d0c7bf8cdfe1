//! The full-screen views over the browser (help, transfers, statistics, deleted files, link
//! checker, search, messages): at most one is open, and the work of each is kept while it is
//! closed. Over a view, at most one popup ([`super::popups`]).

use tui_input::Input;

use super::list::ListState;
use crate::api::FileInfo;

/// A full-screen view over the browser. Which one is open; its state lives in [`Views`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Help,
    Transfers,
    Stats,
    Deleted,
    Checker,
    Search,
    Messages,
}

/// The work of every view, kept while it is closed (Esc goes back to the browser; the view
/// opens again as it was, until the user clears it).
#[derive(Debug, Clone, Default)]
pub struct Views {
    pub help: ListState,
    pub transfers: ListState,
    pub stats: StatsView,
    pub deleted: DeletedView,
    pub checker: CheckerView,
    pub search: SearchView,
    pub messages: ListState,
}

/// What the statistics chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Metric {
    #[default]
    Views,
    Downloads,
    Profit,
}

impl Metric {
    pub const ALL: [Metric; 3] = [Metric::Views, Metric::Downloads, Metric::Profit];

    pub fn label(self) -> &'static str {
        match self {
            Metric::Views => "Views",
            Metric::Downloads => "Downloads",
            Metric::Profit => "Profit",
        }
    }

    pub fn value(self, day: &crate::api::DayStats) -> f64 {
        match self {
            Metric::Views => day.views as f64,
            Metric::Downloads => day.downloads as f64,
            Metric::Profit => day.profit_total,
        }
    }
}

/// The periods the statistics offer.
pub const STATS_PERIODS: [u32; 3] = [7, 30, 90];

#[derive(Debug, Clone)]
pub struct StatsView {
    pub days: u32,
    pub metric: Metric,
    pub data: Option<Vec<crate::api::DayStats>>,
    pub loading: bool,
    pub error: Option<String>,
}

impl Default for StatsView {
    fn default() -> Self {
        StatsView {
            days: STATS_PERIODS[0],
            metric: Metric::Views,
            data: None,
            loading: false,
            error: None,
        }
    }
}

/// How many deleted files the view asks for, in steps.
pub const DELETED_STEPS: [u32; 5] = [20, 50, 100, 200, 500];

#[derive(Debug, Clone)]
pub struct DeletedView {
    pub last: u32,
    pub data: Option<Vec<crate::api::DeletedFile>>,
    pub loading: bool,
    pub error: Option<String>,
    pub list: ListState,
}

impl Default for DeletedView {
    fn default() -> Self {
        DeletedView {
            last: DELETED_STEPS[0],
            data: None,
            loading: false,
            error: None,
            list: ListState::default(),
        }
    }
}

/// Where the keys go in a view with an input above a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ViewFocus {
    #[default]
    Input,
    /// The second input (the search's "uploaded after").
    Second,
    List,
}

#[derive(Debug, Clone, Default)]
pub struct CheckerView {
    pub input: Input,
    pub focus: ViewFocus,
    /// What the last check asked about (parsed from the input then).
    pub parsed: crate::links::ParsedLinks,
    pub results: Option<Vec<FileInfo>>,
    pub loading: bool,
    pub error: Option<String>,
    pub list: ListState,
    pub req: u64,
}

#[derive(Debug, Clone, Default)]
pub struct SearchView {
    pub name: Input,
    /// A timestamp `YYYY-MM-DD HH:MM:SS` or a number of minutes.
    pub created: Input,
    /// Any, public only, private only.
    pub public: Option<bool>,
    pub focus: ViewFocus,
    pub results: Vec<FileInfo>,
    pub searched: bool,
    /// Where the paging of the results stands; `more`: another page may follow.
    pub pager: Option<crate::api::Pager>,
    pub more: bool,
    /// Why the results may not be all of them, once they are over.
    pub incomplete: Option<String>,
    pub loading: bool,
    pub error: Option<String>,
    pub list: ListState,
    pub req: u64,
}
