//! What the worker's answers do to the state. Every change shows at once: a renamed file under
//! its new name, a new folder in the tree, a clone in the list, moved files in their new folder.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use super::{App, Command, Level, Outcome};
use crate::api::{ApiError, FileInfo, FileList};

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
                    && self.view == Some(super::views::View::Search)
                {
                    return self.jump_to(file);
                }
                // The move picker and the search name every folder: keep walking while open.
                if self
                    .popup
                    .as_ref()
                    .is_some_and(|p| p.component().walks_folders())
                    || self.view.is_some_and(|v| self.views.of(v).walks_folders())
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
            Outcome::FileInfo { code, result } => self.on_file_info(code, result),
            Outcome::FilesRenamed {
                req,
                codes,
                name,
                result,
            } => self.on_files_renamed(req, codes, name, result),
            Outcome::FilesRenamedEach { req, results } => self.on_renamed_each(req, results),
            Outcome::FolderRenamed {
                req,
                fld_id,
                name,
                result,
            } => self.on_folder_renamed(req, fld_id, name, result),
            Outcome::FolderCreated {
                req,
                parent,
                name,
                result,
            } => self.on_folder_created(req, parent, name, result),
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
            } => self.on_moved(req, codes, from, to, result),
            Outcome::KeyChecked(result) => self.on_key_checked(result),
            Outcome::DirListed { path, result } => self.on_dir_listed(path, result),
            Outcome::UploadsChecked { accepted, refused } => {
                self.on_uploads_checked(accepted, refused)
            }
            Outcome::UploadProgress { id, sent, at } => self.on_upload_progress(id, sent, at),
            Outcome::UploadFinished { id, result } => self.on_upload_finished(id, result),
            Outcome::UploadLookedUp { id, result } => self.on_upload_looked_up(id, result),
            Outcome::UploadMoved {
                id,
                code,
                fld_id,
                result,
            } => self.on_upload_moved(id, code, fld_id, result),
            Outcome::PlainHttpUpload { host } => {
                if !self.told_plain_http {
                    self.told_plain_http = true;
                    self.notify(
                        Level::Warn,
                        format!(
                            "The upload server {host} is plain http://: files travel unencrypted"
                        ),
                    );
                }
                Vec::new()
            }
            Outcome::QueueLoaded {
                notices,
                unfinished,
                busy,
            } => self.on_queue_loaded(notices, unfinished, busy),
            Outcome::QueueNotices(notices) => {
                for notice in notices {
                    self.notify(Level::Warn, notice);
                }
                Vec::new()
            }
            Outcome::UploadsPrepared { queued, listings } => {
                self.on_uploads_prepared(queued, listings)
            }
            Outcome::TreePlanned { req, result } => self.on_tree_planned(req, result),
            Outcome::TreeStarted {
                tree,
                send_all,
                created,
                ..
            } => self.on_tree_started(tree, send_all, created),
            Outcome::Stats { days, result } => self.on_stats(days, result),
            Outcome::Deleted { last, result } => self.on_deleted(last, result),
            Outcome::LinksChecked { req, result } => self.on_links_checked(req, result),
            Outcome::SearchResults {
                req, page, result, ..
            } => self.on_search_results(req, page, result),
            Outcome::Exported { result } => {
                match result {
                    Ok(path) => self.notify(Level::Info, format!("Saved {}", path.display())),
                    Err(e) => self.notify(Level::Error, format!("Could not export: {e}")),
                }
                Vec::new()
            }
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
