//! The HTTP client: one async method per API call. The file calls are in `files`, the folder
//! calls in `folders`, the upload in `upload`; this module holds the client, the account calls
//! and the one way every call goes out and comes back.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use url::Url;

use super::envelope::{self, Envelope};
use super::error::{ApiError, ApiKey, excerpt, from_reqwest, host_of};
use super::paging::{Completeness, PageSize};
use super::policy::{self, Pacer};
use super::types::{AccountInfo, DayList, DayStats, FileInfo, UploadServer, UploadServerResult};

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
pub(super) struct Decoded<T> {
    pub(super) env: Envelope<T>,
    pub(super) body: bytes::Bytes,
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
    pub(super) page_size: Arc<Mutex<PageSize>>,
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
        // The calls go to `<base>/api/<call>`: a base given with the `/api` already (as the
        // documentation's examples read) means the same server.
        let trimmed = base.path().trim_end_matches('/');
        if let Some(root) = trimmed.strip_suffix("/api") {
            let root = root.to_string();
            base.set_path(&root);
        }
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
        super::names::file_link(self.base_url(), file_code)
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
    pub(super) async fn read<T: DeserializeOwned + Default>(
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
    pub(super) async fn call<T: DeserializeOwned + Default>(
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
    pub(super) fn locked_out(&self) -> Option<ApiError> {
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

    pub(super) fn unexpected(&self, call: &'static str, body: &[u8]) -> ApiError {
        ApiError::UnexpectedReply {
            call,
            excerpt: excerpt(body, self.key_text()),
        }
    }

    /// `account/info`: email, balance, storage, premium expiry.
    pub async fn account_info(&self) -> Result<AccountInfo, ApiError> {
        let reply = self
            .read::<super::de::Loose<AccountInfo>>("account/info", &[])
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
    pub(super) async fn get(
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

pub(super) fn opt_param<T: ToString>(
    name: &'static str,
    value: Option<T>,
) -> Vec<(&'static str, String)> {
    value.map(|v| (name, v.to_string())).into_iter().collect()
}

/// reqwest is built without a default crypto provider (no aws-lc C build); use ring's.
fn install_crypto_provider() {
    // Fails only when a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
