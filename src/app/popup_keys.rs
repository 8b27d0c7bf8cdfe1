//! Keys while a popup is open. Esc closes any popup and loses nothing.

use ratatui::crossterm::event::{Event as TermEvent, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

use super::keys::{self, Action};
use super::list::ListState;
use super::overlay::{Popup, RenameTarget, Waiting};
use super::rename_many::RenamePlan;
use super::{App, Command};
use crate::api::{ApiKey, clean_name};

impl App {
    pub(super) fn on_popup_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let Some(popup) = &mut self.popup else {
            return Vec::new();
        };
        match popup {
            Popup::Error(_) => {
                if self.keymap.action_for(keys::Scope::Error, &key) == Some(Action::Close) {
                    self.popup = None;
                }
                Vec::new()
            }
            // A template's results are shown: any of Enter and Esc closes.
            Popup::Rename(p) if p.results.is_some() => {
                if matches!(
                    self.keymap.action_for(keys::Scope::NameInput, &key),
                    Some(Action::Confirm | Action::Close)
                ) {
                    self.popup = None;
                }
                Vec::new()
            }
            Popup::Rename(p) if p.is_template() && p.pending.is_none() => {
                match self.keymap.action_for(keys::Scope::NameInput, &key) {
                    Some(Action::Confirm) => {}
                    Some(Action::Close) => {
                        self.popup = None;
                        return Vec::new();
                    }
                    _ => {
                        let _ = edit_name(
                            &self.keymap,
                            &mut p.input,
                            &mut p.error,
                            &mut p.pending,
                            key,
                        );
                        return Vec::new();
                    }
                }
                match p.plan() {
                    RenamePlan::Bad(why) => p.error = Some(why),
                    RenamePlan::Each(each) if each.is_empty() => {
                        p.error = Some("No name would change".into());
                    }
                    RenamePlan::Each(each) => {
                        self.next_req += 1;
                        let req = self.next_req;
                        p.pending = Some(req);
                        p.error = None;
                        let renames = each.into_iter().map(|(code, _, new)| (code, new)).collect();
                        return vec![Command::RenameEach { req, renames }];
                    }
                    RenamePlan::Same(_) => {}
                }
                Vec::new()
            }
            Popup::Rename(p) => match edit_name(
                &self.keymap,
                &mut p.input,
                &mut p.error,
                &mut p.pending,
                key,
            ) {
                NameEdit::Cancel { was_pending } => {
                    self.close_popup(was_pending, "rename");
                    Vec::new()
                }
                NameEdit::Submit(name) => {
                    let req = self.next_req();
                    let Some(Popup::Rename(p)) = &mut self.popup else {
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
            },
            Popup::NewFolder(p) => {
                match edit_name(
                    &self.keymap,
                    &mut p.input,
                    &mut p.error,
                    &mut p.pending,
                    key,
                ) {
                    NameEdit::Cancel { was_pending } => {
                        self.close_popup(was_pending, "new folder");
                        Vec::new()
                    }
                    NameEdit::Submit(name) => {
                        let req = self.next_req();
                        let Some(Popup::NewFolder(p)) = &mut self.popup else {
                            return Vec::new();
                        };
                        p.pending = Some(req);
                        vec![Command::CreateFolder {
                            req,
                            parent: p.parent,
                            name,
                        }]
                    }
                    NameEdit::Editing => Vec::new(),
                }
            }
            Popup::Move(_) => self.on_move_key(key),
            Popup::Upload(_) => self.on_picker_key(key),
            Popup::Formats(_) => self.on_formats_key(key),
            Popup::BwLimit(_) => self.on_bwlimit_key(key),
            Popup::Resume(_) => self.on_resume_key(key),
            Popup::Duplicates(_) => self.on_duplicates_key(key),
            Popup::Tree(_) => self.on_tree_key(key),
            Popup::Sort(menu) => {
                let all = super::files::Sort::ALL;
                match self.keymap.action_for(keys::Scope::SortMenu, &key) {
                    Some(a @ (Action::Up | Action::Down | Action::Home | Action::End)) => {
                        menu.list.apply(a, all.len(), all.len());
                    }
                    Some(Action::Close) => self.popup = None,
                    Some(Action::Confirm) => {
                        let sort = all[menu.list.cursor.min(all.len() - 1)];
                        self.popup = None;
                        self.files.sort = sort;
                        self.files.rebuild();
                        self.notify(super::Level::Info, format!("Sorted by {}", sort.label()));
                        return vec![Command::Remember {
                            key: "sort",
                            value: sort.config_name(),
                        }];
                    }
                    _ => {}
                }
                Vec::new()
            }
            Popup::Confirm(c) => match self.keymap.action_for(keys::Scope::Question, &key) {
                Some(Action::Confirm) => match c.action.clone() {
                    super::overlay::ConfirmAction::Quit => {
                        self.quit = true;
                        Vec::new()
                    }
                    super::overlay::ConfirmAction::Clone(files) => self.start_clones(files),
                },
                Some(Action::Close) => {
                    self.popup = None;
                    Vec::new()
                }
                _ => Vec::new(),
            },
            Popup::Details(p) => {
                let link = p.link.clone();
                self.on_link_key(key, vec![link])
            }
            Popup::Cloned(p) => {
                let links = p.links(&self.base_url);
                self.on_link_key(key, links)
            }
            Popup::Login(p) => match self.keymap.action_for(keys::Scope::Login, &key) {
                Some(Action::Quit) => {
                    self.quit = true;
                    Vec::new()
                }
                Some(Action::ClearInput) => {
                    p.input.reset();
                    p.error = None;
                    Vec::new()
                }
                Some(Action::Confirm) if !p.checking => match ApiKey::parse(p.input.value()) {
                    Ok(key) => {
                        p.error = None;
                        p.checking = true;
                        vec![Command::CheckKey(key)]
                    }
                    Err(e) => {
                        p.error = Some(capitalize(&e.to_string()));
                        Vec::new()
                    }
                },
                Some(_) => Vec::new(),
                None => {
                    if !p.checking {
                        p.input.handle_event(&TermEvent::Key(key));
                        p.error = None;
                    }
                    Vec::new()
                }
            },
        }
    }

    /// Keys of a popup that shows links: copy, open, close.
    fn on_link_key(&mut self, key: KeyEvent, links: Vec<String>) -> Vec<Command> {
        match self.keymap.action_for(keys::Scope::Link, &key) {
            Some(Action::Close) => {
                let cloning = matches!(&self.popup, Some(Popup::Cloned(p)) if p.pending > 0);
                self.close_popup(cloning, "clone");
                Vec::new()
            }
            Some(Action::CopyLink) if !links.is_empty() => {
                self.notify(
                    super::Level::Info,
                    if links.len() == 1 {
                        format!("Copied {}", links[0])
                    } else {
                        format!("Copied {} links", links.len())
                    },
                );
                vec![Command::Copy(links.join("\n"))]
            }
            Some(Action::Open) if !links.is_empty() => {
                self.notify(super::Level::Info, format!("Opening {}", links[0]));
                vec![Command::OpenUrl(links[0].clone())]
            }
            _ => Vec::new(),
        }
    }

    /// The folders the move picker offers, filtered by its input: (id, path).
    pub fn move_choices(&self) -> Vec<(u64, String)> {
        let Some(Popup::Move(p)) = &self.popup else {
            return Vec::new();
        };
        let needle = p.filter.value().to_lowercase();
        self.tree
            .all_paths()
            .into_iter()
            .filter(|(_, path)| {
                needle
                    .split_whitespace()
                    .all(|w| path.to_lowercase().contains(w))
            })
            .collect()
    }

    fn on_move_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let choices = self.move_choices();
        let height = crate::geometry::move_list_height(self.size.1);
        let req = self.next_req();
        let Some(Popup::Move(p)) = &mut self.popup else {
            return Vec::new();
        };
        match self.keymap.action_for(keys::Scope::MovePicker, &key) {
            Some(Action::Close) => {
                let was_pending = p.busy();
                self.close_popup(was_pending, "move");
            }
            Some(a @ (Action::Up | Action::Down | Action::PageUp | Action::PageDown)) => {
                p.list.apply(a, choices.len(), height);
            }
            Some(Action::ClearInput) => {
                p.filter.reset();
                p.list = ListState::default();
            }
            Some(Action::Confirm) if !p.busy() => {
                let Some((to, path)) = choices.get(p.list.cursor).cloned() else {
                    p.error = Some("No folder matches the filter".into());
                    return Vec::new();
                };
                if to == p.from {
                    p.error = Some(format!("The files are already in {path}"));
                    return Vec::new();
                }
                p.pending = Some(req);
                p.error = None;
                return vec![Command::MoveFiles {
                    req,
                    codes: p.files.iter().map(|f| f.file_code.clone()).collect(),
                    from: p.from,
                    to,
                }];
            }
            Some(_) => {}
            None => {
                if !p.busy() {
                    p.filter.handle_event(&TermEvent::Key(key));
                    p.list = ListState::default();
                    p.error = None;
                }
            }
        }
        Vec::new()
    }
}

/// What a key did to a name being typed (rename, new folder).
enum NameEdit {
    /// Esc: the popup closes (a change already sent goes on).
    Cancel {
        was_pending: bool,
    },
    /// A name that passed the checks; the popup is now waiting for the answer.
    Submit(String),
    Editing,
}

/// The keys of a popup with one name input: Enter checks the name (refused in the popup with
/// the reason, nothing sent) and submits it, Esc cancels, Ctrl-U clears, the rest types.
fn edit_name(
    keymap: &keys::Keymap,
    input: &mut tui_input::Input,
    error: &mut Option<String>,
    pending: &mut Option<u64>,
    key: KeyEvent,
) -> NameEdit {
    // Sent: only Esc does something (the change goes on, its answer comes as a notice).
    if pending.is_some() {
        return match keymap.action_for(keys::Scope::NameInput, &key) {
            Some(Action::Close) => NameEdit::Cancel { was_pending: true },
            _ => NameEdit::Editing,
        };
    }
    match keymap.action_for(keys::Scope::NameInput, &key) {
        Some(Action::Close) => NameEdit::Cancel {
            was_pending: pending.is_some(),
        },
        Some(Action::ClearInput) => {
            input.reset();
            *error = None;
            NameEdit::Editing
        }
        Some(Action::Confirm) if pending.is_none() => match clean_name(input.value()) {
            Err(reason) => {
                *error = Some(capitalize(&reason));
                NameEdit::Editing
            }
            Ok(name) => {
                *error = None;
                NameEdit::Submit(name)
            }
        },
        Some(_) => NameEdit::Editing,
        None => {
            if pending.is_none() {
                input.handle_event(&TermEvent::Key(key));
                *error = None;
            }
            NameEdit::Editing
        }
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
