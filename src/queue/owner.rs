//! Who works on an entry: every open queue registers a token and holds a lock on
//! `owners/<token>.lock` while it is open. An entry whose owner's lock can be taken belongs to a
//! process that is gone (however it ended: the system drops a dead process's locks).

use std::fs::File;
use std::path::{Path, PathBuf};

const OWNERS: &str = "owners";

pub struct Owner {
    /// `<pid>-<random>`: the process id for people, the random part so that a reused process
    /// id never passes for the old process.
    pub token: String,
    /// The lock file, held while this queue is open (none for a queue in memory).
    held: Option<(PathBuf, File)>,
}

fn new_token() -> String {
    format!("{}-{:016x}", std::process::id(), fastrand::u64(..))
}

/// The process id a token names.
pub fn pid_of(token: &str) -> Option<u32> {
    token.split_once('-')?.0.parse().ok()
}

/// A token is a file name: letters, digits and `-` only (a token from a damaged or edited file
/// is never used as a path).
fn well_formed(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= 64
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl Owner {
    /// Registers a new owner in `dir` and takes its lock.
    pub fn register(dir: &Path) -> std::io::Result<Owner> {
        let owners = dir.join(OWNERS);
        std::fs::create_dir_all(&owners)?;
        sweep(&owners);
        let token = new_token();
        // Locked under another name first, then renamed: a sweep never finds it unlocked.
        let fresh = owners.join(format!("{token}.new"));
        let path = owners.join(format!("{token}.lock"));
        let file = File::create(&fresh)?;
        #[cfg(unix)]
        super::store::flock(&file, libc::LOCK_EX | libc::LOCK_NB)?;
        std::fs::rename(&fresh, &path)?;
        Ok(Owner {
            token,
            held: Some((path, file)),
        })
    }

    /// An owner for a queue in memory: nothing on disk.
    pub fn memory() -> Owner {
        Owner {
            token: new_token(),
            held: None,
        }
    }

    /// Whether the process that holds `token` still runs. This owner is alive; an owner whose
    /// lock can be taken is not (its lock file is removed then); when it cannot be told, alive
    /// (its entries are left alone rather than sent twice).
    pub fn alive(&self, dir: Option<&Path>, token: &str) -> bool {
        if token == self.token {
            return true;
        }
        let Some(dir) = dir else {
            return false;
        };
        if !well_formed(token) {
            return false;
        }
        let path = dir.join(OWNERS).join(format!("{token}.lock"));
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return false,
            Err(_) => return true,
        };
        #[cfg(unix)]
        {
            match super::store::flock(&file, libc::LOCK_EX | libc::LOCK_NB) {
                Ok(()) => {
                    // Ours now, so its process is gone: tidy up.
                    let _ = std::fs::remove_file(&path);
                    false
                }
                Err(_) => true,
            }
        }
        #[cfg(not(unix))]
        {
            // No flock: only the file's existence tells, and a crash leaves it. Entries of a
            // crashed process are taken over after a day.
            drop(file);
            std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_none_or(|age| age.as_secs() < super::DONE_KEEP_SECS)
        }
    }
}

/// Removes the lock files of owners that are gone and that no entry may name any more (a
/// crashed process leaves its file; the lock on it went with the process). A few at a time.
fn sweep(owners: &Path) {
    #[cfg(unix)]
    {
        let Ok(reader) = std::fs::read_dir(owners) else {
            return;
        };
        for item in reader.flatten().take(64) {
            let path = item.path();
            if path.extension().is_none_or(|e| e != "lock") {
                continue;
            }
            let Ok(file) = File::open(&path) else {
                continue;
            };
            if super::store::flock(&file, libc::LOCK_EX | libc::LOCK_NB).is_ok() {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = owners;
}

impl Drop for Owner {
    fn drop(&mut self) {
        if let Some((path, _file)) = self.held.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}
