//! One error type for everything a call can run into, with sentences a user understands.
//!
//! No text in here may carry the API key: every string that comes from outside (a server's
//! message, a body excerpt, a transport error that prints the URL) passes through [`redact`].

use std::fmt;

/// An upload whose reply was lost: what identifies it on the account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LostUpload {
    /// The local file name, as it was sent.
    pub name: String,
    pub size: u64,
    /// The server's clock (`YYYY-MM-DD HH:MM:SS`) before the upload began, when it said.
    pub since: Option<String>,
    /// Our clock (seconds since 1970) before the upload began, for a server that gave no time.
    pub asked_at: u64,
}

/// How a request failed before any reply could be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    Connect,
    Timeout,
    /// The connection broke mid-way (reset, closed, a body error).
    Interrupted,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The key is not of the form `^[a-z0-9]{16,}$`; nothing was sent.
    #[error(
        "the API key is malformed: an mp4upload API key is 16 or more lowercase letters and digits"
    )]
    MalformedKey,

    /// The base URL cannot be used.
    #[error("the API address {0:?} is not a usable http(s) URL")]
    BadUrl(String),

    /// A value we refuse to send (an empty name, no file codes).
    #[error("{0}")]
    InvalidInput(String),

    /// No reply: could not connect, timed out, or the connection broke.
    #[error("{}", transport_sentence(*.kind, .host, .detail))]
    Transport {
        kind: TransportKind,
        host: String,
        detail: String,
    },

    /// The server answered with an HTTP error and no API reply (a proxy page, a 502).
    #[error("the server answered HTTP {status} instead of an API reply{}", excerpt_suffix(.excerpt))]
    Http { status: u16, excerpt: String },

    /// The API answered with an error status in its JSON (usually with HTTP 200).
    #[error("{}", api_sentence(*.status, .msg))]
    Api { status: u16, msg: String },

    /// The reply was not the JSON the API sends.
    #[error("the server sent invalid JSON{}", excerpt_suffix(.excerpt))]
    InvalidJson { excerpt: String },

    /// The JSON was valid but did not hold what the call returns.
    #[error("the server's reply to {call} did not hold the expected result{}", excerpt_suffix(.excerpt))]
    UnexpectedReply { call: &'static str, excerpt: String },

    /// The upload server refused the file (`file_code: "undef"`, or a code with a status other
    /// than OK), with its reason.
    #[error("mp4upload refused the upload: {reason}")]
    UploadRefused { reason: String },

    /// The upload server gave no session, and the API key may not stand in for one here.
    #[error("{reason}")]
    NoUploadSession { reason: String },

    /// Every byte was sent but the reply was lost, and looking for the file on the account
    /// could not finish: it may be there. Looking again (not sending again) settles it.
    #[error(
        "the reply to the upload was lost and the account could not be checked ({reason}): the file may be on the account"
    )]
    UploadUnconfirmed {
        reason: String,
        /// What to look for, to settle it later.
        lookup: Box<LostUpload>,
    },

    /// No byte of the upload moved for too long.
    #[error("the upload stalled: no progress for {secs} seconds")]
    UploadStalled { secs: u64 },

    /// A local file could not be used for an upload.
    #[error("{path}: {reason}")]
    LocalFile { path: String, reason: String },
}

impl ApiError {
    /// The API status of an API error (`403` for "Wrong auth"), if this is one.
    pub fn api_status(&self) -> Option<u16> {
        match self {
            ApiError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the error says the key itself was refused.
    pub fn is_auth(&self) -> bool {
        matches!(self, ApiError::MalformedKey)
            || matches!(self, ApiError::Api { status, msg } if key_refused(*status, msg))
    }

    /// Whether the server said there were too many calls (429).
    pub fn is_rate_limited(&self) -> bool {
        matches!(
            self,
            ApiError::Api { status: 429, .. } | ApiError::Http { status: 429, .. }
        )
    }

    /// Whether the server locked this address out (a 429 that names a wait of minutes or
    /// hours, or failed attempts): asking again only makes it longer.
    pub fn is_lockout(&self) -> bool {
        matches!(self, ApiError::Api { status: 429, msg } if lockout_message(msg))
    }

    /// How long a lockout lasts, when the server said.
    pub fn lockout_wait(&self) -> Option<std::time::Duration> {
        match self {
            ApiError::Api { status: 429, msg } if lockout_message(msg) => named_wait(msg),
            _ => None,
        }
    }

    /// Whether an upload that ended in this error after its last byte went out may be on the
    /// account all the same: no answer came, or not the server's own.
    pub fn may_have_arrived(&self) -> bool {
        matches!(
            self,
            ApiError::Transport { .. }
                | ApiError::UploadStalled { .. }
                | ApiError::Http { .. }
                | ApiError::UploadUnconfirmed { .. }
        )
    }

    /// Whether a read-only call that failed this way may succeed if simply asked again. A
    /// lockout and an exceeded bandwidth (509) are not: they last for minutes or hours.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Transport { .. } => true,
            ApiError::Http { status: 509, .. } | ApiError::Api { status: 509, .. } => false,
            ApiError::Api { .. } if self.is_lockout() => false,
            ApiError::Http { status, .. } => *status >= 500 || *status == 429,
            ApiError::Api { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}

/// A 429 message that says the address is locked out rather than asked to slow down.
fn lockout_message(msg: &str) -> bool {
    let lower = msg.to_ascii_lowercase();
    named_wait(msg).is_some_and(|wait| wait >= std::time::Duration::from_secs(60))
        || lower.contains("failed attempt")
        || lower.contains("locked")
        || lower.contains("banned")
        || lower.contains("blocked")
}

/// The wait a message names: "Try again in 60 minutes", "in 1 hour", "30 sec".
fn named_wait(msg: &str) -> Option<std::time::Duration> {
    let lower = msg.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '.')
        .filter(|w| !w.is_empty())
        .collect();
    for pair in words.windows(2) {
        let Ok(n) = pair[0].trim_end_matches('.').parse::<f64>() else {
            continue;
        };
        let unit = pair[1].trim_end_matches('.');
        let secs = if unit.starts_with("hour") || unit == "h" || unit == "hr" || unit == "hrs" {
            3600.0
        } else if unit.starts_with("min") || unit == "m" {
            60.0
        } else if unit.starts_with("sec") || unit == "s" {
            1.0
        } else if unit.starts_with("day") {
            86_400.0
        } else {
            continue;
        };
        if (0.0..1e6).contains(&n) {
            return Some(std::time::Duration::from_secs_f64(n * secs));
        }
    }
    None
}

fn key_refused(status: u16, msg: &str) -> bool {
    let msg = msg.to_ascii_lowercase();
    (status == 400 || status == 401 || status == 403)
        && (msg.contains("key") || msg.contains("auth"))
}

fn api_sentence(status: u16, msg: &str) -> String {
    let what = if msg.is_empty() {
        status.to_string()
    } else {
        format!("{status} {msg}")
    };
    if status == 429 && lockout_message(msg) {
        return format!(
            "mp4upload locked this address out: {what}; asking again would only make it longer"
        );
    }
    let lead = match status {
        _ if key_refused(status, msg) => "mp4upload rejected the API key",
        403 => "mp4upload refused the request",
        404 => "mp4upload found no such item",
        429 => "mp4upload is limiting requests; wait a moment and try again",
        451 => "mp4upload withholds this for legal reasons",
        509 => "the account's bandwidth is exceeded",
        400..=499 => "mp4upload refused the request",
        500..=599 => "mp4upload had a server error",
        _ => "mp4upload answered with an error",
    };
    format!("{lead} ({what})")
}

fn transport_sentence(kind: TransportKind, host: &str, detail: &str) -> String {
    let detail = if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    };
    match kind {
        TransportKind::Connect => format!("could not connect to {host}{detail}"),
        TransportKind::Timeout => format!("{host} did not answer in time{detail}"),
        TransportKind::Interrupted => format!("the connection to {host} broke{detail}"),
        TransportKind::Other => format!("the request to {host} failed{detail}"),
    }
}

fn excerpt_suffix(excerpt: &str) -> String {
    if excerpt.is_empty() {
        String::new()
    } else {
        format!(": \"{excerpt}\"")
    }
}

/// Removes the key from text: every occurrence of the key itself, and the value of any `key=`
/// query parameter (whatever key it holds).
pub fn redact(text: &str, key: &str) -> String {
    let mut out = if key.len() >= 4 {
        text.replace(key, "***")
    } else {
        text.to_string()
    };
    let mut search_from = 0;
    while let Some(found) = out[search_from..].find("key=") {
        let start = search_from + found + "key=".len();
        let end = out[start..]
            .find(|c: char| c == '&' || c == '#' || c == ')' || c.is_whitespace() || c == '"')
            .map_or(out.len(), |n| start + n);
        if &out[start..end] != "***" {
            out.replace_range(start..end, "***");
        }
        search_from = start + 3;
    }
    out
}

/// A short, single-line, printable excerpt of a body for an error message.
///
/// The key is removed before the text is cut short: cutting first could leave the key's first
/// half in the excerpt, where redaction no longer recognises it.
/// The title of an HTML page, else its text without the tags; `None` when it is not HTML.
fn readable_html(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let trimmed = lower.trim_start();
    if !(trimmed.starts_with('<')
        && (lower.contains("<html")
            || lower.contains("<body")
            || lower.contains("<title")
            || lower.contains("<h1")))
    {
        return None;
    }
    if let Some(start) = lower.find("<title>").map(|i| i + "<title>".len())
        && let Some(len) = lower[start..].find("</title>")
        && !text[start..start + len].trim().is_empty()
    {
        return Some(text[start..start + len].trim().to_string());
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    Some(out)
}

pub fn excerpt(body: &[u8], key: &str) -> String {
    const MAX_CHARS: usize = 80;
    const MAX_BYTES: usize = 4096;
    let cut = body.len().min(MAX_BYTES);
    let mut text = redact(&String::from_utf8_lossy(&body[..cut]), key);
    if cut < body.len() {
        drop_key_prefix(&mut text, key);
    }
    // An HTML page (a proxy's error) reads best as its title, or as its text without tags.
    let text = readable_html(&text).unwrap_or(text);
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut short: String = flat.chars().take(MAX_CHARS).collect();
    if flat.chars().count() > MAX_CHARS {
        short.push('…');
    }
    short
}

/// Removes a tail of `text` that is the start of the key (a key cut in two by a length limit).
fn drop_key_prefix(text: &mut String, key: &str) {
    if let Some(n) = (1..key.len())
        .rev()
        .find(|n| key.is_char_boundary(*n) && text.ends_with(&key[..*n]))
    {
        text.truncate(text.len() - n);
    }
}

/// Cleans a server's message for display: one line, printable, bounded, key-free.
pub fn clean_message(msg: &str, key: &str) -> String {
    let one_line: String = redact(msg, key)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    one_line.trim().to_string()
}

/// Describes a reqwest error without its URL (which carries the key in its query).
pub(crate) fn from_reqwest(err: &reqwest::Error, host: &str, key: &str) -> ApiError {
    let kind = if err.is_timeout() {
        TransportKind::Timeout
    } else if err.is_connect() {
        TransportKind::Connect
    } else if err.is_body() || err.is_request() || err.is_decode() {
        TransportKind::Interrupted
    } else {
        TransportKind::Other
    };
    // The innermost cause reads best ("Connection refused (os error 111)"); the outer layers
    // repeat the URL.
    let mut detail = String::new();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        detail = cause.to_string();
        source = cause.source();
    }
    if detail.is_empty() {
        detail = err.to_string();
    }
    // A stalled upload is reported by the watchdog, not as a timeout here.
    if kind == TransportKind::Timeout && detail.contains("timed out") {
        detail.clear();
    }
    if let Some(words) = tls_mistake(&detail) {
        detail = words.into();
    }
    ApiError::Transport {
        kind,
        host: host.to_string(),
        detail: redact(&strip_urls(&detail), key),
    }
}

/// The TLS library's words for a server that does not speak TLS (an `https://` address of a
/// plain-http server), in ours.
fn tls_mistake(detail: &str) -> Option<&'static str> {
    let lower = detail.to_ascii_lowercase();
    (lower.contains("corrupt message")
        || lower.contains("invalidcontenttype")
        || lower.contains("wrong version number"))
    .then_some(
        "the server does not speak https (TLS) there; its address may begin with http://, not \
         https://",
    )
}

/// Drops anything that looks like a URL with a query from a message.
fn strip_urls(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            if word.contains("://") && word.contains('?') {
                let cut = word.find('?').unwrap_or(word.len());
                &word[..cut]
            } else {
                word
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The host (and port) of a URL, for messages: never its query.
pub(crate) fn host_of(url: &url::Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        _ => "the server".to_string(),
    }
}

/// A key that never prints: `Debug` and `Display` show `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Checks the form `^[a-z0-9]{16,}$` (surrounding white space is forgiven).
    pub fn parse(text: &str) -> Result<ApiKey, ApiError> {
        let key = text.trim();
        if key.len() >= 16
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            Ok(ApiKey(key.to_string()))
        } else {
            Err(ApiError::MalformedKey)
        }
    }

    /// The key itself, for the query string and for redaction. Nothing else may use it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_form() {
        assert!(ApiKey::parse("1l5ftrilhllgwx2bo").is_ok());
        assert!(ApiKey::parse(" 1l5ftrilhllgwx2bo\n").is_ok());
        assert_eq!(ApiKey::parse("short"), Err(ApiError::MalformedKey));
        assert_eq!(
            ApiKey::parse("UPPERCASEKEY00000"),
            Err(ApiError::MalformedKey)
        );
        assert_eq!(
            ApiKey::parse("with-dash-000000000"),
            Err(ApiError::MalformedKey)
        );
        let key = ApiKey::parse("1l5ftrilhllgwx2bo").unwrap();
        assert_eq!(format!("{key:?} {key}"), "ApiKey(***) ***");
    }

    #[test]
    fn redaction() {
        let key = "1l5ftrilhllgwx2bo";
        let text = "error sending request for url (http://h/api/x?key=1l5ftrilhllgwx2bo&a=1)";
        let out = redact(text, key);
        assert!(!out.contains(key), "{out}");
        assert!(out.contains("key=***&a=1"), "{out}");
        assert_eq!(redact("?key=otherkey123", key), "?key=***");
        assert_eq!(redact("key=", key), "key=***");
    }

    #[test]
    fn sentences() {
        let e = ApiError::Api {
            status: 403,
            msg: "Wrong auth".into(),
        };
        assert_eq!(
            e.to_string(),
            "mp4upload rejected the API key (403 Wrong auth)"
        );
        assert!(e.is_auth());
        let e = ApiError::Api {
            status: 404,
            msg: "no file".into(),
        };
        assert_eq!(e.to_string(), "mp4upload found no such item (404 no file)");
        let e = ApiError::Api {
            status: 403,
            msg: "This function not allowed in API".into(),
        };
        assert!(!e.is_auth());
    }

    #[test]
    fn lockouts_and_509_are_not_retried() {
        let lockout = ApiError::Api {
            status: 429,
            msg: "Too many failed attempts. Try again in 60 minutes".into(),
        };
        assert!(lockout.is_lockout() && !lockout.is_transient());
        assert_eq!(
            lockout.lockout_wait(),
            Some(std::time::Duration::from_secs(3600))
        );
        assert!(
            lockout.to_string().contains("Try again in 60 minutes"),
            "{lockout}"
        );
        let hour = ApiError::Api {
            status: 429,
            msg: "Rate limit exceeded, retry in 1 hour".into(),
        };
        assert!(hour.is_lockout());
        let slow_down = ApiError::Api {
            status: 429,
            msg: "Too Many Requests".into(),
        };
        assert!(!slow_down.is_lockout() && slow_down.is_transient());
        let seconds = ApiError::Api {
            status: 429,
            msg: "Too many requests, try again in 2 seconds".into(),
        };
        assert!(!seconds.is_lockout() && seconds.is_transient());
        let bandwidth = ApiError::Api {
            status: 509,
            msg: "Bandwidth Limit Exceeded".into(),
        };
        assert!(!bandwidth.is_transient());
        assert!(
            !ApiError::Http {
                status: 509,
                excerpt: String::new()
            }
            .is_transient()
        );
    }

    #[test]
    fn a_key_cut_by_a_limit_is_still_hidden() {
        let key = "1l5ftrilhllgwx2bo";
        // The key straddles the 80-character excerpt, the 4096-byte read and the message limit.
        let body = format!("{}{key}", "x".repeat(72));
        assert!(!excerpt(body.as_bytes(), key).contains(&key[..8]));
        let body = format!("{}{key}tail", " ".repeat(4090));
        assert!(!excerpt(body.as_bytes(), key).contains(&key[..4]));
        let msg = format!("{}{key}", "y".repeat(190));
        assert!(!clean_message(&msg, key).contains(&key[..8]));
    }

    #[test]
    fn html_pages_read_as_their_title_or_text() {
        let page = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><h1>502</h1></body></html>";
        assert_eq!(excerpt(page, "1l5ftrilhllgwx2bo"), "502 Bad Gateway");
        let page = b"<html><body><h1>Service Unavailable</h1><p>try later</p></body></html>";
        assert_eq!(
            excerpt(page, "1l5ftrilhllgwx2bo"),
            "Service Unavailable try later"
        );
        assert_eq!(
            excerpt(b"error code: 520", "1l5ftrilhllgwx2bo"),
            "error code: 520"
        );
    }

    #[test]
    fn excerpts_are_short_and_flat() {
        let body = format!("<html>\n<title>502</title>{}</html>", "x".repeat(500));
        let ex = excerpt(body.as_bytes(), "1l5ftrilhllgwx2bo");
        assert!(ex.chars().count() <= 81);
        assert!(!ex.contains('\n'));
    }
}
