//! The formats menu behind `y` (copy) and `e` (export): the links of the files in the form a
//! site takes (plain, embed, BBCode, HTML, Markdown, CSV, JSON), the last choice highlighted and
//! remembered in the config. The link checker's export offers its status table too.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Component, Popup};
use crate::app::keys::{self, Action, Scope};
use crate::app::list::ListState;
use crate::app::paint::{Scene, dialog};
use crate::app::{App, Command, Level};
use crate::format::plural;
use crate::links::{LinkFile, LinkFormat, render};
use crate::text::{fit, pad};

/// The formats menu of `y` and `e`: links in the form a site takes, the last choice first.
#[derive(Debug, Clone)]
pub struct FormatMenu {
    pub purpose: FormatPurpose,
    /// The files whose links are made, in the order shown.
    pub files: Vec<crate::links::LinkFile>,
    /// Marked files a filter hides (among `files`).
    pub hidden: usize,
    /// What can be chosen, in the order listed.
    pub choices: Vec<FormatChoice>,
    pub list: ListState,
}

/// What the chosen format is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatPurpose {
    /// To the clipboard.
    Copy,
    /// To a new file `<prefix>-<time>.<ext>` in the working directory.
    Export { prefix: &'static str },
}

/// One entry of the formats menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatChoice {
    Links(crate::links::LinkFormat),
    /// The link checker's table: every code with its status (tab-separated), made already.
    CheckTable(String),
}

impl App {
    /// Opens the formats menu over whatever is open, for `files` (and, for the link checker's
    /// export, its table first).
    pub(in crate::app) fn open_formats(
        &mut self,
        purpose: FormatPurpose,
        files: Vec<LinkFile>,
        hidden: usize,
        table: Option<String>,
    ) {
        let mut choices: Vec<FormatChoice> = Vec::new();
        // The link checker's own table comes first, and is what Enter takes there.
        let has_table = table.is_some();
        if let Some(table) = table {
            choices.push(FormatChoice::CheckTable(table));
        }
        choices.extend(LinkFormat::ALL.into_iter().map(FormatChoice::Links));
        let at = if has_table {
            0
        } else {
            choices
                .iter()
                .position(|c| *c == FormatChoice::Links(self.link_format))
                .unwrap_or(0)
        };
        let list = ListState {
            cursor: at,
            ..Default::default()
        };
        self.open(FormatMenu {
            purpose,
            files,
            hidden,
            choices,
            list,
        });
    }

    /// Copies or writes the links in the chosen format; a link format is remembered.
    fn use_format(&mut self, menu: FormatMenu, choice: FormatChoice) -> Vec<Command> {
        let mut commands = Vec::new();
        let (contents, extension, what) = match choice {
            FormatChoice::CheckTable(table) => (table, "tsv", "the table".to_string()),
            FormatChoice::Links(format) => {
                if format != self.link_format {
                    self.link_format = format;
                    commands.push(Command::Remember {
                        key: "link_format",
                        value: format.name().into(),
                    });
                }
                let what = match menu.files.len() {
                    1 => format!("1 link ({format})"),
                    n => format!("{} ({format})", plural(n, "link")),
                };
                (
                    render(format, &self.base_url, &menu.files),
                    format.extension(),
                    what,
                )
            }
        };
        let hidden = match menu.hidden {
            0 => String::new(),
            h => format!(" ({h} hidden by the filter)"),
        };
        match menu.purpose {
            FormatPurpose::Copy => {
                self.notify(Level::Info, format!("Copied {what}{hidden}"));
                // The clipboard takes the text without its last new line.
                let text = contents.strip_suffix('\n').unwrap_or(&contents).to_string();
                commands.push(Command::Copy(text));
            }
            FormatPurpose::Export { prefix } => {
                self.notify(Level::Info, format!("Exporting {what}{hidden}…"));
                commands.push(Command::Export {
                    dir: self.cwd.clone(),
                    prefix: prefix.into(),
                    extension,
                    contents,
                });
            }
        }
        commands
    }
}

impl Component for FormatMenu {
    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let width = area.width.saturating_sub(4).clamp(30, 76);
        let rows = self.choices.len() as u16;
        let body = dialog(
            frame,
            app,
            area,
            (width, rows + PREVIEW as u16 + 5),
            &title(self),
            Scope::Formats,
        );
        let w = body.width as usize;
        let x = body.x;
        let name_w = 10;
        let lines: Vec<Line> = self
            .choices
            .iter()
            .enumerate()
            .map(|(i, choice)| {
                let (name, about) = match choice {
                    FormatChoice::Links(f) => (f.name(), f.description()),
                    FormatChoice::CheckTable(_) => ("table", "every code with its status (TSV)"),
                };
                let last = matches!(choice, FormatChoice::Links(f) if *f == app.link_format);
                let text = format!(
                    " {}{}  {}",
                    pad(name, name_w),
                    if last { "✓" } else { " " },
                    about
                );
                app.theme
                    .row(Line::from(pad(&fit(&text, w), w)), i == self.list.cursor)
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), Rect::new(x, body.y, w as u16, rows));

        // What the highlighted format makes, cut to a few lines.
        let preview_y = body.y + rows + 1;
        let text = match self.choices.get(self.list.cursor) {
            Some(FormatChoice::Links(format)) => {
                let first = &self.files[..self.files.len().min(PREVIEW)];
                render(*format, &app.base_url, first)
            }
            Some(FormatChoice::CheckTable(table)) => table.clone(),
            None => String::new(),
        };
        let mut preview: Vec<Line> = vec![Line::from(Span::styled("Preview", app.theme.dim()))];
        preview.extend(
            text.lines()
                .take(PREVIEW)
                .map(|l| Line::from(fit(&format!(" {l}"), w))),
        );
        if text.lines().count() > PREVIEW {
            preview.push(Line::from(Span::styled(" …", app.theme.dim())));
        }
        let preview_h = body.height.saturating_sub(rows + 1).min(PREVIEW as u16 + 2);
        frame.render_widget(
            Paragraph::new(preview),
            Rect::new(x, preview_y, w as u16, preview_h),
        );
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let Some(Popup::Formats(menu)) = &mut app.popup else {
            return Vec::new();
        };
        let count = menu.choices.len();
        match app.keymap.action_for(keys::Scope::Formats, &key) {
            Some(a @ (Action::Up | Action::Down | Action::Home | Action::End)) => {
                menu.list.apply(a, count, count);
                Vec::new()
            }
            Some(Action::Close) => {
                app.popup = None;
                Vec::new()
            }
            Some(Action::Confirm) => {
                let Some(Popup::Formats(menu)) = app.popup.take() else {
                    return Vec::new();
                };
                let choice = menu.choices[menu.list.cursor.min(count - 1)].clone();
                app.use_format(menu, choice)
            }
            _ => Vec::new(),
        }
    }
}

/// Lines of the preview at most.
const PREVIEW: usize = 4;

fn title(menu: &FormatMenu) -> String {
    let what = plural(menu.files.len(), "link");
    let hidden = match menu.hidden {
        0 => String::new(),
        h => format!(" ({h} hidden by the filter)"),
    };
    match menu.purpose {
        FormatPurpose::Copy => format!("Copy {what}{hidden} as"),
        FormatPurpose::Export { .. } => format!("Export {what}{hidden} as"),
    }
}
