//! The reply envelope every call shares: `{"msg", "server_time", "status", "result"?}`.
//! Errors usually arrive with HTTP 200; the JSON `status` (a number or a string) decides.
//!
//! The envelope and its result are read in one pass straight from the bytes ([`decode_as`]):
//! the result as the type the call returns, never as a `serde_json::Value` tree.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::de::{Lenient, Loose, LooseString, Names, each_field};
use super::error::{ApiError, clean_message, excerpt};

/// A reply whose status said success.
#[derive(Debug, Clone)]
pub struct Envelope<T = Value> {
    pub status: u16,
    pub msg: String,
    pub server_time: Option<String>,
    pub result: T,
    /// Sent beside the result by upload/server on live servers.
    pub sess_id: Option<String>,
}

/// Decodes a reply body into its envelope with the result as a `serde_json::Value` (tests and
/// fuzzing look at any result this way; the client reads typed results with [`decode_as`]).
///
/// `key` is only used to scrub excerpts and messages.
pub fn decode(http_status: u16, body: &[u8], key: &str) -> Result<Envelope<Value>, ApiError> {
    decode_as(http_status, body, key)
}

/// Decodes a reply body into its envelope, reading the result as `T`, or the error it reports.
///
/// `T` must read any JSON value without failing (the readers of `super::de` do): only a syntax
/// error fails the reply. `key` is only used to scrub excerpts and messages.
pub fn decode_as<T: DeserializeOwned + Default>(
    http_status: u16,
    body: &[u8],
    key: &str,
) -> Result<Envelope<T>, ApiError> {
    let http_ok = (200..300).contains(&http_status);
    let raw: Raw<T> = match serde_json::from_slice(body) {
        Ok(raw) => raw,
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
    let Some(fields) = raw.envelope else {
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
            result: raw.result,
            sess_id: None,
        });
    };
    let msg = fields
        .msg
        .map(|m| clean_message(&m, key))
        .unwrap_or_default();
    let status = match fields.status {
        Some(Status::Code(code)) => u16::try_from(code).unwrap_or(http_status),
        // Some hosts send `"status": "OK"`.
        Some(Status::OkWord) => 200,
        // Anything unreadable falls back to the HTTP status.
        Some(Status::Other) | None => http_status,
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
    Ok(Envelope {
        status,
        msg,
        server_time: fields.server_time,
        result: raw.result,
        sess_id: fields.sess_id,
    })
}

/// The `status` field: a number (or numeric string), a word meaning success, or neither.
enum Status {
    Code(u64),
    OkWord,
    Other,
}

impl Lenient for Status {
    fn from_str(t: &str) -> Option<Status> {
        let t = t.trim();
        Some(
            if t.eq_ignore_ascii_case("ok") || t.eq_ignore_ascii_case("success") {
                Status::OkWord
            } else {
                u64::from_str(t).map_or(Status::Other, Status::Code)
            },
        )
    }
    fn from_u64(v: u64) -> Option<Status> {
        Some(Status::Code(v))
    }
    fn from_i64(v: i64) -> Option<Status> {
        Self::from_str(&v.to_string())
    }
    fn from_f64(v: f64) -> Option<Status> {
        String::from_f64(v).and_then(|t| Self::from_str(&t))
    }
    fn from_bool(v: bool) -> Option<Status> {
        Self::from_str(&v.to_string())
    }
}

/// The envelope's own fields, when the reply was an object.
#[derive(Default)]
struct Fields {
    msg: Option<String>,
    status: Option<Status>,
    server_time: Option<String>,
    sess_id: Option<String>,
}

/// A whole reply: the envelope's fields (`None` when the reply was no object) and the result.
struct Raw<T> {
    envelope: Option<Fields>,
    result: T,
}

impl<'de, T: DeserializeOwned + Default> Deserialize<'de> for Raw<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor(PhantomData))
    }
}

struct RawVisitor<T>(PhantomData<T>);

/// A bare result (no envelope) of a scalar kind, read as `T` through the matching deserializer.
macro_rules! bare {
    ($name:ident, $ty:ty, $de:ident) => {
        fn $name<E: de::Error>(self, v: $ty) -> Result<Raw<T>, E> {
            Ok(Raw {
                envelope: None,
                result: T::deserialize(de::value::$de::<E>::new(v))?,
            })
        }
    };
}

impl<'de, T: DeserializeOwned + Default> Visitor<'de> for RawVisitor<T> {
    type Value = Raw<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON reply")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw<T>, A::Error> {
        const FIELDS: &[Names] = &[
            &["msg"],
            &["status"],
            &["server_time"],
            &["result"],
            &["sess_id"],
        ];
        let mut fields = Fields::default();
        let mut result = None;
        each_field(&mut map, FIELDS, |field, _, map| {
            match field {
                "msg" => fields.msg = map.next_value::<LooseString>()?.0,
                "status" => {
                    let status = map.next_value::<Loose<Status>>()?.0;
                    fields.status = Some(status.unwrap_or(Status::Other));
                }
                "server_time" => fields.server_time = map.next_value::<LooseString>()?.0,
                "sess_id" => fields.sess_id = map.next_value::<LooseString>()?.0,
                _ => result = Some(map.next_value::<T>()?),
            }
            Ok(())
        })?;
        Ok(Raw {
            envelope: Some(fields),
            result: result.unwrap_or_default(),
        })
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Raw<T>, A::Error> {
        Ok(Raw {
            envelope: None,
            result: T::deserialize(de::value::SeqAccessDeserializer::new(seq))?,
        })
    }

    bare!(visit_bool, bool, BoolDeserializer);
    bare!(visit_u64, u64, U64Deserializer);
    bare!(visit_i64, i64, I64Deserializer);
    bare!(visit_f64, f64, F64Deserializer);

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw<T>, E> {
        Ok(Raw {
            envelope: None,
            result: T::deserialize(de::value::StrDeserializer::<E>::new(v))?,
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<Raw<T>, E> {
        Ok(Raw {
            envelope: None,
            result: T::deserialize(de::value::UnitDeserializer::<E>::new())?,
        })
    }
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
    fn the_session_beside_the_result_is_kept() {
        let env = decode(
            200,
            br#"{"status":200,"result":"http://u","sess_id":"abc","other":[1]}"#,
            KEY,
        )
        .unwrap();
        assert_eq!(env.sess_id.as_deref(), Some("abc"));
    }

    #[test]
    fn a_bare_result_is_accepted() {
        let env = decode(200, br#"[{"a":1}]"#, KEY).unwrap();
        assert_eq!(env.result, serde_json::json!([{"a": 1}]));
        let env = decode(200, br#""just a string""#, KEY).unwrap();
        assert_eq!(env.result, serde_json::json!("just a string"));
        assert!(decode(502, br#"[1]"#, KEY).is_err());
    }
}
