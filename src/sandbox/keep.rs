//! An account kept between runs (the demo's): one JSON file, written whole beside the old one
//! and renamed over it after every change, so that a kill at any moment leaves the last change
//! or the one before, never half of one.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// What was found at the path: nothing yet, the account, or a file that could not be read
/// (moved aside to the path it names, so that the account starts afresh and the file is kept
/// for a look).
pub enum Loaded<T> {
    Nothing,
    Account(Box<T>),
    SetAside(PathBuf),
}

/// Reads the account; `valid` says whether what was read is one this program can use.
pub fn load<T: DeserializeOwned>(path: &Path, valid: impl Fn(&T) -> bool) -> Loaded<T> {
    let Ok(bytes) = std::fs::read(path) else {
        return Loaded::Nothing;
    };
    match serde_json::from_slice::<T>(&bytes) {
        Ok(kept) if valid(&kept) => Loaded::Account(Box::new(kept)),
        _ => {
            let aside = path.with_extension("json.damaged");
            let _ = std::fs::rename(path, &aside);
            Loaded::SetAside(aside)
        }
    }
}

/// Writes the account: a temporary file beside the path, then renamed over it.
pub fn save<T: Serialize>(path: &Path, kept: &T) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(
        &tmp,
        serde_json::to_vec(kept).map_err(std::io::Error::other)?,
    )?;
    std::fs::rename(&tmp, path)
}
