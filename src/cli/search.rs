//! `mp4u check` (which files of a list of links are alive) and `mp4u find` (files by name
//! across the account, with the folder each lives in).

use std::io::Read;

use clap::Args;
use serde::Serialize;

use super::table::Table;
use super::{Failure, Output};
use crate::api::{Client, Completeness, FileInfo, FileListQuery, FolderWalk};
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
    #[arg(long, value_name = "N", default_value_t = 200, value_parser = positive_count)]
    limit: usize,
}

/// A count of at least 1.
fn positive_count(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("{text:?} is not a number")),
    }
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
    let host = super::link_host(client);
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
        let mut t = Table::new("STATUS CODE NAME >SIZE >DOWNLOADS LINK");
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

/// Where each of `files` lives, as a path: a folder the listing named, or found by walking the
/// folder tree (folder/list names each file's folder), under the client's pace, only until
/// every file is placed and every folder named. `None`: the walk could not find it.
async fn folder_paths(client: &Client, files: &[FileInfo]) -> Vec<Option<String>> {
    let mut walk = FolderWalk::new();
    let placed = |walk: &FolderWalk, f: &FileInfo| f.fld_id.or_else(|| walk.place(&f.file_code));
    loop {
        let done = files
            .iter()
            .all(|f| placed(&walk, f).is_some_and(|fld| walk.path(fld).is_some()));
        if done {
            break;
        }
        let next = walk.next(1);
        let Some(fld_id) = next.first().copied() else {
            break; // every folder asked
        };
        match client.folder_index(fld_id).await {
            Ok(index) => walk.on_index(fld_id, &index),
            Err(e) => {
                eprintln!("mp4u: warning: listing folder {fld_id} failed: {e}");
                walk.on_failure(fld_id, e.to_string());
            }
        }
    }
    files
        .iter()
        .map(|f| placed(&walk, f).and_then(|fld| walk.path(fld)))
        .collect()
}

#[derive(Serialize)]
struct Found<'a> {
    #[serde(flatten)]
    file: &'a FileInfo,
    /// The folder's path; `null` when no listing named it.
    folder_path: Option<&'a str>,
}

#[derive(Serialize)]
struct FindReport<'a> {
    files: Vec<Found<'a>>,
    complete: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    incomplete_reason: Option<&'a str>,
}

pub async fn find(client: &Client, args: &FindArgs, out: &Output) -> Result<(), Failure> {
    if args.name.trim().is_empty() {
        return Err(Failure::Usage("give a part of the name to look for".into()));
    }
    let listing = client
        .file_list_all(
            &FileListQuery {
                name: Some(args.name.clone()),
                public: args.public.map(|p| p == 1),
                created: args.created.clone(),
                ..Default::default()
            },
            Some(args.limit),
        )
        .await?;
    let files = listing.files;
    let paths = folder_paths(client, &files).await;
    // Hitting the limit is what was asked for; anything else that cut the listing short is said.
    let reason = match &listing.completeness {
        Completeness::Incomplete(why) if files.len() < args.limit => Some(why.as_str()),
        _ => None,
    };
    let found: Vec<Found> = files
        .iter()
        .zip(&paths)
        .map(|(file, path)| Found {
            file,
            folder_path: path.as_deref(),
        })
        .collect();
    let report = FindReport {
        files: found,
        complete: reason.is_none(),
        incomplete_reason: reason,
    };
    out.print(&report.files, || {
        if report.files.is_empty() {
            return format!("no file name contains {:?}\n", args.name);
        }
        let mut t = Table::new("CODE NAME >SIZE >DOWNLOADS UPLOADED FOLDER");
        for f in &report.files {
            t.row(vec![
                f.file.file_code.clone(),
                f.file.name.clone().unwrap_or_default(),
                f.file.size.map(format::size).unwrap_or_default(),
                f.file.downloads.map(|d| d.to_string()).unwrap_or_default(),
                f.file.uploaded.as_deref().unwrap_or_default().to_string(),
                f.folder_path.unwrap_or("unknown").to_string(),
            ]);
        }
        let more = if files.len() >= args.limit && !listing.completeness.is_complete() {
            format!(" (the first {}; --limit shows more)", args.limit)
        } else {
            String::new()
        };
        format!(
            "{}{}{more}\n",
            t.render(),
            plural(report.files.len(), "file")
        )
    })?;
    match reason {
        None => Ok(()),
        Some(why) => Err(Failure::Api(format!(
            "the search may have missed files: {why}"
        ))),
    }
}
