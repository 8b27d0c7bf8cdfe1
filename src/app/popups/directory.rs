//! A marked directory in the upload picker uploads its tree into the folder, as `mp4u sync`
//! does: the directory becomes a folder of the same name (found, or created), and so does each
//! subdirectory with something to upload; files already there (same name and size) are
//! skipped. The worker reads the tree and lists the folders it reaches ([`Command::PlanTree`]);
//! a confirmation says how many files and folders, how many are already there and what is left
//! out; Enter creates the folders ([`Command::StartTree`]) and queues the files.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{Component, Popup, UploadPicker, draw_question};
use crate::app::keys::{self, Action, Scope};
use crate::app::paint::Scene;
use crate::app::uploads::{DupCheck, UploadState};
use crate::app::{App, Command, Level};
use crate::format::{plural, size};
use crate::queue::NewEntry;
use crate::sync::{FolderRef, Plan, Problem};

/// The plan of a tree's upload, as the confirmation shows it and the start carries it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreePlan {
    /// The folder the marked entries go into.
    pub target: u64,
    pub target_path: String,
    /// What was marked, by name (directories with a `/`).
    pub names: Vec<String>,
    /// Files already there skipped.
    pub plan: Plan,
    /// The same, with the files already there sent too (`a`).
    pub plan_all: Plan,
    /// Left out, and why: unreadable, empty, too large, names that cannot be, folders that
    /// could not be listed.
    pub left_out: Vec<Problem>,
    /// Hidden entries left out (`.DS_Store`, `.thumbnails/`).
    pub hidden: Vec<String>,
}

impl TreePlan {
    /// Bytes to send.
    pub fn bytes(&self, send_all: bool) -> u64 {
        let plan = if send_all { &self.plan_all } else { &self.plan };
        plan.upload.iter().map(|u| u.file.size).sum()
    }
}

#[derive(Debug, Clone)]
pub struct DirectoryPopup {
    pub tree: Box<TreePlan>,
    /// The picker as it was, for Esc.
    pub back: Box<UploadPicker>,
}

impl App {
    /// The picker's marks hold a directory: the worker plans the tree.
    pub(in crate::app) fn plan_tree(
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

    pub(in crate::app) fn on_tree_planned(
        &mut self,
        req: u64,
        result: Result<Box<TreePlan>, String>,
    ) -> Vec<Command> {
        if req != self.tree_req {
            return Vec::new();
        }
        let Some(Popup::Upload(picker)) = &mut self.popup else {
            return Vec::new(); // the picker was closed: nothing was asked for any more
        };
        if !picker.checking || picker.marked_dirs.is_empty() {
            return Vec::new(); // a picker opened since, which asked for nothing
        }
        picker.checking = false;
        match result {
            Ok(tree) => {
                let Some(Popup::Upload(picker)) = self.popup.take() else {
                    return Vec::new();
                };
                self.open(DirectoryPopup {
                    tree,
                    back: Box::new(picker),
                });
            }
            Err(why) => picker.error = Some(why),
        }
        Vec::new()
    }

    fn start_tree(&mut self, send_all: bool) -> Vec<Command> {
        let Some(Popup::Directory(p)) = self.popup.take() else {
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
    pub(in crate::app) fn on_tree_started(
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
                        crate::app::files::FolderFiles {
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
                    let row = self
                        .uploads
                        .push_local(&upload.file, fld, &upload.folder_path);
                    // The plan compared the names and sizes already.
                    row.dup = DupCheck::Passed;
                    let id = row.id;
                    enqueue.push((
                        id,
                        NewEntry {
                            path: upload.file.path.clone(),
                            size: upload.file.size,
                            mtime: upload.file.mtime,
                            folder: fld,
                            folder_path: Some(upload.folder_path.clone()),
                            allow_duplicate: send_all,
                            hook: None,
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
                let row = self.uploads.push_local(&skip.file, fld, &skip.folder_path);
                row.sent = skip.file.size;
                row.state = UploadState::Skipped {
                    code: skip.file_code.clone(),
                    url,
                };
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

impl Component for DirectoryPopup {
    fn available(&self, _app: &App, action: Action) -> bool {
        !self.tree.plan.skip.is_empty() || action != Action::SendAnyway
    }

    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let theme = app.theme;
        let tree = &self.tree;
        let plan = &tree.plan;
        let marked = match tree.names.as_slice() {
            [one] => one.clone(),
            [first, second] => format!("{first} and {second}"),
            [first, rest @ ..] => format!("{first} and {} more", rest.len()),
            [] => "Nothing".into(),
        };
        let head = format!("{marked} into {}:", tree.target_path);
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let mut lines = vec![Line::from(vec![
            Span::styled(
                format!("  {} to upload", plural(plan.upload.len(), "file")),
                bold,
            ),
            Span::raw(format!(" ({})", size(tree.bytes(false)))),
        ])];
        lines.push(Line::raw(match plan.create.len() {
            0 => "  no folder to create".to_string(),
            n => format!("  {} to create", plural(n, "folder")),
        }));
        for folder in plan.create.iter().take(3) {
            lines.push(Line::styled(format!("    + {}", folder.path), theme.dim()));
        }
        if plan.create.len() > 3 {
            lines.push(Line::styled(
                format!("    … and {} more", plan.create.len() - 3),
                theme.dim(),
            ));
        }
        if !plan.skip.is_empty() {
            lines.push(Line::styled(
                format!(
                    "  {} already on the account, skipped (a sends {} too)",
                    plural(plan.skip.len(), "file"),
                    if plan.skip.len() == 1 { "it" } else { "them" }
                ),
                theme.success(),
            ));
        }
        let hidden = tree.hidden.len();
        let other = tree.left_out.len();
        if hidden + other > 0 {
            let mut parts = Vec::new();
            if hidden > 0 {
                parts.push(format!("{hidden} hidden"));
            }
            if other > 0 {
                parts.push(format!("{other} that cannot be sent"));
            }
            let n = hidden + other;
            let entries = if n == 1 {
                "1 entry".into()
            } else {
                format!("{n} entries")
            };
            lines.push(Line::styled(
                format!("  {entries} left out: {}", parts.join(", ")),
                theme.warn(),
            ));
            for problem in tree.left_out.iter().take(3) {
                lines.push(Line::styled(
                    format!("    {}: {}", problem.path, problem.reason),
                    theme.dim(),
                ));
            }
            if hidden > 0 {
                let mut names = tree
                    .hidden
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                if hidden > 3 {
                    names.push_str(", …");
                }
                lines.push(Line::styled(format!("    hidden: {names}"), theme.dim()));
            }
        }
        if plan.upload.is_empty() {
            lines.push(Line::styled(
                "  Nothing to send: Enter lists what is there".to_string(),
                theme.dim(),
            ));
        }
        draw_question(
            frame,
            app,
            area,
            &format!("Upload into {}", tree.target_path),
            &head,
            lines,
            None,
            Scope::TreeUpload,
        );
    }

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        // The confirmation: Enter uploads (skipping what is there), `a` sends all, Esc goes back
        // to the picker as it was.
        let Some(Popup::Directory(p)) = &app.popup else {
            return Vec::new();
        };
        let has_skips = !p.tree.plan.skip.is_empty();
        match app.keymap.action_for(keys::Scope::TreeUpload, &key) {
            Some(Action::Confirm) => app.start_tree(false),
            Some(Action::SendAnyway) if has_skips => app.start_tree(true),
            Some(Action::Close) => {
                if let Some(Popup::Directory(p)) = app.popup.take() {
                    app.open(*p.back);
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}
