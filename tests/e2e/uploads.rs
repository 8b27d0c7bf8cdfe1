//! End to end: uploads from the TUI. The real `mp4u` binary runs in a pseudo-terminal on a
//! sandbox started by the test, with the files to upload in its working directory (where the
//! upload picker starts). Each test picks files, waits for the transfers view to say how each
//! upload ended, and then checks what the sandbox holds, byte for byte (SHA-256, and the bytes
//! it stored). Faults come from the sandbox: a slow server, one that refuses uploads, one that
//! cuts the connection (switched off at run time for the retry). Every test ends by quitting
//! and checking that the API key appeared nowhere: not on the terminal, not in the log.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::e2e::{Run, Setup, transfer_row};
use crate::common::pty::{CTRL_U, ENTER, INSERT, TIMEOUT};
use crate::common::{random_file, sha256_hex};
use mp4u::format::size;
use mp4u::sandbox::{FileRecord, SandboxConfig, SandboxState, UploadFaults};

/// The key the sandbox accepts here. Not the demo key: that one ends in eight zeros, which
/// the log holds anyway (`max_bytes: 500000000`), so the leak check could not tell.
const KEY: &str = "k7q2x9m4w8z3p6t1r5v0";

/// Starts a sandbox with `config` and [`KEY`] (its bytes kept in a fresh directory), lets
/// `seed` add to its account and `prepare` put files in the program's directory, then starts
/// the program in a 120x35 terminal.
fn start(
    config: SandboxConfig,
    seed: impl FnOnce(&SandboxState),
    prepare: impl FnOnce(&Path),
) -> Run {
    Run::start(
        Setup {
            config: SandboxConfig {
                key: KEY.into(),
                ..config
            },
            keep_bytes: true,
            ..Setup::default()
        },
        seed,
        |dir| {
            prepare(dir);
            Vec::new()
        },
    )
}

/// The demo library, with `prepare` putting files in the program's directory.
fn demo(config: SandboxConfig, prepare: impl FnOnce(&Path)) -> Run {
    start(config, |_| {}, prepare)
}

impl Run {
    /// The program's working directory, where the picker starts.
    fn dir(&self) -> PathBuf {
        self.tui.dir().to_path_buf()
    }

    /// Waits for the browser with the root folder listed and the account loaded (whatever
    /// the account holds).
    fn wait_account(&self) -> String {
        self.tui
            .wait_for("the browser with the root and the account", |s| {
                s.contains("▾ / (root)") && s.contains("demo@mp4u.example") && s.contains(" used")
            })
    }

    /// `u`: the picker opens for the folder highlighted in the tree.
    fn open_picker(&mut self, folder: &str) {
        self.tui.press("u", &format!("Upload into {folder}"));
        self.tui
            .wait_for("the working directory in the path input", |s| {
                s.contains(&format!("Path {}/", self.tui.dir().display()))
            });
    }

    /// In the picker: types a name after the directory the input holds, and Enter.
    fn pick(&mut self, name: &str) {
        self.tui.send(name);
        self.tui.send(ENTER);
    }

    /// Waits until the transfers view shows `name`'s row in `state` (`done`, `failed`, ...);
    /// returns the row and the line under it (the reason, the link, the bytes).
    #[track_caller]
    fn wait_state(&self, name: &str, state: &str) -> (String, String) {
        let screen = self
            .tui
            .wait_for(&format!("{name} {state} in the transfers view"), |s| {
                transfer_row(s, name).is_some_and(|(head, _)| row_state(&head) == state)
            });
        transfer_row(&screen, name).expect("the row")
    }

    /// Waits until `name`'s row shows a percentage above zero; returns it.
    #[track_caller]
    fn wait_progress(&self, name: &str) -> u32 {
        let screen = self.tui.wait_for(&format!("{name} under way"), |s| {
            transfer_row(s, name).is_some_and(|(head, _)| percent(&head).is_some_and(|p| p > 0))
        });
        transfer_row(&screen, name)
            .and_then(|(head, _)| percent(&head))
            .expect("a percentage")
    }

    /// The one file called `name` on the server: where it is and that its bytes are
    /// `bytes`, by the hash the server took and by the bytes it stored.
    #[track_caller]
    fn assert_uploaded(&self, name: &str, bytes: &[u8], fld_id: u64) -> FileRecord {
        let found = self.state().find_by_name(name);
        assert_eq!(
            found.len(),
            1,
            "exactly one {name} on the server: {found:?}"
        );
        let file = found.into_iter().next().expect("one file");
        assert_eq!(file.size, bytes.len() as u64, "{name}: size");
        assert_eq!(file.fld_id, fld_id, "{name}: folder");
        assert_eq!(
            file.sha256.as_deref(),
            Some(sha256_hex(bytes).as_str()),
            "{name}: SHA-256"
        );
        let stored = std::fs::read(self.store().join(&file.code)).expect("stored bytes");
        assert!(stored == bytes, "{name}: the stored bytes differ");
        file
    }

    /// The upload parts the sandbox is receiving right now.
    fn parts_in_flight(&self) -> usize {
        std::fs::read_dir(self.store())
            .expect("the store")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
            .count()
    }
}

/// The state at the end of a row: `done`, `failed`, `cancelled`, `queued` or ` 42%`.
fn row_state(head: &str) -> &str {
    head.rsplit(' ').next().unwrap_or_default()
}

fn percent(head: &str) -> Option<u32> {
    row_state(head).strip_suffix('%')?.parse().ok()
}

/// Writes `text` to `dir/name`.
fn text_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a file");
    path
}

/// Polls `cond` for up to `limit`; whether it came true.
fn eventually(limit: Duration, cond: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

const MIB: usize = 1024 * 1024;

#[test]
fn upload_into_the_highlighted_folder() {
    let mut anime = 0;
    let mut bytes = Vec::new();
    let name = "Frieren - S02E01 [1080p].mp4";
    // An account with one folder holding one file: the storage line starts small enough to
    // show 8 MiB more.
    let mut run = start(
        SandboxConfig {
            demo_data: false,
            ..SandboxConfig::default()
        },
        |state| {
            anime = state.create_folder(0, "Anime").expect("a folder");
            state.add_files([FileRecord::new("Old episode.mp4", 1_000_000, anime)]);
        },
        |dir| bytes = random_file(dir, name, 8 * MIB, 1).1,
    );
    let used_before = run.state().storage_used();
    let screen = run.wait_account();
    assert!(
        screen.contains(&format!("{} used", size(used_before))),
        "{screen}"
    );

    run.tui.press("j", "Files · /Anime · 1 file");
    run.open_picker("/Anime");
    // A whole path, typed from scratch.
    run.tui
        .press_away(CTRL_U, &format!("Path {}/", run.tui.dir().display()));
    let path = run.dir().join(name);
    run.tui.send(&path.display().to_string());
    run.tui.press(ENTER, "Transfers");
    let (head, detail) = run.wait_state(name, "done");
    assert!(head.contains(&format!("{name} → /Anime")), "{head}");
    assert!(
        detail.contains(&format!("{}/", run.sandbox.base_url())),
        "the link: {detail}"
    );

    let file = run.assert_uploaded(name, &bytes, anime);
    assert!(
        detail.contains(&file.code),
        "the link to {}: {detail}",
        file.code
    );
    assert_eq!(run.state().files_in(anime).len(), 2);

    // The folder's listing and the account line show the upload.
    run.tui.esc();
    run.tui.wait_for("the upload in the folder's listing", |s| {
        !s.contains("Transfers") && s.contains("Files · /Anime · 2 files") && s.contains(name)
    });
    let used_after = used_before + bytes.len() as u64;
    assert_eq!(run.state().storage_used(), used_after);
    assert_ne!(size(used_before), size(used_after));
    run.tui.wait_text(&format!("{} used", size(used_after)));
    run.quit_keeping_the_key_secret();
}

#[test]
fn upload_two_marked_files() {
    let mut files = Vec::new();
    let mut run = demo(SandboxConfig::default(), |dir| {
        // A directory and a non-matching file around them, so the marks must pick.
        std::fs::create_dir(dir.join("extras")).expect("a directory");
        random_file(dir, "trailer.mp4", 1000, 9);
        files.push(random_file(dir, "clip 01.mp4", 3 * MIB, 2).1);
        files.push(random_file(dir, "clip 02.mp4", 2 * MIB + 17, 3).1);
    });
    run.wait_account();
    run.open_picker("/");
    // Typing narrows the listing to the two clips; Insert marks and moves down.
    run.tui.send("clip");
    run.tui.wait_for("the two clips listed", |s| {
        s.contains("clip 01.mp4") && s.contains("clip 02.mp4") && !s.contains("trailer.mp4")
    });
    run.tui.press(INSERT, "1 file marked");
    run.tui.press(INSERT, "2 files marked · Enter uploads them");
    run.tui.send(ENTER);
    run.wait_state("clip 01.mp4", "done");
    run.wait_state("clip 02.mp4", "done");
    run.tui.wait_text("Transfers · 2 done");

    run.assert_uploaded("clip 01.mp4", &files[0], 0);
    run.assert_uploaded("clip 02.mp4", &files[1], 0);
    assert!(run.state().find_by_name("trailer.mp4").is_empty());
    run.tui.esc_away("Transfers");
    run.quit_keeping_the_key_secret();
}

/// The demo with `name` (20 MB of seeded bytes) being sent into `/` at 1 MB/s, its progress
/// showing in the transfers view.
fn slow_upload_under_way(name: &str, seed: u64) -> Run {
    let mut run = demo(
        SandboxConfig::with_upload(UploadFaults::slow(1_000_000)),
        |dir| {
            random_file(dir, name, 20_000_000, seed);
        },
    );
    run.wait_account();
    run.open_picker("/");
    run.pick(name);
    run.wait_progress(name);
    run
}

#[test]
fn cancel_a_running_upload() {
    let name = "long film.mp4";
    let mut run = slow_upload_under_way(name, 4);
    // The sandbox is receiving it.
    assert!(
        eventually(TIMEOUT, || run.parts_in_flight() == 1),
        "the sandbox receives the file"
    );
    run.tui.send("x");
    let (head, _) = run.wait_state(name, "cancelled");
    assert!(head.starts_with('▸'), "the cursor on the row: {head}");
    // The connection closes: the sandbox drops what it had. Bytes already in the socket
    // buffers trickle in first at its slow rate (some 4 s here); the whole file would take
    // 20 s.
    assert!(
        eventually(Duration::from_secs(12), || run.parts_in_flight() == 0),
        "the sandbox still receives the cancelled upload"
    );
    assert!(run.state().find_by_name(name).is_empty());
    // Cancelling again only says it cannot.
    run.tui.press(
        "x",
        "Only a queued, running or paused upload can be cancelled",
    );

    // The program still answers keys.
    run.tui.esc_away("Transfers");
    run.tui.press("?", "Help · mp4u");
    run.tui.esc_away("Help · mp4u");
    run.tui.send("t");
    run.wait_state(name, "cancelled");
    run.tui.esc_away("Transfers");
    assert!(run.state().find_by_name(name).is_empty());
    run.quit_keeping_the_key_secret();
}

#[test]
fn an_upload_the_server_refuses_fails_with_its_reason() {
    let reason = "uploads are not enabled for your account type";
    let name = "refused.mp4";
    let mut run = demo(
        SandboxConfig::with_upload(UploadFaults::refusing(reason)),
        |dir| {
            random_file(dir, name, 500_000, 5);
        },
    );
    let before = run.state().file_count();
    run.wait_account();
    run.open_picker("/");
    run.pick(name);
    let (_, detail) = run.wait_state(name, "failed");
    assert!(detail.contains(reason), "the server's reason: {detail}");
    run.tui.wait_text("Transfers · 1 failed");
    assert!(run.state().find_by_name(name).is_empty());
    assert_eq!(run.state().file_count(), before);
    assert_eq!(run.parts_in_flight(), 0);
    run.tui.esc_away("Transfers");
    run.quit_keeping_the_key_secret();
}

#[test]
fn a_cut_connection_fails_readably_and_retry_uploads_once() {
    let name = "cut.mp4";
    let mut bytes = Vec::new();
    let mut run = demo(
        SandboxConfig::with_upload(UploadFaults::cut_after(2_000_000)),
        |dir| bytes = random_file(dir, name, 6_000_000, 6).1,
    );
    let before = run.state().file_count();
    run.wait_account();
    run.open_picker("/");
    run.pick(name);
    let (_, detail) = run.wait_state(name, "failed");
    // A sentence about the connection, not a debug dump.
    let host = run.sandbox.addr().to_string();
    assert!(
        detail.contains(&format!("the connection to {host} broke"))
            || detail.contains(&format!("the request to {host} failed")),
        "a readable transport reason: {detail}"
    );
    for noise in ["reqwest", "hyper", "Error {", "Kind(", "source:"] {
        assert!(!detail.contains(noise), "{noise:?} in the reason: {detail}");
    }
    assert!(run.state().find_by_name(name).is_empty());
    assert_eq!(run.state().file_count(), before);

    // The program goes on: the tree moves, help opens.
    run.tui.esc_away("Transfers");
    run.tui.press("j", "Files · /Anime · 1 file");
    run.tui.press("k", "Files · / · 24 files");
    run.tui.press("?", "Help · mp4u");
    run.tui.esc_away("Help · mp4u");

    // The fault is fixed; retry.
    run.sandbox.set_upload_faults(UploadFaults::default());
    run.tui.send("t");
    run.wait_state(name, "failed");
    run.tui.send("R");
    run.wait_state(name, "done");
    run.tui.wait_text("Transfers · 1 done");
    run.assert_uploaded(name, &bytes, 0);
    assert_eq!(run.state().file_count(), before + 1);
    // Retrying a finished upload is refused: still one copy.
    run.tui.press(
        "R",
        "Only a failed, cancelled, unknown, paused or skipped upload can be retried",
    );
    assert_eq!(run.state().find_by_name(name).len(), 1);
    run.tui.esc();
    run.tui.wait_for("the upload in the root's listing", |s| {
        !s.contains("Transfers") && s.contains("Files · / · 25 files")
    });
    run.quit_keeping_the_key_secret();
}

#[test]
fn checks_before_sending_refuse_in_the_picker() {
    let mut run = demo(SandboxConfig::default(), |dir| {
        // A small limit, to try it without a big file.
        let config = dir.join("config.toml");
        std::fs::write(&config, "max_upload_bytes = 1000\n").expect("write the config");
        set_private(&config);
        text_file(dir, "empty.mp4", "");
        random_file(dir, "big.mp4", 2000, 7);
        std::fs::create_dir(dir.join("season 2")).expect("a directory");
        random_file(&dir.join("season 2"), "inside.mp4", 100, 8);
        text_file(dir, "notes.txt", "not a video, but small\n");
    });
    let before = run.state().file_count();
    run.wait_account();
    run.open_picker("/");
    run.tui.wait_text("Files over 1 kB are refused");

    // A path that does not exist.
    run.pick("missing.mp4");
    run.tui.wait_text("missing.mp4: no such file");
    // The picker stays open; typing a new path clears the reason.
    let dir = format!("{}/", run.dir().display());
    run.tui.send(CTRL_U);
    run.tui.press_away(&dir, "no such file");

    // An empty file.
    run.tui.wait_text("empty.mp4");
    run.pick("empty.mp4");
    run.tui.wait_text("empty.mp4: is empty");
    run.tui.send(CTRL_U);
    run.tui.send(&dir);

    // Over the limit in the config file.
    run.tui.wait_text("big.mp4");
    run.pick("big.mp4");
    let screen = run.tui.wait_text("larger than the limit");
    assert!(
        screen.contains("big.mp4: is 2 kB, larger than the limit of 1 kB"),
        "{screen}"
    );
    run.tui.send(CTRL_U);
    run.tui.send(&dir);

    // A directory: Enter opens it.
    run.tui.press("season", "season 2/");
    run.tui.send(ENTER);
    run.tui.wait_for("the directory listed", |s| {
        s.contains(&format!("Path {dir}season 2/")) && s.contains("inside.mp4")
    });
    // Its parent again, with `..`.
    run.tui.wait_highlight("..");
    run.tui.send(ENTER);
    run.tui.wait_for("the parent listed", |s| {
        s.contains("notes.txt") && !s.contains("inside.mp4")
    });

    // Nothing was sent.
    assert_eq!(run.state().file_count(), before);
    assert_eq!(run.parts_in_flight(), 0);

    // Not a video: accepted with a warning (a slow server keeps it on screen).
    run.sandbox.set_upload_faults(UploadFaults::slow(10));
    run.pick("notes.txt");
    run.tui.wait_text("Transfers");
    run.tui.wait_text("does not look like a video");
    // 23 bytes at 10 bytes a second: done in a few seconds.
    run.wait_state("notes.txt", "done");
    let notes = std::fs::read(run.dir().join("notes.txt")).expect("notes.txt");
    run.assert_uploaded("notes.txt", &notes, 0);
    assert_eq!(run.state().file_count(), before + 1);
    for refused in ["missing.mp4", "empty.mp4", "big.mp4", "inside.mp4"] {
        assert!(
            run.state().find_by_name(refused).is_empty(),
            "{refused} sent"
        );
    }
    run.tui.esc_away("Transfers");
    run.quit_keeping_the_key_secret();
}

#[test]
fn quit_while_an_upload_runs_asks_first() {
    let name = "slow.mp4";
    let mut run = slow_upload_under_way(name, 10);
    // `q` closes the transfers view (the upload goes on); in the browser it asks.
    run.tui.send("q");
    run.tui
        .wait_for("the browser with the upload on the account line", |s| {
            !s.contains("Transfers") && s.contains("⇡ 1 sending")
        });
    run.tui
        .press("q", "1 upload is still running. Quit and stop it?");
    run.tui.send("n");
    run.tui
        .wait_for("the question gone, the upload going on", |s| {
            !s.contains("still running") && s.contains("⇡ 1 sending")
        });
    run.tui.press("q", "still running. Quit");
    run.tui.send("y");
    run.wait_exit_ok();
    assert!(run.state().find_by_name(name).is_empty());
    run.assert_key_kept_secret();
}

/// Mode 0600, so the program does not warn that others can read its config file.
fn set_private(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .expect("chmod the config");
}
