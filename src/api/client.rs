//! The HTTP client: one async method per API call.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use url::Url;

use super::de::Skipped;
use super::envelope::{self, Envelope};
use super::error::{ApiError, ApiKey, excerpt, from_reqwest, host_of};
use super::paging::{Completeness, PageReport, PageSize, Pager};
use super::policy::{self, Pacer};
use super::types::{
    AccountInfo, CloneResult, ClonedFile, CreatedFolder, DayList, DayStats, DeletedFile, FileInfo,
    FileItems, FileList, FolderIndex, FolderListing, Subfolders, UploadServer, UploadServerResult,
};

/// Codes asked about in one `file/info` call at most.
pub const INFO_BATCH: usize = 50;

/// Where the real service lives.
pub const DEFAULT_BASE_URL: &str = "https://www.mp4upload.com";

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// An upload has no total limit, but fails when no byte moved for this long.
pub const UPLOAD_STALL: Duration = Duration::from_secs(60);

/// Filters of `file/list`; `None` leaves a parameter out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileListQuery {
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    pub fld_id: Option<u64>,
    pub public: Option<bool>,
    /// A timestamp `YYYY-MM-DD HH:MM:SS`, or a number of minutes ago.
    pub created: Option<String>,
    pub name: Option<String>,
}

/// Every file of a listing that was paged through to its end, and whether it is all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing {
    pub files: Vec<FileInfo>,
    pub completeness: Completeness,
}

/// A reply, decoded, with its body kept for an excerpt when the result is not what the call
/// returns.
struct Decoded<T> {
    env: Envelope<T>,
    body: bytes::Bytes,
}

/// A client for one account on one server.
#[derive(Clone)]
pub struct Client {
    pub(super) http: reqwest::Client,
    pub(super) base: Url,
    pub(super) key: ApiKey,
    pub(super) upload_stall: Duration,
    /// `None`: no pace (tests against a local server may want that).
    pub(super) pacer: Option<std::sync::Arc<Pacer>>,
    pub(super) read_tries: u32,
    pub(super) backoff: Duration,
    /// What is known of the server's `file/list` page size, shared by every clone.
    page_size: Arc<Mutex<PageSize>>,
    /// A lockout the server announced (429 "Try again in 60 minutes"): until when, and its
    /// error. Calls meanwhile fail at once without being sent (asking again prolongs it).
    lockout: Arc<Mutex<Option<(Instant, ApiError)>>>,
    /// The limit every upload of this client shares (`None`: none at all).
    pub(super) bandwidth: Option<Arc<super::Bandwidth>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .field("key", &self.key)
            .finish()
    }
}

impl Client {
    /// A client for `base_url` (e.g. `https://www.mp4upload.com`) with a key already checked
    /// by [`ApiKey::parse`].
    pub fn new(base_url: &str, key: ApiKey) -> Result<Client, ApiError> {
        let mut base =
            Url::parse(base_url.trim()).map_err(|_| ApiError::BadUrl(base_url.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none() {
            return Err(ApiError::BadUrl(base_url.to_string()));
        }
        base.set_query(None);
        base.set_fragment(None);
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        install_crypto_provider();
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("mp4u/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Transport {
                kind: super::error::TransportKind::Other,
                host: host_of(&base),
                detail: e.to_string(),
            })?;
        Ok(Client {
            http,
            base,
            key,
            upload_stall: UPLOAD_STALL,
            pacer: Some(std::sync::Arc::new(Pacer::new(
                policy::CALLS_PER_SECOND,
                Duration::from_secs(1),
            ))),
            read_tries: policy::READ_TRIES,
            backoff: policy::BACKOFF,
            page_size: Arc::new(Mutex::new(PageSize::default())),
            lockout: Arc::new(Mutex::new(None)),
            bandwidth: None,
        })
    }

    /// Sets how many calls may start in any one second (`None`: no limit).
    pub fn with_pace(mut self, calls_per_second: Option<usize>) -> Client {
        self.pacer =
            calls_per_second.map(|n| std::sync::Arc::new(Pacer::new(n, Duration::from_secs(1))));
        self
    }

    /// Sets the tries of a read-only call and the first backoff (tests shorten them).
    pub fn with_retries(mut self, tries: u32, backoff: Duration) -> Client {
        self.read_tries = tries.max(1);
        self.backoff = backoff;
        self
    }

    /// Shortens the stall limit of uploads (tests).
    pub fn with_upload_stall(mut self, stall: Duration) -> Client {
        self.upload_stall = stall;
        self
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    /// The public page of a file: `<base>/<file_code>`.
    pub fn file_link(&self, file_code: &str) -> String {
        crate::links::file_link(self.base_url(), file_code)
    }

    /// What this client has learnt of the server's `file/list` page size.
    pub fn page_size(&self) -> PageSize {
        *self.page_size.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn host(&self) -> String {
        host_of(&self.base)
    }

    pub(super) fn key_text(&self) -> &str {
        self.key.expose()
    }

    /// A call that only reads (or that may be sent twice with the same effect): retried on
    /// transport errors, 5xx and 429, with backoff; never on a lockout or a 509.
    async fn read<T: DeserializeOwned + Default>(
        &self,
        call: &'static str,
        params: &[(&str, String)],
    ) -> Result<Decoded<T>, ApiError> {
        let mut attempt = 0;
        loop {
            match self.call(call, params).await {
                Err(e) if e.is_transient() && attempt + 1 < self.read_tries => {
                    tracing::info!(call, attempt, error = %e, "retrying");
                    let mut wait = policy::backoff(attempt, self.backoff);
                    // A rate limit counts calls per second: try again in the next window.
                    if e.is_rate_limited() {
                        wait = wait.max(policy::backoff(attempt, policy::RATE_LIMIT_BACKOFF));
                    }
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// GETs `/api/<call>` with the key and `params`, and decodes the envelope with its result
    /// read as `T`. Never retried: [`Client::read`] retries the calls that may be.
    async fn call<T: DeserializeOwned + Default>(
        &self,
        call: &'static str,
        params: &[(&str, String)],
    ) -> Result<Decoded<T>, ApiError> {
        if let Some(locked) = self.locked_out() {
            return Err(locked);
        }
        let (status, body, _) = self.get(call, params).await?;
        let key = self.key_text();
        match envelope::decode_as::<T>(status, &body, key) {
            Ok(env) => Ok(Decoded { env, body }),
            Err(e) => {
                if e.is_rate_limited()
                    && let Some(pacer) = &self.pacer
                {
                    pacer.slow_down();
                }
                if let Some(wait) = e.lockout_wait() {
                    tracing::warn!(call, secs = wait.as_secs(), "locked out by the server");
                    *self.lockout.lock().unwrap_or_else(|p| p.into_inner()) =
                        Some((Instant::now() + wait, e.clone()));
                }
                Err(e)
            }
        }
    }

    /// The lockout in force, as the error every call gets meanwhile.
    fn locked_out(&self) -> Option<ApiError> {
        let mut lockout = self.lockout.lock().unwrap_or_else(|p| p.into_inner());
        match &*lockout {
            Some((until, error)) if Instant::now() < *until => Some(error.clone()),
            Some(_) => {
                *lockout = None;
                None
            }
            None => None,
        }
    }

    fn unexpected(&self, call: &'static str, body: &[u8]) -> ApiError {
        ApiError::UnexpectedReply {
            call,
            excerpt: excerpt(body, self.key_text()),
        }
    }

    /// `account/info`: email, balance, storage, premium expiry.
    pub async fn account_info(&self) -> Result<AccountInfo, ApiError> {
        let reply = self
            .read::<super::de::Item<AccountInfo>>("account/info", &[])
            .await?;
        reply
            .env
            .result
            .0
            .ok_or_else(|| self.unexpected("account/info", &reply.body))
    }

    /// `account/stats`: one entry per day, oldest first. `last` is a number of days (default 7).
    pub async fn account_stats(&self, last: Option<u32>) -> Result<Vec<DayStats>, ApiError> {
        let params = opt_param("last", last);
        let reply = self.read::<DayList>("account/stats", &params).await?;
        Ok(reply.env.result.0)
    }

    /// `upload/server`: the URL for the next upload, and its session where the server sends one.
    pub async fn upload_server(&self) -> Result<UploadServer, ApiError> {
        let reply = self
            .read::<UploadServerResult>("upload/server", &[])
            .await?;
        let Decoded { env, body } = reply;
        let url = env
            .result
            .url
            .filter(|u| !u.is_empty())
            .ok_or_else(|| self.unexpected("upload/server", &body))?;
        Ok(UploadServer {
            url,
            sess_id: env.sess_id.or(env.result.sess_id),
            server_time: env.server_time,
        })
    }

    /// `file/info`: one entry per code given (each once, in the order given), each with its own
    /// status (404: no such file). Asked [`INFO_BATCH`] codes a call (the live service answers
    /// at most 50); codes a reply leaves out are asked again, so that a server with a lower cap
    /// never makes a file look missing.
    pub async fn file_info(&self, codes: &[String]) -> Result<Vec<FileInfo>, ApiError> {
        let mut order: Vec<String> = Vec::with_capacity(codes.len());
        let mut seen = HashSet::new();
        for code in codes {
            let code = code.trim();
            if !code.is_empty() && seen.insert(code.to_ascii_lowercase()) {
                order.push(code.to_string());
            }
        }
        code_list(&order)?;
        let mut found: HashMap<String, FileInfo> = HashMap::with_capacity(order.len());
        let mut left: Vec<String> = order.clone();
        while !left.is_empty() {
            let batch: Vec<String> = left.iter().take(INFO_BATCH).cloned().collect();
            let reply = self
                .read::<FileItems>("file/info", &[("file_code", code_list(&batch)?)])
                .await?;
            let mut answered = 0;
            for item in reply.env.result.0 {
                let code = item.file_code.to_ascii_lowercase();
                if batch.iter().any(|b| b.eq_ignore_ascii_case(&code)) && !found.contains_key(&code)
                {
                    answered += 1;
                    found.insert(code, item);
                }
            }
            left.retain(|c| !found.contains_key(&c.to_ascii_lowercase()));
            if answered == 0 {
                // The server said nothing of any code asked about: it has none of them.
                for code in batch {
                    found.insert(code.to_ascii_lowercase(), FileInfo::missing(&code));
                    left.retain(|c| *c != code);
                }
            }
        }
        Ok(order
            .iter()
            .map(|code| {
                found
                    .remove(&code.to_ascii_lowercase())
                    .unwrap_or_else(|| FileInfo::missing(code))
            })
            .collect())
    }

    /// `file/list`: one page of files, filtered.
    pub async fn file_list(&self, query: &FileListQuery) -> Result<FileList, ApiError> {
        let mut params = Vec::new();
        params.extend(opt_param("page", query.page));
        params.extend(opt_param("per_page", query.per_page));
        params.extend(opt_param("fld_id", query.fld_id));
        params.extend(opt_param("public", query.public.map(u8::from)));
        params.extend(opt_param("created", query.created.as_deref()));
        params.extend(opt_param("name", query.name.as_deref()));
        let reply = self.read::<FileList>("file/list", &params).await?;
        let mut list = reply.env.result;
        // Files listed by folder are in that folder, whether or not the reply says so (the
        // seed's file/list carries no fld_id).
        if let Some(fld_id) = query.fld_id {
            for file in &mut list.files {
                file.fld_id.get_or_insert(fld_id);
            }
        }
        Ok(list)
    }

    /// `file/list` paged through to its end ([`Pager`]), or until `limit` files came (then
    /// the listing says it is incomplete). `query.page` and `query.per_page` are ignored.
    pub async fn file_list_all(
        &self,
        query: &FileListQuery,
        limit: Option<usize>,
    ) -> Result<Listing, ApiError> {
        let mut files: Vec<FileInfo> = Vec::new();
        let mut codes: HashSet<String> = HashSet::new();
        let mut pager = Pager::new(&self.page_size());
        loop {
            let (page, per_page) = pager.next();
            let list = self
                .file_list(&FileListQuery {
                    page: Some(page),
                    per_page: Some(per_page),
                    ..query.clone()
                })
                .await?;
            let received = list.files.len() as u64;
            let before = files.len();
            for file in list.files {
                if codes.insert(file.file_code.clone()) {
                    files.push(file);
                }
            }
            let report = PageReport {
                received,
                added: (files.len() - before) as u64,
                total_pages: list.total_pages,
                results_total: list.results_total,
            };
            let over = {
                let mut known = self.page_size.lock().unwrap_or_else(|e| e.into_inner());
                pager.on_page(report, &mut known)
            };
            if let Some(limit) = limit
                && files.len() >= limit
            {
                let more = !over || files.len() > limit;
                files.truncate(limit);
                return Ok(Listing {
                    files,
                    completeness: if more {
                        Completeness::Incomplete(format!(
                            "the first {} files (the limit)",
                            crate::format::count(limit as u64)
                        ))
                    } else {
                        pager.done().cloned().unwrap_or(Completeness::Complete)
                    },
                });
            }
            if over {
                return Ok(Listing {
                    files,
                    completeness: pager.done().cloned().unwrap_or(Completeness::Complete),
                });
            }
        }
    }

    /// `file/rename`: gives every listed file the same name; one entry per code the server
    /// answered about. Asked [`INFO_BATCH`] codes a call.
    pub async fn file_rename(
        &self,
        codes: &[String],
        name: &str,
    ) -> Result<Vec<FileInfo>, ApiError> {
        code_list(codes)?;
        let name = checked_name(name)?;
        let mut out = Vec::with_capacity(codes.len());
        for batch in codes.chunks(INFO_BATCH) {
            let reply = self
                .call::<FileItems>(
                    "file/rename",
                    &[("file_code", code_list(batch)?), ("name", name.clone())],
                )
                .await?;
            out.extend(reply.env.result.0);
        }
        Ok(out)
    }

    /// `file/clone`: a new copy of the file, with its own code (and the link mp4u makes of it).
    pub async fn file_clone(&self, code: &str) -> Result<ClonedFile, ApiError> {
        let code = code_list(&[code.to_string()])?;
        let reply = self
            .call::<CloneResult>("file/clone", &[("file_code", code)])
            .await?;
        let mut cloned = reply
            .env
            .result
            .0
            .ok_or_else(|| self.unexpected("file/clone", &reply.body))?;
        cloned.url = Some(self.file_link(&cloned.file_code));
        Ok(cloned)
    }

    /// `file/set_folder`: moves the files into folder `fld_id` (0 is the root), [`INFO_BATCH`]
    /// codes a call. Moving a file where it already is changes nothing, so this is retried like
    /// a read.
    pub async fn file_set_folder(&self, codes: &[String], fld_id: u64) -> Result<(), ApiError> {
        code_list(codes)?;
        for batch in codes.chunks(INFO_BATCH) {
            self.read::<Skipped>(
                "file/set_folder",
                &[
                    ("file_code", code_list(batch)?),
                    ("fld_id", fld_id.to_string()),
                ],
            )
            .await?;
        }
        Ok(())
    }

    /// `folder/list`: the subfolders and files of a folder (0 is the root), every field.
    pub async fn folder_list(&self, fld_id: u64) -> Result<FolderListing, ApiError> {
        self.folder_contents(fld_id).await
    }

    /// `folder/list` for the subfolders only: the files are read past, never held.
    pub async fn subfolders(&self, fld_id: u64) -> Result<Subfolders, ApiError> {
        self.folder_contents(fld_id).await
    }

    /// `folder/list` for the subfolders and where each file lives (code and folder only).
    pub async fn folder_index(&self, fld_id: u64) -> Result<FolderIndex, ApiError> {
        self.folder_contents(fld_id).await
    }

    async fn folder_contents<F>(
        &self,
        fld_id: u64,
    ) -> Result<super::types::FolderContents<F>, ApiError>
    where
        F: super::types::FolderFiles,
    {
        let reply = self
            .read::<super::types::FolderContents<F>>(
                "folder/list",
                &[("fld_id", fld_id.to_string())],
            )
            .await?;
        Ok(reply.env.result)
    }

    /// `folder/create`: a new folder inside `parent_id` (the root when `None`); its id.
    pub async fn folder_create(&self, parent_id: Option<u64>, name: &str) -> Result<u64, ApiError> {
        let name = checked_name(name)?;
        let mut params = opt_param("parent_id", parent_id);
        params.push(("name", name));
        let reply = self.call::<CreatedFolder>("folder/create", &params).await?;
        reply
            .env
            .result
            .0
            .ok_or_else(|| self.unexpected("folder/create", &reply.body))
    }

    /// `folder/rename`.
    pub async fn folder_rename(&self, fld_id: u64, name: &str) -> Result<(), ApiError> {
        let name = checked_name(name)?;
        self.call::<Skipped>(
            "folder/rename",
            &[("fld_id", fld_id.to_string()), ("name", name)],
        )
        .await?;
        Ok(())
    }

    /// `files/deleted`: the most recently deleted files; `last` is how many.
    pub async fn files_deleted(&self, last: Option<u32>) -> Result<Vec<DeletedFile>, ApiError> {
        let reply = self
            .read::<super::de::AnyList<DeletedFile>>("files/deleted", &opt_param("last", last))
            .await?;
        Ok(reply.env.result.0)
    }

    /// A read-only call's raw reply (`mp4u doctor` reports its shape, never its values): the
    /// HTTP status, the body, and how long it took. Not retried, but paced.
    pub async fn raw_get(
        &self,
        call: &'static str,
        params: &[(&str, String)],
    ) -> Result<(u16, bytes::Bytes, Duration), ApiError> {
        self.get(call, params).await
    }

    /// GETs `/api/<call>?key=…&params` under the pace: the HTTP status, the body, and how long
    /// the exchange took.
    async fn get(
        &self,
        call: &'static str,
        params: &[(&str, String)],
    ) -> Result<(u16, bytes::Bytes, Duration), ApiError> {
        let mut url = self
            .base
            .join(&format!("api/{call}"))
            .map_err(|_| ApiError::BadUrl(self.base_url().to_string()))?;
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("key", self.key.expose());
            for (name, value) in params {
                query.append_pair(name, value);
            }
        }
        if let Some(pacer) = &self.pacer {
            pacer.wait_turn().await;
        }
        let started = Instant::now();
        let key = self.key_text();
        let response = self
            .http
            .get(url)
            .timeout(CALL_TIMEOUT)
            .send()
            .await
            .map_err(|e| from_reqwest(&e, &self.host(), key))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| from_reqwest(&e, &self.host(), key))?;
        Ok((status, body, started.elapsed()))
    }
}

fn opt_param<T: ToString>(name: &'static str, value: Option<T>) -> Vec<(&'static str, String)> {
    value.map(|v| (name, v.to_string())).into_iter().collect()
}

/// Joins file codes with commas, refusing an empty list or a code with odd characters.
fn code_list(codes: &[String]) -> Result<String, ApiError> {
    let codes: Vec<&str> = codes
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() {
        return Err(ApiError::InvalidInput("no file code given".into()));
    }
    if let Some(bad) = codes.iter().find(|c| {
        !c.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    }) {
        return Err(ApiError::InvalidInput(format!(
            "{bad:?} is not a file code (letters and digits only)"
        )));
    }
    Ok(codes.join(","))
}

/// Checks a file or folder name the way the popups do; the same rules hold for scripts.
pub fn check_name(name: &str) -> Result<(), String> {
    clean_name(name).map(|_| ())
}

/// A name as it is sent: checked, then trimmed of surrounding white space (the popups and the
/// CLI alike). Refused: empty or only spaces, over 255 characters, control characters, and the
/// bidirectional controls that make a name read differently from what it holds.
pub fn clean_name(name: &str) -> Result<String, String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err("the name is empty".into());
    }
    if trimmed.chars().count() > 255 {
        return Err("the name is longer than 255 characters".into());
    }
    if name.chars().any(char::is_control) {
        return Err("the name holds control characters".into());
    }
    if name
        .chars()
        .any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    {
        return Err("the name holds bidirectional control characters".into());
    }
    Ok(trimmed.to_string())
}

fn checked_name(name: &str) -> Result<String, ApiError> {
    clean_name(name).map_err(ApiError::InvalidInput)
}

/// reqwest is built without a default crypto provider (no aws-lc C build); use ring's.
fn install_crypto_provider() {
    // Fails only when a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
