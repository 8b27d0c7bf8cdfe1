//! The remote side of a sync: only the folders the local tree reaches, each listed once
//! (`folder/list` for its subfolders, `file/list` paged to its end for its files with their
//! sizes).

use std::collections::HashMap;

use super::local::LocalDir;
use crate::api::pick;
use crate::api::{ApiError, Client, Folder};
use crate::queue::{KnownFiles, folder_files};

/// What is known of one remote folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFolder {
    /// Its subfolders, or why they could not be listed. Listed only when a local directory
    /// with something to upload would go into one of them (else empty).
    pub folders: Result<Vec<Folder>, String>,
    /// Its files, when the local directory has files to compare with them.
    pub files: Option<KnownFiles>,
}

/// The remote folders a plan needs, by id.
pub type RemoteTree = HashMap<u64, RemoteFolder>;

/// Lists what the plan for `local` going into folder `target` needs: `target` and every
/// existing folder a local directory maps to. Only the target's own `folder/list` failing is an
/// error (the folder may not exist); below it, a failure is kept for the plan to report.
pub async fn fetch(client: &Client, target: u64, local: &LocalDir) -> Result<RemoteTree, ApiError> {
    let mut tree = RemoteTree::new();
    let mut stack = vec![(target, local)];
    while let Some((id, dir)) = stack.pop() {
        if tree.contains_key(&id) {
            continue;
        }
        let wanted = dir.dirs.iter().any(LocalDir::has_files);
        let folders = if wanted || id == target {
            match client.subfolders(id).await {
                Ok(listing) => Ok(listing.folders),
                Err(e) if id == target => return Err(e),
                Err(e) => Err(e.to_string()),
            }
        } else {
            Ok(Vec::new())
        };
        let files = if dir.files.is_empty() {
            None
        } else {
            Some(folder_files(client, id).await)
        };
        if let Ok(folders) = &folders {
            for sub in dir.dirs.iter().filter(|d| d.has_files()) {
                if let Ok(folder) = pick(folders, &sub.name) {
                    stack.push((folder.fld_id, sub));
                }
            }
        }
        tree.insert(id, RemoteFolder { folders, files });
    }
    Ok(tree)
}
