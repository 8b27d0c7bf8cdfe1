//! `mp4u repair LINKS --from DIR`: the files of a site's links that died (expired, removed) are
//! uploaded again from their local copies, and the old links are mapped to the new ones.
//!
//! LINKS is a file (or `-`, standard input) of links or codes in any text, or a CSV from
//! `mp4u links --format csv`, whose names and sizes help find the local copies. Every code is
//! checked (`file/info`); a code is dead only when, asked about alone, it is still not there.
//! A dead file's name comes from the CSV, else from `files/deleted`; its local copy is the file
//! of that name (and size, where known) under DIR. Each goes through the queue into the folder
//! (`--folder`, else `/`), with the duplicate check: a second run finds the first run's uploads
//! there and maps them, sending nothing. The mapping is printed in a `links` format, or as a
//! `sed` script that rewrites the old codes in a site's export. Dead files with no local copy
//! are named, and the run exits 1.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::send::{ExecArgs, Job, finish_hooks, folder_files_for, say_notices, send_all};
use super::{Context, Failure, FolderArg};
use crate::api::same_upload_name;
use crate::links::{LinkFile, LinkFormat};
use crate::queue::run::Fate;
use crate::queue::{How, NewEntry, Queue};
use crate::sync::LocalFile;

#[derive(Debug, Args)]
pub struct RepairArgs {
    /// A file of links or codes, or a CSV from `mp4u links --format csv`; - or none: standard
    /// input
    #[arg(value_name = "LINKS")]
    links: Option<PathBuf>,
    /// The directory holding the local copies (with its subdirectories)
    #[arg(long, value_name = "DIR")]
    from: PathBuf,
    /// The folder the new uploads go into: an id, or a path like "/Anime/Season 1" [default:
    /// the folder the CSV names, else /]
    #[arg(long, value_name = "FOLDER")]
    folder: Option<FolderArg>,
    /// How the mapping is printed: plain, embed, bbcode, html, markdown, csv, json (old and new
    /// side by side), or sed (a script that rewrites the old codes to the new)
    #[arg(long, value_name = "FORMAT", default_value = "plain")]
    format: String,
    /// Show what would be uploaded again; change nothing
    #[arg(long)]
    dry_run: bool,
    /// How many files to send at once [default: parallel_uploads in the config, else 2]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=8))]
    parallel: Option<u64>,
    #[command(flatten)]
    pub(super) limit: super::BwLimitArg,
    #[command(flatten)]
    exec: ExecArgs,
}

/// A code of the input, with what the CSV said of it.
#[derive(Debug, Clone, Default)]
struct Known {
    code: String,
    name: Option<String>,
    size: Option<u64>,
    /// The folder it was in (the CSV's `folder`).
    folder: Option<String>,
}

/// A dead file and its replacement.
#[derive(Debug, Serialize)]
struct Repaired {
    old_code: String,
    old_link: String,
    name: String,
    code: String,
    link: String,
    embed: String,
    size: u64,
    /// `uploaded`, or `already there` (a run before uploaded it).
    how: &'static str,
}

enum Output {
    Links(LinkFormat),
    Sed,
}

pub async fn run(cx: &Context, args: &RepairArgs) -> Result<(), Failure> {
    let output = match args.format.trim().to_ascii_lowercase().as_str() {
        "sed" => Output::Sed,
        other => Output::Links(
            LinkFormat::parse(other)
                .map_err(|e| Failure::Usage(format!("--format: {e}, or sed")))?,
        ),
    };
    let text = read_input(args.links.as_deref())?;
    let known = parse_input(&text, super::link_host(&cx.client).as_deref())?;

    // Which are dead: not there, and still not there when asked about alone.
    let codes: Vec<String> = known.iter().map(|k| k.code.clone()).collect();
    let infos = cx.client.file_info(&codes).await?;
    let mut dead = Vec::new();
    for (k, info) in known.iter().zip(&infos) {
        if info.exists() {
            continue;
        }
        let again = cx.client.file_info(std::slice::from_ref(&k.code)).await?;
        if again.iter().all(|f| !f.exists()) {
            dead.push(k.clone());
        }
    }
    eprintln!(
        "mp4u: {} alive, {} dead",
        known.len() - dead.len(),
        dead.len()
    );
    if dead.is_empty() {
        return print_mapping(cx, &output, &[]);
    }

    // Their names: the CSV's, else the deletion history's.
    if dead.iter().any(|d| d.name.is_none()) {
        let history = cx.client.files_deleted(Some(500)).await.unwrap_or_default();
        for d in dead.iter_mut().filter(|d| d.name.is_none()) {
            d.name = history
                .iter()
                .find(|h| h.file_code.eq_ignore_ascii_case(&d.code))
                .and_then(|h| h.name.clone());
        }
    }

    // Their local copies.
    let scan = super::sync::read_tree_quietly(cx, &args.from).await?;
    let mut local = Vec::new();
    flatten(&scan.root, &mut local);
    // Each goes into --folder, else the folder the CSV names, else the root.
    let mut targets: HashMap<String, Result<super::ResolvedFolder, String>> = HashMap::new();
    let mut placed = Vec::new();
    let mut lost = Vec::new();
    for dead in dead {
        let file = match find_copy(&dead, &local) {
            Ok(file) => file.clone(),
            Err(why) => {
                lost.push((dead, why));
                continue;
            }
        };
        let folder = match (&args.folder, &dead.folder) {
            (Some(folder), _) => Ok(folder.clone()),
            (None, Some(path)) => FolderArg::parse(path)
                .map_err(|why| format!("its folder {path:?}: {why} (give --folder)")),
            (None, None) => Ok(FolderArg::Path(Vec::new())),
        };
        let folder = match folder {
            Ok(folder) => folder,
            Err(why) => {
                lost.push((dead, why));
                continue;
            }
        };
        let key = folder.to_string();
        if !targets.contains_key(&key) {
            let resolved = folder
                .resolve(&cx.client)
                .await
                .map_err(|e| e.message().to_string());
            targets.insert(key.clone(), resolved);
        }
        match &targets[&key] {
            Ok(target) => placed.push((dead, file, target.clone())),
            Err(why) => lost.push((dead, format!("its folder: {why} (give --folder)"))),
        }
    }
    for (d, why) in &lost {
        let name = d.name.as_deref().unwrap_or("name unknown");
        eprintln!("mp4u: {} ({name}): dead, and {why}", d.code);
    }
    if args.dry_run {
        for (d, file, target) in &placed {
            println!(
                "upload again  {}  {}  →  {}",
                d.code,
                file.path.display(),
                target.path.as_deref().unwrap_or("/")
            );
        }
        println!(
            "dry run: {} to upload again, {} not; nothing was changed",
            placed.len(),
            lost.len()
        );
        return done(lost.len());
    }

    let repaired = upload(cx, args, &placed).await?;
    print_mapping(cx, &output, &repaired)?;
    done(lost.len() + placed.len() - repaired.len())
}

fn done(missing: usize) -> Result<(), Failure> {
    match missing {
        0 => Ok(()),
        n => Err(Failure::Api(format!(
            "{} could not be repaired",
            crate::format::plural(n, "dead file")
        ))),
    }
}

fn read_input(path: Option<&std::path::Path>) -> Result<String, Failure> {
    match path {
        None => read_stdin(),
        Some(p) if p.as_os_str() == "-" => read_stdin(),
        Some(p) => std::fs::read_to_string(p)
            .map_err(|e| Failure::Usage(format!("{}: cannot be read ({e})", p.display()))),
    }
}

fn read_stdin() -> Result<String, Failure> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Failure::Usage(format!("cannot read standard input: {e}")))?;
    Ok(text)
}

/// The codes of the input: a CSV with a `code` column (and `name`, `size`), else any text
/// holding links or codes.
fn parse_input(text: &str, host: Option<&str>) -> Result<Vec<Known>, Failure> {
    let first = text.lines().next().unwrap_or_default().to_ascii_lowercase();
    let is_csv = first.split(',').any(|c| c.trim() == "code");
    let known: Vec<Known> = if is_csv {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| Failure::Usage(format!("the CSV: {e}")))?
            .clone();
        let column = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let (code, name, size) = (column("code"), column("name"), column("size"));
        let folder = column("folder");
        let mut out: Vec<Known> = Vec::new();
        for row in reader.records() {
            let row = row.map_err(|e| Failure::Usage(format!("the CSV: {e}")))?;
            let Some(c) = code.and_then(|i| row.get(i)).map(str::trim) else {
                continue;
            };
            if !crate::api::is_code(c) || out.iter().any(|k| k.code == c) {
                continue;
            }
            out.push(Known {
                code: c.to_string(),
                name: name
                    .and_then(|i| row.get(i))
                    .map(unguarded)
                    .filter(|n| !n.is_empty()),
                size: size
                    .and_then(|i| row.get(i))
                    .and_then(|s| s.trim().parse().ok()),
                folder: folder
                    .and_then(|i| row.get(i))
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .map(str::to_string),
            });
        }
        out
    } else {
        crate::links::parse(text, host)
            .codes
            .into_iter()
            .map(|code| Known {
                code,
                ..Known::default()
            })
            .collect()
    };
    if known.is_empty() {
        return Err(Failure::Usage(
            "no file code or link found in the input".into(),
        ));
    }
    Ok(known)
}

/// A name as the CSV export wrote it, without the quote that keeps a spreadsheet from running it.
fn unguarded(name: &str) -> String {
    match name.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => name.to_string(),
    }
}

fn flatten(dir: &crate::sync::LocalDir, out: &mut Vec<LocalFile>) {
    out.extend(dir.files.iter().cloned());
    for sub in &dir.dirs {
        flatten(sub, out);
    }
}

/// The local copy of a dead file: the one file of its name (in any case, with or without the
/// extension) and size, where the size is known.
fn find_copy<'a>(dead: &Known, local: &'a [LocalFile]) -> Result<&'a LocalFile, String> {
    let Some(name) = &dead.name else {
        return Err("its name is not known (give a CSV from `mp4u links --format csv`)".into());
    };
    let named: Vec<&LocalFile> = local
        .iter()
        .filter(|f| same_upload_name(name, &f.name))
        .collect();
    let sized: Vec<&LocalFile> = match dead.size {
        Some(size) => named.iter().copied().filter(|f| f.size == size).collect(),
        None => named.clone(),
    };
    match sized.as_slice() {
        [one] => Ok(one),
        [] if named.is_empty() => Err(format!("no local file named {name:?}")),
        [] => Err(format!(
            "no local file named {name:?} of {} bytes",
            dead.size.unwrap_or_default()
        )),
        many => Err(format!(
            "{} local files named {name:?}: {}",
            many.len(),
            many.iter()
                .map(|f| f.rel.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Sends the local copies through the queue into `target`; what replaced each dead file.
async fn upload(
    cx: &Context,
    args: &RepairArgs,
    found: &[(Known, LocalFile, super::ResolvedFolder)],
) -> Result<Vec<Repaired>, Failure> {
    let queue = std::sync::Arc::new(Queue::open_default(cx.demo, cx.settings.profile.as_deref()));
    say_notices(&queue);
    let hooks = args.exec.hooks();
    super::send::start_owed_hooks(cx, &queue, &hooks);
    let news = found
        .iter()
        .map(|(_, file, target)| NewEntry {
            path: file.path.clone(),
            size: file.size,
            mtime: file.mtime,
            folder: target.id,
            folder_path: target.path.clone(),
            allow_duplicate: false,
            hook: args.exec.exec.clone(),
        })
        .collect();
    let enqueued = queue
        .enqueue(&cx.account(), news)
        .map_err(|e| Failure::Api(e.to_string()))?;
    let mut jobs = Vec::new();
    let mut olds = Vec::new();
    for ((dead, file, _), queued) in found.iter().zip(enqueued) {
        if queued.how == How::Busy {
            eprintln!(
                "mp4u: {}: {}",
                file.rel,
                super::upload::busy_reason(queued.entry.owner_pid())
            );
            continue;
        }
        olds.push(dead);
        jobs.push(Job {
            label: file.rel.clone(),
            entry: queued.entry,
        });
    }
    let entries: Vec<_> = jobs.iter().map(|j| &j.entry).collect();
    let files = folder_files_for(&cx.client, &entries, HashMap::new()).await;
    let parallel = args
        .parallel
        .map_or(cx.settings.parallel_uploads(), |n| n as usize);
    let outcomes = send_all(
        cx,
        &queue,
        jobs,
        &files,
        parallel,
        &Default::default(),
        &hooks,
    )
    .await;
    let base = cx.client.base_url();
    let mut repaired = Vec::new();
    for (dead, (job, fate)) in olds.into_iter().zip(outcomes) {
        let (code, how) = match fate {
            Fate::Uploaded(file) => (file.file_code, "uploaded"),
            Fate::AlreadyThere { file_code, .. } => (file_code, "already there"),
            Fate::Failed(why) | Fate::Unknown(why) => {
                eprintln!(
                    "mp4u: {} ({}): not uploaded again: {why}",
                    dead.code, job.label
                );
                continue;
            }
        };
        repaired.push(Repaired {
            old_link: crate::api::file_link(base, &dead.code),
            old_code: dead.code.clone(),
            name: job.entry.name.clone(),
            link: crate::api::file_link(base, &code),
            embed: crate::links::embed_link(base, &code),
            code,
            size: job.entry.size,
            how,
        });
    }
    finish_hooks(&hooks).await;
    say_notices(&queue);
    Ok(repaired)
}

/// The old links and the new, in the format asked for.
fn print_mapping(cx: &Context, output: &Output, repaired: &[Repaired]) -> Result<(), Failure> {
    let base = cx.client.base_url();
    let text = match output {
        Output::Sed => {
            let mut text =
                String::from("# mp4u repair: each dead code to its new one (sed -f THIS EXPORT)\n");
            for r in repaired {
                text.push_str(&format!("s/{}/{}/g\n", r.old_code, r.code));
            }
            text
        }
        Output::Links(LinkFormat::Json) => {
            let mut text = serde_json::to_string_pretty(repaired).unwrap_or_else(|_| "[]".into());
            text.push('\n');
            text
        }
        Output::Links(LinkFormat::Csv) => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let _ = writer.write_record([
                "old_code", "old_link", "name", "code", "link", "embed", "size",
            ]);
            for r in repaired {
                let size = r.size.to_string();
                let _ = writer.write_record([
                    r.old_code.as_str(),
                    &r.old_link,
                    &r.name,
                    &r.code,
                    &r.link,
                    &r.embed,
                    &size,
                ]);
            }
            String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        Output::Links(format) => {
            let mut text = String::new();
            for r in repaired {
                let file = |code: &str| LinkFile {
                    code: code.to_string(),
                    name: r.name.clone(),
                    size: Some(r.size),
                    ..LinkFile::default()
                };
                text.push_str(&format!(
                    "{}\t{}\n",
                    crate::links::render_one(*format, base, &file(&r.old_code)),
                    crate::links::render_one(*format, base, &file(&r.code))
                ));
            }
            text
        }
    };
    print!("{text}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_gives_names_and_sizes_and_any_text_gives_codes() {
        let csv = "name,code,link,embed,size,uploaded\n\
                   \"'=cmd|x\",abc123def456,l,e,10,\n\
                   ep 2.mp4,zzz999yyy888,l,e,,\n";
        let known = parse_input(csv, None).unwrap();
        assert_eq!(known.len(), 2);
        assert_eq!(known[0].name.as_deref(), Some("=cmd|x"));
        assert_eq!(known[0].size, Some(10));
        assert_eq!(known[1].size, None);
        let text = "see https://www.mp4upload.com/abc123def456 and\n https://www.mp4upload.com/embed-zzz999yyy888.html";
        let codes: Vec<String> = parse_input(text, None)
            .unwrap()
            .into_iter()
            .map(|k| k.code)
            .collect();
        assert_eq!(codes, ["abc123def456", "zzz999yyy888"]);
        assert!(parse_input("nothing here", None).is_err());
    }

    #[test]
    fn the_copy_is_the_one_file_of_that_name_and_size() {
        let file = |rel: &str, size| LocalFile {
            path: PathBuf::from(format!("/v/{rel}")),
            rel: rel.to_string(),
            name: rel.rsplit('/').next().unwrap().to_string(),
            size,
            mtime: None,
        };
        let local = [
            file("S1/ep 1.mp4", 10),
            file("S2/ep 1.mp4", 20),
            file("x.mkv", 5),
        ];
        let dead = |name: &str, size| Known {
            code: "abc123def456".into(),
            name: Some(name.into()),
            size,
            folder: None,
        };
        assert_eq!(
            find_copy(&dead("ep 1.mp4", Some(20)), &local).unwrap().rel,
            "S2/ep 1.mp4"
        );
        assert_eq!(find_copy(&dead("X", None), &local).unwrap().rel, "x.mkv");
        let two = find_copy(&dead("ep 1.mp4", None), &local).unwrap_err();
        assert!(two.starts_with("2 local files named"), "{two}");
        assert!(find_copy(&dead("ep 9.mp4", None), &local).is_err());
    }
}
