//! A file's details: what the list knew at once, then file/info's answer; its link to copy
//! or open.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Component, Popup};
use crate::api::{ApiError, FileInfo};
use crate::app::keys::Scope;
use crate::app::paint::{Scene, dialog};
use crate::app::{App, Command};
use crate::format;
use crate::theme::{self, Theme};

#[derive(Debug, Clone)]
pub struct DetailsPopup {
    /// What the list knew; replaced by file/info's answer when it arrives.
    pub file: FileInfo,
    pub folder_path: String,
    pub link: String,
    pub loading: bool,
    pub error: Option<String>,
}

impl Component for DetailsPopup {
    fn busy(&self) -> bool {
        self.loading
    }

    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let theme = app.theme;
        let f = &self.file;
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
            ("Folder", Some(self.folder_path.clone())),
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
                self.link.clone(),
                theme.accent().add_modifier(Modifier::UNDERLINED),
            ),
        ]));
        lines.push(if self.loading {
            Line::styled(
                format!("{} Asking mp4upload…", theme::spinner(app.spinner)),
                theme.dim(),
            )
        } else if let Some(e) = &self.error {
            Line::styled(e.clone(), theme.error())
        } else {
            Line::default()
        });
        let width = area.width.saturating_sub(4).clamp(30, 76);
        let body = dialog(
            frame,
            app,
            area,
            (width, lines.len() as u16 + 3),
            "File details",
            Scope::Link,
        );
        let w = body.width;
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }),
            Rect::new(body.x, body.y, w, body.height),
        );
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let Some(Popup::Details(p)) = &app.popup else {
            return Vec::new();
        };
        let link = p.link.clone();
        app.on_link_key(key, vec![link], false, "file info")
    }
}

impl App {
    pub(in crate::app) fn open_details(&mut self) -> Vec<Command> {
        let Some(file) = self.files.current().cloned() else {
            return Vec::new();
        };
        let code = file.file_code.clone();
        self.open(DetailsPopup {
            folder_path: self.tree.path(file.fld_id.unwrap_or(self.files.folder)),
            link: self.link(&code),
            file,
            loading: true,
            error: None,
        });
        vec![Command::FileInfo { code }]
    }

    /// file/info's answer, for the details still open on that file.
    pub(in crate::app) fn on_file_info(
        &mut self,
        code: String,
        result: Result<FileInfo, ApiError>,
    ) -> Vec<Command> {
        if let Some(Popup::Details(p)) = &mut self.popup
            && p.file.file_code == code
        {
            p.loading = false;
            match result {
                Ok(info) if info.exists() => p.file = info,
                Ok(_) => p.error = Some("mp4upload no longer has this file".into()),
                Err(e) => p.error = Some(e.to_string()),
            }
        }
        Vec::new()
    }
}

fn field(theme: &Theme, label: &str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<14}"), theme.dim()),
        Span::raw(value),
    ])
}
