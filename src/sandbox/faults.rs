//! Fault injection for the API: latency, failures (JSON 500, an HTML 502 page, invalid JSON)
//! and a rate limit, adjustable while the sandbox runs. Uploads have their own
//! ([`super::UploadFaults`]).

use std::sync::Mutex;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::clock;

/// The API faults in force.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApiFaults {
    /// Added before every API reply.
    pub latency_ms: u64,
    /// The share of API calls that fail (0.0 to 1.0). With `html_errors` or `invalid_json` and
    /// no rate, every call fails that way.
    pub fail_rate: Option<f64>,
    /// Failures come as an HTML 502 page, as a proxy in front sends.
    pub html_errors: bool,
    /// Failures come as a cut-off JSON body.
    pub invalid_json: bool,
    /// Above this many API calls in one second, answer status "429" (a string).
    pub rate_limit: Option<u32>,
}

impl ApiFaults {
    /// Every API call fails with a server error.
    pub fn failing() -> ApiFaults {
        ApiFaults {
            fail_rate: Some(1.0),
            ..ApiFaults::default()
        }
    }

    /// Every API call fails with the HTML 502 page of a proxy in front.
    pub fn html_pages() -> ApiFaults {
        ApiFaults {
            html_errors: true,
            ..ApiFaults::default()
        }
    }

    /// Every API call answers with a cut-off JSON body.
    pub fn broken_json() -> ApiFaults {
        ApiFaults {
            invalid_json: true,
            ..ApiFaults::default()
        }
    }
}

/// What a call gets instead of its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Injected {
    ServerError,
    HtmlPage,
    InvalidJson,
    RateLimited,
}

pub struct FaultState {
    faults: RwLock<ApiFaults>,
    /// (start of the current second, calls in it).
    window: Mutex<(Instant, u32)>,
    rng: Mutex<fastrand::Rng>,
    /// Every API call seen, for tests (retries, pacing).
    calls: AtomicU64,
    /// Calls answered, by kind (`file/list`), for tests.
    by_call: Mutex<std::collections::HashMap<String, u64>>,
}

impl FaultState {
    pub fn new(faults: ApiFaults) -> FaultState {
        FaultState {
            faults: RwLock::new(faults),
            window: Mutex::new((Instant::now(), 0)),
            rng: Mutex::new(fastrand::Rng::with_seed(0x6d70_3475)),
            calls: AtomicU64::new(0),
            by_call: Mutex::new(std::collections::HashMap::new()),
        }
    }

    /// Counts a call of one kind that reached its handler.
    pub fn count(&self, call: &str) {
        let mut by_call = self.by_call.lock().unwrap_or_else(|e| e.into_inner());
        *by_call.entry(call.to_string()).or_default() += 1;
    }

    /// How many calls of one kind reached their handler.
    pub fn calls_of(&self, call: &str) -> u64 {
        let by_call = self.by_call.lock().unwrap_or_else(|e| e.into_inner());
        by_call.get(call).copied().unwrap_or(0)
    }

    pub fn get(&self) -> ApiFaults {
        self.faults
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set(&self, faults: ApiFaults) {
        *self.faults.write().unwrap_or_else(|e| e.into_inner()) = faults;
    }

    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// Waits the latency, counts the call, and decides whether it fails and how.
    pub async fn before_call(&self) -> Option<Injected> {
        let faults = self.get();
        if faults.latency_ms > 0 {
            tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
        }
        self.calls.fetch_add(1, Ordering::Relaxed);
        if let Some(limit) = faults.rate_limit {
            let mut window = self.window.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            if now.duration_since(window.0) >= Duration::from_secs(1) {
                *window = (now, 0);
            }
            window.1 += 1;
            if window.1 > limit {
                return Some(Injected::RateLimited);
            }
        }
        let rate = faults
            .fail_rate
            .unwrap_or(if faults.html_errors || faults.invalid_json {
                1.0
            } else {
                0.0
            });
        let roll = self.rng.lock().unwrap_or_else(|e| e.into_inner()).f64();
        if rate > 0.0 && roll < rate {
            return Some(if faults.html_errors {
                Injected::HtmlPage
            } else if faults.invalid_json {
                Injected::InvalidJson
            } else {
                Injected::ServerError
            });
        }
        None
    }
}

impl IntoResponse for Injected {
    fn into_response(self) -> Response {
        let now = clock::now_stamp();
        match self {
            Injected::ServerError => json_body(
                StatusCode::OK,
                format!(r#"{{"msg":"Internal server error","server_time":"{now}","status":500}}"#),
            ),
            Injected::RateLimited => json_body(
                StatusCode::OK,
                format!(r#"{{"msg":"Too Many Requests","server_time":"{now}","status":"429"}}"#),
            ),
            Injected::InvalidJson => json_body(
                StatusCode::OK,
                format!(
                    r#"{{"msg":"OK","server_time":"{now}","status":200,"result":[{{"filecode":"ab"#
                ),
            ),
            Injected::HtmlPage => (
                StatusCode::BAD_GATEWAY,
                [(header::CONTENT_TYPE, "text/html")],
                "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
                 <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
                 </body>\r\n</html>\r\n",
            )
                .into_response(),
        }
    }
}

fn json_body(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn rate_limit_and_failure_modes() {
        let state = FaultState::new(ApiFaults {
            rate_limit: Some(2),
            ..Default::default()
        });
        assert_eq!(state.before_call().await, None);
        assert_eq!(state.before_call().await, None);
        assert_eq!(state.before_call().await, Some(Injected::RateLimited));
        state.set(ApiFaults::html_pages());
        assert_eq!(state.before_call().await, Some(Injected::HtmlPage));
        state.set(ApiFaults::broken_json());
        assert_eq!(state.before_call().await, Some(Injected::InvalidJson));
        state.set(ApiFaults::failing());
        assert_eq!(state.before_call().await, Some(Injected::ServerError));
        state.set(ApiFaults {
            fail_rate: Some(0.3),
            ..Default::default()
        });
        let mut failed = 0;
        for _ in 0..1000 {
            failed += usize::from(state.before_call().await.is_some());
        }
        assert!((200..400).contains(&failed), "{failed} of 1000 at 0.3");
        assert_eq!(state.calls(), 1006);
    }
}
