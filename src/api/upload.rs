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

use super::bandwidth::{self, Bandwidth};
use super::client::Client;
use super::error::{ApiError, LostUpload, clean_message, excerpt, from_reqwest, host_of};
use super::types::{FileInfo, Placement, UploadReply, UploadedFile};

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

/// Where an upload goes: the URL with its query, and the session sent with the file.
struct Target {
    url: Url,
    sess_id: String,
    /// The key stands in for a session (the server gave none): only ever over https.
    key_as_session: bool,
    /// The server's clock before the upload began.
    server_time: Option<String>,
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

    /// Limits every upload of this client (and of its clones) to the bandwidth's rate, all
    /// together. The same `Arc` given to several clients makes them share it.
    pub fn with_bandwidth(mut self, bandwidth: Arc<Bandwidth>) -> Client {
        self.bandwidth = Some(bandwidth);
        self
    }

    /// The limit the uploads share, when one was given.
    pub fn bandwidth(&self) -> Option<&Arc<Bandwidth>> {
        self.bandwidth.as_ref()
    }

    /// Asks for an upload server with a session. A server that gives none is asked once more;
    /// with still none, the API key may stand in for the session, but only over https: the
    /// https form of a plain `http://` URL is tried, and the key never goes to plain http.
    async fn upload_target(&self) -> Result<Target, ApiError> {
        let mut server = self.upload_server().await?;
        if server.sess_id.is_none() {
            tracing::info!("the upload server gave no session; asking once more");
            server = self.upload_server().await?;
        }
        let mut url = Url::parse(&server.url).map_err(|_| ApiError::UnexpectedReply {
            call: "upload/server",
            excerpt: excerpt(server.url.as_bytes(), self.key_text()),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ApiError::UnexpectedReply {
                call: "upload/server",
                excerpt: excerpt(server.url.as_bytes(), self.key_text()),
            });
        }
        url.query_pairs_mut()
            .append_pair("upload_type", "file")
            .append_pair("utype", "reg");
        let (sess_id, key_as_session) = match server.sess_id {
            Some(sess) => (sess, false),
            None => {
                if url.scheme() == "http" {
                    // Setting the scheme of an http URL to https cannot fail.
                    let _ = url.set_scheme("https");
                }
                (self.key_text().to_string(), true)
            }
        };
        Ok(Target {
            url,
            sess_id,
            key_as_session,
            server_time: server.server_time,
        })
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
        let asked_at = unix_now();
        let target = self.upload_target().await?;
        // Never the key over plain http (upload_target made it https already; said twice).
        if target.key_as_session && target.url.scheme() != "https" {
            return Err(no_session_error(None));
        }
        let url = target.url.clone();
        let host = host_of(&url);
        on_server(&url);

        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| ApiError::LocalFile {
                path: path.display().to_string(),
                reason: format!("cannot be read ({e})"),
            })?;
        let started = Instant::now();
        let last_progress_ms = Arc::new(AtomicU64::new(0));
        let sent = Arc::new(AtomicU64::new(0));
        let chunks = ReaderStream::with_capacity(file, CHUNK);
        // Unlimited, the chunks go as read; limited, in pieces the limit lets out in turn.
        let chunks = match &self.bandwidth {
            Some(bandwidth) => bandwidth::limited(chunks, Arc::clone(bandwidth)).left_stream(),
            None => chunks.right_stream(),
        };
        let stream = {
            let last_progress_ms = Arc::clone(&last_progress_ms);
            let sent = Arc::clone(&sent);
            chunks.map(move |chunk| {
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
            .text("sess_id", target.sess_id.clone())
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
            // The https form of a plain-http server, tried so that the key could stand in for
            // the missing session, cannot be reached: say why nothing was sent.
            Err(error @ ApiError::Transport { .. })
                if target.key_as_session && sent.load(Ordering::Relaxed) == 0 =>
            {
                return Err(no_session_error(Some(&error)));
            }
            // Every byte went out and only the answer was lost: the file may well be on the
            // account. Look before calling it failed; retrying would make a duplicate.
            Err(error) if sent.load(Ordering::Relaxed) >= size && lost_reply(&error) => {
                let lost = LostUpload {
                    name: name.clone(),
                    size,
                    since: target.server_time.clone(),
                    asked_at,
                };
                return match self.find_upload(&lost).await {
                    Ok(Some(found)) => {
                        tracing::info!(%error, "the reply was lost, but the file arrived");
                        let arrived = found.uploaded.map(|u| u.to_string());
                        self.finish_upload(found.file_code, name, size, fld_id, arrived, true)
                            .await
                    }
                    Ok(None) => Err(error),
                    Err(lookup) => Err(ApiError::UploadUnconfirmed {
                        reason: lookup.to_string(),
                        lookup: Box::new(lost),
                    }),
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
        if !reply.accepted() {
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
        self.finish_upload(file_code, name, size, fld_id, target.server_time, false)
            .await
    }

    /// Moves a new file into its folder, when one was asked for. A move that fails (after the
    /// tries a read gets: moving is idempotent) leaves the file in the root, and says so.
    pub async fn finish_upload(
        &self,
        file_code: String,
        name: String,
        size: u64,
        fld_id: Option<u64>,
        uploaded: Option<String>,
        recovered: bool,
    ) -> Result<UploadedFile, ApiError> {
        let placement = match fld_id.filter(|id| *id != 0) {
            Some(id) => match self
                .file_set_folder(std::slice::from_ref(&file_code), id)
                .await
            {
                Ok(()) => Placement::InFolder { fld_id: id },
                Err(e) => Placement::LeftInRoot {
                    wanted: id,
                    reason: e.to_string(),
                },
            },
            None => Placement::InFolder { fld_id: 0 },
        };
        Ok(UploadedFile {
            url: self.file_link(&file_code),
            file_code,
            name,
            size,
            placement,
            uploaded,
            recovered,
        })
    }

    /// Looks for an upload whose reply was lost: a file uploaded since the upload began (by the
    /// server's clock, or by ours when it gave none) whose name is the one sent, in any case,
    /// with or without its extension (the live service may list a name without it), and whose
    /// size, when listed, is the one sent. `Ok(None)`: the look-up finished and the file is not
    /// there; `Err`: the look-up could not finish.
    pub async fn find_upload(&self, lost: &LostUpload) -> Result<Option<FileInfo>, ApiError> {
        // "Uploaded after" is strict, and the upload may finish within the second the server
        // named: ask from a little before.
        let since = lost.since.as_deref().and_then(seconds_before);
        let created = since.clone().unwrap_or_else(|| {
            let minutes = unix_now().saturating_sub(lost.asked_at) / 60 + 2;
            minutes.to_string()
        });
        let stem = name_stem(&lost.name);
        let listing = tokio::time::timeout(
            self.upload_stall.min(Duration::from_secs(60)),
            self.file_list_all(
                &super::FileListQuery {
                    created: Some(created),
                    name: Some(stem.to_string()),
                    ..Default::default()
                },
                Some(5_000),
            ),
        )
        .await
        .map_err(|_| ApiError::Transport {
            kind: super::error::TransportKind::Timeout,
            host: self.host(),
            detail: "looking for the file took too long".into(),
        })??;
        Ok(listing
            .files
            .into_iter()
            .filter(|f| {
                f.name
                    .as_deref()
                    .is_some_and(|n| same_upload_name(n, &lost.name))
            })
            .filter(|f| f.size.is_none_or(|s| s == lost.size))
            .filter(|f| match (&since, &f.uploaded) {
                (Some(since), Some(uploaded)) => uploaded.as_str() >= since.as_str(),
                _ => true,
            })
            .max_by(|a, b| a.uploaded.cmp(&b.uploaded)))
    }
}

/// The error for an upload server that gave no session where the key may not stand in.
fn no_session_error(https_failure: Option<&ApiError>) -> ApiError {
    let why = match https_failure {
        Some(e) => format!(" (its https form could not be reached: {e})"),
        None => String::new(),
    };
    ApiError::NoUploadSession {
        reason: format!(
            "the upload server gave no session and takes uploads only over plain http{why}; \
             mp4u does not send the API key unencrypted, so nothing was sent"
        ),
    }
}

/// A name without its extension (`holiday` of `holiday.mp4`); the name itself when it has none.
pub fn name_stem(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty() && !ext.is_empty() && ext.len() <= 5 && !ext.contains(' ') =>
        {
            stem
        }
        _ => name,
    }
}

/// Whether a name the server lists is the name a file was sent under: equal in any case, with
/// or without the extension.
pub fn same_upload_name(listed: &str, sent: &str) -> bool {
    let listed = listed.trim();
    listed.eq_ignore_ascii_case(sent.trim()) || listed.eq_ignore_ascii_case(name_stem(sent.trim()))
}

/// Seconds since 1970 by the local clock.
/// Whether files sent to this upload URL cross a network in the clear: plain http:// to a host
/// other than this machine's loopback (a local sandbox is plain http and harmless).
pub fn sends_in_the_clear(url: &url::Url) -> bool {
    url.scheme() == "http"
        && match url.host() {
            Some(url::Host::Ipv4(ip)) => !ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => !ip.is_loopback(),
            Some(url::Host::Domain(name)) => !name.eq_ignore_ascii_case("localhost"),
            None => true,
        }
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
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
    fn names_match_in_any_case_with_or_without_the_extension() {
        assert!(same_upload_name("holiday.mp4", "holiday.mp4"));
        assert!(same_upload_name("Holiday.MP4", "holiday.mp4"));
        assert!(same_upload_name("holiday", "holiday.mp4"));
        assert!(same_upload_name("HOLIDAY", "holiday.mp4"));
        assert!(!same_upload_name("holiday2", "holiday.mp4"));
        assert!(!same_upload_name("holiday.mkv.part", "holiday.mp4"));
        assert!(!same_upload_name("holiday.mkv", "holiday.mp4"));
        assert!(same_upload_name("noext", "noext"));
        assert_eq!(name_stem("a.b.mp4"), "a.b");
        assert_eq!(name_stem(".hidden"), ".hidden");
        assert_eq!(
            name_stem("Show - S01E01 [1080p].mkv"),
            "Show - S01E01 [1080p]"
        );
    }

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

    #[test]
    fn only_plain_http_off_this_machine_is_in_the_clear() {
        let clear = |u: &str| sends_in_the_clear(&url::Url::parse(u).unwrap());
        assert!(clear("http://s1.mp4upload.com:183/upload/01"));
        assert!(clear("http://10.0.0.7/upload"));
        assert!(!clear("https://s1.mp4upload.com/upload/01"));
        assert!(!clear("http://127.0.0.1:41234/upload"));
        assert!(!clear("http://127.8.0.1/upload"));
        assert!(!clear("http://[::1]:8080/upload"));
        assert!(!clear("http://LOCALHOST/upload"));
    }
}
