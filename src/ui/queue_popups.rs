//! The questions of the upload queue: uploads left unfinished (at start), files already on the
//! account, and the confirmation of a directory's upload.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::text::{fit, wrapped_height};
use super::theme::Theme;
use super::widgets::{draw_hint, frame_box};
use crate::app::App;
use crate::app::keys::Scope;
use crate::app::overlay::{ResumePopup, TreePopup};
use crate::app::uploads::{Upload, UploadState};
use crate::format::{plural, size};
use crate::queue::State;

/// A box as tall as its text (the first `head` wrapped, then `lines` one row each), the key
/// hint at the bottom; rows that do not fit give way to "… and N more" first.
fn draw_box(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    title: &str,
    head: &str,
    lines: Vec<Line<'static>>,
    scope: Scope,
) {
    let theme = &app.theme;
    let width = area.width.saturating_sub(4).clamp(30, 84);
    let w = width.saturating_sub(4);
    let head_h = wrapped_height(head, w as usize) as u16;
    let wanted = head_h + 1 + lines.len() as u16 + 4;
    let height = wanted.min(area.height.max(1));
    let inner = frame_box(frame, area, width, height, title, theme.popup_border());
    frame.render_widget(
        Paragraph::new(head.to_string()).wrap(Wrap { trim: true }),
        Rect::new(inner.x + 1, inner.y, w, head_h.min(inner.height)),
    );
    let room = inner.height.saturating_sub(head_h + 3) as usize;
    let mut shown = lines;
    if shown.len() > room {
        let more = shown.len() - room.saturating_sub(1);
        shown.truncate(room.saturating_sub(1));
        if room > 0 {
            shown.push(Line::styled(format!("  … and {more} more"), theme.dim()));
        }
    }
    frame.render_widget(
        Paragraph::new(shown),
        Rect::new(
            inner.x + 1,
            inner.y + head_h + 1,
            w,
            inner.height.saturating_sub(head_h + 2),
        ),
    );
    draw_hint(
        frame,
        app,
        scope,
        Rect::new(inner.x + 1, inner.y + inner.height.saturating_sub(1), w, 1),
    );
}

/// `name → folder` and a word on how it was left.
fn row_line(theme: &Theme, u: &Upload, width: usize) -> Line<'static> {
    let how = match u.entry.as_ref().map(|e| &e.state) {
        Some(State::Sending { .. }) => "was being sent: looked for first",
        Some(State::Unknown { .. }) => "may have arrived: looked for first",
        Some(State::Failed { .. }) => "failed",
        _ => "",
    };
    let text = fit(
        &format!("{} → {}", u.name, u.folder_path),
        width.saturating_sub(how.chars().count() + 4),
    );
    Line::from(vec![
        Span::raw(format!("  {text}  ")),
        Span::styled(how.to_string(), theme.warn()),
    ])
}

pub fn draw_resume(frame: &mut Frame, app: &App, area: Rect, p: &ResumePopup) {
    let theme = &app.theme;
    let width = area.width.saturating_sub(8).clamp(26, 80) as usize;
    let rows: Vec<&Upload> = p.ids.iter().filter_map(|id| app.uploads.get(*id)).collect();
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|u| row_line(&app.theme, u, width))
        .collect();
    if p.busy > 0 {
        lines.push(Line::styled(
            format!("  ({} more being sent by another mp4u: left to it)", p.busy),
            theme.dim(),
        ));
    }
    let head = format!(
        "{} left unfinished: Enter resumes them, Esc keeps them paused in the transfers view.",
        plural(rows.len(), "upload")
    );
    draw_box(
        frame,
        app,
        area,
        "Uploads left unfinished",
        &head,
        lines,
        Scope::Resume,
    );
}

pub fn draw_duplicates(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let width = area.width.saturating_sub(8).clamp(26, 80) as usize;
    let there: Vec<(&str, &str)> = app
        .uploads
        .items
        .iter()
        .filter_map(|u| match &u.state {
            UploadState::Duplicate { url, .. } => Some((u.name.as_str(), url.as_str())),
            _ => None,
        })
        .collect();
    let head = match there.as_slice() {
        [(name, url)] => format!(
            "Already on the account: {name} → {url}\nA file of the same name and size is in \
             its folder. Enter skips it; a sends it anyway."
        ),
        _ => format!(
            "{} already on the account (a file of the same name and size is in the folder). \
             Enter skips them, the rest is sent; a sends them anyway.",
            plural(there.len(), "file")
        ),
    };
    let lines = if there.len() > 1 {
        there
            .iter()
            .map(|(name, url)| {
                let name = fit(name, width / 2);
                Line::from(vec![
                    Span::raw(format!("  {name} → ")),
                    Span::styled(
                        fit(url, width.saturating_sub(name.chars().count() + 6)),
                        theme.accent(),
                    ),
                ])
            })
            .collect()
    } else {
        Vec::new()
    };
    draw_box(
        frame,
        app,
        area,
        "Already on the account",
        &head,
        lines,
        Scope::Duplicates,
    );
}

pub fn draw_tree(frame: &mut Frame, app: &App, area: Rect, p: &TreePopup) {
    let theme = &app.theme;
    let tree = &p.tree;
    let plan = &tree.plan;
    let marked = match tree.names.as_slice() {
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} and {} more", rest.len()),
        [] => "Nothing".into(),
    };
    let head = format!("{marked} into {}:", tree.target_path);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("  {} to upload", plural(plan.upload.len(), "file")),
            bold,
        ),
        Span::raw(format!(" ({})", size(tree.bytes(false)))),
    ])];
    lines.push(Line::raw(match plan.create.len() {
        0 => "  no folder to create".to_string(),
        n => format!("  {} to create", plural(n, "folder")),
    }));
    for folder in plan.create.iter().take(3) {
        lines.push(Line::styled(format!("    + {}", folder.path), theme.dim()));
    }
    if plan.create.len() > 3 {
        lines.push(Line::styled(
            format!("    … and {} more", plan.create.len() - 3),
            theme.dim(),
        ));
    }
    if !plan.skip.is_empty() {
        lines.push(Line::styled(
            format!(
                "  {} already on the account, skipped (a sends {} too)",
                plural(plan.skip.len(), "file"),
                if plan.skip.len() == 1 { "it" } else { "them" }
            ),
            theme.success(),
        ));
    }
    let hidden = tree.hidden.len();
    let other = tree.left_out.len();
    if hidden + other > 0 {
        let mut parts = Vec::new();
        if hidden > 0 {
            parts.push(format!("{hidden} hidden"));
        }
        if other > 0 {
            parts.push(format!("{other} that cannot be sent"));
        }
        let n = hidden + other;
        let entries = if n == 1 {
            "1 entry".into()
        } else {
            format!("{n} entries")
        };
        lines.push(Line::styled(
            format!("  {entries} left out: {}", parts.join(", ")),
            theme.warn(),
        ));
        for problem in tree.left_out.iter().take(3) {
            lines.push(Line::styled(
                format!("    {}: {}", problem.path, problem.reason),
                theme.dim(),
            ));
        }
        if hidden > 0 {
            let mut names = tree
                .hidden
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            if hidden > 3 {
                names.push_str(", …");
            }
            lines.push(Line::styled(format!("    hidden: {names}"), theme.dim()));
        }
    }
    if plan.upload.is_empty() {
        lines.push(Line::styled(
            "  Nothing to send: Enter lists what is there".to_string(),
            theme.dim(),
        ));
    }
    draw_box(
        frame,
        app,
        area,
        &format!("Upload into {}", tree.target_path),
        &head,
        lines,
        Scope::TreeUpload,
    );
}
