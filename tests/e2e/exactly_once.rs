//! End to end: the file manager and the command line on one upload queue, and the file
//! manager stopped while its uploads run. Whatever the order, every file lands once, in its
//! folder: an entry another mp4u finished is done, never sent again from a stale copy.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::e2e::{Run, Setup, pick_all, transfer_row};
use crate::common::pty::ENTER;
use crate::common::{queue_entries, random_file, wait_until};
use mp4u::sandbox::SandboxConfig;
use serde_json::{Value, json};

/// Not the demo key (see `uploads.rs`).
const KEY: &str = "r4x8q2m6w1z9p3t7k5v0";
const SIZE: usize = 150_000;
/// A token no running process holds: the owner of entries a dead process left.
const DEAD_OWNER: &str = "4242-00000000deadbeef";

fn names() -> Vec<String> {
    (1..=3).map(|i| format!("Show - S01E{i:02}.mp4")).collect()
}

/// A queue file as a process that died left it: every file queued for `folder`, not started.
fn left_queued(run: &Run, state: &Path, paths: &[PathBuf], folder: u64) {
    let key = mp4u::api::ApiKey::parse(KEY).expect("key");
    let client = mp4u::api::Client::new(&run.sandbox.base_url(), key).expect("client");
    let account = mp4u::queue::Account::of(&client);
    let now = mp4u::api::unix_now();
    let items: Vec<Value> = paths
        .iter()
        .enumerate()
        .map(|(i, path)| {
            json!({
                "id": i + 1, "path": path, "size": SIZE, "folder": folder,
                "name": path.file_name().unwrap().to_str().unwrap(),
                "folder_path": "/Show", "account": account.id, "server": account.server,
                "added_at": now - 60, "changed_at": now - 60, "owner": DEAD_OWNER,
                "state": "queued",
            })
        })
        .collect();
    let dir = state.join("queue");
    std::fs::create_dir_all(&dir).expect("queue dir");
    let text = json!({"version": 1, "next_id": 10, "entries": items});
    std::fs::write(dir.join("queue.json"), serde_json::to_vec(&text).unwrap()).expect("write");
}

/// `mp4u upload --resume` in another shell, on the same state directory.
fn cli_resume(run: &Run, state: &Path) -> Child {
    // No config file of its own: the default place, in the test's state directory.
    Command::new(env!("CARGO_BIN_EXE_mp4u"))
        .env("XDG_CONFIG_HOME", state.join("cli-config"))
        .args(["upload", "--resume", "--parallel", "1"])
        .env("MP4U_STATE_DIR", state)
        .env("MP4UPLOAD_API_URL", run.sandbox.base_url())
        .env("MP4UPLOAD_API_KEY", KEY)
        .env("MP4U_UPLOAD_SETTLE", "2")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mp4u upload --resume")
}

/// A sandbox with /Show (holding the first episode already when `first_there`) and the
/// program on `state`, and three local files.
fn start(
    state: &Path,
    bytes_per_sec: Option<u64>,
    first_there: bool,
) -> (Run, Vec<PathBuf>, u64, tempfile::TempDir) {
    let videos = tempfile::tempdir().expect("videos");
    let paths: Vec<PathBuf> = names()
        .iter()
        .enumerate()
        .map(|(i, n)| random_file(videos.path(), n, SIZE, 70 + i as u64).0)
        .collect();
    let state_env = state.display().to_string();
    let env = [("MP4U_STATE_DIR", state_env.as_str())];
    let mut show = 0;
    let run = Run::start(
        Setup {
            config: SandboxConfig {
                upload: mp4u::sandbox::UploadFaults {
                    bytes_per_sec,
                    ..mp4u::sandbox::UploadFaults::default()
                },
                key: KEY.into(),
                demo_data: false,
                ..SandboxConfig::default()
            },
            env: &env,
            ..Setup::default()
        },
        |s| {
            show = s.create_folder(0, "Show").expect("a folder");
            if first_there {
                let name = names()[0].clone();
                s.add_files([mp4u::sandbox::FileRecord::new(name, SIZE as u64, show)]);
            }
        },
        |_| Vec::new(),
    );
    (run, paths, show, videos)
}

#[track_caller]
/// A moment for a stray second send to show, then: three sends in all (`why`), each file
/// once, in the show's folder.
fn assert_sent_once(run: &Run, show: u64, why: &str) {
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(run.sandbox.calls_of("upload"), 3, "{why}");
    assert_each_once(run, show);
}

fn assert_each_once(run: &Run, show: u64) {
    for name in names() {
        let found = run.state().find_by_name(&name);
        assert_eq!(found.len(), 1, "{name} exactly once: {found:?}");
        assert_eq!(found[0].fld_id, show, "{name} in /Show");
    }
}

/// The file manager restarted on the same state directory.
fn restart(run: &mut Run, state: &Path) {
    let state_env = state.display().to_string();
    run.restart(KEY, &[("MP4U_STATE_DIR", state_env.as_str())]);
}

/// Waits until every file is in /Show and the queue says done, gives anything still on its way
/// a moment to land, and checks each file is there once.
fn assert_landed_once(run: &Run, state: &Path, show: u64) {
    wait_until("every file there", Duration::from_secs(60), || {
        names()
            .iter()
            .all(|n| run.state().find_by_name(n).iter().any(|f| f.fld_id == show))
    });
    wait_until("the queue file says done", Duration::from_secs(30), || {
        queue_entries(state)
            .iter()
            .all(|(_, state, _)| state == "done")
    });
    std::thread::sleep(Duration::from_secs(2));
    assert_each_once(run, show);
}

/// The program once (for the sandbox), then the queue file of a process that died with the
/// three files queued, then the program again: it finds them left unfinished. The run, the
/// show's folder and the state directory (the videos' directory stays beside it).
fn left_unfinished(bytes_per_sec: Option<u64>) -> (Run, u64, tempfile::TempDir, tempfile::TempDir) {
    let state = tempfile::tempdir().expect("state");
    let (mut run, paths, show, videos) = start(state.path(), bytes_per_sec, false);
    run.quit();
    left_queued(&run, state.path(), &paths, show);
    restart(&mut run, state.path());
    run.tui.wait_text("3 uploads left unfinished");
    (run, show, state, videos)
}

/// The end: each file sent once (`why`), then out of the transfers view and quit.
#[track_caller]
fn end_sent_once(mut run: Run, show: u64, why: &str) {
    assert_sent_once(&run, show, why);
    run.tui.esc();
    run.quit();
}

#[test]
fn paused_in_the_file_manager_finished_by_the_cli_then_resume_all_sends_nothing() {
    let (mut run, show, state, _videos) = left_unfinished(None);
    run.tui.esc();
    run.tui.wait_text("3 uploads paused");

    // Another shell finishes all three.
    let out = cli_resume(&run, state.path())
        .wait_with_output()
        .expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(run.sandbox.calls_of("upload"), 3);

    // A in the transfers view: the file's word wins, nothing is sent again.
    run.tui.press("t", "Transfers · 3 paused");
    run.tui
        .press("A", "3 uploads finished by another mp4u meanwhile");
    let screen = run.tui.wait_text("Transfers · 3 done");
    for name in names() {
        let (head, _) = transfer_row(&screen, &name).expect("a row");
        assert!(head.ends_with("done"), "{head}");
    }
    assert_eq!(queue_entries(state.path()).len(), 3, "no new entry");
    end_sent_once(run, show, "nothing sent again");
}

#[test]
fn enter_at_left_unfinished_while_the_cli_resumes_them_sends_nothing_twice() {
    // Slow: about 1.5 s a file, so the command line is still at it when Enter comes.
    let (mut run, show, state, _videos) = left_unfinished(Some(100_000));

    // The question is open; another shell takes them up meanwhile.
    let cli = cli_resume(&run, state.path());
    wait_until("the CLI owns them", Duration::from_secs(20), || {
        let now = queue_entries(state.path());
        now.len() == 3 && now.iter().all(|(_, _, owner)| owner != DEAD_OWNER)
    });
    run.tui.send(ENTER);
    // Left to the other mp4u (or done by it already), never sent from here.
    run.tui.wait_for("the rows left to the CLI", |s| {
        names().iter().all(|n| {
            transfer_row(s, n)
                .is_some_and(|(head, _)| head.ends_with("elsewhere") || head.ends_with("done"))
        })
    });
    let out = cli.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Asked again once the other mp4u is gone: done, nothing sent.
    run.tui.press("A", "Transfers · 3 done");
    end_sent_once(run, show, "each file sent once");
}

/// The three files picked in the file manager for /Show (`first_there`: the first is there
/// already, so /Show lists `files`). The run, the show's folder, the state directory and the
/// videos' directory.
fn all_picked(
    bytes_per_sec: Option<u64>,
    first_there: bool,
    files: &str,
) -> (Run, u64, tempfile::TempDir, tempfile::TempDir) {
    let state = tempfile::tempdir().expect("state");
    let (mut run, paths, show, videos) = start(state.path(), bytes_per_sec, first_there);
    run.tui.wait_text("▸ Show");
    run.tui.press("j", &format!("Files · /Show · {files}"));
    run.tui.press("u", "Upload into /Show");
    let dir = paths[0].parent().unwrap();
    pick_all(&mut run.tui, dir, &names(), SIZE as u64);
    (run, show, state, videos)
}

#[test]
fn quit_and_stop_them_then_enter_at_the_next_start_lands_every_file_once() {
    let (mut run, show, state, _videos) = all_picked(Some(100_000), false, "0 files");
    // Stopped while the second file goes: its last byte may be out, its end not stored yet.
    wait_until("the first one done", Duration::from_secs(30), || {
        queue_entries(state.path())
            .iter()
            .any(|(_, state, _)| state == "done")
    });
    run.tui.esc();
    run.tui.press("q", "Quit and stop");
    run.tui.send("y");
    run.wait_exit_ok();

    restart(&mut run, state.path());
    run.tui.wait_text("left unfinished");
    run.tui.send(ENTER);
    assert_landed_once(&run, state.path(), show);
    run.tui.esc();
    run.quit();
}

#[test]
fn killed_at_the_duplicate_question_the_next_start_sends_each_file_once() {
    let (mut run, show, state, _videos) = all_picked(None, true, "1 file");
    run.tui.wait_text("Already on the account");
    // Killed while the question waits (the others may be on their way).
    run.tui.signal("KILL");
    run.tui.wait_exit();

    restart(&mut run, state.path());
    run.tui.wait_text("left unfinished");
    run.tui.send(ENTER);
    // The first one is found in the folder again: the question again, and Enter skips it.
    run.tui.wait_text("Already on the account");
    run.tui.send(ENTER);
    assert_landed_once(&run, state.path(), show);
    run.tui.esc();
    run.quit();
}
