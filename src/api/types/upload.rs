//! `upload/server` and what an upload server answers.

use serde::de::{self, IgnoredAny, MapAccess, SeqAccess};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::de::{Lenient, Loose, LooseString, Ranked, each_field};

use super::{CODE, read, read_list};

/// `upload/server`: where to send the next file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UploadServer {
    pub url: String,
    /// Sent at the top level of the reply by live servers; absent on some.
    #[serde(skip)]
    pub sess_id: Option<String>,
    /// The server's clock when it answered: uploads after this moment are ours to look for.
    #[serde(skip)]
    pub server_time: Option<String>,
}

/// The result of `upload/server`: the URL as a string, or an object holding it (and maybe the
/// session).
#[derive(Debug, Default, Deserialize)]
#[serde(from = "Loose<UploadServerResult>")]
pub struct UploadServerResult {
    pub url: Option<String>,
    pub sess_id: Option<String>,
}

empty_when_unreadable!(UploadServerResult);

impl Lenient for UploadServerResult {
    fn from_str(v: &str) -> Option<Self> {
        let v = v.trim();
        Some(UploadServerResult {
            url: (!v.is_empty()).then(|| v.to_string()),
            sess_id: None,
        })
    }
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let (mut url, mut sess) = (Ranked::default(), Ranked::default());
        each_field(
            &mut map,
            &[&["url", "server"], &["sess_id"]],
            |field, rank, map| {
                match field {
                    "sess_id" => sess.offer(rank, map.next_value::<LooseString>()?.0),
                    _ => url.offer(rank, map.next_value::<Loose<ServerUrl>>()?.0.map(|u| u.0)),
                }
                Ok(())
            },
        )?;
        Ok(Some(UploadServerResult {
            url: url.get(),
            sess_id: sess.get(),
        }))
    }
}

/// A URL field: only a string counts (a number is no URL).
struct ServerUrl(String);

impl Lenient for ServerUrl {
    fn from_str(v: &str) -> Option<ServerUrl> {
        Some(ServerUrl(v.trim().to_string()))
    }
}

/// Where a finished upload is: in the folder asked for, or left in the root because moving it
/// there failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "placed", rename_all = "snake_case")]
pub enum Placement {
    /// In the folder asked for (the root when no folder was asked for).
    InFolder { fld_id: u64 },
    /// In the root: the move into `wanted` failed for `reason`.
    LeftInRoot { wanted: u64, reason: String },
}

impl Placement {
    /// The folder the file is in now.
    pub fn folder(&self) -> u64 {
        match self {
            Placement::InFolder { fld_id } => *fld_id,
            Placement::LeftInRoot { .. } => 0,
        }
    }
}

/// A finished upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UploadedFile {
    pub file_code: String,
    pub name: String,
    pub size: u64,
    pub url: String,
    /// Where the file is now.
    #[serde(flatten)]
    pub placement: Placement,
    /// When it arrived, by the server's clock (`YYYY-MM-DD HH:MM:SS`), as far as known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uploaded: Option<String>,
    /// The reply was lost, and the file was found on the account afterwards.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub recovered: bool,
}

/// What the upload server answered: a code, or `undef` with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadReply {
    pub file_code: String,
    pub file_status: String,
}

impl Lenient for UploadReply {
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let (mut code, mut status) = (Ranked::default(), Ranked::default());
        each_field(
            &mut map,
            &[CODE, &["file_status", "status", "st"]],
            |field, rank, map| {
                let text = map.next_value::<LooseString>()?.0;
                match field {
                    "file_status" => status.offer(rank, text),
                    _ => code.offer(rank, text),
                }
                Ok(())
            },
        )?;
        Ok(Some(UploadReply {
            file_code: code.get().unwrap_or_default(),
            file_status: status.get().unwrap_or_default(),
        }))
    }
}

/// An upload server's JSON reply in either shape: `[{"file_code","file_status"}]`, or an object
/// holding the list under `files` or `result`, or one item. `None` for an API-style error
/// envelope (`{"msg","status"}` without a code), which the caller reads as an error.
#[derive(Default, Deserialize)]
#[serde(from = "Loose<UploadReplyJson>")]
struct UploadReplyJson(Option<UploadReply>);

empty_when_unreadable!(UploadReplyJson);

impl Lenient for UploadReplyJson {
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let first = seq.next_element::<Loose<UploadReply>>()?.and_then(|i| i.0);
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Some(UploadReplyJson(first)))
    }
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        // Small, and its shape shows only once every key is seen: read it whole.
        let object = serde_json::Map::deserialize(de::value::MapAccessDeserializer::new(map))?;
        let list = ["files", "result"]
            .iter()
            .find_map(|k| object.get(*k).filter(|v| !v.is_null()));
        let reply = match list {
            Some(list) => read_list::<UploadReply>(list).into_iter().next(),
            None if object.contains_key("msg") && !CODE.iter().any(|k| object.contains_key(*k)) => {
                None
            }
            None => read::<UploadReply>(&Value::Object(object)),
        };
        Ok(Some(UploadReplyJson(reply)))
    }
}

impl UploadReply {
    /// Reads the three shapes servers of this family send: `[{"file_code","file_status"}]`,
    /// `{"files":[{"filecode","filename","status"}]}`, and an HTML page holding
    /// `<textarea name='fn'>CODE</textarea><textarea name='st'>OK</textarea>`.
    pub fn parse(body: &str) -> Option<Self> {
        if let Ok(reply) = serde_json::from_str::<UploadReplyJson>(body) {
            return reply.0;
        }
        let code = textarea(body, "fn")?;
        Some(UploadReply {
            file_code: code,
            file_status: textarea(body, "st").unwrap_or_default(),
        })
    }

    /// `undef` (or no code at all) means the server refused the file.
    pub fn refused(&self) -> bool {
        let code = self.file_code.trim();
        code.is_empty() || code.eq_ignore_ascii_case("undef")
    }

    /// A reply counts as an upload only with a code and a status of `OK` (or none at all): any
    /// other status ("Error: disk quota exceeded") is the server's reason for a failure.
    pub fn accepted(&self) -> bool {
        let status = self.file_status.trim();
        !self.refused() && (status.is_empty() || status.eq_ignore_ascii_case("ok"))
    }
}

/// The text of `<textarea name='NAME'>…</textarea>` in an HTML reply.
fn textarea(html: &str, name: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    for quote in ["'", "\"", ""] {
        let open = format!("name={quote}{name}{quote}");
        if let Some(at) = lower.find(&open) {
            let after = at + open.len();
            let start = after + lower[after..].find('>')? + 1;
            let end = start + lower[start..].find("</textarea")?;
            return Some(html[start..end].trim().to_string());
        }
    }
    None
}
