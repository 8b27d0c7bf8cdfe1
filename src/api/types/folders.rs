//! Folders: `folder/list`, `folder/create`.

use serde::de::{IgnoredAny, MapAccess};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::de::{AnyList, KeyIn, Lenient, Loose, LooseString, LooseU64, Ranked, rank};

use super::CODE;

/// A folder as `folder/list` names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Folder {
    pub fld_id: u64,
    pub name: String,
}

impl Lenient for Folder {
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
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

impl Lenient for FolderFile {
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
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

impl Lenient for FilePlace {
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Loose<FolderContents<F>>", bound(deserialize = "F: FileRows"))]
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
pub type Subfolders = FolderContents<crate::api::de::Skipped>;
/// The subfolders of a folder and where each of its files lives (finding files' folders).
pub type FolderIndex = FolderContents<Vec<FilePlace>>;

/// How the files of a `folder/list` are read.
pub trait FileRows: Default + Sized {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error>;
}

impl<T: Lenient> FileRows for Vec<T> {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value::<AnyList<T>>().map(|l| l.0)
    }
}

impl FileRows for crate::api::de::Skipped {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value::<IgnoredAny>()
            .map(|_| crate::api::de::Skipped)
    }
}

impl<F: Default> From<Loose<FolderContents<F>>> for FolderContents<F> {
    fn from(contents: Loose<FolderContents<F>>) -> Self {
        contents.0.unwrap_or_default()
    }
}

impl<F: FileRows> Lenient for FolderContents<F> {
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
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
        Ok(Some(out))
    }
}

impl FolderListing {
    pub fn from_value(value: Value) -> Self {
        FolderListing::deserialize(&value).unwrap_or_default()
    }
}

/// The result of `folder/create`: an object holding the new id (`fld_id` or `id`), or the id
/// alone.
pub type CreatedFolder = Loose<NewFolderId>;

/// The id `folder/create` gave the new folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewFolderId(pub u64);

impl Lenient for NewFolderId {
    fn from_u64(v: u64) -> Option<NewFolderId> {
        Some(NewFolderId(v))
    }
    fn from_f64(v: f64) -> Option<NewFolderId> {
        u64::from_f64(v).map(NewFolderId)
    }
    fn from_str(v: &str) -> Option<NewFolderId> {
        u64::from_str(v).map(NewFolderId)
    }
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<NewFolderId>, A::Error> {
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
        Ok(id.get().map(NewFolderId))
    }
}
