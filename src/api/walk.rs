//! Finding the folder of files whose listing did not say it.
//!
//! `file/list` in the seed carries no `fld_id`, so a search across the account knows a file's
//! name but not where it lives. `folder/list` does say it (its files carry `file_code` and
//! `fld_id`): a [`FolderWalk`] asks it folder by folder, breadth first from the root, caching
//! where every file it sees lives, until each wanted file is placed or every folder was asked.
//! A file it could not place is unknown, never "in the root". The file manager's search and
//! `mp4u find` both walk with it.

use std::collections::{HashMap, HashSet, VecDeque};

use super::ROOT_FOLDER as ROOT;
use super::types::FolderIndex;

/// What a walk knows, and which folders it asks next.
#[derive(Debug, Clone, Default)]
pub struct FolderWalk {
    /// Where each file seen so far lives.
    places: HashMap<String, u64>,
    /// Folders seen so far: parent and name.
    folders: HashMap<u64, (u64, String)>,
    /// Folders to ask, in the order found (breadth first).
    queue: VecDeque<u64>,
    /// Folders asked and not answered yet.
    in_flight: HashSet<u64>,
    /// Folders asked and answered (or failed: `failed` says which).
    visited: HashSet<u64>,
    /// Folders whose listing failed, with the reason.
    failed: Vec<(u64, String)>,
}

impl FolderWalk {
    /// A walk from the root.
    pub fn new() -> FolderWalk {
        FolderWalk {
            queue: VecDeque::from([ROOT]),
            ..Default::default()
        }
    }

    /// Asks every folder again from the root, keeping what was learnt (files uploaded or moved
    /// since the last walk are found by the next one).
    pub fn restart(&mut self) {
        if self.finished() {
            self.visited.clear();
            self.failed.clear();
            self.queue = VecDeque::from([ROOT]);
        }
    }

    /// The folder of a file, once a listing named it.
    pub fn place(&self, code: &str) -> Option<u64> {
        self.places.get(code).copied()
    }

    /// Up to `at_once` folders in flight: the ones to ask now.
    pub fn next(&mut self, at_once: usize) -> Vec<u64> {
        let mut out = Vec::new();
        while self.in_flight.len() < at_once {
            let Some(id) = self.queue.pop_front() else {
                break;
            };
            if self.visited.contains(&id) || !self.in_flight.insert(id) {
                continue;
            }
            out.push(id);
        }
        out
    }

    /// Takes in the listing of a folder: where its files live, and its subfolders to ask next.
    pub fn on_index(&mut self, fld_id: u64, index: &FolderIndex) {
        self.in_flight.remove(&fld_id);
        self.visited.insert(fld_id);
        for file in &index.files {
            // A file listed in a folder lives there, whether or not the reply says so.
            let place = file.fld_id.unwrap_or(fld_id);
            self.places.insert(file.file_code.clone(), place);
        }
        for folder in &index.folders {
            if folder.fld_id == ROOT || folder.fld_id == fld_id {
                continue; // a folder that lists itself or the root would loop the walk
            }
            self.folders
                .entry(folder.fld_id)
                .or_insert_with(|| (fld_id, folder.name.clone()));
            if !self.visited.contains(&folder.fld_id) {
                self.queue.push_back(folder.fld_id);
            }
        }
    }

    /// A folder's listing failed: its files stay unplaced.
    pub fn on_failure(&mut self, fld_id: u64, reason: String) {
        self.in_flight.remove(&fld_id);
        self.visited.insert(fld_id);
        self.failed.push((fld_id, reason));
    }

    /// Whether every folder reachable was asked and answered.
    pub fn finished(&self) -> bool {
        self.in_flight.is_empty() && self.queue.iter().all(|id| self.visited.contains(id))
    }

    /// Whether the walk is waiting for answers.
    pub fn busy(&self) -> bool {
        !self.in_flight.is_empty()
    }

    /// Folders whose listing failed, with the reasons.
    pub fn failures(&self) -> &[(u64, String)] {
        &self.failed
    }

    /// `/Anime/Season 1` for a folder the walk has seen, `/` for the root.
    pub fn path(&self, fld_id: u64) -> Option<String> {
        let mut parts = Vec::new();
        let mut at = fld_id;
        for _ in 0..64 {
            if at == ROOT {
                parts.reverse();
                return Some(format!("/{}", parts.join("/")));
            }
            let (parent, name) = self.folders.get(&at)?;
            parts.push(name.as_str());
            at = *parent;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{FilePlace, Folder};

    fn index(folders: &[(u64, &str)], files: &[(&str, Option<u64>)]) -> FolderIndex {
        FolderIndex {
            folders: folders
                .iter()
                .map(|(id, name)| Folder {
                    fld_id: *id,
                    name: name.to_string(),
                })
                .collect(),
            files: files
                .iter()
                .map(|(code, fld)| FilePlace {
                    file_code: code.to_string(),
                    fld_id: *fld,
                })
                .collect(),
        }
    }

    #[test]
    fn walks_breadth_first_and_places_files() {
        let mut walk = FolderWalk::new();
        assert_eq!(walk.next(2), [ROOT]);
        assert!(walk.next(2).is_empty(), "one in flight, nothing else known");
        walk.on_index(
            ROOT,
            &index(&[(1, "Anime"), (2, "Movies")], &[("r1", None)]),
        );
        assert_eq!(walk.place("r1"), Some(ROOT));
        assert_eq!(walk.next(2), [1, 2]);
        walk.on_index(
            1,
            &index(&[(3, "Season 1"), (1, "loop")], &[("a1", Some(1))]),
        );
        walk.on_failure(2, "500".into());
        assert_eq!(walk.next(2), [3]);
        assert!(!walk.finished());
        walk.on_index(3, &index(&[(0, "root")], &[("s1", None)]));
        assert!(walk.finished());
        assert_eq!(walk.place("s1"), Some(3));
        assert_eq!(walk.place("nowhere"), None);
        assert_eq!(walk.path(3).as_deref(), Some("/Anime/Season 1"));
        assert_eq!(walk.path(ROOT).as_deref(), Some("/"));
        assert_eq!(walk.path(99), None);
        assert_eq!(walk.failures().len(), 1);
    }
}
