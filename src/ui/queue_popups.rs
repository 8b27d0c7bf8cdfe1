//! The questions of the upload queue: uploads left unfinished (at start), files already on the
//! account, and the confirmation of a directory's upload.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Scene;
use crate::app::keys::Scope;
use crate::app::overlay::{DuplicatesPopup, ResumePopup, TreePopup};
use crate::app::paint::{draw_hint, frame_box};
use crate::app::uploads::Upload;
use crate::format::{plural, size};
use crate::text::fit;
use crate::theme::Theme;

/// A box as tall as its text ([`crate::geometry::question_box`]: `head` wrapped, then `lines`
/// one row each, the key hint at the bottom). A list longer than the box scrolls from `offset`
/// with a row that says which lines show, or, without one (a summary that does not scroll),
/// ends with "… and N more".
#[allow(clippy::too_many_arguments)]
fn draw_box(
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
    let w = b.width.saturating_sub(4);
    let inner = frame_box(frame, area, b.width, b.height, title, theme.popup_border());
    frame.render_widget(
        Paragraph::new(head.to_string()).wrap(Wrap { trim: true }),
        Rect::new(inner.x + 1, inner.y, w, b.head.min(inner.height)),
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
            inner.x + 1,
            inner.y + b.head + 1,
            w,
            inner.height.saturating_sub(b.head + 2),
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

pub fn draw_resume(frame: &mut Frame, app: &Scene<'_>, area: Rect, p: &ResumePopup) {
    let theme = app.theme;
    let width = area.width.saturating_sub(8).clamp(26, 80) as usize;
    let rows: Vec<&Upload> = p.ids.iter().filter_map(|id| app.uploads.get(*id)).collect();
    let mut lines: Vec<Line> = rows.iter().map(|u| row_line(app.theme, u, width)).collect();
    if p.busy > 0 {
        lines.push(Line::styled(
            format!("  ({} more being sent by another mp4u: left to it)", p.busy),
            theme.dim(),
        ));
    }
    let (head, _) = app.resume_question(p);
    draw_box(
        frame,
        app,
        area,
        "Uploads left unfinished",
        &head,
        lines,
        Some(p.list.offset),
        Scope::Resume,
    );
}

pub fn draw_duplicates(frame: &mut Frame, app: &Scene<'_>, area: Rect, p: &DuplicatesPopup) {
    let theme = app.theme;
    let width = area.width.saturating_sub(8).clamp(26, 80) as usize;
    let there = app.duplicate_rows();
    let (head, _) = app.duplicates_question();
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
        Some(p.list.offset),
        Scope::Duplicates,
    );
}

pub fn draw_tree(frame: &mut Frame, app: &Scene<'_>, area: Rect, p: &TreePopup) {
    let theme = app.theme;
    let tree = &p.tree;
    let plan = &tree.plan;
    let marked = match tree.names.as_slice() {
        [one] => one.clone(),
        [first, second] => format!("{first} and {second}"),
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
        None,
        Scope::TreeUpload,
    );
}
