//! Duplicates: a file whose name and size match one already in the target folder is not sent
//! again. Names compare as the look-up of lost uploads compares them
//! ([`crate::api::same_upload_name`]): in any case, with or without the extension (the live
//! service may list a name without it).

use crate::api::{Client, Completeness, FileInfo, FileListQuery, same_upload_name};

/// The file among `rows` (the files of the target folder) that a local file named `name` of
/// `size` bytes would duplicate: the same name (see the module docs) and the same size. A row
/// whose size is not listed never counts: a different file must not be skipped on a guess.
pub fn find_duplicate<'a, I>(rows: I, name: &str, size: u64) -> Option<&'a FileInfo>
where
    I: IntoIterator<Item = &'a FileInfo>,
{
    rows.into_iter().find(|row| {
        row.size == Some(size)
            && row
                .name
                .as_deref()
                .is_some_and(|listed| same_upload_name(listed, name))
    })
}

/// What is known of a folder's files, for the duplicate check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KnownFiles {
    /// Every file of the folder, from a listing paged to its end.
    Listed(Vec<FileInfo>),
    /// The listing could not be completed: no file may be sent there unchecked.
    Unlisted(String),
}

impl KnownFiles {
    /// A folder known to be empty (one just created).
    pub fn empty() -> KnownFiles {
        KnownFiles::Listed(Vec::new())
    }
}

/// Every file of folder `fld_id` (`file/list` with `fld_id`, paged to its end), or why that
/// could not be had (an error, or a listing that stopped early). Only files `folder/list`
/// places in the folder count: a server whose `file/list` ignores the filter and names no
/// folder would otherwise make a file elsewhere count as already there.
pub async fn folder_files(client: &Client, fld_id: u64) -> KnownFiles {
    let query = FileListQuery {
        fld_id: Some(fld_id),
        ..FileListQuery::default()
    };
    let listing = match client.file_list_all(&query, None).await {
        Ok(listing) => listing,
        Err(e) => return KnownFiles::Unlisted(format!("it could not be listed: {e}")),
    };
    if let Completeness::Incomplete(why) = listing.completeness {
        return KnownFiles::Unlisted(format!("its listing may be incomplete ({why})"));
    }
    let places = match client.folder_places(fld_id).await {
        Ok(places) => places,
        Err(e) => return KnownFiles::Unlisted(format!("it could not be listed: {e}")),
    };
    KnownFiles::Listed(
        listing
            .files
            .into_iter()
            .filter(|f| f.fld_id.is_none_or(|id| id == fld_id))
            .filter(|f| places.files.contains(f.file_code.as_str()))
            .collect(),
    )
}
