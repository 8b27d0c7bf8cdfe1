//! `mp4u watch DIR --folder FOLDER`: runs until stopped, and sends each file that arrives under
//! DIR once it has finished growing, as `mp4u sync` would (subdirectories become folders;
//! what is there already is skipped; everything goes through the queue, so a crash or a
//! reboot loses nothing and sends nothing twice).
//!
//! A file is ready when its size and modification time have not changed for the settle time
//! (`--settle`), seen twice; never while a download client still writes it: temporary names
//! (`.part`, `.crdownload`, `.tmp`, `~`…) and hidden files are left alone, and so is a file
//! whose `.aria2` control file is beside it. The system says when something changes
//! (inotify and the like); `--poll` reads the directory every few seconds instead, for network
//! filesystems where no notice comes. Files that arrived while watch was not running are
//! found at start. Ctrl-C or SIGTERM stops it: an upload on its way is abandoned, and the
//! queue takes it up at the next start (looked for on the account first). The output is a log,
//! a line per event with its time; `--json` makes each line a JSON object.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::{Value, json};

use super::send::SendArgs;
use super::sync::{SyncHow, read_tree_quietly, shown, sync_tree};
use super::{Context, Failure, FolderArg};
use crate::sync::{LocalDir, LocalFile, Scan};

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The local directory to watch
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// The folder its files go into: an id, or a path like "/Anime/Season 1" (made if missing)
    #[arg(long, value_name = "FOLDER")]
    folder: FolderArg,
    /// Seconds a file's size and modification time must stay the same before it is sent
    #[arg(long, value_name = "SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    settle: u64,
    /// Read the directory every few seconds instead of being told of changes (network
    /// filesystems, where no notice comes)
    #[arg(long)]
    poll: bool,
    #[command(flatten)]
    pub(super) send: SendArgs,
}

/// How often the directory is read again while a file settles, and in `--poll` mode.
const TICK: Duration = Duration::from_secs(1);
const POLL: Duration = Duration::from_secs(3);
/// With notices from the system, the directory is still read this often (a notice lost).
const SAFETY: Duration = Duration::from_secs(60);
/// A file whose upload failed is tried again after a minute, then after longer each time, up
/// to an hour (an account that refuses uploads is not sent a file a minute).
fn retry_after(failures: u32) -> Duration {
    Duration::from_secs((60u64 << failures.min(6).saturating_sub(1)).min(3600))
}

pub async fn run(cx: &Context, args: &WatchArgs) -> Result<(), Failure> {
    let log = Log { json: cx.json };
    // A directory that is not there, a refused key or a folder id the account does not have
    // is an error now, not a log line a minute; the service being down is not (the rounds try
    // again).
    read_tree_quietly(cx, &args.dir).await?;
    match cx.client.account_info().await {
        Ok(_) => {
            if let super::folder_arg::Located::Found(target) =
                args.folder.locate(&cx.client).await?
            {
                cx.client
                    .folder_list(target.id)
                    .await
                    .map_err(|e| Failure::of_folder(e, &target.to_string()))?;
            }
        }
        Err(e) if !e.is_transient() => return Err(e.into()),
        Err(_) => {}
    }
    let (tx, mut changes) = tokio::sync::mpsc::unbounded_channel::<()>();
    let watcher = if args.poll {
        None
    } else {
        match notices(&args.dir, tx) {
            Ok(watcher) => Some(watcher),
            Err(e) => {
                log.line(
                    "notice",
                    &format!("no change notices ({e}): reading the directory every 3 s"),
                    json!({}),
                );
                None
            }
        }
    };
    log.line(
        "watching",
        &format!(
            "{} → {} (a file is sent once unchanged for {} s; {})",
            args.dir.display(),
            args.folder,
            args.settle,
            if watcher.is_some() {
                "told of changes"
            } else {
                "reading every 3 s"
            }
        ),
        json!({"dir": args.dir.display().to_string(), "folder": args.folder.to_string(),
               "settle": args.settle, "poll": watcher.is_none()}),
    );
    let how = SyncHow {
        folder: &args.folder,
        dir: &args.dir,
        dry_run: false,
        send: &args.send,
        talk: false,
    };
    let hooks = args.send.exec.hooks();
    let mut watch = Watch::new(Duration::from_secs(args.settle));
    let stop = crate::stop::until_stopped();
    // Rounds that failed as a whole, and when the next may run.
    let mut outage: Option<(u32, Instant)> = None;
    tokio::pin!(stop);
    loop {
        let scan = match read_tree_quietly(cx, &args.dir).await {
            Ok(scan) => scan,
            Err(e) => {
                log.line("failed", e.message(), json!({"reason": e.message()}));
                Scan::default()
            }
        };
        for p in &scan.problems {
            if watch.said.insert((p.path.clone(), p.reason.clone())) {
                let file = shown(&p.path, &args.dir);
                log.line(
                    "left out",
                    &format!("{file}: {}", p.reason),
                    json!({"file": file, "reason": p.reason}),
                );
            }
        }
        let ready = watch.ready(scan);
        if ready.root.has_files() && outage.is_none_or(|(_, until)| Instant::now() >= until) {
            let sent = sync_tree(cx, &how, ready, &hooks);
            tokio::select! {
                summary = sent => match summary {
                    Ok(summary) => {
                        outage = None;
                        watch.record(&log, &summary);
                    }
                    // The account cannot be reached (the network, the service): tried again
                    // after a minute, then after longer each time, and said each time.
                    Err(e) => {
                        let failures = outage.map_or(1, |(n, _)| n + 1);
                        let wait = retry_after(failures);
                        outage = Some((failures, Instant::now() + wait));
                        let text = format!(
                            "{} (trying again in {})",
                            e.message(),
                            crate::format::seconds(wait)
                        );
                        log.line("failed", &text, json!({"reason": e.message()}));
                    }
                },
                _ = &mut stop => break,
            }
        }
        for (file, why) in hooks.reap().await {
            log.hook_failed(&file, &why);
        }
        let wait = if watch.settling {
            TICK
        } else if watcher.is_none() {
            POLL
        } else {
            SAFETY
        };
        tokio::select! {
            _ = changes.recv() => {
                // Many notices come at once: the next read sees them all.
                tokio::time::sleep(Duration::from_millis(200)).await;
                while changes.try_recv().is_ok() {}
            }
            _ = tokio::time::sleep(wait) => {}
            _ = &mut stop => break,
        }
    }
    log.line("stopping", "stopping", json!({}));
    for (file, why) in hooks.finish().await {
        log.hook_failed(&file, &why);
    }
    log.line("stopped", "stopped", json!({}));
    Ok(())
}

/// What watch knows of the files it saw.
struct Watch {
    settle: Duration,
    /// Each file as last seen (size, modification time), since when it has been so.
    seen: HashMap<PathBuf, (u64, Option<u64>, Instant)>,
    /// Files sent or found there, as they were then: not looked at again unless they change.
    done: HashSet<(PathBuf, u64, Option<u64>)>,
    /// Files whose upload failed: not tried again before then, and how many times they failed.
    retry: HashMap<PathBuf, (Instant, u32)>,
    /// The files of the last round, by their path within the directory (what a failure names).
    sending: HashMap<String, PathBuf>,
    /// Problems said already.
    said: HashSet<(String, String)>,
    /// A file is waiting to settle: look again soon.
    settling: bool,
}

impl Watch {
    fn new(settle: Duration) -> Watch {
        Watch {
            settle,
            seen: HashMap::new(),
            done: HashSet::new(),
            retry: HashMap::new(),
            said: HashSet::new(),
            sending: HashMap::new(),
            settling: false,
        }
    }

    /// The files of the tree that are ready to send and not sent yet; the rest are remembered
    /// as seen now.
    fn ready(&mut self, scan: Scan) -> Scan {
        let now = Instant::now();
        let unix_now = crate::api::unix_now();
        let mut seen = HashMap::new();
        self.settling = false;
        self.sending.clear();
        let root = self.keep(&scan.root, now, unix_now, &mut seen);
        self.seen = seen;
        Scan {
            root,
            problems: Vec::new(),
            hidden: scan.hidden,
        }
    }

    fn keep(
        &mut self,
        dir: &LocalDir,
        now: Instant,
        unix_now: u64,
        seen: &mut HashMap<PathBuf, (u64, Option<u64>, Instant)>,
    ) -> LocalDir {
        let names: HashSet<&str> = dir.files.iter().map(|f| f.name.as_str()).collect();
        let mut files = Vec::new();
        for file in &dir.files {
            if is_temporary(&file.name) || names.contains(format!("{}.aria2", file.name).as_str()) {
                continue;
            }
            let key = (file.path.clone(), file.size, file.mtime);
            if self.done.contains(&key) {
                continue;
            }
            if self.retry.get(&file.path).is_some_and(|(at, _)| *at > now) {
                continue;
            }
            let since = match self.seen.get(&file.path) {
                Some((size, mtime, since)) if *size == file.size && *mtime == file.mtime => *since,
                _ => {
                    seen.insert(file.path.clone(), (file.size, file.mtime, now));
                    self.settling = true;
                    continue;
                }
            };
            seen.insert(file.path.clone(), (file.size, file.mtime, since));
            if settled(file, since, now, unix_now, self.settle) {
                self.sending.insert(file.rel.clone(), file.path.clone());
                files.push(file.clone());
            } else {
                self.settling = true;
            }
        }
        let dirs = dir
            .dirs
            .iter()
            .map(|sub| self.keep(sub, now, unix_now, seen))
            .collect();
        LocalDir {
            path: dir.path.clone(),
            rel: dir.rel.clone(),
            name: dir.name.clone(),
            files,
            dirs,
        }
    }

    /// Logs what became of each file sent, and remembers it.
    fn record(&mut self, log: &Log, summary: &super::sync_report::Summary) {
        for made in &summary.created {
            log.line(
                "created",
                &format!("folder {}", made.path),
                json!({"folder": made.path, "fld_id": made.fld_id}),
            );
        }
        for sent in &summary.uploaded {
            let url = sent.url.as_deref().unwrap_or_default();
            log.line(
                "uploaded",
                &format!("{}  {url}  ({})", sent.file, sent.folder),
                json!({"file": sent.file, "code": sent.file_code, "url": url,
                       "folder": sent.folder, "size": sent.size}),
            );
            self.remember(&sent.path);
        }
        // Many at once (a start over a full directory): one line in the text log.
        let each = log.json || summary.skipped.len() <= 10;
        if !each {
            log.line(
                "skipped",
                &format!(
                    "{} already on the account (not sent)",
                    crate::format::plural(summary.skipped.len(), "file")
                ),
                json!({}),
            );
        }
        for skipped in &summary.skipped {
            if each {
                let url = skipped.url.as_deref().unwrap_or_default();
                let why = skipped
                    .reason
                    .as_deref()
                    .unwrap_or("already on the account");
                log.line(
                    "skipped",
                    &format!("{}  {url}  ({why})", skipped.file),
                    json!({"file": skipped.file, "code": skipped.file_code, "url": url,
                           "folder": skipped.folder, "reason": why}),
                );
            }
            self.remember(&skipped.path);
        }
        for failed in &summary.failed {
            log.line(
                "failed",
                &format!("{}: {}", failed.file, failed.reason),
                json!({"file": failed.file, "reason": failed.reason}),
            );
            if let Some(path) = self.sending.get(&failed.file).cloned() {
                let failures = self.retry.get(&path).map_or(1, |(_, n)| n + 1);
                let at = Instant::now() + retry_after(failures);
                self.retry.insert(path, (at, failures));
            }
        }
    }

    /// A file sent or found there is not looked at again while it stays as it was.
    fn remember(&mut self, path: &str) {
        let path = PathBuf::from(path);
        if let Some((size, mtime, _)) = self.seen.get(&path) {
            self.done.insert((path.clone(), *size, *mtime));
            self.retry.remove(&path);
        }
    }
}

/// Unchanged for the settle time: seen the same since then, or last modified that long ago.
fn settled(
    file: &LocalFile,
    since: Instant,
    now: Instant,
    unix_now: u64,
    settle: Duration,
) -> bool {
    now.duration_since(since) >= settle
        || file
            .mtime
            .is_some_and(|m| unix_now.saturating_sub(m) >= settle.as_secs())
}

/// A name a download client or an editor gives a file it is still writing.
pub fn is_temporary(name: &str) -> bool {
    const ENDINGS: &[&str] = &[
        ".part",
        ".partial",
        ".crdownload",
        ".download",
        ".tmp",
        ".temp",
        ".!qb",
        ".aria2",
        ".opdownload",
    ];
    let lower = name.to_ascii_lowercase();
    name.ends_with('~') || name.starts_with('.') || ENDINGS.iter().any(|e| lower.ends_with(e))
}

/// Notices of changes under `dir`, each sent on `tx` (what changed is read again).
fn notices(
    dir: &Path,
    tx: tokio::sync::mpsc::UnboundedSender<()>,
) -> notify::Result<notify::RecommendedWatcher> {
    use notify::Watcher;
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok() {
            let _ = tx.send(());
        }
    })?;
    watcher.watch(dir, notify::RecursiveMode::Recursive)?;
    Ok(watcher)
}

/// The log on stdout: `2026-12-07T22:31:05Z  uploaded  Season 1/ep 03.mp4  LINK  (/Show)`, or
/// one JSON object a line.
struct Log {
    json: bool,
}

impl Log {
    fn line(&self, event: &str, text: &str, fields: Value) {
        let time = now_text();
        if self.json {
            let mut object = json!({"time": time, "event": event});
            if let (Some(all), Value::Object(more)) = (object.as_object_mut(), fields) {
                all.extend(more);
            }
            println!("{object}");
        } else if text == event {
            println!("{time}  {event}");
        } else {
            println!("{time}  {event:<9} {text}");
        }
    }

    fn hook_failed(&self, file: &str, why: &str) {
        self.line(
            "hook failed",
            &format!("{file}: the --exec command failed: {why} (the upload is done)"),
            json!({"file": file, "reason": why}),
        );
    }
}

/// Now, in UTC: `2026-12-07T22:31:05Z`.
fn now_text() -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::now_utc()
        .format(&format)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_still_being_written_are_left_alone() {
        for name in [
            "ep 3.mp4.part",
            "ep 3.MP4.crdownload",
            "ep 3.mp4.tmp",
            "ep 3.mp4~",
            ".ep 3.mp4.swp",
            "ep 3.mp4.!qB",
            "ep 3.mp4.aria2",
        ] {
            assert!(is_temporary(name), "{name}");
        }
        for name in ["ep 3.mp4", "part 2.mkv", "Tmp Show - 01.webm"] {
            assert!(!is_temporary(name), "{name}");
        }
    }
}
