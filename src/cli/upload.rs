//! `mp4u upload`: checks every file first, queues them (the queue file outlives the program),
//! skips files already in the folder, uploads a few at a time with a progress bar each (on a
//! terminal), and prints the new links at the end. `--resume` takes up what the queue holds
//! unfinished.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use serde::Serialize;

use super::send::{Job, SendArgs, finish_hooks, folder_files_for, say_notices, send_all};
use super::{Context, Failure, FolderArg};
use crate::api::{Placement, ROOT_FOLDER, UploadedFile, check_local_file, video_warning};
use crate::format::plural;
use crate::hook::Hooks;
use crate::queue::run::{ALREADY_THERE, Fate};
use crate::queue::{Account, How, NewEntry, Queue};

#[derive(Debug, Args)]
pub struct UploadArgs {
    /// Files to upload
    #[arg(value_name = "FILE", required_unless_present = "resume")]
    files: Vec<PathBuf>,
    /// Put the files into this folder: an id, or a path like "/Anime/Season 1" [default:
    /// default_folder in the config, else the root]
    #[arg(long, value_name = "FOLDER", conflicts_with = "resume")]
    folder: Option<FolderArg>,
    /// Resume the unfinished uploads of the queue (one that was being sent when mp4u stopped
    /// is looked for on the account first, and sent again only if it is not there)
    #[arg(long, conflicts_with = "files")]
    resume: bool,
    #[command(flatten)]
    pub(super) send: SendArgs,
}

/// What became of one file, as printed.
#[derive(Serialize, Default)]
pub(super) struct FileReport {
    pub file: String,
    /// `uploaded`, `skipped`, `failed` or `unknown` (may be on the account).
    pub status: &'static str,
    #[serde(flatten)]
    pub uploaded: Option<UploadedFile>,
    /// A skipped file: the one already there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Why a file was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The error was already printed when the file was checked.
    #[serde(skip)]
    pub reported: bool,
}

impl FileReport {
    pub fn failed(file: String, error: String, reported: bool) -> FileReport {
        FileReport {
            file,
            status: "failed",
            error: Some(error),
            reported,
            ..FileReport::default()
        }
    }

    pub fn skipped(file: String, reason: String) -> FileReport {
        FileReport {
            file,
            status: "skipped",
            reason: Some(reason),
            ..FileReport::default()
        }
    }

    /// What an entry's outcome reads as.
    pub fn of(file: String, outcome: Fate) -> FileReport {
        match outcome {
            Fate::Uploaded(uploaded) => FileReport {
                file,
                status: "uploaded",
                uploaded: Some(uploaded),
                ..FileReport::default()
            },
            Fate::AlreadyThere {
                file_code,
                url,
                listed_name,
            } => FileReport {
                file_code: Some(file_code),
                name: Some(listed_name),
                url: Some(url),
                ..FileReport::skipped(file, ALREADY_THERE.into())
            },
            Fate::Failed(error) => FileReport::failed(file, error, false),
            Fate::Unknown(error) => FileReport {
                file,
                status: "unknown",
                error: Some(error),
                ..FileReport::default()
            },
        }
    }
}

/// `1 unfinished upload is`, `3 unfinished uploads are`.
fn uploads_are(n: usize) -> String {
    if n == 1 {
        "1 unfinished upload is".into()
    } else {
        format!("{} unfinished uploads are", crate::format::count(n as u64))
    }
}

/// The reason a busy entry is left alone.
pub(super) fn busy_reason(pid: Option<u32>) -> String {
    match pid {
        Some(pid) => format!("being sent by another mp4u (process {pid}); left to it"),
        None => "being sent by another mp4u; left to it".into(),
    }
}

pub async fn run(cx: &Context, args: &UploadArgs) -> Result<(), Failure> {
    let queue = Arc::new(Queue::open_default(cx.demo, cx.settings.profile.as_deref()));
    say_notices(&queue);
    let account = cx.account();
    let parallel = args.send.parallel(cx);
    let hooks = args.send.exec.hooks();
    super::send::start_owed_hooks(cx, &queue, &hooks);
    if args.resume {
        let resumed = resume(
            cx,
            &queue,
            &account,
            args.send.allow_duplicates,
            parallel,
            &hooks,
        )
        .await;
        finish_hooks(&hooks).await;
        return resumed;
    }
    // The folder first: a path that leads nowhere sends nothing.
    let default_folder = match &cx.settings.file.default_folder {
        Some(text) if args.folder.is_none() => Some(
            FolderArg::parse(text)
                .map_err(|e| Failure::Config(format!("default_folder in the config file: {e}")))?,
        ),
        _ => None,
    };
    let target = match args.folder.as_ref().or(default_folder.as_ref()) {
        Some(folder) => Some(folder.resolve(&cx.client).await?),
        None => None,
    };
    let folder = target.as_ref().map_or(ROOT_FOLDER, |t| t.id);
    let folder_path = target.as_ref().and_then(|t| t.path.clone());
    let max = cx.settings.max_upload_bytes();
    let mut reports: Vec<Option<FileReport>> = Vec::new();
    let mut ready = Vec::new();
    for (i, path) in args.files.iter().enumerate() {
        let file = path.display().to_string();
        let checked = check_local_file(path, Some(max)).and_then(|_| {
            NewEntry::for_file(path, folder, folder_path.clone()).map_err(|e| {
                crate::api::ApiError::LocalFile {
                    path: file.clone(),
                    reason: format!("cannot be read ({e})"),
                }
            })
        });
        match checked {
            Ok(mut entry) => {
                if let Some(warning) = video_warning(path) {
                    eprintln!("mp4u: warning: {warning}");
                }
                entry.allow_duplicate = args.send.allow_duplicates;
                entry.hook = args.send.exec.exec.clone();
                ready.push((i, file, entry));
                reports.push(None);
            }
            Err(e) => {
                eprintln!("mp4u: {e}");
                reports.push(Some(FileReport::failed(file, e.to_string(), true)));
            }
        }
    }

    let enqueued = queue
        .enqueue(&account, ready.iter().map(|(_, _, e)| e.clone()).collect())
        .map_err(|e| Failure::Api(e.to_string()))?;
    say_notices(&queue);
    let mut jobs = Vec::new();
    let mut places = Vec::new();
    for ((i, file, _), queued) in ready.into_iter().zip(enqueued) {
        if queued.how == How::Busy {
            let reason = if queued.entry.owner.as_deref() == Some(queue.token()) {
                "given more than once for the same folder: sent once".to_string()
            } else {
                busy_reason(queued.entry.owner_pid())
            };
            eprintln!("mp4u: {file}: {reason}");
            reports[i] = Some(FileReport::skipped(file, reason));
            continue;
        }
        places.push((i, file));
        jobs.push(Job {
            label: queued.entry.name.clone(),
            entry: queued.entry,
        });
    }
    let entries: Vec<_> = jobs.iter().map(|j| &j.entry).collect();
    let files = folder_files_for(&cx.client, &entries, Default::default()).await;
    let refusals = Default::default();
    let outcomes = send_all(cx, &queue, jobs, &files, parallel, &refusals, &hooks).await;
    for ((i, file), (_, outcome)) in places.into_iter().zip(outcomes) {
        reports[i] = Some(FileReport::of(file, outcome));
    }
    finish_hooks(&hooks).await;
    let target = target.map_or_else(|| format!("folder {folder}"), |t| t.to_string());
    print_reports(reports.into_iter().flatten().collect(), cx.json, &target)
}

/// `upload --resume`: the queue's unfinished entries of this account, each as
/// [`crate::queue::run::process`] says.
async fn resume(
    cx: &Context,
    queue: &Arc<Queue>,
    account: &Account,
    allow_duplicates: bool,
    parallel: usize,
    hooks: &Hooks,
) -> Result<(), Failure> {
    let taken = queue
        .take_unfinished(account)
        .map_err(|e| Failure::Api(e.to_string()))?;
    say_notices(queue);
    if taken.busy > 0 {
        eprintln!(
            "mp4u: {} being sent by another mp4u; left to it",
            uploads_are(taken.busy)
        );
    }
    if taken.elsewhere > 0 {
        eprintln!(
            "mp4u: {} for another account or server; left alone",
            uploads_are(taken.elsewhere)
        );
    }
    if taken.entries.is_empty() {
        eprintln!("mp4u: nothing to resume");
        return print_reports(Vec::new(), cx.json, "");
    }
    let looked_up = taken
        .entries
        .iter()
        .filter(|e| e.state.needs_lookup())
        .count();
    let mut line = format!("mp4u: resuming {}", plural(taken.entries.len(), "upload"));
    if looked_up > 0 {
        line.push_str(&format!(
            " ({looked_up} may have arrived already: looked for on the account first)"
        ));
    }
    eprintln!("{line}");
    let jobs: Vec<Job> = taken
        .entries
        .into_iter()
        .map(|mut entry| {
            entry.allow_duplicate |= allow_duplicates;
            Job {
                label: entry.name.clone(),
                entry,
            }
        })
        .collect();
    let files: Vec<String> = jobs
        .iter()
        .map(|j| j.entry.path.display().to_string())
        .collect();
    let entries: Vec<_> = jobs.iter().map(|j| &j.entry).collect();
    let folder_files = folder_files_for(&cx.client, &entries, Default::default()).await;
    let outcomes = send_all(
        cx,
        queue,
        jobs,
        &folder_files,
        parallel,
        &Default::default(),
        hooks,
    )
    .await;
    let reports = files
        .into_iter()
        .zip(outcomes)
        .map(|(file, (_, outcome))| FileReport::of(file, outcome))
        .collect();
    print_reports(reports, cx.json, "their folders")
}

/// Prints what became of each file (links on stdout, the rest on stderr) and makes the exit
/// status: 1 when a file failed, may not have arrived, or was left in `/`.
fn print_reports(reports: Vec<FileReport>, json: bool, target: &str) -> Result<(), Failure> {
    let failed = reports
        .iter()
        .filter(|r| matches!(r.status, "failed" | "unknown"))
        .count();
    // Uploaded, but left in the root: the move into the folder failed.
    let misplaced: Vec<&UploadedFile> = reports
        .iter()
        .filter_map(|r| r.uploaded.as_ref())
        .filter(|u| matches!(u.placement, Placement::LeftInRoot { .. }))
        .collect();
    if json {
        let text = serde_json::to_string_pretty(&reports).unwrap_or_else(|_| "[]".into());
        println!("{text}");
    } else {
        for r in &reports {
            if let Some(u) = &r.uploaded {
                println!("{}  {}", u.url, u.name);
            }
            if let (Some(url), Some(ALREADY_THERE)) = (&r.url, r.reason.as_deref()) {
                eprintln!(
                    "mp4u: already on the account: {} → {url} (not sent; --allow-duplicates \
                     sends it anyway)",
                    super::send::file_name(&r.file)
                );
            }
        }
        super::send::say_failures(
            reports
                .iter()
                .filter(|r| r.uploaded.is_none() && !r.reported)
                .filter_map(|r| Some((r.file.as_str(), r.error.as_deref()?))),
        );
    }
    for u in &misplaced {
        if let Placement::LeftInRoot { wanted, reason } = &u.placement {
            eprintln!(
                "mp4u: {} ({}) is in / (the root): moving it to folder {wanted} failed: {reason}; \
                 the move stays owed: `mp4u upload --resume` (or the same command again) moves \
                 it, sending nothing",
                u.file_code, u.name
            );
        }
    }
    match (failed, misplaced.len()) {
        (0, 0) => Ok(()),
        (0, n) => Err(Failure::Api(format!(
            "{} left in / instead of {target}",
            plural(n, "upload"),
        ))),
        (failed, _) => Err(Failure::Api(format!(
            "{} of {} failed",
            plural(failed, "upload"),
            reports.len()
        ))),
    }
}
