//! The link checker's keys: codes and links pasted in, checked, exported.

use ratatui::crossterm::event::{Event as TermEvent, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

use super::keys::{self, Action};
use super::list::ListState;
use super::overlay::{CheckerView, ViewFocus};
use super::popups::FormatPurpose;
use super::views::is_text;
use super::{App, Command, Level};
use crate::api::FileInfo;
use crate::links::LinkFile;

impl App {
    pub(super) fn on_checker_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let rows = crate::geometry::checker_rows(self.size.1);
        let host = self.link_host();
        {
            let view = &mut self.views.checker;
            let count = view.results.as_ref().map_or(0, Vec::len);
            let action = self.keymap.action_for(keys::Scope::Checker, &key);
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
                    self.view = None;
                    return Vec::new();
                }
                Some(Action::SwitchField) => {
                    view.focus = match view.focus {
                        ViewFocus::Input if view.results.is_some() => ViewFocus::List,
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
                        view.error =
                            Some(format!("No file code or link found ({})", parsed.summary()));
                        return Vec::new();
                    }
                    self.next_req += 1;
                    view.req = self.next_req;
                    view.loading = true;
                    view.error = None;
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
                        .results
                        .iter()
                        .flatten()
                        .filter(|f| f.exists())
                        .map(LinkFile::from_info)
                        .collect();
                    if alive.is_empty() {
                        self.notify(Level::Info, "No alive file to copy");
                        return Vec::new();
                    }
                    self.open_formats(FormatPurpose::Copy, alive, 0, None);
                    return Vec::new();
                }
                Some(Action::Export) => {
                    let Some(results) = view.results.clone() else {
                        return Vec::new();
                    };
                    let table = self.check_table(&results);
                    let alive = results
                        .iter()
                        .filter(|f| f.exists())
                        .map(LinkFile::from_info)
                        .collect();
                    self.open_formats(
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
                    view.error = None;
                }
            }
        }
        Vec::new()
    }

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
