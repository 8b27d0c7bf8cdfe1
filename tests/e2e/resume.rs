//! End to end: the upload queue outlives the program. The real binary queues files through the
//! picker on a slowed sandbox, is killed with SIGKILL halfway, starts again on the same state
//! directory, offers what was left unfinished at once, and Enter finishes it: every file on
//! the account exactly once. Queued again, the same files are found already there and skipped.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::e2e::{Run, Setup, transfer_row};
use crate::common::pty::{ENTER, ESC, Tui};
use crate::common::{queue_entries, random_file, slow_uploads, wait_until};
use mp4u::sandbox::SandboxConfig;

/// Not the demo key (see `uploads.rs`).
const KEY: &str = "r4x8q2m6w1z9p3t7k5v0";
const FILES: usize = 4;
const SIZE: usize = 150_000;

/// The queue file's entries, in order: (name, state).
fn entries(state_dir: &Path) -> Vec<(String, String)> {
    queue_entries(state_dir)
        .into_iter()
        .map(|(name, state, _)| (name, state))
        .collect()
}

fn states(state_dir: &Path) -> Vec<String> {
    entries(state_dir).into_iter().map(|(_, s)| s).collect()
}

/// In the picker for /Show: the directory `videos` typed, every file marked, Enter.
fn pick_all(tui: &mut Tui, videos: &Path, names: &[String]) {
    tui.press("u", "Upload into /Show");
    crate::common::e2e::pick_all(tui, videos, names, SIZE as u64);
}

#[test]
fn killed_halfway_the_queue_is_offered_again_and_every_file_arrives_once() {
    let videos = tempfile::tempdir().expect("a directory of videos");
    let state = tempfile::tempdir().expect("a state directory");
    let state_env = state.path().display().to_string();
    let names: Vec<String> = (1..=FILES)
        .map(|i| format!("Show - S01E{i:02}.mp4"))
        .collect();
    let paths: Vec<PathBuf> = names
        .iter()
        .enumerate()
        .map(|(i, n)| random_file(videos.path(), n, SIZE, 40 + i as u64).0)
        .collect();
    let env = [
        ("MP4U_STATE_DIR", state_env.as_str()),
        ("MP4U_UPLOAD_SETTLE", "5"),
    ];
    let mut show = 0;
    let mut run = Run::start(
        Setup {
            config: SandboxConfig {
                api: mp4u::sandbox::ApiFaults {
                    // And every call waits: a file that arrived is moved into its folder (a call)
                    // before the queue file says done, so the kill can find one there whose entry
                    // still says it is being sent.
                    latency_ms: 400,
                    ..mp4u::sandbox::ApiFaults::default()
                },
                key: KEY.into(),
                // About 1.5 s a file: the kill lands while some are on their way.
                ..slow_uploads(100_000)
            },
            env: &env,
            ..Setup::default()
        },
        |s| show = s.create_folder(0, "Show").expect("a folder"),
        |_| Vec::new(),
    );
    run.tui.wait_text("▸ Show");
    run.tui.press("j", "Files · /Show · 0 files");
    pick_all(&mut run.tui, videos.path(), &names);

    // Halfway: one done, and one that reached the account while its entry still says it is
    // being sent (its reply not handled yet); then SIGKILL, which nothing can catch.
    let mut arrived = String::new();
    wait_until(
        "a file there while being sent",
        Duration::from_secs(60),
        || {
            let now = entries(state.path());
            // Its last byte out (or its answer in, its move not yet made).
            let sending_there = now.iter().find(|(name, state)| {
                matches!(state.as_str(), "sent" | "not_moved")
                    && !run.state().find_by_name(name).is_empty()
            });
            match sending_there {
                Some((name, _)) if now.iter().any(|(_, s)| s == "done") => {
                    arrived = name.clone();
                    true
                }
                _ => false,
            }
        },
    );
    run.tui.signal("KILL");
    run.tui.wait_exit();
    let left = states(state.path());
    assert_eq!(
        left.len(),
        FILES,
        "every file was in the queue file: {left:?}"
    );
    let unfinished = left.iter().filter(|s| *s != "done").count();
    assert!(unfinished > 0, "killed halfway: {left:?}");

    // Again, on the same state directory: the question at once.
    run.restart(KEY, &env);
    let screen = run.tui.wait_text("left unfinished");
    assert!(
        screen.contains(&format!("{unfinished} upload")),
        "says how many: {screen}"
    );
    assert!(screen.contains("Enter resumes them, Esc keeps them paused"));
    if left.iter().any(|s| s == "sending") {
        assert!(
            screen.contains("was being sent: looked for first"),
            "{screen}"
        );
    }
    if left.iter().any(|s| s == "sent") {
        assert!(
            screen.contains("last byte went out: looked for first"),
            "{screen}"
        );
    }
    run.tui.send(ENTER);
    wait_until("every file on the account", Duration::from_secs(60), || {
        names
            .iter()
            .all(|n| !run.state().find_by_name(n).is_empty())
    });
    run.tui
        .wait_for("every upload done in the transfers view", |s| {
            names[..]
                .iter()
                .filter(|n| transfer_row(s, n).is_some())
                .all(|n| transfer_row(s, n).is_some_and(|(head, _)| head.ends_with("done")))
                && s.contains(&format!("Transfers · {unfinished} done"))
        });
    wait_until("the queue file says done", Duration::from_secs(30), || {
        states(state.path()).iter().all(|s| s == "done")
    });
    // The one that had arrived was found, not sent again.
    assert_eq!(
        run.state().find_by_name(&arrived).len(),
        1,
        "{arrived} once"
    );
    for (name, path) in names.iter().zip(&paths) {
        let found = run.state().find_by_name(name);
        assert_eq!(found.len(), 1, "{name} exactly once: {found:?}");
        assert_eq!(found[0].fld_id, show, "{name} in /Show");
        assert_eq!(found[0].size, std::fs::metadata(path).unwrap().len());
    }

    // The same files again: all of them are there already, and none is sent.
    run.tui.esc();
    run.tui
        .press("j", &format!("Files · /Show · {FILES} files"));
    pick_all(&mut run.tui, videos.path(), &names);
    let screen = run.tui.wait_text("Already on the account");
    assert!(
        screen.contains(&format!("{FILES} files already on the account")),
        "{screen}"
    );
    run.tui.press(
        ENTER,
        &format!("{FILES} files already on the account, not sent"),
    );
    for name in &names {
        assert_eq!(run.state().find_by_name(name).len(), 1, "{name} still once");
    }
    run.tui.esc_away("Transfers");
    run.quit_keeping_the_key_secret();
}

#[test]
fn a_damaged_queue_file_is_set_aside_and_said_on_screen() {
    let state = tempfile::tempdir().expect("a state directory");
    let dir = state.path().join("queue");
    std::fs::create_dir_all(&dir).expect("the queue directory");
    std::fs::write(
        dir.join("queue.json"),
        b"{\"version\": 1, \"entries\": [tru",
    )
    .expect("write");
    let state_env = state.path().display().to_string();
    let env = [("MP4U_STATE_DIR", state_env.as_str())];
    let mut run = Run::start(
        Setup {
            config: SandboxConfig {
                key: KEY.into(),
                ..SandboxConfig::default()
            },
            env: &env,
            ..Setup::default()
        },
        |_| {},
        |_| Vec::new(),
    );
    run.tui.wait_text("the upload queue");
    let aside: Vec<String> = std::fs::read_dir(&dir)
        .expect("the queue directory")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("queue.json.damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "set aside, kept for a look");
    let kept = std::fs::read(dir.join(&aside[0])).expect("the damaged file");
    assert_eq!(kept, b"{\"version\": 1, \"entries\": [tru");
    // The program goes on: the account is there, and the message log keeps the notice.
    run.tui.press("M", "Messages · 1 message");
    run.tui.wait_text("could not be read");
    run.tui.press(ESC, "Files · /");
    run.quit();
}
