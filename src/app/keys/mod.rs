//! Key bindings, one table per context. The same tables drive the key handling, the key bar at
//! the bottom and the help popup, so the three never disagree.
//!
//! The tables here are the defaults; the keys in effect are a [`Keymap`] built from them and the
//! config file's `[keys]` table once at start (`keymap.rs`), and every reader (the key
//! handling, the key bar, the help, `mp4u keys`) asks the keymap.

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
    Details,
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
    Checker,
    Find,
    Export,
    Suspend,
    // In popups.
    Confirm,
    ClearInput,
    Complete,
    CancelUpload,
    Retry,
    Period,
    Chart,
    More,
    Fewer,
    SwitchField,
    TogglePublic,
    NextPage,
    /// Opens the message log.
    Messages,
    /// Empties a view (the link checker's list and results, the search).
    StartOver,
    /// Changes the upload limit (the transfers view).
    UploadLimit,
    /// Sends files already on the account anyway.
    SendAnyway,
    /// Resumes every paused upload.
    ResumeAll,
    /// Clears the finished uploads from the transfers view and the queue file.
    ClearFinished,
    /// Opens the list of the config's profiles (accounts), to switch to another.
    Profiles,
}

impl Action {
    /// A movement in a list: ↑↓, PgUp PgDn, Home End.
    pub fn moves(self) -> bool {
        matches!(
            self,
            Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::Home
                | Action::End
        )
    }
}

/// A key as the tables name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Alt(char),
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
    Delete,
}

impl Key {
    pub fn matches(self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        match (self, event.code) {
            (Key::Alt(c), KeyCode::Char(e)) => alt && !ctrl && c == e,
            _ if alt => false,
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
            (Key::Delete, KeyCode::Delete) => true,
            _ => false,
        }
    }

    /// How the key reads on screen: `F2`, `r`, `Ctrl-R`, `Space`.
    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Alt(c) => format!("Alt-{c}"),
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
            Key::Delete => "Delete".into(),
        }
    }
}

/// One row of a table: the keys, what they do, and how the bar and the help name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Where a key is pressed: one scope per context, and so per table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Browser,
    FilterLine,
    SortMenu,
    Profiles,
    Formats,
    BwLimit,
    Stats,
    Deleted,
    Checker,
    Search,
    UploadPicker,
    Transfers,
    NameInput,
    MovePicker,
    Link,
    Messages,
    Help,
    Error,
    Question,
    Resume,
    Duplicates,
    TreeUpload,
    Login,
    TooSmall,
}

/// A context of keys: its title in the help and docs/keys.md, and its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyContext {
    pub scope: Scope,
    pub title: &'static str,
    pub table: &'static [Binding],
    /// Listed in the help view (a terminal too small to draw shows no help).
    pub in_help: bool,
    /// Text is typed here (a name, a filter, a path): a plain character a user binds is left
    /// out of this context, so that it still types.
    pub types_text: bool,
}

const fn ctx(scope: Scope, title: &'static str, table: &'static [Binding]) -> KeyContext {
    KeyContext {
        scope,
        title,
        table,
        in_help: true,
        types_text: false,
    }
}

/// A context where text is typed.
const fn typing(scope: Scope, title: &'static str, table: &'static [Binding]) -> KeyContext {
    KeyContext {
        types_text: true,
        ..ctx(scope, title, table)
    }
}

mod keymap;
mod names;
mod queue;
mod tables;

pub use keymap::{KeyRow, KeyTable, Keymap};
pub use queue::*;
pub use tables::*;

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
        assert_eq!(CONTEXTS.len(), 24);
    }

    #[test]
    fn mc_function_keys_and_letters() {
        let keymap = Keymap::default();
        let f2 = KeyEvent::new(KeyCode::F(2), KeyModifiers::NONE);
        let r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE);
        let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        let alt_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::ALT);
        assert_eq!(keymap.action_for(Scope::Browser, &f2), Some(Action::Rename));
        assert_eq!(keymap.action_for(Scope::Browser, &r), Some(Action::Rename));
        assert_eq!(
            keymap.action_for(Scope::Browser, &ctrl_r),
            Some(Action::Refresh)
        );
        assert_eq!(keymap.action_for(Scope::Browser, &alt_r), None);
        assert!(Key::Alt('r').matches(&alt_r));
        assert!(!Key::Alt('r').matches(&r));
        assert!(!Key::Char('r').matches(&alt_r));
    }

    #[test]
    fn every_scope_is_its_context() {
        for context in CONTEXTS {
            let found: Vec<&str> = CONTEXTS
                .iter()
                .filter(|c| c.scope == context.scope)
                .map(|c| c.title)
                .collect();
            assert_eq!(found, [context.title]);
        }
    }
}
