//! The queue file on disk: read and written under a lock, written atomically (a temporary file,
//! flushed, renamed over the old one), and set aside when it cannot be read.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::{Entry, QueueError};

/// The format written; a file with a larger number is refused, never overwritten.
pub const VERSION: u32 = 1;
pub const FILE: &str = "queue.json";
const LOCK: &str = "queue.lock";

/// What the queue file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Data {
    #[serde(default)]
    pub version: u32,
    #[serde(default)]
    pub next_id: u64,
    #[serde(default)]
    pub entries: Vec<Entry>,
}

impl Data {
    /// A fresh id, above every id in the file.
    pub fn next_id(&mut self) -> u64 {
        let above = self.entries.iter().map(|e| e.id + 1).max().unwrap_or(1);
        let id = self.next_id.max(above).max(1);
        self.next_id = id + 1;
        id
    }
}

pub enum Store {
    Disk { dir: PathBuf },
    Memory(Mutex<Data>),
}

pub fn io_error(path: &Path, e: &io::Error) -> QueueError {
    QueueError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

impl Store {
    pub fn open(dir: &Path) -> Result<Store, QueueError> {
        create_private_dir(dir).map_err(|e| io_error(dir, &e))?;
        Ok(Store::Disk {
            dir: dir.to_path_buf(),
        })
    }

    pub fn memory() -> Store {
        Store::Memory(Mutex::new(Data::default()))
    }

    pub fn dir(&self) -> Option<&Path> {
        match self {
            Store::Disk { dir } => Some(dir),
            Store::Memory(_) => None,
        }
    }

    pub fn file(&self) -> Option<PathBuf> {
        self.dir().map(|d| d.join(FILE))
    }

    /// Reads the queue under the lock, lets `change` work on it, and writes it back when it
    /// changed. Notices (a damaged file set aside) go to `notices`.
    pub fn transact<R>(
        &self,
        notices: &mut Vec<String>,
        change: impl FnOnce(&mut Data) -> R,
    ) -> Result<R, QueueError> {
        match self {
            Store::Memory(data) => {
                let mut data = data.lock().unwrap_or_else(|e| e.into_inner());
                Ok(change(&mut data))
            }
            Store::Disk { dir } => {
                let _lock = FileLock::acquire(&dir.join(LOCK)).map_err(|e| io_error(dir, &e))?;
                let path = dir.join(FILE);
                let mut data = load(&path, notices)?;
                let before = data.clone();
                let result = change(&mut data);
                if data != before {
                    data.version = VERSION;
                    save(&path, &data).map_err(|e| io_error(&path, &e))?;
                }
                Ok(result)
            }
        }
    }
}

/// The queue in `path`: empty when there is none; set aside (and empty) when it cannot be read.
pub fn load(path: &Path, notices: &mut Vec<String>) -> Result<Data, QueueError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Data::default()),
        Err(e) => return Err(io_error(path, &e)),
    };
    let why = match serde_json::from_slice::<Data>(&bytes) {
        Ok(data) if data.version > VERSION => {
            return Err(QueueError::Newer {
                path: path.display().to_string(),
                version: data.version,
            });
        }
        Ok(data) => return Ok(data),
        Err(e) => e.to_string(),
    };
    let aside = aside_name(path);
    fs::rename(path, &aside).map_err(|e| io_error(path, &e))?;
    notices.push(format!(
        "the upload queue {} could not be read ({why}); it was set aside as {} and the queue \
         starts empty",
        path.display(),
        aside.display()
    ));
    Ok(Data::default())
}

/// `queue.json.damaged-<unix time>`, with a counter when that is taken.
fn aside_name(path: &Path) -> PathBuf {
    let stamp = crate::api::unix_now();
    let base = format!("{}.damaged-{stamp}", path.display());
    let mut candidate = PathBuf::from(&base);
    let mut n = 1;
    while candidate.exists() {
        candidate = PathBuf::from(format!("{base}-{n}"));
        n += 1;
    }
    candidate
}

/// Writes `data` to `path` atomically: a temporary file beside it, flushed to disk, renamed
/// over it, and the directory flushed so that the rename itself survives a crash.
pub fn save(path: &Path, data: &Data) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{FILE}.tmp-{}", std::process::id()));
    let text = serde_json::to_vec_pretty(data).map_err(io::Error::other)?;
    let written = (|| {
        let mut file = private_file(&tmp)?;
        file.write_all(&text)?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written?;
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// A new file (truncated if there), readable by its owner only.
fn private_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// An exclusive lock on a file, held until dropped. On unix, `flock`: the system releases it
/// when the process dies, however it dies.
pub struct FileLock {
    #[cfg(unix)]
    _file: File,
    #[cfg(not(unix))]
    path: PathBuf,
}

impl FileLock {
    /// Waits for the lock (held only for a read-change-write, so never long).
    pub fn acquire(path: &Path) -> io::Result<FileLock> {
        #[cfg(unix)]
        {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)?;
            flock(&file, libc::LOCK_EX)?;
            Ok(FileLock { _file: file })
        }
        #[cfg(not(unix))]
        {
            // Without flock: a lock file made with create_new; one older than 30 s is stale.
            let started = std::time::Instant::now();
            loop {
                match OpenOptions::new().write(true).create_new(true).open(path) {
                    Ok(_) => return Ok(FileLock { path: path.into() }),
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                        let stale = fs::metadata(path)
                            .and_then(|m| m.modified())
                            .ok()
                            .and_then(|t| t.elapsed().ok())
                            .is_some_and(|age| age.as_secs() > 30);
                        if stale || started.elapsed().as_secs() > 30 {
                            let _ = fs::remove_file(path);
                        }
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                    Err(e) => return Err(e),
                }
            }
        }
    }
}

#[cfg(not(unix))]
impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// `flock(2)` on a file, retried when a signal interrupts the wait.
#[cfg(unix)]
pub fn flock(file: &File, operation: libc::c_int) -> io::Result<()> {
    use std::os::unix::io::AsRawFd;
    loop {
        // SAFETY: flock only reads the descriptor, which `file` keeps open.
        if unsafe { libc::flock(file.as_raw_fd(), operation) } == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}
