//! The names users write in the config file's `[keys]` table: one per action (`rename`,
//! `new_folder`), and keys as text (`R`, `F2`, `ctrl-r`, `PgDn`).

use super::{Action, Key};

impl Action {
    /// Every action, in the order docs/configuration.md lists their names (that of the browser's table,
    /// then of the other contexts').
    pub const ALL: &[Action] = &[
        Action::Help,
        Action::Rename,
        Action::Clone,
        Action::Move,
        Action::NewFolder,
        Action::Upload,
        Action::Filter,
        Action::Quit,
        Action::SwitchFocus,
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::Home,
        Action::End,
        Action::Expand,
        Action::Collapse,
        Action::Details,
        Action::Parent,
        Action::Mark,
        Action::CopyLink,
        Action::Open,
        Action::Sort,
        Action::Find,
        Action::Stats,
        Action::Deleted,
        Action::Checker,
        Action::Export,
        Action::Transfers,
        Action::UploadLimit,
        Action::Messages,
        Action::Refresh,
        Action::Suspend,
        Action::Close,
        Action::Confirm,
        Action::ClearInput,
        Action::Complete,
        Action::CancelUpload,
        Action::Retry,
        Action::Period,
        Action::Chart,
        Action::More,
        Action::Fewer,
        Action::SwitchField,
        Action::TogglePublic,
        Action::NextPage,
        Action::StartOver,
        Action::SendAnyway,
        Action::ResumeAll,
        Action::ClearFinished,
        Action::Profiles,
    ];

    /// The action's name in the config file and in `mp4u keys`: stable, snake_case.
    pub fn name(self) -> &'static str {
        match self {
            Action::SwitchFocus => "switch_focus",
            Action::Up => "up",
            Action::Down => "down",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::Home => "home",
            Action::End => "end",
            Action::Expand => "expand",
            Action::Collapse => "collapse",
            Action::Details => "details",
            Action::Parent => "parent",
            Action::Mark => "mark",
            Action::Rename => "rename",
            Action::NewFolder => "new_folder",
            Action::Clone => "clone",
            Action::Move => "move",
            Action::CopyLink => "copy_link",
            Action::Open => "open",
            Action::Filter => "filter",
            Action::Refresh => "refresh",
            Action::Help => "help",
            Action::Quit => "quit",
            Action::Close => "close",
            Action::Upload => "upload",
            Action::Transfers => "transfers",
            Action::Sort => "sort",
            Action::Stats => "stats",
            Action::Deleted => "deleted",
            Action::Checker => "checker",
            Action::Find => "find",
            Action::Export => "export",
            Action::Suspend => "suspend",
            Action::Confirm => "confirm",
            Action::ClearInput => "clear_input",
            Action::Complete => "complete",
            Action::CancelUpload => "cancel_upload",
            Action::Retry => "retry",
            Action::Period => "period",
            Action::Chart => "chart",
            Action::More => "more",
            Action::Fewer => "fewer",
            Action::SwitchField => "switch_field",
            Action::TogglePublic => "toggle_public",
            Action::NextPage => "next_page",
            Action::Messages => "messages",
            Action::StartOver => "start_over",
            Action::UploadLimit => "upload_limit",
            Action::SendAnyway => "send_anyway",
            Action::ResumeAll => "resume_all",
            Action::ClearFinished => "clear_finished",
            Action::Profiles => "profiles",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }
}

/// How to write a key, for messages about one that is not.
const KEY_FORMS: &str = "keys look like R, F2, Enter, Space, PgDn, Up, ctrl-r, alt-x";

impl Key {
    /// A key from its name in the config file: one character (`R` and `r` are different keys),
    /// `F1` to `F12`, `Enter`, `Esc`, `Tab`, `Backspace`, `Space`, `Insert`, `Delete`, `Home`,
    /// `End`, `PgUp`, `PgDn`, `Up`, `Down`, `Left`, `Right`, `ctrl-x` (a letter), `alt-x`. Names
    /// are read in any case. Ctrl-C and Ctrl-Z are refused: they quit and suspend everywhere.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return match c {
                '↑' => Ok(Key::Up),
                '↓' => Ok(Key::Down),
                '←' => Ok(Key::Left),
                '→' => Ok(Key::Right),
                c if c.is_control() => Err(format!("{text:?} is not a key ({KEY_FORMS})")),
                c => Ok(Key::Char(c)),
            };
        }
        let trimmed = text.trim();
        let lower = trimmed.to_ascii_lowercase();
        let named = match lower.as_str() {
            "enter" | "return" => Some(Key::Enter),
            "esc" | "escape" => Some(Key::Esc),
            "tab" => Some(Key::Tab),
            "backspace" => Some(Key::Backspace),
            "space" => Some(Key::Char(' ')),
            "insert" | "ins" => Some(Key::Insert),
            "delete" | "del" => Some(Key::Delete),
            "home" => Some(Key::Home),
            "end" => Some(Key::End),
            "pgup" | "pageup" => Some(Key::PageUp),
            "pgdn" | "pgdown" | "pagedown" => Some(Key::PageDown),
            "up" => Some(Key::Up),
            "down" => Some(Key::Down),
            "left" => Some(Key::Left),
            "right" => Some(Key::Right),
            _ => None,
        };
        if let Some(key) = named {
            return Ok(key);
        }
        if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok())
            && (1..=12).contains(&n)
        {
            return Ok(Key::F(n));
        }
        let after = |prefixes: &[&str]| {
            prefixes.iter().find_map(|p| {
                let head = trimmed.get(..p.len())?;
                head.eq_ignore_ascii_case(p).then(|| &trimmed[p.len()..])
            })
        };
        let single = |rest: &str| {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if !c.is_control() => Some(c),
                _ => None,
            }
        };
        if let Some(rest) = after(&["ctrl-", "ctrl+"]) {
            return match single(rest).filter(char::is_ascii_alphabetic) {
                Some(c) if matches!(c.to_ascii_lowercase(), 'c' | 'z') => Err(format!(
                    "{text:?} cannot be bound: Ctrl-C quits and Ctrl-Z suspends, everywhere"
                )),
                Some(c) => Ok(Key::Ctrl(c.to_ascii_lowercase())),
                None => Err(format!(
                    "{text:?} is not a key: ctrl goes with a letter (ctrl-r)"
                )),
            };
        }
        if let Some(rest) = after(&["alt-", "alt+"]) {
            return single(rest).map(Key::Alt).ok_or_else(|| {
                format!("{text:?} is not a key: alt goes with one character (alt-x)")
            });
        }
        Err(format!("{text:?} is not a key ({KEY_FORMS})"))
    }

    /// The key as the config file writes it (what [`Key::parse`] reads back).
    pub fn name(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("ctrl-{c}"),
            Key::Alt(c) => format!("alt-{c}"),
            Key::F(n) => format!("F{n}"),
            Key::Up => "Up".into(),
            Key::Down => "Down".into(),
            Key::Left => "Left".into(),
            Key::Right => "Right".into(),
            other => other.label(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::CONTEXTS;
    use super::*;

    #[test]
    fn every_action_has_one_name() {
        let mut names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        for action in Action::ALL {
            assert_eq!(Action::from_name(action.name()), Some(*action));
            assert!(
                action
                    .name()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_'),
                "{} is not snake_case",
                action.name()
            );
        }
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count, "a name given twice");
        assert_eq!(Action::from_name("renmae"), None);
    }

    #[test]
    fn every_action_of_a_table_is_listed() {
        for context in CONTEXTS {
            for binding in context.table {
                assert!(
                    Action::ALL.contains(&binding.action),
                    "{:?} is missing from Action::ALL",
                    binding.action
                );
            }
        }
    }

    #[test]
    fn keys_from_their_names() {
        let keys = |pairs: &[(&str, Key)]| {
            for (text, key) in pairs {
                assert_eq!(Key::parse(text).as_ref(), Ok(key), "{text}");
            }
        };
        // Characters, in their case.
        keys(&[
            ("R", Key::Char('R')),
            ("r", Key::Char('r')),
            ("?", Key::Char('?')),
        ]);
        keys(&[(" ", Key::Char(' ')), ("Space", Key::Char(' '))]);
        keys(&[("F8", Key::F(8)), ("f12", Key::F(12))]);
        // Named keys, in any case, under their usual names.
        keys(&[("Enter", Key::Enter), ("ESC", Key::Esc), ("tab", Key::Tab)]);
        keys(&[
            ("Backspace", Key::Backspace),
            ("Insert", Key::Insert),
            ("Delete", Key::Delete),
        ]);
        keys(&[
            ("Home", Key::Home),
            ("End", Key::End),
            ("PgUp", Key::PageUp),
        ]);
        keys(&[
            ("PageDown", Key::PageDown),
            ("Left", Key::Left),
            ("↑", Key::Up),
        ]);
        // With a modifier: ctrl takes a letter in either case.
        keys(&[
            ("ctrl-q", Key::Ctrl('q')),
            ("Ctrl-R", Key::Ctrl('r')),
            ("ctrl+x", Key::Ctrl('x')),
        ]);
        keys(&[("alt-x", Key::Alt('x')), ("Alt-X", Key::Alt('X'))]);
    }

    #[test]
    fn what_is_not_a_key_is_said() {
        for (text, said) in [
            ("", "is not a key"),
            ("F13", "is not a key"),
            ("F0", "is not a key"),
            ("ctrl-", "ctrl goes with a letter"),
            ("ctrl-1", "ctrl goes with a letter"),
            ("ctrl-ab", "ctrl goes with a letter"),
            ("alt-", "alt goes with one character"),
            ("hyper-x", "is not a key"),
            ("Enterr", "is not a key"),
            ("\u{7}", "is not a key"),
            ("ctrl-c", "Ctrl-C quits"),
            ("Ctrl-Z", "Ctrl-Z suspends"),
        ] {
            let err = Key::parse(text).expect_err(text);
            assert!(err.contains(said), "{text:?}: {err}");
        }
    }

    #[test]
    fn every_key_reads_back_from_its_name() {
        let mut keys: Vec<Key> = CONTEXTS
            .iter()
            .flat_map(|c| c.table.iter().flat_map(|b| b.keys.iter().copied()))
            .filter(|k| *k != Key::Ctrl('z'))
            .collect();
        keys.extend([Key::Alt('x'), Key::Delete, Key::F(12), Key::Char('R')]);
        for key in keys {
            assert_eq!(Key::parse(&key.name()), Ok(key), "{}", key.name());
        }
    }
}
