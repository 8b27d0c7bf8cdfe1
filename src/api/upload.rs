//! Uploads: a fresh upload server per file, the file streamed from disk in chunks, progress
//! reported as bytes go out, and the reply read in any of the three shapes servers send.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::multipart::{Form, Part};
use tokio::time::Instant;
use tokio_util::io::ReaderStream;
use url::Url;

use super::client::Client;
use super::error::{ApiError, clean_message, excerpt, from_reqwest, host_of};
use super::types::{UploadReply, UploadedFile};

/// Bytes read from disk and handed to the connection at a time.
const CHUNK: usize = 256 * 1024;

/// Checks that `path` can be uploaded: it exists, is a readable regular file, is not empty and
/// is at most `max_bytes` long. Returns its size.
pub fn check_local_file(path: &Path, max_bytes: Option<u64>) -> Result<u64, ApiError> {
    let refuse = |reason: String| ApiError::LocalFile {
        path: path.display().to_string(),
        reason,
    };
    let meta = std::fs::metadata(path).map_err(|e| {
        refuse(match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".into(),
            std::io::ErrorKind::PermissionDenied => "permission denied".into(),
            _ => format!("cannot be read ({e})"),
        })
    })?;
    if meta.is_dir() {
        return Err(refuse("is a directory, not a file".into()));
    }
    if !meta.is_file() {
        return Err(refuse("is not a regular file".into()));
    }
    if meta.len() == 0 {
        return Err(refuse("is empty".into()));
    }
    if let Some(max) = max_bytes.filter(|max| meta.len() > *max) {
        return Err(refuse(format!(
            "is {}, larger than the limit of {}",
            crate::format::size(meta.len()),
            crate::format::size(max)
        )));
    }
    std::fs::File::open(path).map_err(|e| {
        refuse(match e.kind() {
            std::io::ErrorKind::PermissionDenied => "permission denied".into(),
            _ => format!("cannot be read ({e})"),
        })
    })?;
    Ok(meta.len())
}

/// The MIME type sent with a file, by its extension.
fn mime_for(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "mp4" | "m4v" => "video/mp4",
        "mkv" => "video/x-matroska",
        "webm" => "video/webm",
        "mov" => "video/quicktime",
        "avi" => "video/x-msvideo",
        "flv" => "video/x-flv",
        "wmv" => "video/x-ms-wmv",
        "ts" => "video/mp2t",
        "mpg" | "mpeg" => "video/mpeg",
        "3gp" => "video/3gpp",
        "ogv" => "video/ogg",
        _ => "application/octet-stream",
    }
}

/// A warning for a file that does not look like a video (the service takes videos); `None`
/// for one that does. The file is still sent: the server decides.
pub fn video_warning(path: &Path) -> Option<String> {
    (!mime_for(path).starts_with("video/")).then(|| {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        format!("{name} does not look like a video; mp4upload may refuse it")
    })
}

impl Client {
    /// Uploads one file, then moves it into folder `fld_id` when one is given.
    ///
    /// `progress` is called with the number of bytes sent so far, as they go out. Dropping the
    /// returned future cancels the upload and closes the connection.
    pub async fn upload<P>(
        &self,
        path: &Path,
        fld_id: Option<u64>,
        progress: P,
    ) -> Result<UploadedFile, ApiError>
    where
        P: Fn(u64) + Send + Sync + 'static,
    {
        self.upload_observed(path, fld_id, progress, |_| {}).await
    }

    /// [`Client::upload`], also telling `on_server` where the file goes before it is sent (so
    /// that a caller can say when that is a plain `http://` server).
    pub async fn upload_observed<P, S>(
        &self,
        path: &Path,
        fld_id: Option<u64>,
        progress: P,
        on_server: S,
    ) -> Result<UploadedFile, ApiError>
    where
        P: Fn(u64) + Send + Sync + 'static,
        S: FnOnce(&url::Url),
    {
        let size = check_local_file(path, None)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "upload".into());
        let server = self.upload_server().await?;
        let mut url = Url::parse(&server.url).map_err(|_| ApiError::UnexpectedReply {
            call: "upload/server",
            excerpt: excerpt(server.url.as_bytes(), self.key_text()),
        })?;
        url.query_pairs_mut()
            .append_pair("upload_type", "file")
            .append_pair("utype", "reg");
        let host = host_of(&url);
        on_server(&url);
        let asked_at = Instant::now();
        // Live servers send a session; where there is none, the key stands in for it.
        let sess_id = server
            .sess_id
            .clone()
            .unwrap_or_else(|| self.key_text().to_string());

        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| ApiError::LocalFile {
                path: path.display().to_string(),
                reason: format!("cannot be read ({e})"),
            })?;
        let started = Instant::now();
        let last_progress_ms = Arc::new(AtomicU64::new(0));
        let sent = Arc::new(AtomicU64::new(0));
        let stream = {
            let last_progress_ms = Arc::clone(&last_progress_ms);
            let sent = Arc::clone(&sent);
            ReaderStream::with_capacity(file, CHUNK).map(move |chunk| {
                if let Ok(bytes) = &chunk {
                    let total =
                        sent.fetch_add(bytes.len() as u64, Ordering::Relaxed) + bytes.len() as u64;
                    last_progress_ms.store(started.elapsed().as_millis() as u64, Ordering::Relaxed);
                    progress(total);
                }
                chunk
            })
        };
        let part = Part::stream_with_length(reqwest::Body::wrap_stream(stream), size)
            .file_name(name.clone())
            .mime_str(mime_for(path))
            .map_err(|e| ApiError::InvalidInput(e.to_string()))?;
        let form = Form::new()
            .text("sess_id", sess_id)
            .text("utype", "reg")
            .part("file_0", part);

        let key = self.key_text();
        let request = async {
            let response = self
                .http
                .post(url)
                .multipart(form)
                .send()
                .await
                .map_err(|e| from_reqwest(&e, &host, key))?;
            let status = response.status().as_u16();
            let body = response
                .bytes()
                .await
                .map_err(|e| from_reqwest(&e, &host, key))?;
            Ok::<_, ApiError>((status, body))
        };
        let stall = self.upload_stall;
        let watchdog = async {
            loop {
                tokio::time::sleep(Duration::from_millis(250).min(stall)).await;
                let last = Duration::from_millis(last_progress_ms.load(Ordering::Relaxed));
                if started.elapsed().saturating_sub(last) >= stall {
                    return ApiError::UploadStalled {
                        secs: stall.as_secs().max(1),
                    };
                }
            }
        };
        let outcome = tokio::select! {
            reply = request => reply,
            stalled = watchdog => Err(stalled),
        };
        let (status, body) = match outcome {
            Ok(reply) => reply,
            // Every byte went out and only the answer was lost: the file may well be on the
            // account. Look before calling it failed; retrying would make a duplicate.
            Err(error) if sent.load(Ordering::Relaxed) >= size && lost_reply(&error) => {
                return match self
                    .find_arrived(&name, size, server.server_time.as_deref(), asked_at)
                    .await
                {
                    Some(code) => {
                        tracing::info!(%error, "the reply was lost, but the file arrived");
                        self.finish_upload(code, name, size, fld_id, true).await
                    }
                    None => Err(error),
                };
            }
            Err(error) => return Err(error),
        };

        let reply = match UploadReply::parse(&String::from_utf8_lossy(&body)) {
            Some(reply) => reply,
            // An API-style error envelope, a proxy page, or garbage.
            None => {
                return Err(super::envelope::decode(status, &body, key)
                    .err()
                    .unwrap_or_else(|| ApiError::InvalidJson {
                        excerpt: excerpt(&body, key),
                    }));
            }
        };
        if reply.refused() {
            let reason = clean_message(&reply.file_status, key);
            return Err(ApiError::UploadRefused {
                reason: if reason.is_empty() {
                    "no reason given".into()
                } else {
                    reason
                },
            });
        }
        let file_code = reply.file_code.trim().to_string();
        self.finish_upload(file_code, name, size, fld_id, false)
            .await
    }

    /// Moves a new file into its folder, when one was asked for.
    async fn finish_upload(
        &self,
        file_code: String,
        name: String,
        size: u64,
        fld_id: Option<u64>,
        recovered: bool,
    ) -> Result<UploadedFile, ApiError> {
        let folder_error = match fld_id {
            Some(id) => self
                .file_set_folder(std::slice::from_ref(&file_code), id)
                .await
                .err()
                .map(|e| e.to_string()),
            None => None,
        };
        Ok(UploadedFile {
            url: self.file_link(&file_code),
            file_code,
            name,
            size,
            fld_id: fld_id.filter(|_| folder_error.is_none()),
            folder_error,
            recovered,
        })
    }

    /// A file of this name and size uploaded since `since` (the server's clock), or within the
    /// minutes since `asked_at` where the server sent no time.
    async fn find_arrived(
        &self,
        name: &str,
        size: u64,
        since: Option<&str>,
        asked_at: Instant,
    ) -> Option<String> {
        // "Uploaded after" is strict, and the upload may finish within the second the server
        // named: ask from a little before.
        let created = since
            .and_then(seconds_before)
            .unwrap_or_else(|| (asked_at.elapsed().as_secs() / 60 + 2).to_string());
        // No longer than the patience an upload has for a silent server.
        let list = tokio::time::timeout(
            self.upload_stall.min(Duration::from_secs(30)),
            self.file_list(&super::FileListQuery {
                created: Some(created),
                name: Some(name.to_string()),
                per_page: Some(100),
                ..Default::default()
            }),
        )
        .await
        .ok()?
        .ok()?;
        list.files
            .into_iter()
            .filter(|f| f.name.as_deref() == Some(name) && f.size == Some(size))
            .max_by(|a, b| a.uploaded.cmp(&b.uploaded))
            .map(|f| f.file_code)
    }
}

/// A server timestamp `YYYY-MM-DD HH:MM:SS`, five seconds earlier.
fn seconds_before(stamp: &str) -> Option<String> {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let at = time::PrimitiveDateTime::parse(stamp.trim(), format).ok()?;
    (at - time::Duration::seconds(5)).format(format).ok()
}

/// Errors after which a complete upload may still have arrived.
fn lost_reply(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Transport { .. } | ApiError::UploadStalled { .. } | ApiError::Http { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn videos_by_extension_with_one_list() {
        for name in ["a.mp4", "b.MKV", "c.webm", "d.ogv", "e.3gp"] {
            assert_eq!(video_warning(Path::new(name)), None, "{name}");
            assert!(mime_for(Path::new(name)).starts_with("video/"), "{name}");
        }
        assert_eq!(
            video_warning(Path::new("/x/notes.txt")).as_deref(),
            Some("notes.txt does not look like a video; mp4upload may refuse it")
        );
        assert!(video_warning(Path::new("noext")).is_some());
    }
}
