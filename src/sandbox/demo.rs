//! The demo library: folders, files and a deletion history, compiled in from
//! `assets/demo-library.json` (made by `assets/gen-demo-library.py`).

use serde::Deserialize;

const DEMO_JSON: &str = include_str!("../../assets/demo-library.json");

#[derive(Debug, Default, Deserialize)]
pub struct DemoLibrary {
    pub folders: Vec<DemoFolder>,
    pub files: Vec<DemoFile>,
    pub deleted: Vec<DemoDeleted>,
}

#[derive(Debug, Deserialize)]
pub struct DemoFolder {
    pub id: u64,
    pub parent: u64,
    pub name: String,
}

/// A file; `age` is how many seconds before the sandbox started it was uploaded.
#[derive(Debug, Deserialize)]
pub struct DemoFile {
    pub code: String,
    pub name: String,
    pub size: u64,
    pub downloads: u64,
    pub fld: u64,
    pub age: i64,
    pub public: bool,
}

/// A deleted file; `age` is how many seconds before the sandbox started it was deleted.
#[derive(Debug, Deserialize)]
pub struct DemoDeleted {
    pub code: String,
    pub name: String,
    pub age: i64,
}

/// The compiled-in demo library (empty if it does not parse, which a test rules out).
pub fn library() -> DemoLibrary {
    serde_json::from_str(DEMO_JSON).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn demo_library_is_sound() {
        let lib: DemoLibrary = serde_json::from_str(DEMO_JSON).expect("demo library parses");
        assert!(
            (300..=400).contains(&lib.files.len()),
            "{}",
            lib.files.len()
        );
        let ids: HashSet<u64> = lib.folders.iter().map(|f| f.id).collect();
        assert_eq!(ids.len(), lib.folders.len(), "folder ids unique");
        assert!(!ids.contains(&0));
        for f in &lib.folders {
            assert!(
                f.parent == 0 || ids.contains(&f.parent),
                "parent of {}",
                f.name
            );
        }
        let mut codes = HashSet::new();
        for f in &lib.files {
            assert!(f.fld == 0 || ids.contains(&f.fld), "folder of {}", f.name);
            assert_eq!(f.code.len(), 12);
            assert!(
                f.code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            );
            assert!(codes.insert(f.code.clone()), "duplicate code {}", f.code);
        }
        for d in &lib.deleted {
            assert!(codes.insert(d.code.clone()), "duplicate code {}", d.code);
        }
        assert!(lib.files.iter().any(|f| f.fld == 0));
        assert!(lib.files.iter().any(|f| !f.public));
    }
}
