//! Key bindings, one table per context. The same tables drive the key handling, the key bar at
//! the bottom and the help popup, so the three never disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for. Its meaning may depend on which pane has focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    SwitchFocus,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Expand,
    Collapse,
    Enter,
    Parent,
    Mark,
    Rename,
    NewFolder,
    Clone,
    Move,
    CopyLink,
    Open,
    Filter,
    Refresh,
    Help,
    Quit,
    Close,
    Upload,
    Transfers,
    Sort,
    Stats,
    Deleted,
    LinkChecker,
    Find,
    Export,
    Suspend,
    // In popups.
    Confirm,
    ClearInput,
    Complete,
    Cancel,
    Retry,
    Period,
    Metric,
    More,
    Fewer,
    SwitchField,
    TogglePublic,
    NextPage,
    /// Opens the message log.
    Messages,
    /// Empties a view (the link checker's list and results, the search).
    Clear,
    /// Changes the upload limit (the transfers view).
    BwLimit,
}

/// A key as the tables name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    F(u8),
    Tab,
    Enter,
    Esc,
    Backspace,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Insert,
}

impl Key {
    pub fn matches(self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        if alt {
            return false;
        }
        match (self, event.code) {
            (Key::Char(c), KeyCode::Char(e)) => !ctrl && c == e,
            (Key::Ctrl(c), KeyCode::Char(e)) => ctrl && c.eq_ignore_ascii_case(&e),
            (Key::F(n), KeyCode::F(e)) => n == e,
            (Key::Tab, KeyCode::Tab) => true,
            (Key::Enter, KeyCode::Enter) => true,
            (Key::Esc, KeyCode::Esc) => true,
            (Key::Backspace, KeyCode::Backspace) => true,
            (Key::Up, KeyCode::Up) => true,
            (Key::Down, KeyCode::Down) => true,
            (Key::Left, KeyCode::Left) => true,
            (Key::Right, KeyCode::Right) => true,
            (Key::PageUp, KeyCode::PageUp) => true,
            (Key::PageDown, KeyCode::PageDown) => true,
            (Key::Home, KeyCode::Home) => true,
            (Key::End, KeyCode::End) => true,
            (Key::Insert, KeyCode::Insert) => true,
            _ => false,
        }
    }

    /// How the key reads on screen: `F2`, `r`, `Ctrl-R`, `Space`.
    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::F(n) => format!("F{n}"),
            Key::Tab => "Tab".into(),
            Key::Enter => "Enter".into(),
            Key::Esc => "Esc".into(),
            Key::Backspace => "Backspace".into(),
            Key::Up => "↑".into(),
            Key::Down => "↓".into(),
            Key::Left => "←".into(),
            Key::Right => "→".into(),
            Key::PageUp => "PgUp".into(),
            Key::PageDown => "PgDn".into(),
            Key::Home => "Home".into(),
            Key::End => "End".into(),
            Key::Insert => "Insert".into(),
        }
    }
}

/// One row of a table: the keys, what they do, and how the bar and the help name it.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub action: Action,
    pub keys: &'static [Key],
    /// The word in the key bar (`Rename`); empty when the binding is not in the bar.
    pub bar: &'static str,
    /// The line in the help popup.
    pub help: &'static str,
}

impl Binding {
    /// All keys of the binding as the help shows them: `r, F2`.
    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

const fn b(action: Action, keys: &'static [Key], bar: &'static str, help: &'static str) -> Binding {
    Binding {
        action,
        keys,
        bar,
        help,
    }
}

use Key::*;

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
        Action::Enter,
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
        "copy the link(s) of the highlighted or marked file(s)",
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
        Action::LinkChecker,
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
        "open the directory, or upload the file (or the marked files)",
    ),
    b(Action::Complete, &[Tab], "Complete", "complete the name"),
    b(
        Action::Mark,
        &[Insert, Char(' ')],
        "Mark",
        "mark or unmark the file (Space while no name is typed)",
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

/// The account and statistics view.
pub const STATS: &[Binding] = &[
    b(
        Action::Period,
        &[Right, Left, Char('p')],
        "Period",
        "next period: 7, 30 or 90 days",
    ),
    b(
        Action::Metric,
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
        Action::Clear,
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
        Action::Clear,
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

/// The transfers view.
pub const TRANSFERS: &[Binding] = &[
    b(
        Action::Cancel,
        &[Char('x')],
        "Cancel",
        "cancel the highlighted upload (queued or running)",
    ),
    b(
        Action::Retry,
        &[Char('R')],
        "Retry",
        "retry the highlighted failed or cancelled upload (an unknown one is looked for first)",
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
        Action::BwLimit,
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

/// A context of keys: its title in the help and the README, and its table.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub title: &'static str,
    pub table: &'static [Binding],
    /// Listed in the help view (a terminal too small to draw shows no help).
    pub in_help: bool,
}

const fn ctx(title: &'static str, table: &'static [Binding]) -> Context {
    Context {
        title,
        table,
        in_help: true,
    }
}

/// Every context, once: key handling picks its table from here, the key bar shows it, the help
/// and the README list it, and the tests walk it.
pub const CONTEXTS: &[Context] = &[
    ctx("Browser", BROWSER),
    ctx("Filter line", FILTER),
    ctx("Sort menu", SORT),
    ctx("Account and statistics", STATS),
    ctx("Deleted files", DELETED),
    ctx("Link checker", CHECKER),
    ctx("Find across the account", SEARCH),
    ctx("Upload picker", PICKER),
    ctx("Transfers view", TRANSFERS),
    ctx("Upload limit", super::bwlimit::KEYS),
    ctx("Rename and new folder", INPUT),
    ctx("Move picker", MOVE),
    ctx("Details and clone", LINK),
    ctx("Messages", MESSAGES),
    ctx("Help", HELP),
    ctx("Errors", MESSAGE),
    ctx("Questions", CONFIRM),
    ctx("First run (key prompt)", LOGIN),
    Context {
        title: "Terminal too small",
        table: TOO_SMALL,
        in_help: false,
    },
];

/// The action a key event means in a table, if any.
pub fn action_for(table: &[Binding], event: &KeyEvent) -> Option<Action> {
    table
        .iter()
        .find(|binding| binding.keys.iter().any(|k| k.matches(event)))
        .map(|binding| binding.action)
}

/// The bar's entries of a table: (first key, word).
pub fn bar_entries(table: &[Binding]) -> Vec<(String, &'static str)> {
    table
        .iter()
        .filter(|binding| !binding.bar.is_empty())
        .map(|binding| (binding.keys[0].label(), binding.bar))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_a_context() {
        for context in CONTEXTS {
            let mut seen: Vec<Key> = Vec::new();
            for binding in context.table {
                for key in binding.keys {
                    assert!(
                        !seen.contains(key),
                        "{key:?} bound twice in {}",
                        context.title
                    );
                    seen.push(*key);
                }
            }
        }
    }

    #[test]
    fn every_table_is_a_context_once() {
        let titles: Vec<&str> = CONTEXTS.iter().map(|c| c.title).collect();
        let mut unique = titles.clone();
        unique.dedup();
        assert_eq!(titles.len(), unique.len());
        assert_eq!(CONTEXTS.len(), 19);
    }

    #[test]
    fn mc_function_keys_and_letters() {
        let f2 = KeyEvent::new(KeyCode::F(2), KeyModifiers::NONE);
        let r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE);
        let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(action_for(BROWSER, &f2), Some(Action::Rename));
        assert_eq!(action_for(BROWSER, &r), Some(Action::Rename));
        assert_eq!(action_for(BROWSER, &ctrl_r), Some(Action::Refresh));
    }
}
