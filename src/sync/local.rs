//! The local side of a sync: the tree under a directory, read once, with everything that cannot
//! be uploaded named and left out (never fatal).
//!
//! - Symbolic links are followed (to files and to directories), except a link back into a
//!   directory it sits in (a loop), which is named and not followed.
//! - Names are those the file manager would send ([`clean_name`]): a directory named
//!   `" Season 1 "` is the folder `Season 1`; a name that cannot be one (control characters,
//!   over 255 characters, only spaces) is named and left out, with all it holds. Two entries
//!   of one directory that come to the same name once trimmed: the second is left out.
//! - Hidden entries (names starting with `.`) are left out and counted: `.DS_Store`,
//!   `._episode.mp4`, `.thumbnails/` are never what a sync means to upload.
//! - A file that cannot be uploaded (unreadable, empty, over the size limit, not a regular
//!   file, a broken link, a name that is not UTF-8) is named and left out.

use std::path::{Path, PathBuf};

use crate::api::{ApiError, check_local_file, clean_name};

/// A file to upload, as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    /// The file, absolute (through any symbolic links it was reached by).
    pub path: PathBuf,
    /// Its path within the synced directory, for messages: `Season 1/ep 01.mp4`.
    pub rel: String,
    /// Its name, as sent.
    pub name: String,
    pub size: u64,
    pub mtime: Option<u64>,
}

/// A directory of the tree, with what it holds that can be uploaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalDir {
    pub path: PathBuf,
    /// Its path within the synced directory (empty for the directory itself).
    pub rel: String,
    /// The folder name it becomes (trimmed; empty for the directory itself).
    pub name: String,
    pub files: Vec<LocalFile>,
    pub dirs: Vec<LocalDir>,
}

impl LocalDir {
    /// Whether anything in this tree is to upload (a folder is created only then).
    pub fn has_files(&self) -> bool {
        !self.files.is_empty() || self.dirs.iter().any(LocalDir::has_files)
    }

    /// How many files the tree holds.
    pub fn file_count(&self) -> usize {
        self.files.len() + self.dirs.iter().map(LocalDir::file_count).sum::<usize>()
    }
}

/// Something of the tree that is left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// Its path within the synced directory (the directory itself when empty).
    pub path: String,
    pub reason: String,
}

/// The tree, what was left out, and the hidden entries skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    pub root: LocalDir,
    pub problems: Vec<Problem>,
    /// Hidden entries left out (their paths within the directory).
    pub hidden: Vec<String>,
}

/// Reads the tree under `root`. An error only when `root` itself is not a readable directory.
/// `max_bytes`: the size limit of a file.
pub fn scan(root: &Path, max_bytes: Option<u64>) -> Result<Scan, String> {
    let shown = root.display();
    let meta = std::fs::metadata(root).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("{shown}: no such directory"),
        _ => format!("{shown}: cannot be read ({e})"),
    })?;
    if !meta.is_dir() {
        return Err(format!("{shown} is not a directory"));
    }
    let absolute = std::path::absolute(root).map_err(|e| format!("{shown}: {e}"))?;
    let canonical = std::fs::canonicalize(root).map_err(|e| format!("{shown}: {e}"))?;
    let mut scanner = Scanner {
        max_bytes,
        problems: Vec::new(),
        hidden: Vec::new(),
    };
    let mut ancestors = vec![canonical];
    let mut root_dir = LocalDir {
        path: absolute,
        ..LocalDir::default()
    };
    scanner.fill(&mut root_dir, &mut ancestors);
    Ok(Scan {
        root: root_dir,
        problems: scanner.problems,
        hidden: scanner.hidden,
    })
}

struct Scanner {
    max_bytes: Option<u64>,
    problems: Vec<Problem>,
    hidden: Vec<String>,
}

fn join(rel: &str, name: &str) -> String {
    if rel.is_empty() {
        name.to_string()
    } else {
        format!("{rel}/{name}")
    }
}

impl Scanner {
    fn problem(&mut self, path: String, reason: impl Into<String>) {
        self.problems.push(Problem {
            path,
            reason: reason.into(),
        });
    }

    /// Reads `dir.path` into `dir`; `ancestors` are the real paths of the directories it sits
    /// in (and its own), to tell a loop.
    fn fill(&mut self, dir: &mut LocalDir, ancestors: &mut Vec<PathBuf>) {
        let reader = match std::fs::read_dir(&dir.path) {
            Ok(reader) => reader,
            Err(e) => {
                self.problem(dir.rel.clone(), format!("cannot be read ({e})"));
                return;
            }
        };
        let mut children = Vec::new();
        for item in reader {
            match item {
                Ok(item) => children.push((item.file_name(), item.path())),
                Err(e) => self.problem(dir.rel.clone(), format!("cannot be read in full ({e})")),
            }
        }
        // In the order of the names they become (trimmed).
        children.sort_by(|a, b| {
            let (a, b) = (a.0.to_string_lossy(), b.0.to_string_lossy());
            crate::format::natural_cmp(a.trim(), b.trim()).then_with(|| a.cmp(&b))
        });
        for (name, path) in children {
            let Some(name) = name.to_str() else {
                let rel = join(&dir.rel, &name.to_string_lossy());
                self.problem(rel, "its name is not valid UTF-8");
                continue;
            };
            let rel = join(&dir.rel, name);
            if name.starts_with('.') {
                self.hidden.push(rel);
                continue;
            }
            let meta = match std::fs::metadata(&path) {
                Ok(meta) => meta,
                Err(e) => {
                    let link =
                        std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
                    if link {
                        self.problem(rel, "a broken symbolic link");
                    } else {
                        self.problem(rel, format!("cannot be read ({e})"));
                    }
                    continue;
                }
            };
            if meta.is_dir() {
                self.subdir(dir, name, rel, path, ancestors);
            } else if meta.is_file() {
                self.file(dir, name, rel, path, &meta);
            } else {
                self.problem(rel, "not a regular file or directory");
            }
        }
    }

    fn subdir(
        &mut self,
        dir: &mut LocalDir,
        name: &str,
        rel: String,
        path: PathBuf,
        ancestors: &mut Vec<PathBuf>,
    ) {
        let folder = match clean_name(name) {
            Ok(folder) => folder,
            Err(why) => {
                return self.problem(rel, format!("cannot be a folder name on mp4upload: {why}"));
            }
        };
        let real = match std::fs::canonicalize(&path) {
            Ok(real) => real,
            Err(e) => return self.problem(rel, format!("cannot be read ({e})")),
        };
        if ancestors.contains(&real) {
            return self.problem(
                rel,
                "a symbolic link to a directory it is in (a loop): not followed",
            );
        }
        if let Some(other) = dir.dirs.iter().find(|d| d.name == folder) {
            let other = other.rel.clone();
            return self.problem(
                rel,
                format!("the same folder name as {other:?} once trimmed: left out"),
            );
        }
        let mut sub = LocalDir {
            path,
            rel,
            name: folder,
            files: Vec::new(),
            dirs: Vec::new(),
        };
        ancestors.push(real);
        self.fill(&mut sub, ancestors);
        ancestors.pop();
        dir.dirs.push(sub);
    }

    fn file(
        &mut self,
        dir: &mut LocalDir,
        name: &str,
        rel: String,
        path: PathBuf,
        meta: &std::fs::Metadata,
    ) {
        if let Err(why) = clean_name(name) {
            return self.problem(rel, format!("cannot be a file name on mp4upload: {why}"));
        }
        if let Some(other) = dir.files.iter().find(|f| f.name.trim() == name.trim()) {
            let other = other.rel.clone();
            return self.problem(
                rel,
                format!("the same file name as {other:?} once trimmed: left out"),
            );
        }
        let size = match check_local_file(&path, self.max_bytes) {
            Ok(size) => size,
            Err(ApiError::LocalFile { reason, .. }) => return self.problem(rel, reason),
            Err(e) => return self.problem(rel, e.to_string()),
        };
        dir.files.push(LocalFile {
            path,
            rel,
            name: name.to_string(),
            size,
            mtime: crate::queue::mtime_of(meta),
        });
    }
}
