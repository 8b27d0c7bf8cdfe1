//! Sending queued entries a few at a time, with a progress bar each (on a terminal): what
//! `upload`, `upload --resume` and `sync` share. Each entry goes through
//! [`crate::queue::run::process`], so every state lands in the queue file as it changes.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Context;
use crate::api::Client;
use crate::hook::Hooks;
use crate::queue::run::{self, Fate};
use crate::queue::{Entry, KnownFiles, Queue};

/// How a command that uploads sends its files: `--parallel`, `--allow-duplicates`,
/// `--bwlimit` and `--exec`; `#[command(flatten)]` it into its arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct SendArgs {
    /// How many files to send at once [default: parallel_uploads in the config, else 2]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=8))]
    pub parallel: Option<u64>,
    /// Send a file even when its folder holds one of the same name and size
    #[arg(long)]
    pub allow_duplicates: bool,
    #[command(flatten)]
    pub limit: super::BwLimitArg,
    #[command(flatten)]
    pub exec: ExecArgs,
}

impl SendArgs {
    /// Files sent at once: `--parallel`, else the config's.
    pub fn parallel(&self, cx: &Context) -> usize {
        self.parallel
            .map_or(cx.settings.parallel_uploads(), |n| n as usize)
    }
}

/// `--exec CMD` and `--exec-timeout SECS`; `#[command(flatten)]` it into the arguments of a
/// command that uploads.
#[derive(Debug, Clone, clap::Args)]
pub struct ExecArgs {
    /// After each finished upload, run CMD through the shell, with MP4U_CODE, MP4U_NAME,
    /// MP4U_LINK, MP4U_EMBED, MP4U_FOLDER, MP4U_FOLDER_ID, MP4U_PATH and MP4U_SIZE in its
    /// environment and the same as one JSON object on its standard input (once an upload)
    #[arg(long, value_name = "CMD")]
    pub exec: Option<String>,
    /// Stop a command of --exec that runs longer than this
    #[arg(long, value_name = "SECS", default_value_t = crate::hook::DEFAULT_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub exec_timeout: u64,
}

impl ExecArgs {
    /// The hooks of this run, stopped after `--exec-timeout`.
    pub fn hooks(&self) -> Hooks {
        Hooks::new(Duration::from_secs(self.exec_timeout))
    }
}

/// Starts the hooks an earlier run owes: it stopped between an upload and its hook.
pub fn start_owed_hooks(cx: &Context, queue: &Arc<Queue>, hooks: &Hooks) {
    if let Ok(owed) = queue.owed_hooks(&cx.account()) {
        for entry in owed {
            if let crate::queue::State::Done { file_code, .. } = &entry.state {
                hooks.start(queue, &entry, file_code, cx.client.base_url());
            }
        }
    }
}

/// Waits for the hooks of a run and says each that failed (the upload is done all the same).
pub async fn finish_hooks(hooks: &Hooks) {
    for (name, why) in hooks.finish().await {
        eprintln!("mp4u: {name}: the --exec command failed: {why} (the upload is done)");
    }
}

/// One entry to send, and how it is named on screen.
pub struct Job {
    pub entry: Entry,
    /// The bar's label: the file name, or its path within a synced tree.
    pub label: String,
}

/// What the entries need for their duplicate check: the files of each target folder, listed
/// to the end (`file/list` paged), for every folder an entry goes to unless duplicates are
/// allowed for all of its entries.
pub async fn folder_files_for(
    client: &Client,
    entries: &[&Entry],
    known: HashMap<u64, KnownFiles>,
) -> HashMap<u64, KnownFiles> {
    let mut files = known;
    for entry in entries {
        if entry.allow_duplicate || files.contains_key(&entry.folder) {
            continue;
        }
        let listed = crate::queue::folder_files(client, entry.folder).await;
        files.insert(entry.folder, listed);
    }
    files
}

/// Sends the jobs, `parallel` at a time; the outcomes in the jobs' order.
pub async fn send_all(
    cx: &Context,
    queue: &Arc<Queue>,
    jobs: Vec<Job>,
    files: &HashMap<u64, KnownFiles>,
    parallel: usize,
    refusals: &Refusals,
    hooks: &Hooks,
) -> Vec<(Job, Fate)> {
    let client = &cx.client;
    let max_bytes = Some(cx.settings.max_upload_bytes());
    let patience = &cx.settings.patience();
    let bars = MultiProgress::with_draw_target(if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    });
    let style = ProgressStyle::with_template(
        // Decimal units, as every size and rate in mp4u reads (`--bwlimit 1M` shows 1.00 MB/s).
        "{prefix:30!} {bar:28.cyan/blue} {decimal_bytes:>10}/{decimal_total_bytes:<10} {decimal_bytes_per_sec:>12} {eta:>4} {msg}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("█▉▊▋▌▍▎▏ ");
    let warned_http = AtomicBool::new(false);
    let warned_http = &warned_http;
    let bars = &bars;
    let unlisted = KnownFiles::Unlisted("the folder was not listed".into());
    let unlisted = &unlisted;
    let mut results: Vec<(usize, Job, Fate)> = futures_util::stream::iter(jobs.into_iter().enumerate())
        .map(|(i, job)| {
            let bar = bars.add(ProgressBar::new(job.entry.size));
            bar.set_style(style.clone());
            bar.set_prefix(job.label.clone());
            bar.enable_steady_tick(Duration::from_millis(200));
            async move {
                let progress = {
                    let bar = bar.clone();
                    move |sent: u64| bar.set_position(sent)
                };
                let on_server = |url: &url::Url| {
                    if crate::api::sends_in_the_clear(url) && !warned_http.swap(true, Ordering::Relaxed) {
                        say(bars, format!(
                            "mp4u: note: the upload server {} is plain http://; the files travel unencrypted",
                            url.host_str().unwrap_or("?")
                        ));
                    }
                };
                // The account refuses every upload: the rest are not sent (and said once).
                if let Some(reason) = refusals.stopped() {
                    bar.abandon_with_message("not sent");
                    return (i, job, Fate::Failed(reason));
                }
                let folder_files = files.get(&job.entry.folder).unwrap_or(unlisted);
                let on_wait = |secs: u64| {
                    bar.set_message("waiting for the server");
                    say(bars, format!(
                        "mp4u: {}: its last bytes went out and no answer came; waiting up to \
                         {secs} s for the server to store it before sending it again",
                        job.entry.name
                    ));
                };
                let outcome = run::process(
                    client,
                    queue,
                    &job.entry,
                    folder_files,
                    max_bytes,
                    patience,
                    progress,
                    on_server,
                    on_wait,
                )
                .await;
                refusals.saw(&outcome);
                if let Fate::Uploaded(file) = &outcome
                    && matches!(file.placement, crate::api::Placement::InFolder { .. })
                {
                    hooks.start(queue, &job.entry, &file.file_code, client.base_url());
                }
                match &outcome {
                    Fate::Uploaded(_) => bar.finish_with_message("done"),
                    Fate::AlreadyThere { .. } => bar.finish_with_message("already there"),
                    Fate::Failed(_) => bar.abandon_with_message("failed"),
                    Fate::Unknown(_) => bar.abandon_with_message("unknown"),
                }
                (i, job, outcome)
            }
        })
        .buffer_unordered(parallel.max(1))
        .collect()
        .await;
    results.sort_by_key(|(i, _, _)| *i);
    results.into_iter().map(|(_, job, o)| (job, o)).collect()
}

/// Says why files failed, on stderr: one reason for many files (an account that may not
/// upload) once, with the files it stopped; each file's own reason on its own line.
pub fn say_failures<'a>(failures: impl Iterator<Item = (&'a str, &'a str)>) {
    let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
    for (file, reason) in failures {
        match reasons.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, files)) => files.push(file),
            None => reasons.push((reason, vec![file])),
        }
    }
    for (reason, files) in &reasons {
        match files.as_slice() {
            [first, second, rest @ ..] if rest.len() > 1 => eprintln!(
                "mp4u: {} ({}, {} and {} more): {reason}",
                crate::format::plural(files.len(), "file"),
                file_name(first),
                file_name(second),
                rest.len()
            ),
            few => {
                for file in few {
                    eprintln!("mp4u: {file}: {reason}");
                }
            }
        }
    }
}

/// The last part of a path as given (`a/b/ep1.mp4` → `ep1.mp4`).
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The server's refusals of uploads, as they come. The same refusal for two files in a row is
/// the account's, not a file's (uploads not enabled, a quota): the files not sent yet are not
/// sent, rather than each sent whole to be refused at its end.
#[derive(Default)]
pub struct Refusals {
    /// The last refusal and how many uploads in a row got it.
    streak: std::sync::Mutex<(Option<String>, usize)>,
}

impl Refusals {
    pub fn saw(&self, fate: &Fate) {
        // A refusal reads as `ApiError::UploadRefused` says it (its words, before the reason).
        let refused = crate::api::ApiError::UploadRefused {
            reason: String::new(),
        }
        .to_string();
        let mut streak = self.streak.lock().unwrap_or_else(|e| e.into_inner());
        match fate {
            Fate::Failed(why) if why.starts_with(refused.trim_end()) => {
                if streak.0.as_deref() == Some(why.as_str()) {
                    streak.1 += 1;
                } else {
                    *streak = (Some(why.clone()), 1);
                }
            }
            Fate::Uploaded(_) => *streak = (None, 0),
            _ => {}
        }
    }

    /// The account's refusal, once two uploads in a row got it.
    pub fn stopped(&self) -> Option<String> {
        let streak = self.streak.lock().unwrap_or_else(|e| e.into_inner());
        (streak.1 >= 2).then(|| streak.0.clone()).flatten()
    }
}

/// A line on stderr above the bars (or alone, when there are none: not a terminal).
fn say(bars: &MultiProgress, line: String) {
    if bars.is_hidden() {
        eprintln!("{line}");
    } else {
        let _ = bars.println(line);
    }
}

/// Prints the queue's notices (a damaged file set aside, a queue kept in memory) on stderr.
pub fn say_notices(queue: &Queue) {
    for notice in queue.take_notices() {
        eprintln!("mp4u: warning: {notice}");
    }
}
