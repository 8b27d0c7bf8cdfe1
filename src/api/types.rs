//! What the API's calls return, read tolerantly from whatever shape the server sent.
//!
//! Each type reads itself straight from the reply's JSON ([`FromObject`] or a `Deserialize`
//! of its own): it looks a field up under every name it is known by (`filecode`/`file_code`,
//! `download`/`downloads`), reads numbers whether they came as numbers or strings, and reads
//! past everything it does not need. A field that is missing or unreadable is `None`.
//!
//! `from_value` and `list_from_value` read the same way from a `serde_json::Value` (tests,
//! fuzzing); the client reads from the bytes.

use std::fmt;
use std::marker::PhantomData;

use compact_str::CompactString;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::de::{
    AnyList, FromObject, Item, KeyIn, LooseBool, LooseF64, LooseString, LooseU64, Ranked,
    items_of_object, rank,
};

const CODE: &[&str] = &["filecode", "file_code", "code"];

/// Reads `T` from a JSON value the way the client reads it from bytes.
fn read<T: FromObject>(value: &Value) -> Option<T> {
    Item::<T>::deserialize(value).ok().and_then(|i| i.0)
}

/// Reads a list of `T` in any shape from a JSON value.
fn read_list<T: FromObject>(value: &Value) -> Vec<T> {
    AnyList::<T>::deserialize(value)
        .map(|l| l.0)
        .unwrap_or_default()
}

/// Visitor methods for a reply part that may be any JSON value: a scalar gives the default.
macro_rules! scalars_give_default {
    () => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    };
}

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

/// `storage_left`: a number, or `"inf"` for no limit.
#[derive(Default)]
struct StorageField(Option<StorageLeft>);

impl<'de> Deserialize<'de> for StorageField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StorageField;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StorageField, E> {
                if v.trim().eq_ignore_ascii_case("inf") {
                    return Ok(StorageField(Some(StorageLeft::Unlimited)));
                }
                let n = LooseU64::deserialize(de::value::StrDeserializer::<E>::new(v))?;
                Ok(StorageField(n.0.map(StorageLeft::Bytes)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<StorageField, E> {
                Ok(StorageField(Some(StorageLeft::Bytes(v))))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<StorageField, E> {
                let n = LooseU64::deserialize(de::value::F64Deserializer::<E>::new(v))?;
                Ok(StorageField(n.0.map(StorageLeft::Bytes)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StorageField, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(StorageField(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StorageField, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(StorageField(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<StorageField, E> {
                Ok(StorageField(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<StorageField, E> {
                Ok(StorageField(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<StorageField, E> {
                Ok(StorageField(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<StorageField, E> {
                Ok(StorageField(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<StorageField, D::Error> {
                d.deserialize_any(self)
            }
        }
        d.deserialize_any(V)
    }
}

impl FromObject for AccountInfo {
    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        const EMAIL: &[&str] = &["email", "login"];
        const EXPIRE: &[&str] = &["premium_expire", "premium_expire_date"];
        const KEYS: &[&str] = &[
            "email",
            "login",
            "balance",
            "storage_used",
            "storage_left",
            "premium_expire",
            "premium_expire_date",
        ];
        let (mut email, mut expire) = (Ranked::default(), Ranked::default());
        let (mut balance, mut used, mut left) = (None, None, None);
        while let Some(key) = map.next_key_seed(KeyIn(KEYS))? {
            match key {
                Some(k @ ("email" | "login")) => {
                    email.offer(rank(EMAIL, k), map.next_value::<LooseString>()?.0)
                }
                Some(k @ ("premium_expire" | "premium_expire_date")) => {
                    expire.offer(rank(EXPIRE, k), map.next_value::<LooseString>()?.0)
                }
                Some("balance") => balance = map.next_value::<LooseF64>()?.0.or(balance),
                Some("storage_used") => used = map.next_value::<LooseU64>()?.0.or(used),
                Some("storage_left") => left = map.next_value::<StorageField>()?.0.or(left),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Some(AccountInfo {
            email: email.get(),
            balance,
            storage_used: used,
            storage_left: left.unwrap_or(StorageLeft::Unknown),
            premium_expire: expire.get(),
        }))
    }
}

impl AccountInfo {
    pub fn from_value(value: &Value) -> Option<Self> {
        read(value)
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

impl FromObject for DayStats {
    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        const DAY: &[&str] = &["day", "date"];
        const DOWNLOADS: &[&str] = &["downloads", "download"];
        const KEYS: &[&str] = &[
            "day",
            "date",
            "views",
            "downloads",
            "download",
            "views_prem",
            "views_adb",
            "sales",
            "refs",
            "profit_views",
            "profit_sales",
            "profit_refs",
            "profit_site",
            "profit_total",
        ];
        let (mut day, mut downloads) = (Ranked::default(), Ranked::default());
        let mut counts = [None::<u64>; 5];
        let mut money = [None::<f64>; 5];
        while let Some(key) = map.next_key_seed(KeyIn(KEYS))? {
            match key {
                Some(k @ ("day" | "date")) => {
                    day.offer(rank(DAY, k), map.next_value::<LooseString>()?.0)
                }
                Some(k @ ("downloads" | "download")) => {
                    downloads.offer(rank(DOWNLOADS, k), map.next_value::<LooseU64>()?.0)
                }
                Some(k @ ("views" | "views_prem" | "views_adb" | "sales" | "refs")) => {
                    let at = rank(&["views", "views_prem", "views_adb", "sales", "refs"], k);
                    counts[at] = map.next_value::<LooseU64>()?.0.or(counts[at]);
                }
                Some(k) => {
                    let names = [
                        "profit_views",
                        "profit_sales",
                        "profit_refs",
                        "profit_site",
                        "profit_total",
                    ];
                    let at = rank(&names, k).min(4);
                    money[at] = map.next_value::<LooseF64>()?.0.or(money[at]);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let Some(day) = day.get() else {
            return Ok(None);
        };
        let n = |i: usize| counts[i].unwrap_or(0);
        let m = |i: usize| money[i].unwrap_or(0.0);
        Ok(Some(DayStats {
            day,
            views: n(0),
            downloads: downloads.get().unwrap_or(0),
            views_prem: n(1),
            views_adb: n(2),
            sales: n(3),
            refs: n(4),
            profit_views: m(0),
            profit_sales: m(1),
            profit_refs: m(2),
            profit_site: m(3),
            profit_total: m(4),
        }))
    }
}

/// The days of `account/stats`, oldest first whatever order the server used.
#[derive(Debug, Default)]
pub struct DayList(pub Vec<DayStats>);

impl<'de> Deserialize<'de> for DayList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut days = AnyList::<DayStats>::deserialize(d)?.0;
        days.sort_by(|a, b| a.day.cmp(&b.day));
        Ok(DayList(days))
    }
}

impl DayStats {
    pub fn from_value(value: &Value) -> Option<Self> {
        read(value)
    }

    /// Days of a reply, oldest first, whatever order the server used.
    pub fn list_from_value(value: Value) -> Vec<Self> {
        DayList::deserialize(&value)
            .map(|d| d.0)
            .unwrap_or_default()
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

/// The result of `upload/server`: the URL as a string, or an object holding it (and maybe the
/// session).
#[derive(Debug, Default)]
pub struct UploadServerResult {
    pub url: Option<String>,
    pub sess_id: Option<String>,
}

impl<'de> Deserialize<'de> for UploadServerResult {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = UploadServerResult;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                let v = v.trim();
                Ok(UploadServerResult {
                    url: (!v.is_empty()).then(|| v.to_string()),
                    sess_id: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                const URL: &[&str] = &["url", "server"];
                let (mut url, mut sess) = (Ranked::default(), None);
                while let Some(key) = map.next_key_seed(KeyIn(&["url", "server", "sess_id"]))? {
                    match key {
                        Some("sess_id") => sess = map.next_value::<LooseString>()?.0.or(sess),
                        Some(k) => url.offer(rank(URL, k), map.next_value::<ServerUrl>()?.0),
                        None => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(UploadServerResult {
                    url: url.get(),
                    sess_id: sess,
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(UploadServerResult::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Default::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Default::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Default::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Default::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Default::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Default::default())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
        }
        d.deserialize_any(V)
    }
}

/// A URL field: only a string counts (a number is no URL).
#[derive(Default)]
struct ServerUrl(Option<String>);

impl<'de> Deserialize<'de> for ServerUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ServerUrl;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ServerUrl, E> {
                Ok(ServerUrl(Some(v.trim().to_string())))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ServerUrl, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(ServerUrl(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ServerUrl, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(ServerUrl(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<ServerUrl, E> {
                Ok(ServerUrl(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<ServerUrl, E> {
                Ok(ServerUrl(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<ServerUrl, E> {
                Ok(ServerUrl(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<ServerUrl, E> {
                Ok(ServerUrl(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<ServerUrl, E> {
                Ok(ServerUrl(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<ServerUrl, E> {
                Ok(ServerUrl(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<ServerUrl, D::Error> {
                d.deserialize_any(self)
            }
        }
        d.deserialize_any(V)
    }
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
    /// `YYYY-MM-DD HH:MM:SS`, held inline (a listing holds one per file).
    pub uploaded: Option<CompactString>,
    pub fld_id: Option<u64>,
    pub public: Option<bool>,
    pub link: Option<String>,
    pub canplay: Option<bool>,
    pub views_started: Option<u64>,
}

impl FromObject for FileInfo {
    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        const NAME: &[&str] = &["name", "file_title", "title", "filename"];
        const SIZE: &[&str] = &["size", "file_size"];
        const DOWNLOADS: &[&str] = &["downloads", "download"];
        const UPLOADED: &[&str] = &["uploaded", "created"];
        const LINK: &[&str] = &["link", "url"];
        const KEYS: &[&str] = &[
            "filecode",
            "file_code",
            "code",
            "status",
            "name",
            "file_title",
            "title",
            "filename",
            "size",
            "file_size",
            "downloads",
            "download",
            "uploaded",
            "created",
            "fld_id",
            "public",
            "link",
            "url",
            "canplay",
            "views_started",
        ];
        let mut code = Ranked::default();
        let (mut name, mut size, mut downloads) =
            (Ranked::default(), Ranked::default(), Ranked::default());
        let (mut uploaded, mut link) = (Ranked::default(), Ranked::default());
        let (mut status, mut fld_id, mut public, mut canplay, mut views) =
            (None, None, None, None, None);
        while let Some(key) = map.next_key_seed(KeyIn(KEYS))? {
            match key {
                Some(k @ ("filecode" | "file_code" | "code")) => {
                    code.offer(rank(CODE, k), map.next_value::<LooseString>()?.0)
                }
                Some(k @ ("name" | "file_title" | "title" | "filename")) => {
                    name.offer(rank(NAME, k), map.next_value::<LooseString>()?.0)
                }
                Some(k @ ("size" | "file_size")) => {
                    size.offer(rank(SIZE, k), map.next_value::<LooseU64>()?.0)
                }
                Some(k @ ("downloads" | "download")) => {
                    downloads.offer(rank(DOWNLOADS, k), map.next_value::<LooseU64>()?.0)
                }
                Some(k @ ("uploaded" | "created")) => {
                    uploaded.offer(rank(UPLOADED, k), map.next_value::<LooseString>()?.0)
                }
                Some(k @ ("link" | "url")) => {
                    link.offer(rank(LINK, k), map.next_value::<LooseString>()?.0)
                }
                Some("status") => status = map.next_value::<LooseU64>()?.0.or(status),
                Some("fld_id") => fld_id = map.next_value::<LooseU64>()?.0.or(fld_id),
                Some("public") => public = map.next_value::<LooseBool>()?.0.or(public),
                Some("canplay") => canplay = map.next_value::<LooseBool>()?.0.or(canplay),
                Some("views_started") => views = map.next_value::<LooseU64>()?.0.or(views),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let Some(file_code) = code.get() else {
            return Ok(None);
        };
        Ok(Some(FileInfo {
            file_code,
            status: status.and_then(|s| u16::try_from(s).ok()).unwrap_or(200),
            name: name.get(),
            size: size.get(),
            downloads: downloads.get(),
            uploaded: uploaded.get().map(CompactString::from),
            fld_id,
            public,
            link: link.get(),
            canplay,
            views_started: views,
        }))
    }
}

/// The items of `file/info` and `file/rename`, each with its own status.
pub type FileItems = AnyList<FileInfo>;

impl FileInfo {
    pub fn from_value(value: &Value) -> Option<Self> {
        read(value)
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
        read_list(&value)
    }
}

/// One page of `file/list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct FileList {
    pub files: Vec<FileInfo>,
    /// Sent only by hosts that answer with an object instead of a bare array.
    pub results_total: Option<u64>,
    pub total_pages: Option<u64>,
}

impl<'de> Deserialize<'de> for FileList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FileList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<FileList, A::Error> {
                let files =
                    AnyList::<FileInfo>::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(FileList::of(files.0, None, None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FileList, A::Error> {
                const TOTAL: &[&str] = &["results_total", "total", "results"];
                const PAGES: &[&str] = &["total_pages", "pages"];
                let (mut total, mut pages) = (Ranked::default(), Ranked::default());
                let mut files: Option<Vec<FileInfo>> = None;
                // What else the object holds, for the shapes without a `files` list (an object
                // of files, or one file).
                let mut rest = serde_json::Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "files" => {
                            let list = map.next_value::<AnyList<FileInfo>>()?.0;
                            files = Some(list);
                        }
                        k if TOTAL.contains(&k) => {
                            let n = map.next_value::<Value>()?;
                            total.offer(rank(TOTAL, k), super::de::value_as_u64(&n));
                            rest.insert(key, n);
                        }
                        k if PAGES.contains(&k) => {
                            let n = map.next_value::<Value>()?;
                            pages.offer(rank(PAGES, k), super::de::value_as_u64(&n));
                            rest.insert(key, n);
                        }
                        _ if files.is_some() => {
                            map.next_value::<IgnoredAny>()?;
                        }
                        _ => {
                            let value = map.next_value::<Value>()?;
                            rest.insert(key, value);
                        }
                    }
                }
                Ok(match files {
                    Some(files) => FileList::of(files, total.get(), pages.get()),
                    None => FileList::of(items_of_object(rest), None, None),
                })
            }
            scalars_give_default!();
        }
        d.deserialize_any(V)
    }
}

impl FileList {
    /// A listing holds only files that exist (the seed's example shows a 404 item too).
    fn of(files: Vec<FileInfo>, results_total: Option<u64>, total_pages: Option<u64>) -> Self {
        let mut files = files;
        files.retain(FileInfo::exists);
        FileList {
            files,
            results_total,
            total_pages,
        }
    }

    pub fn from_value(value: Value) -> Self {
        FileList::deserialize(&value).unwrap_or_default()
    }
}

/// `file/clone`: the new copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClonedFile {
    pub file_code: String,
    pub url: Option<String>,
}

impl FromObject for ClonedFile {
    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        const URL: &[&str] = &["url", "link"];
        const KEYS: &[&str] = &["filecode", "file_code", "code", "url", "link"];
        let (mut code, mut url) = (Ranked::default(), Ranked::default());
        while let Some(key) = map.next_key_seed(KeyIn(KEYS))? {
            match key {
                Some(k @ ("url" | "link")) => {
                    url.offer(rank(URL, k), map.next_value::<LooseString>()?.0)
                }
                Some(k) => code.offer(rank(CODE, k), map.next_value::<LooseString>()?.0),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(code.get().map(|file_code| ClonedFile {
            file_code,
            url: url.get(),
        }))
    }
}

/// The result of `file/clone`: an object, or an array whose first item is one.
#[derive(Debug, Default)]
pub struct CloneResult(pub Option<ClonedFile>);

impl<'de> Deserialize<'de> for CloneResult {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CloneResult;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CloneResult, A::Error> {
                ClonedFile::from_object(map).map(CloneResult)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CloneResult, A::Error> {
                let first = seq.next_element::<Item<ClonedFile>>()?.and_then(|i| i.0);
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(CloneResult(first))
            }
            scalars_give_default!();
        }
        d.deserialize_any(V)
    }
}

impl ClonedFile {
    pub fn from_value(value: &Value) -> Option<Self> {
        CloneResult::deserialize(value).ok().and_then(|c| c.0)
    }
}

/// A folder as `folder/list` names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Folder {
    pub fld_id: u64,
    pub name: String,
}

impl FromObject for Folder {
    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        const ID: &[&str] = &["fld_id", "id"];
        const NAME: &[&str] = &["name", "fld_name"];
        let (mut id, mut name) = (Ranked::default(), Ranked::default());
        while let Some(key) = map.next_key_seed(KeyIn(&["fld_id", "id", "name", "fld_name"]))? {
            match key {
                Some(k @ ("fld_id" | "id")) => {
                    id.offer(rank(ID, k), map.next_value::<LooseU64>()?.0)
                }
                Some(k) => name.offer(rank(NAME, k), map.next_value::<LooseString>()?.0),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(id.get().map(|fld_id| Folder {
            fld_id,
            name: name.get().unwrap_or_default(),
        }))
    }
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

impl FromObject for FolderFile {
    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        const NAME: &[&str] = &["name", "file_title", "title"];
        const LINK: &[&str] = &["link", "url"];
        const UPLOADED: &[&str] = &["uploaded", "created"];
        const KEYS: &[&str] = &[
            "filecode",
            "file_code",
            "code",
            "name",
            "file_title",
            "title",
            "link",
            "url",
            "uploaded",
            "created",
            "fld_id",
        ];
        let (mut code, mut name, mut link, mut uploaded) = (
            Ranked::default(),
            Ranked::default(),
            Ranked::default(),
            Ranked::default(),
        );
        let mut fld_id = None;
        while let Some(key) = map.next_key_seed(KeyIn(KEYS))? {
            match key {
                Some(k @ ("filecode" | "file_code" | "code")) => {
                    code.offer(rank(CODE, k), map.next_value::<LooseString>()?.0)
                }
                Some(k @ ("name" | "file_title" | "title")) => {
                    name.offer(rank(NAME, k), map.next_value::<LooseString>()?.0)
                }
                Some(k @ ("link" | "url")) => {
                    link.offer(rank(LINK, k), map.next_value::<LooseString>()?.0)
                }
                Some(k @ ("uploaded" | "created")) => {
                    uploaded.offer(rank(UPLOADED, k), map.next_value::<LooseString>()?.0)
                }
                Some(_) => fld_id = map.next_value::<LooseU64>()?.0.or(fld_id),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(code.get().map(|file_code| FolderFile {
            file_code,
            name: name.get(),
            link: link.get(),
            uploaded: uploaded.get(),
            fld_id,
        }))
    }
}

/// Where a file lives, as `folder/list` says it: its code and its folder (what finding a
/// file's folder needs, and nothing else of the file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilePlace {
    pub file_code: String,
    pub fld_id: Option<u64>,
}

impl FromObject for FilePlace {
    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut code = Ranked::default();
        let mut fld_id = None;
        while let Some(key) =
            map.next_key_seed(KeyIn(&["filecode", "file_code", "code", "fld_id"]))?
        {
            match key {
                Some("fld_id") => fld_id = map.next_value::<LooseU64>()?.0.or(fld_id),
                Some(k) => code.offer(rank(CODE, k), map.next_value::<LooseString>()?.0),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(code.get().map(|file_code| FilePlace { file_code, fld_id }))
    }
}

/// `folder/list`: the subfolders of one folder, and its files read as `F` (all of each file,
/// only where it lives, or nothing: a folder of 50,000 files costs nothing to read past).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FolderContents<F> {
    pub folders: Vec<Folder>,
    pub files: F,
}

impl<F: Default> Default for FolderContents<F> {
    fn default() -> Self {
        FolderContents {
            folders: Vec::new(),
            files: F::default(),
        }
    }
}

/// The subfolders and files of a folder, every field of each file (`mp4u ls`).
pub type FolderListing = FolderContents<Vec<FolderFile>>;
/// The subfolders of a folder; its files are read past (the folder tree).
pub type Subfolders = FolderContents<super::de::Skipped>;
/// The subfolders of a folder and where each of its files lives (finding files' folders).
pub type FolderIndex = FolderContents<Vec<FilePlace>>;

/// How the files of a `folder/list` are read.
pub trait FolderFiles: Default + Sized {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error>;
}

impl<T: FromObject> FolderFiles for Vec<T> {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value::<AnyList<T>>().map(|l| l.0)
    }
}

impl FolderFiles for super::de::Skipped {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value::<IgnoredAny>().map(|_| super::de::Skipped)
    }
}

impl<'de, F: FolderFiles> Deserialize<'de> for FolderContents<F> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<F>(PhantomData<F>);
        impl<'de, F: FolderFiles> Visitor<'de> for V<F> {
            type Value = FolderContents<F>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = FolderContents::<F>::default();
                while let Some(key) = map.next_key_seed(KeyIn(&["folders", "files"]))? {
                    match key {
                        Some("folders") => out.folders = map.next_value::<AnyList<Folder>>()?.0,
                        Some(_) => out.files = F::read(&mut map)?,
                        None => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(out)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(FolderContents::default())
            }
            scalars_give_default!();
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl FolderListing {
    pub fn from_value(value: Value) -> Self {
        FolderListing::deserialize(&value).unwrap_or_default()
    }
}

/// The result of `folder/create`: an object holding the new id (`fld_id` or `id`), or the id
/// alone.
#[derive(Debug, Default)]
pub struct CreatedFolder(pub Option<u64>);

impl<'de> Deserialize<'de> for CreatedFolder {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CreatedFolder;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CreatedFolder, A::Error> {
                const ID: &[&str] = &["fld_id", "id"];
                let mut id = Ranked::default();
                while let Some(key) = map.next_key_seed(KeyIn(ID))? {
                    match key {
                        Some(k) => id.offer(rank(ID, k), map.next_value::<LooseU64>()?.0),
                        None => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(CreatedFolder(id.get()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CreatedFolder, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(CreatedFolder(None))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<CreatedFolder, E> {
                Ok(CreatedFolder(Some(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<CreatedFolder, E> {
                let n = LooseU64::deserialize(de::value::F64Deserializer::<E>::new(v))?;
                Ok(CreatedFolder(n.0))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CreatedFolder, E> {
                let n = LooseU64::deserialize(de::value::StrDeserializer::<E>::new(v))?;
                Ok(CreatedFolder(n.0))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<CreatedFolder, E> {
                Ok(CreatedFolder(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<CreatedFolder, E> {
                Ok(CreatedFolder(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<CreatedFolder, E> {
                Ok(CreatedFolder(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<CreatedFolder, E> {
                Ok(CreatedFolder(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<CreatedFolder, D::Error> {
                d.deserialize_any(self)
            }
        }
        d.deserialize_any(V)
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

impl FromObject for DeletedFile {
    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        const NAME: &[&str] = &["name", "file_title"];
        const KEYS: &[&str] = &[
            "filecode",
            "file_code",
            "code",
            "name",
            "file_title",
            "deleted",
            "deleted_ago_sec",
        ];
        let (mut code, mut name) = (Ranked::default(), Ranked::default());
        let (mut deleted, mut ago) = (None, None);
        while let Some(key) = map.next_key_seed(KeyIn(KEYS))? {
            match key {
                Some(k @ ("name" | "file_title")) => {
                    name.offer(rank(NAME, k), map.next_value::<LooseString>()?.0)
                }
                Some("deleted") => deleted = map.next_value::<LooseString>()?.0.or(deleted),
                Some("deleted_ago_sec") => ago = map.next_value::<LooseU64>()?.0.or(ago),
                Some(k) => code.offer(rank(CODE, k), map.next_value::<LooseString>()?.0),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(code.get().map(|file_code| DeletedFile {
            file_code,
            name: name.get(),
            deleted,
            deleted_ago_sec: ago,
        }))
    }
}

impl DeletedFile {
    pub fn from_value(value: &Value) -> Option<Self> {
        read(value)
    }

    pub fn list_from_value(value: Value) -> Vec<Self> {
        read_list(&value)
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

impl FromObject for UploadReply {
    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        const STATUS: &[&str] = &["file_status", "status", "st"];
        const KEYS: &[&str] = &[
            "filecode",
            "file_code",
            "code",
            "file_status",
            "status",
            "st",
        ];
        let (mut code, mut status) = (Ranked::default(), Ranked::default());
        while let Some(key) = map.next_key_seed(KeyIn(KEYS))? {
            match key {
                Some(k @ ("file_status" | "status" | "st")) => {
                    status.offer(rank(STATUS, k), map.next_value::<LooseString>()?.0)
                }
                Some(k) => code.offer(rank(CODE, k), map.next_value::<LooseString>()?.0),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Some(UploadReply {
            file_code: code.get().unwrap_or_default(),
            file_status: status.get().unwrap_or_default(),
        }))
    }
}

/// An upload server's JSON reply in either shape: `[{"file_code","file_status"}]`, or an object
/// holding the list under `files` or `result`, or one item. `None` for an API-style error
/// envelope (`{"msg","status"}` without a code), which the caller reads as an error.
#[derive(Default)]
struct UploadReplyJson(Option<UploadReply>);

impl<'de> Deserialize<'de> for UploadReplyJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = UploadReplyJson;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let first = seq.next_element::<Item<UploadReply>>()?.and_then(|i| i.0);
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(UploadReplyJson(first))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                // Small, and its shape shows only once every key is seen: read it whole.
                let object =
                    serde_json::Map::deserialize(de::value::MapAccessDeserializer::new(map))?;
                let list = ["files", "result"]
                    .iter()
                    .find_map(|k| object.get(*k).filter(|v| !v.is_null()));
                let reply = match list {
                    Some(list) => read_list::<UploadReply>(list).into_iter().next(),
                    None if object.contains_key("msg")
                        && !CODE.iter().any(|k| object.contains_key(*k)) =>
                    {
                        None
                    }
                    None => read::<UploadReply>(&Value::Object(object)),
                };
                Ok(UploadReplyJson(reply))
            }
            scalars_give_default!();
        }
        d.deserialize_any(V)
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
    fn bytes_and_values_read_alike() {
        let body = br#"[{"filecode":"a","name":" n ","size":"12","downloads":3,"fld_id":"24",
            "public":"1","extra":{"x":[1,2]}},5,{"status":404,"filecode":"b"},{"name":"x"}]"#;
        let from_bytes = serde_json::from_slice::<FileItems>(body).unwrap().0;
        let value: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(from_bytes, FileInfo::list_from_value(value));
        assert_eq!(from_bytes.len(), 2);
        assert_eq!(from_bytes[0].name.as_deref(), Some("n"));
        assert_eq!(from_bytes[0].fld_id, Some(24));
        assert_eq!(from_bytes[0].public, Some(true));
        assert!(!from_bytes[1].exists());
    }

    #[test]
    fn folder_files_are_read_as_asked() {
        let body = br#"{"folders":[{"name":"Sub1","fld_id":"24"}],
            "files":[{"file_code":"c1","fld_id":"16","name":"a.bin","link":"l"}]}"#;
        let full: FolderListing = serde_json::from_slice(body).unwrap();
        assert_eq!(full.files[0].name.as_deref(), Some("a.bin"));
        let index: FolderIndex = serde_json::from_slice(body).unwrap();
        assert_eq!(
            index.files,
            [FilePlace {
                file_code: "c1".into(),
                fld_id: Some(16)
            }]
        );
        let tree: Subfolders = serde_json::from_slice(body).unwrap();
        assert_eq!(tree.folders[0].fld_id, 24);
    }

    #[test]
    fn upload_reply_shapes() {
        let a = UploadReply::parse(r#"[{"file_code":"abc123","file_status":"OK"}]"#).unwrap();
        assert_eq!(a.file_code, "abc123");
        assert!(!a.refused());
        assert!(a.accepted());
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
        let quota = UploadReply::parse(
            r#"[{"file_code":"abc123","file_status":"Error: disk quota exceeded"}]"#,
        )
        .unwrap();
        assert!(!quota.refused() && !quota.accepted());
        let bare = UploadReply::parse(r#"[{"file_code":"abc123"}]"#).unwrap();
        assert!(bare.accepted());
    }
}
