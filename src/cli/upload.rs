//! `mp4u upload`: checks every file first, uploads a few at a time with a progress bar each
//! (on a terminal), and prints the new links at the end.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use futures_util::StreamExt;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use super::{Failure, FolderArg};
use crate::api::{Client, Placement, UploadedFile, check_local_file, video_warning};
use crate::config::Settings;
use crate::format::plural;

#[derive(Debug, Args)]
pub struct UploadArgs {
    /// Files to upload
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Put the files into this folder: an id, or a path like "/Anime/Season 1"
    #[arg(long, value_name = "FOLDER")]
    folder: Option<FolderArg>,
    /// How many files to send at once [default: parallel_uploads in the config, else 2]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=8))]
    parallel: Option<u64>,
    #[command(flatten)]
    pub(super) limit: super::BwLimitArg,
}

#[derive(Serialize)]
struct Outcome {
    file: String,
    #[serde(flatten)]
    uploaded: Option<UploadedFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// The error was already printed when the file was checked.
    #[serde(skip)]
    reported: bool,
}

pub async fn run(
    client: &Client,
    settings: &Settings,
    args: &UploadArgs,
    json: bool,
) -> Result<(), Failure> {
    // The folder first: a path that leads nowhere sends nothing.
    let target = match &args.folder {
        Some(folder) => Some(folder.resolve(client).await?),
        None => None,
    };
    let folder = target.as_ref().map(|t| t.id);
    let max = settings.max_upload_bytes();
    let mut outcomes: Vec<Option<Outcome>> = Vec::new();
    let mut ready = Vec::new();
    for (i, path) in args.files.iter().enumerate() {
        match check_local_file(path, Some(max)) {
            Ok(size) => {
                if let Some(warning) = video_warning(path) {
                    eprintln!("mp4u: warning: {warning}");
                }
                ready.push((i, path.clone(), size));
                outcomes.push(None);
            }
            Err(e) => {
                eprintln!("mp4u: {e}");
                outcomes.push(Some(Outcome {
                    file: path.display().to_string(),
                    uploaded: None,
                    error: Some(e.to_string()),
                    reported: true,
                }));
            }
        }
    }

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
    let parallel = args
        .parallel
        .map_or(settings.parallel_uploads(), |n| n as usize);

    let warned_http = std::sync::atomic::AtomicBool::new(false);
    let warned_http = &warned_http;
    let bars = &bars;
    let results: Vec<(usize, Outcome)> = futures_util::stream::iter(ready)
        .map(|(i, path, size)| {
            let bar = bars.add(ProgressBar::new(size));
            bar.set_style(style.clone());
            bar.set_prefix(
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            async move {
                let progress = {
                    let bar = bar.clone();
                    move |sent: u64| bar.set_position(sent)
                };
                let result = client
                    .upload_observed(&path, folder, progress, |url| {
                        if url.scheme() == "http" && !warned_http.swap(true, std::sync::atomic::Ordering::Relaxed) {
                            let _ = bars.println(format!(
                                "mp4u: note: the upload server {} is plain http://; the files travel unencrypted",
                                url.host_str().unwrap_or("?")
                            ));
                        }
                    })
                    .await;
                match &result {
                    Ok(_) => bar.finish_with_message("done"),
                    Err(_) => bar.abandon_with_message("failed"),
                }
                let file = path.display().to_string();
                let outcome = match result {
                    Ok(uploaded) => Outcome {
                        file,
                        uploaded: Some(uploaded),
                        error: None,
                        reported: false,
                    },
                    Err(e) => Outcome {
                        file,
                        uploaded: None,
                        error: Some(e.to_string()),
                        reported: false,
                    },
                };
                (i, outcome)
            }
        })
        .buffer_unordered(parallel)
        .collect()
        .await;
    for (i, outcome) in results {
        outcomes[i] = Some(outcome);
    }
    let outcomes: Vec<Outcome> = outcomes.into_iter().flatten().collect();

    let failed = outcomes.iter().filter(|o| o.error.is_some()).count();
    // Uploaded, but left in the root: the move into the folder failed.
    let misplaced: Vec<&UploadedFile> = outcomes
        .iter()
        .filter_map(|o| o.uploaded.as_ref())
        .filter(|u| matches!(u.placement, Placement::LeftInRoot { .. }))
        .collect();
    if json {
        let text = serde_json::to_string_pretty(&outcomes).unwrap_or_else(|_| "[]".into());
        println!("{text}");
    } else {
        for o in &outcomes {
            match (&o.uploaded, &o.error) {
                (Some(u), _) => println!("{}  {}", u.url, u.name),
                (None, Some(e)) if !o.reported => eprintln!("mp4u: {}: {e}", o.file),
                _ => {}
            }
        }
    }
    for u in &misplaced {
        if let Placement::LeftInRoot { wanted, reason } = &u.placement {
            eprintln!(
                "mp4u: {} ({}) is in / (the root): moving it to folder {wanted} failed: {reason}; \
                 `mp4u mv {} --folder {wanted}` moves it",
                u.file_code, u.name, u.file_code
            );
        }
    }
    match (failed, misplaced.len()) {
        (0, 0) => Ok(()),
        (0, n) => Err(Failure::Api(format!(
            "{} left in / instead of {}",
            plural(n, "upload"),
            target
                .as_ref()
                .map_or_else(|| "folder 0".into(), |t| t.to_string())
        ))),
        (failed, _) => Err(Failure::Api(format!(
            "{} of {} failed",
            plural(failed, "upload"),
            outcomes.len()
        ))),
    }
}
