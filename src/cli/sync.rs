//! `mp4u sync DIR --folder FOLDER`: the contents of DIR go into FOLDER as `rclone copy` puts
//! them (see [`crate::sync`]): subdirectories become folders, created where missing; files
//! already there (same name and size) are skipped; the rest upload through the upload queue.

use std::collections::HashMap;
use std::path::PathBuf;

use clap::Args;

use super::folder_arg::{Located, ResolvedFolder};
use super::send::{Job, folder_files_for, say_notices, send_all};
use super::sync_report::{Created, Failed, Sent, Summary};
use super::upload::{account_of, busy_reason};
use super::{Context, Failure, FolderArg};
use crate::api::{Placement, ROOT_FOLDER};
use crate::queue::run::Fate;
use crate::queue::{How, KnownFiles, NewEntry, Queue};
use crate::sync::{FolderRef, Plan, RemoteTree};

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The local directory whose contents are uploaded
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// The folder they go into: an id, or a path like "/Anime/Season 1" (0 or / is the root)
    #[arg(long, value_name = "FOLDER")]
    folder: FolderArg,
    /// Print the plan (folders to create, files to upload, files skipped); change nothing
    #[arg(long)]
    dry_run: bool,
    /// How many files to send at once [default: parallel_uploads in the config, else 2]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=8))]
    parallel: Option<u64>,
    /// Upload a file even when its folder holds one of the same name and size
    #[arg(long)]
    allow_duplicates: bool,
    #[command(flatten)]
    pub(super) limit: super::BwLimitArg,
}

pub async fn run(cx: &Context, args: &SyncArgs) -> Result<(), Failure> {
    // A target folder that does not exist yet is made, as `rclone copy` makes it (a dry run
    // says it would be).
    let mut made = Vec::new();
    let (target, made_up) = match args.folder.locate(&cx.client).await? {
        Located::Found(target) => (target, false),
        Located::Missing { parent, names } => {
            let mut at = parent;
            let mut made_up = false;
            for name in names {
                let path = super::folder_arg::join_path(at.path.as_deref(), &name);
                if args.dry_run {
                    // Nothing to list in a folder not made yet: an id no folder has.
                    made.push(Created {
                        path: path.clone(),
                        fld_id: None,
                    });
                    at = ResolvedFolder {
                        id: u64::MAX,
                        path: Some(path),
                    };
                    made_up = true;
                } else {
                    let id = cx.client.folder_create(Some(at.id), &name).await?;
                    if !cx.json {
                        println!("created folder {path} (folder {id})");
                    }
                    made.push(Created {
                        path: path.clone(),
                        fld_id: Some(id),
                    });
                    at = ResolvedFolder {
                        id,
                        path: Some(path),
                    };
                }
            }
            (at, made_up)
        }
    };
    let target_path = match &target.path {
        Some(path) => path.clone(),
        None if target.id == ROOT_FOLDER => "/".into(),
        None => format!("folder {}", target.id),
    };
    let max = cx.settings.max_upload_bytes();
    let dir = args.dir.clone();
    let scan = tokio::task::spawn_blocking(move || crate::sync::scan(&dir, Some(max)))
        .await
        .map_err(|e| Failure::Api(format!("reading the directory failed: {e}")))?
        .map_err(Failure::Api)?;
    for p in &scan.problems {
        eprintln!("mp4u: {}: {}", shown(&p.path, &args.dir), p.reason);
    }
    let remote = if made_up {
        // The folder a dry run would make holds nothing yet.
        HashMap::from([(
            target.id,
            crate::sync::RemoteFolder {
                folders: Ok(Vec::new()),
                files: Some(KnownFiles::empty()),
            },
        )])
    } else {
        crate::sync::fetch(&cx.client, target.id, &scan.root)
            .await
            .map_err(|e| Failure::of_folder(e, &target_path))?
    };
    let plan = crate::sync::plan(
        &scan.root,
        target.id,
        &target_path,
        &remote,
        args.allow_duplicates,
    );
    for p in &plan.problems {
        eprintln!("mp4u: {}: {}", shown(&p.path, &args.dir), p.reason);
    }
    let mut summary = Summary::new(
        args.dry_run,
        (!made_up).then_some(target.id),
        &target_path,
        &scan,
    );
    summary.created.extend(made);
    summary
        .failed
        .extend(scan.problems.iter().chain(&plan.problems).map(|p| Failed {
            file: shown(&p.path, &args.dir),
            reason: p.reason.clone(),
        }));
    for skip in &plan.skip {
        let url = cx.client.file_link(&skip.file_code);
        summary.skipped.push(Sent::skipped(skip, url));
    }
    if args.dry_run {
        summary.dry_plan(&plan);
        let failed = summary.failed.len();
        summary.print(cx.json);
        // The same status the run itself would end with for the same files.
        return match failed {
            0 => Ok(()),
            n => Err(Failure::Api(format!(
                "{} would fail",
                crate::format::plural(n, "file")
            ))),
        };
    }

    let created = create_folders(cx, &plan, &mut summary).await;
    let queue = std::sync::Arc::new(Queue::open_default(cx.demo));
    say_notices(&queue);
    let mut news = Vec::new();
    let mut uploads = Vec::new();
    for upload in &plan.upload {
        let folder = match upload.folder {
            FolderRef::Existing(id) => Ok(id),
            FolderRef::New(i) => created[i].clone(),
        };
        match folder {
            Ok(id) => {
                news.push(NewEntry {
                    path: upload.file.path.clone(),
                    size: upload.file.size,
                    mtime: upload.file.mtime,
                    folder: id,
                    folder_path: Some(upload.folder_path.clone()),
                    allow_duplicate: args.allow_duplicates,
                });
                uploads.push(upload);
            }
            Err(why) => {
                let file = upload.file.rel.clone();
                summary.failed.push(Failed { file, reason: why });
            }
        }
    }
    let enqueued = queue
        .enqueue(&account_of(cx), news)
        .map_err(|e| Failure::Api(e.to_string()))?;
    let mut jobs = Vec::new();
    let mut sent = Vec::new();
    for (upload, queued) in uploads.into_iter().zip(enqueued) {
        if queued.how == How::Busy {
            let mut skipped = Sent::of(upload, None);
            skipped.reason = Some(busy_reason(queued.entry.owner_pid()));
            summary.skipped.push(skipped);
            continue;
        }
        sent.push(upload);
        jobs.push(Job {
            label: upload.file.rel.clone(),
            entry: queued.entry,
        });
    }
    let known = known_files(&remote, &created);
    let entries: Vec<_> = jobs.iter().map(|j| &j.entry).collect();
    let files = folder_files_for(&cx.client, &entries, known).await;
    let parallel = args
        .parallel
        .map_or(cx.settings.parallel_uploads(), |n| n as usize);
    let outcomes = send_all(cx, &queue, jobs, &files, parallel).await;
    for (upload, (_, outcome)) in sent.into_iter().zip(outcomes) {
        match outcome {
            Fate::Uploaded(file) => {
                if let Placement::LeftInRoot { wanted, reason } = &file.placement {
                    let why = format!(
                        "uploaded as {} but left in / (the root): moving it to {} (folder \
                         {wanted}) failed: {reason}; the move stays owed: the same sync again \
                         (or `mp4u upload --resume`) moves it, sending nothing",
                        file.url, upload.folder_path
                    );
                    eprintln!("mp4u: {}: {why}", upload.file.rel);
                    summary.failed.push(Failed {
                        file: upload.file.rel.clone(),
                        reason: why,
                    });
                } else {
                    summary.uploaded.push(Sent::of(upload, Some(&file)));
                }
            }
            Fate::AlreadyThere { file_code, url, .. } => {
                let mut skipped = Sent::of(upload, None);
                skipped.file_code = Some(file_code);
                skipped.url = Some(url);
                skipped.reason = Some(crate::queue::run::ALREADY_THERE.into());
                summary.skipped.push(skipped);
            }
            Fate::Failed(reason) | Fate::Unknown(reason) => {
                summary.failed.push(Failed {
                    file: upload.file.rel.clone(),
                    reason,
                });
            }
        }
    }
    // Said once for many files when it is one reason (an account that may not upload).
    super::send::say_failures(
        summary
            .failed
            .iter()
            .filter(|f| !f.reason.starts_with("uploaded as "))
            .map(|f| (f.file.as_str(), f.reason.as_str())),
    );
    say_notices(&queue);
    let files = summary.uploaded.len() + summary.skipped.len() + summary.failed.len();
    let failed = summary.failed.len();
    summary.print(cx.json);
    match failed {
        0 => Ok(()),
        n => Err(Failure::Api(format!(
            "{} of {} failed",
            crate::format::plural(n, "file"),
            crate::format::count(files as u64)
        ))),
    }
}

/// A path within the synced directory as messages show it (the directory itself when empty).
fn shown(rel: &str, dir: &std::path::Path) -> String {
    if rel.is_empty() {
        dir.display().to_string()
    } else {
        rel.to_string()
    }
}

/// Creates the plan's folders, parents first; each one's id, or why it is not there.
async fn create_folders(
    cx: &Context,
    plan: &Plan,
    summary: &mut Summary,
) -> Vec<Result<u64, String>> {
    let mut created: Vec<Result<u64, String>> = Vec::with_capacity(plan.create.len());
    for folder in &plan.create {
        let parent = match folder.parent {
            FolderRef::Existing(id) => Ok(id),
            FolderRef::New(i) => created[i]
                .clone()
                .map_err(|_| "its parent folder could not be created".to_string()),
        };
        let result = match parent {
            Ok(parent) => cx
                .client
                .folder_create(Some(parent), &folder.name)
                .await
                .map_err(|e| format!("the folder {} could not be created: {e}", folder.path)),
            Err(why) => Err(format!("the folder {} was not created: {why}", folder.path)),
        };
        match &result {
            Ok(id) => {
                if !cx.json {
                    println!("created folder {} (folder {id})", folder.path);
                }
                summary.created.push(Created {
                    path: folder.path.clone(),
                    fld_id: Some(*id),
                });
            }
            Err(why) => eprintln!("mp4u: {why}"),
        }
        created.push(result);
    }
    created
}

/// The files of every folder already known: those listed for the plan, and the new folders
/// (empty).
fn known_files(remote: &RemoteTree, created: &[Result<u64, String>]) -> HashMap<u64, KnownFiles> {
    let mut known: HashMap<u64, KnownFiles> = remote
        .iter()
        .filter_map(|(id, folder)| Some((*id, folder.files.clone()?)))
        .collect();
    for id in created.iter().flatten() {
        known.insert(*id, KnownFiles::empty());
    }
    known
}
