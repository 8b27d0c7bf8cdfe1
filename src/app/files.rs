//! The file list of the highlighted folder: a cache of listings per folder, the cursor, the
//! marks, the filter and the sort order.

use std::collections::{HashMap, HashSet};

use crate::api::FileInfo;
use crate::format::natural_cmp;
use crate::sort::{Sort, SortKey, compare, name_of};

/// The files of one folder, as far as they have arrived.
#[derive(Debug, Clone, Default)]
pub struct FolderFiles {
    pub files: Vec<FileInfo>,
    /// The listing is over: every page arrived (or it stopped early: `incomplete` says why).
    pub complete: bool,
    /// Why a finished listing may not hold every file ("the server sent page 3 again").
    pub incomplete: Option<String>,
    /// Where the listing on its way stands.
    pub pager: Option<crate::api::Pager>,
    pub loading: bool,
    pub error: Option<String>,
    /// The request the listing answers; an older answer is dropped.
    pub req: u64,
}

#[derive(Debug, Clone, Default)]
pub struct FilePane {
    pub cache: HashMap<u64, FolderFiles>,
    /// The folder shown.
    pub folder: u64,
    /// Indices into the shown folder's files, filtered and sorted: the rows as drawn.
    pub view: Vec<usize>,
    pub cursor: usize,
    pub offset: usize,
    /// Marked files, by code.
    pub marked: HashSet<String>,
    pub filter: String,
    pub sort: Sort,
    /// The file the cursor was on before the shown listing was replaced.
    anchor: Option<String>,
    /// A file to put the cursor on as soon as it is listed (a search's "go to").
    wanted: Option<String>,
    /// What the rows were last built from, so that a page added at the end of the listing is
    /// sorted in among them rather than everything sorted again.
    built: Option<Built>,
    /// Every file of the shown folder in the sort order, unfiltered, kept while only the
    /// filter changes (typing): a keystroke then filters it and sorts nothing. Any other
    /// rebuild drops it, since that follows a change to the files.
    sorted: Option<Vec<u32>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Built {
    folder: u64,
    files: usize,
    filter: String,
    sort: Sort,
}

impl FilePane {
    pub fn listing(&self) -> Option<&FolderFiles> {
        self.cache.get(&self.folder)
    }

    pub fn files(&self) -> &[FileInfo] {
        self.listing().map_or(&[], |l| l.files.as_slice())
    }

    /// The file on the row `index` of the view.
    pub fn at(&self, index: usize) -> Option<&FileInfo> {
        self.view.get(index).and_then(|i| self.files().get(*i))
    }

    pub fn current(&self) -> Option<&FileInfo> {
        self.at(self.cursor)
    }

    /// Shows another folder: marks belong to a folder, the filter stays.
    pub fn show(&mut self, folder: u64) {
        if self.folder != folder {
            self.folder = folder;
            self.marked.clear();
            self.cursor = 0;
            self.offset = 0;
        }
        self.rebuild();
    }

    /// Remembers the file under the cursor before the listing of `folder` is changed in place
    /// (the rows point into the old list until the next `rebuild`).
    pub fn anchor(&mut self, folder: u64) {
        if folder == self.folder && self.anchor.is_none() {
            self.anchor = self.current().map(|f| f.file_code.clone());
        }
    }

    /// Puts the cursor on this file once it shows (now, or when its listing arrives).
    pub fn select_when_shown(&mut self, code: String) {
        self.wanted = Some(code);
    }

    /// Recomputes the rows after the files, the filter or the sort changed, keeping the cursor
    /// on the same file where it is still shown.
    pub fn rebuild(&mut self) {
        self.sorted = None;
        self.build_rows(None);
    }

    /// Recomputes the rows after only the filter changed: the files are filtered in the sort
    /// order kept from before, so that a keystroke costs one pass over the names.
    pub fn refilter(&mut self) {
        if self.sorted.is_none() {
            let filter = std::mem::take(&mut self.filter);
            self.build_rows(None);
            self.filter = filter;
            self.sorted = Some(self.view.iter().map(|i| *i as u32).collect());
        }
        let keep_index = self.view.get(self.cursor).copied();
        let files = self.files();
        let mut fuzzy = super::fuzzy::Fuzzy::new(&self.filter);
        // Names are matched in the order the files sit in memory (reading them in the sort
        // order would jump around a long listing); the sort order then picks the matches.
        let matched: Vec<bool> = files
            .iter()
            .map(|f| fuzzy.as_mut().is_none_or(|m| m.matches(name_of(f))))
            .collect();
        let view: Vec<usize> = self
            .sorted
            .iter()
            .flatten()
            .map(|i| *i as usize)
            .filter(|i| matched.get(*i).copied().unwrap_or(false))
            .collect();
        self.set_rows(view, keep_index, None);
    }

    /// Takes new rows, records what they were built from, and puts the cursor back on the file
    /// it was on (by its index in the listing, else by its code) where that file is still shown.
    fn set_rows(&mut self, view: Vec<usize>, keep_index: Option<usize>, keep: Option<String>) {
        self.built = Some(Built {
            folder: self.folder,
            files: self.files().len(),
            filter: self.filter.clone(),
            sort: self.sort,
        });
        self.view = view;
        let position = match keep_index {
            Some(index) => self.view.iter().position(|i| *i == index),
            None => keep.and_then(|code| {
                self.view
                    .iter()
                    .position(|i| self.files().get(*i).is_some_and(|f| f.file_code == code))
            }),
        };
        self.cursor = position
            .unwrap_or(self.cursor)
            .min(self.view.len().saturating_sub(1));
    }

    /// Recomputes the rows after files were added at the end of the shown listing (its next
    /// page), the first `from` files unchanged: only the new ones are filtered and sorted, then
    /// merged in. The rows are the same as [`FilePane::rebuild`] makes.
    pub fn appended(&mut self, from: usize) {
        self.sorted = None;
        let same = self.built.as_ref().is_some_and(|b| {
            b.folder == self.folder
                && b.files == from
                && b.filter == self.filter
                && b.sort == self.sort
        });
        self.build_rows(same.then_some(from));
    }

    /// The rows: all built again, or (`from`) the old ones with the files from `from` on
    /// merged in.
    fn build_rows(&mut self, from: Option<usize>) {
        let wanted = self
            .wanted
            .clone()
            .filter(|code| self.files().iter().any(|f| &f.file_code == code));
        if wanted.is_some() {
            self.wanted = None;
            self.anchor = None;
        }
        let keep = wanted
            .or_else(|| self.anchor.take())
            .or_else(|| self.current().map(|f| f.file_code.clone()));
        // The file under the cursor, by index, when it is the one to keep (the usual case):
        // found again among the rows without comparing codes.
        let keep_index = self.view.get(self.cursor).copied().filter(|i| {
            keep.as_ref()
                .is_some_and(|code| self.files().get(*i).is_some_and(|f| &f.file_code == code))
        });
        let old = std::mem::take(&mut self.view);
        let files = self.files();
        let mut fuzzy = super::fuzzy::Fuzzy::new(&self.filter);
        let sort = self.sort;
        let order = |a: &usize, b: &usize| compare(&files[*a], &files[*b], sort);
        let mut rows: Vec<(&str, usize)> = files[from.unwrap_or(0)..]
            .iter()
            .zip(from.unwrap_or(0)..)
            .map(|(f, i)| (name_of(f), i))
            .filter(|(name, _)| fuzzy.as_mut().is_none_or(|m| m.matches(name)))
            .collect();
        // By name, the names at hand are compared without going back to each file.
        match sort.key {
            SortKey::Name if sort.descending => {
                rows.sort_by(|a, b| natural_cmp(a.0, b.0).reverse())
            }
            SortKey::Name => rows.sort_by(|a, b| natural_cmp(a.0, b.0)),
            _ => rows.sort_by(|a, b| order(&a.1, &b.1)),
        }
        let rows: Vec<usize> = rows.into_iter().map(|(_, i)| i).collect();
        let view = match from {
            None => rows,
            Some(_) => {
                // Each new row goes after the old rows that are not greater: ties keep the
                // order of the listing, as the stable sort does.
                let mut merged = Vec::with_capacity(old.len() + rows.len());
                let mut rest = old.as_slice();
                for row in rows {
                    let at = rest.partition_point(|o| order(o, &row).is_le());
                    merged.extend_from_slice(&rest[..at]);
                    merged.push(row);
                    rest = &rest[at..];
                }
                merged.extend_from_slice(rest);
                merged
            }
        };
        self.set_rows(view, keep_index, keep);
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.view.len().saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize + delta).clamp(0, last.max(0)) as usize;
    }

    /// The marked files of the shown folder, or else the file under the cursor. Every marked
    /// file counts, also those the filter hides: the shown ones in view order, then the hidden
    /// ones in listing order.
    pub fn targets(&self) -> Vec<FileInfo> {
        if self.marked.is_empty() {
            return self.current().cloned().into_iter().collect();
        }
        let shown: HashSet<usize> = self.view.iter().copied().collect();
        let files = self.files();
        let visible = self.view.iter().filter_map(|i| files.get(*i));
        let hidden = files
            .iter()
            .enumerate()
            .filter(|(i, _)| !shown.contains(i))
            .map(|(_, f)| f);
        visible
            .chain(hidden)
            .filter(|f| self.marked.contains(&f.file_code))
            .cloned()
            .collect()
    }

    /// How many marked files the filter hides.
    pub fn hidden_marks(&self) -> usize {
        if self.marked.is_empty() || self.filter.is_empty() {
            return 0;
        }
        let shown = self
            .view
            .iter()
            .filter_map(|i| self.files().get(*i))
            .filter(|f| self.marked.contains(&f.file_code))
            .count();
        self.marked.len().saturating_sub(shown)
    }

    /// `3 files`, or `3 files (2 hidden by the filter)`: what an action on the marks acts on.
    pub fn targets_label(&self, count: usize) -> String {
        let hidden = self.hidden_marks();
        let files = crate::format::plural(count, "file");
        if hidden == 0 {
            files
        } else {
            format!("{files} ({hidden} hidden by the filter)")
        }
    }

    pub fn toggle_mark(&mut self) {
        if let Some(code) = self.current().map(|f| f.file_code.clone())
            && !self.marked.remove(&code)
        {
            self.marked.insert(code);
        }
        self.move_by(1);
    }
}
