//! End to end under a bad network: the real `mp4u` binary in a pseudo-terminal on a sandbox
//! whose faults the test switches on and off while the program runs (latency, JSON 500s, HTML
//! 502 pages, invalid JSON, a rate limit, a lost upload reply). Each test starts normally,
//! turns its fault on at the right moment, acts, and checks the screen and what the sandbox
//! holds; then it quits and checks that the API key appeared nowhere: not on any screen drawn,
//! not in the raw bytes, not in any file the program wrote. One more test walks one process
//! through every fault in turn and sweeps everything for the key, and one goes through the
//! first-run key prompt.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::e2e::{ANIME_OP, E01, E01_CODE, FRIEREN_S1, Run, Setup, transfer_row};
use crate::common::pty::{CTRL_R, CTRL_U, ENTER, TAB, Tui};
use crate::common::{WRONG_KEY, leaks, random_file};
use mp4u::format::plural;
use mp4u::sandbox::{ApiFaults, FileRecord, SandboxConfig, SandboxState, UploadFaults};

/// The key the sandbox accepts here: no long runs of one character (the demo key's log twin
/// `max_bytes: 500000000` made `00000000` a false alarm once), nothing the demo data holds.
const KEY: &str = "f3n8r2w6y1c5h9j4m7t0b2";

/// Key presses must show well before a 2 s reply could: this is the bound, with a margin for
/// a loaded machine.
const PROMPT: Duration = Duration::from_millis(1200);

/// The demo library with [`KEY`]; every screen is recorded; the program's temporary files go
/// to its own directory too.
fn start() -> Run {
    start_with(|_| Vec::new())
}

/// Like [`start`]; `prepare` puts files in the program's directory and returns their paths.
fn start_with(prepare: impl FnOnce(&Path) -> Vec<PathBuf>) -> Run {
    launch(false, prepare)
}

/// Like [`start`], with no `MP4UPLOAD_API_KEY` at all: the first-run key prompt.
fn start_without_key() -> Run {
    launch(true, |_| Vec::new())
}

fn launch(without_key: bool, prepare: impl FnOnce(&Path) -> Vec<PathBuf>) -> Run {
    Run::start(
        Setup {
            config: SandboxConfig {
                key: KEY.into(),
                ..SandboxConfig::default()
            },
            without_key,
            record_screens: true,
            env: &[("TMPDIR", "{HOME}/tmp")],
            ..Setup::default()
        },
        |_| {},
        |dir| {
            std::fs::create_dir(dir.join("tmp")).expect("a temporary directory");
            prepare(dir)
        },
    )
}

impl Run {
    fn faults(&self, faults: ApiFaults) {
        self.sandbox.set_api_faults(faults);
    }

    /// Every fault off.
    fn heal(&self) {
        self.sandbox.set_api_faults(ApiFaults::default());
        self.sandbox.set_upload_faults(UploadFaults::default());
    }

    /// The key, or any 8 characters of it, is nowhere: not on any screen drawn, not in the
    /// raw bytes, not in any file under the program's directory (its HOME, working directory,
    /// XDG directories and TMPDIR: the log, exports, ...) but the config file, which may hold
    /// it. Call after the program exited. Returns the files read.
    fn assert_key_nowhere(&self) -> Vec<PathBuf> {
        // The bytes sent to the terminal, and the log.
        self.assert_key_kept_secret();
        let screens = self.tui.screens();
        assert!(
            screens.len() > 3,
            "screens were recorded: {}",
            screens.len()
        );
        for screen in &screens {
            assert!(!leaks(screen, KEY), "the API key on screen:\n{screen}");
        }
        let config = self.tui.dir().join("config.toml");
        let mut read = Vec::new();
        for path in files_under(self.tui.dir()) {
            if path == config || self.own_files.contains(&path) {
                continue;
            }
            let bytes = std::fs::read(&path).expect("read a file the program wrote");
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !leaks(&text, KEY),
                "the API key is in {}:\n{text}",
                path.display()
            );
            read.push(path);
        }
        assert!(read.contains(&self.tui.log_path()), "the log was swept");
        read
    }
}

/// Every file under `dir`, at any depth.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).expect("read a directory") {
            let entry = entry.expect("a directory entry");
            let kind = entry.file_type().expect("a file type");
            if kind.is_dir() {
                todo.push(entry.path());
            } else if kind.is_file() {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    files
}

/// Sends `keys` and waits for `what`; panics unless it showed within [`PROMPT`].
#[track_caller]
fn handled_at_once(tui: &mut Tui, keys: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let sent = Instant::now();
    tui.send(keys);
    let screen = tui.wait_for(what, pred);
    let took = sent.elapsed();
    assert!(
        took < PROMPT,
        "{what} took {took:?} after the key (the server takes 2 s)"
    );
    screen
}

/// The screen's text with the borders and line breaks gone, words single-spaced: a message
/// wrapped over lines reads as one.
fn flat(screen: &str) -> String {
    screen
        .replace(['│', '┌', '┐', '└', '┘', '─'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the screen shows anything that looks like an HTML tag.
fn html_tag(screen: &str) -> Option<&str> {
    [
        "<html", "<head", "<title", "<body", "<center", "<h1", "<hr", "</",
    ]
    .into_iter()
    .find(|tag| screen.contains(tag))
}

// 1. Latency: the UI never waits for the network.

#[test]
fn keys_are_handled_at_once_while_a_listing_hangs() {
    let mut run = start();
    run.wait_ready();
    run.faults(ApiFaults {
        latency_ms: 2000,
        ..ApiFaults::default()
    });
    let calls = run.sandbox.api_calls();

    // The tree's cursor moves and the titles follow while /Anime is still on its way.
    handled_at_once(
        &mut run.tui,
        "j",
        "the titles of /Anime while it loads",
        |s| {
            s.contains("Folders · /Anime")
                && s.contains("Files · /Anime ─")
                && s.contains("Loading files…")
        },
    );
    let highlighted = run.tui.highlighted();
    assert!(
        highlighted.iter().any(|run| run.contains("Anime")),
        "the cursor on Anime: {highlighted:?}"
    );
    // Help opens and closes while the listing hangs.
    handled_at_once(&mut run.tui, "?", "the help", |s| s.contains("Help · mp4u"));
    handled_at_once(&mut run.tui, "\x1b", "the help closed", |s| {
        !s.contains("Help · mp4u") && s.contains("Files · /Anime")
    });
    // One more move and back, still before any reply.
    handled_at_once(&mut run.tui, "j", "the titles of /Drone", |s| {
        s.contains("Folders · /Drone")
    });
    handled_at_once(&mut run.tui, "k", "the titles of /Anime again", |s| {
        s.contains("Folders · /Anime")
    });
    // The listing arrives in the end.
    run.tui.wait_for("/Anime listed", |s| {
        s.contains("Files · /Anime · 1 file") && s.contains(ANIME_OP)
    });
    assert!(run.sandbox.api_calls() > calls, "the listing was asked for");
    run.heal();
    run.quit();
    run.assert_key_nowhere();
}

// 2-4. Failing calls: the user reads what failed, and Ctrl-R brings the data back.

/// Ctrl-R on the root and a move to /Anime (not loaded yet) under `faults`: the notice and
/// the pane say what failed (`reason` each time); then the fault goes, and Ctrl-R shows the
/// files again, with one the server got meanwhile. Returns the screens with the messages.
fn refresh_fails_then_retry_works(run: &mut Run, faults: ApiFaults, reason: &str) -> Vec<String> {
    run.wait_ready();
    let fresh = "Arrived during the outage.mp4";
    run.state()
        .add_files([FileRecord::new(fresh, 4_000_000, 0)]);
    run.faults(faults);

    // The refresh of the root fails: a notice says why; the files shown stay.
    run.tui.send(CTRL_R);
    let notice = run.tui.wait_for(&format!("a notice with {reason:?}"), |s| {
        s.contains("Could not list the") && s.contains(reason)
    });
    assert!(notice.contains("Files · / · 24 files"), "{notice}");
    assert!(!notice.contains(fresh), "{notice}");

    // A folder never loaded: its pane says what failed and how to retry.
    run.tui.send("j");
    let pane = run.tui.wait_for("the pane's message on /Anime", |s| {
        let f = flat(s);
        f.contains("Could not load the files:") && f.contains("Ctrl-R to retry")
    });
    let text = flat(&pane);
    let message = text
        .split("Could not load the files:")
        .nth(1)
        .and_then(|rest| rest.split("Ctrl-R to retry").next())
        .unwrap_or_default()
        .to_string();
    assert!(
        message.contains(reason),
        "the pane gives the reason {reason:?}: {message:?}\n{pane}"
    );
    assert!(!pane.contains(ANIME_OP), "{pane}");

    // The fault is gone: Ctrl-R brings the files.
    run.heal();
    run.tui.send(CTRL_R);
    run.tui.wait_for("/Anime listed after the retry", |s| {
        s.contains("Files · /Anime · 1 file") && s.contains(ANIME_OP)
    });
    run.tui.press("k", "Files · / ·");
    run.tui.send(CTRL_R);
    run.tui.wait_for("the root with the new file", |s| {
        s.contains("Files · / · 25 files") && s.contains(fresh)
    });
    vec![notice, pane]
}

#[test]
fn a_server_error_is_shown_and_ctrl_r_retries() {
    let mut run = start();
    let screens = refresh_fails_then_retry_works(
        &mut run,
        ApiFaults::failing(),
        "mp4upload had a server error (500",
    );
    for screen in &screens {
        assert!(!screen.contains("Error {"), "no debug dump:\n{screen}");
    }
    run.quit();
    run.assert_key_nowhere();
}

#[test]
fn an_html_502_page_reads_as_http_502_and_ctrl_r_retries() {
    let mut run = start();
    refresh_fails_then_retry_works(&mut run, ApiFaults::html_pages(), "HTTP 502");
    run.quit();
    run.assert_key_nowhere();
}

#[test]
fn an_html_502_page_shows_no_html_tags() {
    let mut run = start();
    let screens = refresh_fails_then_retry_works(&mut run, ApiFaults::html_pages(), "HTTP 502");
    for screen in &screens {
        assert_eq!(html_tag(screen), None, "HTML on screen:\n{screen}");
    }
    run.quit();
}

#[test]
fn invalid_json_is_named_and_ctrl_r_retries() {
    let mut run = start();
    refresh_fails_then_retry_works(
        &mut run,
        ApiFaults::broken_json(),
        "the server sent invalid JSON",
    );
    // Still alive and drawing: the help opens.
    run.tui.press("?", "Help · mp4u");
    run.tui.esc_away("Help · mp4u");
    run.quit();
    let log = std::fs::read_to_string(run.tui.log_path()).expect("the log");
    assert!(!log.contains("panicked"), "{log}");
    run.assert_key_nowhere();
}

// 5. A rate limit below the client's own pace (3 calls a second against 7).

const FOLDERS: [&str; 6] = ["Anime", "Drone", "Family", "Gaming", "Movies", "Tutorials"];

/// Under a limit of 3 calls a second: the six top folders opened quickly, then the statistics.
/// Returns the folders whose listing failed, each with its pane's message (flattened), found
/// by going back over them.
fn burst_under_a_rate_limit(run: &mut Run) -> Vec<(&'static str, String)> {
    run.wait_ready();
    run.faults(ApiFaults {
        rate_limit: Some(3),
        ..ApiFaults::default()
    });
    let calls = run.sandbox.api_calls();
    for folder in FOLDERS {
        run.tui.press("j", &format!("Folders · /{folder}"));
    }
    let mut failed = Vec::new();
    run.tui.send("s");
    let stats = run.tui.wait_for("the statistics or why not", stats_shown);
    if !stats.contains("Totals, 7 days:") {
        failed.push(("statistics", flat(&stats)));
    }
    run.tui.esc_away("Account and statistics");
    // Back over every folder: each one is listed, or says why not.
    for (i, folder) in FOLDERS.iter().enumerate().rev() {
        if i + 1 < FOLDERS.len() {
            run.tui.send("k");
        }
        let title = format!("Files · /{folder} · ");
        let screen = run
            .tui
            .wait_for(&format!("/{folder} listed or failed"), |s| {
                s.contains(&format!("Folders · /{folder}"))
                    && s.contains(&title)
                    && !s.contains("Loading files…")
            });
        if flat(&screen).contains("Could not load the files") {
            failed.push((*folder, flat(&screen)));
        }
    }
    assert!(run.sandbox.api_calls() >= calls + 12, "the calls were made");
    failed
}

/// The statistics view with its numbers, or with the reason they failed.
fn stats_shown(screen: &str) -> bool {
    screen.contains("Account and statistics")
        && (screen.contains("Totals, 7 days:") || screen.contains("limiting requests"))
}

#[test]
fn a_rate_limit_keeps_the_app_working_and_ctrl_r_heals_what_failed() {
    let mut run = start();
    let failed = burst_under_a_rate_limit(&mut run);
    // A listing that ran out of tries says so readably; Ctrl-R, at a calm pace and with the
    // limit still on, brings it back.
    for (folder, message) in &failed {
        assert!(
            message.contains("mp4upload is limiting requests; wait a moment and try again"),
            "/{folder}: {message}"
        );
    }
    for (i, folder) in FOLDERS.iter().enumerate() {
        if i > 0 {
            run.tui.send("j");
        }
        run.tui.wait_text(&format!("Folders · /{folder}"));
        let fld_id = top_folder(&run.state(), folder);
        let title = format!(
            "Files · /{folder} · {} ",
            plural(run.state().files_in(fld_id).len(), "file")
        );
        let mut retry = failed.iter().any(|(f, _)| f == folder);
        // Ctrl-R sends a few calls at once too: under a limit of 3, the user may need a
        // second press.
        for press in 0.. {
            if retry {
                assert!(press < 4, "/{folder} still failing after {press} Ctrl-R");
                run.tui.press_away(CTRL_R, "Could not load the files");
            }
            let screen = run.tui.wait_for(&title, |s| {
                (s.contains(&title) && !s.contains("Could not load"))
                    || (s.contains(&format!("Folders · /{folder}"))
                        && flat(s).contains("Could not load the files"))
            });
            retry = flat(&screen).contains("Could not load the files");
            if !retry {
                break;
            }
        }
    }
    // The statistics too, if they had failed.
    for press in 0.. {
        assert!(
            press < 4,
            "the statistics still failing after {press} tries"
        );
        run.tui.send("s");
        let stats = run.tui.wait_for("the statistics or why not", stats_shown);
        run.tui.esc_away("Account and statistics");
        if stats.contains("Totals, 7 days:") {
            break;
        }
    }
    let screen = run.tui.wait_for("no 429 left on screen", |s| {
        !s.contains("429") && !s.contains("limiting requests") && !s.contains("Could not")
    });
    assert!(screen.contains("demo@mp4u.example"), "{screen}");
    run.heal();
    run.quit();
    run.assert_key_nowhere();
}

#[test]
fn a_rate_limit_leaves_no_429_after_a_quick_burst() {
    let mut run = start();
    let failed = burst_under_a_rate_limit(&mut run);
    assert!(failed.is_empty(), "failed after the retries: {failed:#?}");
    run.heal();
    run.quit();
}

// 6. Calls that change are sent once.

/// The id of the folder `name` in the root.
fn top_folder(state: &SandboxState, name: &str) -> u64 {
    state
        .subfolders(0)
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("/{name} in the demo library"))
        .fld_id
}

/// The outcome of one clone in its popup: whether it made a copy.
fn clone_outcome(screen: &str) -> Option<bool> {
    if screen.contains("Cloning 1 file") {
        return None;
    }
    if screen.contains(&format!("Copy of {E01}")) {
        Some(true)
    } else if screen.contains(&format!("{E01}: mp4upload had a server error")) {
        Some(false)
    } else {
        None
    }
}

#[test]
fn a_clone_under_a_failing_network_makes_at_most_one_copy_per_key() {
    const PRESSES: usize = 6;
    let mut run = start();
    run.wait_ready();
    run.open_frieren_season_1();
    run.focus_files(E01);
    assert_eq!(run.state().find_by_name(E01).len(), 1);
    run.faults(ApiFaults {
        fail_rate: Some(0.5),
        ..ApiFaults::default()
    });

    let mut reported = 0;
    for press in 0..PRESSES {
        run.tui.press("c", "Are you sure");
        run.tui.send("y");
        let screen = run
            .tui
            .wait_for(&format!("clone {press} done or failed"), |s| {
                clone_outcome(s).is_some()
            });
        if clone_outcome(&screen) == Some(true) {
            reported += 1;
        }
        run.tui.esc();
        run.tui.wait_for("the popup closed", |s| {
            !s.contains("Copy of") && !s.contains(&format!("{E01}: mp4upload"))
        });
        run.tui.wait_highlight(E01);
    }
    run.heal();
    let copies = run.state().find_by_name(E01).len() - 1;
    assert!(copies <= PRESSES, "{copies} copies for {PRESSES} presses");
    assert_eq!(
        copies, reported,
        "as many copies on the server as the popups reported"
    );

    run.tui.wait_for("the copies listed", |s| {
        s.contains(&format!(
            "Files · /Anime/Frieren/Season 1 · {} files",
            28 + copies
        ))
    });
    run.quit();
    run.assert_key_nowhere();
}

/// Whether a loading spinner shows anywhere (a folder or a file list on its way).
fn spinning(screen: &str) -> bool {
    screen.contains(['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'])
}

/// The rename popup, still open, with the server's error in it (not a notice about another
/// call).
fn rename_failed(screen: &str) -> bool {
    screen.contains("Rename file")
        && screen.lines().any(|line| {
            line.contains("mp4upload had a server error (500") && !line.contains("Could not")
        })
}

#[test]
fn a_rename_that_fails_is_sent_once_and_keeps_the_popup() {
    let mut run = start();
    run.wait_ready();
    run.open_frieren_season_1();
    run.focus_files(E01);
    let renamed = "Frieren - Pilot.mp4";
    run.tui.press("r", "Rename file");
    run.tui.send(CTRL_U);
    run.tui.press(renamed, renamed);
    // Nothing else on its way, so the count below is the rename's alone.
    run.tui.wait_for("nothing loading", |s| !spinning(s));
    run.faults(ApiFaults::failing());
    let calls = run.sandbox.api_calls();
    run.tui.send(ENTER);
    let screen = run
        .tui
        .wait_for("the reason in the rename popup", rename_failed);
    assert!(screen.contains(renamed), "the name typed stays:\n{screen}");
    run.heal();
    assert_eq!(
        run.sandbox.api_calls(),
        calls + 1,
        "the rename was sent once"
    );
    let state = run.state();
    assert!(state.find_by_name(renamed).is_empty());
    assert_eq!(
        state.file(E01_CODE).map(|f| (f.name, f.fld_id)),
        Some((E01.to_string(), FRIEREN_S1))
    );
    // The user may try again: it goes through now.
    run.tui.send(ENTER);
    run.tui.wait_for("the renamed file in the list", |s| {
        !s.contains("Rename file") && s.contains(renamed) && !s.contains(E01)
    });
    assert_eq!(
        run.state().file(E01_CODE).map(|f| f.name),
        Some(renamed.to_string())
    );
    run.quit();
    run.assert_key_nowhere();
}

// 7. An upload whose reply was lost.

/// Uploads `path` through the picker into the folder highlighted in the tree (typing its
/// whole path), with the upload's reply lost; waits for `done`. Returns the notice's screen.
fn upload_with_the_reply_lost(run: &mut Run, path: &Path, folder: &str) -> String {
    let name = path.file_name().expect("a name").to_string_lossy();
    run.sandbox.set_upload_faults(UploadFaults::lost_reply());
    run.tui.press("u", &format!("Upload into {folder}"));
    run.tui
        .wait_text(&format!("Path {}/", run.tui.dir().display()));
    run.tui
        .press_away(CTRL_U, &format!("Path {}/", run.tui.dir().display()));
    run.tui.send(&path.display().to_string());
    run.tui.press(ENTER, "Transfers");
    let screen = run.tui.wait_for(&format!("{name} done"), |s| {
        transfer_row(s, &name).is_some_and(|(head, _)| head.ends_with(" done"))
    });
    run.sandbox.set_upload_faults(UploadFaults::default());
    screen
}

#[test]
fn an_upload_whose_reply_was_lost_is_found_and_done() {
    let name = "Lost reply.mp4";
    let mut run = start_with(|dir| vec![random_file(dir, name, 3 * 1024 * 1024, 7).0]);
    let path = run.own_files[0].clone();
    run.wait_ready();
    run.tui.press("j", "Files · /Anime · 1 file");
    let screen = upload_with_the_reply_lost(&mut run, &path, "/Anime");
    let (head, detail) = transfer_row(&screen, name).expect("the row");
    assert!(head.contains(&format!("{name} → /Anime")), "{head}");
    let found = run.state().find_by_name(name);
    assert_eq!(found.len(), 1, "exactly one copy: {found:?}");
    let file = &found[0];
    assert_eq!(file.size, 3 * 1024 * 1024);
    assert!(detail.contains(&file.code), "the link: {detail}");
    let notice = run.tui.wait_for("the notice about the lost reply", |s| {
        flat(s).contains("the reply was lost; the file was found")
    });
    assert!(!notice.contains("failed"), "{notice}");
    assert_eq!(file.fld_id, top_folder(&run.state(), "Anime"), "in /Anime");
    run.tui.esc();
    run.tui.wait_for("the upload in /Anime's listing", |s| {
        !s.contains("Transfers") && s.contains("Files · /Anime · 2 files") && s.contains(name)
    });
    assert_eq!(run.state().find_by_name(name).len(), 1);
    run.quit();
    run.assert_key_nowhere();
}

// 8. The secrecy sweep: every fault in one run, then every screen and file.

#[test]
fn the_key_appears_nowhere_through_every_fault() {
    let name = "Sweep.mp4";
    let mut run = start_with(|dir| vec![random_file(dir, name, 1024 * 1024, 8).0]);
    let upload = run.own_files[0].clone();
    run.wait_ready();

    // Latency.
    run.faults(ApiFaults {
        latency_ms: 1500,
        ..ApiFaults::default()
    });
    run.tui.send("j");
    run.tui.wait_for("/Anime loading", |s| {
        s.contains("Folders · /Anime") && s.contains("Loading files…")
    });
    run.tui.wait_text("Files · /Anime · 1 file");
    // Failures of each kind, on a refresh.
    for (faults, reason) in [
        (ApiFaults::failing(), "server error"),
        (ApiFaults::html_pages(), "HTTP 502"),
        (ApiFaults::broken_json(), "invalid JSON"),
    ] {
        run.faults(faults);
        run.tui.send(CTRL_R);
        run.tui
            .wait_for(&format!("the failure: {reason}"), |s| s.contains(reason));
        run.heal();
        run.tui.esc();
    }
    run.tui.press_away(CTRL_R, "Could not");
    // A rate limit, across folders and the statistics.
    run.faults(ApiFaults {
        rate_limit: Some(3),
        ..ApiFaults::default()
    });
    for folder in ["Drone", "Family", "Gaming"] {
        run.tui.press("j", &format!("Folders · /{folder}"));
    }
    run.tui.send("s");
    run.tui.wait_for("the statistics or why not", stats_shown);
    run.tui.esc_away("Account and statistics");
    run.heal();
    run.tui.press("kkk", "Files · /Anime · 1 file");
    // Clones and a rename on a failing network.
    run.focus_files(ANIME_OP);
    run.faults(ApiFaults {
        fail_rate: Some(0.5),
        ..ApiFaults::default()
    });
    for _ in 0..3 {
        run.tui.press("c", "Are you sure");
        run.tui.send("y");
        run.tui.wait_for("the clone's outcome", |s| {
            !s.contains("Cloning 1 file")
                && (s.contains("Copy of") || s.contains(&format!("{ANIME_OP}: mp4upload")))
        });
        run.tui.esc_away("Copy of");
    }
    run.faults(ApiFaults::failing());
    run.tui.press("r", "Rename file");
    run.tui.send("x");
    run.tui.send(ENTER);
    run.tui
        .wait_for("the rename's failure in its popup", rename_failed);
    run.tui.esc_away("Rename file");
    run.heal();
    // A lost upload reply.
    run.tui.send(TAB);
    upload_with_the_reply_lost(&mut run, &upload, "/Anime");
    run.tui.esc_away("Transfers");
    // An export of the folder's links, into the working directory.
    run.tui.send(TAB);
    run.tui.press("e", "links as");
    run.tui.press(ENTER, "mp4u-links-");
    run.quit();

    let read = run.assert_key_nowhere();
    let export = read
        .iter()
        .find(|p| p.to_string_lossy().contains("mp4u-links-"))
        .unwrap_or_else(|| panic!("an export among the files read: {read:?}"));
    let links = std::fs::read_to_string(export).expect("the export");
    assert!(links.contains(&run.sandbox.base_url()), "{links}");
    // The raw bytes hold every screen the program drew; the sweep saw many.
    assert!(run.tui.screens().len() > 50, "{}", run.tui.screens().len());
}

// 9. The first run: no key anywhere; the prompt checks it and saves it.

#[test]
fn first_run_asks_for_the_key_checks_it_and_saves_it_privately() {
    let mut run = start_without_key();
    let config = run.tui.dir().join("config.toml");
    run.tui.wait_for("the key prompt", |s| {
        s.contains("Welcome to mp4u") && s.contains("No API key yet")
    });
    assert!(!config.exists(), "no config file before a key is given");

    // Masked: dots, one per character.
    run.tui.press("short", "•••••");
    assert!(!run.tui.screen().contains("short"));
    run.tui.press(ENTER, "The API key is malformed");

    // Well formed but wrong.
    run.tui.press_away(CTRL_U, "•••••");
    run.tui.press(WRONG_KEY, &"•".repeat(WRONG_KEY.len()));
    run.tui.send(ENTER);
    let screen = run
        .tui
        .wait_for("the key rejected", |s| flat(s).contains("rejected"));
    assert!(screen.contains("Welcome to mp4u"), "{screen}");
    assert!(!config.exists(), "a rejected key is not saved");

    // The right one opens the account.
    run.tui.send(CTRL_U);
    run.tui.press(KEY, &"•".repeat(KEY.len()));
    run.tui.send(ENTER);
    run.tui.wait_for("the account open", |s| {
        !s.contains("Welcome to mp4u")
            && s.contains("demo@mp4u.example")
            && s.contains("Files · / · 24 files")
    });
    run.quit();

    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&config)
        .expect("the config file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "config mode {mode:o}");
    let text = std::fs::read_to_string(&config).expect("the config");
    assert!(text.contains(KEY), "the key is saved:\n{text}");
    // Nowhere else: not typed back, not on any screen, not in the log.
    run.assert_key_nowhere();
}
