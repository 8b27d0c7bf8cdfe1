//! The formats menu behind `y` (copy) and `e` (export): the links of the files in the form a
//! site takes (plain, embed, BBCode, HTML, Markdown, CSV, JSON), the last choice highlighted and
//! remembered in the config. The link checker's export offers its status table too.

use ratatui::crossterm::event::KeyEvent;

use super::keys::{self, Action};
use super::list::ListState;
use super::overlay::{FormatChoice, FormatMenu, FormatPurpose, Popup};
use super::{App, Command, Level};
use crate::format::plural;
use crate::links::{LinkFile, LinkFormat, render};

impl App {
    /// Opens the formats menu over whatever is open, for `files` (and, for the link checker's
    /// export, its table first).
    pub(super) fn open_formats(
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
        self.popup = Some(Popup::Formats(FormatMenu {
            purpose,
            files,
            hidden,
            choices,
            list,
        }));
    }

    pub(super) fn on_formats_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let Some(Popup::Formats(menu)) = &mut self.popup else {
            return Vec::new();
        };
        let count = menu.choices.len();
        match self.keymap.action_for(keys::Scope::Formats, &key) {
            Some(a @ (Action::Up | Action::Down | Action::Home | Action::End)) => {
                menu.list.apply(a, count, count);
                Vec::new()
            }
            Some(Action::Close) => {
                self.popup = None;
                Vec::new()
            }
            Some(Action::Confirm) => {
                let Some(Popup::Formats(menu)) = self.popup.take() else {
                    return Vec::new();
                };
                let choice = menu.choices[menu.list.cursor.min(count - 1)].clone();
                self.use_format(menu, choice)
            }
            _ => Vec::new(),
        }
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
