//! Popups: the dialogs over the browser or a view. Each is a component in a file of its own:
//! its state, how it opens, its keys, what it does with the answers to what it asked, which
//! of its keys the hint offers, and its drawing. At most one is open (`App::popup`).
//!
//! A new popup is one new file here, with a type that implements [`Component`]: its `mod` line
//! and one line in the list below, which names its file and its key table
//! (`Sort(SortMenu) in sort keys SortMenu`).

use ratatui::Frame;
use ratatui::crossterm::event::{Event as TermEvent, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

pub use super::component::Component;
use super::keys::{self, Action, Scope};
use super::paint::{Scene, dialog, draw_input};
use super::uploads::Upload;
use super::{App, Command, Level};
use crate::api::ApiError;
use crate::text::fit;
use crate::theme::Theme;

pub mod bwlimit;
pub mod cloned;
pub mod confirm;
pub mod details;
pub mod directory;
pub mod duplicates;
pub mod error;
pub mod formats;
pub mod login;
pub mod move_to;
pub mod new_folder;
pub mod picker;
pub mod profiles;
pub mod rename;
pub mod resume;
pub mod sort;

/// The popups: `Variant(Type) in file`, one line each (beside the file's `mod` line above).
macro_rules! popups {
    ($($(#[$doc:meta])* $variant:ident($ty:ident) in $file:ident keys $scope:ident,)*) => {
        $(pub use $file::$ty;)*

        /// A dialog over the browser or a view.
        #[derive(Debug, Clone)]
        pub enum Popup {
            $($(#[$doc])* $variant($ty),)*
        }

        $(impl From<$ty> for Popup {
            fn from(popup: $ty) -> Popup {
                Popup::$variant(popup)
            }
        })*

        impl Popup {
            /// The key table in force while it is open.
            pub fn scope(&self) -> Scope {
                match self {
                    $(Popup::$variant(_) => Scope::$scope,)*
                }
            }

            pub fn component(&self) -> &dyn Component {
                match self {
                    $(Popup::$variant(p) => p,)*
                }
            }

            pub fn component_mut(&mut self) -> &mut dyn Component {
                match self {
                    $(Popup::$variant(p) => p,)*
                }
            }

            /// Hands a key to the open popup.
            fn route_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
                match &app.popup {
                    $(Some(Popup::$variant(_)) => <$ty as Component>::on_key(app, key),)*
                    None => Vec::new(),
                }
            }
        }
    };
}

popups! {
    Rename(RenamePopup) in rename keys NameInput,
    NewFolder(NewFolderPopup) in new_folder keys NameInput,
    Move(MovePopup) in move_to keys MovePicker,
    Details(DetailsPopup) in details keys Link,
    Cloned(ClonedPopup) in cloned keys Link,
    Error(ErrorPopup) in error keys Error,
    Login(LoginPopup) in login keys Login,
    /// The upload picker: local files and directories to send to a folder.
    Upload(UploadPicker) in picker keys UploadPicker,
    Confirm(ConfirmPopup) in confirm keys Question,
    Sort(SortMenu) in sort keys SortMenu,
    Profiles(ProfilesPopup) in profiles keys Profiles,
    Formats(FormatMenu) in formats keys Formats,
    BwLimit(BwLimitPopup) in bwlimit keys BwLimit,
    /// Uploads left unfinished by an earlier run: resume them, or keep them paused.
    Resume(ResumePopup) in resume keys Resume,
    /// Files already on the account: skip them, or send them anyway.
    Duplicates(DuplicatesPopup) in duplicates keys Duplicates,
    /// The confirmation of a directory's upload.
    Directory(DirectoryPopup) in directory keys TreeUpload,
}

pub use confirm::ConfirmAction;
pub use directory::TreePlan;
pub use formats::{FormatChoice, FormatPurpose};
pub use picker::{CheckedFile, LocalEntry};
pub use rename::{RenamePlan, RenameTarget};

impl App {
    /// Opens a popup (over whatever is open).
    pub fn open(&mut self, popup: impl Into<Popup>) {
        self.popup = Some(popup.into());
    }

    pub(super) fn on_popup_key(&mut self, key: KeyEvent) -> Vec<Command> {
        Popup::route_key(self, key)
    }

    /// Lets the open popup keep what it shows in view (it reads the app without itself).
    pub(super) fn settle_popup(&mut self) {
        if let Some(mut popup) = self.popup.take() {
            popup.component_mut().settle(self);
            self.popup = Some(popup);
        }
    }

    /// Whether the open popup is the one waiting for request `req`.
    pub(super) fn waits_for(&self, req: u64) -> bool {
        self.popup
            .as_ref()
            .is_some_and(|p| p.component().pending() == Some(req))
    }

    /// Closes the popup that waited for `req`, if it is still open; whether it was.
    pub(super) fn close_waiting(&mut self, req: u64) -> bool {
        let waiting = self.waits_for(req);
        if waiting {
            self.popup = None;
        }
        waiting
    }

    /// Shows a failure inside the popup that asked, so the user can correct and try again.
    /// When that popup was closed meanwhile, the failure is a notice (and in the message log):
    /// it never fills or closes another popup, nor replaces a view.
    pub(super) fn fail_waiting(&mut self, req: u64, what: &str, error: &ApiError) {
        let message = error.to_string();
        match &mut self.popup {
            Some(p) if p.component().pending() == Some(req) => p.component_mut().failed(message),
            _ => self.notify(Level::Error, format!("{what}: {message}")),
        }
    }

    /// Closes a popup at the user's Esc; a change it already sent goes on, and says so.
    pub(super) fn close_popup(&mut self, was_pending: bool, what: &str) {
        self.popup = None;
        if was_pending {
            self.notify(
                Level::Info,
                format!("The {what} goes on; its answer will come as a notice (M: messages)"),
            );
        }
    }

    /// Keys of a popup that shows links: copy, open, close (`what` goes on if still busy).
    fn on_link_key(
        &mut self,
        key: KeyEvent,
        links: Vec<String>,
        busy: bool,
        what: &str,
    ) -> Vec<Command> {
        match self.keymap.action_for(Scope::Link, &key) {
            Some(Action::Close) => {
                self.close_popup(busy, what);
                Vec::new()
            }
            Some(Action::CopyLink) if !links.is_empty() => {
                self.notify(
                    Level::Info,
                    if links.len() == 1 {
                        format!("Copied {}", links[0])
                    } else {
                        format!("Copied {} links", links.len())
                    },
                );
                vec![Command::Copy(links.join("\n"))]
            }
            Some(Action::Open) if !links.is_empty() => {
                self.notify(Level::Info, format!("Opening {}", links[0]));
                vec![Command::OpenUrl(links[0].clone())]
            }
            _ => Vec::new(),
        }
    }
}

/// What a key did to a name being typed (rename, new folder).
enum NameEdit {
    /// Esc: the popup closes (a change already sent goes on).
    Cancel {
        was_pending: bool,
    },
    /// A name that passed the checks; the popup is now waiting for the answer.
    Submit(String),
    Editing,
}

/// The keys of a popup with one name input: Enter checks the name (refused in the popup with
/// the reason, nothing sent) and submits it, Esc cancels, Ctrl-U clears, the rest types.
fn edit_name(
    keymap: &keys::Keymap,
    input: &mut Input,
    error: &mut Option<String>,
    pending: &mut Option<u64>,
    key: KeyEvent,
) -> NameEdit {
    // Sent: only Esc does something (the change goes on, its answer comes as a notice).
    if pending.is_some() {
        return match keymap.action_for(Scope::NameInput, &key) {
            Some(Action::Close) => NameEdit::Cancel { was_pending: true },
            _ => NameEdit::Editing,
        };
    }
    match keymap.action_for(Scope::NameInput, &key) {
        Some(Action::Close) => NameEdit::Cancel { was_pending: false },
        Some(Action::ClearInput) => {
            input.reset();
            *error = None;
            NameEdit::Editing
        }
        Some(Action::Confirm) => match crate::api::clean_name(input.value()) {
            Err(reason) => {
                *error = Some(capitalize(&reason));
                NameEdit::Editing
            }
            Ok(name) => {
                *error = None;
                NameEdit::Submit(name)
            }
        },
        Some(_) => NameEdit::Editing,
        None => {
            input.handle_event(&TermEvent::Key(key));
            *error = None;
            NameEdit::Editing
        }
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Rows for the reason under a list or an input, in a box `width` wide: `none` without one,
/// else as many as it wraps to, up to `most` (the box grows to show it whole).
fn reason_rows(error: Option<&str>, width: u16, none: usize, most: usize) -> u16 {
    error.map_or(none, |e| {
        crate::text::wrapped_height(e, width.saturating_sub(4) as usize).clamp(none.max(1), most)
    }) as u16
}

/// The methods of a popup with one text input (`$input`) that sends one change and waits for
/// its answer (its fields `pending` and `error`): where a paste goes; while it
/// waits only Esc does something; a failure shows inside, ready to try again.
macro_rules! sends_one_change {
    ($input:ident) => {
        fn input(&mut self) -> Option<&mut Input> {
            Some(&mut self.$input)
        }

        fn available(&self, _app: &App, action: Action) -> bool {
            self.pending.is_none() || action == Action::Close
        }

        fn busy(&self) -> bool {
            self.pending.is_some()
        }

        fn pending(&self) -> Option<u64> {
            self.pending
        }

        fn failed(&mut self, why: String) {
            self.pending = None;
            self.error = Some(why);
        }
    };
}
use sends_one_change;

/// The line under an input: the reason it was refused, else what is under way.
fn message_line(theme: &Theme, error: Option<&str>, busy: Option<String>) -> Line<'static> {
    match (error, busy) {
        (Some(e), _) => Line::styled(e.to_string(), theme.error()),
        (None, Some(b)) => Line::styled(b, theme.dim()),
        (None, None) => Line::default(),
    }
}

/// A popup that picks from a list: a labelled input on top, the list below it, a status line
/// that grows to show a reason whole, the hint at the bottom.
struct ListPicker<'a> {
    title: &'a str,
    /// The widest the box may be.
    widest: u16,
    /// Rows of the list.
    rows: usize,
    label: &'a str,
    input: &'a Input,
    /// Whether the input takes keys now (its cursor shows).
    typing: bool,
    error: Option<&'a str>,
    scope: Scope,
}

/// The rows a list picker's list and status line go in.
struct PickerRows {
    list: Rect,
    status: Rect,
}

/// Draws a list picker's box, its input and its hint; returns where the list and the status
/// line go.
fn draw_list_picker(
    frame: &mut Frame,
    app: &Scene<'_>,
    area: Rect,
    picker: ListPicker<'_>,
) -> PickerRows {
    let theme = app.theme;
    let width = area.width.saturating_sub(4).clamp(30, picker.widest);
    let status_h = reason_rows(picker.error, width, 1, 4);
    let rows = picker.rows as u16;
    let body = dialog(
        frame,
        app,
        area,
        (width, rows + 5 + status_h),
        picker.title,
        picker.scope,
    );
    let label_w = picker.label.chars().count() as u16 + 1;
    frame.render_widget(
        Paragraph::new(Span::styled(format!("{} ", picker.label), theme.dim())),
        Rect::new(body.x, body.y, label_w, 1),
    );
    draw_input(
        frame,
        theme,
        Rect::new(
            body.x + label_w,
            body.y,
            body.width.saturating_sub(label_w),
            1,
        ),
        picker.input,
        false,
        picker.typing,
    );
    PickerRows {
        list: Rect::new(body.x, body.y + 2, body.width, rows),
        status: Rect::new(body.x, body.y + 2 + rows, body.width, status_h),
    }
}

/// What a popup with one name input shows.
struct NameInput<'a> {
    title: &'a str,
    label: &'a str,
    input: &'a Input,
    error: Option<&'a str>,
    busy: Option<String>,
}

fn draw_name_input(frame: &mut Frame, app: &Scene<'_>, area: Rect, popup: NameInput<'_>) {
    let theme = app.theme;
    let NameInput {
        title,
        label,
        input,
        error,
        busy,
    } = popup;
    let width = area.width.saturating_sub(4).clamp(30, 70);
    // A long reason wraps: the box grows to show it whole.
    let message_h = reason_rows(error, width, 2, 6);
    let body = dialog(
        frame,
        app,
        area,
        (width, 6 + message_h),
        title,
        Scope::NameInput,
    );
    let row = |i: u16, h: u16| Rect::new(body.x, body.y + i, body.width, h);
    frame.render_widget(
        Paragraph::new(Line::styled(fit(label, body.width as usize), theme.dim())),
        row(0, 1),
    );
    draw_input(frame, theme, row(1, 1), input, false, busy.is_none());
    frame.render_widget(
        Paragraph::new(message_line(theme, error, busy)).wrap(Wrap { trim: true }),
        row(2, message_h),
    );
}

/// A question as tall as its text ([`crate::geometry::question_box`]: `head` wrapped, then
/// `lines` one row each, the key hint at the bottom). A list longer than the box scrolls from
/// `offset` with a row that says which lines show, or, without one (a summary that does not
/// scroll), ends with "… and N more".
#[allow(clippy::too_many_arguments)]
fn draw_question(
    frame: &mut Frame,
    app: &Scene<'_>,
    area: Rect,
    title: &str,
    head: &str,
    lines: Vec<Line<'static>>,
    offset: Option<usize>,
    scope: Scope,
) {
    let theme = app.theme;
    let len = lines.len();
    let b = crate::geometry::question_box(area.width, area.height, head, len);
    let body = dialog(frame, app, area, (b.width, b.height), title, scope);
    frame.render_widget(
        Paragraph::new(head.to_string()).wrap(Wrap { trim: true }),
        Rect::new(body.x, body.y, body.width, b.head.min(body.height + 1)),
    );
    let start = offset.unwrap_or(0).min(len.saturating_sub(b.rows));
    let mut shown: Vec<Line> = lines.into_iter().skip(start).take(b.rows).collect();
    if b.scrolls {
        let more = match offset {
            Some(_) => format!(
                "  lines {}–{} of {len} · ↑↓ PgUp PgDn scroll",
                start + 1,
                start + b.rows
            ),
            None => format!("  … and {} more", len - b.rows),
        };
        shown.push(Line::styled(more, theme.dim()));
    }
    frame.render_widget(
        Paragraph::new(shown),
        Rect::new(
            body.x,
            body.y + b.head + 1,
            body.width,
            body.height.saturating_sub(b.head + 1),
        ),
    );
}

/// `name → folder` and a word on how it was left.
fn upload_line(theme: &Theme, u: &Upload, width: usize) -> Line<'static> {
    let how = u.entry.as_ref().map_or("", |e| e.state.resume_word());
    let text = fit(
        &format!("{} → {}", u.name, u.folder_path),
        width.saturating_sub(how.chars().count() + 4),
    );
    Line::from(vec![
        Span::raw(format!("  {text}  ")),
        Span::styled(how.to_string(), theme.warn()),
    ])
}
