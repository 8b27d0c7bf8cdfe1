//! The file and folder subcommands: `ls`, `files`, `info`, `rename`, `clone`, `mv`, `mkdir`,
//! `rename-folder`, `deleted`. A file that does not exist makes the command exit 1, named once
//! on standard error; what did work is printed as usual. A folder is an id or a path
//! ([`FolderArg`]).

use serde::Serialize;

use super::table::Table;
use super::{Context, Failure, FilesArgs, FolderArg, codes_from};
use crate::api::{Completeness, FileInfo, FileListQuery, clean_name};
use crate::format::{self, plural};

/// The failure for files that do not exist, each named once.
pub(super) fn no_such_files(missing: &[&str]) -> Failure {
    Failure::Api(format!(
        "no such {}: {}",
        if missing.len() == 1 { "file" } else { "files" },
        missing.join(", ")
    ))
}

/// A name as every command sends it: trimmed and checked, as the file manager does.
fn name_arg(name: &str) -> Result<String, Failure> {
    clean_name(name).map_err(Failure::Usage)
}

pub async fn ls(cx: &Context, folder: Option<&FolderArg>) -> Result<(), Failure> {
    let (folder, label) = match folder {
        Some(folder) => {
            let found = folder.resolve(&cx.client).await?;
            let label = found.path.unwrap_or_else(|| format!("folder {}", found.id));
            (found.id, label)
        }
        None => (crate::api::ROOT_FOLDER, "/".to_string()),
    };
    let listing = cx
        .client
        .folder_list(folder)
        .await
        .map_err(|e| Failure::of_folder(e, &label))?;
    cx.out.print(&listing, || {
        let mut t = Table::new("ID/CODE NAME UPLOADED");
        for f in &listing.folders {
            t.row(vec![
                f.fld_id.to_string(),
                format!("{}/", f.name),
                String::new(),
            ]);
        }
        for f in &listing.files {
            t.row(vec![
                f.file_code.clone(),
                f.name.clone().unwrap_or_default(),
                f.uploaded.as_deref().unwrap_or_default().to_string(),
            ]);
        }
        if t.is_empty() {
            "(empty folder)\n".into()
        } else {
            t.render()
        }
    })
}

/// `files --all`: every file, and whether that is all of them.
#[derive(Serialize)]
struct AllFiles<'a> {
    files: &'a [FileInfo],
    complete: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    incomplete_reason: Option<&'a str>,
}

pub async fn files(cx: &Context, args: &FilesArgs) -> Result<(), Failure> {
    let fld_id = match &args.folder {
        Some(folder) => Some(folder.resolve(&cx.client).await?.id),
        None => None,
    };
    let query = FileListQuery {
        page: args.page,
        per_page: args.per_page,
        fld_id,
        public: args.public.map(|p| p == 1),
        created: args.created.clone(),
        name: args.name.clone(),
    };
    if args.all {
        let listing = cx.client.file_list_all(&query, None).await?;
        let reason = match &listing.completeness {
            Completeness::Complete => None,
            Completeness::Incomplete(why) => Some(why.as_str()),
        };
        cx.out.print(
            &AllFiles {
                files: &listing.files,
                complete: reason.is_none(),
                incomplete_reason: reason,
            },
            || {
                let mut t = files_table();
                for f in &listing.files {
                    t.row(file_row(f));
                }
                let table = if t.is_empty() {
                    String::new()
                } else {
                    t.render()
                };
                format!("{table}{}\n", plural(listing.files.len(), "file"))
            },
        )?;
        return match reason {
            None => Ok(()),
            Some(why) => Err(Failure::Api(format!(
                "the listing may be incomplete: {why}"
            ))),
        };
    }
    let list = cx.client.file_list(&query).await?;
    cx.out.print(&list, || {
        let mut t = files_table();
        for f in &list.files {
            t.row(file_row(f));
        }
        if t.is_empty() {
            "(no files)\n".into()
        } else {
            t.render()
        }
    })?;
    // One page is one page: unless the server said it is the last, more may follow (the live
    // service's page size is unknown, and it may send fewer than asked without being done).
    let page = args.page.unwrap_or(1);
    let last = list.files.is_empty() || list.total_pages.is_some_and(|t| page >= t);
    if !last {
        eprintln!(
            "mp4u: page {page} ({}); more may follow: --page {}, or --all for every file",
            plural(list.files.len(), "file"),
            page + 1
        );
    }
    Ok(())
}

pub async fn info(cx: &Context, codes: &[String]) -> Result<(), Failure> {
    let codes = codes_from(codes, super::link_host(&cx.client).as_deref())?;
    let files = cx.client.file_info(&codes).await?;
    let found: Vec<&FileInfo> = files.iter().filter(|f| f.exists()).collect();
    cx.out.print(&files, || {
        if found.is_empty() {
            return String::new();
        }
        let mut t = files_table();
        for f in &found {
            t.row(file_row(f));
        }
        t.render()
    })?;
    all_exist(&files)
}

pub async fn rename(cx: &Context, codes: &[String], name: &str) -> Result<(), Failure> {
    let codes = codes_from(codes, super::link_host(&cx.client).as_deref())?;
    let name = name_arg(name)?;
    let files = cx.client.file_rename(&codes, &name).await?;
    cx.out.print(&files, || {
        files
            .iter()
            .filter(|f| f.exists())
            .map(|f| {
                format!(
                    "renamed {} to {}\n",
                    f.file_code,
                    f.name.as_deref().unwrap_or(&name)
                )
            })
            .collect()
    })?;
    all_exist(&files)
}

pub async fn clone(cx: &Context, code: &str) -> Result<(), Failure> {
    let codes = codes_from(
        std::slice::from_ref(&code.to_string()),
        super::link_host(&cx.client).as_deref(),
    )?;
    let [code] = codes.as_slice() else {
        return Err(Failure::Usage(format!(
            "clone copies one file at a time; {} given",
            codes.len()
        )));
    };
    let cloned = match cx.client.file_clone(code).await {
        Ok(cloned) => cloned,
        Err(e) if e.api_status() == Some(404) => return Err(no_such_files(&[code])),
        Err(e) => return Err(e.into()),
    };
    cx.out.print(&cloned, || {
        format!(
            "cloned {code} as {}\n{}\n",
            cloned.file_code,
            cloned.url.clone().unwrap_or_default()
        )
    })
}

pub async fn mv(cx: &Context, codes: &[String], folder: &FolderArg) -> Result<(), Failure> {
    let codes = codes_from(codes, super::link_host(&cx.client).as_deref())?;
    let target = folder.resolve(&cx.client).await?;
    let folder = target.id;
    // Which files exist: the move's reply says nothing per file.
    let files = cx.client.file_info(&codes).await?;
    let (present, missing): (Vec<&FileInfo>, Vec<&FileInfo>) =
        files.iter().partition(|f| f.exists());
    let moving: Vec<String> = present.iter().map(|f| f.file_code.clone()).collect();
    if !moving.is_empty() {
        cx.client.file_set_folder(&moving, folder).await?;
    }
    #[derive(Serialize)]
    struct Moved<'a> {
        moved: &'a [String],
        fld_id: u64,
        missing: Vec<&'a str>,
    }
    let missing: Vec<&str> = missing.iter().map(|f| f.file_code.as_str()).collect();
    cx.out.print(
        &Moved {
            moved: &moving,
            fld_id: folder,
            missing: missing.clone(),
        },
        || {
            if moving.is_empty() {
                String::new()
            } else {
                format!("moved {} to {target}\n", plural(moving.len(), "file"))
            }
        },
    )?;
    if missing.is_empty() {
        Ok(())
    } else {
        Err(no_such_files(&missing))
    }
}

pub async fn mkdir(cx: &Context, name: &str, parent: Option<&FolderArg>) -> Result<(), Failure> {
    let name = name_arg(name)?;
    let parent = match parent {
        Some(parent) => Some(parent.resolve(&cx.client).await?),
        None => None,
    };
    let id = cx
        .client
        .folder_create(parent.as_ref().map(|p| p.id), &name)
        .await?;
    #[derive(Serialize)]
    struct MadeFolder<'a> {
        fld_id: u64,
        name: &'a str,
        parent_id: u64,
    }
    let parent = parent.unwrap_or(super::ResolvedFolder {
        id: crate::api::ROOT_FOLDER,
        path: None,
    });
    cx.out.print(
        &MadeFolder {
            fld_id: id,
            name: &name,
            parent_id: parent.id,
        },
        || format!("created folder {name} (id {id}) in {parent}\n"),
    )
}

pub async fn rename_folder(cx: &Context, folder: &FolderArg, name: &str) -> Result<(), Failure> {
    let name = name_arg(name)?;
    let folder = folder.resolve(&cx.client).await?;
    let id = folder.id;
    cx.client.folder_rename(id, &name).await?;
    #[derive(Serialize)]
    struct Renamed<'a> {
        fld_id: u64,
        name: &'a str,
    }
    cx.out.print(
        &Renamed {
            fld_id: id,
            name: &name,
        },
        || match &folder.path {
            None => format!("renamed folder {id} to {name}\n"),
            Some(path) => format!("renamed folder {path} (id {id}) to {name}\n"),
        },
    )
}

pub async fn deleted(cx: &Context, last: u32) -> Result<(), Failure> {
    let files = cx.client.files_deleted(Some(last)).await?;
    cx.out.print(&files, || {
        let mut t = Table::new("CODE NAME DELETED AGO");
        for f in &files {
            t.row(vec![
                f.file_code.clone(),
                f.name.clone().unwrap_or_default(),
                f.deleted.clone().unwrap_or_default(),
                f.deleted_ago_sec.map(format::ago).unwrap_or_default(),
            ]);
        }
        if t.is_empty() {
            "(no deleted files)\n".into()
        } else {
            t.render()
        }
    })
}

fn files_table() -> Table {
    Table::new("CODE NAME >SIZE >DOWNLOADS UPLOADED >FOLDER")
}

fn file_row(f: &crate::api::FileInfo) -> Vec<String> {
    vec![
        f.file_code.clone(),
        f.name.clone().unwrap_or_default(),
        f.size.map(format::size).unwrap_or_default(),
        f.downloads.map(|d| d.to_string()).unwrap_or_default(),
        f.uploaded.as_deref().unwrap_or_default().to_string(),
        f.fld_id.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

/// Exit 1 naming the codes the server has no file for, once the rest was printed.
fn all_exist(files: &[FileInfo]) -> Result<(), Failure> {
    let missing: Vec<&str> = files
        .iter()
        .filter(|f| !f.exists())
        .map(|f| f.file_code.as_str())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(no_such_files(&missing))
    }
}
