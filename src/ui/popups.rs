//! Popups: drawn over the browser, centered, each from its own state.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use tui_input::Input;

use super::text::{fit, pad};
use super::theme;
use crate::app::App;
use crate::app::keys::{self, Binding};
use crate::app::popup::{
    ClonedPopup, DetailsPopup, ErrorPopup, LoginPopup, NewFolderPopup, Popup, RenamePopup,
    RenameTarget, View, Waiting,
};
use crate::format;
use crate::geometry::centered;

/// The full-screen view, if one is open.
pub fn draw_view(frame: &mut Frame, app: &App, area: Rect) {
    let Some(view) = app.view else {
        return;
    };
    let v = &app.views;
    match view {
        View::Help => draw_help(frame, app, area),
        View::Transfers => super::transfers::draw(frame, app, area, &v.transfers),
        View::Stats => super::views::draw_stats(frame, app, area, &v.stats),
        View::Deleted => super::views::draw_deleted(frame, app, area, &v.deleted),
        View::Checker => super::views::draw_checker(frame, app, area, &v.checker),
        View::Search => super::views::draw_search(frame, app, area, &v.search),
        View::Messages => super::views::draw_messages(frame, app, area),
    }
}

/// The popup, if one is open (over the view, if one is open too).
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
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
        Popup::BwLimit(p) => super::bwlimit_popup::draw(frame, app, area, p),
    }
}

/// Clears a centered box, draws its border and title, and returns the inside.
pub fn frame_box(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    border: Style,
) -> Rect {
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered().border_style(border).title(Span::styled(
        format!(" {} ", fit(title, width.saturating_sub(6) as usize)),
        border.add_modifier(Modifier::BOLD),
    ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

/// `Enter OK · Esc Cancel`, from a key table: the entries that do something now.
pub fn hint(app: &App, table: &'static [Binding]) -> Line<'static> {
    let entries: Vec<(String, &'static str)> = keys::bar_entries(table)
        .into_iter()
        .zip(table.iter().filter(|b| !b.bar.is_empty()))
        .filter(|(_, b)| app.available(b.action))
        .map(|(entry, _)| entry)
        .collect();
    let mut spans = Vec::new();
    for (i, (key, word)) in entries.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme::dim()));
        }
        spans.push(Span::styled(
            key,
            Style::new().fg(theme::ACCENT).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::styled(format!(" {word}"), theme::dim()));
    }
    Line::from(spans)
}

/// One line of text input with its cursor; `mask` shows dots instead of the text.
pub fn draw_input(frame: &mut Frame, rect: Rect, input: &Input, mask: bool, show_cursor: bool) {
    let width = rect.width.saturating_sub(1) as usize;
    let scroll = input.visual_scroll(width);
    let text: String = if mask {
        "•".repeat(input.value().chars().count())
    } else {
        input.value().to_string()
    };
    let visible: String = text.chars().skip(scroll).collect();
    frame.render_widget(
        Paragraph::new(pad(&visible, width + 1))
            .style(Style::new().bg(ratatui::style::Color::Indexed(236))),
        rect,
    );
    if show_cursor {
        let x = (input.visual_cursor().saturating_sub(scroll)) as u16;
        frame.set_cursor_position(Position::new(
            rect.x + x.min(rect.width.saturating_sub(1)),
            rect.y,
        ));
    }
}

fn message_line(error: Option<&str>, busy: Option<String>) -> Line<'static> {
    match (error, busy) {
        (Some(e), _) => Line::styled(e.to_string(), theme::error()),
        (None, Some(b)) => Line::styled(b, theme::dim()),
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

fn input_popup(frame: &mut Frame, app: &App, area: Rect, popup: NameInput<'_>) {
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
        super::text::wrapped_height(e, width.saturating_sub(4) as usize).clamp(2, 6)
    }) as u16;
    let inner = frame_box(
        frame,
        area,
        width,
        6 + message_h,
        title,
        theme::popup_border(),
    );
    let rows = |i: u16| Rect::new(inner.x + 1, inner.y + i, inner.width.saturating_sub(2), 1);
    frame.render_widget(
        Paragraph::new(Line::styled(
            fit(label, inner.width as usize - 2),
            theme::dim(),
        )),
        rows(0),
    );
    draw_input(frame, rows(1), input, false, busy.is_none());
    frame.render_widget(
        Paragraph::new(message_line(error, busy)).wrap(Wrap { trim: true }),
        Rect::new(
            inner.x + 1,
            inner.y + 2,
            inner.width.saturating_sub(2),
            message_h,
        ),
    );
    frame.render_widget(
        Paragraph::new(hint(app, keys::INPUT)),
        rows(inner.height.saturating_sub(1)),
    );
}

fn draw_rename(frame: &mut Frame, app: &App, area: Rect, p: &RenamePopup) {
    let (title, label) = match &p.target {
        RenameTarget::Folder { fld_id } => (
            "Rename folder".to_string(),
            format!("New name for {}", app.tree.path(*fld_id)),
        ),
        RenameTarget::Files { codes } if codes.len() == 1 => {
            ("Rename file".to_string(), "New name".to_string())
        }
        RenameTarget::Files { codes } if p.hidden > 0 => (
            format!(
                "Rename {} files ({} hidden by the filter)",
                codes.len(),
                p.hidden
            ),
            "Each marked file gets this name".to_string(),
        ),
        RenameTarget::Files { codes } => (
            format!("Rename {} files", codes.len()),
            "Each marked file gets this name".to_string(),
        ),
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

fn draw_new_folder(frame: &mut Frame, app: &App, area: Rect, p: &NewFolderPopup) {
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

fn draw_login(frame: &mut Frame, app: &App, area: Rect, p: &LoginPopup) {
    let width = area.width.saturating_sub(4).clamp(30, 72);
    let inner = frame_box(
        frame,
        area,
        width,
        11,
        "Welcome to mp4u",
        theme::popup_border(),
    );
    let w = inner.width.saturating_sub(2);
    let intro = vec![
        Line::from("Paste your mp4upload API key to open your account."),
        Line::styled(
            "It is on mp4upload.com under My Account → API key.",
            theme::dim(),
        ),
        Line::styled(
            "It is checked, then saved to the config file (readable by you only).",
            theme::dim(),
        ),
    ];
    frame.render_widget(
        Paragraph::new(intro).wrap(Wrap { trim: true }),
        Rect::new(inner.x + 1, inner.y, w, 4),
    );
    draw_input(
        frame,
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
        Paragraph::new(message_line(p.error.as_deref(), busy)).wrap(Wrap { trim: true }),
        Rect::new(inner.x + 1, inner.y + 6, w, 2),
    );
    frame.render_widget(
        Paragraph::new(hint(app, keys::LOGIN)),
        Rect::new(inner.x + 1, inner.y + inner.height.saturating_sub(1), w, 1),
    );
}

fn draw_sort(frame: &mut Frame, app: &App, area: Rect, cursor: usize) {
    use crate::app::files::Sort;
    let inner = frame_box(
        frame,
        area,
        40,
        Sort::ALL.len() as u16 + 3,
        "Sort files by",
        theme::popup_border(),
    );
    let w = inner.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = Sort::ALL
        .iter()
        .enumerate()
        .map(|(i, sort)| {
            let current = if *sort == app.files.sort { " ✓" } else { "" };
            let line = Line::from(pad(&format!(" {}{current}", sort.label()), w));
            if i == cursor {
                line.style(theme::selected(true))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x + 1, inner.y, w as u16, Sort::ALL.len() as u16),
    );
    frame.render_widget(
        Paragraph::new(hint(app, keys::SORT)),
        Rect::new(
            inner.x + 1,
            inner.y + inner.height.saturating_sub(1),
            w as u16,
            1,
        ),
    );
}

fn draw_confirm(frame: &mut Frame, app: &App, area: Rect, question: &str) {
    let width = area.width.saturating_sub(4).clamp(30, 60);
    let inner = frame_box(frame, area, width, 6, "Are you sure?", theme::warn());
    let w = inner.width.saturating_sub(2);
    frame.render_widget(
        Paragraph::new(question.to_string()).wrap(Wrap { trim: true }),
        Rect::new(inner.x + 1, inner.y, w, inner.height.saturating_sub(1)),
    );
    frame.render_widget(
        Paragraph::new(hint(app, keys::CONFIRM)),
        Rect::new(inner.x + 1, inner.y + inner.height.saturating_sub(1), w, 1),
    );
}

fn draw_error(frame: &mut Frame, app: &App, area: Rect, p: &ErrorPopup) {
    let width = area.width.saturating_sub(4).clamp(30, 70);
    // As tall as the message needs, wrapped (a long sentence is never cut).
    let lines = super::text::wrapped_height(&p.message, width.saturating_sub(4) as usize);
    let height = (lines as u16 + 4).clamp(6, area.height.max(1));
    let inner = frame_box(frame, area, width, height, &p.title, theme::error_border());
    let w = inner.width.saturating_sub(2);
    frame.render_widget(
        Paragraph::new(p.message.clone()).wrap(Wrap { trim: true }),
        Rect::new(inner.x + 1, inner.y, w, inner.height.saturating_sub(1)),
    );
    frame.render_widget(
        Paragraph::new(hint(app, keys::MESSAGE)),
        Rect::new(inner.x + 1, inner.y + inner.height.saturating_sub(1), w, 1),
    );
}

fn field(label: &str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<14}"), theme::dim()),
        Span::raw(value),
    ])
}

fn draw_details(frame: &mut Frame, app: &App, area: Rect, p: &DetailsPopup) {
    let f = &p.file;
    let yes_no = |b: bool| {
        if b {
            "yes".to_string()
        } else {
            "no".to_string()
        }
    };
    let mut lines = vec![
        field("Name", f.name.clone().unwrap_or_else(|| "—".into())),
        field("Code", f.file_code.clone()),
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
            .filter_map(|(label, value)| value.map(|v| field(label, v))),
    );
    lines.push(Line::from(vec![
        Span::styled(format!("{:<14}", "Link"), theme::dim()),
        Span::styled(
            p.link.clone(),
            Style::new()
                .fg(theme::ACCENT)
                .add_modifier(Modifier::UNDERLINED),
        ),
    ]));
    lines.push(if p.loading {
        Line::styled(
            format!("{} Asking mp4upload…", theme::spinner(app.spinner)),
            theme::dim(),
        )
    } else if let Some(e) = &p.error {
        Line::styled(e.clone(), theme::error())
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
        theme::popup_border(),
    );
    let w = inner.width.saturating_sub(2);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }),
        Rect::new(inner.x + 1, inner.y, w, inner.height.saturating_sub(1)),
    );
    frame.render_widget(
        Paragraph::new(hint(app, keys::LINK)),
        Rect::new(inner.x + 1, inner.y + inner.height.saturating_sub(1), w, 1),
    );
}

fn draw_cloned(frame: &mut Frame, app: &App, area: Rect, p: &ClonedPopup) {
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
        theme::popup_border(),
    );
    let mut lines = Vec::new();
    for (name, clone) in &p.clones {
        lines.push(Line::from(vec![
            Span::styled("Copy of ", theme::dim()),
            Span::raw(name.clone()),
        ]));
        lines.push(Line::styled(
            format!("  {}", app.link(&clone.file_code)),
            Style::new().fg(theme::ACCENT),
        ));
    }
    for failure in &p.failures {
        lines.push(Line::styled(failure.clone(), theme::error()));
    }
    if p.pending > 0 {
        lines.push(Line::styled(
            format!(
                "{} Cloning {}…",
                theme::spinner(app.spinner),
                format::plural(p.pending, "file")
            ),
            theme::dim(),
        ));
    }
    let w = inner.width.saturating_sub(2);
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x + 1, inner.y, w, inner.height.saturating_sub(1)),
    );
    frame.render_widget(
        Paragraph::new(hint(app, keys::LINK)),
        Rect::new(inner.x + 1, inner.y + inner.height.saturating_sub(1), w, 1),
    );
}

/// The help lines: every context's keys, generated from the same tables as the key bar (one
/// row each, so the help view's list and these lines agree).
pub fn help_lines() -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (i, context) in keys::CONTEXTS.iter().filter(|c| c.in_help).enumerate() {
        if i > 0 {
            lines.push(Line::default());
        }
        lines.push(Line::styled(
            context.title.to_string(),
            Style::new().fg(theme::ACCENT).add_modifier(Modifier::BOLD),
        ));
        for binding in context.table.iter() {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{:>16}  ", binding.keys_label()),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw(binding.help),
            ]));
        }
    }
    lines
}

fn draw_help(frame: &mut Frame, app: &App, area: Rect) {
    let lines = help_lines();
    let inner = super::views::frame_view(frame, area, "Help · mp4u");
    let rows = crate::geometry::help_rows(area.height).min(inner.height.saturating_sub(1) as usize);
    let window = app.views.help.window(lines.len(), rows);
    let shown: Vec<Line> = lines[window.clone()].to_vec();
    frame.render_widget(
        Paragraph::new(shown),
        Rect::new(inner.x, inner.y, inner.width, rows as u16),
    );
    let mut footer = hint(app, keys::HELP);
    if lines.len() > rows {
        footer.spans.push(Span::styled(
            format!(
                "  lines {}–{} of {}",
                window.start + 1,
                window.end,
                lines.len()
            ),
            theme::dim(),
        ));
    }
    super::views::bottom_line(frame, inner, footer);
}
