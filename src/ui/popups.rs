//! Popups: drawn over the browser, centered, each from its own state.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use tui_input::Input;

use super::Scene;
use crate::app::keys::Scope;
use crate::app::overlay::{
    ClonedPopup, DetailsPopup, ErrorPopup, LoginPopup, NewFolderPopup, Popup, RenamePopup,
    RenameTarget, Waiting,
};
use crate::app::paint::{draw_hint, draw_input, frame_box};
use crate::format;
use crate::text::{fit, pad};
use crate::theme::{self, Theme};

/// The popup, if one is open (over the view, if one is open too).
pub fn draw(frame: &mut Frame, app: &Scene<'_>, area: Rect) {
    let Some(popup) = &app.popup else {
        return;
    };
    match popup {
        Popup::Rename(p) => draw_rename(frame, app, area, p),
        Popup::NewFolder(p) => draw_new_folder(frame, app, area, p),
        Popup::Move(p) => super::move_popup::draw(frame, app, area, p),
        Popup::Details(p) => draw_details(frame, app, area, p),
        Popup::Cloned(p) => draw_cloned(frame, app, area, p),
        Popup::Error(p) => draw_error(frame, app, area, p),
        Popup::Login(p) => draw_login(frame, app, area, p),
        Popup::Upload(p) => super::upload_popup::draw(frame, app, area, p),
        Popup::Confirm(c) => draw_confirm(frame, app, area, &c.question),
        Popup::Sort(menu) => draw_sort(frame, app, area, menu.list.cursor),
        Popup::Formats(menu) => super::format_popup::draw(frame, app, area, menu),
        Popup::BwLimit(p) => super::bwlimit_popup::draw(frame, app, area, p),
        Popup::Resume(p) => super::queue_popups::draw_resume(frame, app, area, p),
        Popup::Duplicates(p) => super::queue_popups::draw_duplicates(frame, app, area, p),
        Popup::Tree(p) => super::queue_popups::draw_tree(frame, app, area, p),
    }
}

fn message_line(theme: &Theme, error: Option<&str>, busy: Option<String>) -> Line<'static> {
    match (error, busy) {
        (Some(e), _) => Line::styled(e.to_string(), theme.error()),
        (None, Some(b)) => Line::styled(b, theme.dim()),
        (None, None) => Line::default(),
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

fn input_popup(frame: &mut Frame, app: &Scene<'_>, area: Rect, popup: NameInput<'_>) {
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
    let message_h = error.map_or(2, |e| {
        crate::text::wrapped_height(e, width.saturating_sub(4) as usize).clamp(2, 6)
    }) as u16;
    let inner = frame_box(
        frame,
        area,
        width,
        6 + message_h,
        title,
        theme.popup_border(),
    );
    let rows = |i: u16| Rect::new(inner.x + 1, inner.y + i, inner.width.saturating_sub(2), 1);
    frame.render_widget(
        Paragraph::new(Line::styled(
            fit(label, inner.width as usize - 2),
            theme.dim(),
        )),
        rows(0),
    );
    draw_input(frame, theme, rows(1), input, false, busy.is_none());
    frame.render_widget(
        Paragraph::new(message_line(theme, error, busy)).wrap(Wrap { trim: true }),
        Rect::new(
            inner.x + 1,
            inner.y + 2,
            inner.width.saturating_sub(2),
            message_h,
        ),
    );
    draw_hint(
        frame,
        app,
        Scope::NameInput,
        rows(inner.height.saturating_sub(1)),
    );
}

fn draw_rename(frame: &mut Frame, app: &Scene<'_>, area: Rect, p: &RenamePopup) {
    let (title, label) = match &p.target {
        RenameTarget::Folder { fld_id } => (
            "Rename folder".to_string(),
            format!("New name for {}", app.tree.path(*fld_id)),
        ),
        RenameTarget::Files { codes, .. } if codes.len() == 1 => {
            ("Rename file".to_string(), "New name".to_string())
        }
        RenameTarget::Files { .. } => return super::rename_popup::draw_many(frame, app, area, p),
    };
    let busy = p
        .busy()
        .then(|| format!("{} Renaming…", theme::spinner(app.spinner)));
    input_popup(
        frame,
        app,
        area,
        NameInput {
            title: &title,
            label: &label,
            input: &p.input,
            error: p.error.as_deref(),
            busy,
        },
    );
}

fn draw_new_folder(frame: &mut Frame, app: &Scene<'_>, area: Rect, p: &NewFolderPopup) {
    let busy = p
        .busy()
        .then(|| format!("{} Creating…", theme::spinner(app.spinner)));
    input_popup(
        frame,
        app,
        area,
        NameInput {
            title: "New folder",
            label: &format!("Inside {}", p.parent_path),
            input: &p.input,
            error: p.error.as_deref(),
            busy,
        },
    );
}

fn draw_login(frame: &mut Frame, app: &Scene<'_>, area: Rect, p: &LoginPopup) {
    let theme = app.theme;
    let width = area.width.saturating_sub(4).clamp(30, 72);
    let inner = frame_box(
        frame,
        area,
        width,
        11,
        "Welcome to mp4u",
        theme.popup_border(),
    );
    let w = inner.width.saturating_sub(2);
    let intro = vec![
        Line::from("Paste your mp4upload API key to open your account."),
        Line::styled(
            "It is on mp4upload.com under My Account → API key.",
            theme.dim(),
        ),
        Line::styled(
            "It is checked, then saved to the config file (readable by you only).",
            theme.dim(),
        ),
    ];
    frame.render_widget(
        Paragraph::new(intro).wrap(Wrap { trim: true }),
        Rect::new(inner.x + 1, inner.y, w, 4),
    );
    draw_input(
        frame,
        theme,
        Rect::new(inner.x + 1, inner.y + 5, w, 1),
        &p.input,
        true,
        !p.checking,
    );
    let busy = p.checking.then(|| {
        format!(
            "{} Checking the key with mp4upload…",
            theme::spinner(app.spinner)
        )
    });
    frame.render_widget(
        Paragraph::new(message_line(theme, p.error.as_deref(), busy)).wrap(Wrap { trim: true }),
        Rect::new(inner.x + 1, inner.y + 6, w, 2),
    );
    draw_hint(
        frame,
        app,
        Scope::Login,
        Rect::new(inner.x + 1, inner.y + inner.height.saturating_sub(1), w, 1),
    );
}

fn draw_sort(frame: &mut Frame, app: &Scene<'_>, area: Rect, cursor: usize) {
    let theme = app.theme;
    use crate::app::files::Sort;
    let inner = frame_box(
        frame,
        area,
        40,
        Sort::ALL.len() as u16 + 3,
        "Sort files by",
        theme.popup_border(),
    );
    let w = inner.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = Sort::ALL
        .iter()
        .enumerate()
        .map(|(i, sort)| {
            let current = if *sort == app.files.sort { " ✓" } else { "" };
            let line = Line::from(pad(&format!(" {}{current}", sort.label()), w));
            if i == cursor {
                line.style(theme.selected(true))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x + 1, inner.y, w as u16, Sort::ALL.len() as u16),
    );
    draw_hint(
        frame,
        app,
        Scope::SortMenu,
        Rect::new(
            inner.x + 1,
            inner.y + inner.height.saturating_sub(1),
            w as u16,
            1,
        ),
    );
}

fn draw_confirm(frame: &mut Frame, app: &Scene<'_>, area: Rect, question: &str) {
    let theme = app.theme;
    let width = area.width.saturating_sub(4).clamp(30, 60);
    let inner = frame_box(frame, area, width, 6, "Are you sure?", theme.warn());
    let w = inner.width.saturating_sub(2);
    frame.render_widget(
        Paragraph::new(question.to_string()).wrap(Wrap { trim: true }),
        Rect::new(inner.x + 1, inner.y, w, inner.height.saturating_sub(1)),
    );
    draw_hint(
        frame,
        app,
        Scope::Question,
        Rect::new(inner.x + 1, inner.y + inner.height.saturating_sub(1), w, 1),
    );
}

fn draw_error(frame: &mut Frame, app: &Scene<'_>, area: Rect, p: &ErrorPopup) {
    let theme = app.theme;
    let width = area.width.saturating_sub(4).clamp(30, 70);
    // As tall as the message needs, wrapped (a long sentence is never cut).
    let lines = crate::text::wrapped_height(&p.message, width.saturating_sub(4) as usize);
    let height = (lines as u16 + 4).clamp(6, area.height.max(1));
    // Without colour, the title's mark says it is an error.
    let title = format!("{}{}", theme.error_mark(), p.title);
    let inner = frame_box(frame, area, width, height, &title, theme.error_border());
    let w = inner.width.saturating_sub(2);
    frame.render_widget(
        Paragraph::new(p.message.clone()).wrap(Wrap { trim: true }),
        Rect::new(inner.x + 1, inner.y, w, inner.height.saturating_sub(1)),
    );
    draw_hint(
        frame,
        app,
        Scope::Error,
        Rect::new(inner.x + 1, inner.y + inner.height.saturating_sub(1), w, 1),
    );
}

fn field(theme: &Theme, label: &str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<14}"), theme.dim()),
        Span::raw(value),
    ])
}

fn draw_details(frame: &mut Frame, app: &Scene<'_>, area: Rect, p: &DetailsPopup) {
    let theme = app.theme;
    let f = &p.file;
    let yes_no = |b: bool| {
        if b {
            "yes".to_string()
        } else {
            "no".to_string()
        }
    };
    let mut lines = vec![
        field(theme, "Name", f.name.clone().unwrap_or_else(|| "—".into())),
        field(theme, "Code", f.file_code.clone()),
    ];
    // Only what the server said: hosts differ in what file/info returns.
    let known = [
        (
            "Size",
            f.size.map(|s| format!("{} ({s} bytes)", format::size(s))),
        ),
        ("Downloads", f.downloads.map(format::count)),
        ("Uploaded", f.uploaded.as_deref().map(str::to_string)),
        ("Folder", Some(p.folder_path.clone())),
        ("Public", f.public.map(yes_no)),
        ("Can play", f.canplay.map(yes_no)),
        ("Views started", f.views_started.map(format::count)),
    ];
    lines.extend(
        known
            .into_iter()
            .filter_map(|(label, value)| value.map(|v| field(theme, label, v))),
    );
    lines.push(Line::from(vec![
        Span::styled(format!("{:<14}", "Link"), theme.dim()),
        Span::styled(
            p.link.clone(),
            theme.accent().add_modifier(Modifier::UNDERLINED),
        ),
    ]));
    lines.push(if p.loading {
        Line::styled(
            format!("{} Asking mp4upload…", theme::spinner(app.spinner)),
            theme.dim(),
        )
    } else if let Some(e) = &p.error {
        Line::styled(e.clone(), theme.error())
    } else {
        Line::default()
    });
    let width = area.width.saturating_sub(4).clamp(30, 76);
    let inner = frame_box(
        frame,
        area,
        width,
        lines.len() as u16 + 3,
        "File details",
        theme.popup_border(),
    );
    let w = inner.width.saturating_sub(2);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }),
        Rect::new(inner.x + 1, inner.y, w, inner.height.saturating_sub(1)),
    );
    draw_hint(
        frame,
        app,
        Scope::Link,
        Rect::new(inner.x + 1, inner.y + inner.height.saturating_sub(1), w, 1),
    );
}

fn draw_cloned(frame: &mut Frame, app: &Scene<'_>, area: Rect, p: &ClonedPopup) {
    let theme = app.theme;
    let width = area.width.saturating_sub(4).clamp(30, 76);
    let body = (p.clones.len() * 2 + p.failures.len() + usize::from(p.pending > 0)).max(1) as u16;
    let inner = frame_box(
        frame,
        area,
        width,
        body + 4,
        if p.clones.len() + p.pending > 1 {
            "Clones"
        } else {
            "Clone"
        },
        theme.popup_border(),
    );
    let mut lines = Vec::new();
    for (name, clone) in &p.clones {
        lines.push(Line::from(vec![
            Span::styled("Copy of ", theme.dim()),
            Span::raw(name.clone()),
        ]));
        lines.push(Line::styled(
            format!("  {}", app.link(&clone.file_code)),
            theme.accent(),
        ));
    }
    for failure in &p.failures {
        lines.push(Line::styled(failure.clone(), theme.error()));
    }
    if p.pending > 0 {
        lines.push(Line::styled(
            format!(
                "{} Cloning {}…",
                theme::spinner(app.spinner),
                format::plural(p.pending, "file")
            ),
            theme.dim(),
        ));
    }
    let w = inner.width.saturating_sub(2);
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x + 1, inner.y, w, inner.height.saturating_sub(1)),
    );
    draw_hint(
        frame,
        app,
        Scope::Link,
        Rect::new(inner.x + 1, inner.y + inner.height.saturating_sub(1), w, 1),
    );
}
