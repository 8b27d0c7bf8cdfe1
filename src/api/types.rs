//! What the API's calls return, decoded tolerantly from whatever shape the server sent.
//!
//! Each type is built from a `serde_json::Value` by a `from_value` that looks a field up under
//! every name it is known by (`filecode`/`file_code`, `download`/`downloads`) and reads numbers
//! whether they came as numbers or strings. A field that is missing or unreadable is `None`.

use serde::Serialize;
use serde_json::{Map, Value};

use super::de::{value_as_bool, value_as_f64, value_as_string, value_as_u64, values_of};

/// Field look-ups over one JSON object, by any of a field's known names.
struct Fields<'a>(&'a Map<String, Value>);

impl Fields<'_> {
    fn get(&self, names: &[&str]) -> Option<&Value> {
        names
            .iter()
            .filter_map(|name| self.0.get(*name))
            .find(|v| !v.is_null())
    }
    fn string(&self, names: &[&str]) -> Option<String> {
        self.get(names)
            .and_then(value_as_string)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }
    fn u64(&self, names: &[&str]) -> Option<u64> {
        self.get(names).and_then(value_as_u64)
    }
    fn f64(&self, names: &[&str]) -> Option<f64> {
        self.get(names).and_then(value_as_f64)
    }
    fn bool(&self, names: &[&str]) -> Option<bool> {
        self.get(names).and_then(value_as_bool)
    }
}

const CODE: &[&str] = &["filecode", "file_code", "code"];

/// `account/info`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountInfo {
    pub email: Option<String>,
    pub balance: Option<f64>,
    pub storage_used: Option<u64>,
    pub storage_left: StorageLeft,
    pub premium_expire: Option<String>,
}

/// Storage left on the account: a number of bytes, unlimited (`"inf"`), or not said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageLeft {
    Bytes(u64),
    Unlimited,
    Unknown,
}

impl Serialize for StorageLeft {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            StorageLeft::Bytes(n) => s.serialize_u64(*n),
            StorageLeft::Unlimited => s.serialize_str("inf"),
            StorageLeft::Unknown => s.serialize_none(),
        }
    }
}

impl AccountInfo {
    pub fn from_value(value: &Value) -> Option<Self> {
        let f = Fields(value.as_object()?);
        let storage_left = match f.get(&["storage_left"]) {
            Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("inf") => {
                StorageLeft::Unlimited
            }
            Some(v) => value_as_u64(v).map_or(StorageLeft::Unknown, StorageLeft::Bytes),
            None => StorageLeft::Unknown,
        };
        Some(AccountInfo {
            email: f.string(&["email", "login"]),
            balance: f.f64(&["balance"]),
            storage_used: f.u64(&["storage_used"]),
            storage_left,
            premium_expire: f.string(&["premium_expire", "premium_expire_date"]),
        })
    }
}

/// One day of `account/stats`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayStats {
    pub day: String,
    pub views: u64,
    pub downloads: u64,
    pub views_prem: u64,
    pub views_adb: u64,
    pub sales: u64,
    pub refs: u64,
    pub profit_views: f64,
    pub profit_sales: f64,
    pub profit_refs: f64,
    pub profit_site: f64,
    pub profit_total: f64,
}

impl DayStats {
    pub fn from_value(value: &Value) -> Option<Self> {
        let f = Fields(value.as_object()?);
        let n = |name: &str| f.u64(&[name]).unwrap_or(0);
        let m = |name: &str| f.f64(&[name]).unwrap_or(0.0);
        Some(DayStats {
            day: f.string(&["day", "date"])?,
            views: n("views"),
            downloads: f.u64(&["downloads", "download"]).unwrap_or(0),
            views_prem: n("views_prem"),
            views_adb: n("views_adb"),
            sales: n("sales"),
            refs: n("refs"),
            profit_views: m("profit_views"),
            profit_sales: m("profit_sales"),
            profit_refs: m("profit_refs"),
            profit_site: m("profit_site"),
            profit_total: m("profit_total"),
        })
    }

    /// Days of a reply, oldest first, whatever order the server used.
    pub fn list_from_value(value: Value) -> Vec<Self> {
        let mut days: Vec<Self> = values_of(value)
            .iter()
            .filter_map(Self::from_value)
            .collect();
        days.sort_by(|a, b| a.day.cmp(&b.day));
        days
    }
}

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

/// A file as `file/info`, `file/list` and `file/rename` describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileInfo {
    pub file_code: String,
    /// The item's own status: 200 found, 404 no such file (or not yours).
    pub status: u16,
    pub name: Option<String>,
    pub size: Option<u64>,
    pub downloads: Option<u64>,
    pub uploaded: Option<String>,
    pub fld_id: Option<u64>,
    pub public: Option<bool>,
    pub link: Option<String>,
    pub canplay: Option<bool>,
    pub views_started: Option<u64>,
}

impl FileInfo {
    pub fn from_value(value: &Value) -> Option<Self> {
        let f = Fields(value.as_object()?);
        let file_code = f.string(CODE)?;
        let status = f
            .u64(&["status"])
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(200);
        Some(FileInfo {
            file_code,
            status,
            name: f.string(&["name", "file_title", "title", "filename"]),
            size: f.u64(&["size", "file_size"]),
            downloads: f.u64(&["downloads", "download"]),
            uploaded: f.string(&["uploaded", "created"]),
            fld_id: f.u64(&["fld_id"]),
            public: f.bool(&["public"]),
            link: f.string(&["link", "url"]),
            canplay: f.bool(&["canplay"]),
            views_started: f.u64(&["views_started"]),
        })
    }

    /// A file the server says nothing about: status 404.
    pub fn missing(code: &str) -> FileInfo {
        FileInfo {
            file_code: code.to_string(),
            status: 404,
            name: None,
            size: None,
            downloads: None,
            uploaded: None,
            fld_id: None,
            public: None,
            link: None,
            canplay: None,
            views_started: None,
        }
    }

    /// Whether the server has this file (an item of status 404 is a file that does not exist).
    pub fn exists(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn list_from_value(value: Value) -> Vec<Self> {
        values_of(value)
            .iter()
            .filter_map(Self::from_value)
            .collect()
    }
}

/// One page of `file/list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileList {
    pub files: Vec<FileInfo>,
    /// Sent only by hosts that answer with an object instead of a bare array.
    pub results_total: Option<u64>,
    pub total_pages: Option<u64>,
}

impl FileList {
    pub fn from_value(value: Value) -> Self {
        let (items, results_total, total_pages) = match value {
            Value::Object(mut map) if map.contains_key("files") => {
                let f = Fields(&map);
                let total = f.u64(&["results_total", "total", "results"]);
                let pages = f.u64(&["total_pages", "pages"]);
                (map.remove("files").unwrap_or(Value::Null), total, pages)
            }
            other => (other, None, None),
        };
        FileList {
            // A listing holds only files that exist; the seed's example shows a 404 item too.
            files: FileInfo::list_from_value(items)
                .into_iter()
                .filter(FileInfo::exists)
                .collect(),
            results_total,
            total_pages,
        }
    }
}

/// `file/clone`: the new copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClonedFile {
    pub file_code: String,
    pub url: Option<String>,
}

impl ClonedFile {
    pub fn from_value(value: &Value) -> Option<Self> {
        let value = match value {
            Value::Array(items) => items.first()?,
            other => other,
        };
        let f = Fields(value.as_object()?);
        Some(ClonedFile {
            file_code: f.string(CODE)?,
            url: f.string(&["url", "link"]),
        })
    }
}

/// A folder as `folder/list` names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Folder {
    pub fld_id: u64,
    pub name: String,
}

/// A file as `folder/list` names it (fewer fields than `file/list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FolderFile {
    pub file_code: String,
    pub name: Option<String>,
    pub link: Option<String>,
    pub uploaded: Option<String>,
    pub fld_id: Option<u64>,
}

/// `folder/list`: the subfolders and files of one folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct FolderListing {
    pub folders: Vec<Folder>,
    pub files: Vec<FolderFile>,
}

impl FolderListing {
    pub fn from_value(value: Value) -> Self {
        let Value::Object(mut map) = value else {
            return FolderListing::default();
        };
        let folders = values_of(map.remove("folders").unwrap_or(Value::Null))
            .iter()
            .filter_map(|v| {
                let f = Fields(v.as_object()?);
                Some(Folder {
                    fld_id: f.u64(&["fld_id", "id"])?,
                    name: f.string(&["name", "fld_name"]).unwrap_or_default(),
                })
            })
            .collect();
        let files = values_of(map.remove("files").unwrap_or(Value::Null))
            .iter()
            .filter_map(|v| {
                let f = Fields(v.as_object()?);
                Some(FolderFile {
                    file_code: f.string(CODE)?,
                    name: f.string(&["name", "file_title", "title"]),
                    link: f.string(&["link", "url"]),
                    uploaded: f.string(&["uploaded", "created"]),
                    fld_id: f.u64(&["fld_id"]),
                })
            })
            .collect();
        FolderListing { folders, files }
    }
}

/// One entry of `files/deleted`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeletedFile {
    pub file_code: String,
    pub name: Option<String>,
    pub deleted: Option<String>,
    pub deleted_ago_sec: Option<u64>,
}

impl DeletedFile {
    pub fn from_value(value: &Value) -> Option<Self> {
        let f = Fields(value.as_object()?);
        Some(DeletedFile {
            file_code: f.string(CODE)?,
            name: f.string(&["name", "file_title"]),
            deleted: f.string(&["deleted"]),
            deleted_ago_sec: f.u64(&["deleted_ago_sec"]),
        })
    }

    pub fn list_from_value(value: Value) -> Vec<Self> {
        values_of(value)
            .iter()
            .filter_map(Self::from_value)
            .collect()
    }
}

/// A finished upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UploadedFile {
    pub file_code: String,
    pub name: String,
    pub size: u64,
    pub url: String,
    /// The folder the file was moved into after the upload, when one was asked for.
    pub fld_id: Option<u64>,
    /// Why the move into the folder failed; the file itself is on the account.
    pub folder_error: Option<String>,
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

impl UploadReply {
    /// Reads the three shapes servers of this family send: `[{"file_code","file_status"}]`,
    /// `{"files":[{"filecode","filename","status"}]}`, and an HTML page holding
    /// `<textarea name='fn'>CODE</textarea><textarea name='st'>OK</textarea>`.
    pub fn parse(body: &str) -> Option<Self> {
        if let Ok(value) = serde_json::from_str::<Value>(body) {
            let item = match &value {
                Value::Array(items) => items.first().cloned(),
                Value::Object(map) if map.contains_key("files") => {
                    values_of(map.get("files").cloned().unwrap_or(Value::Null))
                        .into_iter()
                        .next()
                }
                Value::Object(map) if map.contains_key("result") => {
                    values_of(map.get("result").cloned().unwrap_or(Value::Null))
                        .into_iter()
                        .next()
                }
                // An API envelope without a file code is an error reply (`{"msg","status"}`),
                // not an upload result: the caller reads it as one, keeping its message.
                Value::Object(map)
                    if map.contains_key("msg") && !CODE.iter().any(|k| map.contains_key(*k)) =>
                {
                    None
                }
                Value::Object(_) => Some(value.clone()),
                _ => None,
            }?;
            let f = Fields(item.as_object()?);
            return Some(UploadReply {
                file_code: f.string(CODE).unwrap_or_default(),
                file_status: f
                    .string(&["file_status", "status", "st"])
                    .unwrap_or_default(),
            });
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn file_code_under_either_name() {
        let a = FileInfo::from_value(&json!({"filecode": "abc", "download": "3"})).unwrap();
        let b = FileInfo::from_value(&json!({"file_code": "abc", "downloads": 3})).unwrap();
        assert_eq!(a.file_code, b.file_code);
        assert_eq!(a.downloads, Some(3));
        assert_eq!(b.downloads, Some(3));
        // both names at once is not a "duplicate field" failure
        let c = FileInfo::from_value(&json!({"filecode": "x", "file_code": "x"})).unwrap();
        assert_eq!(c.file_code, "x");
    }

    #[test]
    fn upload_reply_shapes() {
        let a = UploadReply::parse(r#"[{"file_code":"abc123","file_status":"OK"}]"#).unwrap();
        assert_eq!(a.file_code, "abc123");
        assert!(!a.refused());
        let b =
            UploadReply::parse(r#"{"files":[{"filecode":"q1","filename":"a.mp4","status":"OK"}]}"#)
                .unwrap();
        assert_eq!(b.file_code, "q1");
        let c = UploadReply::parse(
            "<html><form><textarea name='fn'>zz9</textarea><textarea name='st'>OK</textarea></form>",
        )
        .unwrap();
        assert_eq!(
            (c.file_code.as_str(), c.file_status.as_str()),
            ("zz9", "OK")
        );
        let d =
            UploadReply::parse(r#"[{"file_code":"undef","file_status":"not allowed"}]"#).unwrap();
        assert!(d.refused());
        assert!(UploadReply::parse("<html>nothing</html>").is_none());
        assert!(UploadReply::parse(r#"{"msg":"Wrong auth","status":403}"#).is_none());
    }
}
