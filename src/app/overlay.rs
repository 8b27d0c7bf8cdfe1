//! What opens over the browser, as states of the machine: at most one full-screen view (help,
//! transfers, statistics, deleted files, link checker, search, messages), whose work is kept
//! while it is closed, and over it at most one popup (a dialog), which holds what it shows.

use tui_input::Input;

use super::list::ListState;
use crate::api::{ClonedFile, FileInfo};

/// A dialog over the browser or a view.
#[derive(Debug, Clone)]
pub enum Popup {
    Rename(RenamePopup),
    NewFolder(NewFolderPopup),
    Move(MovePopup),
    Details(DetailsPopup),
    Cloned(ClonedPopup),
    Error(ErrorPopup),
    Login(LoginPopup),
    Upload(UploadPicker),
    Confirm(ConfirmPopup),
    Sort(SortMenu),
    Formats(FormatMenu),
    BwLimit(BwLimitPopup),
    /// Uploads left unfinished by an earlier run: resume them, or keep them paused.
    Resume(ResumePopup),
    /// Files already on the account: skip them, or send them anyway.
    Duplicates(DuplicatesPopup),
    /// The confirmation of a directory's upload.
    Tree(TreePopup),
}

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

/// The transfers view's `b`: the upload limit, changed for the session.
#[derive(Debug, Clone, Default)]
pub struct BwLimitPopup {
    /// Starts with the limit in force, as it would be typed (`1M`); empty: none.
    pub input: Input,
    /// Why the text is not a rate.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct SortMenu {
    /// Over `Sort::ALL`.
    pub list: ListState,
}

/// The formats menu of `y` and `e`: links in the form a site takes, the last choice first.
#[derive(Debug, Clone)]
pub struct FormatMenu {
    pub purpose: FormatPurpose,
    /// The files whose links are made, in the order shown.
    pub files: Vec<crate::links::LinkFile>,
    /// Marked files a filter hides (among `files`).
    pub hidden: usize,
    /// What can be chosen, in the order listed.
    pub choices: Vec<FormatChoice>,
    pub list: ListState,
}

/// What the chosen format is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatPurpose {
    /// To the clipboard.
    Copy,
    /// To a new file `<prefix>-<time>.<ext>` in the working directory.
    Export { prefix: &'static str },
}

/// One entry of the formats menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatChoice {
    Links(crate::links::LinkFormat),
    /// The link checker's table: every code with its status (tab-separated), made already.
    CheckTable(String),
}

/// An entry of a local directory in the upload picker.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LocalEntry {
    /// For display: a name that is not UTF-8 shows with replacement characters.
    pub name: String,
    pub is_dir: bool,
    pub size: Option<u64>,
    /// The entry's real path, whatever bytes its name holds (`None` for `..`).
    pub path: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone)]
pub struct UploadPicker {
    /// A path: the part up to the last `/` is the directory listed, the rest narrows it.
    pub input: Input,
    /// The directory listed (as typed), once asked for.
    pub dir: Option<String>,
    pub entries: Vec<LocalEntry>,
    pub loading: bool,
    pub error: Option<String>,
    /// Over the visible entries.
    pub list: ListState,
    /// Marked files and directories, in the order they were marked.
    pub marked: Vec<std::path::PathBuf>,
    /// The marked directories (among `marked`): their trees are uploaded.
    pub marked_dirs: Vec<std::path::PathBuf>,
    /// Where the files go.
    pub fld_id: u64,
    pub folder_path: String,
    /// The files are being checked before they are queued.
    pub checking: bool,
}

/// "5 uploads left unfinished": the rows offered (paused), and how many another running mp4u
/// is sending.
#[derive(Debug, Clone)]
pub struct ResumePopup {
    pub ids: Vec<u64>,
    pub busy: usize,
    /// The list scrolls when it is longer than the box.
    pub list: ListState,
}

/// The rows whose file is on the account already (state `Duplicate`) are what it shows.
#[derive(Debug, Clone, Default)]
pub struct DuplicatesPopup {
    pub list: ListState,
}

#[derive(Debug, Clone)]
pub struct TreePopup {
    pub tree: Box<super::tree_plan::TreePlan>,
    /// The picker as it was, for Esc.
    pub back: Box<UploadPicker>,
}

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

/// What a rename renames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameTarget {
    Folder {
        fld_id: u64,
    },
    /// Files, with their names now (for a template's `{name}` and `{ext}`, and the preview).
    Files {
        codes: Vec<String>,
        names: Vec<String>,
    },
}

#[derive(Debug, Clone)]
pub struct RenamePopup {
    pub target: RenameTarget,
    /// Marked files the filter hides (they are renamed too).
    pub hidden: usize,
    pub input: Input,
    /// Why the name cannot be used, or what the server said.
    pub error: Option<String>,
    /// Sent as this request; waiting for its answer.
    pub pending: Option<u64>,
    /// Each file's result once a template's renames came back: (code, new name, error).
    pub results: Option<Vec<(String, String, Option<String>)>>,
}

#[derive(Debug, Clone)]
pub struct NewFolderPopup {
    pub parent: u64,
    pub parent_path: String,
    pub input: Input,
    pub error: Option<String>,
    /// Sent as this request; waiting for its answer.
    pub pending: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct MovePopup {
    pub files: Vec<FileInfo>,
    pub from: u64,
    pub filter: Input,
    /// Over the filtered list of folders.
    pub list: ListState,
    /// Sent as this request; waiting for its answer.
    pub pending: Option<u64>,
    pub error: Option<String>,
    /// Marked files the filter hides (they move too).
    pub hidden: usize,
}

#[derive(Debug, Clone)]
pub struct DetailsPopup {
    /// What the list knew; replaced by file/info's answer when it arrives.
    pub file: FileInfo,
    pub folder_path: String,
    pub link: String,
    pub loading: bool,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ClonedPopup {
    /// The request the clones answer.
    pub req: u64,
    /// (source name, the new copy), one per cloned file.
    pub clones: Vec<(String, ClonedFile)>,
    /// Clones still running.
    pub pending: usize,
    pub failures: Vec<String>,
}

impl ClonedPopup {
    /// The new copies' links, made where every link is made.
    pub fn links(&self, base_url: &str) -> Vec<String> {
        self.clones
            .iter()
            .map(|(_, c)| crate::api::file_link(base_url, &c.file_code))
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct ErrorPopup {
    pub title: String,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct LoginPopup {
    pub input: Input,
    pub error: Option<String>,
    pub checking: bool,
}

/// A popup that sent a change and waits for its answer.
pub trait Waiting {
    fn pending(&self) -> Option<u64>;
    fn busy(&self) -> bool {
        self.pending().is_some()
    }
}

impl Waiting for RenamePopup {
    fn pending(&self) -> Option<u64> {
        self.pending
    }
}

impl Waiting for NewFolderPopup {
    fn pending(&self) -> Option<u64> {
        self.pending
    }
}

impl Waiting for MovePopup {
    fn pending(&self) -> Option<u64> {
        self.pending
    }
}
