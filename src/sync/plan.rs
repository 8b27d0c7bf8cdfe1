//! The plan of a sync: the local tree against the remote folders, as `rclone copy` would have
//! it. A pure function: tests give it trees, the CLI prints it (`--dry-run`) or carries it out.

use super::local::{LocalDir, LocalFile, Problem};
use super::remote::RemoteTree;
use crate::api::{Pick, pick};
use crate::queue::{KnownFiles, find_duplicate};

/// A folder of the plan: one that exists, or one the plan creates (its index in
/// [`Plan::create`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderRef {
    Existing(u64),
    New(usize),
}

/// A folder to create, after its parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFolder {
    pub parent: FolderRef,
    pub name: String,
    /// Its path on the account, for messages.
    pub path: String,
    /// The local directory it comes from (within the synced directory).
    pub rel: String,
}

/// A file to upload, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedUpload {
    pub file: LocalFile,
    pub folder: FolderRef,
    pub folder_path: String,
}

/// A file already on the account (same name and size in its folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub file: LocalFile,
    pub file_code: String,
    /// The name the folder lists it under.
    pub listed_name: String,
    pub folder_path: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Parents before their subfolders.
    pub create: Vec<NewFolder>,
    pub upload: Vec<PlannedUpload>,
    pub skip: Vec<Skip>,
    /// What the remote side keeps from being planned (a folder that could not be listed, two
    /// folders of one name); the local side's problems are the scan's.
    pub problems: Vec<Problem>,
}

/// `parent/name`, from a path that may be `/` or `folder 16`.
pub fn join_remote(parent: &str, name: &str) -> String {
    if parent == "/" {
        format!("/{name}")
    } else {
        format!("{}/{name}", parent.trim_end_matches('/'))
    }
}

/// Plans the copy of `local` into the existing folder `target` (shown as `target_path`), from
/// what `remote` lists. Every folder of the local tree that holds something to upload is
/// matched to the subfolder of the same name (exactly, else in any case when only one folder
/// answers) or created; empty directories are not created (as `rclone copy`). Each file is
/// skipped when its folder lists one of the same name and size (unless `allow_duplicates`), and
/// uploaded otherwise.
pub fn plan(
    local: &LocalDir,
    target: u64,
    target_path: &str,
    remote: &RemoteTree,
    allow_duplicates: bool,
) -> Plan {
    let mut plan = Plan::default();
    let mut planner = Planner {
        remote,
        allow_duplicates,
        plan: &mut plan,
    };
    planner.existing(local, target, target_path);
    plan
}

struct Planner<'a> {
    remote: &'a RemoteTree,
    allow_duplicates: bool,
    plan: &'a mut Plan,
}

impl Planner<'_> {
    fn problem(&mut self, path: &str, reason: String) {
        self.plan.problems.push(Problem {
            path: path.to_string(),
            reason,
        });
    }

    /// A local directory that goes into the existing folder `id`.
    fn existing(&mut self, local: &LocalDir, id: u64, path: &str) {
        let Some(folder) = self.remote.get(&id) else {
            if local.has_files() {
                self.problem(&local.rel, format!("{path} was not listed; left out"));
            }
            return;
        };
        if !local.files.is_empty() {
            self.files(local, id, path, folder.files.as_ref());
        }
        let subdirs: Vec<&LocalDir> = local.dirs.iter().filter(|d| d.has_files()).collect();
        if subdirs.is_empty() {
            return;
        }
        let folders = match &folder.folders {
            Ok(folders) => folders,
            Err(why) => {
                for sub in subdirs {
                    self.problem(
                        &sub.rel,
                        format!(
                            "the folders of {path} could not be listed ({why}); {} left out",
                            crate::format::plural(sub.file_count(), "file")
                        ),
                    );
                }
                return;
            }
        };
        for sub in subdirs {
            match pick(folders, &sub.name) {
                Ok(found) => {
                    let sub_path = join_remote(path, &found.name);
                    self.existing(sub, found.fld_id, &sub_path);
                }
                Err(Pick::Missing) => self.new_folder(sub, FolderRef::Existing(id), path),
                Err(Pick::Ambiguous(ids)) => self.problem(
                    &sub.rel,
                    format!(
                        "{path} holds {} folders named {:?} (ids {}); {} left out",
                        ids.len(),
                        sub.name,
                        ids.iter()
                            .map(u64::to_string)
                            .collect::<Vec<_>>()
                            .join(", "),
                        crate::format::plural(sub.file_count(), "file")
                    ),
                ),
            }
        }
    }

    /// The files of a local directory against those of the existing folder `id`.
    fn files(&mut self, local: &LocalDir, id: u64, path: &str, listed: Option<&KnownFiles>) {
        let rows = match listed {
            Some(KnownFiles::Listed(rows)) => Some(rows),
            _ if self.allow_duplicates => None,
            Some(KnownFiles::Unlisted(why)) => {
                for file in &local.files {
                    self.problem(
                        &file.rel,
                        format!("{path} could not be checked for a file of the same name: {why}"),
                    );
                }
                return;
            }
            None => {
                for file in &local.files {
                    self.problem(&file.rel, format!("{path} was not listed"));
                }
                return;
            }
        };
        for file in &local.files {
            let duplicate = rows
                .filter(|_| !self.allow_duplicates)
                .and_then(|rows| find_duplicate(rows, &file.name, file.size));
            match duplicate {
                Some(row) => self.plan.skip.push(Skip {
                    file: file.clone(),
                    file_code: row.file_code.clone(),
                    listed_name: row.name.clone().unwrap_or_default(),
                    folder_path: path.to_string(),
                }),
                None => self.plan.upload.push(PlannedUpload {
                    file: file.clone(),
                    folder: FolderRef::Existing(id),
                    folder_path: path.to_string(),
                }),
            }
        }
    }

    /// A local directory with no folder on the account: created (when it holds something to
    /// upload), with everything in it uploaded.
    fn new_folder(&mut self, local: &LocalDir, parent: FolderRef, parent_path: &str) {
        if !local.has_files() {
            return;
        }
        let index = self.plan.create.len();
        let path = join_remote(parent_path, &local.name);
        self.plan.create.push(NewFolder {
            parent,
            name: local.name.clone(),
            path: path.clone(),
            rel: local.rel.clone(),
        });
        for file in &local.files {
            self.plan.upload.push(PlannedUpload {
                file: file.clone(),
                folder: FolderRef::New(index),
                folder_path: path.clone(),
            });
        }
        for sub in &local.dirs {
            self.new_folder(sub, FolderRef::New(index), &path);
        }
    }
}
