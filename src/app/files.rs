//! The file list of the highlighted folder: a cache of listings per folder, the cursor, the
//! marks, the filter and the sort order.

use std::collections::{HashMap, HashSet};

use crate::api::FileInfo;

/// The files of one folder, as far as they have arrived.
#[derive(Debug, Clone, Default)]
pub struct FolderFiles {
    pub files: Vec<FileInfo>,
    /// Every page arrived.
    pub complete: bool,
    pub loading: bool,
    pub error: Option<String>,
    /// The request the listing answers; an older answer is dropped.
    pub req: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Name,
    Size,
    Date,
    Downloads,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Sort {
    /// Every order the sort menu offers, in its order.
    pub const ALL: [Sort; 8] = [
        Sort {
            key: SortKey::Name,
            descending: false,
        },
        Sort {
            key: SortKey::Name,
            descending: true,
        },
        Sort {
            key: SortKey::Size,
            descending: true,
        },
        Sort {
            key: SortKey::Size,
            descending: false,
        },
        Sort {
            key: SortKey::Date,
            descending: true,
        },
        Sort {
            key: SortKey::Date,
            descending: false,
        },
        Sort {
            key: SortKey::Downloads,
            descending: true,
        },
        Sort {
            key: SortKey::Downloads,
            descending: false,
        },
    ];

    /// As the config file says it: `name`, `size-desc`, `date`, `downloads-desc`.
    pub fn config_name(self) -> String {
        let key = match self.key {
            SortKey::Name => "name",
            SortKey::Size => "size",
            SortKey::Date => "date",
            SortKey::Downloads => "downloads",
        };
        if self.descending {
            format!("{key}-desc")
        } else {
            key.to_string()
        }
    }

    pub fn from_config(text: &str) -> Option<Sort> {
        let text = text.trim().to_ascii_lowercase();
        let (key, descending) = match text.strip_suffix("-desc") {
            Some(key) => (key.to_string(), true),
            None => (
                text.strip_suffix("-asc").unwrap_or(&text).to_string(),
                false,
            ),
        };
        let key = match key.as_str() {
            "name" => SortKey::Name,
            "size" => SortKey::Size,
            "date" | "uploaded" => SortKey::Date,
            "downloads" => SortKey::Downloads,
            _ => return None,
        };
        Some(Sort { key, descending })
    }

    /// How the menu and the title read it: `size, largest first`.
    pub fn label(self) -> &'static str {
        match (self.key, self.descending) {
            (SortKey::Name, false) => "name, A to Z",
            (SortKey::Name, true) => "name, Z to A",
            (SortKey::Size, true) => "size, largest first",
            (SortKey::Size, false) => "size, smallest first",
            (SortKey::Date, true) => "upload date, newest first",
            (SortKey::Date, false) => "upload date, oldest first",
            (SortKey::Downloads, true) => "downloads, most first",
            (SortKey::Downloads, false) => "downloads, fewest first",
        }
    }
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
        let files = self.files();
        let mut fuzzy = super::fuzzy::Fuzzy::new(&self.filter);
        let mut view: Vec<usize> = files
            .iter()
            .enumerate()
            .filter(|(_, f)| fuzzy.as_mut().is_none_or(|m| m.matches(name_of(f))))
            .map(|(i, _)| i)
            .collect();
        let sort = self.sort;
        view.sort_by(|a, b| {
            let (fa, fb) = (&files[*a], &files[*b]);
            let order = match sort.key {
                SortKey::Name => natural_cmp(name_of(fa), name_of(fb)),
                SortKey::Size => fa.size.cmp(&fb.size),
                SortKey::Date => fa.uploaded.cmp(&fb.uploaded),
                SortKey::Downloads => fa.downloads.cmp(&fb.downloads),
            }
            .then_with(|| natural_cmp(name_of(fa), name_of(fb)));
            if sort.descending {
                order.reverse()
            } else {
                order
            }
        });
        self.view = view;
        self.cursor = keep
            .and_then(|code| {
                self.view
                    .iter()
                    .position(|i| self.files().get(*i).is_some_and(|f| f.file_code == code))
            })
            .unwrap_or(self.cursor)
            .min(self.view.len().saturating_sub(1));
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.view.len().saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize + delta).clamp(0, last.max(0)) as usize;
    }

    /// The marked files of the shown folder in view order, or else the file under the cursor.
    pub fn targets(&self) -> Vec<FileInfo> {
        if self.marked.is_empty() {
            return self.current().cloned().into_iter().collect();
        }
        self.view
            .iter()
            .filter_map(|i| self.files().get(*i))
            .filter(|f| self.marked.contains(&f.file_code))
            .cloned()
            .collect()
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

fn name_of(f: &FileInfo) -> &str {
    f.name.as_deref().unwrap_or(&f.file_code)
}

/// Compares names the way people count: `ep2` before `ep10`, case aside.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let mut ai = a.chars().peekable();
    let mut bi = b.chars().peekable();
    loop {
        match (ai.peek().copied(), bi.peek().copied()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let take = |it: &mut std::iter::Peekable<std::str::Chars>| {
                    let mut s = String::new();
                    while let Some(c) = it.peek().copied().filter(char::is_ascii_digit) {
                        s.push(c);
                        it.next();
                    }
                    s
                };
                let (na, nb) = (take(&mut ai), take(&mut bi));
                let (ta, tb) = (na.trim_start_matches('0'), nb.trim_start_matches('0'));
                let order = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb));
                if order != std::cmp::Ordering::Equal {
                    return order;
                }
            }
            (Some(x), Some(y)) => {
                let order = x.to_lowercase().cmp(y.to_lowercase());
                if order != std::cmp::Ordering::Equal {
                    return order;
                }
                ai.next();
                bi.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_names_round_trip() {
        for sort in Sort::ALL {
            assert_eq!(Sort::from_config(&sort.config_name()), Some(sort));
        }
        assert_eq!(Sort::from_config("bogus"), None);
    }

    #[test]
    fn natural_order() {
        let mut names = vec!["Ep 10.mp4", "ep 2.mp4", "Ep 1.mp4", "a.mp4"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["a.mp4", "Ep 1.mp4", "ep 2.mp4", "Ep 10.mp4"]);
    }
}
