//! The link checker's keys: codes and links pasted in, checked, exported.

use ratatui::crossterm::event::{Event as TermEvent, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

use super::keys::{self, Action};
use super::list::ListState;
use super::overlay::{CheckerView, ViewFocus};
use super::views::is_text;
use super::{App, Command, Level};
use crate::format::plural;

impl App {
    pub(super) fn on_checker_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let rows = crate::geometry::checker_rows(self.size.1);
        let host = self.link_host();
        let links: Vec<String>;
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
                Some(Action::Clear) => {
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
                Some(
                    a @ (Action::Up
                    | Action::Down
                    | Action::PageUp
                    | Action::PageDown
                    | Action::Home
                    | Action::End),
                ) => {
                    view.list.apply(a, count, rows);
                }
                Some(Action::CopyLink) => {
                    links = view
                        .results
                        .iter()
                        .flatten()
                        .filter(|f| f.exists())
                        .map(|f| f.file_code.clone())
                        .collect();
                    if links.is_empty() {
                        self.notify(Level::Info, "No alive file to copy");
                        return Vec::new();
                    }
                    let text: Vec<String> = links.iter().map(|c| self.link(c)).collect();
                    self.notify(
                        Level::Info,
                        format!("Copied {}", plural(text.len(), "alive link")),
                    );
                    return vec![Command::Copy(text.join("\n"))];
                }
                Some(Action::Export) => {
                    let Some(results) = view.results.clone() else {
                        return Vec::new();
                    };
                    let mut contents = String::from("status\tcode\tname\tsize\tdownloads\tlink\n");
                    for f in &results {
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
                    self.notify(Level::Info, "Exporting the table…");
                    return vec![Command::Export {
                        dir: self.cwd.clone(),
                        prefix: "mp4u-check".into(),
                        contents,
                    }];
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
}
