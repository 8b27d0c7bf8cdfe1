//! The link checker: paste links or codes, see which files are alive and which are gone; copy
//! the live links or export the table.

use ratatui::Frame;
use ratatui::crossterm::event::{Event as TermEvent, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{
    Component, Fetch, View, ViewFocus, bottom_hint, frame_view, is_text, row, rows, status_line,
};
use crate::api::{ApiError, FileInfo};
use crate::app::keys::{self, Action, Scope};
use crate::app::list::ListState;
use crate::app::paint::{Scene, draw_input};
use crate::app::popups::FormatPurpose;
use crate::app::{App, Command, Level};
use crate::format;
use crate::links::LinkFile;
use crate::text::{pad, pad_left};

#[derive(Debug, Clone, Default)]
pub struct CheckerView {
    pub input: Input,
    pub focus: ViewFocus,
    /// What the last check asked about (parsed from the input then).
    pub parsed: crate::links::ParsedLinks,
    pub fetch: Fetch<Vec<FileInfo>>,
    pub list: ListState,
    pub req: u64,
}

impl App {
    /// Opens the link checker with what was typed and found before.
    pub(in crate::app) fn open_checker(&mut self) {
        self.view = Some(View::Checker);
    }

    /// The check's answer, for the check still shown.
    pub(in crate::app) fn on_links_checked(
        &mut self,
        req: u64,
        result: Result<Vec<FileInfo>, ApiError>,
    ) -> Vec<Command> {
        let view = &mut self.views.checker;
        if view.req == req
            && let Some(files) = view.fetch.answer(result)
        {
            let alive = files.iter().filter(|f| f.exists()).count();
            let missing = files.len() - alive;
            view.focus = ViewFocus::List;
            self.notify(Level::Info, format!("{alive} alive, {missing} missing"));
        }
        Vec::new()
    }
}

impl App {
    /// The checker's table: every code with its status, name, size, downloads and link.
    fn check_table(&self, results: &[FileInfo]) -> String {
        let mut contents = String::from("status\tcode\tname\tsize\tdownloads\tlink\n");
        for f in results {
            contents.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\n",
                if f.exists() { "alive" } else { "missing" },
                f.file_code,
                f.name.as_deref().unwrap_or(""),
                f.size.map(|s| s.to_string()).unwrap_or_default(),
                f.downloads.map(|d| d.to_string()).unwrap_or_default(),
                if f.exists() {
                    self.link(&f.file_code)
                } else {
                    String::new()
                },
            ));
        }
        contents
    }
}

impl Component for CheckerView {
    fn available(&self, _app: &App, action: Action) -> bool {
        match action {
            Action::CopyLink | Action::Export => {
                self.focus == ViewFocus::List && self.fetch.data.is_some()
            }
            _ => true,
        }
    }

    fn busy(&self) -> bool {
        self.fetch.loading
    }

    fn input(&mut self) -> Option<&mut Input> {
        Some(&mut self.input)
    }

    fn settle(&mut self, app: &App) {
        let len = self.fetch.data.as_ref().map_or(0, Vec::len);
        self.list
            .settle(len, crate::geometry::checker_rows(app.size.1));
    }

    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let theme = app.theme;
        let Some(inner) = frame_view(frame, theme, area, "Link checker", 6) else {
            return;
        };
        frame.render_widget(
            Paragraph::new(Line::styled("Paste or type file codes or mp4upload links, in any form, separated by spaces, commas or new lines:", theme.dim())),
            row(inner, 0),
        );
        draw_input(
            frame,
            theme,
            row(inner, 1),
            &self.input,
            false,
            self.focus == ViewFocus::Input && !self.fetch.loading,
        );
        let live = crate::links::parse(self.input.value(), app.link_host().as_deref());
        let summary = if self.input.value().trim().is_empty() {
            String::new()
        } else {
            format!("{} · Enter checks them", live.summary())
        };
        let status = status_line(
            theme,
            self.fetch.loading,
            self.fetch.error.as_deref(),
            app.spinner,
            "Checking…",
        )
        .unwrap_or_else(|| Line::styled(summary, theme.dim()));
        frame.render_widget(Paragraph::new(status), row(inner, 2));

        if let Some(results) = &self.fetch.data {
            let w = inner.width as usize;
            let (header, name_w) = files_header(w);
            let alive = results.iter().filter(|f| f.exists()).count();
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(format!("{alive} alive"), theme.success()),
                    Span::raw(" · "),
                    Span::styled(
                        format!("{} missing", results.len() - alive),
                        if alive == results.len() {
                            theme.dim()
                        } else {
                            theme.error()
                        },
                    ),
                    Span::styled(format!("   ({})", self.parsed.summary()), theme.dim()),
                ])),
                row(inner, 4),
            );
            frame.render_widget(
                Paragraph::new(Line::styled(header, theme.header())),
                row(inner, 5),
            );
            let height = crate::geometry::checker_rows(area.height);
            let lines: Vec<Line> = self
                .list
                .shown(results.iter(), height)
                .map(|(i, f)| {
                    let (status, style) = if f.exists() {
                        ("alive", theme.success())
                    } else {
                        ("missing", theme.error())
                    };
                    let line = Line::from(vec![
                        Span::styled(pad(status, 8), style),
                        Span::raw(pad(&f.file_code, 14)),
                        Span::raw(pad(f.name.as_deref().unwrap_or(""), name_w)),
                        Span::raw(pad_left(&f.size.map(format::size).unwrap_or_default(), 10)),
                        Span::raw(pad_left(
                            &f.downloads.map(format::count).unwrap_or_default(),
                            10,
                        )),
                    ]);
                    theme.row(line, i == self.list.cursor && self.focus == ViewFocus::List)
                })
                .collect();
            frame.render_widget(Paragraph::new(lines), rows(inner, 6, height as u16));
        }
        bottom_hint(frame, app, inner, Scope::Checker);
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let rows = crate::geometry::checker_rows(app.size.1);
        let host = app.link_host();
        {
            let view = &mut app.views.checker;
            let count = view.fetch.data.as_ref().map_or(0, Vec::len);
            let action = app.keymap.action_for(keys::Scope::Checker, &key);
            // In the input, letters are text and Home/End move the text cursor.
            let action = match (view.focus, action) {
                (
                    ViewFocus::Input,
                    Some(Action::CopyLink | Action::Export | Action::Home | Action::End),
                ) => None,
                (_, action) => action,
            };
            match action {
                Some(Action::Close) => {
                    app.view = None;
                    return Vec::new();
                }
                Some(Action::SwitchField) => {
                    view.focus = match view.focus {
                        ViewFocus::Input if view.fetch.data.is_some() => ViewFocus::List,
                        _ => ViewFocus::Input,
                    };
                    return Vec::new();
                }
                Some(Action::ClearInput) => {
                    view.input.reset();
                    view.focus = ViewFocus::Input;
                    return Vec::new();
                }
                Some(Action::StartOver) => {
                    *view = CheckerView::default();
                    return Vec::new();
                }
                Some(Action::Confirm) if view.focus == ViewFocus::Input => {
                    let parsed = crate::links::parse(view.input.value(), host.as_deref());
                    if parsed.codes.is_empty() {
                        view.fetch.error =
                            Some(format!("No file code or link found ({})", parsed.summary()));
                        return Vec::new();
                    }
                    app.next_req += 1;
                    view.req = app.next_req;
                    view.fetch.ask();
                    view.list = ListState::default();
                    let codes = parsed.codes.clone();
                    view.parsed = parsed;
                    return vec![Command::CheckLinks {
                        codes,
                        req: view.req,
                    }];
                }
                Some(a) if a.moves() => {
                    view.list.apply(a, count, rows);
                }
                Some(Action::CopyLink) => {
                    let alive: Vec<LinkFile> = view
                        .fetch
                        .data
                        .iter()
                        .flatten()
                        .filter(|f| f.exists())
                        .map(LinkFile::from_info)
                        .collect();
                    if alive.is_empty() {
                        app.notify(Level::Info, "No alive file to copy");
                        return Vec::new();
                    }
                    app.open_formats(FormatPurpose::Copy, alive, 0, None);
                    return Vec::new();
                }
                Some(Action::Export) => {
                    let Some(results) = view.fetch.data.clone() else {
                        return Vec::new();
                    };
                    let table = app.check_table(&results);
                    let alive = results
                        .iter()
                        .filter(|f| f.exists())
                        .map(LinkFile::from_info)
                        .collect();
                    app.open_formats(
                        FormatPurpose::Export {
                            prefix: "mp4u-check",
                        },
                        alive,
                        0,
                        Some(table),
                    );
                    return Vec::new();
                }
                Some(_) => {}
                // Typing in the results goes back to the input; other keys do nothing there.
                None if view.focus == ViewFocus::List && !is_text(&key) => {}
                None => {
                    view.focus = ViewFocus::Input;
                    view.input.handle_event(&TermEvent::Key(key));
                    view.fetch.error = None;
                }
            }
        }
        Vec::new()
    }
}

fn files_header(w: usize) -> (String, usize) {
    let name_w = w.saturating_sub(8 + 14 + 10 + 10);
    (
        format!(
            "{}{}{}{}{}",
            pad("Status", 8),
            pad("Code", 14),
            pad("Name", name_w),
            pad_left("Size", 10),
            pad_left("Downloads", 10)
        ),
        name_w,
    )
}
