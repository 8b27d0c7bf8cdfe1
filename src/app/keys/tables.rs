//! The tables: one per context, and the list of every context.

use super::Key::*;
use super::{Action, Binding, DUPLICATES, KeyContext, RESUME, Scope, TREE_UPLOAD, b, ctx, typing};

/// The browser: folder tree and file list.
pub const BROWSER: &[Binding] = &[
    b(Action::Help, &[F(1), Char('?')], "Help", "help: every key"),
    b(
        Action::Rename,
        &[F(2), Char('r')],
        "Rename",
        "rename the highlighted folder or file (marked files: each gets the name)",
    ),
    b(
        Action::Clone,
        &[F(5), Char('c')],
        "Clone",
        "clone the highlighted (or marked) file(s)",
    ),
    b(
        Action::Move,
        &[F(6), Char('m')],
        "Move",
        "move the highlighted (or marked) file(s) to a folder",
    ),
    b(
        Action::NewFolder,
        &[F(7), Char('n')],
        "NewFolder",
        "new folder inside the highlighted folder",
    ),
    b(
        Action::Upload,
        &[Char('u')],
        "Upload",
        "upload local files into the highlighted folder",
    ),
    b(
        Action::Filter,
        &[Char('/')],
        "Filter",
        "filter the file list as you type",
    ),
    b(
        Action::Quit,
        &[Char('q'), F(10)],
        "Quit",
        "quit (Ctrl-C too)",
    ),
    b(
        Action::SwitchFocus,
        &[Tab],
        "",
        "switch between the folder tree and the file list",
    ),
    b(Action::Up, &[Up, Char('k')], "", "move up"),
    b(Action::Down, &[Down, Char('j')], "", "move down"),
    b(Action::PageUp, &[PageUp], "", "move a page up"),
    b(Action::PageDown, &[PageDown], "", "move a page down"),
    b(Action::Home, &[Home], "", "go to the first entry"),
    b(Action::End, &[End], "", "go to the last entry"),
    b(
        Action::Expand,
        &[Right, Char('l')],
        "",
        "tree: expand, or enter the folder",
    ),
    b(
        Action::Collapse,
        &[Left, Char('h')],
        "",
        "tree: collapse, or go to the parent; files: back to the tree",
    ),
    b(
        Action::Details,
        &[Enter],
        "",
        "tree: expand or collapse; files: details",
    ),
    b(Action::Parent, &[Backspace], "", "go to the parent folder"),
    b(
        Action::Mark,
        &[Char(' '), Insert],
        "",
        "mark or unmark the file and move down",
    ),
    b(
        Action::CopyLink,
        &[Char('y')],
        "",
        "copy the link(s) of the highlighted or marked file(s), in a format you pick",
    ),
    b(
        Action::Open,
        &[Char('o')],
        "",
        "open the file's page in the browser",
    ),
    b(
        Action::Sort,
        &[Char('S')],
        "",
        "sort menu: name, size, date, downloads; ascending or descending",
    ),
    b(
        Action::Profiles,
        &[Char('P')],
        "",
        "profiles: switch to another account of the config file",
    ),
    b(
        Action::Find,
        &[Char('f')],
        "",
        "find files by name across the whole account",
    ),
    b(
        Action::Stats,
        &[Char('s')],
        "",
        "account and statistics: views, downloads and profit per day",
    ),
    b(Action::Deleted, &[Char('d')], "", "recently deleted files"),
    b(
        Action::Checker,
        &[Char('L')],
        "",
        "link checker: paste codes or links, see which files are alive",
    ),
    b(
        Action::Export,
        &[Char('e')],
        "",
        "export the links of the marked files (or the whole folder) to a text file",
    ),
    b(
        Action::Transfers,
        &[Char('t')],
        "",
        "transfers: the uploads with progress, cancel and retry",
    ),
    b(
        Action::Messages,
        &[Char('M')],
        "",
        "messages: every notice and error said so far",
    ),
    b(
        Action::Refresh,
        &[Ctrl('r')],
        "",
        "refresh the folder, its files and the account",
    ),
    b(
        Action::Suspend,
        &[Ctrl('z')],
        "",
        "suspend to the shell (fg resumes)",
    ),
    b(
        Action::Close,
        &[Esc],
        "",
        "clear the filter, then the marks",
    ),
];

/// A popup with one text input (rename, new folder).
pub const INPUT: &[Binding] = &[
    b(Action::Confirm, &[Enter], "OK", "confirm"),
    b(Action::Close, &[Esc], "Cancel", "cancel"),
    b(Action::ClearInput, &[Ctrl('u')], "Clear", "clear the input"),
];

/// The folder picker of a move.
pub const MOVE: &[Binding] = &[
    b(
        Action::Confirm,
        &[Enter],
        "Move here",
        "move the files into the chosen folder",
    ),
    b(Action::Up, &[Up], "", "previous folder"),
    b(Action::Down, &[Down], "", "next folder"),
    b(Action::PageUp, &[PageUp], "", "a page up"),
    b(Action::PageDown, &[PageDown], "", "a page down"),
    b(Action::ClearInput, &[Ctrl('u')], "", "clear the filter"),
    b(Action::Close, &[Esc], "Cancel", "cancel"),
];

/// The filter line under the file list.
pub const FILTER: &[Binding] = &[
    b(
        Action::Confirm,
        &[Enter],
        "Keep filter",
        "keep the filter and go back to the list",
    ),
    b(Action::Close, &[Esc], "Clear filter", "clear the filter"),
    b(Action::Up, &[Up], "", "previous file"),
    b(Action::Down, &[Down], "", "next file"),
    b(Action::PageUp, &[PageUp], "", "a page up"),
    b(Action::PageDown, &[PageDown], "", "a page down"),
];

/// The upload picker: the path input has focus.
pub const PICKER: &[Binding] = &[
    b(
        Action::Confirm,
        &[Enter],
        "Open/Upload",
        "open the directory, or upload the file (or the marked files and directories)",
    ),
    b(Action::Complete, &[Tab], "Complete", "complete the name"),
    b(
        Action::Mark,
        &[Insert, Char(' ')],
        "Mark",
        "mark or unmark the file or directory (Space while no name is typed); a marked \
         directory uploads its tree",
    ),
    b(Action::Up, &[Up], "", "previous entry"),
    b(Action::Down, &[Down], "", "next entry"),
    b(Action::PageUp, &[PageUp], "", "a page up"),
    b(Action::PageDown, &[PageDown], "", "a page down"),
    b(Action::ClearInput, &[Ctrl('u')], "", "clear the path"),
    b(Action::Close, &[Esc], "Cancel", "close the picker"),
];

/// The sort menu.
pub const SORT: &[Binding] = &[
    b(
        Action::Confirm,
        &[Enter],
        "Sort",
        "sort the file list this way (remembered)",
    ),
    b(Action::Up, &[Up, Char('k')], "", "previous order"),
    b(Action::Down, &[Down, Char('j')], "", "next order"),
    b(Action::Home, &[Home], "", "the first order"),
    b(Action::End, &[End], "", "the last order"),
    b(
        Action::Close,
        &[Esc, Char('S')],
        "Cancel",
        "close without changing the order",
    ),
];

/// The list of profiles.
pub const PROFILES: &[Binding] = &[
    b(
        Action::Confirm,
        &[Enter],
        "Switch",
        "switch to this profile",
    ),
    b(Action::Up, &[Up, Char('k')], "", "previous profile"),
    b(Action::Down, &[Down, Char('j')], "", "next profile"),
    b(
        Action::Close,
        &[Esc, Char('P')],
        "Cancel",
        "stay on this profile",
    ),
];

/// The account and statistics view.
pub const STATS: &[Binding] = &[
    b(
        Action::Period,
        &[Right, Left, Char('p')],
        "Period",
        "next period: 7, 30 or 90 days",
    ),
    b(
        Action::Chart,
        &[Tab, Char('m')],
        "Chart",
        "chart views, downloads or profit",
    ),
    b(Action::Refresh, &[Ctrl('r')], "", "ask again"),
    b(
        Action::Close,
        &[Esc, Char('s'), Char('q')],
        "Close",
        "back to the browser",
    ),
];

/// The deleted files view.
pub const DELETED: &[Binding] = &[
    b(
        Action::More,
        &[Char('+'), Char('=')],
        "More",
        "show more deleted files",
    ),
    b(Action::Fewer, &[Char('-')], "Fewer", "show fewer"),
    b(
        Action::CopyLink,
        &[Char('y')],
        "Copy code",
        "copy the highlighted file's code",
    ),
    b(Action::Up, &[Up, Char('k')], "", "previous file"),
    b(Action::Down, &[Down, Char('j')], "", "next file"),
    b(Action::PageUp, &[PageUp], "", "a page up"),
    b(Action::Home, &[Home], "", "the first one"),
    b(Action::End, &[End], "", "the last one"),
    b(Action::PageDown, &[PageDown], "", "a page down"),
    b(Action::Refresh, &[Ctrl('r')], "", "ask again"),
    b(
        Action::Close,
        &[Esc, Char('d'), Char('q')],
        "Close",
        "back to the browser",
    ),
];

/// The link checker: an input for codes and links, then the results.
pub const CHECKER: &[Binding] = &[
    b(
        Action::Confirm,
        &[Enter],
        "Check",
        "check the codes and links typed or pasted",
    ),
    b(
        Action::SwitchField,
        &[Tab],
        "Input/List",
        "switch between the input and the results",
    ),
    b(
        Action::CopyLink,
        &[Char('y')],
        "Copy alive",
        "results: copy the links of the alive files",
    ),
    b(
        Action::Export,
        &[Char('e')],
        "Export",
        "results: export the table to a text file",
    ),
    b(Action::Up, &[Up], "", "previous result"),
    b(Action::Down, &[Down], "", "next result"),
    b(Action::PageUp, &[PageUp], "", "a page up"),
    b(Action::Home, &[Home], "", "the first one"),
    b(Action::End, &[End], "", "the last one"),
    b(Action::PageDown, &[PageDown], "", "a page down"),
    b(Action::ClearInput, &[Ctrl('u')], "", "clear the input"),
    b(
        Action::StartOver,
        &[Ctrl('l')],
        "",
        "start over: clear the input and the results",
    ),
    b(
        Action::Close,
        &[Esc],
        "Close",
        "back to the browser (the list and results stay)",
    ),
];

/// Account-wide search.
pub const SEARCH: &[Binding] = &[
    b(
        Action::Confirm,
        &[Enter],
        "Search/Go",
        "search; on a result: go to the file in its folder",
    ),
    b(
        Action::SwitchField,
        &[Tab],
        "Next field",
        "name, uploaded after, results",
    ),
    b(
        Action::TogglePublic,
        &[Ctrl('p')],
        "Public",
        "any, public only, private only",
    ),
    b(
        Action::NextPage,
        &[Ctrl('n')],
        "More",
        "load the next page of results",
    ),
    b(Action::Up, &[Up], "", "previous result"),
    b(Action::Down, &[Down], "", "next result"),
    b(Action::Home, &[Home], "", "the first one"),
    b(Action::End, &[End], "", "the last one"),
    b(Action::PageUp, &[PageUp], "", "a page up"),
    b(
        Action::PageDown,
        &[PageDown],
        "",
        "a page down (more results at the end)",
    ),
    b(Action::ClearInput, &[Ctrl('u')], "", "clear the field"),
    b(
        Action::StartOver,
        &[Ctrl('l')],
        "",
        "start over: clear the fields and the results",
    ),
    b(
        Action::Close,
        &[Esc],
        "Close",
        "back to the browser (the search and results stay)",
    ),
];

/// The formats menu of copy and export.
pub const FORMATS: &[Binding] = &[
    b(Action::Up, &[Up, Char('k')], "", "previous format"),
    b(Action::Down, &[Down, Char('j')], "", "next format"),
    b(Action::Home, &[Home], "", "the first"),
    b(Action::End, &[End], "", "the last"),
    b(
        Action::Confirm,
        &[Enter],
        "OK",
        "copy or export in this format (remembered for next time)",
    ),
    b(
        Action::Close,
        &[Esc],
        "Cancel",
        "close, nothing copied or written",
    ),
];

/// The upload limit popup (`b` in the transfers view).
pub const BWLIMIT: &[Binding] = &[
    b(
        Action::Confirm,
        &[Enter],
        "Set",
        "set the limit; running uploads follow at once (empty or 0: no limit)",
    ),
    b(Action::Close, &[Esc], "Cancel", "keep the limit as it was"),
    b(Action::ClearInput, &[Ctrl('u')], "Clear", "clear the input"),
];

/// The transfers view.
pub const TRANSFERS: &[Binding] = &[
    b(
        Action::CancelUpload,
        &[Char('x')],
        "Cancel",
        "cancel the highlighted upload (queued or running), or give up a paused one",
    ),
    b(
        Action::Retry,
        &[Char('R')],
        "Retry",
        "retry a failed or cancelled upload (an unknown one is looked for first), resume a \
         paused one, send one already on the account anyway",
    ),
    b(
        Action::ResumeAll,
        &[Char('A')],
        "Resume all",
        "resume every paused upload",
    ),
    b(
        Action::ClearFinished,
        &[Char('C')],
        "Clear done",
        "clear the finished uploads from the list and the queue file",
    ),
    b(
        Action::CopyLink,
        &[Char('y')],
        "Copy link",
        "copy the link of the highlighted finished upload",
    ),
    b(
        Action::Move,
        &[Char('m')],
        "Move",
        "move an upload left in / into its folder",
    ),
    b(
        Action::Upload,
        &[Char('u')],
        "Add files",
        "upload more files",
    ),
    b(
        Action::UploadLimit,
        &[Char('b')],
        "Limit",
        "change the upload limit (all uploads together, running ones too)",
    ),
    b(Action::Up, &[Up, Char('k')], "", "previous upload"),
    b(Action::Down, &[Down, Char('j')], "", "next upload"),
    b(Action::PageUp, &[PageUp], "", "a page up"),
    b(Action::PageDown, &[PageDown], "", "a page down"),
    b(Action::Home, &[Home], "", "the first one"),
    b(Action::End, &[End], "", "the last one"),
    b(
        Action::Close,
        &[Esc, Char('t'), Char('q')],
        "Close",
        "close the view (uploads go on)",
    ),
];

/// A popup showing a link (details, clone result).
pub const LINK: &[Binding] = &[
    b(Action::CopyLink, &[Char('y')], "Copy link", "copy the link"),
    b(
        Action::Open,
        &[Char('o')],
        "Open",
        "open the page in the browser",
    ),
    b(Action::Close, &[Esc, Enter, Char('q')], "Close", "close"),
];

/// The help popup.
pub const HELP: &[Binding] = &[
    b(Action::Up, &[Up, Char('k')], "", "scroll up"),
    b(Action::Down, &[Down, Char('j')], "", "scroll down"),
    b(Action::PageUp, &[PageUp], "", "a page up"),
    b(Action::PageDown, &[PageDown], "", "a page down"),
    b(Action::Home, &[Home], "", "the top"),
    b(Action::End, &[End], "", "the bottom"),
    b(
        Action::Close,
        &[Esc, Char('?'), F(1), Char('q')],
        "Close",
        "close",
    ),
];

/// A message that needs attention (an error).
pub const MESSAGE: &[Binding] = &[b(Action::Close, &[Esc, Enter], "Close", "close")];

/// A yes/no question.
pub const CONFIRM: &[Binding] = &[
    b(Action::Confirm, &[Char('y'), Enter], "Yes", "yes"),
    b(Action::Close, &[Char('n'), Esc], "No", "no"),
];

/// The first-run key prompt.
pub const LOGIN: &[Binding] = &[
    b(
        Action::Confirm,
        &[Enter],
        "Check and save",
        "check the key with mp4upload and save it",
    ),
    b(Action::ClearInput, &[Ctrl('u')], "Clear", "clear the input"),
    b(Action::Quit, &[Esc], "Quit", "quit"),
];

/// A terminal too small to draw: only quitting works.
pub const TOO_SMALL: &[Binding] = &[b(Action::Quit, &[Char('q'), F(10)], "Quit", "quit")];

/// The message log.
pub const MESSAGES: &[Binding] = &[
    b(Action::Up, &[Up, Char('k')], "", "previous message"),
    b(Action::Down, &[Down, Char('j')], "", "next message"),
    b(Action::PageUp, &[PageUp], "", "a page up"),
    b(Action::PageDown, &[PageDown], "", "a page down"),
    b(Action::Home, &[Home], "", "the oldest"),
    b(Action::End, &[End], "", "the newest"),
    b(Action::Close, &[Esc, Char('M'), Char('q')], "Close", "back"),
];

/// Every context, once: key handling picks its table from here, the key bar shows it, the help
/// and docs/keys.md list it, and the tests walk it.
pub const CONTEXTS: &[KeyContext] = &[
    ctx(Scope::Browser, "Browser", BROWSER),
    typing(Scope::FilterLine, "Filter line", FILTER),
    ctx(Scope::SortMenu, "Sort menu", SORT),
    ctx(Scope::Profiles, "Profiles", PROFILES),
    ctx(Scope::Formats, "Link formats (copy, export)", FORMATS),
    ctx(Scope::Stats, "Account and statistics", STATS),
    ctx(Scope::Deleted, "Deleted files", DELETED),
    typing(Scope::Checker, "Link checker", CHECKER),
    typing(Scope::Search, "Find across the account", SEARCH),
    typing(Scope::UploadPicker, "Upload picker", PICKER),
    ctx(Scope::Transfers, "Transfers view", TRANSFERS),
    typing(Scope::BwLimit, "Upload limit", BWLIMIT),
    typing(Scope::NameInput, "Rename and new folder", INPUT),
    typing(Scope::MovePicker, "Move picker", MOVE),
    ctx(Scope::Link, "Details and clone", LINK),
    ctx(Scope::Messages, "Messages", MESSAGES),
    ctx(Scope::Help, "Help", HELP),
    ctx(Scope::Error, "Errors", MESSAGE),
    ctx(Scope::Question, "Questions", CONFIRM),
    ctx(Scope::Resume, "Uploads left unfinished", RESUME),
    ctx(Scope::Duplicates, "Already on the account", DUPLICATES),
    ctx(Scope::TreeUpload, "Directory upload", TREE_UPLOAD),
    typing(Scope::Login, "First run (key prompt)", LOGIN),
    KeyContext {
        in_help: false,
        ..ctx(Scope::TooSmall, "Terminal too small", TOO_SMALL)
    },
];
