//! The JSON envelope every API reply travels in: `{"msg","server_time","status","result"?}`,
//! always with HTTP 200 (the truth is the JSON `status`).

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::clock;

/// A failed call: its JSON `status` and `msg`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorReply {
    pub status: u16,
    pub msg: String,
}

impl ErrorReply {
    pub fn new(status: u16, msg: impl Into<String>) -> ErrorReply {
        ErrorReply {
            status,
            msg: msg.into(),
        }
    }

    /// 400: a parameter is missing or malformed.
    pub fn bad(msg: impl Into<String>) -> ErrorReply {
        ErrorReply::new(400, msg)
    }

    pub fn not_found(msg: impl Into<String>) -> ErrorReply {
        ErrorReply::new(404, msg)
    }
}

/// A successful call: `status` 200, `msg` "OK", and maybe a `result`.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    pub result: Option<Value>,
    /// Top-level fields beside `result` (e.g. `sess_id`).
    pub extra: Vec<(&'static str, Value)>,
}

impl Reply {
    pub fn result(result: Value) -> Reply {
        Reply {
            result: Some(result),
            extra: Vec::new(),
        }
    }

    pub fn empty() -> Reply {
        Reply {
            result: None,
            extra: Vec::new(),
        }
    }

    pub fn with(mut self, key: &'static str, value: Value) -> Reply {
        self.extra.push((key, value));
        self
    }
}

/// The outcome of an API call.
pub type ApiResult = Result<Reply, ErrorReply>;

/// The envelope for an outcome.
pub fn envelope(outcome: ApiResult) -> Value {
    let mut m = Map::new();
    match outcome {
        Ok(reply) => {
            m.insert("msg".into(), json!("OK"));
            m.insert("server_time".into(), json!(clock::now_stamp()));
            m.insert("status".into(), json!(200));
            if let Some(r) = reply.result {
                m.insert("result".into(), r);
            }
            for (k, v) in reply.extra {
                m.insert(k.into(), v);
            }
        }
        Err(e) => {
            m.insert("msg".into(), json!(e.msg));
            m.insert("server_time".into(), json!(clock::now_stamp()));
            m.insert("status".into(), json!(e.status));
        }
    }
    Value::Object(m)
}

/// HTTP 200 with the envelope as JSON.
pub fn respond(outcome: ApiResult) -> Response {
    Json(envelope(outcome)).into_response()
}

/// A count or size as the service sends most of them: a decimal string.
pub fn num_str(n: u64) -> Value {
    Value::String(n.to_string())
}
