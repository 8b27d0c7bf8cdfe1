//! Uploads: a fresh upload server per file, the file streamed from disk in chunks, progress
//! reported as bytes go out, and the reply read in any of the three shapes servers send.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
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
        // Sizes that would round alike ("500.0 MB" over "500 MB") are said to the byte.
        let (have, limit) = if meta.len() - max < max / 500 {
            (
                format!("{} bytes", crate::format::count(meta.len())),
                format!("{} bytes", crate::format::count(max)),
            )
        } else {
            (crate::format::size(meta.len()), crate::format::size(max))
        };
        return Err(refuse(format!(
            "is {have}, larger than the limit of {limit}"
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
struct UploadTarget {
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
    async fn upload_target(&self) -> Result<UploadTarget, ApiError> {
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
        Ok(UploadTarget {
            url,
            sess_id,
            key_as_session,
            server_time: server.server_time,
        })
    }

    /// [`Client::upload`], also telling `on_server` where the file goes before it is sent (so
    /// that a caller can say when that is a plain `http://` server). A reply lost after every
    /// byte went out is looked for on the account at once ([`Client::find_upload`]); the
    /// upload queue, `queue::run`, does more.
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
        let name = upload_name(path);
        match self.send_file(path, progress, on_server, None).await {
            Ok(sent) => {
                self.finish_upload(
                    sent.file_code,
                    name,
                    sent.size,
                    fld_id,
                    sent.server_time,
                    false,
                )
                .await
            }
            // Every byte went out and only the answer was lost: the file may well be on the
            // account. Look before calling it failed; retrying would make a duplicate.
            Err(failure) if failure.may_have_arrived() => {
                let SendFailure { error, lost, .. } = failure;
                match self.find_upload(&lost).await {
                    Ok(Some(found)) => {
                        tracing::info!(%error, "the reply was lost, but the file arrived");
                        let arrived = found.uploaded.map(|u| u.to_string());
                        self.finish_upload(found.file_code, name, lost.size, fld_id, arrived, true)
                            .await
                    }
                    Ok(None) => Err(error),
                    Err(lookup) => Err(ApiError::UploadUnconfirmed {
                        reason: lookup.to_string(),
                        lookup: Box::new(lost),
                    }),
                }
            }
            Err(failure) => Err(failure.error),
        }
    }

    /// Sends one file and reads the server's answer: its code, nothing looked up or moved.
    ///
    /// `before_end`, when given, runs after the file's last byte was handed to the connection
    /// and before the end of the request body is: until it returns, the server cannot have
    /// the whole upload, so a caller can record that the upload's fate may now be out of its
    /// hands. When it fails, the body is cut and nothing complete is sent.
    pub async fn send_file<P, S>(
        &self,
        path: &Path,
        progress: P,
        on_server: S,
        before_end: Option<BeforeEnd>,
    ) -> Result<SentFile, SendFailure>
    where
        P: Fn(u64) + Send + Sync + 'static,
        S: FnOnce(&url::Url),
    {
        let name = upload_name(path);
        let asked_at = unix_now();
        let early = |error: ApiError, size: u64| SendFailure {
            error,
            all_out: false,
            lost: LostUpload {
                name: name.clone(),
                size,
                since: None,
                asked_at,
            },
        };
        let size = check_local_file(path, None).map_err(|e| early(e, 0))?;
        let target = self.upload_target().await.map_err(|e| early(e, size))?;
        // Never the key over plain http (upload_target made it https already; said twice).
        if target.key_as_session && target.url.scheme() != "https" {
            return Err(early(no_session_error(None), size));
        }
        let url = target.url.clone();
        let host = host_of(&url);
        on_server(&url);
        let lost = LostUpload {
            name: name.clone(),
            size,
            since: target.server_time.clone(),
            asked_at,
        };
        let fail = |error: ApiError, all_out: bool| SendFailure {
            error,
            all_out,
            lost: lost.clone(),
        };

        let file = tokio::fs::File::open(path).await.map_err(|e| {
            fail(
                ApiError::LocalFile {
                    path: path.display().to_string(),
                    reason: format!("cannot be read ({e})"),
                },
                false,
            )
        })?;
        let started = Instant::now();
        let last_progress_ms = Arc::new(AtomicU64::new(0));
        let sent = Arc::new(AtomicU64::new(0));
        // Set once the end of the body may go out: from then on the server may have it all.
        let released = Arc::new(AtomicBool::new(false));
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
        // After the file's last byte, before the multipart trailer that completes the body.
        let tail = {
            let released = Arc::clone(&released);
            let since = target.server_time.clone();
            futures_util::stream::once(async move {
                if let Some(hook) = before_end
                    && let Err(reason) = hook(since).await
                {
                    return Some(Err(std::io::Error::other(reason)));
                }
                released.store(true, Ordering::SeqCst);
                None
            })
            .filter_map(futures_util::future::ready)
        };
        let stream = stream.chain(tail);
        let part = Part::stream_with_length(reqwest::Body::wrap_stream(stream), size)
            .file_name(name.clone())
            .mime_str(mime_for(path))
            .map_err(|e| fail(ApiError::InvalidInput(e.to_string()), false))?;
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
        let all_out = released.load(Ordering::SeqCst);
        let (status, body) = match outcome {
            Ok(reply) => reply,
            // The https form of a plain-http server, tried so that the key could stand in for
            // the missing session, cannot be reached: say why nothing was sent.
            Err(error @ ApiError::Transport { .. })
                if target.key_as_session && sent.load(Ordering::Relaxed) == 0 =>
            {
                return Err(fail(no_session_error(Some(&error)), false));
            }
            Err(error) => return Err(fail(error, all_out)),
        };

        let reply = match UploadReply::parse(&String::from_utf8_lossy(&body)) {
            Some(reply) => reply,
            // An API-style error envelope, a proxy page, or garbage: the server answered.
            None => {
                let error = super::envelope::decode(status, &body, key)
                    .err()
                    .unwrap_or_else(|| ApiError::InvalidJson {
                        excerpt: excerpt(&body, key),
                    });
                // A proxy's error page after the whole body: the origin may have it.
                let unsure = all_out && matches!(error, ApiError::Http { .. });
                return Err(fail(error, unsure));
            }
        };
        if !reply.accepted() {
            let reason = clean_message(&reply.file_status, key);
            return Err(fail(
                ApiError::UploadRefused {
                    reason: if reason.is_empty() {
                        "no reason given".into()
                    } else {
                        reason
                    },
                },
                false,
            ));
        }
        Ok(SentFile {
            file_code: reply.file_code.trim().to_string(),
            size,
            server_time: target.server_time,
        })
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

    /// Looks for an upload whose reply was lost ([`Client::find_uploads`]): the newest match.
    pub async fn find_upload(&self, lost: &LostUpload) -> Result<Option<FileInfo>, ApiError> {
        Ok(self.find_uploads(lost).await?.pop())
    }

    /// The files on the account that may be an upload whose reply was lost, oldest first. Only
    /// where that upload can be: the service puts every upload in `/` (its form has no folder
    /// field) and mp4u moves it afterwards, so a file in any other folder is never one. Its
    /// name is the one sent, in any case, with or without its extension (the live service may
    /// list a name without it); its size, when listed, is the one sent; and it was uploaded
    /// after the upload began: by the server's clock when it said, else by ours set to the
    /// server's (the difference measured on the look-up's own reply). `Ok(vec![])`: the
    /// look-up finished and nothing is there; `Err`: the look-up could not finish.
    pub async fn find_uploads(&self, lost: &LostUpload) -> Result<Vec<FileInfo>, ApiError> {
        let limit = self.upload_stall.min(Duration::from_secs(60));
        let timed_out = || ApiError::Transport {
            kind: super::error::TransportKind::Timeout,
            host: self.host(),
            detail: "looking for the file took too long".into(),
        };
        // Where each file of the root is, and the server's clock now.
        let asked = unix_now();
        let root = tokio::time::timeout(limit, self.folder_places(super::ROOT_FOLDER))
            .await
            .map_err(|_| timed_out())??;
        // "Uploaded after" is strict, and the upload may finish within the second the server
        // named: ask from a little before.
        let since = match lost
            .since
            .as_deref()
            .and_then(|s| seconds_before(s, SINCE_SLACK))
        {
            Some(since) => Some(since),
            None => root.server_time.as_deref().and_then(|now| {
                let skew = server_offset(now, asked)?;
                stamp_of(lost.asked_at as i64 + skew - CLOCK_SLACK)
            }),
        };
        let created = since.clone().unwrap_or_else(|| {
            let minutes = unix_now().saturating_sub(lost.asked_at) / 60 + 2;
            minutes.to_string()
        });
        let stem = name_stem(&lost.name);
        let listing = tokio::time::timeout(
            limit,
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
        .map_err(|_| timed_out())??;
        let in_root = |f: &FileInfo| match f.fld_id {
            Some(id) => id == super::ROOT_FOLDER,
            None => root.files.contains(f.file_code.as_str()),
        };
        let mut found: Vec<FileInfo> = listing
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
            .filter(in_root)
            .collect();
        found.sort_by(|a, b| a.uploaded.cmp(&b.uploaded));
        Ok(found)
    }

    /// The codes of the files `folder/list` places in folder `fld_id`, and the server's clock:
    /// what is in a folder, told by the call that lists one folder (`file/list` may ignore
    /// its folder filter and name no folder).
    pub async fn folder_places(&self, fld_id: u64) -> Result<Places, ApiError> {
        let reply = self
            .read::<super::types::FolderIndex>("folder/list", &[("fld_id", fld_id.to_string())])
            .await?;
        let files = reply
            .env
            .result
            .files
            .into_iter()
            .filter(|f| f.fld_id.is_none_or(|id| id == fld_id))
            .map(|f| f.file_code)
            .collect();
        Ok(Places {
            files,
            server_time: reply.env.server_time,
        })
    }
}

/// Which files are in a folder, by `folder/list`.
#[derive(Debug, Clone, Default)]
pub struct Places {
    pub files: std::collections::HashSet<String>,
    /// The server's clock when it answered.
    pub server_time: Option<String>,
}

/// Seconds a server's "uploaded" stamp may fall before the time it gave when the upload began.
const SINCE_SLACK: i64 = 5;
/// Seconds of slack on our clock set to the server's: the server's stamps have whole seconds,
/// and the reply that told its time took a while to come.
const CLOCK_SLACK: i64 = 10;

/// A file as the upload sends it: what the server answered, before any move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentFile {
    pub file_code: String,
    pub size: u64,
    /// The server's clock before the upload began, when it said.
    pub server_time: Option<String>,
}

/// Why [`Client::send_file`] failed, and whether the file may be on the account all the same.
#[derive(Debug, Clone)]
pub struct SendFailure {
    pub error: ApiError,
    /// The end of the body was let out: the server may have the whole upload.
    pub all_out: bool,
    /// What identifies the upload on the account.
    pub lost: LostUpload,
}

impl SendFailure {
    /// Whether the file may be on the account all the same: the end of the body went out and
    /// no answer of the server's came.
    pub fn may_have_arrived(&self) -> bool {
        self.all_out && self.error.may_have_arrived()
    }
}

/// Runs after an upload's last byte and before its end (see [`Client::send_file`]); given the
/// server's clock before the upload began, when it said. An `Err` cuts the upload.
pub type BeforeEnd = Box<
    dyn FnOnce(Option<String>) -> futures_util::future::BoxFuture<'static, Result<(), String>>
        + Send,
>;

/// The name a file is sent under.
fn upload_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "upload".into())
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

/// Seconds since 1970 by the local clock.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

const STAMP: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");

/// A server timestamp `YYYY-MM-DD HH:MM:SS` as seconds since 1970 (server time read as UTC:
/// only differences count).
fn seconds_of(stamp: &str) -> Option<i64> {
    let at = time::PrimitiveDateTime::parse(stamp.trim(), STAMP).ok()?;
    Some(at.assume_utc().unix_timestamp())
}

/// Seconds since 1970 as a server timestamp.
fn stamp_of(secs: i64) -> Option<String> {
    let at = time::OffsetDateTime::from_unix_timestamp(secs).ok()?;
    time::PrimitiveDateTime::new(at.date(), at.time())
        .format(STAMP)
        .ok()
}

/// A server timestamp, `secs` seconds earlier.
fn seconds_before(stamp: &str, secs: i64) -> Option<String> {
    stamp_of(seconds_of(stamp)? - secs)
}

/// How far the server's clock (its stamp `server_now`) is ahead of ours (`ours`, seconds since
/// 1970, read when it was asked).
pub fn server_offset(server_now: &str, ours: u64) -> Option<i64> {
    Some(seconds_of(server_now)? - ours as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_in_any_case_with_or_without_the_extension() {
        let on_account = "holiday.mp4";
        for same in ["holiday.mp4", "Holiday.MP4", "holiday", "HOLIDAY"] {
            assert!(same_upload_name(same, on_account), "{same}");
        }
        for other in ["holiday2", "holiday.mkv.part", "holiday.mkv"] {
            assert!(!same_upload_name(other, on_account), "{other}");
        }
        assert!(same_upload_name("noext", "noext"));
    }

    #[test]
    fn a_file_just_over_the_limit_is_said_to_the_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.mp4");
        let file = std::fs::File::create(&path).unwrap();
        for (len, said) in [
            (
                500_000_001,
                "is 500,000,001 bytes, larger than the limit of 500,000,000 bytes",
            ),
            (700_000_000, "is 700 MB, larger than the limit of 500 MB"),
        ] {
            file.set_len(len).unwrap();
            let e = check_local_file(&path, Some(500_000_000)).unwrap_err();
            assert!(e.to_string().ends_with(said), "{e}");
        }
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
