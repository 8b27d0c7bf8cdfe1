//! `mp4u check` (which files of a list of links are alive) and `mp4u find` (files by name
//! across the account, with the folder each lives in).

use std::collections::HashMap;
use std::io::Read;

use clap::Args;
use serde::Serialize;

use super::table::{Align, Table};
use super::{Failure, Output};
use crate::api::{Client, FileInfo, FileListQuery};
use crate::format::{self, plural};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Codes or links in any form; none (or `-`) reads them from standard input
    #[arg(value_name = "LINK")]
    links: Vec<String>,
}

#[derive(Debug, Args)]
pub struct FindArgs {
    /// Part of the name (any case)
    name: String,
    /// Only public (1) or private (0) files
    #[arg(long, value_name = "0|1", value_parser = clap::value_parser!(u8).range(0..=1))]
    public: Option<u8>,
    /// Only files uploaded after this time (YYYY-MM-DD HH:MM:SS), or in the last N minutes
    #[arg(long, value_name = "TS")]
    created: Option<String>,
    /// Show at most this many files
    #[arg(long, value_name = "N", default_value_t = 200)]
    limit: usize,
}

#[derive(Serialize)]
struct CheckReport<'a> {
    alive: Vec<&'a FileInfo>,
    missing: Vec<&'a str>,
    duplicates: usize,
    ignored: &'a [String],
}

pub async fn check(client: &Client, args: &CheckArgs, out: &Output) -> Result<(), Failure> {
    let text = if args.links.is_empty() || args.links == ["-"] {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::Usage(format!("cannot read standard input: {e}")))?;
        text
    } else {
        args.links.join("\n")
    };
    let host = url::Url::parse(client.base_url()).ok().and_then(|u| {
        u.host_str().map(|h| match u.port() {
            Some(p) => format!("{h}:{p}"),
            None => h.to_string(),
        })
    });
    let parsed = crate::links::parse(&text, host.as_deref());
    if parsed.codes.is_empty() {
        return Err(Failure::Usage(format!(
            "no file code or link found ({})",
            parsed.summary()
        )));
    }
    let files = client.file_info(&parsed.codes).await?;
    let report = CheckReport {
        alive: files.iter().filter(|f| f.exists()).collect(),
        missing: files
            .iter()
            .filter(|f| !f.exists())
            .map(|f| f.file_code.as_str())
            .collect(),
        duplicates: parsed.duplicates,
        ignored: &parsed.ignored,
    };
    out.print(&report, || {
        let mut t = Table::new(&[
            ("STATUS", Align::Left),
            ("CODE", Align::Left),
            ("NAME", Align::Left),
            ("SIZE", Align::Right),
            ("DOWNLOADS", Align::Right),
            ("LINK", Align::Left),
        ]);
        for f in &files {
            t.row(vec![
                if f.exists() {
                    "alive".into()
                } else {
                    "missing".into()
                },
                f.file_code.clone(),
                f.name.clone().unwrap_or_default(),
                f.size.map(format::size).unwrap_or_default(),
                f.downloads.map(|d| d.to_string()).unwrap_or_default(),
                if f.exists() {
                    client.file_link(&f.file_code)
                } else {
                    String::new()
                },
            ]);
        }
        format!(
            "{}{} alive, {} missing ({})\n",
            t.render(),
            report.alive.len(),
            report.missing.len(),
            parsed.summary()
        )
    })
}

/// The paths of the folders `wanted`, by id, walking the tree from the root breadth first and
/// stopping as soon as every wanted folder is known (each folder costs a call).
async fn folder_paths(
    client: &Client,
    wanted: &std::collections::HashSet<u64>,
) -> Result<HashMap<u64, String>, Failure> {
    let mut paths = HashMap::from([(0u64, "/".to_string())]);
    let mut queue = std::collections::VecDeque::from([0u64]);
    while let Some(id) = queue.pop_front() {
        if paths.len() > 10_000 || wanted.iter().all(|w| paths.contains_key(w)) {
            break;
        }
        let listing = client.folder_list(id).await?;
        let parent = paths.get(&id).cloned().unwrap_or_default();
        for folder in listing.folders {
            if paths.contains_key(&folder.fld_id) {
                continue;
            }
            let path = format!("{}/{}", parent.trim_end_matches('/'), folder.name);
            paths.insert(folder.fld_id, path);
            queue.push_back(folder.fld_id);
        }
    }
    Ok(paths)
}

#[derive(Serialize)]
struct Found<'a> {
    #[serde(flatten)]
    file: &'a FileInfo,
    folder_path: Option<&'a str>,
}

pub async fn find(client: &Client, args: &FindArgs, out: &Output) -> Result<(), Failure> {
    if args.name.trim().is_empty() {
        return Err(Failure::Usage("give a part of the name to look for".into()));
    }
    let mut files: Vec<FileInfo> = Vec::new();
    let per_page = 200u64;
    for page in 1.. {
        let list = client
            .file_list(&FileListQuery {
                page: Some(page),
                per_page: Some(per_page),
                name: Some(args.name.clone()),
                public: args.public.map(|p| p == 1),
                created: args.created.clone(),
                fld_id: None,
            })
            .await?;
        let before = files.len();
        let received = list.files.len() as u64;
        for file in list.files {
            if !files.iter().any(|f| f.file_code == file.file_code) {
                files.push(file);
            }
        }
        let last_page = list.total_pages.is_some_and(|t| page >= t);
        if received == 0
            || files.len() == before
            || files.len() >= args.limit
            || last_page
            || page >= 500
        {
            break;
        }
    }
    files.truncate(args.limit);
    let wanted = files.iter().map(|f| f.fld_id.unwrap_or(0)).collect();
    let paths = if files.is_empty() {
        HashMap::new()
    } else {
        folder_paths(client, &wanted).await?
    };
    let found: Vec<Found> = files
        .iter()
        .map(|f| Found {
            file: f,
            folder_path: paths.get(&f.fld_id.unwrap_or(0)).map(String::as_str),
        })
        .collect();
    out.print(&found, || {
        if found.is_empty() {
            return format!("no file name contains {:?}\n", args.name);
        }
        let mut t = Table::new(&[
            ("CODE", Align::Left),
            ("NAME", Align::Left),
            ("SIZE", Align::Right),
            ("DOWNLOADS", Align::Right),
            ("UPLOADED", Align::Left),
            ("FOLDER", Align::Left),
        ]);
        for f in &found {
            t.row(vec![
                f.file.file_code.clone(),
                f.file.name.clone().unwrap_or_default(),
                f.file.size.map(format::size).unwrap_or_default(),
                f.file.downloads.map(|d| d.to_string()).unwrap_or_default(),
                f.file.uploaded.clone().unwrap_or_default(),
                f.folder_path
                    .map(str::to_string)
                    .or_else(|| f.file.fld_id.map(|id| format!("folder {id}")))
                    .unwrap_or_default(),
            ]);
        }
        format!("{}{}\n", t.render(), plural(found.len(), "file"))
    })
}
