//! The folder tree: loaded lazily, one folder/list per folder, expanded and collapsed at will.

use std::collections::HashMap;

use crate::api::Folder;

pub const ROOT: u64 = crate::api::ROOT_FOLDER;

#[derive(Debug, Clone)]
pub struct Node {
    pub id: u64,
    pub parent: Option<u64>,
    pub name: String,
    /// `None` until the folder's listing arrived.
    pub children: Option<Vec<u64>>,
    pub expanded: bool,
    pub loading: bool,
    pub error: Option<String>,
}

/// A row of the tree as drawn: the folder and how deep it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeRow {
    pub id: u64,
    pub depth: usize,
}

#[derive(Debug, Clone)]
pub struct FolderTree {
    nodes: HashMap<u64, Node>,
    /// The highlighted folder.
    pub selected: u64,
    /// The first visible row.
    pub offset: usize,
}

impl Default for FolderTree {
    fn default() -> Self {
        let mut nodes = HashMap::new();
        nodes.insert(
            ROOT,
            Node {
                id: ROOT,
                parent: None,
                name: String::new(),
                children: None,
                expanded: true,
                loading: false,
                error: None,
            },
        );
        FolderTree {
            nodes,
            selected: ROOT,
            offset: 0,
        }
    }
}

impl FolderTree {
    pub fn node(&self, id: u64) -> Option<&Node> {
        self.nodes.get(&id)
    }

    pub fn node_mut(&mut self, id: u64) -> Option<&mut Node> {
        self.nodes.get_mut(&id)
    }

    pub fn contains(&self, id: u64) -> bool {
        self.nodes.contains_key(&id)
    }

    /// Stores the subfolders of `id` as a listing gave them, keeping what is known of each.
    pub fn set_children(&mut self, id: u64, folders: &[Folder]) {
        let mut children = Vec::with_capacity(folders.len());
        for folder in folders {
            if folder.fld_id == id || folder.fld_id == ROOT {
                continue; // a folder that lists itself or the root would loop the tree
            }
            children.push(folder.fld_id);
            let node = self.nodes.entry(folder.fld_id).or_insert_with(|| Node {
                id: folder.fld_id,
                parent: Some(id),
                name: String::new(),
                children: None,
                expanded: false,
                loading: false,
                error: None,
            });
            node.parent = Some(id);
            node.name = folder.name.clone();
        }
        children.sort_by(|a, b| {
            let name = |x: &u64| {
                self.nodes
                    .get(x)
                    .map(|n| n.name.to_lowercase())
                    .unwrap_or_default()
            };
            name(a).cmp(&name(b)).then(a.cmp(b))
        });
        children.dedup();
        if let Some(node) = self.nodes.get_mut(&id) {
            node.children = Some(children);
            node.loading = false;
            node.error = None;
        }
        // Keep the highlight on a folder that still exists.
        if !self.is_reachable(self.selected) {
            self.selected = id;
        }
    }

    /// Adds a folder that was just created, so it shows before the next listing.
    pub fn add_child(&mut self, parent: u64, id: u64, name: &str) {
        let mut folders = self.child_folders(parent);
        folders.push(Folder {
            fld_id: id,
            name: name.to_string(),
        });
        self.set_children(parent, &folders);
        // A new folder has no subfolders yet.
        if let Some(node) = self.nodes.get_mut(&id) {
            node.children.get_or_insert_with(Vec::new);
        }
    }

    pub fn rename(&mut self, id: u64, name: &str) {
        if let Some(node) = self.nodes.get_mut(&id) {
            node.name = name.to_string();
        }
        if let Some(parent) = self.nodes.get(&id).and_then(|n| n.parent) {
            let folders = self.child_folders(parent);
            self.set_children(parent, &folders);
        }
    }

    /// The known subfolders of `id`, as a listing gives them (to list it again, sorted).
    fn child_folders(&self, id: u64) -> Vec<Folder> {
        self.children(id)
            .iter()
            .filter_map(|c| self.nodes.get(c))
            .map(|n| Folder {
                fld_id: n.id,
                name: n.name.clone(),
            })
            .collect()
    }

    pub fn children(&self, id: u64) -> &[u64] {
        self.nodes
            .get(&id)
            .and_then(|n| n.children.as_deref())
            .unwrap_or(&[])
    }

    fn is_reachable(&self, id: u64) -> bool {
        let mut at = id;
        for _ in 0..self.nodes.len() + 1 {
            if at == ROOT {
                return true;
            }
            match self.nodes.get(&at).and_then(|n| n.parent) {
                Some(parent) if self.children(parent).contains(&at) => at = parent,
                _ => return false,
            }
        }
        false
    }

    /// The rows as drawn: the root, then every child of an expanded folder, depth first.
    pub fn rows(&self) -> Vec<TreeRow> {
        let mut rows = Vec::new();
        let mut stack = vec![TreeRow { id: ROOT, depth: 0 }];
        while let Some(row) = stack.pop() {
            rows.push(row);
            if let Some(node) = self.nodes.get(&row.id)
                && node.expanded
            {
                for child in self.children(row.id).iter().rev() {
                    stack.push(TreeRow {
                        id: *child,
                        depth: row.depth + 1,
                    });
                }
            }
            if rows.len() > 100_000 {
                break;
            }
        }
        rows
    }

    pub fn selected_index(&self, rows: &[TreeRow]) -> usize {
        rows.iter().position(|r| r.id == self.selected).unwrap_or(0)
    }

    /// `/Anime/Season 1` for a folder, `/` for the root.
    pub fn path(&self, id: u64) -> String {
        let mut parts = Vec::new();
        let mut at = id;
        for _ in 0..64 {
            if at == ROOT {
                break;
            }
            match self.nodes.get(&at) {
                Some(node) => {
                    parts.push(node.name.clone());
                    match node.parent {
                        Some(parent) => at = parent,
                        None => break,
                    }
                }
                None => break,
            }
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }

    /// Every known folder with its path, sorted by path (the move picker's list).
    pub fn all_paths(&self) -> Vec<(u64, String)> {
        let mut out: Vec<(u64, String)> = self
            .nodes
            .keys()
            .filter(|id| self.is_reachable(**id))
            .map(|id| (*id, self.path(*id)))
            .collect();
        out.sort_by_key(|(_, path)| path.to_lowercase());
        out
    }

    /// Folders whose listing is on its way.
    pub fn loading_count(&self) -> usize {
        self.nodes.values().filter(|n| n.loading).count()
    }

    /// Folders whose listing has not arrived yet (for a full walk).
    pub fn unloaded(&self) -> Vec<u64> {
        self.nodes
            .values()
            .filter(|n| n.children.is_none() && !n.loading && self.is_reachable(n.id))
            .map(|n| n.id)
            .collect()
    }

    /// Moves the highlight by `delta` rows, clamped.
    pub fn move_by(&mut self, delta: isize) {
        let rows = self.rows();
        let index = self.selected_index(&rows) as isize;
        let target = (index + delta).clamp(0, rows.len().saturating_sub(1) as isize) as usize;
        if let Some(row) = rows.get(target) {
            self.selected = row.id;
        }
    }

    pub fn select_first(&mut self) {
        self.selected = ROOT;
    }

    pub fn select_last(&mut self) {
        if let Some(row) = self.rows().last() {
            self.selected = row.id;
        }
    }

    /// Expands every folder above `id` and highlights it.
    pub fn reveal(&mut self, id: u64) {
        let mut at = self.nodes.get(&id).and_then(|n| n.parent);
        while let Some(parent) = at {
            if let Some(node) = self.nodes.get_mut(&parent) {
                node.expanded = true;
                at = node.parent;
            } else {
                break;
            }
        }
        if self.nodes.contains_key(&id) {
            self.selected = id;
        }
    }

    /// Keeps the highlighted row inside a viewport of `height` rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        let rows = self.rows();
        let index = self.selected_index(&rows);
        self.offset = super::list::window_start(self.offset, index, height)
            // No empty rows below the last one while rows above are hidden.
            .min(rows.len().saturating_sub(height.max(1)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(id: u64, name: &str) -> Folder {
        Folder {
            fld_id: id,
            name: name.into(),
        }
    }

    #[test]
    fn rows_follow_expansion_and_paths_read_well() {
        let mut t = FolderTree::default();
        t.set_children(ROOT, &[folder(2, "Movies"), folder(1, "Anime")]);
        assert_eq!(t.rows().iter().map(|r| r.id).collect::<Vec<_>>(), [0, 1, 2]);
        t.set_children(1, &[folder(3, "Season 1")]);
        assert_eq!(t.rows().len(), 3, "collapsed children are hidden");
        t.node_mut(1).unwrap().expanded = true;
        assert_eq!(
            t.rows().iter().map(|r| (r.id, r.depth)).collect::<Vec<_>>(),
            [(0, 0), (1, 1), (3, 2), (2, 1)]
        );
        assert_eq!(t.path(3), "/Anime/Season 1");
        assert_eq!(t.path(ROOT), "/");
    }

    #[test]
    fn a_folder_listing_itself_does_not_loop() {
        let mut t = FolderTree::default();
        t.set_children(ROOT, &[folder(1, "A")]);
        t.set_children(1, &[folder(1, "A"), folder(0, "root")]);
        t.node_mut(1).unwrap().expanded = true;
        assert_eq!(t.rows().len(), 2);
    }
}
