//! Folders: `folder/list`, `folder/create`.

use serde::de::{IgnoredAny, MapAccess};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::de::{
    AnyList, Lenient, Loose, LooseString, LooseU64, Names, Ranked, each_field, one_field,
};

use super::CODE;

/// A folder as `folder/list` names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Folder {
    pub fld_id: u64,
    pub name: String,
}

impl Lenient for Folder {
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let (mut id, mut name) = (Ranked::default(), Ranked::default());
        each_field(
            &mut map,
            &[&["fld_id", "id"], &["name", "fld_name"]],
            |field, rank, map| {
                match field {
                    "fld_id" => id.offer(rank, map.next_value::<LooseU64>()?.0),
                    _ => name.offer(rank, map.next_value::<LooseString>()?.0),
                }
                Ok(())
            },
        )?;
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
        const FIELDS: &[Names] = &[
            CODE,
            &["name", "file_title", "title"],
            &["link", "url"],
            &["uploaded", "created"],
            &["fld_id"],
        ];
        let [mut code, mut name, mut link, mut uploaded] = [(); 4].map(|()| Ranked::default());
        let mut fld_id = Ranked::default();
        each_field(&mut map, FIELDS, |field, rank, map| {
            match field {
                "fld_id" => fld_id.offer(rank, map.next_value::<LooseU64>()?.0),
                field => {
                    let text = map.next_value::<LooseString>()?.0;
                    match field {
                        "name" => name.offer(rank, text),
                        "link" => link.offer(rank, text),
                        "uploaded" => uploaded.offer(rank, text),
                        _ => code.offer(rank, text),
                    }
                }
            }
            Ok(())
        })?;
        Ok(code.get().map(|file_code| FolderFile {
            file_code,
            name: name.get(),
            link: link.get(),
            uploaded: uploaded.get(),
            fld_id: fld_id.get(),
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
        let (mut code, mut fld_id) = (Ranked::default(), Ranked::default());
        each_field(&mut map, &[CODE, &["fld_id"]], |field, rank, map| {
            match field {
                "fld_id" => fld_id.offer(rank, map.next_value::<LooseU64>()?.0),
                _ => code.offer(rank, map.next_value::<LooseString>()?.0),
            }
            Ok(())
        })?;
        Ok(code.get().map(|file_code| FilePlace {
            file_code,
            fld_id: fld_id.get(),
        }))
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
        each_field(&mut map, &[&["folders"], &["files"]], |field, _, map| {
            match field {
                "folders" => out.folders = map.next_value::<AnyList<Folder>>()?.0,
                _ => out.files = F::read(map)?,
            }
            Ok(())
        })?;
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
        Ok(one_field(&mut map, &[&["fld_id", "id"]])?.map(NewFolderId))
    }
}
