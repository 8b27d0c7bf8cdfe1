//! The tables of the upload queue's questions.

use super::Key::*;
use super::{Action, Binding, b};

/// A question's table: its own bindings, then the keys that scroll its list.
macro_rules! scrolling {
    ($($binding:expr),* $(,)?) => {
        &[
            $($binding,)*
            b(Action::Up, &[Up, Char('k')], "", "scroll the list up"),
            b(Action::Down, &[Down, Char('j')], "", "scroll the list down"),
            b(Action::PageUp, &[PageUp], "", "a page up"),
            b(Action::PageDown, &[PageDown], "", "a page down"),
            b(Action::Home, &[Home], "", "the top of the list"),
            b(Action::End, &[End], "", "the bottom of the list"),
        ]
    };
}

/// Uploads left unfinished by an earlier run, offered at start.
pub const RESUME: &[Binding] = scrolling![
    b(
        Action::Confirm,
        &[Enter],
        "Resume",
        "resume them (one that may have arrived is looked for on the account first)",
    ),
    b(
        Action::Close,
        &[Esc],
        "Keep paused",
        "keep them paused in the transfers view",
    ),
];

/// Files already on the account (same name and size in the folder).
pub const DUPLICATES: &[Binding] = scrolling![
    b(
        Action::Confirm,
        &[Enter, Esc],
        "Skip them",
        "do not send them (the rest is sent)",
    ),
    b(
        Action::SendAnyway,
        &[Char('a')],
        "Send anyway",
        "send them anyway",
    ),
];

/// The confirmation of a directory's upload.
pub const TREE_UPLOAD: &[Binding] = &[
    b(
        Action::Confirm,
        &[Enter],
        "Upload",
        "create the folders and upload the files (those already there are skipped)",
    ),
    b(
        Action::SendAnyway,
        &[Char('a')],
        "Send all",
        "upload the files already there too",
    ),
    b(Action::Close, &[Esc], "Back", "back to the picker"),
];
