//! Clones: each copy's new link as it comes, with failures, to copy or open.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Component, Popup};
use crate::api::{ApiError, ClonedFile, FileInfo};
use crate::app::keys::{Action, Scope};
use crate::app::paint::{Scene, dialog};
use crate::app::{App, Command, Level};
use crate::format;
use crate::theme;

#[derive(Debug, Clone)]
pub struct ClonedPopup {
    /// The request the clones answer.
    pub req: u64,
    /// (source name, the new copy), one per cloned file.
    pub clones: Vec<(String, ClonedFile)>,
    /// Clones still running.
    pub pending: usize,
    pub failures: Vec<String>,
}

impl ClonedPopup {
    /// The new copies' links, made where every link is made.
    pub fn links(&self, base_url: &str) -> Vec<String> {
        self.clones
            .iter()
            .map(|(_, c)| crate::api::file_link(base_url, &c.file_code))
            .collect()
    }
}

impl Component for ClonedPopup {
    fn available(&self, _app: &App, action: Action) -> bool {
        !self.clones.is_empty() || action == Action::Close
    }

    fn busy(&self) -> bool {
        self.pending > 0
    }

    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let theme = app.theme;
        let width = area.width.saturating_sub(4).clamp(30, 76);
        let body = (self.clones.len() * 2 + self.failures.len() + usize::from(self.pending > 0))
            .max(1) as u16;
        let title = if self.clones.len() + self.pending > 1 {
            "Clones"
        } else {
            "Clone"
        };
        let body = dialog(frame, app, area, (width, body + 4), title, Scope::Link);
        let mut lines = Vec::new();
        for (name, clone) in &self.clones {
            lines.push(Line::from(vec![
                Span::styled("Copy of ", theme.dim()),
                Span::raw(name.clone()),
            ]));
            lines.push(Line::styled(
                format!("  {}", app.link(&clone.file_code)),
                theme.accent(),
            ));
        }
        for failure in &self.failures {
            lines.push(Line::styled(failure.clone(), theme.error()));
        }
        if self.pending > 0 {
            lines.push(Line::styled(
                format!(
                    "{} Cloning {}…",
                    theme::spinner(app.spinner),
                    format::plural(self.pending, "file")
                ),
                theme.dim(),
            ));
        }
        let w = body.width;
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(body.x, body.y, w, body.height),
        );
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let Some(Popup::Cloned(p)) = &app.popup else {
            return Vec::new();
        };
        let links = p.links(&app.base_url);
        let cloning = p.pending > 0;
        app.on_link_key(key, links, cloning, "clone")
    }
}

impl App {
    /// Clones the files the question was about: one request for all, answered into the clone
    /// popup while it is open (as notices once it is closed).
    pub(in crate::app) fn start_clones(
        &mut self,
        files: Vec<crate::api::FileInfo>,
    ) -> Vec<Command> {
        let req = self.next_req();
        self.open(ClonedPopup {
            req,
            clones: Vec::new(),
            pending: files.len(),
            failures: Vec::new(),
        });
        files
            .into_iter()
            .map(|file| Command::CloneFile { req, file })
            .collect()
    }

    pub(in crate::app) fn on_cloned(
        &mut self,
        req: u64,
        source: FileInfo,
        result: Result<crate::api::ClonedFile, ApiError>,
    ) -> Vec<Command> {
        let name = source
            .name
            .clone()
            .unwrap_or_else(|| source.file_code.clone());
        let waiting = matches!(&self.popup, Some(Popup::Cloned(p)) if p.req == req);
        let mut commands = Vec::new();
        match result {
            Ok(cloned) => {
                let folder = source.fld_id.unwrap_or(self.files.folder);
                // Show the copy at once; the listing is asked again for its exact fields.
                for (fld_id, listing) in self.files.cache.iter_mut() {
                    if listing
                        .files
                        .iter()
                        .any(|f| f.file_code == source.file_code)
                        || *fld_id == folder
                    {
                        let mut copy = source.clone();
                        copy.file_code = cloned.file_code.clone();
                        copy.downloads = Some(0);
                        copy.link = None;
                        copy.uploaded = None;
                        if !listing.files.iter().any(|f| f.file_code == copy.file_code) {
                            listing.files.push(copy);
                        }
                        break;
                    }
                }
                self.files.rebuild();
                match &mut self.popup {
                    Some(Popup::Cloned(p)) if waiting => {
                        p.clones.push((name.clone(), cloned));
                        p.pending = p.pending.saturating_sub(1);
                    }
                    _ => {
                        let link = self.link(&cloned.file_code);
                        self.notify(Level::Info, format!("Cloned {name}: {link}"));
                    }
                }
                if !waiting || self.clones_done() {
                    commands.push(Command::LoadAccount);
                    if self.files.cache.contains_key(&folder) {
                        commands.extend(self.reload_files(folder, false));
                    }
                }
            }
            Err(e) => match &mut self.popup {
                Some(Popup::Cloned(p)) if waiting => {
                    p.failures.push(format!("{name}: {e}"));
                    p.pending = p.pending.saturating_sub(1);
                }
                _ => self.notify(Level::Error, format!("Cloning {name} failed: {e}")),
            },
        }
        commands
    }

    fn clones_done(&self) -> bool {
        match &self.popup {
            Some(Popup::Cloned(ClonedPopup { pending, .. })) => *pending == 0,
            _ => true,
        }
    }
}
