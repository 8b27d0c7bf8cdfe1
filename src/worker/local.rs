//! Local jobs: the clipboard, the browser, directory listings, the checks before an upload,
//! exports and the config file. None of them calls the API.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::app::popups::picker::CheckedFile;
use crate::app::popups::picker::LocalEntry;
use crate::app::{Command, Outcome};
use crate::config::ConfigFile;

/// Runs one local job; its outcome, if it has one to tell.
pub(super) async fn run(command: Command, config_path: &Path) -> Option<Outcome> {
    match command {
        Command::Copy(text) => {
            copy_to_system_clipboard(text).await;
            None
        }
        Command::OpenUrl(url) => {
            let result = tokio::task::spawn_blocking(move || open::that_detached(&url)).await;
            match result {
                Ok(Ok(())) => None,
                Ok(Err(e)) => Some(Outcome::LocalError(format!(
                    "Could not open a browser: {e}"
                ))),
                Err(_) => None,
            }
        }
        Command::Export {
            dir,
            prefix,
            extension,
            contents,
        } => {
            let result =
                tokio::task::spawn_blocking(move || export(&dir, &prefix, extension, &contents))
                    .await
                    .unwrap_or_else(|_| Err("the export failed".into()));
            Some(Outcome::Exported { result })
        }
        Command::Remember { key, value } => {
            let path = config_path.to_path_buf();
            let saved =
                tokio::task::spawn_blocking(move || ConfigFile::set(&path, key, value)).await;
            match saved {
                Ok(Ok(())) => None,
                Ok(Err(e)) => Some(Outcome::LocalError(format!(
                    "The choice was not remembered ({key}): {e}"
                ))),
                Err(_) => None,
            }
        }
        Command::ReadDir { path } => {
            let listed = path.clone();
            let result = tokio::task::spawn_blocking(move || read_dir(&path))
                .await
                .unwrap_or_else(|_| Err("could not read the directory".into()));
            Some(Outcome::DirListed {
                path: listed,
                result,
            })
        }
        Command::CheckUploads { paths, max_bytes } => {
            let (accepted, refused) =
                tokio::task::spawn_blocking(move || check_uploads(&paths, max_bytes))
                    .await
                    .unwrap_or_default();
            Some(Outcome::UploadsChecked { accepted, refused })
        }
        _ => Some(Outcome::LocalError("internal: not a local job".into())),
    }
}

/// Puts text on the system clipboard where a clipboard program exists (the terminal gets it
/// through OSC 52 as well, which also works over ssh).
async fn copy_to_system_clipboard(text: String) {
    const PROGRAMS: &[(&str, &[&str])] = &[
        ("wl-copy", &[]),
        ("xclip", &["-selection", "clipboard"]),
        ("xsel", &["--clipboard", "--input"]),
        ("pbcopy", &[]),
    ];
    let has_display =
        std::env::var_os("WAYLAND_DISPLAY").is_some() || std::env::var_os("DISPLAY").is_some();
    for (program, args) in PROGRAMS {
        if *program != "pbcopy" && !has_display {
            continue;
        }
        let child = tokio::process::Command::new(program)
            .args(*args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        let Ok(mut child) = child else {
            continue;
        };
        if let Some(mut stdin) = child.stdin.take() {
            use tokio::io::AsyncWriteExt;
            let _ = stdin.write_all(text.as_bytes()).await;
        }
        let _ = tokio::time::timeout(Duration::from_secs(2), child.wait()).await;
        return;
    }
}

/// Writes `contents` to a new file `<dir>/<prefix>-<UTC time>.txt`; its path.
fn export(dir: &Path, prefix: &str, extension: &str, contents: &str) -> Result<PathBuf, String> {
    let now = time::OffsetDateTime::now_utc();
    let stamp = format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    for n in 0..100 {
        let name = if n == 0 {
            format!("{prefix}-{stamp}.{extension}")
        } else {
            format!("{prefix}-{stamp}-{n}.{extension}")
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                use std::io::Write;
                file.write_all(contents.as_bytes())
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("{}: {}", dir.display(), io_reason(&e))),
        }
    }
    Err(format!("{}: too many exports this second", dir.display()))
}

/// `~` and `~/…` name the home directory.
fn expand_home(path: &str) -> PathBuf {
    if (path == "~" || path.starts_with("~/"))
        && let Some(home) = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf())
    {
        return home.join(path.trim_start_matches('~').trim_start_matches('/'));
    }
    PathBuf::from(path)
}

/// The entries of a local directory: directories first, then files, each in natural order.
fn read_dir(path: &str) -> Result<Vec<LocalEntry>, String> {
    let dir = expand_home(path);
    let read = std::fs::read_dir(&dir).map_err(|e| format!("{path}: {}", io_reason(&e)))?;
    let mut entries: Vec<LocalEntry> = read
        .filter_map(Result::ok)
        .map(|entry| {
            let meta = std::fs::metadata(entry.path()).ok();
            LocalEntry {
                // A name that is not UTF-8 shows with replacement characters; the real path
                // keeps its bytes.
                name: entry.file_name().to_string_lossy().into_owned(),
                path: Some(entry.path()),
                is_dir: meta.as_ref().is_some_and(|m| m.is_dir()),
                size: meta.filter(|m| m.is_file()).map(|m| m.len()),
            }
        })
        .collect();
    entries.sort_by(|a, b| {
        b.is_dir
            .cmp(&a.is_dir)
            .then_with(|| crate::format::natural_cmp(&a.name, &b.name))
    });
    Ok(entries)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// The checks before anything is sent: each file exists, is readable, is a file, is not empty
/// and is not over the limit. A file that does not look like a video is accepted with a warning.
fn check_uploads(paths: &[PathBuf], max_bytes: u64) -> (Vec<CheckedFile>, Vec<(PathBuf, String)>) {
    let mut accepted = Vec::new();
    let mut refused = Vec::new();
    for path in paths {
        // Only a leading `~` is read as text: any other path keeps its bytes (a name that is
        // not UTF-8 still uploads).
        let path = if path.starts_with("~") {
            expand_home(&path.to_string_lossy())
        } else {
            path.clone()
        };
        match crate::api::check_local_file(&path, Some(max_bytes)) {
            Ok(size) => accepted.push(CheckedFile {
                warning: crate::api::video_warning(&path),
                path,
                size,
            }),
            Err(crate::api::ApiError::LocalFile { reason, .. }) => refused.push((path, reason)),
            Err(e) => refused.push((path, e.to_string())),
        }
    }
    (accepted, refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_list_and_pass_the_checks() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let name = std::ffi::OsStr::from_bytes(b"clip-\xff\xfe.mp4");
        std::fs::write(dir.path().join(name), b"video").unwrap();
        std::fs::write(
            dir.path()
                .join("\u{1F3AC} \u{5E9}\u{5DC}\u{5D5}\u{5DD}.mp4"),
            b"v",
        )
        .unwrap();
        let entries = read_dir(&format!("{}/", dir.path().display())).unwrap();
        let odd = entries
            .iter()
            .find(|e| e.name.starts_with("clip-"))
            .unwrap();
        assert!(
            odd.name.contains('\u{FFFD}'),
            "shown with replacement characters"
        );
        let path = odd.path.clone().unwrap();
        assert_eq!(path.file_name(), Some(name), "the real bytes are kept");
        let (accepted, refused) = check_uploads(&[path], 1_000);
        assert!(refused.is_empty(), "{refused:?}");
        assert_eq!(accepted[0].size, 5);
    }

    #[test]
    fn exports_never_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let a = export(dir.path(), "mp4u-links", "txt", "one\n").unwrap();
        let b = export(dir.path(), "mp4u-links", "txt", "two\n").unwrap();
        assert_ne!(a, b);
        assert_eq!(std::fs::read_to_string(a).unwrap(), "one\n");
        assert_eq!(std::fs::read_to_string(b).unwrap(), "two\n");
    }
}
