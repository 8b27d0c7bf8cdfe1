//! The HTTP client: one async method per API call.

use std::time::Duration;

use serde_json::Value;
use url::Url;

use super::envelope::{self, Envelope};
use super::error::{ApiError, ApiKey, excerpt, from_reqwest, host_of};
use super::policy::{self, Pacer};
use super::types::{
    AccountInfo, ClonedFile, DayStats, DeletedFile, FileInfo, FileList, FolderListing, UploadServer,
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
        format!("{}/{}", self.base_url(), file_code)
    }

    pub(super) fn host(&self) -> String {
        host_of(&self.base)
    }

    pub(super) fn key_text(&self) -> &str {
        self.key.expose()
    }

    /// A call that only reads: retried on transport errors, 5xx and 429, with backoff.
    async fn read(
        &self,
        call: &'static str,
        params: &[(&str, String)],
    ) -> Result<Envelope, ApiError> {
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

    /// GETs `/api/<call>` with the key and `params`, and decodes the envelope. Never retried:
    /// [`Client::read`] retries the calls that may be.
    async fn call(
        &self,
        call: &'static str,
        params: &[(&str, String)],
    ) -> Result<Envelope, ApiError> {
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
        let key = self.key_text();
        if let Some(pacer) = &self.pacer {
            pacer.wait_turn().await;
        }
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
        let decoded = envelope::decode(status, &body, key);
        if let (Err(e), Some(pacer)) = (&decoded, &self.pacer)
            && e.is_rate_limited()
        {
            pacer.slow_down();
        }
        decoded
    }

    fn unexpected(&self, call: &'static str, result: &Value) -> ApiError {
        ApiError::UnexpectedReply {
            call,
            excerpt: excerpt(result.to_string().as_bytes(), self.key_text()),
        }
    }

    /// `account/info`: email, balance, storage, premium expiry.
    pub async fn account_info(&self) -> Result<AccountInfo, ApiError> {
        let env = self.read("account/info", &[]).await?;
        AccountInfo::from_value(&env.result)
            .ok_or_else(|| self.unexpected("account/info", &env.result))
    }

    /// `account/stats`: one entry per day, oldest first. `last` is a number of days (default 7).
    pub async fn account_stats(&self, last: Option<u32>) -> Result<Vec<DayStats>, ApiError> {
        let params = opt_param("last", last);
        let env = self.read("account/stats", &params).await?;
        Ok(DayStats::list_from_value(env.result))
    }

    /// `upload/server`: the URL for the next upload, and its session where the server sends one.
    pub async fn upload_server(&self) -> Result<UploadServer, ApiError> {
        let env = self.read("upload/server", &[]).await?;
        let url = match &env.result {
            Value::String(s) if !s.trim().is_empty() => s.trim().to_string(),
            Value::Object(map) => match map.get("url").or_else(|| map.get("server")) {
                Some(Value::String(s)) => s.trim().to_string(),
                _ => return Err(self.unexpected("upload/server", &env.result)),
            },
            other => return Err(self.unexpected("upload/server", other)),
        };
        let sess_id = env
            .extra
            .get("sess_id")
            .or_else(|| env.result.get("sess_id"))
            .and_then(super::de::value_as_string)
            .filter(|s| !s.is_empty());
        Ok(UploadServer {
            url,
            sess_id,
            server_time: env.server_time.clone(),
        })
    }

    /// `file/info`: one entry per code, each with its own status (404: no such file).
    pub async fn file_info(&self, codes: &[String]) -> Result<Vec<FileInfo>, ApiError> {
        let codes = code_list(codes)?;
        let env = self.read("file/info", &[("file_code", codes)]).await?;
        Ok(FileInfo::list_from_value(env.result))
    }

    /// `file/info` for any number of codes, asked [`INFO_BATCH`] at a time; one entry per code,
    /// in the order given.
    pub async fn file_info_batched(&self, codes: &[String]) -> Result<Vec<FileInfo>, ApiError> {
        let mut out = Vec::with_capacity(codes.len());
        for batch in codes.chunks(INFO_BATCH) {
            let mut found = self.file_info(batch).await?;
            for code in batch {
                match found
                    .iter()
                    .position(|f| f.file_code.eq_ignore_ascii_case(code))
                {
                    Some(at) => out.push(found.swap_remove(at)),
                    // A code the server did not mention at all is as good as missing.
                    None => out.push(FileInfo::missing(code)),
                }
            }
        }
        Ok(out)
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
        let env = self.read("file/list", &params).await?;
        Ok(FileList::from_value(env.result))
    }

    /// `file/rename`: gives every listed file the same name; one entry per code.
    pub async fn file_rename(
        &self,
        codes: &[String],
        name: &str,
    ) -> Result<Vec<FileInfo>, ApiError> {
        let codes = code_list(codes)?;
        let name = checked_name(name)?;
        let env = self
            .call("file/rename", &[("file_code", codes), ("name", name)])
            .await?;
        Ok(FileInfo::list_from_value(env.result))
    }

    /// `file/clone`: a new copy of the file, with its own code.
    pub async fn file_clone(&self, code: &str) -> Result<ClonedFile, ApiError> {
        let code = code_list(&[code.to_string()])?;
        let env = self.call("file/clone", &[("file_code", code)]).await?;
        let mut cloned = ClonedFile::from_value(&env.result)
            .ok_or_else(|| self.unexpected("file/clone", &env.result))?;
        if cloned.url.is_none() {
            cloned.url = Some(self.file_link(&cloned.file_code));
        }
        Ok(cloned)
    }

    /// `file/set_folder`: moves the files into folder `fld_id` (0 is the root).
    pub async fn file_set_folder(&self, codes: &[String], fld_id: u64) -> Result<(), ApiError> {
        let codes = code_list(codes)?;
        self.call(
            "file/set_folder",
            &[("file_code", codes), ("fld_id", fld_id.to_string())],
        )
        .await?;
        Ok(())
    }

    /// `folder/list`: the subfolders and files of a folder (0 is the root).
    pub async fn folder_list(&self, fld_id: u64) -> Result<FolderListing, ApiError> {
        let env = self
            .read("folder/list", &[("fld_id", fld_id.to_string())])
            .await?;
        Ok(FolderListing::from_value(env.result))
    }

    /// `folder/create`: a new folder inside `parent_id` (the root when `None`); its id.
    pub async fn folder_create(&self, parent_id: Option<u64>, name: &str) -> Result<u64, ApiError> {
        let name = checked_name(name)?;
        let mut params = opt_param("parent_id", parent_id);
        params.push(("name", name));
        let env = self.call("folder/create", &params).await?;
        let id = match &env.result {
            Value::Object(map) => map.get("fld_id").or_else(|| map.get("id")),
            other => Some(other),
        };
        id.and_then(super::de::value_as_u64)
            .ok_or_else(|| self.unexpected("folder/create", &env.result))
    }

    /// `folder/rename`.
    pub async fn folder_rename(&self, fld_id: u64, name: &str) -> Result<(), ApiError> {
        let name = checked_name(name)?;
        self.call(
            "folder/rename",
            &[("fld_id", fld_id.to_string()), ("name", name)],
        )
        .await?;
        Ok(())
    }

    /// `files/deleted`: the most recently deleted files; `last` is how many.
    pub async fn files_deleted(&self, last: Option<u32>) -> Result<Vec<DeletedFile>, ApiError> {
        let env = self.read("files/deleted", &opt_param("last", last)).await?;
        Ok(DeletedFile::list_from_value(env.result))
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
    if name.trim().is_empty() {
        return Err("the name is empty".into());
    }
    if name.chars().count() > 255 {
        return Err("the name is longer than 255 characters".into());
    }
    if name.chars().any(char::is_control) {
        return Err("the name holds control characters".into());
    }
    Ok(())
}

fn checked_name(name: &str) -> Result<String, ApiError> {
    check_name(name).map_err(ApiError::InvalidInput)?;
    Ok(name.to_string())
}

/// reqwest is built without a default crypto provider (no aws-lc C build); use ring's.
fn install_crypto_provider() {
    // Fails only when a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
