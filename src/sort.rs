//! The orders of a file list: by name, size, upload date or downloads, each either way, as
//! the sort menu offers them and the config file names them (`sort = "size-desc"`).

use crate::api::FileInfo;
use crate::format::natural_cmp;

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

/// A file's name as the list shows it (its code when it has none).
pub fn name_of(f: &FileInfo) -> &str {
    f.name.as_deref().unwrap_or(&f.file_code)
}

/// The order of two files in the rows: by the sort's key, then by name.
pub fn compare(a: &FileInfo, b: &FileInfo, sort: Sort) -> std::cmp::Ordering {
    let order = match sort.key {
        SortKey::Name => natural_cmp(name_of(a), name_of(b)),
        SortKey::Size => a.size.cmp(&b.size),
        SortKey::Date => a.uploaded.cmp(&b.uploaded),
        SortKey::Downloads => a.downloads.cmp(&b.downloads),
    };
    let order = match sort.key {
        SortKey::Name => order,
        _ => order.then_with(|| natural_cmp(name_of(a), name_of(b))),
    };
    if sort.descending {
        order.reverse()
    } else {
        order
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
}
