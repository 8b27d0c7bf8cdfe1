//! What the worker's answers do to the state. Every change shows at once: a renamed file under
//! its new name, a new folder in the tree, a clone in the list, moved files in their new folder.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use super::overlay::{ClonedPopup, ErrorPopup, Popup};
use super::{App, Command, Level, Outcome};
use crate::api::{ApiError, FileInfo, FileList};
use crate::format::plural;

impl App {
    pub(super) fn on_outcome(&mut self, outcome: Outcome) -> Vec<Command> {
        match outcome {
            Outcome::Account(Ok(info)) => {
                self.account = Some(info);
                self.account_error = None;
                Vec::new()
            }
            Outcome::Account(Err(e)) => {
                self.account_error = Some(e.to_string());
                if e.is_auth() {
                    self.show_error("The API key was refused", &e);
                }
                Vec::new()
            }
            Outcome::Folder { fld_id, result } => {
                match result {
                    Ok(listing) => self.tree.set_children(fld_id, &listing.folders),
                    Err(e) => {
                        if let Some(node) = self.tree.node_mut(fld_id) {
                            node.loading = false;
                            node.error = Some(e.to_string());
                        }
                        self.notify(Level::Error, format!("Could not list the folder: {e}"));
                    }
                }
                if let Some(file) = self.pending_jump.clone()
                    && file
                        .fld_id
                        .or_else(|| self.walk.place(&file.file_code))
                        .is_some_and(|f| self.tree.contains(f))
                    && self.view == Some(super::overlay::View::Search)
                {
                    return self.jump_to(file);
                }
                // The move picker and the search name every folder: keep walking while open.
                if matches!(self.popup, Some(Popup::Move(_)))
                    || self.view == Some(super::overlay::View::Search)
                {
                    self.walk_folders()
                } else {
                    Vec::new()
                }
            }
            Outcome::FolderIndexed { fld_id, result } => self.on_folder_indexed(fld_id, result),
            Outcome::Files {
                fld_id,
                page,
                req,
                result,
                ..
            } => self.on_files(fld_id, page, req, result),
            Outcome::FilesSkipped { fld_id, req } => {
                // Forget the listing that never ran, so the folder is asked for when shown.
                if self
                    .files
                    .cache
                    .get(&fld_id)
                    .is_some_and(|l| l.req == req && l.files.is_empty())
                {
                    self.files.cache.remove(&fld_id);
                    if fld_id == self.files.folder {
                        return self.show_folder(false);
                    }
                }
                Vec::new()
            }
            Outcome::FileInfo { code, result } => {
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
            Outcome::FilesRenamed {
                req,
                codes,
                name,
                result,
            } => match result {
                Ok(items) => {
                    let missing: Vec<&str> = items
                        .iter()
                        .filter(|i| !i.exists())
                        .map(|i| i.file_code.as_str())
                        .collect();
                    let renamed: HashSet<&str> = codes
                        .iter()
                        .map(String::as_str)
                        .filter(|c| !missing.contains(c))
                        .collect();
                    for listing in self.files.cache.values_mut() {
                        for file in &mut listing.files {
                            if renamed.contains(file.file_code.as_str()) {
                                file.name = Some(name.clone());
                            }
                        }
                    }
                    self.files.rebuild();
                    self.close_waiting(req);
                    if missing.is_empty() {
                        self.notify(
                            Level::Info,
                            format!("Renamed {} to {name}", plural(renamed.len(), "file")),
                        );
                    } else {
                        self.notify(
                            Level::Warn,
                            format!(
                                "Renamed {}; not found: {}",
                                plural(renamed.len(), "file"),
                                missing.join(", ")
                            ),
                        );
                    }
                    Vec::new()
                }
                Err(e) => {
                    self.fail_waiting(req, &format!("Renaming to {name} failed"), &e);
                    Vec::new()
                }
            },
            Outcome::FilesRenamedEach { req, results } => {
                self.on_renamed_each(req, results);
                Vec::new()
            }
            Outcome::FolderRenamed {
                req,
                fld_id,
                name,
                result,
            } => {
                match result {
                    Ok(()) => {
                        self.tree.rename(fld_id, &name);
                        self.close_waiting(req);
                        self.notify(Level::Info, format!("Renamed the folder to {name}"));
                    }
                    Err(e) => {
                        self.fail_waiting(req, &format!("Renaming the folder to {name} failed"), &e)
                    }
                }
                Vec::new()
            }
            Outcome::FolderCreated {
                req,
                parent,
                name,
                result,
            } => {
                match result {
                    Ok(id) => {
                        self.tree.add_child(parent, id, &name);
                        // A new folder is empty: no need to ask.
                        self.files.cache.insert(
                            id,
                            super::files::FolderFiles {
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
                    Err(e) => {
                        self.fail_waiting(req, &format!("Creating the folder {name} failed"), &e)
                    }
                }
                Vec::new()
            }
            Outcome::Cloned {
                req,
                source,
                result,
            } => self.on_cloned(req, *source, result),
            Outcome::Moved {
                req,
                codes,
                from,
                to,
                result,
            } => {
                match result {
                    Ok(()) => {
                        let codes: HashSet<String> = codes.into_iter().collect();
                        self.files.anchor(from);
                        self.files.anchor(to);
                        let mut moved: Vec<FileInfo> = Vec::new();
                        if let Some(listing) = self.files.cache.get_mut(&from) {
                            let (gone, stay): (Vec<FileInfo>, Vec<FileInfo>) = listing
                                .files
                                .drain(..)
                                .partition(|f| codes.contains(&f.file_code));
                            listing.files = stay;
                            moved = gone;
                        }
                        if let Some(target) = self.files.cache.get_mut(&to) {
                            let known: HashSet<String> =
                                target.files.iter().map(|f| f.file_code.clone()).collect();
                            for mut file in moved {
                                file.fld_id = Some(to);
                                if !known.contains(&file.file_code) {
                                    target.files.push(file);
                                }
                            }
                        }
                        // The moved files left the folder: their marks go with them, where the
                        // user still is in it (marks elsewhere are another folder's).
                        if self.files.folder == from {
                            self.files.marked.retain(|c| !codes.contains(c));
                        }
                        self.files.rebuild();
                        self.close_waiting(req);
                        self.notify(
                            Level::Info,
                            format!(
                                "Moved {} to {}",
                                plural(codes.len(), "file"),
                                self.tree.path(to)
                            ),
                        );
                        // The target's listing may not have been complete: ask again.
                        if self.files.cache.contains_key(&to) {
                            self.reload_files(to, false)
                        } else {
                            Vec::new()
                        }
                    }
                    Err(e) => {
                        let what = format!(
                            "Moving {} to {} failed",
                            plural(codes.len(), "file"),
                            self.tree.path(to)
                        );
                        self.fail_waiting(req, &what, &e);
                        Vec::new()
                    }
                }
            }
            Outcome::KeyChecked(Ok(info)) => {
                self.popup = None;
                self.account = Some(info);
                self.notify(Level::Info, "Key saved");
                let mut commands = vec![Command::LoadQueue];
                commands.extend(self.load_children(super::tree::ROOT));
                commands.extend(self.show_folder(false));
                commands
            }
            Outcome::KeyChecked(Err(message)) => {
                if let Some(Popup::Login(p)) = &mut self.popup {
                    p.checking = false;
                    p.error = Some(message);
                }
                Vec::new()
            }
            Outcome::DirListed { path, result } => {
                if let Some(Popup::Upload(p)) = &mut self.popup
                    && p.dir.as_deref() == Some(path.as_str())
                {
                    p.loading = false;
                    match result {
                        Ok(entries) => p.entries = entries,
                        Err(e) => p.error = Some(e),
                    }
                }
                Vec::new()
            }
            outcome @ (Outcome::UploadsChecked { .. }
            | Outcome::UploadProgress { .. }
            | Outcome::UploadFinished { .. }
            | Outcome::UploadLookedUp { .. }
            | Outcome::UploadMoved { .. }
            | Outcome::PlainHttpUpload { .. }
            | Outcome::QueueLoaded { .. }
            | Outcome::QueueNotices(_)
            | Outcome::UploadsPrepared { .. }
            | Outcome::TreePlanned { .. }
            | Outcome::TreeStarted { .. }) => self.on_upload_outcome(outcome),
            outcome @ (Outcome::Stats { .. }
            | Outcome::Deleted { .. }
            | Outcome::LinksChecked { .. }
            | Outcome::SearchResults { .. }
            | Outcome::Exported { .. }) => self.on_view_outcome(outcome),
            Outcome::LocalError(message) => {
                self.notify(Level::Warn, message);
                Vec::new()
            }
        }
    }

    fn on_files(
        &mut self,
        fld_id: u64,
        page: u64,
        req: u64,
        result: Result<FileList, ApiError>,
    ) -> Vec<Command> {
        if self.files.cache.get(&fld_id).is_none_or(|e| e.req != req) {
            return Vec::new(); // gone, or a newer listing was asked for
        }
        self.files.anchor(fld_id);
        let Some(entry) = self.files.cache.get_mut(&fld_id) else {
            return Vec::new();
        };
        let mut commands = Vec::new();
        // The files listed before this page, when it only adds to them.
        let mut kept = None;
        match result {
            Ok(list) => {
                let received = list.files.len() as u64;
                if page == 1 {
                    entry.files.clear();
                } else {
                    kept = Some(entry.files.len());
                }
                // Files listed already (pages overlap when files were added meanwhile). The
                // page's few codes are looked for among the files so far: a set of every code
                // so far would be built again for each of a long listing's pages.
                let known: HashSet<String> = {
                    let page: HashSet<&str, BuildHasherDefault<QuickHasher>> =
                        list.files.iter().map(|f| f.file_code.as_str()).collect();
                    entry
                        .files
                        .iter()
                        .filter(|f| page.contains(f.file_code.as_str()))
                        .map(|f| f.file_code.clone())
                        .collect()
                };
                let fresh: Vec<FileInfo> = list
                    .files
                    .into_iter()
                    .filter(|f| !known.contains(&f.file_code))
                    .collect();
                // New codes, wherever the server says they are: what the pager counts.
                let added = fresh.len();
                entry.files.extend(
                    fresh
                        .into_iter()
                        // A file the listing places in another folder is not shown here (a
                        // server that ignores the filter).
                        .filter(|f| f.fld_id.is_none_or(|id| id == fld_id))
                        .map(|mut f| {
                            // Links are made from the code (`App::link`): not kept per file.
                            f.link = None;
                            f
                        }),
                );
                let report = crate::api::paging::PageReport {
                    received,
                    added: added as u64,
                    total_pages: list.total_pages,
                    results_total: list.results_total,
                };
                let mut pager = entry
                    .pager
                    .take()
                    .unwrap_or_else(|| crate::api::Pager::new(&self.page_size));
                let over = pager.on_page(report, &mut self.page_size);
                entry.complete = over;
                entry.loading = !over;
                entry.incomplete = match pager.done() {
                    Some(crate::api::Completeness::Incomplete(why)) => Some(why.clone()),
                    _ => None,
                };
                if over {
                    // Growing by pages leaves up to half the list's room unused.
                    entry.files.shrink_to_fit();
                    if let Some(why) = entry.incomplete.clone()
                        && fld_id == self.files.folder
                    {
                        self.notify(
                            Level::Warn,
                            format!("The listing of this folder may be incomplete: {why}"),
                        );
                    }
                } else {
                    let (page, per_page) = pager.next();
                    entry.pager = Some(pager);
                    commands.push(Command::ListFiles {
                        fld_id,
                        page,
                        per_page,
                        req,
                        debounce: false,
                    });
                }
            }
            Err(e) => {
                entry.loading = false;
                entry.error = Some(e.to_string());
                if fld_id == self.files.folder {
                    self.notify(Level::Error, format!("Could not list the files: {e}"));
                }
            }
        }
        if fld_id == self.files.folder {
            match kept {
                Some(from) => self.files.appended(from),
                None => self.files.rebuild(),
            }
            // The tree learns whether the folder has subfolders (its arrow) without a call
            // per keystroke: the file listing was debounced already.
            if page == 1 {
                commands.extend(self.load_children(fld_id));
            }
        }
        commands
    }

    fn on_cloned(
        &mut self,
        req: u64,
        source: FileInfo,
        result: Result<crate::api::ClonedFile, ApiError>,
    ) -> Vec<Command> {
        let name = source
            .name
            .clone()
            .unwrap_or_else(|| source.file_code.clone());
        let waiting = matches!(&self.popup, Some(Popup::Cloned(p)) if p.req == req);
        let mut commands = Vec::new();
        match result {
            Ok(cloned) => {
                let folder = source.fld_id.unwrap_or(self.files.folder);
                // Show the copy at once; the listing is asked again for its exact fields.
                for (fld_id, listing) in self.files.cache.iter_mut() {
                    if listing
                        .files
                        .iter()
                        .any(|f| f.file_code == source.file_code)
                        || *fld_id == folder
                    {
                        let mut copy = source.clone();
                        copy.file_code = cloned.file_code.clone();
                        copy.downloads = Some(0);
                        copy.link = None;
                        copy.uploaded = None;
                        if !listing.files.iter().any(|f| f.file_code == copy.file_code) {
                            listing.files.push(copy);
                        }
                        break;
                    }
                }
                self.files.rebuild();
                match &mut self.popup {
                    Some(Popup::Cloned(p)) if waiting => {
                        p.clones.push((name.clone(), cloned));
                        p.pending = p.pending.saturating_sub(1);
                    }
                    _ => {
                        let link = self.link(&cloned.file_code);
                        self.notify(Level::Info, format!("Cloned {name}: {link}"));
                    }
                }
                if !waiting || self.clones_done() {
                    commands.push(Command::LoadAccount);
                    if self.files.cache.contains_key(&folder) {
                        commands.extend(self.reload_files(folder, false));
                    }
                }
            }
            Err(e) => match &mut self.popup {
                Some(Popup::Cloned(p)) if waiting => {
                    p.failures.push(format!("{name}: {e}"));
                    p.pending = p.pending.saturating_sub(1);
                }
                _ => self.notify(Level::Error, format!("Cloning {name} failed: {e}")),
            },
        }
        commands
    }

    fn clones_done(&self) -> bool {
        match &self.popup {
            Some(Popup::Cloned(ClonedPopup { pending, .. })) => *pending == 0,
            _ => true,
        }
    }

    /// Whether the open popup is the one waiting for request `req`.
    pub(super) fn waits_for(&self, req: u64) -> bool {
        match &self.popup {
            Some(Popup::Rename(p)) => p.pending == Some(req),
            Some(Popup::NewFolder(p)) => p.pending == Some(req),
            Some(Popup::Move(p)) => p.pending == Some(req),
            _ => false,
        }
    }

    /// Closes the popup that waited for `req`, if it is still open; whether it was.
    fn close_waiting(&mut self, req: u64) -> bool {
        let waiting = self.waits_for(req);
        if waiting {
            self.popup = None;
        }
        waiting
    }

    /// Shows a failure inside the popup that asked, so the user can correct and try again.
    /// When that popup was closed meanwhile, the failure is a notice (and in the message log):
    /// it never fills or closes another popup, nor replaces a view.
    fn fail_waiting(&mut self, req: u64, what: &str, error: &ApiError) {
        let message = error.to_string();
        if !self.waits_for(req) {
            self.notify(Level::Error, format!("{what}: {message}"));
            return;
        }
        match &mut self.popup {
            Some(Popup::Rename(p)) => {
                p.pending = None;
                p.error = Some(message);
            }
            Some(Popup::NewFolder(p)) => {
                p.pending = None;
                p.error = Some(message);
            }
            Some(Popup::Move(p)) => {
                p.pending = None;
                p.error = Some(message);
            }
            _ => {}
        }
    }

    /// Closes a popup at the user's Esc; a change it already sent goes on, and says so.
    pub(super) fn close_popup(&mut self, was_pending: bool, what: &str) {
        self.popup = None;
        if was_pending {
            self.notify(
                Level::Info,
                format!("The {what} goes on; its answer will come as a notice (M: messages)"),
            );
        }
    }

    /// An error that needs attention: a popup when nothing is open, else a notice (and in the
    /// message log), so it never replaces what the user has open.
    pub(super) fn show_error(&mut self, title: &str, error: &ApiError) {
        if self.popup.is_none() && self.view.is_none() {
            self.log(Level::Error, format!("{title}: {error}"));
            self.popup = Some(Popup::Error(ErrorPopup {
                title: title.to_string(),
                message: error.to_string(),
            }));
        } else {
            self.notify(Level::Error, format!("{title}: {error}"));
        }
    }
}

/// A fast hash for looking file codes up (the default one, made to resist chosen keys, costs
/// more than the rest of a page's work at 100,000 files); the codes come from our own listing.
#[derive(Default)]
struct QuickHasher(u64);

impl Hasher for QuickHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
