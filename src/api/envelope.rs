//! The reply envelope every call shares: `{"msg", "server_time", "status", "result"?}`.
//! Errors usually arrive with HTTP 200; the JSON `status` (a number or a string) decides.

use serde_json::{Map, Value};

use super::de::{value_as_string, value_as_u64};
use super::error::{ApiError, clean_message, excerpt};

/// A reply whose status said success.
#[derive(Debug, Clone)]
pub struct Envelope {
    pub status: u16,
    pub msg: String,
    pub server_time: Option<String>,
    pub result: Value,
    /// Top-level fields beside the usual four (`sess_id` of upload/server).
    pub extra: Map<String, Value>,
}

/// Decodes a reply body into its envelope, or the error it reports.
///
/// `key` is only used to scrub excerpts and messages.
pub fn decode(http_status: u16, body: &[u8], key: &str) -> Result<Envelope, ApiError> {
    let http_ok = (200..300).contains(&http_status);
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(_) if !http_ok => {
            return Err(ApiError::Http {
                status: http_status,
                excerpt: excerpt(body, key),
            });
        }
        Err(_) => {
            return Err(ApiError::InvalidJson {
                excerpt: excerpt(body, key),
            });
        }
    };
    let Value::Object(mut map) = value else {
        if !http_ok {
            return Err(ApiError::Http {
                status: http_status,
                excerpt: excerpt(body, key),
            });
        }
        // A bare result without an envelope: accept it as the result.
        return Ok(Envelope {
            status: 200,
            msg: String::new(),
            server_time: None,
            result: value,
            extra: Map::new(),
        });
    };
    let msg = map
        .remove("msg")
        .as_ref()
        .and_then(value_as_string)
        .map(|m| clean_message(&m, key))
        .unwrap_or_default();
    let status = match map.remove("status") {
        // Some hosts send `"status": "OK"`; anything unreadable falls back to the HTTP status.
        Some(v) => value_as_u64(&v)
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(if is_ok_word(&v) { 200 } else { http_status }),
        None => http_status,
    };
    if !(200..300).contains(&status) {
        return Err(ApiError::Api { status, msg });
    }
    if !http_ok {
        return Err(ApiError::Http {
            status: http_status,
            excerpt: excerpt(body, key),
        });
    }
    let server_time = map.remove("server_time").as_ref().and_then(value_as_string);
    let result = map.remove("result").unwrap_or(Value::Null);
    Ok(Envelope {
        status,
        msg,
        server_time,
        result,
        extra: map,
    })
}

fn is_ok_word(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.trim().eq_ignore_ascii_case("ok") || s.trim().eq_ignore_ascii_case("success")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "1l5ftrilhllgwx2bo";

    #[test]
    fn status_as_number_or_string() {
        let a = decode(200, br#"{"msg":"OK","status":200,"result":1}"#, KEY).unwrap();
        let b = decode(200, br#"{"msg":"OK","status":"200","result":1}"#, KEY).unwrap();
        assert_eq!(a.status, b.status);
        let e = decode(200, br#"{"msg":"Too Many Requests","status":"429"}"#, KEY).unwrap_err();
        assert_eq!(
            e,
            ApiError::Api {
                status: 429,
                msg: "Too Many Requests".into()
            }
        );
    }

    #[test]
    fn error_with_http_200() {
        let e = decode(
            200,
            br#"{"msg":"Wrong auth","server_time":"x","status":403}"#,
            KEY,
        )
        .unwrap_err();
        assert!(e.is_auth());
    }

    #[test]
    fn proxy_pages() {
        let e = decode(502, b"<html><h1>502 Bad Gateway</h1></html>", KEY).unwrap_err();
        assert!(matches!(e, ApiError::Http { status: 502, .. }), "{e:?}");
        let e = decode(200, b"error code: 520", KEY).unwrap_err();
        assert!(matches!(e, ApiError::InvalidJson { .. }), "{e:?}");
        assert!(e.to_string().contains("error code: 520"));
    }

    #[test]
    fn extra_fields_are_kept() {
        let env = decode(
            200,
            br#"{"status":200,"result":"http://u","sess_id":"abc"}"#,
            KEY,
        )
        .unwrap();
        assert_eq!(
            env.extra.get("sess_id").and_then(|v| v.as_str()),
            Some("abc")
        );
    }
}
