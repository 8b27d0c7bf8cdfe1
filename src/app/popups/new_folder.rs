//! A new folder inside the highlighted one; the user still waiting for it is taken there.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use tui_input::Input;

use super::{Component, NameEdit, NameInput, Popup, draw_name_input, edit_name};
use crate::api::ApiError;
use crate::app::keys::Action;
use crate::app::paint::Scene;
use crate::app::{App, Command, Level};
use crate::theme;

#[derive(Debug, Clone)]
pub struct NewFolderPopup {
    pub parent: u64,
    pub parent_path: String,
    pub input: Input,
    pub error: Option<String>,
    /// Sent as this request; waiting for its answer.
    pub pending: Option<u64>,
}

impl NewFolderPopup {
    pub fn inside(parent: u64, parent_path: String) -> NewFolderPopup {
        NewFolderPopup {
            parent,
            parent_path,
            input: Input::default(),
            error: None,
            pending: None,
        }
    }
}

impl Component for NewFolderPopup {
    super::sends_one_change!(input);

    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let busy = self
            .busy()
            .then(|| format!("{} Creating…", theme::spinner(app.spinner)));
        draw_name_input(
            frame,
            app,
            area,
            NameInput {
                title: "New folder",
                label: &format!("Inside {}", self.parent_path),
                input: &self.input,
                error: self.error.as_deref(),
                busy,
            },
        );
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let Some(Popup::NewFolder(p)) = &mut app.popup else {
            return Vec::new();
        };
        match edit_name(&app.keymap, &mut p.input, &mut p.error, &mut p.pending, key) {
            NameEdit::Cancel { was_pending } => {
                app.close_popup(was_pending, "new folder");
                Vec::new()
            }
            NameEdit::Submit(name) => {
                let req = app.next_req();
                let Some(Popup::NewFolder(p)) = &mut app.popup else {
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
}

impl App {
    /// The answer to creating a folder: it shows in the tree at once, empty.
    pub(in crate::app) fn on_folder_created(
        &mut self,
        req: u64,
        parent: u64,
        name: String,
        result: Result<u64, ApiError>,
    ) -> Vec<Command> {
        match result {
            Ok(id) => {
                self.tree.add_child(parent, id, &name);
                // A new folder is empty: no need to ask.
                self.files.cache.insert(
                    id,
                    crate::app::files::FolderFiles {
                        complete: true,
                        ..Default::default()
                    },
                );
                // The user still waiting for it is taken there; one who went on is not.
                if self.close_waiting(req) {
                    if let Some(node) = self.tree.node_mut(parent) {
                        node.expanded = true;
                    }
                    self.tree.reveal(id);
                    self.files.show(id);
                }
                self.notify(Level::Info, format!("Created {}", self.tree.path(id)));
            }
            Err(e) => self.fail_waiting(req, &format!("Creating the folder {name} failed"), &e),
        }
        Vec::new()
    }
}
