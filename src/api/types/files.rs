//! Files: `file/info`, `file/list`, `file/clone`, `files/deleted`.

use compact_str::CompactString;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::de::{
    AnyList, Lenient, Loose, LooseBool, LooseString, LooseU64, Names, Ranked, each_field,
    items_of_object,
};

use super::{CODE, read, read_list};

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

impl Lenient for FileInfo {
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        const FIELDS: &[Names] = &[
            CODE,
            &["name", "file_title", "title", "filename"],
            &["size", "file_size"],
            &["downloads", "download"],
            &["uploaded", "created"],
            &["link", "url"],
            &["status"],
            &["fld_id"],
            &["public"],
            &["canplay"],
            &["views_started"],
        ];
        let [mut code, mut name, mut uploaded, mut link] = [(); 4].map(|()| Ranked::default());
        let [mut size, mut downloads, mut status, mut fld_id, mut views] =
            [(); 5].map(|()| Ranked::default());
        let (mut public, mut canplay) = (Ranked::default(), Ranked::default());
        each_field(&mut map, FIELDS, |field, rank, map| {
            match field {
                "public" => public.offer(rank, map.next_value::<LooseBool>()?.0),
                "canplay" => canplay.offer(rank, map.next_value::<LooseBool>()?.0),
                "size" | "downloads" | "status" | "fld_id" | "views_started" => {
                    let n = map.next_value::<LooseU64>()?.0;
                    match field {
                        "size" => size.offer(rank, n),
                        "downloads" => downloads.offer(rank, n),
                        "status" => status.offer(rank, n),
                        "fld_id" => fld_id.offer(rank, n),
                        _ => views.offer(rank, n),
                    }
                }
                field => {
                    let text = map.next_value::<LooseString>()?.0;
                    match field {
                        "name" => name.offer(rank, text),
                        "uploaded" => uploaded.offer(rank, text),
                        "link" => link.offer(rank, text),
                        _ => code.offer(rank, text),
                    }
                }
            }
            Ok(())
        })?;
        let Some(file_code) = code.get() else {
            return Ok(None);
        };
        Ok(Some(FileInfo {
            file_code,
            status: status
                .get()
                .and_then(|s| u16::try_from(s).ok())
                .unwrap_or(200),
            name: name.get(),
            size: size.get(),
            downloads: downloads.get(),
            uploaded: uploaded.get().map(CompactString::from),
            fld_id: fld_id.get(),
            public: public.get(),
            link: link.get(),
            canplay: canplay.get(),
            views_started: views.get(),
        }))
    }
}

/// The items of `file/info` and `file/rename`, each with its own status.
pub type FileItems = AnyList<FileInfo>;

impl FileInfo {
    pub fn from_value(value: &Value) -> Option<Self> {
        read(value)
    }

    /// A file that exists, known by its code only (the rest `None`).
    pub fn new(code: &str) -> FileInfo {
        FileInfo {
            file_code: code.to_string(),
            status: 200,
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

    /// A file the server says nothing about: status 404.
    pub fn missing(code: &str) -> FileInfo {
        FileInfo {
            status: 404,
            ..FileInfo::new(code)
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(from = "Loose<FileList>")]
pub struct FileList {
    pub files: Vec<FileInfo>,
    /// Sent only by hosts that answer with an object instead of a bare array.
    pub results_total: Option<u64>,
    pub total_pages: Option<u64>,
}

empty_when_unreadable!(FileList);

impl Lenient for FileList {
    fn from_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<Option<Self>, A::Error> {
        let files = AnyList::<FileInfo>::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(Some(FileList::of(files.0, None, None)))
    }
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
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
                    total.offer(
                        TOTAL.iter().position(|n| *n == k).unwrap_or(0),
                        crate::api::de::value_as_u64(&n),
                    );
                    rest.insert(key, n);
                }
                k if PAGES.contains(&k) => {
                    let n = map.next_value::<Value>()?;
                    pages.offer(
                        PAGES.iter().position(|n| *n == k).unwrap_or(0),
                        crate::api::de::value_as_u64(&n),
                    );
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
        Ok(Some(match files {
            Some(files) => FileList::of(files, total.get(), pages.get()),
            None => FileList::of(items_of_object(rest), None, None),
        }))
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

impl Lenient for ClonedFile {
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let (mut code, mut url) = (Ranked::default(), Ranked::default());
        each_field(&mut map, &[CODE, &["url", "link"]], |field, rank, map| {
            let text = map.next_value::<LooseString>()?.0;
            match field {
                "url" => url.offer(rank, text),
                _ => code.offer(rank, text),
            }
            Ok(())
        })?;
        Ok(code.get().map(|file_code| ClonedFile {
            file_code,
            url: url.get(),
        }))
    }
    fn from_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<Option<Self>, A::Error> {
        ClonedFile::first_of(seq)
    }
}

/// The result of `file/clone`: an object, or an array whose first item is one.
pub type CloneResult = Loose<ClonedFile>;

impl ClonedFile {
    /// `file/clone` answering with a list: its first item.
    fn first_of<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<ClonedFile>, A::Error> {
        let first = seq.next_element::<Loose<ClonedFile>>()?.and_then(|i| i.0);
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(first)
    }
}

impl ClonedFile {
    pub fn from_value(value: &Value) -> Option<Self> {
        CloneResult::deserialize(value).ok().and_then(|c| c.0)
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

impl Lenient for DeletedFile {
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        const FIELDS: &[Names] = &[
            CODE,
            &["name", "file_title"],
            &["deleted"],
            &["deleted_ago_sec"],
        ];
        let [mut code, mut name, mut deleted] = [(); 3].map(|()| Ranked::default());
        let mut ago = Ranked::default();
        each_field(&mut map, FIELDS, |field, rank, map| {
            if field == "deleted_ago_sec" {
                ago.offer(rank, map.next_value::<LooseU64>()?.0);
                return Ok(());
            }
            let text = map.next_value::<LooseString>()?.0;
            match field {
                "name" => name.offer(rank, text),
                "deleted" => deleted.offer(rank, text),
                _ => code.offer(rank, text),
            }
            Ok(())
        })?;
        Ok(code.get().map(|file_code| DeletedFile {
            file_code,
            name: name.get(),
            deleted: deleted.get(),
            deleted_ago_sec: ago.get(),
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
