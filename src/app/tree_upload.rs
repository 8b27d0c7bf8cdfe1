//! A marked directory in the upload picker uploads its tree into the folder, as `mp4u sync`
//! does: the directory becomes a folder of the same name (found, or created), and so does each
//! subdirectory with something to upload; files already there (same name and size) are
//! skipped. The worker reads the tree and lists the folders it reaches ([`Command::PlanTree`]);
//! a confirmation says how many files and folders, how many are already there and what is left
//! out; Enter creates the folders ([`Command::StartTree`]) and queues the files.

use ratatui::crossterm::event::KeyEvent;

use super::keys::{self, Action};
use super::overlay::{Popup, TreePopup};
use super::tree_plan::TreePlan;
use super::uploads::{DupCheck, UploadState};
use super::{App, Command, Level};
use crate::format::plural;
use crate::queue::NewEntry;
use crate::sync::FolderRef;

impl App {
    /// The picker's marks hold a directory: the worker plans the tree.
    pub(super) fn plan_tree(
        &mut self,
        paths: Vec<std::path::PathBuf>,
        fld_id: u64,
        folder_path: String,
    ) -> Vec<Command> {
        let req = self.next_req();
        self.tree_req = req;
        vec![Command::PlanTree {
            req,
            paths,
            fld_id,
            folder_path,
            max_bytes: self.max_upload_bytes,
        }]
    }

    pub(super) fn on_tree_planned(&mut self, req: u64, result: Result<Box<TreePlan>, String>) {
        if req != self.tree_req {
            return;
        }
        let Some(Popup::Upload(picker)) = &mut self.popup else {
            return; // the picker was closed: nothing was asked for any more
        };
        if !picker.checking || picker.marked_dirs.is_empty() {
            return; // a picker opened since, which asked for nothing
        }
        picker.checking = false;
        match result {
            Ok(tree) => {
                let Some(Popup::Upload(picker)) = self.popup.take() else {
                    return;
                };
                self.popup = Some(Popup::Tree(TreePopup {
                    tree,
                    back: Box::new(picker),
                }));
            }
            Err(why) => picker.error = Some(why),
        }
    }

    /// The confirmation: Enter uploads (skipping what is there), `a` sends all, Esc goes back
    /// to the picker as it was.
    pub(super) fn on_tree_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let Some(Popup::Tree(p)) = &self.popup else {
            return Vec::new();
        };
        let has_skips = !p.tree.plan.skip.is_empty();
        match self.keymap.action_for(keys::Scope::TreeUpload, &key) {
            Some(Action::Confirm) => self.start_tree(false),
            Some(Action::SendAnyway) if has_skips => self.start_tree(true),
            Some(Action::Close) => {
                if let Some(Popup::Tree(p)) = self.popup.take() {
                    self.popup = Some(Popup::Upload(*p.back));
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn start_tree(&mut self, send_all: bool) -> Vec<Command> {
        let Some(Popup::Tree(p)) = self.popup.take() else {
            return Vec::new();
        };
        let tree = p.tree;
        let plan = if send_all { &tree.plan_all } else { &tree.plan };
        if plan.create.is_empty() {
            return self.on_tree_started(tree, send_all, Vec::new());
        }
        let req = self.next_req();
        self.notify(
            Level::Info,
            format!(
                "Creating {} in {}…",
                plural(plan.create.len(), "folder"),
                tree.target_path
            ),
        );
        vec![Command::StartTree {
            req,
            tree,
            send_all,
        }]
    }

    /// The tree's folders are there (or why not): its files are queued into them, those
    /// already there are listed as skipped, and the transfers view shows them.
    pub(super) fn on_tree_started(
        &mut self,
        tree: Box<TreePlan>,
        send_all: bool,
        created: Vec<Result<u64, String>>,
    ) -> Vec<Command> {
        let plan = if send_all { &tree.plan_all } else { &tree.plan };
        let folder_of = |r: FolderRef| match r {
            FolderRef::Existing(id) => Ok(id),
            FolderRef::New(i) => created
                .get(i)
                .cloned()
                .unwrap_or_else(|| Err("its folder was not created".to_string())),
        };
        // The new folders join the tree where their parent's subfolders are known.
        for (i, folder) in plan.create.iter().enumerate() {
            match (&created.get(i), folder_of(folder.parent)) {
                (Some(Ok(id)), Ok(parent)) => {
                    if self.tree.node(parent).is_some_and(|n| n.children.is_some()) {
                        self.tree.add_child(parent, *id, &folder.name);
                    }
                    self.files.cache.insert(
                        *id,
                        super::files::FolderFiles {
                            complete: true,
                            ..Default::default()
                        },
                    );
                }
                (Some(Err(why)), _) => self.log(Level::Error, why.clone()),
                _ => {}
            }
        }
        let mut enqueue = Vec::new();
        let mut refused = 0;
        for upload in &plan.upload {
            match folder_of(upload.folder) {
                Ok(fld) => {
                    let id = self.uploads.push(
                        upload.file.path.clone(),
                        upload.file.size,
                        fld,
                        upload.folder_path.clone(),
                        None,
                    );
                    if let Some(row) = self.uploads.get_mut(id) {
                        row.name = upload.file.name.clone();
                        // The plan compared the names and sizes already.
                        row.dup = DupCheck::Passed;
                    }
                    enqueue.push((
                        id,
                        NewEntry {
                            path: upload.file.path.clone(),
                            size: upload.file.size,
                            mtime: upload.file.mtime,
                            folder: fld,
                            folder_path: Some(upload.folder_path.clone()),
                            allow_duplicate: send_all,
                        },
                    ));
                }
                Err(why) => {
                    refused += 1;
                    self.uploads.push_refused(
                        upload.file.path.clone(),
                        0,
                        upload.folder_path.clone(),
                        why,
                    );
                }
            }
        }
        let mut skipped = 0;
        if !send_all {
            for skip in &plan.skip {
                // Where it would go, should `R` send it anyway.
                let fld = tree
                    .plan_all
                    .upload
                    .iter()
                    .find(|u| u.file.path == skip.file.path)
                    .and_then(|u| folder_of(u.folder).ok())
                    .unwrap_or(tree.target);
                let url = self.link(&skip.file_code);
                let id = self.uploads.push(
                    skip.file.path.clone(),
                    skip.file.size,
                    fld,
                    skip.folder_path.clone(),
                    None,
                );
                if let Some(row) = self.uploads.get_mut(id) {
                    row.name = skip.file.name.clone();
                    row.sent = skip.file.size;
                    row.state = UploadState::Skipped {
                        code: skip.file_code.clone(),
                        url,
                    };
                }
                skipped += 1;
            }
        }
        for p in &tree.left_out {
            self.log(Level::Warn, format!("Left out: {}: {}", p.path, p.reason));
        }
        let mut text = format!(
            "Queued {} for {}",
            plural(enqueue.len(), "file"),
            tree.target_path
        );
        if skipped > 0 {
            text.push_str(&format!(", {skipped} already there"));
        }
        if refused > 0 {
            text.push_str(&format!(
                ", {refused} not sent (their folder could not be made)"
            ));
        }
        self.notify(
            if refused > 0 {
                Level::Warn
            } else {
                Level::Info
            },
            text,
        );
        self.open_transfers();
        if enqueue.is_empty() {
            return Vec::new();
        }
        self.prepare_uploads(enqueue)
    }
}
