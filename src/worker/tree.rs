//! A directory's upload from the picker, the worker's side: reading the marked directories
//! (and files) into one tree, listing the folders it reaches, planning it as `mp4u sync` does
//! ([`crate::sync`]), and later creating the plan's folders, parents first.

use std::path::PathBuf;

use crate::api::{Client, check_local_file, clean_name};
use crate::app::popups::directory::TreePlan;
use crate::app::{Command, Outcome};
use crate::sync::{FolderRef, LocalDir, LocalFile, Problem};

/// Runs [`Command::PlanTree`] and [`Command::StartTree`].
pub(super) async fn run(client: &Client, command: Command) -> Option<Outcome> {
    match command {
        Command::PlanTree {
            req,
            paths,
            fld_id,
            folder_path,
            max_bytes,
        } => {
            let result = plan(client, paths, fld_id, folder_path, max_bytes)
                .await
                .map(Box::new);
            Some(Outcome::TreePlanned { req, result })
        }
        Command::StartTree {
            req,
            tree,
            send_all,
        } => {
            let created = create_folders(client, &tree, send_all).await;
            Some(Outcome::TreeStarted {
                req,
                tree,
                send_all,
                created,
            })
        }
        _ => None,
    }
}

/// What was marked, read into one tree whose directories are the marked directories (each
/// becomes a folder of its name in the target) and whose files are the marked files.
struct Marked {
    root: LocalDir,
    names: Vec<String>,
    problems: Vec<Problem>,
    hidden: Vec<String>,
}

fn read_marked(paths: &[PathBuf], max_bytes: u64) -> Marked {
    let mut marked = Marked {
        root: LocalDir::default(),
        names: Vec::new(),
        problems: Vec::new(),
        hidden: Vec::new(),
    };
    for path in paths {
        let shown = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let problem = |reason: String| Problem {
            path: shown.clone(),
            reason,
        };
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) => {
                marked
                    .problems
                    .push(problem(format!("cannot be read ({e})")));
                continue;
            }
        };
        if meta.is_dir() {
            marked.names.push(format!("{shown}/"));
            let name = match clean_name(&shown) {
                Ok(name) => name,
                Err(why) => {
                    let why = format!("cannot be a folder name on mp4upload: {why}");
                    marked.problems.push(problem(why));
                    continue;
                }
            };
            if marked.root.dirs.iter().any(|d| d.name == name) {
                let why = "another marked directory has the same name: left out".to_string();
                marked.problems.push(problem(why));
                continue;
            }
            match crate::sync::scan(path, Some(max_bytes)) {
                Ok(scan) => {
                    let mut dir = scan.root;
                    reroot(&mut dir, &name);
                    dir.name = name.clone();
                    marked.root.dirs.push(dir);
                    let within = |p: String| format!("{name}/{p}");
                    marked
                        .problems
                        .extend(scan.problems.into_iter().map(|p| Problem {
                            path: if p.path.is_empty() {
                                name.clone()
                            } else {
                                within(p.path)
                            },
                            reason: p.reason,
                        }));
                    marked.hidden.extend(scan.hidden.into_iter().map(within));
                }
                Err(why) => marked.problems.push(problem(why)),
            }
        } else {
            marked.names.push(shown.clone());
            match check_local_file(path, Some(max_bytes)) {
                Ok(size) => marked.root.files.push(LocalFile {
                    path: std::path::absolute(path).unwrap_or_else(|_| path.clone()),
                    rel: shown.clone(),
                    name: shown.clone(),
                    size,
                    mtime: crate::queue::mtime_of(&meta),
                }),
                Err(crate::api::ApiError::LocalFile { reason, .. }) => {
                    marked.problems.push(problem(reason));
                }
                Err(e) => marked.problems.push(problem(e.to_string())),
            }
        }
    }
    marked
}

/// A scanned directory's paths, made relative to the directory it was marked in.
fn reroot(dir: &mut LocalDir, prefix: &str) {
    dir.rel = if dir.rel.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix}/{}", dir.rel)
    };
    for file in &mut dir.files {
        file.rel = format!("{prefix}/{}", file.rel);
    }
    for sub in &mut dir.dirs {
        reroot(sub, prefix);
    }
}

async fn plan(
    client: &Client,
    paths: Vec<PathBuf>,
    target: u64,
    target_path: String,
    max_bytes: u64,
) -> Result<TreePlan, String> {
    let marked = tokio::task::spawn_blocking(move || read_marked(&paths, max_bytes))
        .await
        .map_err(|e| format!("reading the directories failed: {e}"))?;
    let remote = crate::sync::fetch(client, target, &marked.root)
        .await
        .map_err(|e| format!("{target_path} could not be listed: {e}"))?;
    let plan = crate::sync::plan(&marked.root, target, &target_path, &remote, false);
    let plan_all = crate::sync::plan(&marked.root, target, &target_path, &remote, true);
    let mut left_out = marked.problems;
    left_out.extend(plan.problems.iter().cloned());
    Ok(TreePlan {
        target,
        target_path,
        names: marked.names,
        plan,
        plan_all,
        left_out,
        hidden: marked.hidden,
    })
}

/// Creates the plan's folders, parents first: each one's id, or why it is not there.
async fn create_folders(
    client: &Client,
    tree: &TreePlan,
    send_all: bool,
) -> Vec<Result<u64, String>> {
    let plan = if send_all { &tree.plan_all } else { &tree.plan };
    let mut created: Vec<Result<u64, String>> = Vec::with_capacity(plan.create.len());
    for folder in &plan.create {
        let parent = match folder.parent {
            FolderRef::Existing(id) => Ok(id),
            FolderRef::New(i) => created
                .get(i)
                .cloned()
                .unwrap_or_else(|| Err(String::new()))
                .map_err(|_| "its parent folder could not be created".to_string()),
        };
        let result = match parent {
            Ok(parent) => client
                .folder_create(Some(parent), &folder.name)
                .await
                .map_err(|e| format!("the folder {} could not be created: {e}", folder.path)),
            Err(why) => Err(format!("the folder {} was not created: {why}", folder.path)),
        };
        if let Err(why) = &result {
            tracing::warn!(%why, "creating a folder of a tree");
        }
        created.push(result);
    }
    created
}
