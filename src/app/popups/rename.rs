//! Rename: a folder, a file, or several files at once, with one name for all or a template
//! (`Show - S01E{n:02}{ext}`, [`crate::template`]) that gives each file its own, numbered in
//! the order the list shows them. The popup previews every new name before Enter sends
//! anything; a template that makes a bad name for any file sends nothing.

use std::collections::HashSet;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use tui_input::Input;

use super::{Component, NameEdit, NameInput, Popup, draw_name_input, edit_name};
use crate::api::{ApiError, FileInfo, clean_name};
use crate::app::keys::{Action, Scope};
use crate::app::paint::{Scene, dialog, draw_input};
use crate::app::{App, Command, Level};
use crate::format::plural;
use crate::template::Template;
use crate::text::{fit, wrapped_height};
use crate::theme;

/// What a rename renames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameTarget {
    Folder {
        fld_id: u64,
    },
    /// Files, with their names now (for a template's `{name}` and `{ext}`, and the preview).
    Files {
        codes: Vec<String>,
        names: Vec<String>,
    },
}

#[derive(Debug, Clone)]
pub struct RenamePopup {
    pub target: RenameTarget,
    /// Marked files the filter hides (they are renamed too).
    pub hidden: usize,
    pub input: Input,
    /// Why the name cannot be used, or what the server said.
    pub error: Option<String>,
    /// Sent as this request; waiting for its answer.
    pub pending: Option<u64>,
    /// Each file's result once a template's renames came back: (code, new name, error).
    pub results: Option<Vec<(String, String, Option<String>)>>,
}

impl RenamePopup {
    /// Renames the folder `fld_id`, now named `name`.
    pub fn folder(fld_id: u64, name: String) -> RenamePopup {
        RenamePopup {
            hidden: 0,
            target: RenameTarget::Folder { fld_id },
            input: Input::new(name),
            error: None,
            pending: None,
            results: None,
        }
    }

    /// Renames files (`hidden` of them marked but hidden by the filter). Several start from a
    /// template that keeps each name as it is.
    pub fn files(files: &[FileInfo], hidden: usize) -> RenamePopup {
        let text = match files {
            [one] => one.name.clone().unwrap_or_default(),
            _ => "{name}{ext}".to_string(),
        };
        RenamePopup {
            hidden,
            target: RenameTarget::Files {
                codes: files.iter().map(|f| f.file_code.clone()).collect(),
                names: files
                    .iter()
                    .map(|f| f.name.clone().unwrap_or_default())
                    .collect(),
            },
            input: Input::new(text),
            error: None,
            pending: None,
            results: None,
        }
    }
}

/// What Enter would do with what is typed now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenamePlan {
    /// The folder, one file, or several files given the same name (no placeholder typed).
    Same(Result<String, String>),
    /// Each file its own name: (code, old name, new name). Files whose name would not change
    /// are left out.
    Each(Vec<(String, String, String)>),
    /// The template cannot be used: why (for a file, naming it).
    Bad(String),
}

/// A row of the preview: the old name, the new one, and (once it came back) the result.
pub type PreviewRow = (String, String, Option<Result<(), String>>);

impl RenamePopup {
    /// Several files: the typed text is a template when it holds a brace.
    pub fn is_template(&self) -> bool {
        matches!(&self.target, RenameTarget::Files { codes, .. } if codes.len() > 1)
            && self.input.value().contains(['{', '}'])
    }

    /// What Enter would send, computed afresh from the input.
    pub fn plan(&self) -> RenamePlan {
        let RenameTarget::Files { codes, names } = &self.target else {
            return RenamePlan::Same(clean_name(self.input.value()));
        };
        if !self.is_template() {
            return RenamePlan::Same(clean_name(self.input.value()));
        }
        let template = match Template::parse(self.input.value()) {
            Ok(t) => t,
            Err(why) => return RenamePlan::Bad(why),
        };
        let mut each = Vec::new();
        for (i, code) in codes.iter().enumerate() {
            let old = names.get(i).cloned().unwrap_or_default();
            let new = template.render(i as u64 + 1, &old);
            match clean_name(&new) {
                Ok(new) if new == old => {}
                Ok(new) => each.push((code.clone(), old, new)),
                Err(why) => return RenamePlan::Bad(format!("{old}: {why}")),
            }
        }
        RenamePlan::Each(each)
    }

    /// (old, new) for each file as the preview lists them: the new name, or what came back.
    pub fn preview(&self) -> Vec<PreviewRow> {
        let RenameTarget::Files { codes, names } = &self.target else {
            return Vec::new();
        };
        if let Some(results) = &self.results {
            return results
                .iter()
                .map(|(code, new, error)| {
                    let at = codes.iter().position(|c| c == code);
                    let old = at.and_then(|i| names.get(i)).cloned().unwrap_or_default();
                    let result = match error {
                        None => Ok(()),
                        Some(e) => Err(e.clone()),
                    };
                    (old, new.clone(), Some(result))
                })
                .collect();
        }
        match self.plan() {
            RenamePlan::Each(each) => each
                .into_iter()
                .map(|(_, old, new)| (old, new, None))
                .collect(),
            RenamePlan::Same(Ok(new)) => names
                .iter()
                .map(|old| (old.clone(), new.clone(), None))
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl Component for RenamePopup {
    super::sends_one_change!(input);

    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let (title, label) = match &self.target {
            RenameTarget::Folder { fld_id } => (
                "Rename folder".to_string(),
                format!("New name for {}", app.tree.path(*fld_id)),
            ),
            RenameTarget::Files { codes, .. } if codes.len() == 1 => {
                ("Rename file".to_string(), "New name".to_string())
            }
            RenameTarget::Files { .. } => return draw_many(frame, app, area, self),
        };
        let busy = self
            .busy()
            .then(|| format!("{} Renaming…", theme::spinner(app.spinner)));
        draw_name_input(
            frame,
            app,
            area,
            NameInput {
                title: &title,
                label: &label,
                input: &self.input,
                error: self.error.as_deref(),
                busy,
            },
        );
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let Some(Popup::Rename(p)) = &mut app.popup else {
            return Vec::new();
        };
        // A template's results are shown: any of Enter and Esc closes.
        if p.results.is_some() {
            if matches!(
                app.keymap.action_for(Scope::NameInput, &key),
                Some(Action::Confirm | Action::Close)
            ) {
                app.popup = None;
            }
            return Vec::new();
        }
        if p.is_template() && p.pending.is_none() {
            match app.keymap.action_for(Scope::NameInput, &key) {
                Some(Action::Confirm) => {}
                Some(Action::Close) => {
                    app.popup = None;
                    return Vec::new();
                }
                _ => {
                    let _ = edit_name(&app.keymap, &mut p.input, &mut p.error, &mut p.pending, key);
                    return Vec::new();
                }
            }
            match p.plan() {
                RenamePlan::Bad(why) => p.error = Some(why),
                RenamePlan::Each(each) if each.is_empty() => {
                    p.error = Some("No name would change".into());
                }
                RenamePlan::Each(each) => {
                    app.next_req += 1;
                    let req = app.next_req;
                    p.pending = Some(req);
                    p.error = None;
                    let renames = each.into_iter().map(|(code, _, new)| (code, new)).collect();
                    return vec![Command::RenameEach { req, renames }];
                }
                RenamePlan::Same(_) => {}
            }
            return Vec::new();
        }
        match edit_name(&app.keymap, &mut p.input, &mut p.error, &mut p.pending, key) {
            NameEdit::Cancel { was_pending } => {
                app.close_popup(was_pending, "rename");
                Vec::new()
            }
            NameEdit::Submit(name) => {
                let req = app.next_req();
                let Some(Popup::Rename(p)) = &mut app.popup else {
                    return Vec::new();
                };
                p.pending = Some(req);
                match &p.target {
                    RenameTarget::Folder { fld_id } => vec![Command::RenameFolder {
                        req,
                        fld_id: *fld_id,
                        name,
                    }],
                    RenameTarget::Files { codes, .. } => vec![Command::RenameFiles {
                        req,
                        codes: codes.clone(),
                        name,
                    }],
                }
            }
            NameEdit::Editing => Vec::new(),
        }
    }
}

impl App {
    /// The answer to renaming files to one name: the rows take it, the popup closes.
    pub(in crate::app) fn on_files_renamed(
        &mut self,
        req: u64,
        codes: Vec<String>,
        name: String,
        result: Result<Vec<FileInfo>, ApiError>,
    ) -> Vec<Command> {
        match result {
            Ok(items) => {
                let missing: Vec<&str> = items
                    .iter()
                    .filter(|i| !i.exists())
                    .map(|i| i.file_code.as_str())
                    .collect();
                let renamed: HashSet<&str> = codes
                    .iter()
                    .map(String::as_str)
                    .filter(|c| !missing.contains(c))
                    .collect();
                for listing in self.files.cache.values_mut() {
                    for file in &mut listing.files {
                        if renamed.contains(file.file_code.as_str()) {
                            file.name = Some(name.clone());
                        }
                    }
                }
                self.files.rebuild();
                self.close_waiting(req);
                if missing.is_empty() {
                    self.notify(
                        Level::Info,
                        format!("Renamed {} to {name}", plural(renamed.len(), "file")),
                    );
                } else {
                    self.notify(
                        Level::Warn,
                        format!(
                            "Renamed {}; not found: {}",
                            plural(renamed.len(), "file"),
                            missing.join(", ")
                        ),
                    );
                }
            }
            Err(e) => self.fail_waiting(req, &format!("Renaming to {name} failed"), &e),
        }
        Vec::new()
    }

    /// The answer to renaming a folder.
    pub(in crate::app) fn on_folder_renamed(
        &mut self,
        req: u64,
        fld_id: u64,
        name: String,
        result: Result<(), ApiError>,
    ) -> Vec<Command> {
        match result {
            Ok(()) => {
                self.tree.rename(fld_id, &name);
                self.close_waiting(req);
                self.notify(Level::Info, format!("Renamed the folder to {name}"));
            }
            Err(e) => self.fail_waiting(req, &format!("Renaming the folder to {name} failed"), &e),
        }
        Vec::new()
    }

    /// Each file's answer to a template's renames: the rows take their new names; the popup
    /// that asked (if still open) lists every result, else a notice says how it went and the
    /// message log keeps each failure.
    pub(in crate::app) fn on_renamed_each(
        &mut self,
        req: u64,
        results: Vec<(String, String, Result<bool, crate::api::ApiError>)>,
    ) -> Vec<Command> {
        let mut shown = Vec::with_capacity(results.len());
        let mut failed = 0;
        for (code, name, result) in results {
            let error = match result {
                Ok(true) => {
                    for listing in self.files.cache.values_mut() {
                        for file in &mut listing.files {
                            if file.file_code == code {
                                file.name = Some(name.clone());
                            }
                        }
                    }
                    None
                }
                Ok(false) => Some("no such file".to_string()),
                Err(e) => Some(e.to_string()),
            };
            if let Some(e) = &error {
                failed += 1;
                self.log(
                    Level::Error,
                    format!("Renaming {code} to {name} failed: {e}"),
                );
            }
            shown.push((code, name, error));
        }
        self.files.rebuild();
        let renamed = shown.len() - failed;
        let summary = match failed {
            0 => format!("Renamed {}", plural(renamed, "file")),
            f => format!(
                "Renamed {}; {f} failed (M: messages)",
                plural(renamed, "file")
            ),
        };
        let level = if failed == 0 {
            Level::Info
        } else {
            Level::Warn
        };
        if self.waits_for(req)
            && let Some(Popup::Rename(p)) = &mut self.popup
        {
            p.pending = None;
            p.results = Some(shown);
        }
        self.notify(level, summary);
        Vec::new()
    }
}

/// Rows of the preview at most.
const ROWS: usize = 10;

fn draw_many(frame: &mut Frame, app: &Scene<'_>, area: Rect, p: &RenamePopup) {
    let RenameTarget::Files { codes, .. } = &p.target else {
        return;
    };
    let width = area.width.saturating_sub(4).clamp(30, 90);
    let w = width.saturating_sub(4) as usize;
    let preview = p.preview();
    let rows = preview.len().clamp(1, ROWS);
    let message = message(app, p, codes.len());
    let message_h = message
        .as_ref()
        .map_or(1, |(text, _)| wrapped_height(text, w).clamp(1, 4)) as u16;
    let hidden = match p.hidden {
        0 => String::new(),
        h => format!(" ({h} hidden by the filter)"),
    };
    let body = dialog(
        frame,
        app,
        area,
        (width, rows as u16 + message_h + 7),
        &format!("Rename {}{hidden}", plural(codes.len(), "file")),
        Scope::NameInput,
    );
    let x = body.x;
    let row = |i: u16, h: u16| Rect::new(x, body.y + i, w as u16, h);
    frame.render_widget(
        Paragraph::new(Line::styled(
            fit(
                "One name for all, or a template: {n} {n:02} {name} {ext}",
                w,
            ),
            app.theme.dim(),
        )),
        row(0, 1),
    );
    draw_input(
        frame,
        app.theme,
        row(1, 1),
        &p.input,
        false,
        !p.busy() && p.results.is_none(),
    );

    // old → new, each with its result once it came back.
    let arrow_w = 3;
    let half = w.saturating_sub(arrow_w + 2) / 2;
    let mut lines: Vec<Line> = preview
        .iter()
        .take(ROWS)
        .map(|(old, new, result)| {
            let (mark, style) = match result {
                None => ("  ", ratatui::style::Style::new()),
                Some(Ok(())) => ("✓ ", ratatui::style::Style::new()),
                Some(Err(_)) => ("✗ ", app.theme.error()),
            };
            Line::from(vec![
                Span::styled(mark, style),
                Span::styled(fit(old, half), app.theme.dim()),
                Span::raw(" → "),
                Span::styled(fit(new, half), style),
            ])
        })
        .collect();
    if preview.is_empty() {
        lines.push(Line::styled("  (no name would change)", app.theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), row(3, rows as u16));
    let more_y = 3 + rows as u16;
    if preview.len() > ROWS {
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!("  … and {} more", preview.len() - ROWS),
                app.theme.dim(),
            )),
            row(more_y, 1),
        );
    }
    if let Some((text, error)) = message {
        let style = if error {
            app.theme.error()
        } else {
            app.theme.dim()
        };
        frame.render_widget(
            Paragraph::new(Line::styled(text, style)).wrap(Wrap { trim: true }),
            row(more_y + 1, message_h),
        );
    }
}

/// The line under the preview: what Enter does, what is wrong, or how it went.
fn message(app: &Scene<'_>, p: &RenamePopup, files: usize) -> Option<(String, bool)> {
    if let Some(error) = &p.error {
        return Some((error.clone(), true));
    }
    if p.busy() {
        return Some((format!("{} Renaming…", theme::spinner(app.spinner)), false));
    }
    if let Some(results) = &p.results {
        let failed = results.iter().filter(|r| r.2.is_some()).count();
        let text = match failed {
            0 => format!("Renamed {}. Enter closes.", plural(results.len(), "file")),
            f => format!(
                "Renamed {}; {f} failed: {}",
                plural(results.len() - f, "file"),
                results.iter().find_map(|r| r.2.clone()).unwrap_or_default()
            ),
        };
        return Some((text, failed > 0));
    }
    match p.plan() {
        RenamePlan::Bad(why) => Some((why, true)),
        RenamePlan::Same(Ok(name)) => Some((
            format!("Enter gives all {files} files the name {name}"),
            false,
        )),
        RenamePlan::Same(Err(why)) => Some((why, true)),
        RenamePlan::Each(each) => Some((
            format!(
                "Enter renames {} (numbered in the list's order)",
                plural(each.len(), "file")
            ),
            false,
        )),
    }
}
