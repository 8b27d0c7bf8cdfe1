//! `mp4u sync DIR --folder FOLDER`: the contents of DIR go into FOLDER as `rclone copy` puts
//! them (see [`crate::sync`]): subdirectories become folders, created where missing; files
//! already there (same name and size) are skipped; the rest upload through the upload queue.

use std::collections::HashMap;
use std::path::PathBuf;

use clap::Args;

use super::folder_arg::{Located, ResolvedFolder};
use super::send::{Job, Refusals, SendArgs, finish_hooks, folder_files_for, say_notices, send_all};
use super::sync_report::{Created, Failed, Sent, Summary};
use super::upload::busy_reason;
use super::{Context, Failure, FolderArg};
use crate::api::{Placement, ROOT_FOLDER};
use crate::hook::Hooks;
use crate::queue::run::Fate;
use crate::queue::{How, KnownFiles, NewEntry, Queue};
use crate::sync::{FolderRef, Plan, PlannedUpload, RemoteTree, Scan};

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
    #[command(flatten)]
    pub(super) send: SendArgs,
}

/// The id a sync plans with for a target folder not made yet (no folder has it).
const PLANNED: u64 = u64::MAX;

/// How many uploads go one at a time, each into the folders it needs, before the rest: until
/// the account takes one, so that an account that refuses every upload is known before
/// folders are made for the rest (the same refusal twice is the account's).
const ALONE_FIRST: usize = 3;

pub async fn run(cx: &Context, args: &SyncArgs) -> Result<(), Failure> {
    let scan = read_tree(cx, &args.dir).await?;
    let how = SyncHow {
        folder: &args.folder,
        dir: &args.dir,
        dry_run: args.dry_run,
        send: &args.send,
        talk: !cx.json,
    };
    let hooks = args.send.exec.hooks();
    let summary = sync_tree(cx, &how, scan, &hooks).await?;
    finish_hooks(&hooks).await;
    let failed = summary.failed.len();
    let files = summary.uploaded.len() + summary.skipped.len() + failed;
    summary.print(cx.json);
    match (failed, args.dry_run) {
        (0, _) => Ok(()),
        // The same status the run itself would end with for the same files.
        (n, true) => Err(Failure::Api(format!(
            "{} would fail",
            crate::format::plural(n, "file")
        ))),
        (n, false) => Err(Failure::Api(format!(
            "{} of {} failed",
            crate::format::plural(n, "file"),
            crate::format::count(files as u64)
        ))),
    }
}

/// Reads the tree under `dir` (in a thread of its own); what is left out is said on stderr.
pub(super) async fn read_tree(cx: &Context, dir: &std::path::Path) -> Result<Scan, Failure> {
    let scan = read_tree_quietly(cx, dir).await?;
    for p in &scan.problems {
        eprintln!("mp4u: {}: {}", shown(&p.path, dir), p.reason);
    }
    Ok(scan)
}

/// Reads the tree under `dir` (in a thread of its own); what is left out is in the scan.
pub(super) async fn read_tree_quietly(
    cx: &Context,
    dir: &std::path::Path,
) -> Result<Scan, Failure> {
    let max = cx.settings.max_upload_bytes();
    let root = dir.to_path_buf();
    let scan = tokio::task::spawn_blocking(move || crate::sync::scan(&root, Some(max)))
        .await
        .map_err(|e| Failure::Api(format!("reading the directory failed: {e}")))?
        .map_err(Failure::Api)?;
    Ok(scan)
}

/// How a tree is synced: what `sync` and `watch` share.
pub(super) struct SyncHow<'a> {
    pub folder: &'a FolderArg,
    /// The local directory (for messages).
    pub dir: &'a std::path::Path,
    pub dry_run: bool,
    /// `--parallel`, `--allow-duplicates` and `--exec`.
    pub send: &'a SendArgs,
    /// Say each folder on stdout as it is made, and the failures on stderr at the end (`watch`
    /// logs them itself).
    pub talk: bool,
}

/// Syncs a tree read before into the folder: plans it against what the folder holds, makes
/// the folders the files need and sends them through the queue (a dry run only plans).
/// What became of each file is in the summary; the hooks it starts run on in `hooks` (the
/// caller waits for them: `watch` does not hold its next round for them).
pub(super) async fn sync_tree(
    cx: &Context,
    how: &SyncHow<'_>,
    scan: Scan,
    hooks: &Hooks,
) -> Result<Summary, Failure> {
    // A target folder that does not exist yet is planned as an empty one, and made as
    // `rclone copy` makes it, once something goes into it (a dry run says it would be).
    let (target, missing) = match how.folder.locate(&cx.client).await? {
        Located::Found(target) => (target, None),
        Located::Missing { parent, names } => {
            let path = names.iter().fold(parent.path.clone(), |at, name| {
                Some(super::folder_arg::join_path(at.as_deref(), name))
            });
            let target = ResolvedFolder { id: PLANNED, path };
            (target, Some((parent, names)))
        }
    };
    let target_path = match &target.path {
        Some(path) => path.clone(),
        None if target.id == ROOT_FOLDER => "/".into(),
        None => format!("folder {}", target.id),
    };
    let remote = if missing.is_some() {
        // A folder not made yet holds nothing.
        HashMap::from([(
            PLANNED,
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
        how.send.allow_duplicates,
    );
    if how.talk {
        for p in &plan.problems {
            eprintln!("mp4u: {}: {}", shown(&p.path, how.dir), p.reason);
        }
    }
    let mut summary = Summary::new(
        how.dry_run,
        missing.is_none().then_some(target.id),
        &target_path,
        &scan,
    );
    summary
        .failed
        .extend(scan.problems.iter().chain(&plan.problems).map(|p| Failed {
            file: shown(&p.path, how.dir),
            reason: p.reason.clone(),
        }));
    for skip in &plan.skip {
        let url = cx.client.file_link(&skip.file_code);
        summary.skipped.push(Sent::skipped(skip, url));
    }
    if how.dry_run {
        if let Some((parent, names)) = &missing {
            let mut at = parent.path.clone();
            for name in names {
                let path = super::folder_arg::join_path(at.as_deref(), name);
                at = Some(path.clone());
                summary.created.push(Created { path, fld_id: None });
            }
        }
        summary.dry_plan(&plan);
        return Ok(summary);
    }

    let queue = std::sync::Arc::new(Queue::open_default(cx.demo, cx.settings.profile.as_deref()));
    say_notices(&queue);
    let mut sending = Sending {
        cx,
        queue: &queue,
        remote: &remote,
        folders: NewFolders::new(&plan, missing, how.talk),
        refusals: Refusals::default(),
        hooks,
        send: how.send,
    };
    super::send::start_owed_hooks(cx, &queue, hooks);
    // The first uploads go alone, those into folders already there first: an account that
    // refuses every upload is found before any folder is made where it can be.
    let mut first: Vec<usize> = (0..plan.upload.len()).collect();
    first.sort_by_key(
        |&i| !matches!(plan.upload[i].folder, FolderRef::Existing(id) if id != PLANNED),
    );
    first.truncate(ALONE_FIRST);
    let mut alone = Vec::new();
    for &i in &first {
        alone.push(i);
        let taken = sending.send(&[&plan.upload[i]], 1, &mut summary).await?;
        if taken > 0 || sending.refusals.stopped().is_some() {
            break;
        }
    }
    let rest: Vec<&PlannedUpload> = (0..plan.upload.len())
        .filter(|i| !alone.contains(i))
        .map(|i| &plan.upload[i])
        .collect();
    if let Some(reason) = sending.refusals.stopped() {
        // The account refuses every upload: nothing more is sent, and no folder made for it.
        summary.failed.extend(rest.iter().map(|upload| Failed {
            file: upload.file.rel.clone(),
            reason: reason.clone(),
        }));
    } else {
        // Every folder of the plan, those that get no file too (as before).
        sending.folders.make_all(cx, &mut summary).await;
        sending
            .send(&rest, how.send.parallel(cx), &mut summary)
            .await?;
    }
    // Said once for many files when it is one reason (an account that may not upload).
    if how.talk {
        super::send::say_failures(
            summary
                .failed
                .iter()
                .filter(|f| !f.reason.starts_with("uploaded as "))
                .map(|f| (f.file.as_str(), f.reason.as_str())),
        );
    }
    say_notices(&queue);
    Ok(summary)
}

/// What sends a sync's uploads, a batch at a time.
struct Sending<'a> {
    cx: &'a Context,
    queue: &'a std::sync::Arc<Queue>,
    remote: &'a RemoteTree,
    folders: NewFolders<'a>,
    refusals: Refusals,
    hooks: &'a Hooks,
    send: &'a SendArgs,
}

impl Sending<'_> {
    /// Sends `uploads`, `parallel` at a time, each into its folder (made first where it is
    /// new), through the queue; what became of each goes into the summary. Returns how many
    /// were uploaded.
    async fn send(
        &mut self,
        uploads: &[&PlannedUpload],
        parallel: usize,
        summary: &mut Summary,
    ) -> Result<usize, Failure> {
        let cx = self.cx;
        let mut news = Vec::new();
        let mut sending = Vec::new();
        for &upload in uploads {
            match self.folders.id_of(cx, upload.folder, summary).await {
                Ok(id) => {
                    news.push(NewEntry {
                        path: upload.file.path.clone(),
                        size: upload.file.size,
                        mtime: upload.file.mtime,
                        folder: id,
                        folder_path: Some(upload.folder_path.clone()),
                        allow_duplicate: self.send.allow_duplicates,
                        hook: self.send.exec.exec.clone(),
                    });
                    sending.push(upload);
                }
                Err(why) => {
                    let file = upload.file.rel.clone();
                    summary.failed.push(Failed { file, reason: why });
                }
            }
        }
        let enqueued = self
            .queue
            .enqueue(&cx.account(), news)
            .map_err(|e| Failure::Api(e.to_string()))?;
        let mut jobs = Vec::new();
        let mut sent = Vec::new();
        for (upload, queued) in sending.into_iter().zip(enqueued) {
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
        let known = self.known_files();
        let entries: Vec<_> = jobs.iter().map(|j| &j.entry).collect();
        let files = folder_files_for(&cx.client, &entries, known).await;
        let outcomes = send_all(
            cx,
            self.queue,
            jobs,
            &files,
            parallel,
            &self.refusals,
            self.hooks,
        )
        .await;
        let mut uploaded = 0;
        for (upload, (_, outcome)) in sent.into_iter().zip(outcomes) {
            match outcome {
                Fate::Uploaded(file) => {
                    uploaded += 1;
                    if let Placement::LeftInRoot { wanted, reason } = &file.placement {
                        let why = format!(
                            "uploaded as {} but left in / (the root): moving it to {} (folder \
                             {wanted}) failed: {reason}; the move stays owed: the same sync \
                             again (or `mp4u upload --resume`) moves it, sending nothing",
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
        Ok(uploaded)
    }

    /// The files of every folder already known: those listed for the plan, and the folders
    /// made by this sync (empty).
    fn known_files(&self) -> HashMap<u64, KnownFiles> {
        let mut known: HashMap<u64, KnownFiles> = self
            .remote
            .iter()
            .filter_map(|(id, folder)| Some((*id, folder.files.clone()?)))
            .collect();
        for id in self.folders.made() {
            known.insert(id, KnownFiles::empty());
        }
        known
    }
}

/// A path within the synced directory as messages show it (the directory itself when empty).
pub(super) fn shown(rel: &str, dir: &std::path::Path) -> String {
    if rel.is_empty() {
        dir.display().to_string()
    } else {
        rel.to_string()
    }
}

/// The folders a sync makes: the target where it is missing, then the plan's new folders,
/// each when it is first needed (its parents before it), so that nothing is made for files
/// that are not sent. Each one's id, or why it is not there.
struct NewFolders<'a> {
    plan: &'a Plan,
    /// The missing part of the target: the folder it starts from and the names under it.
    missing: Option<(ResolvedFolder, Vec<String>)>,
    target: Option<Result<u64, String>>,
    made: Vec<Option<Result<u64, String>>>,
    /// Say each folder on stdout as it is made.
    say: bool,
}

impl<'a> NewFolders<'a> {
    fn new(plan: &'a Plan, missing: Option<(ResolvedFolder, Vec<String>)>, say: bool) -> Self {
        NewFolders {
            plan,
            missing,
            target: None,
            made: vec![None; plan.create.len()],
            say,
        }
    }

    /// The id of a folder of the plan, made now if it is new and not made yet.
    async fn id_of(
        &mut self,
        cx: &Context,
        folder: FolderRef,
        summary: &mut Summary,
    ) -> Result<u64, String> {
        match folder {
            FolderRef::Existing(PLANNED) => self.target(cx, summary).await,
            FolderRef::Existing(id) => Ok(id),
            FolderRef::New(i) => {
                if let Some(made) = &self.made[i] {
                    return made.clone();
                }
                // Parents come before their subfolders in the plan: the chain from the top.
                let mut chain = vec![i];
                while let FolderRef::New(parent) = self.plan.create[chain[chain.len() - 1]].parent
                    && self.made[parent].is_none()
                {
                    chain.push(parent);
                }
                for at in chain.into_iter().rev() {
                    let made = self.make(cx, at, summary).await;
                    self.made[at] = Some(made);
                }
                self.made[i]
                    .clone()
                    .unwrap_or_else(|| Err("not made".into()))
            }
        }
    }

    /// Makes folder `i` of the plan, whose parent is made (or known not to be).
    async fn make(&mut self, cx: &Context, i: usize, summary: &mut Summary) -> Result<u64, String> {
        let folder = &self.plan.create[i];
        let parent = match folder.parent {
            FolderRef::New(p) => self.made[p]
                .clone()
                .unwrap_or_else(|| Err("not made".into()))
                .map_err(|_| "its parent folder could not be created".to_string()),
            existing => Box::pin(self.id_of(cx, existing, summary)).await,
        };
        let made = match parent {
            Ok(parent) => cx
                .client
                .folder_create(Some(parent), &folder.name)
                .await
                .map_err(|e| format!("the folder {} could not be created: {e}", folder.path)),
            Err(why) => Err(format!("the folder {} was not created: {why}", folder.path)),
        };
        said_made(self.say, &folder.path, &made, summary);
        made
    }

    /// The target folder, made with the folders above it that are missing.
    async fn target(&mut self, cx: &Context, summary: &mut Summary) -> Result<u64, String> {
        if let Some(made) = &self.target {
            return made.clone();
        }
        let Some((mut at, names)) = self.missing.clone() else {
            return Err("the target folder is not known".into());
        };
        for name in names {
            let path = super::folder_arg::join_path(at.path.as_deref(), &name);
            let made = cx
                .client
                .folder_create(Some(at.id), &name)
                .await
                .map_err(|e| format!("the folder {path} could not be created: {e}"));
            said_made(self.say, &path, &made, summary);
            match made {
                Ok(id) => {
                    at = ResolvedFolder {
                        id,
                        path: Some(path),
                    }
                }
                Err(why) => {
                    self.target = Some(Err(why.clone()));
                    return Err(why);
                }
            }
        }
        summary.folder.fld_id = Some(at.id);
        self.target = Some(Ok(at.id));
        Ok(at.id)
    }

    /// Every folder of the plan made (those no file went to too), and the target.
    async fn make_all(&mut self, cx: &Context, summary: &mut Summary) {
        if self.missing.is_some() {
            let _ = self.target(cx, summary).await;
        }
        for i in 0..self.plan.create.len() {
            if self.made[i].is_none() {
                let _ = self.id_of(cx, FolderRef::New(i), summary).await;
            }
        }
    }

    /// The ids of the folders made so far.
    fn made(&self) -> impl Iterator<Item = u64> + '_ {
        let target = self.target.iter().flatten().copied();
        target.chain(self.made.iter().flatten().filter_map(|m| m.clone().ok()))
    }
}

/// A folder made (said on stdout and kept for the summary), or why it was not (on stderr).
fn said_made(say: bool, path: &str, made: &Result<u64, String>, summary: &mut Summary) {
    match made {
        Ok(id) => {
            if say {
                println!("created folder {path} (folder {id})");
            }
            summary.created.push(Created {
                path: path.to_string(),
                fld_id: Some(*id),
            });
        }
        Err(why) => eprintln!("mp4u: {why}"),
    }
}
